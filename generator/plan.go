// Package generator scaffolds and edits catalogs: init, add operator, add
// overlay, fix. Every command computes a Plan in memory (files to create and
// edits to existing files); the plan can be shown as a unified diff, and is
// applied atomically file by file. A file that exists and would change is
// refused unless the change is an edit opcat knows how to make (an overlay
// added to a pointer or to a README list between markers) or the caller
// forces it. Applying the same plan twice changes nothing the second time.
package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Change is one file of a plan.
type Change struct {
	// Path is relative to the catalog root, with / separators.
	Path string
	// Old is the content on disk; nil when the file does not exist.
	Old []byte
	// New is the content the plan writes.
	New []byte
	// Edit marks a change opcat makes in place, keeping what a person
	// wrote (comments, other entries); such a change needs no --force.
	Edit bool
	// Delete marks a file the plan removes; New is nil then. Deletions are
	// only planned on an explicit request (sync --prune), so they need no
	// --force either.
	Delete bool
}

// Exists reports whether the file exists on disk.
func (c Change) Exists() bool { return c.Old != nil }

// Plan is a set of file changes under a catalog root.
type Plan struct {
	Root    string
	Changes []Change
	// Notes are things the plan left alone, for the user to know.
	Notes []string
}

// NewPlan returns an empty plan for root.
func NewPlan(root string) *Plan { return &Plan{Root: root} }

// Add plans content for path. It reads what is on disk (or already
// planned) so that a file whose content would not change is left out.
func (p *Plan) Add(path string, content []byte, edit bool) error {
	path = filepath.ToSlash(filepath.Clean(path))
	if strings.HasPrefix(path, "../") || path == ".." || filepath.IsAbs(path) {
		return fmt.Errorf("unable to plan %s: outside the catalog root", path)
	}
	for i := range p.Changes {
		if p.Changes[i].Path == path {
			c := &p.Changes[i]
			if c.Delete {
				c.Delete, c.Edit = false, edit
			} else {
				c.Edit = c.Edit && edit
			}
			c.New = content
			if c.Exists() && bytes.Equal(c.Old, content) {
				p.Changes = append(p.Changes[:i], p.Changes[i+1:]...)
			}
			return nil
		}
	}
	old, err := p.read(path)
	if err != nil {
		return err
	}
	if old != nil && bytes.Equal(old, content) {
		return nil
	}
	p.Changes = append(p.Changes, Change{Path: path, Old: old, New: content, Edit: edit})
	return nil
}

// checkPath refuses a path that leaves the root by its text or through a
// symbolic link on disk: opcat reads, writes and deletes only regular
// files in real folders of the catalog.
func (p *Plan) checkPath(path string) error {
	if strings.HasPrefix(path, "../") || path == ".." || filepath.IsAbs(path) {
		return fmt.Errorf("unable to plan %s: outside the catalog root", path)
	}
	cur := filepath.Clean(p.Root)
	for _, part := range strings.Split(path, "/") {
		cur = filepath.Join(cur, part)
		st, err := os.Lstat(cur)
		if errors.Is(err, os.ErrNotExist) {
			return nil // nothing further down exists yet
		}
		if err != nil {
			return fmt.Errorf("unable to plan %s: %w", path, err)
		}
		if st.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("unable to plan %s: %s is a symbolic link; opcat does not write through links", path, cur)
		}
		if !st.IsDir() && cur != filepath.Join(p.Root, filepath.FromSlash(path)) {
			return fmt.Errorf("unable to plan %s: %s is a file, not a folder", path, cur)
		}
		if cur == filepath.Join(p.Root, filepath.FromSlash(path)) && !st.Mode().IsRegular() {
			return fmt.Errorf("unable to plan %s: it exists and is not a regular file", path)
		}
	}
	return nil
}

// read returns what path holds on disk; nil when there is no such file.
func (p *Plan) read(path string) ([]byte, error) {
	if err := p.checkPath(path); err != nil {
		return nil, err
	}
	old, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(path)))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("unable to read %s: %w", path, err)
	case old == nil:
		old = []byte{}
	}
	return old, nil
}

// Delete plans the removal of path. A file that is not on disk is only
// dropped from the plan.
func (p *Plan) Delete(path string) error {
	path = filepath.ToSlash(filepath.Clean(path))
	if strings.HasPrefix(path, "../") || path == ".." || filepath.IsAbs(path) {
		return fmt.Errorf("unable to plan %s: outside the catalog root", path)
	}
	for i := range p.Changes {
		if p.Changes[i].Path == path {
			if !p.Changes[i].Exists() {
				p.Changes = append(p.Changes[:i], p.Changes[i+1:]...)
				return nil
			}
			p.Changes[i].New, p.Changes[i].Delete, p.Changes[i].Edit = nil, true, false
			return nil
		}
	}
	old, err := p.read(path)
	if err != nil || old == nil {
		return err
	}
	p.Changes = append(p.Changes, Change{Path: path, Old: old, Delete: true})
	return nil
}

// AddIfMissing plans content for path only when no file is there (or
// planned): a README a person may have written is kept, and only the lists
// between opcat's markers are edited in it.
func (p *Plan) AddIfMissing(path string, content []byte) error {
	if _, ok := p.Content(filepath.ToSlash(filepath.Clean(path))); ok {
		return nil
	}
	return p.Add(path, content, false)
}

