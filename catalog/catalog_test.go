package catalog

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/kustomize"
)

func loadFixture(t *testing.T, dir string) *Catalog {
	t.Helper()
	c, err := Load(context.Background(), dir, Options{})
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
	if _, err := Load(context.Background(), "testdata/does-not-exist", Options{}); err == nil {
		t.Fatal("want an error for a missing root")
	}
	f, err := os.CreateTemp(t.TempDir(), "file")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Load(context.Background(), f.Name(), Options{}); err == nil {
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
	quick, err := Load(context.Background(), "testdata/simple", Options{NoBuild: true})
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

// layoutTree is a catalog with the layouts real catalogs use: <op>/base
// beside <op>/overlays, <group>/<op>/operator/..., components/operators/
// <op>/... with aggregate and instance folders, a base with several
// Subscriptions, two bases in one folder, an overlay name given twice, a
// Subscription no kustomization uses and a Helm chart.
func layoutTree() *kustomize.Tree {
	sub := func(name string) string {
		return "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: " + name + "\n  namespace: openshift-operators\nspec:\n  channel: stable\n  name: " + name + "\n  source: s\n  sourceNamespace: ns\n"
	}
	channel := func(base, ch string) string {
		return "resources:\n  - " + base + "\npatches:\n  - target:\n      kind: Subscription\n    patch: |-\n      - op: replace\n        path: /spec/channel\n        value: " + ch + "\n"
	}
	return kustomize.NewTreeFromMap(map[string]string{
		// <op>/base + <op>/overlays
		"plain/base/kustomization.yaml":        "resources:\n  - sub.yaml\n",
		"plain/base/sub.yaml":                  sub("plain"),
		"plain/overlays/kustomization.yaml":    "resources:\n  - v1\n",
		"plain/overlays/v1/kustomization.yaml": channel("../../base", "v1"),
		// <group>/<op>/operator/...
		"grp/es/operator/base/kustomization.yaml":           "resources:\n  - sub.yaml\n",
		"grp/es/operator/base/sub.yaml":                     sub("es"),
		"grp/es/operator/overlays/v2/kustomization.yaml":    channel("../../base", "v2"),
		"grp/es/operator/overlays/v3/kustomization.yaml":    channel("../../base", "v3"),
		"grp/es/operands/kustomization.yaml":                "resources:\n  - cr.yaml\n",
		"grp/es/operands/cr.yaml":                           "apiVersion: x/v1\nkind: X\nmetadata:\n  name: x\n",
		"grp/es/operator/overlays/v3-ha/kustomization.yaml": "resources:\n  - ../v3\ncommonLabels:\n  ha: \"true\"\n",
		// components/operators/<op>/ with aggregates, instances and a base
		// of several Subscriptions
		"components/operators/odf/operator/base/kustomization.yaml":                 "resources:\n  - sub.yaml\n",
		"components/operators/odf/operator/base/sub.yaml":                           sub("mcg") + "---\n" + sub("ocs"),
		"components/operators/odf/operator/overlays/stable-4.15/kustomization.yaml": channel("../../base", "stable-4.15"),
		"components/operators/odf/instance/overlays/default/kustomization.yaml":     "resources:\n  - cr.yaml\n",
		"components/operators/odf/instance/overlays/default/cr.yaml":                "apiVersion: x/v1\nkind: X\nmetadata:\n  name: x\n",
		"components/operators/odf/aggregate/overlays/default/kustomization.yaml":    "resources:\n  - ../../../operator/overlays/stable-4.15\n  - ../../../instance/overlays/default\n",
		// two bases in one folder: x/base and x/operator/base
		"two/base/kustomization.yaml":                   "resources:\n  - sub.yaml\n",
		"two/base/sub.yaml":                             sub("two-a"),
		"two/operator/base/kustomization.yaml":          "resources:\n  - sub.yaml\n",
		"two/operator/base/sub.yaml":                    sub("two-b"),
		"two/operator/overlays/fast/kustomization.yaml": channel("../../base", "fast"),
		// an overlay name given twice
		"dup/base/kustomization.yaml":               "resources:\n  - sub.yaml\n",
		"dup/base/sub.yaml":                         sub("dup"),
		"dup/overlays/eus/kustomization.yaml":       channel("../../base", "eus"),
		"dup/extra/overlays/eus/kustomization.yaml": channel("../../../base", "eus-2"),
		// a Subscription no kustomization uses, and a chart template
		"loose/subscription.yaml":           sub("loose"),
		"chart/Chart.yaml":                  "name: chart\n",
		"chart/templates/subscription.yaml": sub("{{ .Values.name }}"),
	})
}

func TestClassifyLayouts(t *testing.T) {
	c := FromTree(layoutTree(), Options{})
	type want struct {
		name, base, packages, overlays, variants string
	}
	tests := map[string]want{
		"plain":                    {"plain", "plain/base", "plain", "v1", ""},
		"grp/es":                   {"es", "grp/es/operator/base", "es", "v2,v3", "operator/overlays/v3-ha"},
		"components/operators/odf": {"odf", "components/operators/odf/operator/base", "mcg,ocs", "stable-4.15", "aggregate/overlays/default"},
		"two":                      {"two", "two/base", "two-a", "", ""},
		"two/operator":             {"two", "two/operator/base", "two-b", "fast", ""},
		"dup":                      {"dup", "dup/base", "dup", "eus,eus", ""},
	}
	got := map[string]*Operator{}
	for _, op := range c.Operators {
		got[op.Dir] = op
	}
	if len(got) != len(tests) {
		t.Errorf("operators %v, want %d", c.List(), len(tests))
	}
	names := func(list []*Overlay) string {
		var out []string
		for _, ov := range list {
			out = append(out, ov.Name)
		}
		return strings.Join(out, ",")
	}
	for dir, w := range tests {
		op := got[dir]
		if op == nil {
			t.Errorf("%s: no operator", dir)
			continue
		}
		g := want{op.Name, op.Base.Dir, strings.Join(op.Packages(), ","), names(op.Overlays), names(op.Variants)}
		if g != w {
			t.Errorf("%s:\n got %+v\nwant %+v", dir, g, w)
		}
	}
	if op := got["dup"]; op != nil && (op.Overlay("eus") != nil || len(op.OverlaysNamed("eus")) != 2) {
		t.Errorf("an overlay name given twice must not resolve to one of them")
	}
	if op := got["components/operators/odf"]; op != nil && len(op.Overlays) == 1 {
		subs := op.Overlays[0].Subscriptions
		if len(subs) != 2 || subs[1].Channel.Value != "stable-4.15" || subs[1].Package.Value != "ocs" {
			t.Errorf("every Subscription of the base is traced in the overlay: %+v", subs)
		}
	}
	if len(c.Unused) != 1 || c.Unused[0].File != "loose/subscription.yaml" || c.Unused[0].Name != "loose" || c.Unused[0].Pos.Line != 2 {
		t.Errorf("unused Subscriptions: %+v, want the one in loose/subscription.yaml (not the chart template)", c.Unused)
	}
	if d := c.ChartDir("chart/templates/subscription.yaml"); d != "chart" {
		t.Errorf("ChartDir = %q, want chart", d)
	}
}

// TestLinkedOperatorIsOne: a folder link inside the catalog is another path
// to the same operator, listed once under its real path with the link as
// an alias, and found by either path.
func TestLinkedOperatorIsOne(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS("testdata/simple")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(root+"/components/operators", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../mq", root+"/components/operators/mq-link"); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
	c := loadFixture(t, root)
	if len(c.Operators) != 1 {
		t.Fatalf("operators %v, want mq once", c.List())
	}
	op := c.Operators[0]
	if op.Dir != "mq" || strings.Join(op.Aliases, ",") != "components/operators/mq-link" || len(op.Overlays) != 3 {
		t.Errorf("operator %s, aliases %v, %d overlays; want mq, [components/operators/mq-link], 3", op.Dir, op.Aliases, len(op.Overlays))
	}
	if got := c.Operator("components/operators/mq-link"); got != op {
		t.Errorf("Operator(link path) = %v, want mq", got)
	}
	if got := c.OperatorOf("components/operators/mq-link/operator/overlays/v1.8"); got != op {
		t.Errorf("OperatorOf(a folder through the link) = %v, want mq", got)
	}
	if n := c.Kustomizations["components/operators/mq-link/operator/base"]; n == nil || n.RealDir != "mq/operator/base" || n.Role != RoleOther {
		t.Errorf("the link path of the base: %+v, want RealDir mq/operator/base and no role of its own", n)
	}
}
