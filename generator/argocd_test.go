package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/argocd"
	"github.com/opcat-dev/opcat/lib/kustomize"
	yaml "go.yaml.in/yaml/v3"
)

const acme = "https://github.com/acme/catalog.git"

// lintRoot validates the catalog at root with its own .opcat.yaml.
func lintRoot(t *testing.T, root string) []string {
	t.Helper()
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := lint.LoadConfig(filepath.Join(root, lint.ConfigFile), true)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := lint.Run(context.Background(), c, cfg, lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range findings {
		out = append(out, f.Path+": "+f.Message+" ["+f.Rule+"]")
	}
	return out
}

// argoObjects parses every Argo CD object of the catalog's argocd/ folder.
func argoObjects(t *testing.T, root string) map[string]*yaml.Node {
	t.Helper()
	out := map[string]*yaml.Node{}
	files, _ := filepath.Glob(filepath.Join(root, ArgoCDDir, "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs, problems := kustomize.ParseYAML(f, b)
		if len(problems) > 0 {
			t.Fatalf("%s: %v", f, problems)
		}
		for _, d := range docs {
			kind, _, _ := kustomize.ScalarAt(d.Content[0], "kind")
			api, _, _ := kustomize.ScalarAt(d.Content[0], "apiVersion")
			if argocd.IsArgoCD(api, kind) {
				name, _, _ := kustomize.ScalarAt(d.Content[0], "metadata", "name")
				out[kind+"/"+name] = d.Content[0]
			}
		}
	}
	return out
}

func TestArgoCDWiring(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root, Example: true, ArgoCD: &ArgoCDOptions{RepoURL: acme}})
	apply(t, p, err)
	p, err = AddOperator(OperatorOptions{Root: root, Package: "openshift-gitops-operator", Group: "platform", Channels: []string{"latest", "gitops-1.16"}})
	apply(t, p, err)

	if f := lintRoot(t, root); len(f) != 0 {
		t.Errorf("findings:\n%s", strings.Join(f, "\n"))
	}
	objs := argoObjects(t, root)
	for _, want := range []string{"ApplicationSet/opcat-operators", "ApplicationSet/opcat-operators-default", "ApplicationSet/opcat-instances"} {
		obj := objs[want]
		if obj == nil {
			t.Fatalf("no %s; have %v", want, objs)
		}
		if errs, ok := argocd.ValidateObject(obj); !ok || len(errs) != 0 {
			t.Errorf("%s: %v (ok %v)", want, errs, ok)
		}
		if v, _, _ := kustomize.ScalarAt(obj, "spec", "goTemplate"); v != "true" {
			t.Errorf("%s: goTemplate %q", want, v)
		}
		for _, k := range [][]string{{"prune"}, {"selfHeal"}} {
			if v, _, _ := kustomize.ScalarAt(obj, append([]string{"spec", "template", "spec", "syncPolicy", "automated"}, k...)...); v != "true" {
				t.Errorf("%s: automated.%s = %q", want, k[0], v)
			}
		}
		if _, n := kustomize.LookupPath(obj, "spec", "template", "spec", "syncPolicy", "retry", "backoff"); n == nil {
			t.Errorf("%s: no retry backoff", want)
		}
	}
	// Operands only: SkipDryRunOnMissingResource.
	for name, obj := range objs {
		_, opts := kustomize.LookupPath(obj, "spec", "template", "spec", "syncPolicy", "syncOptions")
		has := opts != nil && len(opts.Content) == 1 && opts.Content[0].Value == "SkipDryRunOnMissingResource=true"
		if has != (name == "ApplicationSet/opcat-instances") {
			t.Errorf("%s: SkipDryRunOnMissingResource %v", name, has)
		}
	}
	// add operator wired the grouped operator into both sets.
	for _, s := range []struct{ file, want string }{
		{"argocd/operators-by-cluster-label.yaml", "key: opcat.io/openshift-gitops-operator"},
		{"argocd/operators-by-cluster-label.yaml", "overlays: platform/openshift-gitops-operator/operator/overlays"},
		{"argocd/operators-default.yaml", "- path: platform/openshift-gitops-operator/operator/overlays"},
		{"argocd/operators-default.yaml", "- path: event-streams/operator/overlays"},
		{"platform/openshift-gitops-operator/operator/base/kustomization.yaml", "argocd.argoproj.io/sync-wave: \"-1\""},
		{"event-streams/operator/base/kustomization.yaml", "argocd.argoproj.io/sync-wave: \"-1\""},
		{".opcat.yaml", "repoURL: " + acme},
	} {
		b, _ := os.ReadFile(filepath.Join(root, s.file))
		if !strings.Contains(string(b), s.want) {
			t.Errorf("%s lacks %q:\n%s", s.file, s.want, b)
		}
	}
	// The health checks in the ConfigMap patch are the tested scripts.
	b, _ := os.ReadFile(filepath.Join(root, "argocd/health-argocd-cm.yaml"))
	var cm struct{ Data map[string]string }
	if err := yaml.Unmarshal(b, &cm); err != nil {
		t.Fatal(err)
	}
	checks := argocd.HealthChecks()
	if len(cm.Data) != len(checks) {
		t.Errorf("ConfigMap data has %d keys", len(cm.Data))
	}
	for _, h := range checks {
		if cm.Data[h.Key()] != h.Script {
			t.Errorf("%s differs from the embedded script", h.Key())
		}
	}
	// A second identical add operator, and add argocd again, change nothing.
	p, err = AddOperator(OperatorOptions{Root: root, Package: "openshift-gitops-operator", Group: "platform", Channels: []string{"latest", "gitops-1.16"}})
	if err != nil || !p.Empty() {
		t.Errorf("second add operator: %v %v", err, p)
	}
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err = AddArgoCD(c, root, "", ArgoCDOptions{RepoURL: acme})
	if err != nil || !p.Empty() {
		t.Errorf("second add argocd: %v %+v", err, p.Changes)
	}
}

