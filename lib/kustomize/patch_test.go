package kustomize

import (
	"fmt"
	"strings"
	"testing"
)

// opString renders an Op with every position, for exact comparison.
func opString(o Op) string {
	s := fmt.Sprintf("%s %q pos=%d:%d op=%d:%d path=%d:%d", o.Op, o.Path, o.Pos.Line, o.Pos.Column,
		o.OpPos.Line, o.OpPos.Column, o.PathPos.Line, o.PathPos.Column)
	if o.From != "" {
		s += fmt.Sprintf(" from=%q", o.From)
	}
	if o.Value != nil {
		s += fmt.Sprintf(" value=%d:%d", o.ValuePos.Line, o.ValuePos.Column)
		if v, ok := o.ValueString(); ok {
			s += "=" + v
		}
	}
	return s
}

func opStrings(ops []Op) []string {
	var out []string
	for _, o := range ops {
		out = append(out, opString(o))
	}
	return out
}

func problemStrings(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s %s: %s", p.Cause, p.Pos, p.Message))
	}
	return out
}

func TestParseJSON6902(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		ops      []string
		problems []string // "kind file:line:col: message" prefixes
	}{
		{
			name: "YAML form",
			in: `- op: replace
  path: /spec/replicas
  value: 3
- path: /metadata/labels/app
  op: add
  value:
    nested: true
- op: remove
  path: /spec/template/spec/containers/0
`,
			ops: []string{
				`replace "/spec/replicas" pos=1:3 op=1:7 path=2:9 value=3:10=3`,
				`add "/metadata/labels/app" pos=4:3 op=5:7 path=4:9 value=7:5`,
				`remove "/spec/template/spec/containers/0" pos=8:3 op=8:7 path=9:9`,
			},
		},
		{
			name: "JSON form",
			in: `[
  {"op": "remove", "path": "/spec/x"},
  {"op": "move", "from": "/a", "path": "/b"},
  {"op": "test", "path": "/c", "value": "v"}
]
`,
			ops: []string{
				`remove "/spec/x" pos=2:4 op=2:10 path=2:28`,
				`move "/b" pos=3:4 op=3:10 path=3:40 from="/a"`,
				`test "/c" pos=4:4 op=4:10 path=4:26 value=4:41=v`,
			},
		},
		{
			name: "JSON on one line",
			in:   `[{"op":"copy","from":"/x","path":"/y"}]`,
			ops:  []string{`copy "/y" pos=1:3 op=1:8 path=1:34 from="/x"`},
		},
		{
			name: "flow YAML",
			in:   "- {op: add, path: /a, value: [1, 2]}\n",
			ops:  []string{`add "/a" pos=1:4 op=1:8 path=1:19 value=1:30`},
		},
		{
			name: "empty path is the whole document",
			in:   "- op: replace\n  path: \"\"\n  value: {}\n",
			ops:  []string{`replace "" pos=1:3 op=1:7 path=2:9 value=3:10`},
		},
		{
			name: "null value is a value",
			in:   "- op: add\n  path: /a\n  value: null\n",
			ops:  []string{`add "/a" pos=1:3 op=1:7 path=2:9 value=3:10=null`},
		},
		{
			name:     "empty file",
			in:       "",
			problems: []string{"invalid patch p.yaml: JSON patch is empty: it changes nothing"},
		},
		{
			name:     "only a comment",
			in:       "# nothing\n",
			problems: []string{"invalid patch p.yaml: JSON patch is empty"},
		},
		{
			name:     "empty list",
			in:       "[]\n",
			problems: []string{"invalid patch p.yaml:1:1: JSON patch holds no operation: it changes nothing"},
		},
		{
			name:     "not a list",
			in:       "# a strategic merge patch\napiVersion: v1\nkind: ConfigMap\n",
			problems: []string{"invalid patch p.yaml:2:1: a JSON patch must be a list of operations"},
		},
		{
			name:     "a scalar",
			in:       "replace\n",
			problems: []string{"invalid patch p.yaml:1:1: a JSON patch must be a list of operations"},
		},
		{
			name:     "unknown op",
			in:       "- op: bogus\n  path: /x\n",
			problems: []string{`invalid patch p.yaml:1:7: unknown JSON patch op "bogus"; use add, remove, replace, move, copy or test`},
		},
		{
			name:     "op is case sensitive",
			in:       "- op: Replace\n  path: /x\n  value: 1\n",
			problems: []string{`invalid patch p.yaml:1:7: unknown JSON patch op "Replace"`},
		},
		{
			name:     "missing op",
			in:       "- path: /x\n  value: 1\n",
			problems: []string{"invalid patch p.yaml:1:3: JSON patch operation has no op"},
		},
		{
			name:     "missing path",
			in:       "- op: remove\n",
			problems: []string{"invalid patch p.yaml:1:3: JSON patch operation has no path"},
		},
		{
			name:     "path is not a scalar",
			in:       "- op: remove\n  path: [a]\n",
			problems: []string{"invalid patch p.yaml:1:3: JSON patch operation has no path"},
		},
		{
			name:     "path without leading slash",
			in:       "- op: remove\n  path: spec/replicas\n",
			problems: []string{`invalid patch p.yaml:2:9: path "spec/replicas" is not a JSON pointer: it must start with /`},
		},
		{
			name:     "replace without value",
			in:       "- op: replace\n  path: /spec/replicas\n",
			problems: []string{`invalid patch p.yaml:1:3: JSON patch op "replace" needs a value`},
		},
		{
			name:     "add without value",
			in:       "- path: /a\n  op: add\n",
			problems: []string{`invalid patch p.yaml:1:3: JSON patch op "add" needs a value`},
		},
		{
			name:     "test without value",
			in:       `[{"op": "test", "path": "/a"}]`,
			problems: []string{`invalid patch p.yaml:1:3: JSON patch op "test" needs a value`},
		},
		{
			name:     "move without from",
			in:       "- op: move\n  path: /b\n",
			problems: []string{`invalid patch p.yaml:1:3: JSON patch op "move" needs from`},
		},
		{
			name:     "copy without from",
			in:       "- op: copy\n  path: /b\n",
			problems: []string{`invalid patch p.yaml:1:3: JSON patch op "copy" needs from`},
		},
		{
			name: "several problems in one op",
			in:   "- op: replace\n  path: spec\n",
			problems: []string{
				`invalid patch p.yaml:2:9: path "spec" is not a JSON pointer`,
				`invalid patch p.yaml:1:3: JSON patch op "replace" needs a value`,
			},
		},
		{
			name:     "operation is not a mapping",
			in:       "- op: remove\n  path: /a\n- remove /b\n",
			ops:      []string{`remove "/a" pos=1:3 op=1:7 path=2:9`},
			problems: []string{"invalid patch p.yaml:3:3: a JSON patch operation must be a mapping with op and path"},
		},
		{
			name: "good ops are returned beside bad ones",
			in: `- op: replace
  path: /spec/replicas
  value: 2
- op: remove
  path: spec/x
- op: add
  path: /metadata/labels/a
  value: b
- op: explode
  path: /y
`,
			ops: []string{
				`replace "/spec/replicas" pos=1:3 op=1:7 path=2:9 value=3:10=2`,
				`add "/metadata/labels/a" pos=6:3 op=6:7 path=7:9 value=8:10=b`,
			},
			problems: []string{
				`invalid patch p.yaml:5:9: path "spec/x" is not a JSON pointer`,
				`invalid patch p.yaml:9:7: unknown JSON patch op "explode"`,
			},
		},
		{
			name:     "syntax error",
			in:       "- op: replace\n  path: [/spec\n  value: 1\n",
			problems: []string{"invalid patch p.yaml:2: JSON patch does not parse: did not find expected ',' or ']'"},
		},
		{
			name:     "JSON syntax error",
			in:       "[\n  {\"op\": \"remove\", \"path\": \"/a\"\n]\n",
			problems: []string{"invalid patch p.yaml:2: JSON patch does not parse: did not find expected ',' or '}'"},
		},
		{
			name:     "binary",
			in:       "- op: add\n\x00",
			problems: []string{"invalid patch p.yaml:2:1: JSON patch file holds a NUL byte"},
		},
		{
			name:     "duplicate key",
			in:       "- op: add\n  op: remove\n  path: /x\n",
			problems: []string{`duplicate key p.yaml:2:3: key "op" is given twice (first on line 1)`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ops, problems := ParseJSON6902("p.yaml", []byte(tc.in))
			if got := opStrings(ops); fmt.Sprint(got) != fmt.Sprint(tc.ops) {
				t.Errorf("ops:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.ops, "\n"))
			}
			got := problemStrings(problems)
			if len(got) != len(tc.problems) {
				t.Fatalf("problems:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.problems, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.problems[i]) {
					t.Errorf("problem %d:\n%s\nwant prefix\n%s", i, got[i], tc.problems[i])
				}
			}
		})
	}
}

