package kustomize

import (
	"strings"
	"testing"
)

// yamlSeeds are inputs of the YAML tables, good and broken.
var yamlSeeds = []string{
	"",
	"a: 1\nb: 2\n",
	"a: 1\n---\nb: 2\n",
	"---\n---\na: 1\n---\n---\nb: 2\n---\n",
	"~\n---\n# only a comment\n---\nnull\n---\nc: 3\n",
	"\xef\xbb\xbfa: 1\r\nb:\r\n  c: 2\r\n",
	"a: 1\nb: [1, 2\nc: 3\n",
	"a: 1\nb: {x: 1\nc: 3\n",
	"a:\n  b: 1\n c: 2\n",
	"a: b: c\n",
	"a: 1\nb: \"x\n",
	"a:\n\tb: 1\n",
	"a:\n  b: 1\n\tc: 2\n",
	"a: 1\nb: !x!y 1\n",
	"%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
	"a: 1\nb: \xff\xfe\n",
	"a: 1\nb: x\x01\n",
	"a: 1\nb: 2\nc: \x00\n",
	"a: 1\nb:\n  c: 1\n  c: 2\n",
	"base: &b {x: 1}\nm:\n  <<: *b\n  <<: *b\n",
	"a: *nope\n",
	"a: &a [*a]\n",
	"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
	"- - - - - - - - x\n",
	"a: |-\n  literal\n  block\nb: >\n  folded\n",
	billionLaughs(10, 10),
}

var kustomizationSeeds = []string{
	modernKustomization,
	legacyKustomization,
	inlinePatchKustomization,
	"base:\n- ../x\n",
	"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nbases: ./latest\n",
	"apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- a\n",
	"namespace: [a]\n",
	"- a.yaml\n- b.yaml\n",
	"resources:\n- a\n---\nresources:\n- b\n",
	"nameprefix: x-\nNAMESPACE: y\n",
	"patchesStrategicMerge:\n- a.yaml\n- \"apiVersion: v1\\nkind: ConfigMap\\n\"\n",
	"patches:\n- target: {kind: X}\n  patch: |-\n    - op: [\n",
	"patches:\n- patch: '[{\"op\": \"remove\", \"path\": \"x\"}]'\n",
	"configMapGenerator:\n- name: c\n  files:\n  - k=https://example.com/f\n",
	"resources:\n- github.com/org/repo//x?ref=main\n",
}

var json6902Seeds = []string{
	"- op: replace\n  path: /spec/replicas\n  value: 3\n",
	"[\n  {\"op\": \"remove\", \"path\": \"/spec/x\"},\n  {\"op\": \"move\", \"from\": \"/a\", \"path\": \"/b\"}\n]\n",
	"[]\n",
	"apiVersion: v1\nkind: ConfigMap\n",
	"- op: bogus\n  path: /x\n",
	"- op: remove\n",
	"- op: remove\n  path: spec/x\n",
	"- op: replace\n  path: /a\n",
	"- op: move\n  path: /b\n",
	"- remove /b\n",
	"- {op: add, path: /a, value: [1, 2]}\n",
	"- op: add\n  op: remove\n  path: /x\n",
	"- op: replace\n  path: [/spec\n",
}

func seed(f *testing.F, sets ...[]string) {
	for _, set := range sets {
		for _, s := range set {
			f.Add([]byte(s))
		}
	}
}

