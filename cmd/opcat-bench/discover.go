package main

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/opcat-dev/opcat/lib/fsroot"
)

// maxLinkDepth bounds how many folder links are followed one inside
// another.
const maxLinkDepth = 8

// findKustomizations walks root, as `find -L -name kustomization.yaml`
// would, and returns every folder that holds a kustomization file, as
// sorted slash paths relative to root: folders reached through links to
// folders inside root too (the kustomize CLI builds those paths), never
// back into a folder already on the way. Like opcat it skips .git and
// node_modules.
func findKustomizations(root string) ([]string, error) {
	names := map[string]bool{}
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		names[n] = true
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var walk func(dir, real, rel string, ancestors []string, links int) error
	walk = func(dir, real, rel string, ancestors []string, links int) error {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		ancestors = append(ancestors, real)
		for _, e := range entries {
			name := e.Name()
			p, r := filepath.Join(dir, name), path.Join(rel, name)
			switch {
			case e.IsDir():
				if name == ".git" || name == "node_modules" {
					continue
				}
				if err := walk(p, filepath.Join(real, name), r, ancestors, links); err != nil {
					return err
				}
			case e.Type()&fs.ModeSymlink != 0:
				target, err := filepath.EvalSymlinks(p)
				if err != nil || !fsroot.Within(realRoot, target) {
					continue
				}
				st, err := os.Stat(target)
				switch {
				case err != nil:
				case st.IsDir():
					loop := links >= maxLinkDepth
					for _, a := range ancestors {
						if a == target || strings.HasPrefix(a, target+string(filepath.Separator)) {
							loop = true
						}
					}
					if !loop {
						if err := walk(p, target, r, ancestors, links+1); err != nil {
							return err
						}
					}
				case names[name]:
					seen[rel] = true
				}
			case names[name]:
				seen[rel] = true
			}
		}
		return nil
	}
	if err := walk(root, realRoot, ".", nil, 0); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out, nil
}
