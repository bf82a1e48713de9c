package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/argocd"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/olm"
)

const v1Index = "testdata/index-v1/argocd-operator.yaml"

// TestCatalogToCluster: a catalog made by init --argocd --example plus add
// operator for an OLM v0 and an OLM v1 operator validates clean (with the
// index of the v1 operator too), and every Argo CD object and
// ClusterExtension in it passes its CRD schema.
func TestCatalogToCluster(t *testing.T) {
	dir := t.TempDir()
	idx := "operatorhubio=" + abs(t, v1Index)
	steps := [][]string{
		{"init", "--argocd", "--example", "--repo-url", "https://github.com/acme/catalog.git"},
		{"add", "operator", "openshift-gitops-operator", "--channel", "latest", "--channel", "gitops-1.16"},
		{"add", "operator", "argocd-operator", "--olm", "v1", "--index", idx, "--approval", "Manual", "--channel", "alpha", "--installer-service-account"},
	}
	for _, s := range steps {
		if r := run(t, append([]string{"-C", dir}, s...)...); r.code != 0 || strings.Contains(r.stderr, "warning") || strings.Contains(r.stderr, "error") {
			t.Fatalf("%v: %s", s, r)
		}
	}
	for _, args := range [][]string{{"validate", "--strict"}, {"validate", "--strict", "--index", idx}} {
		r := run(t, append([]string{"-C", dir}, args...)...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "0 errors, 0 warnings, 0 infos in 3 operators") { // two with a Subscription, one with a ClusterExtension
			t.Errorf("%v: %s", args, r)
		}
	}
	argo, ext := 0, 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".yaml" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		docs, problems := kustomize.ParseYAML(p, b)
		if len(problems) > 0 {
			t.Errorf("%s: %v", p, problems)
		}
		for _, d := range docs {
			if errs, ok := argocd.ValidateObject(d); ok {
				argo++
				if len(errs) > 0 {
					t.Errorf("%s: %v", p, errs)
				}
			}
			if errs, ok := olm.ValidateClusterExtension(d); ok {
				ext++
				if len(errs) > 0 {
					t.Errorf("%s: %v", p, errs)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if argo != 3 || ext != 1 {
		t.Errorf("%d Argo CD objects and %d ClusterExtensions", argo, ext)
	}
	// The v1 overlay pins the channel head exactly (Manual approval), the
	// installer ServiceAccount is there, and list and outdated know it.
	for _, s := range []struct{ file, want string }{
		{"argocd-operator/operator/overlays/alpha/patch-channel.yaml", "path: /spec/source/catalog/version\n  value: 0.16.0\n"},
		{"argocd-operator/operator/base/clusterextension.yaml", "serviceAccount:\n    name: argocd-operator-installer\n"},
		{"argocd-operator/operator/base/kustomization.yaml", "  - installer-rbac.yaml\n"},
		{"argocd/operators-default.yaml", "- path: argocd-operator/operator/overlays\n"},
	} {
		b, _ := os.ReadFile(filepath.Join(dir, s.file))
		if !strings.Contains(string(b), s.want) {
			t.Errorf("%s lacks %q:\n%s", s.file, s.want, b)
		}
	}
	r := run(t, "-C", dir, "list")
	if !strings.Contains(r.stdout, "argocd-operator            argocd-operator            argocd-operator      operatorhubio         alpha") {
		t.Errorf("list: %s", r)
	}
	// sync would add overlays for channels beta and own, whose heads OLM v1
	// cannot install: the validate gate refuses the change and writes nothing.
	if r := run(t, "-C", dir, "sync", "argocd-operator", "--index", idx); r.code != 1 ||
		!strings.Contains(r.stderr, "[clusterextension-dependencies]") || !strings.Contains(r.stderr, "[clusterextension-installmode-unsupported]") ||
		!strings.Contains(r.stderr, "refusing the change") {
		t.Errorf("sync: %s", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "argocd-operator/operator/overlays/beta")); !os.IsNotExist(err) {
		t.Errorf("a refused sync wrote overlay beta: %v", err)
	}
	r = run(t, "-C", dir, "outdated", "--index", idx)
	if r.code != 1 || !strings.Contains(r.stdout, "argocd-operator  -        beta     channel-new") ||
		!strings.Contains(r.stderr, "not checked, no index given holds their package: event-streams (package ibm-eventstreams, source ibm-operator-catalog), openshift-gitops-operator") {
		t.Errorf("outdated: %s", r)
	}
	// add overlay adds a ClusterExtension overlay; the index checks the
	// channel and CSV; the new default renders with its version.
	if r := run(t, "-C", dir, "add", "overlay", "argocd-operator", "gamma", "--index", idx); r.code != 2 || !strings.Contains(r.stderr, "channel gamma is not in package argocd-operator; it has alpha, beta, own") {
		t.Errorf("add overlay gamma: %s", r)
	}
	if r := run(t, "-C", dir, "add", "overlay", "argocd-operator", "alpha-next", "--csv", "argocd-operator.v0.16.0", "--default"); r.code != 0 ||
		!strings.Contains(r.stderr, "create argocd-operator/operator/overlays/alpha-next/patch-channel.yaml") || !strings.Contains(r.stderr, "edit   argocd-operator/operator/overlays/kustomization.yaml") {
		t.Errorf("add overlay alpha-next: %s", r)
	}
	if r := run(t, "-C", dir, "render", "argocd-operator/operator/overlays"); !strings.Contains(r.stdout, "      - alpha-next\n") || !strings.Contains(r.stdout, "version: '>=0.16.0'") {
		t.Errorf("render: %s", r)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "argocd-operator/README.md")); !strings.Contains(string(b), "| `alpha-next` | alpha-next | >=0.16.0 | yes |") {
		t.Errorf("README:\n%s", b)
	}
}

func TestAddOperatorOLMv1Errors(t *testing.T) {
	idx := "operatorhubio=" + abs(t, v1Index)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown --olm", []string{"add", "operator", "a", "--olm", "v2", "--channel", "x"}, 2, `--olm "v2": use v0`},
		{"global namespace", []string{"add", "operator", "a", "--olm", "v1", "--channel", "x", "--namespace", "openshift-operators"}, 2, "installs into a namespace of its own"},
		{"head without AllNamespaces", []string{"add", "operator", "argocd-operator", "--olm", "v1", "--index", idx, "--channel", "own"}, 2, "argocd-operator.v0.16.1-own does not support AllNamespaces, which OLM v1 requires"},
		{"dependencies", []string{"add", "operator", "argocd-operator", "--olm", "v1", "--index", idx, "--channel", "beta"}, 2, "declares dependencies OLM v1 does not resolve (package etcd (>=0.9.0))"},
		{"a bad range is refused before writing", []string{"add", "operator", "argocd-operator", "--olm", "v1", "--channel", "alpha", "--csv", "alpha=argocd-operator.v0.15"}, 2, "argocd-operator.v0.15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := run(t, append([]string{"-C", dir}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("want exit %d and %q, got %s", tt.code, tt.stderr, r)
			}
			if files := readFiles(t, dir); len(files) != 0 {
				t.Errorf("files written: %v", files)
			}
		})
	}
}
