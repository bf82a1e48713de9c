package kustomize

import (
	"fmt"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// keyPos is a top-level key of a parsed document and where it was written.
type keyPos struct {
	Key          string
	Line, Column int
}

func topKeys(doc *yaml.Node) []keyPos {
	m := doc
	if m.Kind == yaml.DocumentNode {
		m = m.Content[0]
	}
	var out []keyPos
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		out = append(out, keyPos{k.Value, k.Line, k.Column})
	}
	return out
}

func TestParseYAMLDocuments(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]keyPos // top-level keys of each document returned
	}{
		{"single document", "a: 1\nb: 2\n", [][]keyPos{{{"a", 1, 1}, {"b", 2, 1}}}},
		{"two documents", "a: 1\n---\nb: 2\n", [][]keyPos{{{"a", 1, 1}}, {{"b", 3, 1}}}},
		{"leading separator", "---\na: 1\n", [][]keyPos{{{"a", 2, 1}}}},
		{"empty documents skipped", "---\n---\na: 1\n---\n---\nb: 2\n---\n", [][]keyPos{{{"a", 3, 1}}, {{"b", 6, 1}}}},
		{"null and comment documents skipped", "~\n---\n# only a comment\n---\nnull\n---\nc: 3\n", [][]keyPos{{{"c", 7, 1}}}},
		{"document end markers", "a: 1\n...\n---\nb: 2\n...\n", [][]keyPos{{{"a", 1, 1}}, {{"b", 4, 1}}}},
		{"empty file", "", nil},
		{"only separators", "---\n---\n...\n", nil},
		{"only whitespace", "\n\n   \n", nil},
		{"BOM", "\xef\xbb\xbfa: 1\nb: 2\n", [][]keyPos{{{"a", 1, 1}, {"b", 2, 1}}}},
		{"CRLF", "a: 1\r\nb:\r\n  c: 2\r\nd: 3\r\n", [][]keyPos{{{"a", 1, 1}, {"b", 2, 1}, {"d", 4, 1}}}},
		{"BOM and CRLF", "\xef\xbb\xbfa: 1\r\n---\r\nb: 2\r\n", [][]keyPos{{{"a", 1, 1}}, {{"b", 3, 1}}}},
		{"indented keys", "x:\n  y: 1\nz: 2\n", [][]keyPos{{{"x", 1, 1}, {"z", 3, 1}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, problems := ParseYAML("f.yaml", []byte(tc.in))
			if len(problems) != 0 {
				t.Fatalf("unexpected problems: %v", problems)
			}
			if len(docs) != len(tc.want) {
				t.Fatalf("got %d documents, want %d", len(docs), len(tc.want))
			}
			for i, d := range docs {
				if d.Kind != yaml.DocumentNode {
					t.Errorf("document %d: kind %v, want DocumentNode", i, d.Kind)
				}
				if got := topKeys(d); fmt.Sprint(got) != fmt.Sprint(tc.want[i]) {
					t.Errorf("document %d: keys %v, want %v", i, got, tc.want[i])
				}
			}
		})
	}
}

func TestParseYAMLCRLFValues(t *testing.T) {
	docs, problems := ParseYAML("f.yaml", []byte("\xef\xbb\xbfname: web\r\nimage: nginx\r\n"))
	if len(problems) != 0 || len(docs) != 1 {
		t.Fatalf("docs=%d problems=%v", len(docs), problems)
	}
	for key, want := range map[string]string{"name": "web", "image": "nginx"} {
		if got, _, ok := ScalarAt(docs[0], key); !ok || got != want {
			t.Errorf("%s = %q (%v), want %q: a CR or BOM leaked into the value", key, got, ok, want)
		}
	}
}

func TestParseYAMLSyntaxErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		line     int
		column   int // 0 when the parser cannot tell
		message  string
		wantDocs int // documents before the error
	}{
		{"unclosed flow sequence", "a: 1\nb: [1, 2\nc: 3\n", 2, 0, "did not find expected ',' or ']'", 0},
		{"unclosed flow mapping", "a: 1\nb: {x: 1\nc: 3\n", 2, 0, "did not find expected ',' or '}'", 0},
		{"bad dedent", "a:\n  b: 1\n c: 2\n", 3, 0, "did not find expected key", 0},
		{"sequence entry in a mapping", "a: 1\n- b\n", 2, 0, "did not find expected key", 0},
		{"mapping in a sequence", "- a\nb: 1\n", 2, 0, "did not find expected '-' indicator", 0},
		{"mapping value on line 1", "a: b: c\n", 1, 0, "mapping values are not allowed in this context", 0},
		{"mapping value on line 2", "a: 1\nb: c: d\n", 2, 0, "mapping values are not allowed in this context", 0},
		{"bad indentation of a key", "a: 1\n b: 2\nc: 3\n", 2, 0, "mapping values are not allowed", 0},
		{"unterminated quote", "a: 1\nb: \"x\n", 2, 0, "found unexpected end of stream", 0},
		{"undefined tag handle", "a: 1\nb: !x!y 1\n", 2, 0, "found undefined tag handle", 0},
		{"duplicate YAML directive", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", 2, 0, "found duplicate %YAML directive", 0},
		{"error in second document keeps the first", "a: 1\n---\nb: : :\n", 3, 0, "mapping values are not allowed", 1},
		{"unclosed bracket at end of file", "a: 1\n---\nb: [\n", 3, 0, "did not find expected node content", 1},
		{"tab as indentation", "a:\n\tb: 1\n", 2, 0, "found character that cannot start any token", 0},
		{"tab after a nested scalar", "a:\n  b: 1\n\tc: 2\n", 3, 1, "tab character", 0},
		{"tab on line 4", "x: 1\na:\n  b: 1\n  \tc: 2\n", 4, 3, "tab character", 0},
		{"CRLF line count", "a: 1\r\nb: [1\r\nc: 3\r\n", 2, 0, "did not find expected ',' or ']'", 0},
		{"lone CR line count", "a: 1\rb: [1\rc: 3\r", 2, 0, "did not find expected ',' or ']'", 0},
		{"end of stream on a file without final newline", "a: 1\nb: \"x", 2, 0, "found unexpected end of stream", 0},
		{"invalid UTF-8 after a lone CR", "a: 1\rb: \xff\n", 2, 4, "invalid leading UTF-8 octet", 0},
		{"invalid UTF-8", "a: 1\nb: \xff\xfe\n", 2, 4, "invalid leading UTF-8 octet", 0},
		{"control character", "a: 1\nb: x\x01\n", 2, 5, "control characters are not allowed", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, problems := ParseYAML("dir/f.yaml", []byte(tc.in))
			if len(problems) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(problems), problems)
			}
			p := problems[0]
			if p.Cause != CauseYAMLSyntax {
				t.Errorf("kind %q, want yaml-syntax", p.Cause)
			}
			want := Position{File: "dir/f.yaml", Line: tc.line, Column: tc.column}
			if p.Pos != want {
				t.Errorf("position %v, want %v (%s)", p.Pos, want, p.Message)
			}
			if !strings.HasPrefix(p.Message, "YAML does not parse: ") || !strings.Contains(p.Message, tc.message) {
				t.Errorf("message %q, want it to contain %q", p.Message, tc.message)
			}
			if strings.Contains(p.Message, "yaml:") || strings.Contains(p.Message, "line ") {
				t.Errorf("message %q still holds the decoder's prefix or line", p.Message)
			}
			if len(docs) != tc.wantDocs {
				t.Errorf("got %d documents before the error, want %d", len(docs), tc.wantDocs)
			}
		})
	}
}

func TestParseYAMLNUL(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line, col int
	}{
		{"first byte", "\x00a: 1\n", 1, 1},
		{"third line", "a: 1\nb: 2\nc: \x00\n", 3, 4},
		{"after CRLF and multi-byte characters", "a: 1\r\nb: é\x00\n", 2, 5},
		{"after lone CRs", "a: 1\rb: 2\r\x00", 3, 1},
		{"binary file", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, problems := ParseYAML("img.yaml", []byte(tc.in))
			if len(docs) != 0 {
				t.Errorf("got %d documents from a binary file", len(docs))
			}
			want := Problem{Cause: CauseYAMLSyntax, Pos: Position{File: "img.yaml", Line: tc.line, Column: tc.col},
				Message: "file holds a NUL byte: it is binary, not YAML"}
			if len(problems) != 1 || problems[0] != want {
				t.Errorf("got %+v, want %+v", problems, want)
			}
		})
	}
}