const inlinePatchKustomization = `resources:
- ../base
patches:
- target:
    kind: Deployment
    name: web
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 3
    - op: bogus
      path: x
- target:
    kind: Service
  patch: '[{"op": "remove", "path": "nope"}]'
- target:
    kind: ConfigMap
  patch: |
      - op: add
        path: [/data
- target:
    kind: Secret
  patch: |
    - op: remove
      path: /data
`

func TestParseInlineJSON6902(t *testing.T) {
	k := parseKustomization("overlays/kustomization.yaml", []byte(inlinePatchKustomization))
	if len(k.Problems) != 0 {
		t.Fatal(k.Problems)
	}
	ps := k.Patches()
	if len(ps) != 4 {
		t.Fatalf("got %d patches", len(ps))
	}
	tests := []struct {
		name     string
		patch    PatchRef
		ops      []string
		problems []string
	}{
		{
			name:  "literal block",
			patch: ps[0],
			ops:   []string{`replace "/spec/replicas" pos=8:7 op=8:11 path=9:13 value=10:14=3`},
			problems: []string{
				`invalid patch overlays/kustomization.yaml:11:11: unknown JSON patch op "bogus"`,
				`invalid patch overlays/kustomization.yaml:12:13: path "x" is not a JSON pointer`,
			},
		},
		{
			name:     "quoted JSON maps to the start of the scalar",
			patch:    ps[1],
			problems: []string{`invalid patch overlays/kustomization.yaml:15:10: path "nope" is not a JSON pointer`},
		},
		{
			name:     "syntax error maps to its line, column unknown",
			patch:    ps[2],
			problems: []string{`invalid patch overlays/kustomization.yaml:20: JSON patch does not parse: did not find expected ',' or ']'`},
		},
		{
			name:  "literal block with a trailing newline",
			patch: ps[3],
			ops:   []string{`remove "/data" pos=24:7 op=24:11 path=25:13`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ops, problems := ParseInlineJSON6902(tc.patch)
			if got := opStrings(ops); fmt.Sprint(got) != fmt.Sprint(tc.ops) {
				t.Errorf("ops:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.ops, "\n"))
			}
			for _, o := range ops {
				if o.Pos.File != "overlays/kustomization.yaml" || o.PathPos.File != o.Pos.File {
					t.Errorf("op positions must name the kustomization file: %v %v", o.Pos, o.PathPos)
				}
			}
			got := problemStrings(problems)
			if len(got) != len(tc.problems) {
				t.Fatalf("problems:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.problems, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.problems[i]) {
					t.Errorf("problem %d:\n%s\nwant prefix\n%s", i, got[i], tc.problems[i])
				}
			}
		})
	}

	t.Run("empty inline patch", func(t *testing.T) {
		p := PatchRef{Field: "patches", InlinePos: Position{File: "k.yaml", Line: 7, Column: 10}}
		ops, problems := ParseInlineJSON6902(p)
		if len(ops) != 0 || len(problems) != 1 || problems[0].Pos != p.InlinePos || !strings.Contains(problems[0].Message, "empty") {
			t.Errorf("ops=%v problems=%v", ops, problems)
		}
	})
}

func TestIsJSON6902(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"YAML list", "- op: remove\n  path: /a\n", true},
		{"JSON list", `[{"op": "remove", "path": "/a"}]`, true},
		{"empty list", "[]", true},
		{"list after a separator", "---\n- op: remove\n  path: /a\n", true},
		{"strategic merge patch", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", false},
		{"JSON object", `{"op": "remove"}`, false},
		{"empty", "", false},
		{"scalar", "remove\n", false},
		{"two documents", "- op: remove\n  path: /a\n---\n- op: remove\n  path: /b\n", false},
		{"syntax error", "- op: [\n", false},
		{"duplicate key", "- op: remove\n  op: add\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsJSON6902([]byte(tc.in)); got != tc.want {
				t.Errorf("IsJSON6902 = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSplitPointer(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"/", []string{""}},
		{"/spec", []string{"spec"}},
		{"/spec/template/spec/containers/0/image", []string{"spec", "template", "spec", "containers", "0", "image"}},
		{"/metadata/annotations/example.com~1name", []string{"metadata", "annotations", "example.com/name"}},
		{"/a~0b", []string{"a~b"}},
		{"/~01", []string{"~1"}}, // ~0 then 1, not ~ then /
		{"/~10", []string{"/0"}}, // ~1 then 0
		{"/a~1~0b", []string{"a/~b"}},
		{"/a//b", []string{"a", "", "b"}},
		{"/a/", []string{"a", ""}},
		{"/-", []string{"-"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := SplitPointer(tc.in)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("SplitPointer(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestOpValueString(t *testing.T) {
	ops, problems := ParseJSON6902("p.yaml", []byte(`- {op: add, path: /a, value: "x"}
- {op: add, path: /b, value: 12}
- {op: add, path: /c, value: [x]}
- {op: add, path: /d, value: {k: v}}
- {op: remove, path: /e}
`))
	if len(problems) != 0 || len(ops) != 5 {
		t.Fatalf("ops=%d problems=%v", len(ops), problems)
	}
	want := []struct {
		s  string
		ok bool
	}{{"x", true}, {"12", true}, {"", false}, {"", false}, {"", false}}
	for i, w := range want {
		s, ok := ops[i].ValueString()
		if s != w.s || ok != w.ok {
			t.Errorf("op %d (%s): ValueString() = %q, %v, want %q, %v", i, ops[i].Path, s, ok, w.s, w.ok)
		}
	}
}
