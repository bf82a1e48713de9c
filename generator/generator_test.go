package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/diag"
	goldenfile "github.com/opcat-dev/opcat/lib/golden"
)

// readTree returns every file under root by slash path.
func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func apply(t *testing.T, p *Plan, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(false); err != nil {
		t.Fatal(err)
	}
}

// TestExampleCatalogGolden regenerates the example catalog and fails if a
// byte differs from the committed copy in testdata/example.
func TestExampleCatalogGolden(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root, Example: true})
	apply(t, p, err)
	got := readTree(t, root)
	golden := filepath.Join("testdata", "example")
	if goldenfile.Update() {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		for name, content := range got {
			f := filepath.Join(golden, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := readTree(t, golden)
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s differs from testdata/example (run with -update after review):\n%s", name, UnifiedDiff("want", "got", w, got[name]))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is generated but not in testdata/example", name)
		}
	}
}

func TestSecondRunChangesNothing(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root, Example: true})
	apply(t, p, err)
	before := readTree(t, root)
	p, err = Init(InitOptions{Root: root, Example: true})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		var b bytes.Buffer
		_ = p.Diff(&b)
		t.Fatalf("a second identical init plans changes:\n%s", b.String())
	}
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err = AddOverlay(c, OverlayOptions{Root: root, Operator: "event-streams", Channel: "v3.0", CSV: "ibm-eventstreams.v3.0.0", Default: true})
	apply(t, p, err)
	c, _ = catalog.Load(context.Background(), root, catalog.Options{})
	p, err = AddOverlay(c, OverlayOptions{Root: root, Operator: "event-streams", Channel: "v3.0", CSV: "ibm-eventstreams.v3.0.0", Default: true})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		var b bytes.Buffer
		_ = p.Diff(&b)
		t.Fatalf("a second identical add overlay plans changes:\n%s", b.String())
	}
	if after := readTree(t, root); len(after) != len(before)+2 {
		t.Errorf("add overlay should add exactly two files, got %d → %d", len(before), len(after))
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root, Example: true})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Diff(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "+++ b/event-streams/operator/overlays/v2.5/patch-channel.yaml") ||
		!strings.Contains(b.String(), "+  value: ibm-eventstreams.v2.5.1") {
		t.Errorf("diff does not show the new files:\n%s", b.String())
	}
	if files := readTree(t, root); len(files) != 0 {
		t.Errorf("planning wrote files: %v", files)
	}
}

func TestHandMadeFileIsNotOverwritten(t *testing.T) {
	root := t.TempDir()
	mine := filepath.Join(root, "mq", "operator", "base", "subscription.yaml")
	if err := os.MkdirAll(filepath.Dir(mine), 0o755); err != nil {
		t.Fatal(err)
	}
	const handMade = "# mine\napiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\n"
	if err := os.WriteFile(mine, []byte(handMade), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := AddOperator(OperatorOptions{Root: root, Package: "ibm-mq", Name: "mq", Channels: []string{"v3.0"}})
	if err != nil {
		t.Fatal(err)
	}
	var ce *ConflictError
	if err := p.Apply(false); !errors.As(err, &ce) || len(ce.Paths) != 1 || ce.Paths[0] != "mq/operator/base/subscription.yaml" {
		t.Fatalf("Apply without force: got %v, want a conflict on the hand-made file", err)
	}
	if b, _ := os.ReadFile(mine); string(b) != handMade {
		t.Fatalf("hand-made file changed without --force")
	}
	if files := readTree(t, root); len(files) != 1 {
		t.Errorf("a refused plan wrote files: %v", files)
	}
	if err := p.Apply(true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(mine); string(b) == handMade {
		t.Fatalf("--force did not replace the file")
	}
}

func TestAddOverlayKeepsComments(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root, Example: true})
	apply(t, p, err)
	pointer := filepath.Join(root, "event-streams/operator/overlays/kustomization.yaml")
	readme := filepath.Join(root, "event-streams/README.md")
	if err := os.WriteFile(pointer, []byte("# chosen by the platform team\nresources:\n  # the current production version\n  - ./v2.5 # since March\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(readme)
	handWritten := "\nWritten by hand: ask #platform before changing the default.\n"
	if err := os.WriteFile(readme, append(b, handWritten...), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err = AddOverlay(c, OverlayOptions{Root: root, Operator: "event-streams", Channel: "v3.0", CSV: "ibm-eventstreams.v3.0.0", Default: true})
	apply(t, p, err)
	got, _ := os.ReadFile(pointer)
	want := "# chosen by the platform team\nresources:\n  # the current production version\n  - ./v3.0 # since March\n"
	if string(got) != want {
		t.Errorf("pointer after add overlay:\n%s\nwant:\n%s", got, want)
	}
	got, _ = os.ReadFile(readme)
	if !strings.Contains(string(got), handWritten) || !strings.Contains(string(got), "| `v3.0` | v3.0 | ibm-eventstreams.v3.0.0 | yes |") {
		t.Errorf("README lost the hand-written text or lacks the new overlay:\n%s", got)
	}
}

// TestBuildCatalogFromNothing drives every generator, then checks that every
// kustomization builds and validation finds nothing above info.
func TestBuildCatalogFromNothing(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root, Title: "Platform operators"})
	apply(t, p, err)
	for _, o := range []OperatorOptions{
		{Package: "ibm-mq", Name: "mq", Group: "cp4i-operators", Source: "ibm-operator-catalog", Namespace: "mq",
			Channels: []string{"v3.0", "v3.1"}, CSVs: map[string]string{"v3.1": "ibm-mq.v3.1.0"}, Approval: "Manual"},
		{Package: "openshift-gitops-operator", Channels: []string{"gitops-1.12", "latest"}, Default: "gitops-1.12"},
		{Package: "strimzi-kafka-operator", Namespace: "kafka", InstallMode: "MultiNamespace", TargetNamespaces: []string{"kafka", "apps"},
			Source: "community-operators", Channels: []string{"strimzi-0.38.x"}, CSVs: map[string]string{"strimzi-0.38.x": "strimzi-cluster-operator.v0.38.0"}, Approval: "Manual"},
		{Package: "grafana-operator", Namespace: "grafana", InstallMode: "AllNamespaces", Source: "community-operators", Channels: []string{"v5"}},
	} {
		o.Root = root
		p, err := AddOperator(o)
		apply(t, p, err)
	}
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err = AddOverlay(c, OverlayOptions{Root: root, Operator: "mq", Channel: "v3.2", CSV: "ibm-mq.v3.2.0", Default: true})
	apply(t, p, err)
	c, err = catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Operators) != 4 {
		t.Fatalf("got %d operators, want 4", len(c.Operators))
	}
	for _, d := range c.Dirs() {
		if e := c.Kustomizations[d].Result.Err; e != nil {
			t.Errorf("%s does not build: %v", d, e)
		}
	}
	findings, err := lint.Run(context.Background(), c, lint.Config{}, lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Severity > diag.Info {
			t.Errorf("%s:%d:%d: %s [%s]", f.Path, f.Line, f.Column, f.Message, f.Rule)
		}
	}
	if mq := c.Operator("mq"); mq.DefaultOverlay != "v3.2" {
		t.Errorf("mq default overlay %q, want v3.2", mq.DefaultOverlay)
	}
}