func TestParseYAMLDuplicateKeys(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // "line:col key first-line"
	}{
		{"top level", "a: 1\nb: 2\na: 3\n", []string{"3:1 a 1"}},
		{"nested", "a: 1\nb:\n  c: 1\n  c: 2\n", []string{"4:3 c 3"}},
		{"three times", "a: 1\na: 2\na: 3\n", []string{"2:1 a 1", "3:1 a 1"}},
		{"inside a sequence", "- name: x\n  name: y\n", []string{"2:3 name 1"}},
		{"flow mapping", "m: {a: 1, b: 2, a: 3}\n", []string{"1:17 a 1"}},
		{"second document", "a: 1\n---\nx: 1\ny: 2\nx: 3\n", []string{"5:1 x 3"}},
		{"same key in different mappings is fine", "a:\n  k: 1\nb:\n  k: 2\n", nil},
		{"merge keys are not duplicates", "base: &b {x: 1}\nother: &o {y: 1}\nm:\n  <<: *b\n  <<: *o\n", nil},
		{"quoted and plain spellings are the same key", "a: 1\n\"a\": 2\n", []string{"2:1 a 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, problems := ParseYAML("f.yaml", []byte(tc.in))
			if len(docs) == 0 {
				t.Fatalf("a duplicate key must not drop the document: %v", problems)
			}
			var got []string
			for _, p := range problems {
				if p.Cause != CauseDuplicateKey {
					t.Errorf("kind %q, want yaml-duplicate-key", p.Cause)
				}
				if p.Pos.File != "f.yaml" {
					t.Errorf("file %q", p.Pos.File)
				}
				var key string
				var first int
				if _, err := fmt.Sscanf(p.Message, "key %q is given twice (first on line %d)", &key, &first); err != nil {
					t.Errorf("message %q: %v", p.Message, err)
				}
				got = append(got, fmt.Sprintf("%d:%d %s %d", p.Pos.Line, p.Pos.Column, key, first))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// billionLaughs is the classic alias bomb: levels of lists, each holding
// width aliases of the level below.
func billionLaughs(levels, width int) string {
	var b strings.Builder
	b.WriteString("l0: &l0 [lol")
	for i := 1; i < width; i++ {
		b.WriteString(", lol")
	}
	b.WriteString("]\n")
	for l := 1; l < levels; l++ {
		fmt.Fprintf(&b, "l%d: &l%d [*l%d", l, l, l-1)
		for i := 1; i < width; i++ {
			fmt.Fprintf(&b, ", *l%d", l-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestParseYAMLAliasBomb(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"10 levels of 10", billionLaughs(10, 10)},
		{"10 levels of 10 under a resources field", "resources: " + strings.TrimPrefix(billionLaughs(10, 10), "l0: ") + "\n"},
		{"30 levels of 2", billionLaughs(30, 2)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			docs, problems := ParseYAML("bomb.yaml", []byte(tc.in))
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("ParseYAML took %v on an alias bomb", d)
			}
			// Aliases are kept as alias nodes, not expanded: the tree stays the
			// size of the text.
			if len(problems) == 0 && (len(docs) != 1 || countNodes(docs[0]) > 10*len(tc.in)) {
				t.Errorf("docs=%d nodes=%d: the aliases were expanded", len(docs), countNodes(docs[0]))
			}
			start = time.Now()
			k := parseKustomization("kustomization.yaml", []byte(tc.in))
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("parseKustomization took %v on an alias bomb", d)
			}
			if len(k.Problems) == 0 {
				t.Errorf("an alias bomb is not a valid kustomization, yet no problem was reported")
			}
			start = time.Now()
			ops, probs := ParseJSON6902("patch.yaml", []byte(tc.in))
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("ParseJSON6902 took %v on an alias bomb", d)
			}
			if len(ops) != 0 || len(probs) == 0 {
				t.Errorf("ops=%d problems=%v, want no op and a problem", len(ops), probs)
			}
		})
	}
}

func countNodes(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	c := 1
	for _, k := range n.Content {
		c += countNodes(k)
	}
	return c
}

func TestParseYAMLDeepNesting(t *testing.T) {
	const depth = 100000
	tests := []struct {
		name string
		in   string
	}{
		{"unclosed flow sequences", strings.Repeat("[", depth)},
		{"closed flow sequences", strings.Repeat("[", depth) + strings.Repeat("]", depth)},
		{"flow mappings", strings.Repeat("{a: ", depth) + strings.Repeat("}", depth)},
		{"under a key", "resources: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n"},
		{"block sequences", strings.Repeat("- ", depth) + "x\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			docs, problems := ParseYAML("deep.yaml", []byte(tc.in))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if len(docs) != 0 {
				t.Errorf("got %d documents, want none", len(docs))
			}
			if len(problems) != 1 || problems[0].Cause != CauseYAMLSyntax || !strings.Contains(problems[0].Message, "exceeded max depth") {
				t.Fatalf("got %v, want one yaml-syntax problem about depth", problems)
			}
			if problems[0].Pos.File != "deep.yaml" || problems[0].Pos.Line != 1 {
				t.Errorf("position %v, want deep.yaml:1", problems[0].Pos)
			}
			k := parseKustomization("kustomization.yaml", []byte(tc.in))
			if k.Node != nil || len(k.Problems) != 1 || k.Problems[0].Cause != CauseYAMLSyntax {
				t.Errorf("parseKustomization: node=%v problems=%v", k.Node != nil, k.Problems)
			}
			if _, probs := ParseJSON6902("p.yaml", []byte(tc.in)); len(probs) != 1 || probs[0].Cause != CauseInvalidPatch {
				t.Errorf("ParseJSON6902: %v", probs)
			}
		})
	}
}

