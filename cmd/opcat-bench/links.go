package main

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/opcat-dev/opcat/lib/fsroot"
)

// kustomizationFolders returns every folder under root that holds a
// kustomization file, as kustomize can be pointed at it: folders reached
// through symbolic links to folders inside root are listed by their path
// through the link. Links leaving root, dangling links and loops are
// skipped; .git and node_modules are not entered. viaLink marks the folders
// whose path goes through a link. Paths are sorted slash paths relative to
// root.
func kustomizationFolders(root string) (dirs []string, viaLink map[string]bool, err error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]bool{}
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		names[n] = true
	}
	viaLink = map[string]bool{}
	var walk func(rel, real string, linked bool, chain map[string]bool) error
	walk = func(rel, real string, linked bool, chain map[string]bool) error {
		entries, err := os.ReadDir(real)
		if err != nil {
			return err
		}
		found := false
		for _, e := range entries {
			name := e.Name()
			p := filepath.Join(real, name)
			childRel := path.Join(rel, name)
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				target, err := filepath.EvalSymlinks(p)
				if err != nil || !fsroot.Within(realRoot, target) {
					continue // dangling, or leaving the root
				}
				st, err := os.Stat(target)
				if err != nil {
					continue
				}
				if st.IsDir() {
					if chain[target] || name == ".git" || name == "node_modules" {
						continue // a loop
					}
					chain[target] = true
					err := walk(childRel, target, true, chain)
					delete(chain, target)
					if err != nil {
						return err
					}
				} else if st.Mode().IsRegular() && names[name] {
					found = true
				}
			case e.IsDir():
				if name == ".git" || name == "node_modules" {
					continue
				}
				chain[p] = true
				err := walk(childRel, p, linked, chain)
				delete(chain, p)
				if err != nil {
					return err
				}
			case e.Type().IsRegular() && names[name]:
				found = true
			}
		}
		if found {
			dirs = append(dirs, rel)
			if linked {
				viaLink[rel] = true
			}
		}
		return nil
	}
	if err := walk(".", realRoot, false, map[string]bool{realRoot: true}); err != nil {
		return nil, nil, err
	}
	sort.Strings(dirs)
	return dirs, viaLink, nil
}
