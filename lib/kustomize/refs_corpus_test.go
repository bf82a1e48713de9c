package kustomize

import (
	"os"
	"path"
	"testing"
)

// TestCorpusReferencedPaths reads every kustomization of the reference
// catalogs: ReferencedPaths decodes each, and lists every local entry of
// resources, bases and components and every patch file that the
// position-keeping reader finds.
func TestCorpusReferencedPaths(t *testing.T) {
	catalogs := []string{"eda-gitops-catalog", "demo-ai-gitops-catalog", "multi-tenancy-gitops-services"}
	fields := map[string]int{}
	for _, name := range catalogs {
		root := path.Join("../../../shared/corpus", name)
		if _, err := os.Stat(root); err != nil {
			t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", root, err)
		}
		tree, err := ReadTree(root, TreeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		fsys := os.DirFS(root)
		for _, dir := range tree.KustomizationDirs() {
			files := tree.KustomizationFile(dir)
			if len(files) == 0 {
				continue
			}
			k := tree.Kustomization(files[0])
			if k.Node == nil {
				continue
			}
			refs, err := ReferencedPaths(fsys, files[0])
			if err != nil {
				t.Errorf("%s/%s: %v", name, files[0], err)
				continue
			}
			listed := map[string]bool{}
			for _, r := range refs {
				listed[r.Path] = true
				fields[r.Field]++
			}
			var want []string
			for _, r := range k.Refs() {
				if !isRemote(r.Value) {
					want = append(want, path.Join(dir, r.Value))
				}
			}
			for _, p := range k.Patches() {
				if p.Path != "" {
					want = append(want, path.Join(dir, p.Path))
				}
			}
			for _, w := range want {
				if !listed[w] {
					t.Errorf("%s/%s: %s is not listed: %v", name, files[0], w, refs)
				}
			}
		}
	}
	t.Logf("references by field: %v", fields)
	for _, f := range []string{"resources", "patches.path"} {
		if fields[f] == 0 {
			t.Errorf("no %s reference in the corpus", f)
		}
	}
}