// Nesting below the decoder's limit parses, and walking it for duplicate
// keys does not overflow the stack.
func TestDuplicateKeysDeepButValid(t *testing.T) {
	const depth = 5000
	in := strings.Repeat("{a: ", depth) + "{b: 1, b: 2}" + strings.Repeat("}", depth)
	docs, problems := ParseYAML("f.yaml", []byte(in))
	if len(docs) != 1 {
		t.Fatalf("docs=%d problems=%v", len(docs), problems)
	}
	if len(problems) != 1 || problems[0].Cause != CauseDuplicateKey || problems[0].Pos.Line != 1 || problems[0].Pos.Column != 4*depth+8 {
		t.Errorf("got %v, want one duplicate key at 1:%d", problems, 4*depth+8)
	}
}

func TestLookup(t *testing.T) {
	docs, problems := ParseYAML("f.yaml", []byte(`apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  labels:
    app: web
data:
  list: [1, 2]
  empty:
`))
	if len(problems) != 0 || len(docs) != 1 {
		t.Fatal(problems)
	}
	doc := docs[0]
	top := doc.Content[0]
	seq := &yaml.Node{Kind: yaml.SequenceNode}

	lookups := []struct {
		name     string
		node     *yaml.Node
		key      string
		wantKey  string // "" when not found
		keyLine  int
		keyCol   int
		valueTag string
	}{
		{"document node", doc, "kind", "kind", 2, 1, "!!str"},
		{"mapping node", top, "metadata", "metadata", 3, 1, "!!map"},
		{"missing key", doc, "spec", "", 0, 0, ""},
		{"nil node", nil, "kind", "", 0, 0, ""},
		{"not a mapping", seq, "kind", "", 0, 0, ""},
		{"empty document", &yaml.Node{Kind: yaml.DocumentNode}, "kind", "", 0, 0, ""},
		{"keys match exactly", doc, "Kind", "", 0, 0, ""},
	}
	for _, tc := range lookups {
		t.Run("Lookup/"+tc.name, func(t *testing.T) {
			k, v := Lookup(tc.node, tc.key)
			if tc.wantKey == "" {
				if k != nil || v != nil {
					t.Errorf("got %v, %v, want nils", k, v)
				}
				return
			}
			if k == nil || v == nil {
				t.Fatalf("not found")
			}
			if k.Value != tc.wantKey || k.Line != tc.keyLine || k.Column != tc.keyCol || v.Tag != tc.valueTag {
				t.Errorf("got key %q at %d:%d value tag %s", k.Value, k.Line, k.Column, v.Tag)
			}
		})
	}

	paths := []struct {
		name      string
		keys      []string
		ok        bool
		value     string // scalar value, when ok
		line, col int    // of the value node, when found
		isScalar  bool
	}{
		{"one key", []string{"kind"}, true, "ConfigMap", 2, 7, true},
		{"nested", []string{"metadata", "name"}, true, "cm", 4, 9, true},
		{"three levels", []string{"metadata", "labels", "app"}, true, "web", 6, 10, true},
		{"missing leaf", []string{"metadata", "namespace"}, false, "", 0, 0, false},
		{"missing middle", []string{"spec", "replicas"}, false, "", 0, 0, false},
		{"through a scalar", []string{"kind", "name"}, false, "", 0, 0, false},
		{"through a sequence", []string{"data", "list", "x"}, false, "", 0, 0, false},
		{"not a scalar", []string{"metadata", "labels"}, true, "", 6, 5, false}, // a mapping starts at its first key
		{"sequence is not a scalar", []string{"data", "list"}, true, "", 8, 9, false},
		{"null value is a scalar", []string{"data", "empty"}, true, "", 9, 9, true},
	}
	for _, tc := range paths {
		t.Run("LookupPath/"+tc.name, func(t *testing.T) {
			k, v := LookupPath(doc, tc.keys...)
			if !tc.ok {
				if k != nil || v != nil {
					t.Errorf("got %v, %v, want nils", k, v)
				}
				return
			}
			if k == nil || v == nil {
				t.Fatal("not found")
			}
			if k.Value != tc.keys[len(tc.keys)-1] {
				t.Errorf("key %q, want the last key", k.Value)
			}
			if v.Line != tc.line || v.Column != tc.col {
				t.Errorf("value at %d:%d, want %d:%d", v.Line, v.Column, tc.line, tc.col)
			}
		})
		t.Run("ScalarAt/"+tc.name, func(t *testing.T) {
			s, n, ok := ScalarAt(doc, tc.keys...)
			if ok != tc.isScalar || s != tc.value {
				t.Errorf("got %q, %v, want %q, %v", s, ok, tc.value, tc.isScalar)
			}
			if tc.ok && (n == nil || n.Line != tc.line) {
				t.Errorf("node %v, want the value node on line %d", n, tc.line)
			}
			if !tc.ok && n != nil {
				t.Errorf("node %v, want nil", n)
			}
		})
	}
	if k, v := LookupPath(doc); k != nil || v != doc {
		t.Errorf("LookupPath with no key: got %v, %v, want nil and the node itself", k, v)
	}
}

func TestPositionString(t *testing.T) {
	tests := []struct {
		pos  Position
		want string
		zero bool
	}{
		{Position{}, "", true},
		{Position{File: "a/k.yaml"}, "a/k.yaml", false},
		{Position{File: "a/k.yaml", Line: 3}, "a/k.yaml:3", false},
		{Position{File: "a/k.yaml", Line: 3, Column: 5}, "a/k.yaml:3:5", false},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.pos.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
			if tc.pos.IsZero() != tc.zero {
				t.Errorf("IsZero() = %v", !tc.zero)
			}
		})
	}
	p := Problem{Cause: CauseYAMLSyntax, Pos: Position{File: "f", Line: 2, Column: 1}, Message: "bad"}
	if p.Error() != "f:2:1: bad" {
		t.Errorf("Problem.Error() = %q", p.Error())
	}
	if got := At("f", nil); got != (Position{File: "f"}) {
		t.Errorf("At(nil) = %v", got)
	}
}
