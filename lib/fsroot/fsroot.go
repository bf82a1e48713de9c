// Package fsroot answers one question for every part of opcat: does a path
// stay inside a root folder? opcat reads and writes only inside the catalog
// root, so a path that the catalog or a user names is checked here, by its
// text (Local), against another path (Within, Rel), or on disk with
// symbolic links resolved (Check).
//
// The text checks are lexical, as filepath.IsLocal is, but they accept the
// empty path and "." (the root itself) and read / as a separator on every
// system, since catalogs name paths with /.
package fsroot

import (
	"errors"
	"path"
	"path/filepath"
	"strings"
)

// Local reports whether p, a relative path with / (or the system's
// separator), stays inside the folder it is relative to by its text alone:
// it is not absolute and, cleaned, is neither ".." nor starts with "../".
// The empty path and "." are the folder itself, and local.
func Local(p string) bool {
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") {
		return false
	}
	c := path.Clean(filepath.ToSlash(p))
	return c != ".." && !strings.HasPrefix(c, "../")
}

// Rel returns p relative to root as a slash path, and whether p is root or
// below it. Both are paths of the system, compared by their text (give both
// absolute, or both relative to the same folder, with links resolved or
// not alike). When p is not inside root, the path is the one filepath.Rel
// gives (or "" when there is none) and ok is false.
func Rel(root, p string) (rel string, ok bool) {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return "", false
	}
	r = filepath.ToSlash(r)
	return r, Local(r)
}

// Within reports whether p is root or below it, by their text, as Rel does.
func Within(root, p string) bool {
	_, ok := Rel(root, p)
	return ok
}

// Errors of Check, which wraps none of them: test with errors.Is.
var (
	// ErrAbsolute is a path given absolute where one inside the root is
	// wanted.
	ErrAbsolute = errors.New("an absolute path; give a path inside the catalog")
	// ErrLeaves is a path whose text leaves the root ("../x").
	ErrLeaves = errors.New("it leaves the catalog root")
	// ErrLinkLeaves is a path that leads outside the root through a
	// symbolic link.
	ErrLinkLeaves = errors.New("it leads outside the catalog root through a symbolic link")
)

// Check reports whether rel, a path relative to root that the catalog
// itself names, stays inside root: by its text, then on disk with symbolic
// links resolved (as the system resolves them). A path that does not exist
// passes when its text stays inside; reading it reports it missing. An
// error other than the three of this package comes from resolving root.
func Check(root, rel string) error {
	if filepath.IsAbs(rel) || strings.HasPrefix(filepath.ToSlash(rel), "/") {
		return ErrAbsolute
	}
	if !Local(rel) {
		return ErrLeaves
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, filepath.Clean(rel)))
	if err != nil {
		return nil // a missing file is reported when it is read
	}
	if !Within(realRoot, real) {
		return ErrLinkLeaves
	}
	return nil
}
