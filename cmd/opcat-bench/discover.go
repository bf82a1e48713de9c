package main

import (
	"io/fs"
	"path/filepath"
	"sort"

	"sigs.k8s.io/kustomize/api/konfig"
)

// findKustomizations walks root, as `find -name kustomization.yaml` would,
// and returns every folder that holds a kustomization file, as sorted slash
// paths relative to root. Like opcat it skips .git and node_modules and does
// not follow symbolic links to folders.
func findKustomizations(root string) ([]string, error) {
	names := map[string]bool{}
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		names[n] = true
	}
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (d.Name() == ".git" || d.Name() == "node_modules") {
				return fs.SkipDir
			}
			return nil
		}
		if names[d.Name()] {
			rel, err := filepath.Rel(root, filepath.Dir(p))
			if err != nil {
				return err
			}
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out, err
}