// Content returns what path holds after the plan: the planned content, or
// what is on disk.
func (p *Plan) Content(path string) ([]byte, bool) {
	for _, c := range p.Changes {
		if c.Path == path {
			return c.New, !c.Delete
		}
	}
	b, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(path)))
	return b, err == nil
}

// Deleted reports whether the plan removes path.
func (p *Plan) Deleted(path string) bool {
	for _, c := range p.Changes {
		if c.Path == path {
			return c.Delete
		}
	}
	return false
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// Conflicts lists the existing files the plan would overwrite without
// knowing how to keep what a person wrote in them.
func (p *Plan) Conflicts() []string {
	var out []string
	for _, c := range p.Changes {
		if c.Exists() && !c.Edit && !c.Delete {
			out = append(out, c.Path)
		}
	}
	sort.Strings(out)
	return out
}

// ConflictError is returned by Apply when files exist that would change.
type ConflictError struct{ Paths []string }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("refusing to overwrite %d existing file(s) (use --force to replace them): %s", len(e.Paths), strings.Join(e.Paths, ", "))
}

// Apply writes the plan. Each file is written to a temporary file in its
// folder and renamed over the target, so a file is either old or new,
// never half written. Without force nothing is written when Conflicts is
// not empty. Deletions come last: every file to delete is first moved
// aside (and put back if one of them cannot be), then removed, then the
// folders the deletions emptied.
func (p *Plan) Apply(force bool) error {
	if c := p.Conflicts(); len(c) > 0 && !force {
		return &ConflictError{Paths: c}
	}
	p.sort()
	// Every path is checked before anything is written or deleted.
	for _, c := range p.Changes {
		if err := p.checkPath(c.Path); err != nil {
			return err
		}
	}
	var deletions []string
	for _, c := range p.Changes {
		if c.Delete {
			deletions = append(deletions, c.Path)
			continue
		}
		if err := writeAtomic(filepath.Join(p.Root, filepath.FromSlash(c.Path)), c.New); err != nil {
			return fmt.Errorf("unable to write %s: %w", c.Path, err)
		}
	}
	return p.remove(deletions)
}

// remove deletes files (slash paths under the root) all or, as far as the
// file system lets it, none: each is renamed aside first.
func (p *Plan) remove(files []string) error {
	type moved struct{ from, to string }
	var done []moved
	for _, f := range files {
		full := filepath.Join(p.Root, filepath.FromSlash(f))
		aside := filepath.Join(filepath.Dir(full), "."+filepath.Base(full)+".opcat-deleted")
		if err := os.Rename(full, aside); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			for i := len(done) - 1; i >= 0; i-- {
				_ = os.Rename(done[i].to, done[i].from)
			}
			return fmt.Errorf("unable to delete %s: %w", f, err)
		}
		done = append(done, moved{full, aside})
	}
	dirs := map[string]bool{}
	for _, m := range done {
		if err := os.Remove(m.to); err != nil {
			return fmt.Errorf("unable to delete %s: %w", m.from, err)
		}
		dirs[filepath.Dir(m.from)] = true
	}
	// Remove the folders left empty, deepest first, up to the root.
	var list []string
	for d := range dirs {
		list = append(list, d)
	}
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	root, err := filepath.Abs(p.Root)
	if err != nil {
		return nil
	}
	for _, d := range list {
		if abs, err := filepath.Abs(d); err == nil {
			d = abs
		}
		for d != root && strings.HasPrefix(d, root+string(filepath.Separator)) {
			if os.Remove(d) != nil { // not empty, or gone
				break
			}
			d = filepath.Dir(d)
		}
	}
	return nil
}

func (p *Plan) sort() {
	sort.Slice(p.Changes, func(i, j int) bool { return p.Changes[i].Path < p.Changes[j].Path })
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return fmt.Errorf("%s is a folder", path)
		}
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".opcat-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Diff writes the plan as a unified diff, files in path order.
func (p *Plan) Diff(w io.Writer) error {
	p.sort()
	for _, c := range p.Changes {
		from, to := "a/"+c.Path, "b/"+c.Path
		if !c.Exists() {
			from = "/dev/null"
		}
		if c.Delete {
			to = "/dev/null"
		}
		if _, err := io.WriteString(w, UnifiedDiff(from, to, string(c.Old), string(c.New))); err != nil {
			return err
		}
	}
	return nil
}

// Summary writes one line per change: created, updated or edited.
func (p *Plan) Summary(w io.Writer) error {
	p.sort()
	for _, c := range p.Changes {
		verb := "create"
		switch {
		case c.Delete:
			verb = "delete"
		case c.Exists() && c.Edit:
			verb = "edit  "
		case c.Exists():
			verb = "update"
		}
		if _, err := fmt.Fprintf(w, "%s %s\n", verb, c.Path); err != nil {
			return err
		}
	}
	for _, n := range p.Notes {
		if _, err := fmt.Fprintf(w, "note: %s\n", n); err != nil {
			return err
		}
	}
	return nil
}
