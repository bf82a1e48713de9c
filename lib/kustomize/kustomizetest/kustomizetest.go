// Package kustomizetest holds what tests and benchmarks of catalogs need
// around the real ones: checkouts made without symbolic link support (git's
// core.symlinks=false, or a copy that lost its links) keep each link as a
// small file holding its target, and kustomize sees something else there
// than in the repository. GitLinkFiles finds those files and CopyWithLinks
// writes a copy with the links restored; CorpusCopy does both for a test.
package kustomizetest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/fsroot"
)

// GitLinkFiles finds the files that stand for symbolic links in a checkout
// made without symlink support (git's core.symlinks=false writes a link as
// a plain file holding its target): small files without a line break or
// extension whose whole content is a relative path to a folder that exists
// beside them, inside root. It maps each such file to its target, both
// relative to root.
func GitLinkFiles(root string) (map[string]string, error) {
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
		if st, err := os.Stat(dest); err != nil || !st.IsDir() || !fsroot.Within(root, dest) {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		relTarget, _ := filepath.Rel(root, dest)
		out[filepath.ToSlash(rel)] = filepath.ToSlash(relTarget)
		return nil
	})
	return out, err
}

// CopyWithLinks copies the tree at src into the empty folder dst, writing
// each file of links as a symbolic link to what it holds.
func CopyWithLinks(src, dst string, links map[string]string) error {
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

// CorpusCopy returns a copy of the catalog at src (a folder of the
// reference corpus), in a folder of the test's that is removed after it,
// with its git link files restored as symbolic links. It skips the test,
// saying why, when src is absent or the system cannot make symbolic links.
func CorpusCopy(tb testing.TB, src string) string {
	tb.Helper()
	if _, err := os.Stat(src); err != nil {
		tb.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", src, err)
	}
	links, err := GitLinkFiles(src)
	if err != nil {
		tb.Fatal(err)
	}
	dst := filepath.Join(tb.TempDir(), filepath.Base(filepath.Clean(src)))
	if err := CopyWithLinks(src, dst, links); err != nil {
		var le *os.LinkError
		if errors.As(err, &le) {
			tb.Skipf("symbolic links unavailable: %v", err)
		}
		tb.Fatalf("copying %s: %v", src, err)
	}
	return dst
}
