package catalog

import (
	"os"
	"testing"

	"github.com/opcat-dev/opcat/lib/kustomize"
)

func loadFixture(t *testing.T, dir string) *Catalog {
	t.Helper()
	c, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestProvenance checks each rendered value of the fixture's overlays and
// the position of the text that set it: base field, patch file op, inline
// patch op, strategic-merge patch, component, kustomization namespace.
func TestProvenance(t *testing.T) {
	c := loadFixture(t, "testdata/simple")
	op := c.Operator("mq")
	if op == nil {
		t.Fatalf("operator mq not found; operators: %v", c.List())
	}
	type want struct{ value, pos string }
	tests := []struct {
		overlay string
		field   func(*Subscription) Value
		name    string
		want    want
	}{
		{"v1.8", func(s *Subscription) Value { return s.Channel }, "channel", want{"v1.8", "mq/operator/overlays/v1.8/patch-channel.yaml:3:10"}},
		{"v1.8", func(s *Subscription) Value { return s.StartingCSV }, "startingCSV", want{"ibm-mq.v1.8.0", "mq/operator/overlays/v1.8/patch-channel.yaml:6:10"}},
		{"v1.8", func(s *Subscription) Value { return s.Namespace }, "namespace", want{"openshift-operators", "mq/operator/base/subscription.yaml:5:14"}},
		{"v1.8", func(s *Subscription) Value { return s.Package }, "package", want{"ibm-mq", "mq/operator/base/subscription.yaml:9:9"}},
		{"v1.9", func(s *Subscription) Value { return s.Channel }, "channel", want{"v1.9", "mq/operator/overlays/v1.9/kustomization.yaml:11:16"}},
		{"v1.9", func(s *Subscription) Value { return s.Namespace }, "namespace", want{"mq", "mq/operator/overlays/v1.9/kustomization.yaml:3:12"}},
		{"v1.9", func(s *Subscription) Value { return s.StartingCSV }, "startingCSV", want{"", ""}},
		{"v2.0", func(s *Subscription) Value { return s.Channel }, "channel", want{"v2.0", "mq/operator/overlays/v2.0/subscription-patch.yaml:7:12"}},
		{"v2.0", func(s *Subscription) Value { return s.StartingCSV }, "startingCSV", want{"ibm-mq.v2.0.1", "mq/operator/overlays/v2.0/subscription-patch.yaml:8:16"}},
		{"v2.0", func(s *Subscription) Value { return s.InstallPlanApproval }, "installPlanApproval", want{"Manual", "mq/operator/base/subscription.yaml:8:24"}},
	}
	for _, tt := range tests {
		t.Run(tt.overlay+"/"+tt.name, func(t *testing.T) {
			ov := op.Overlay(tt.overlay)
			if ov == nil {
				t.Fatalf("overlay %s not found", tt.overlay)
			}
			v := tt.field(&ov.Subscription)
			pos := ""
			if v.Set {
				pos = v.Pos.String()
			}
			if v.Value != tt.want.value || pos != tt.want.pos {
				t.Errorf("got %q at %q, want %q at %q", v.Value, pos, tt.want.value, tt.want.pos)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	c := loadFixture(t, "testdata/simple")
	want := map[string]Role{
		"mq/operator/base":          RoleBase,
		"mq/operator/overlays":      RolePointer,
		"mq/operator/overlays/v1.8": RoleOverlay,
		"mq/operator/overlays/v1.9": RoleOverlay,
		"mq/operator/overlays/v2.0": RoleOverlay,
		"mq/operands":               RoleOther,
		"components/approval":       RoleComponent,
	}
	for dir, role := range want {
		n := c.Kustomizations[dir]
		if n == nil {
			t.Errorf("%s: not loaded", dir)
			continue
		}
		if n.Role != role {
			t.Errorf("%s: role %v, want %v", dir, n.Role, role)
		}
	}
	if len(c.Kustomizations) != len(want) {
		t.Errorf("loaded %d kustomizations, want %d", len(c.Kustomizations), len(want))
	}
	op := c.Operator("mq")
	if op.DefaultOverlay != "v1.9" || op.Pointer == nil || op.Pointer.Dir != "mq/operator/overlays" {
		t.Errorf("default overlay %q (pointer %v), want v1.9 from mq/operator/overlays", op.DefaultOverlay, op.Pointer)
	}
	if got := c.Kustomizations["components/approval"].Result; got.Err != nil || got.YAML() != nil {
		t.Errorf("a component is not built on its own; got %+v", got)
	}
}

func TestOperatorDir(t *testing.T) {
	tests := map[string]string{
		"cp4i-operators/event-streams/operator/base": "cp4i-operators/event-streams",
		"openshift-pipelines/base":                   "openshift-pipelines",
		"grafana-operator/base/operator":             "grafana-operator",
		"cp4i-operators":                             "cp4i-operators",
		"base":                                       "base",
	}
	for in, want := range tests {
		if got := operatorDir(in); got != want {
			t.Errorf("operatorDir(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOverlayName(t *testing.T) {
	tests := []struct{ op, dir, want string }{
		{"mq", "mq/operator/overlays/v1.8", "v1.8"},
		{"grafana-operator", "grafana-operator/overlays/example", "example"},
		{"x", "x/overlays/prod/eu", "prod/eu"},
		{"x", "x/install", "install"},
	}
	for _, tt := range tests {
		if got := overlayName(tt.op, tt.dir); got != tt.want {
			t.Errorf("overlayName(%q, %q) = %q, want %q", tt.op, tt.dir, got, tt.want)
		}
	}
}

func TestLoadMissingRoot(t *testing.T) {
	if _, err := Load("testdata/does-not-exist", Options{}); err == nil {
		t.Fatal("want an error for a missing root")
	}
	f, err := os.CreateTemp(t.TempDir(), "file")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Load(f.Name(), Options{}); err == nil {
		t.Fatal("want an error for a root that is a file")
	}
}

func TestOperatorLookup(t *testing.T) {
	sub := func(name string) string {
		return "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: " + name + "\nspec:\n  name: " + name + "\n  source: s\n  sourceNamespace: ns\n"
	}
	c := FromTree(kustomize.NewTreeFromMap(map[string]string{
		"mq/base/kustomization.yaml":   "resources:\n  - sub.yaml\n",
		"mq/base/sub.yaml":             sub("ibm-mq"),
		"a/mq/base/kustomization.yaml": "resources:\n  - sub.yaml\n",
		"a/mq/base/sub.yaml":           sub("other-mq"),
		"b/es/base/kustomization.yaml": "resources:\n  - sub.yaml\n",
		"b/es/base/sub.yaml":           sub("es"),
	}), Options{})
	tests := map[string]string{"mq": "mq", "a/mq": "a/mq", "./a/mq/": "a/mq", "es": "b/es", "b/es": "b/es", "nope": ""}
	for name, want := range tests {
		got := ""
		if op := c.Operator(name); op != nil {
			got = op.Dir
		}
		if got != want {
			t.Errorf("Operator(%q) = %q, want %q", name, got, want)
		}
	}
	if n := len(c.OperatorsNamed("mq")); n != 2 {
		t.Errorf("OperatorsNamed(mq) = %d operators, want 2", n)
	}
}

// TestNoBuild classifies like a full load, without building.
func TestNoBuild(t *testing.T) {
	full := loadFixture(t, "testdata/simple")
	quick, err := Load("testdata/simple", Options{NoBuild: true})
	if err != nil {
		t.Fatal(err)
	}
	for dir, n := range full.Kustomizations {
		q := quick.Kustomizations[dir]
		if q == nil || q.Role != n.Role {
			t.Errorf("%s: role %v without building, %v with", dir, q, n.Role)
		}
		if q != nil && (q.Result.Resources != nil || q.Result.Err != nil) {
			t.Errorf("%s was built", dir)
		}
	}
	if op := quick.Operator("mq"); op == nil || op.DefaultOverlay != "v1.9" || len(op.Overlays) != 3 {
		t.Errorf("operator mq without building: %+v", op)
	}
}
