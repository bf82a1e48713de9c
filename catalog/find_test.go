package catalog

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nameFixture writes a catalog whose operator folders exercise every case of
// the naming rule, with a folder link when the system has them; linked
// reports whether it does.
func nameFixture(t *testing.T) (root string, linked bool) {
	t.Helper()
	sub := func(pkg string) string {
		return "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: " + pkg +
			"\n  namespace: openshift-operators\nspec:\n  name: " + pkg + "\n  channel: stable\n  source: s\n  sourceNamespace: ns\n"
	}
	ext := "apiVersion: olm.operatorframework.io/v1\nkind: ClusterExtension\nmetadata:\n  name: argocd\nspec:\n  namespace: argocd\n  source:\n    sourceType: Catalog\n    catalog:\n      packageName: argocd-operator\n"
	files := map[string]string{
		// event-streams: one operator's last element, in a group.
		"cp4i-operators/event-streams/operator/base/sub.yaml": sub("ibm-eventstreams"),
		// cp4i-operators: an operator of its own at the group's folder.
		"cp4i-operators/operator/base/sub.yaml": sub("ibm-cp-integration"),
		// mq: the folder of one operator and the last element of another.
		"mq/base/sub.yaml":                sub("ibm-mq"),
		"cp4i-operators/mq/base/sub.yaml": sub("ibm-mq-cp4i"),
		// gitops: the last element of two operators.
		"a/gitops/base/sub.yaml": sub("gitops-a"),
		"b/gitops/base/sub.yaml": sub("gitops-b"),
		// argocd: installed with OLM v1.
		"v1/argocd/operator/base/extension.yaml": ext,
	}
	root = t.TempDir()
	for name, data := range files {
		dir := filepath.Join(root, filepath.Dir(name))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		kust := "resources:\n  - " + filepath.Base(name) + "\n"
		if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(kust), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "links"), 0o755); err != nil {
		t.Fatal(err)
	}
	linked = os.Symlink("../cp4i-operators/event-streams", filepath.Join(root, "links", "es")) == nil
	return root, linked
}

// TestResolveOperator is the naming rule, case by case.
func TestResolveOperator(t *testing.T) {
	root, linked := nameFixture(t)
	c := loadFixture(t, root)
	all := "a/gitops, b/gitops, cp4i-operators, cp4i-operators/event-streams, cp4i-operators/mq, mq, v1/argocd"
	if got := strings.Join(c.OperatorDirs(), ", "); got != all {
		t.Fatalf("OperatorDirs = %s, want %s", got, all)
	}
	tests := []struct {
		name, want string
		link       bool   // needs the folder link
		err        string // the error's text, when it fails
		ambiguous  bool
	}{
		{name: "cp4i-operators/event-streams", want: "cp4i-operators/event-streams"},
		{name: "event-streams", want: "cp4i-operators/event-streams"},
		{name: "./cp4i-operators/event-streams/", want: "cp4i-operators/event-streams"},
		{name: "cp4i-operators", want: "cp4i-operators"},
		{name: "mq", want: "mq"},
		{name: "cp4i-operators/mq", want: "cp4i-operators/mq"},
		{name: "v1/argocd", want: "v1/argocd"},
		{name: "argocd", want: "v1/argocd"},
		{name: "links/es", want: "cp4i-operators/event-streams", link: true},
		{name: "gitops", ambiguous: true, err: `operator name "gitops" is ambiguous: it names a/gitops, b/gitops; give the folder`},
		{name: "nope", err: `unknown operator "nope"; operators: ` + all},
		{name: "es", err: `unknown operator "es"`},
		{name: "operators/event-streams", err: `unknown operator "operators/event-streams"`},
		{name: "cp4i-operators/event-streams/operator", err: `unknown operator`},
		{name: "../mq", err: `unknown operator "../mq"`},
		{name: "/mq", err: `unknown operator "/mq"`},
		{name: "", err: `unknown operator ""`},
		{name: ".", err: `unknown operator "."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.link && !linked {
				t.Skip("symbolic links unavailable")
			}
			got, err := c.ResolveOperator(tt.name)
			if tt.err == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ResolveOperator(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
				}
				return
			}
			var ne *NameError
			if err == nil || !errors.As(err, &ne) || !strings.Contains(err.Error(), tt.err) || ne.Ambiguous != tt.ambiguous {
				t.Fatalf("ResolveOperator(%q) = %q, %v; want a NameError with %q (ambiguous %v)", tt.name, got, err, tt.err, tt.ambiguous)
			}
		})
	}
}

// TestFindOperatorKinds: FindOperator returns Subscription operators and
// says so for an OLM v1 one; FindExtension the other way round.
func TestFindOperatorKinds(t *testing.T) {
	root, _ := nameFixture(t)
	c := loadFixture(t, root)
	if op, err := c.FindOperator("event-streams"); err != nil || op.Dir != "cp4i-operators/event-streams" {
		t.Errorf("FindOperator(event-streams) = %v, %v", op, err)
	}
	var ee *ExtensionError
	if _, err := c.FindOperator("argocd"); !errors.As(err, &ee) || ee.Extension.Dir != "v1/argocd" {
		t.Errorf("FindOperator(argocd) = %v, want an ExtensionError for v1/argocd", err)
	}
	if e, err := c.FindExtension("argocd"); err != nil || e.Dir != "v1/argocd" {
		t.Errorf("FindExtension(argocd) = %v, %v", e, err)
	}
	var ne *NameError
	if _, err := c.FindExtension("mq"); !errors.As(err, &ne) {
		t.Errorf("FindExtension(mq) = %v, want a NameError", err)
	}
	if op := c.Operator("gitops"); op != nil {
		t.Errorf("Operator(an ambiguous name) = %s, want nil", op.Dir)
	}
}