func TestInputErrors(t *testing.T) {
	good := OperatorOptions{Package: "ibm-mq", Channels: []string{"v3.0"}}
	tests := []struct {
		name   string
		change func(*OperatorOptions)
		want   string
	}{
		{"bad package", func(o *OperatorOptions) { o.Package = "IBM_MQ" }, "not a valid OLM package name"},
		{"bad namespace", func(o *OperatorOptions) { o.Namespace = "my.ns" }, "not a valid namespace"},
		{"bad folder", func(o *OperatorOptions) { o.Name = "../escape" }, "cannot be a folder name"},
		{"bad group", func(o *OperatorOptions) { o.Group = "a/../../b" }, "cannot be a folder name"},
		{"no channel", func(o *OperatorOptions) { o.Channels = nil }, "at least one --channel"},
		{"bad channel", func(o *OperatorOptions) { o.Channels = []string{"v3 0"} }, `channel "v3 0" cannot name an overlay folder`},
		{"csv for channel not given", func(o *OperatorOptions) { o.CSVs = map[string]string{"v9": "ibm-mq.v9.0.0"} }, "not among the --channel values"},
		{"csv is no object name", func(o *OperatorOptions) { o.CSVs = map[string]string{"v3.0": "IBM_MQ.v3"} }, "cannot be the name of a ClusterServiceVersion"},
		{"default not a channel", func(o *OperatorOptions) { o.Default = "v4.0" }, "--default v4.0"},
		{"approval", func(o *OperatorOptions) { o.Approval = "automatic" }, "use Automatic or Manual"},
		{"install mode", func(o *OperatorOptions) { o.InstallMode = "Everything" }, "--install-mode"},
		{"own namespace in global", func(o *OperatorOptions) { o.InstallMode = "OwnNamespace" }, "global operators namespace"},
		{"multi without targets", func(o *OperatorOptions) { o.Namespace = "mq"; o.InstallMode = "MultiNamespace" }, "target"},
		{"targets without multi", func(o *OperatorOptions) { o.Namespace = "mq"; o.TargetNamespaces = []string{"a"} }, "MultiNamespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			o := good
			o.Root = root
			o.CSVs = nil
			tt.change(&o)
			_, err := AddOperator(o)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Msg, tt.want) {
				t.Fatalf("got %v, want an input error containing %q", err, tt.want)
			}
			if files := readTree(t, root); len(files) != 0 {
				t.Errorf("files written: %v", files)
			}
		})
	}
}

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"equal", "a\n", "a\n", ""},
		{"new file", "", "a\nb\n", "--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
		{"change", "a\nb\nc\n", "a\nB\nc\n", "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"no final newline", "a", "b", "--- x\n+++ y\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "0\n2\n3\n4\n5\n6\n7\n8\n9\n11\n",
			"--- x\n+++ y\n@@ -1,4 +1,4 @@\n-1\n+0\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+11\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UnifiedDiff("x", "y", tt.a, tt.b); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestUserTemplates(t *testing.T) {
	tmpl := t.TempDir()
	custom := "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: {{.Package}}\n  namespace: {{.Namespace}}\n  labels:\n    team: platform\nspec:\n  channel: {{.Channel}}\n  installPlanApproval: {{.Approval}}\n  name: {{.Package}}\n  source: {{.Source}}\n  sourceNamespace: {{.SourceNamespace}}\n"
	if err := os.WriteFile(filepath.Join(tmpl, "subscription.yaml.tmpl"), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	p, err := AddOperator(OperatorOptions{Root: root, Package: "ibm-mq", Channels: []string{"v3.0"}, Templates: tmpl})
	apply(t, p, err)
	sub, _ := os.ReadFile(filepath.Join(root, "ibm-mq/operator/base/subscription.yaml"))
	if !strings.Contains(string(sub), "team: platform") {
		t.Errorf("the user's template was not used:\n%s", sub)
	}
	kust, _ := os.ReadFile(filepath.Join(root, "ibm-mq/operator/base/kustomization.yaml"))
	if !strings.Contains(string(kust), "subscription.yaml") {
		t.Errorf("templates the folder lacks come from the built-in set:\n%s", kust)
	}
	if err := os.WriteFile(filepath.Join(tmpl, "namespace.yaml.tmpl"), []byte("{{.Nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := AddOperator(OperatorOptions{Root: t.TempDir(), Package: "ibm-mq", Namespace: "mq", Channels: []string{"v3.0"}, Templates: tmpl}); err == nil || !strings.Contains(err.Error(), "namespace.yaml.tmpl") {
		t.Errorf("a broken user template: got %v, want an error naming it", err)
	}
	var ie *InputError
	if _, err := Init(InitOptions{Root: t.TempDir(), Templates: filepath.Join(tmpl, "missing")}); !errors.As(err, &ie) {
		t.Errorf("a missing --templates folder: got %v, want an input error", err)
	}
}

// TestNoWritesThroughLinks: a symbolic link in the catalog cannot make a
// generator write, or read, outside the root.
func TestNoWritesThroughLinks(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "grp")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err := AddOperator(OperatorOptions{Root: root, Package: "foo", Group: "grp", Channels: []string{"v1"}})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("got %v, want a refusal naming the link", err)
	}
	if files := readTree(t, outside); len(files) != 0 {
		t.Errorf("files written outside the root: %v", files)
	}
	// A plan made before the link appeared is refused when applied.
	root2 := t.TempDir()
	p, err := AddOperator(OperatorOptions{Root: root2, Package: "foo", Group: "grp", Channels: []string{"v1"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root2, "grp")); err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(false); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Apply through a link: got %v", err)
	}
	if files := readTree(t, outside); len(files) != 0 {
		t.Errorf("files written outside the root: %v", files)
	}
}

// TestGeneratedValuesStayStrings: channel names YAML would read as numbers
// are quoted, and an overlay added to an operator whose Subscription is
// named apart from its package targets the Subscription's name.
func TestGeneratedValuesStayStrings(t *testing.T) {
	root := t.TempDir()
	p, err := AddOperator(OperatorOptions{Root: root, Package: "elasticsearch-operator", Channels: []string{"5.0", "5.10"}, Default: "5.10"})
	apply(t, p, err)
	// The base of this operator names its Subscription apart from the package.
	sub := filepath.Join(root, "elasticsearch-operator/operator/base/subscription.yaml")
	b, _ := os.ReadFile(sub)
	if !strings.Contains(string(b), `channel: "5.10"`) {
		t.Errorf("channel 5.10 is not quoted:\n%s", b)
	}
	if err := os.WriteFile(sub, []byte(strings.Replace(string(b), "  name: elasticsearch-operator\n  namespace", "  name: es\n  namespace", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err = AddOverlay(c, OverlayOptions{Root: root, Operator: "elasticsearch-operator", Channel: "5.8"})
	apply(t, p, err)
	c, err = catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// (The overlays 5.0 and 5.10 still target the old name: only the new
	// one is checked.)
	if ov := c.Operator("elasticsearch-operator").Overlay("5.8"); ov == nil || ov.Subscription.Channel.Value != "5.8" {
		t.Fatalf("overlay 5.8 missing or renders another channel: %+v", ov)
	}
	findings, err := lint.Run(context.Background(), c, lint.Config{}, lint.Options{Paths: []string{"elasticsearch-operator/operator/overlays/5.8"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Severity > diag.Info && strings.Contains(f.Path, "/5.8/") {
			t.Errorf("%s:%d:%d: %s [%s]", f.Path, f.Line, f.Column, f.Message, f.Rule)
		}
	}
}