// add argocd on a catalog made without it: the wiring names every operator,
// their bases get the sync wave through an edit that keeps comments, and a
// path broken afterwards is found by validate.
func TestAddArgoCDToExistingCatalog(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root, Example: true})
	apply(t, p, err)
	base := filepath.Join(root, "event-streams/operator/base/kustomization.yaml")
	b, _ := os.ReadFile(base)
	if err := os.WriteFile(base, append([]byte("# kept\n"), b...), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err = AddArgoCD(c, root, "", ArgoCDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Conflicts()) != 0 {
		t.Errorf("conflicts: %v", p.Conflicts())
	}
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], PlaceholderRepoURL) {
		t.Errorf("notes: %v", p.Notes)
	}
	apply(t, p, nil)
	b, _ = os.ReadFile(base)
	if !strings.HasPrefix(string(b), "# kept\n") || !strings.Contains(string(b), "commonAnnotations:\n  argocd.argoproj.io/sync-wave: \"-1\"\n") {
		t.Errorf("base:\n%s", b)
	}
	got := strings.Join(lintRoot(t, root), "\n")
	if strings.Count(got, "[argocd-placeholder]") != 5 || strings.Contains(got, "[argocd-path]") || strings.Contains(got, "[argocd-schema]") {
		t.Errorf("findings with a placeholder repository:\n%s", got)
	}
}

// The CI workflow pins the opcat release that writes it.
func TestInitWorkflowVersion(t *testing.T) {
	for _, tt := range []struct{ version, want, absent string }{
		{"v1.2.3", "OPCAT_VERSION: v1.2.3\n", "PLACEHOLDER"},
		{"(devel)", "OPCAT_VERSION: " + DevelVersion + "\n", "OPCAT_VERSION: v"},
		{"", "# PLACEHOLDER:", "OPCAT_VERSION: v"},
	} {
		root := t.TempDir()
		p, err := Init(InitOptions{Root: root, Version: tt.version})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := p.Content(".github/workflows/validate.yaml")
		if !strings.Contains(string(b), tt.want) || strings.Contains(string(b), tt.absent) || strings.Contains(string(b), "@latest") {
			t.Errorf("version %q:\n%s", tt.version, b)
		}
		if devel := tt.version != "v1.2.3"; devel != (len(p.Notes) == 1) {
			t.Errorf("version %q: notes %v", tt.version, p.Notes)
		}
	}
}

// A catalog wired before it has operators: the first add operator fills
// the empty lists, in the style of the rest of the file.
func TestArgoCDWiringFromEmpty(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root, ArgoCD: &ArgoCDOptions{RepoURL: acme}})
	apply(t, p, err)
	if f := lintRoot(t, root); len(f) != 0 {
		t.Errorf("findings on the empty catalog:\n%s", strings.Join(f, "\n"))
	}
	p, err = AddOperator(OperatorOptions{Root: root, Package: "foo", Channels: []string{"stable"}})
	apply(t, p, err)
	if len(p.Notes) != 0 {
		t.Errorf("notes: %v", p.Notes)
	}
	for file, want := range map[string]string{
		"argocd/operators-by-cluster-label.yaml": "  generators:\n    - clusters:\n        selector:\n          matchExpressions:\n            - key: opcat.io/foo\n",
		"argocd/operators-default.yaml":          "        directories:\n          - path: foo/operator/overlays\n",
	} {
		b, _ := os.ReadFile(filepath.Join(root, file))
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q:\n%s", file, want, b)
		}
	}
	if f := lintRoot(t, root); len(f) != 0 {
		t.Errorf("findings:\n%s", strings.Join(f, "\n"))
	}
}
