package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
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
				if err != nil || !inside(realRoot, target) {
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

func inside(root, p string) bool {
	r, err := filepath.Rel(root, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// gitLinkFiles finds the files that stand for symbolic links in a checkout
// made without symlink support (git's core.symlinks=false writes a link as
// a plain file holding its target): small files without a line break or
// extension whose whole content is a relative path to a folder that exists
// beside them, inside root. It maps each such file to its target, both
// relative to root.
func gitLinkFiles(root string) (map[string]string, error) {
	out := map[string]string{}
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
		if !d.Type().IsRegular() || strings.Contains(d.Name(), ".") {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() == 0 || info.Size() > 255 {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		target := string(data)
		if strings.ContainsAny(target, "\n\r\t\x00:") || strings.HasPrefix(target, "/") {
			return nil
		}
		dest := filepath.Join(filepath.Dir(p), filepath.FromSlash(target))
		if st, err := os.Stat(dest); err != nil || !st.IsDir() || !inside(root, dest) {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		relTarget, _ := filepath.Rel(root, dest)
		out[filepath.ToSlash(rel)] = filepath.ToSlash(relTarget)
		return nil
	})
	return out, err
}

// copyWithLinks copies the tree at src into the empty folder dst, writing
// each file of links as a symbolic link to what it holds.
func copyWithLinks(src, dst string, links map[string]string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case links[filepath.ToSlash(rel)] != "":
			target, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.Symlink(filepath.FromSlash(string(target)), to)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		case d.Type().IsRegular():
			return copyFile(p, to)
		}
		return nil
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s: %w", from, err)
	}
	return out.Close()
}
