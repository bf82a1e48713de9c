package kustomize

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/types"
)

const modernKustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
resources:
- ../base
- service.yaml
components:
- ../components/monitoring
patches:
- path: replicas.yaml
  target:
    group: apps
    version: v1
    kind: Deployment
    name: web
    namespace: prod
- target:
    kind: Service
    labelSelector: app=web
  patch: |-
    - op: replace
      path: /spec/type
      value: NodePort
- path: sm.yaml
`

const legacyKustomization = `bases:
- ../base
resources:
- extra.yaml
patchesJson6902:
- target:
    group: apps
    version: v1
    kind: Deployment
    name: web
  path: json.yaml
patchesStrategicMerge:
- sm.yaml
- |-
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    replicas: 2
`

func TestParseKustomizationFields(t *testing.T) {
	k := parseKustomization("overlays/prod/kustomization.yaml", []byte(modernKustomization))
	if len(k.Problems) != 0 {
		t.Fatalf("problems: %v", k.Problems)
	}
	if k.Dir != "overlays/prod" || k.File != "overlays/prod/kustomization.yaml" {
		t.Errorf("Dir=%q File=%q", k.Dir, k.File)
	}
	if k.Node == nil || k.Fields == nil {
		t.Fatalf("Node=%v Fields=%v", k.Node, k.Fields)
	}
	if fmt.Sprint(k.Fields.Resources) != "[../base service.yaml]" || fmt.Sprint(k.Fields.Components) != "[../components/monitoring]" {
		t.Errorf("Fields: resources %v components %v", k.Fields.Resources, k.Fields.Components)
	}
	if len(k.Fields.Patches) != 3 || k.Fields.Patches[0].Target.Name != "web" || k.Fields.Patches[1].Patch == "" {
		t.Errorf("Fields.Patches = %+v", k.Fields.Patches)
	}
	if k.IsComponent() {
		t.Error("a Kustomization is not a Component")
	}
	ns, pos, ok := k.Namespace()
	if !ok || ns != "prod" || pos != (Position{File: k.File, Line: 3, Column: 12}) {
		t.Errorf("Namespace() = %q, %v, %v", ns, pos, ok)
	}
	if key := k.FieldKey("patches"); key == nil || key.Line != 9 || key.Column != 1 {
		t.Errorf("FieldKey(patches) = %v", key)
	}
	if v := k.FieldValue("components"); v == nil || v.Line != 8 || len(v.Content) != 1 {
		t.Errorf("FieldValue(components) = %v", v)
	}
	if k.FieldKey("bases") != nil || k.FieldValue("bases") != nil {
		t.Error("FieldKey/FieldValue of an absent field must be nil")
	}

	got := refStrings(k.Refs())
	want := []string{
		"resources ../base 5:3",
		"resources service.yaml 6:3",
		"components ../components/monitoring 8:3",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Refs() = %v, want %v", got, want)
	}

	patches := k.Patches()
	if len(patches) != 3 {
		t.Fatalf("Patches() returned %d entries: %+v", len(patches), patches)
	}
	p0 := patches[0]
	if p0.Field != "patches" || p0.Path != "replicas.yaml" || p0.Inline != "" ||
		p0.Pos != (Position{File: k.File, Line: 10, Column: 3}) ||
		p0.PathPos != (Position{File: k.File, Line: 10, Column: 9}) || !p0.InlinePos.IsZero() {
		t.Errorf("patch 0 = %+v", p0)
	}
	if tg := p0.Target; tg == nil || tg.Group != "apps" || tg.Version != "v1" || tg.Kind != "Deployment" || tg.Name != "web" || tg.Namespace != "prod" {
		t.Errorf("patch 0 target = %+v, want apps/v1 Deployment prod/web", p0.Target)
	}
	p1 := patches[1]
	if p1.Field != "patches" || p1.Path != "" || !p1.PathPos.IsZero() ||
		p1.Inline != "- op: replace\n  path: /spec/type\n  value: NodePort" ||
		p1.Pos != (Position{File: k.File, Line: 17, Column: 3}) ||
		p1.InlinePos != (Position{File: k.File, Line: 20, Column: 10}) || p1.InlineNode == nil {
		t.Errorf("patch 1 = %+v", p1)
	}
	if p1.Target == nil || p1.Target.Kind != "Service" || p1.Target.LabelSelector != "app=web" {
		t.Errorf("patch 1 target = %+v", p1.Target)
	}
	p2 := patches[2]
	if p2.Path != "sm.yaml" || p2.Target != nil || p2.PathPos != (Position{File: k.File, Line: 24, Column: 9}) {
		t.Errorf("patch 2 = %+v", p2)
	}
}

func refStrings(refs []Ref) []string {
	var out []string
	for _, r := range refs {
		out = append(out, fmt.Sprintf("%s %s %d:%d", r.Field, r.Value, r.Pos.Line, r.Pos.Column))
		if r.Pos.File == "" {
			out = append(out, "NO FILE")
		}
	}
	return out
}

func patchStrings(ps []PatchRef) []string {
	var out []string
	for _, p := range ps {
		s := fmt.Sprintf("%s pos=%d:%d", p.Field, p.Pos.Line, p.Pos.Column)
		if p.Path != "" {
			s += fmt.Sprintf(" path=%s@%d:%d", p.Path, p.PathPos.Line, p.PathPos.Column)
		}
		if p.Inline != "" {
			s += fmt.Sprintf(" inline@%d:%d", p.InlinePos.Line, p.InlinePos.Column)
		}
		if p.Target != nil {
			s += " target=" + p.Target.Kind + "/" + p.Target.Name
		}
		out = append(out, s)
	}
	return out
}

func TestParseKustomizationLegacy(t *testing.T) {
	k := parseKustomization("o/kustomization.yaml", []byte(legacyKustomization))
	if len(k.Problems) != 0 {
		t.Fatalf("problems: %v", k.Problems)
	}
	if k.Fields == nil {
		t.Fatal("Fields is nil")
	}
	// FixKustomization moves bases into resources, as kustomize does.
	if fmt.Sprint(k.Fields.Resources) != "[extra.yaml ../base]" || len(k.Fields.Bases) != 0 {
		t.Errorf("Fields.Resources = %v, Bases = %v", k.Fields.Resources, k.Fields.Bases)
	}
	// Refs keeps the file's fields: resources first, then bases.
	wantRefs := []string{"resources extra.yaml 4:3", "bases ../base 2:3"}
	if got := refStrings(k.Refs()); fmt.Sprint(got) != fmt.Sprint(wantRefs) {
		t.Errorf("Refs() = %v, want %v", got, wantRefs)
	}
	// patchesStrategicMerge first, then patchesJson6902, whatever the order in the file.
	wantPatches := []string{
		"patchesStrategicMerge pos=13:3 path=sm.yaml@13:3",
		"patchesStrategicMerge pos=14:3 inline@14:3",
		"patchesJson6902 pos=6:3 path=json.yaml@11:9 target=Deployment/web",
	}
	ps := k.Patches()
	if got := patchStrings(ps); fmt.Sprint(got) != fmt.Sprint(wantPatches) {
		t.Errorf("Patches() =\n%v\nwant\n%v", strings.Join(got, "\n"), strings.Join(wantPatches, "\n"))
	}
	if len(ps) == 3 {
		if !strings.HasPrefix(ps[1].Inline, "apiVersion: apps/v1\nkind: Deployment\n") || ps[1].Target != nil {
			t.Errorf("inline strategic merge patch = %q, target %v", ps[1].Inline, ps[1].Target)
		}
		if ps[2].Target.Group != "apps" || ps[2].Target.Version != "v1" {
			t.Errorf("patchesJson6902 target = %+v", ps[2].Target)
		}
	}
}

func TestPatchesOrder(t *testing.T) {
	src := `patches:
- path: c.yaml
patchesJson6902:
- path: b.yaml
  target: {kind: Deployment, name: x}
patchesStrategicMerge:
- a.yaml
- "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
- inline-kind.yaml
- 'kind: ConfigMap'
`
	k := parseKustomization("kustomization.yaml", []byte(src))
	if len(k.Problems) != 0 {
		t.Fatalf("problems: %v", k.Problems)
	}
	want := []string{
		"patchesStrategicMerge pos=7:3 path=a.yaml@7:3",
		"patchesStrategicMerge pos=8:3 inline@8:3",
		"patchesStrategicMerge pos=9:3 path=inline-kind.yaml@9:3",
		"patchesStrategicMerge pos=10:3 inline@10:3",
		"patchesJson6902 pos=4:3 path=b.yaml@4:9 target=Deployment/x",
		"patches pos=2:3 path=c.yaml@2:9",
	}
	if got := patchStrings(k.Patches()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Patches() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseKustomizationComponent(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		component bool
	}{
		{"component", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- cm.yaml\n", true},
		{"kustomization", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n", false},
		{"no kind", "resources:\n- a.yaml\n", false},
		{"kind is not a scalar", "kind: [Component]\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := parseKustomization("c/kustomization.yaml", []byte(tc.src))
			if k.IsComponent() != tc.component {
				t.Errorf("IsComponent() = %v, want %v", !tc.component, tc.component)
			}
		})
	}
}

func TestNamespace(t *testing.T) {
	tests := []struct {
		name string
		src  string
		ns   string
		pos  Position
		ok   bool
	}{
		{"set", "resources:\n- a.yaml\nnamespace: team-a\n", "team-a", Position{File: "k.yaml", Line: 3, Column: 12}, true},
		{"quoted", "namespace:   \"team-b\"\n", "team-b", Position{File: "k.yaml", Line: 1, Column: 14}, true},
		{"absent", "resources: []\n", "", Position{}, false},
		{"empty", "namespace: \"\"\n", "", Position{}, false},
		{"null", "namespace:\n", "", Position{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := parseKustomization("k.yaml", []byte(tc.src))
			ns, pos, ok := k.Namespace()
			if ns != tc.ns || pos != tc.pos || ok != tc.ok {
				t.Errorf("Namespace() = %q, %v, %v, want %q, %v, %v", ns, pos, ok, tc.ns, tc.pos, tc.ok)
			}
		})
	}
}

func TestRefs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"resources then bases then components, whatever the file order",
			"components:\n- ../c\nbases:\n- ../b\nresources:\n- r.yaml\n- ../r\n",
			[]string{"resources r.yaml 6:3", "resources ../r 7:3", "bases ../b 4:3", "components ../c 2:3"}},
		{"flow sequence", "resources: [a.yaml, \"b.yaml\"]\n", []string{"resources a.yaml 1:13", "resources b.yaml 1:21"}},
		{"a string instead of a list is kept", "bases: ./latest\n", []string{"bases ./latest 1:8"}},
		{"non-scalar entries are skipped", "resources:\n- a.yaml\n- {path: b}\n- c.yaml\n", []string{"resources a.yaml 2:3", "resources c.yaml 4:3"}},
		{"null field", "resources:\n", nil},
		{"mapping field", "resources: {a: b}\n", nil},
		{"remote entries are refs too", "resources:\n- github.com/org/repo//x?ref=main\n", []string{"resources github.com/org/repo//x?ref=main 2:3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := parseKustomization("k.yaml", []byte(tc.src))
			if got := refStrings(k.Refs()); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("Refs() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseKustomizationProblems(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		kind      Cause
		pos       Position
		message   []string // substrings
		hasNode   bool
		hasFields bool
	}{
		{"unknown field base first", "base:\n- ../x\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 1, Column: 1},
			[]string{`unknown kustomization field "base"`, "did you mean resources?", "kustomize refuses the file"}, true, false},
		{"unknown field base later", "resources:\n- a.yaml\nbase:\n- ../x\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 3, Column: 1},
			[]string{`unknown kustomization field "base"`, "did you mean resources?"}, true, false},
		{"unknown field other", "resources:\n- a.yaml\n\ncommonLabel:\n  app: x\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 4, Column: 1},
			[]string{`unknown kustomization field "commonLabel"`}, true, false},
		// kustomize decodes through JSON, whose field names ignore case.
		{"field names ignore case", "nameprefix: x-\nNAMESPACE: prod\n", anyCause, Position{}, nil, true, true},
		{"wrong type of a field spelled in upper case", "nameprefix: x-\nNAMESPACE: y\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 2, Column: 12}, // y is a YAML 1.1 bool to kustomize
			[]string{`field "NAMESPACE" has the wrong type`, "of type string"}, true, false},
		{"nameReference is not a kustomization field", "resources: []\nnameReference:\n- kind: X\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 2, Column: 1},
			[]string{`unknown kustomization field "nameReference"`}, true, false},
		{"bases is a string", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nbases: ./latest\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 3, Column: 8},
			[]string{`field "bases" has the wrong type`, "[]string", "kustomize refuses the file"}, true, false},
		{"resources is a string", "resources: ./latest\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 1, Column: 12},
			[]string{`field "resources" has the wrong type`}, true, false},
		{"namespace is a list", "namespace: [a]\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 1, Column: 12},
			[]string{`field "namespace" has the wrong type`}, true, false},
		{"a list", "- a.yaml\n- b.yaml\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 1, Column: 1},
			[]string{"a kustomization must be a YAML mapping"}, false, false},
		{"a scalar", "hello\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 1, Column: 1},
			[]string{"a kustomization must be a YAML mapping"}, false, false},
		{"a list after a comment", "# resources\n- a.yaml\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 2, Column: 1},
			[]string{"a kustomization must be a YAML mapping"}, false, false},
		{"several documents", "resources:\n- a\n---\nresources:\n- b\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 3, Column: 1}, // at the separator
			[]string{"holds one YAML document; this one holds several"}, true, true},
		{"syntax error", "resources:\n- a\n  b: [\n", CauseYAMLSyntax,
			Position{File: "d/kustomization.yaml", Line: 3},
			[]string{"YAML does not parse"}, false, false},
		{"unknown kind", "kind: Kustomisation\nresources:\n- a\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 1, Column: 7},
			[]string{"kind should be Kustomization or Component; kustomize refuses the file"}, true, true},
		{"component with the kustomization apiVersion", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Component\nresources:\n- a\n", CauseInvalidKustomization,
			Position{File: "d/kustomization.yaml", Line: 1, Column: 13},
			[]string{"apiVersion for Component should be kustomize.config.k8s.io/v1alpha1"}, true, true},
		{"duplicate field", "resources:\n- a\nresources:\n- b\n", CauseDuplicateKey,
			Position{File: "d/kustomization.yaml", Line: 3, Column: 1},
			[]string{`key "resources" is given twice (first on line 1)`}, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := parseKustomization("d/kustomization.yaml", []byte(tc.src))
			if tc.kind == anyCause {
				if len(k.Problems) != 0 || k.Fields == nil || k.Fields.NamePrefix != "x-" || k.Fields.Namespace != "prod" {
					t.Errorf("problems %v fields %+v", k.Problems, k.Fields)
				}
				return
			}
			if len(k.Problems) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(k.Problems), k.Problems)
			}
			p := k.Problems[0]
			if p.Cause != tc.kind || p.Pos != tc.pos {
				t.Errorf("got %s at %v, want %s at %v (%s)", p.Cause, p.Pos, tc.kind, tc.pos, p.Message)
			}
			for _, m := range tc.message {
				if !strings.Contains(p.Message, m) {
					t.Errorf("message %q does not contain %q", p.Message, m)
				}
			}
			if (k.Node != nil) != tc.hasNode || (k.Fields != nil) != tc.hasFields {
				t.Errorf("Node=%v Fields=%v, want %v %v", k.Node != nil, k.Fields != nil, tc.hasNode, tc.hasFields)
			}
			// Accessors must work on a broken file.
			_ = k.Refs()
			_ = k.Patches()
			if k.IsComponent() != (tc.hasNode && strings.Contains(tc.src, "kind: Component")) {
				t.Errorf("IsComponent() = %v", k.IsComponent())
			}
		})
	}
}

// kustomize refuses a kustomization with nothing in it (TypeMeta aside).
func TestParseKustomizationEmpty(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		empty bool
	}{
		{"zero bytes", "", true},
		{"comment", "# nothing yet\n", true},
		{"separator", "---\n", true},
		{"BOM", "\xef\xbb\xbf", true},
		{"type meta only", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n", true},
		{"null field", "resources:\n", true},
		{"empty list is not empty", "resources: []\n", false},
		{"a namespace is enough", "namespace: x\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := parseKustomization("e/kustomization.yaml", []byte(tc.src))
			if k.Node == nil || k.Fields == nil {
				t.Fatalf("Node=%v Fields=%v, want a mapping and decoded fields", k.Node, k.Fields)
			}
			if !tc.empty {
				if len(k.Problems) != 0 {
					t.Errorf("problems: %v", k.Problems)
				}
				return
			}
			want := "invalid kustomization e/kustomization.yaml:1:1: the kustomization is empty; kustomize refuses it"
			if got := problemStrings(k.Problems); len(got) != 1 || !strings.HasPrefix(got[0], want) {
				t.Errorf("problems %v, want %q", got, want)
			}
			if len(k.Refs()) != 0 || len(k.Patches()) != 0 || k.IsComponent() {
				t.Error("an empty kustomization has no refs, no patches and is not a component")
			}
			if _, _, ok := k.Namespace(); ok {
				t.Error("an empty kustomization sets no namespace")
			}
		})
	}
}

func TestParseKustomizationBOMAndCRLF(t *testing.T) {
	src := "\xef\xbb\xbfresources:\r\n- a.yaml\r\nnamespace: x\r\n"
	k := parseKustomization("k.yaml", []byte(src))
	if len(k.Problems) != 0 || k.Fields == nil {
		t.Fatalf("problems: %v", k.Problems)
	}
	if got := refStrings(k.Refs()); fmt.Sprint(got) != "[resources a.yaml 2:3]" {
		t.Errorf("Refs() = %v", got)
	}
	if ns, pos, _ := k.Namespace(); ns != "x" || pos.Line != 3 || pos.Column != 12 {
		t.Errorf("Namespace() = %q at %v", ns, pos)
	}
}

func TestDeprecatedFieldReplacement(t *testing.T) {
	tests := []struct {
		field, want string
		ok          bool
	}{
		{"bases", "resources", true},
		{"patchesJson6902", "patches", true},
		{"patchesStrategicMerge", "patches", true},
		{"commonLabels", "labels", true},
		{"vars", "replacements", true},
		{"imageTags", "images", true},
		{"crds", "resources", true},
		{"resources", "", false},
		{"patches", "", false},
		{"Bases", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.field, func(t *testing.T) {
			got, ok := DeprecatedFieldReplacement(tc.field)
			if got != tc.want || ok != tc.ok {
				t.Errorf("DeprecatedFieldReplacement(%q) = %q, %v, want %q, %v", tc.field, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestInlineLine(t *testing.T) {
	src := `patches:
- target:
    kind: Deployment
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 3
- target:
    kind: Service
  patch: >
      - op: remove
        path: /spec/type
- target:
    kind: ConfigMap
  patch: '[{"op": "remove", "path": "/data"}]'
patchesStrategicMerge:
- |
  apiVersion: v1
  kind: ConfigMap
`
	k := parseKustomization("o/kustomization.yaml", []byte(src))
	if len(k.Problems) != 0 {
		t.Fatal(k.Problems)
	}
	ps := k.Patches()
	if len(ps) != 4 {
		t.Fatalf("got %d patches", len(ps))
	}
	byField := map[string][]PatchRef{}
	for _, p := range ps {
		byField[p.Field] = append(byField[p.Field], p)
	}
	literal, folded, quoted, sm := byField["patches"][0], byField["patches"][1], byField["patches"][2], byField["patchesStrategicMerge"][0]
	tests := []struct {
		name      string
		p         PatchRef
		line, col int
		want      Position
	}{
		{"literal line 1", literal, 1, 1, Position{File: "o/kustomization.yaml", Line: 5, Column: 5}},
		{"literal line 1 col 3", literal, 1, 3, Position{File: "o/kustomization.yaml", Line: 5, Column: 7}},
		{"literal line 2", literal, 2, 3, Position{File: "o/kustomization.yaml", Line: 6, Column: 7}},
		{"literal line 3 value", literal, 3, 10, Position{File: "o/kustomization.yaml", Line: 7, Column: 14}},
		{"folded block, deeper indentation", folded, 1, 3, Position{File: "o/kustomization.yaml", Line: 11, Column: 9}},
		{"folded line 2", folded, 2, 9, Position{File: "o/kustomization.yaml", Line: 12, Column: 15}},
		{"quoted scalar maps to its start", quoted, 1, 12, Position{File: "o/kustomization.yaml", Line: 15, Column: 10}},
		{"strategic merge literal", sm, 2, 1, Position{File: "o/kustomization.yaml", Line: 19, Column: 3}},
		{"no inline node", PatchRef{InlinePos: Position{File: "x", Line: 4, Column: 2}}, 3, 3, Position{File: "x", Line: 4, Column: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.InlineLine(tc.line, tc.col); got != tc.want {
				t.Errorf("InlineLine(%d, %d) = %v, want %v", tc.line, tc.col, got, tc.want)
			}
		})
	}
}

// knownFields must be exactly the fields kustomize decodes, or a problem
// would blame the wrong key.
func TestKnownFieldsMatchKustomize(t *testing.T) {
	want := map[string]bool{}
	var walk func(rt reflect.Type)
	walk = func(rt reflect.Type) {
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				walk(f.Type)
				continue
			}
			if name != "" && name != "-" {
				want[strings.ToLower(name)] = true
			}
		}
	}
	walk(reflect.TypeOf(types.Kustomization{}))
	if len(want) < 30 {
		t.Fatalf("only %d fields found in types.Kustomization", len(want))
	}
	for f := range want {
		if !knownFields[f] {
			t.Errorf("kustomize decodes %q, knownFields misses it", f)
		}
	}
	for f := range knownFields {
		if !want[f] {
			t.Errorf("knownFields holds %q, which kustomize does not decode", f)
		}
	}
}
