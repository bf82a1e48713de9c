package kustomize

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// kustomizeCLI, when set, names a kustomize CLI (v5.8.2) whose output
// rewrites the golden files of TestCorpusRenderMatchesCLI:
//
//	go test ./lib/kustomize -run TestCorpusRender -kustomize-cli=$(go env GOPATH)/bin/kustomize
var kustomizeCLI = flag.String("kustomize-cli", "", "kustomize CLI to record golden builds from")

// corpusCatalog is the reference catalog, read from beside the project.
const corpusCatalog = "../../../shared/corpus/eda-gitops-catalog"

func corpusTree(t testing.TB) *Tree {
	t.Helper()
	if _, err := os.Stat(corpusCatalog); err != nil {
		t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", corpusCatalog, err)
	}
	tree, err := ReadTree(corpusCatalog, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func goldenName(dir string) string {
	return strings.ReplaceAll(dir, "/", "__") + ".yaml"
}

// TestCorpusRenderMatchesCLI proves that every kustomization of the
// reference catalog builds in-process to the bytes the kustomize CLI
// v5.8.2 prints, and that the ones the CLI cannot build offline fail here
// too, with the precise cause.
func TestCorpusRenderMatchesCLI(t *testing.T) {
	tree := corpusTree(t)
	golden := "testdata/corpus-render"
	b := NewBuilder(tree)
	var verdicts []string
	for _, dir := range tree.KustomizationDirs() {
		res := b.Build(dir)
		if *kustomizeCLI != "" {
			cmd := exec.Command(*kustomizeCLI, "build", filepath.Join(corpusCatalog, dir))
			var out bytes.Buffer
			cmd.Stdout = &out
			if err := cmd.Run(); err != nil {
				verdicts = append(verdicts, dir+" fails")
				continue
			}
			verdicts = append(verdicts, dir+" builds")
			if err := os.WriteFile(filepath.Join(golden, goldenName(dir)), out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(filepath.Join(golden, goldenName(dir)))
		switch {
		case err != nil && res.Err == nil:
			t.Errorf("%s: builds here, but the kustomize CLI fails on it", dir)
		case err == nil && res.Err != nil:
			t.Errorf("%s: the kustomize CLI builds it, here it fails: %v", dir, res.Err)
		case err == nil && !bytes.Equal(res.YAML(), want):
			t.Errorf("%s: output differs from the kustomize CLI\n--- got\n%s\n--- want\n%s", dir, res.YAML(), want)
		}
	}
	if *kustomizeCLI != "" {
		sort.Strings(verdicts)
		if err := os.WriteFile(filepath.Join(golden, "verdicts.txt"), []byte(strings.Join(verdicts, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCorpusBuildFailures pins the cause found for each kustomization of the
// reference catalog that does not build.
func TestCorpusBuildFailures(t *testing.T) {
	tree := corpusTree(t)
	b := NewBuilder(tree)
	want := map[string]string{
		"cp4i-operators/asset-repository/operator/overlays":    "kustomization-invalid cp4i-operators/asset-repository/operator/overlays/kustomization.yaml:1:1",
		"cp4i-operators/mq/instance/overlays":                  "kustomize-missing-path cp4i-operators/mq/instance/overlays/kustomization.yaml:2:3",
		"cp4i-operators/operation-dashboard/operator/overlays": "kustomization-invalid cp4i-operators/operation-dashboard/operator/overlays/kustomization.yaml:2:3",
		"grafana-operator/overlays/user-app":                   "kustomize-remote grafana-operator/overlays/user-app/kustomization.yaml:8:3",
		"grafana-operator/overlays/user-app-example":           "kustomize-remote grafana-operator/overlays/user-app/kustomization.yaml:8:3",
		"postgresql/operator/overlays/stable":                  "kustomization-missing postgresql/operator/overlays/stable/kustomization.yaml:7:5",
	}
	got := map[string]string{}
	for _, dir := range tree.KustomizationDirs() {
		if res := b.Build(dir); res.Err != nil {
			got[dir] = res.Err.Kind + " " + res.Err.Pos.String()
		}
	}
	for dir, w := range want {
		if got[dir] != w {
			t.Errorf("%s: got %q, want %q", dir, got[dir], w)
		}
	}
	for dir, g := range got {
		if _, ok := want[dir]; !ok {
			t.Errorf("%s: unexpected failure %s", dir, g)
		}
	}
}