// lines is how many lines data has as YAML counts them (CRLF, CR, LF, and
// for go-yaml NEL, LS and PS end a line), a last line without break included.
func lines(data []byte) int {
	s := strings.TrimPrefix(string(data), "\xef\xbb\xbf")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, b := range []string{"\r", "\u0085", "\u2028", "\u2029"} {
		s = strings.ReplaceAll(s, b, "\n")
	}
	n := strings.Count(s, "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}

func checkProblems(t *testing.T, file string, data []byte, problems []Problem, kinds ...Cause) {
	t.Helper()
	for _, p := range problems {
		if p.Pos.File != file {
			t.Errorf("problem %v names file %q, want %q", p, p.Pos.File, file)
		}
		if p.Pos.Line < 0 || p.Pos.Column < 0 {
			t.Errorf("problem %v has a negative position", p)
		}
		if max := lines(data); p.Pos.Line > max && max > 0 {
			t.Errorf("problem %v is past the last line (%d)", p, max)
		}
		if p.Message == "" {
			t.Errorf("problem %v has no message", p)
		}
		ok := false
		for _, k := range kinds {
			ok = ok || p.Cause == k
		}
		if !ok {
			t.Errorf("problem %v has cause %v, want one of %v", p, p.Cause, kinds)
		}
	}
}

func FuzzParseYAML(f *testing.F) {
	seed(f, yamlSeeds, kustomizationSeeds, json6902Seeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, problems := ParseYAML("f.yaml", data)
		checkProblems(t, "f.yaml", data, problems, CauseYAMLSyntax, CauseDuplicateKey)
		for _, d := range docs {
			if d == nil || len(d.Content) == 0 {
				t.Fatalf("an empty document was returned")
			}
			// Helpers must not panic on any document.
			Lookup(d, "a")
			LookupPath(d, "a", "b")
			ScalarAt(d, "kind")
		}
		IsJSON6902(data)
	})
}

func FuzzParseKustomization(f *testing.F) {
	seed(f, kustomizationSeeds, yamlSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "dir/kustomization.yaml"
		k := parseKustomization(file, data)
		if k.File != file || k.Dir != "dir" {
			t.Fatalf("File=%q Dir=%q", k.File, k.Dir)
		}
		checkProblems(t, file, data, k.Problems, CauseYAMLSyntax, CauseDuplicateKey, CauseInvalidKustomization)
		if k.Node == nil && k.Fields != nil {
			t.Errorf("fields decoded from a file that does not parse")
		}
		for _, r := range k.Refs() {
			if r.Pos.File != file || r.Pos.Line < 1 {
				t.Errorf("ref %+v has no position", r)
			}
		}
		k.IsComponent()
		k.Namespace()
		for _, p := range k.Patches() {
			if p.Pos.File != file || p.Pos.Line < 1 {
				t.Errorf("patch %+v has no position", p)
			}
			if p.Inline == "" {
				continue
			}
			ops, problems := ParseInlineJSON6902(p)
			for _, pr := range problems {
				if pr.Pos.File != file || pr.Pos.Line < 0 || pr.Pos.Column < 0 {
					t.Errorf("inline patch problem %v is not in the kustomization", pr)
				}
			}
			for _, o := range ops {
				if o.Pos.File != file || o.Pos.Line < 1 {
					t.Errorf("inline op %+v is not in the kustomization", o)
				}
			}
		}
	})
}

func FuzzParseJSON6902(f *testing.F) {
	seed(f, json6902Seeds, yamlSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		ops, problems := ParseJSON6902("p.yaml", data)
		checkProblems(t, "p.yaml", data, problems, CauseInvalidPatch, CauseDuplicateKey)
		if len(ops) == 0 && len(problems) == 0 {
			t.Errorf("no op and no problem")
		}
		for _, o := range ops {
			if !validOps[o.Op] {
				t.Errorf("op %q returned as valid", o.Op)
			}
			if o.Path != "" && !strings.HasPrefix(o.Path, "/") {
				t.Errorf("path %q returned as valid", o.Path)
			}
			if o.Pos.File != "p.yaml" || o.Pos.Line < 1 || o.OpPos.Line < 1 || o.PathPos.Line < 1 {
				t.Errorf("op %+v lacks a position", o)
			}
			if (o.Op == "add" || o.Op == "replace" || o.Op == "test") && o.Value == nil {
				t.Errorf("op %q returned without value", o.Op)
			}
			SplitPointer(o.Path)
			o.ValueString()
		}
	})
}

// anyCause stands, in a table of expected causes, for no cause at all: a
// file accepted, or any verdict.
const anyCause Cause = -1
