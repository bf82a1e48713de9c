package kustomize

import (
	"bytes"
	"flag"
	"github.com/opcat-dev/opcat/lib/kustomize/kustomizetest"
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
		"cp4i-operators/asset-repository/operator/overlays":    "invalid kustomization cp4i-operators/asset-repository/operator/overlays/kustomization.yaml:1:1",
		"cp4i-operators/mq/instance/overlays":                  "missing path cp4i-operators/mq/instance/overlays/kustomization.yaml:2:3",
		"cp4i-operators/operation-dashboard/operator/overlays": "invalid kustomization cp4i-operators/operation-dashboard/operator/overlays/kustomization.yaml:2:3",
		"grafana-operator/overlays/user-app":                   "remote grafana-operator/overlays/user-app/kustomization.yaml:8:3",
		"grafana-operator/overlays/user-app-example":           "remote grafana-operator/overlays/user-app/kustomization.yaml:8:3",
		"postgresql/operator/overlays/stable":                  "missing kustomization postgresql/operator/overlays/stable/kustomization.yaml:7:5",
	}
	got := map[string]string{}
	for _, dir := range tree.KustomizationDirs() {
		if res := b.Build(dir); res.Err != nil {
			got[dir] = res.Err.Cause.String() + " " + res.Err.Pos.String()
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

// demoAILinks are the folder links of demo-ai-gitops-catalog at the
// corpus commit (git mode 120000). The corpus holds each as a small file
// with the link's target as its content, as git checks links out where
// they cannot be made; linkedCorpus makes them links again.
var demoAILinks = []string{
	"components/operators/advanced-cluster-security",
	"components/operators/jaeger",
	"components/operators/kiali",
	"components/operators/openshift-ai",
	"components/operators/openshift-data-foundation",
	"components/operators/openshift-elasticsearch",
	"components/operators/openshift-gitops",
	"components/operators/openshift-keda",
	"components/operators/openshift-local-storage",
	"components/operators/openshift-pipelines",
	"components/operators/openshift-serverless",
	"components/operators/openshift-servicemesh",
	"components/operators/servicemeshoperator/instance/overlays/default",
}

// linkedCorpus copies demo-ai-gitops-catalog into a temporary folder with
// its folder links restored (TestCorpusFolderLinks checks they are the 13
// of demoAILinks).
func linkedCorpus(t testing.TB) string {
	t.Helper()
	return kustomizetest.CorpusCopy(t, "../../../shared/corpus/demo-ai-gitops-catalog")
}

// TestCorpusFolderLinks reads demo-ai-gitops-catalog with its folder links
// and finds every kustomization folder kustomize can be pointed at: 747
// on disk and 167 through the 13 links.
func TestCorpusFolderLinks(t *testing.T) {
	tree, err := ReadTree(linkedCorpus(t), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tree.Problems {
		if strings.Contains(p.Message, "symbolic link") {
			t.Errorf("link refused: %v", p)
		}
	}
	links := tree.Links()
	if len(links) != len(demoAILinks) {
		t.Errorf("%d links followed, want %d", len(links), len(demoAILinks))
	}
	for _, l := range demoAILinks {
		if _, ok := links[l]; !ok {
			t.Errorf("link %s not followed", l)
		}
	}
	dirs := tree.KustomizationDirs()
	through := 0
	for _, d := range dirs {
		if tree.RealPath(d) != d {
			through++
		}
	}
	if len(dirs) != 914 || through != 167 {
		t.Errorf("%d kustomization folders, %d through links; want 914 and 167", len(dirs), through)
	}
}

// TestCorpusModernizedSameOutput builds every kustomization of the corpus
// catalogs twice: with deprecated fields handed to krusty as written, and
// moved to their modern equivalents as the sanitiser moves them. Verdicts
// and bytes must be identical.
func TestCorpusModernizedSameOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every corpus kustomization twice")
	}
	roots := map[string]string{
		"eda":          corpusCatalog,
		"multitenancy": "../../../shared/corpus/multi-tenancy-gitops-services",
	}
	for name, root := range roots {
		if _, err := os.Stat(root); err != nil {
			t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", root, err)
		}
		_ = name
	}
	roots["demo-ai"] = linkedCorpus(t)
	for name, root := range roots {
		t.Run(name, func(t *testing.T) {
			modern, err := ReadTree(root, TreeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			asWritten, _ := ReadTree(root, TreeOptions{})
			asWritten.keepDeprecated = true
			changed := 0
			for _, f := range modern.Files() {
				if isKustomizationName(pathBase(f)) {
					data, _ := modern.ReadFile(f)
					a, _ := modern.sanitizedKustomization(f, data)
					b, _ := asWritten.sanitizedKustomization(f, data)
					if !bytes.Equal(a, b) {
						changed++
					}
				}
			}
			t.Logf("%d kustomization folders, %d kustomization files handed to krusty modernised", len(modern.KustomizationDirs()), changed)
			if changed == 0 {
				return // krusty is given the same bytes either way
			}
			bm, bw := NewBuilder(modern), NewBuilder(asWritten)
			for _, dir := range modern.KustomizationDirs() {
				m, w := bm.Build(dir), bw.Build(dir)
				switch {
				case (m.Err == nil) != (w.Err == nil):
					t.Errorf("%s: verdict differs: modernised %v, as written %v", dir, m.Err, w.Err)
				case m.Err == nil && !bytes.Equal(m.YAML(), w.YAML()):
					t.Errorf("%s: output differs\n--- modernised\n%s\n--- as written\n%s", dir, m.YAML(), w.YAML())
				}
			}
		})
	}
}
