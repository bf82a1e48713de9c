// Package generator scaffolds and edits catalogs: init, add operator, add
// overlay, fix. Every command computes a Plan in memory (files to create and
// edits to existing files); the plan can be shown as a unified diff, and is
// applied all or nothing, under a lock on the catalog root, refusing files
// that changed since they were read. A file that exists and would change is
// refused unless the change is an edit opcat knows how to make (an overlay
// added to a pointer or to a README list between markers) or the caller
// forces it. Applying the same plan twice changes nothing the second time.
package generator

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/opcat-dev/opcat/lib/fsroot"
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
	// fault, when set (by tests), runs before step i of the n steps of
	// Apply; an error it returns fails that step.
	fault func(i, n int) error
	// wait, when not zero, is how long Apply waits for the lock.
	wait time.Duration
}

// NewPlan returns an empty plan for root.
func NewPlan(root string) *Plan { return &Plan{Root: root} }

// Add plans content for path. It reads what is on disk (or already
// planned) so that a file whose content would not change is left out.
func (p *Plan) Add(path string, content []byte, edit bool) error {
	path = filepath.ToSlash(filepath.Clean(path))
	if !fsroot.Local(path) {
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
	if !fsroot.Local(path) {
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
	if !fsroot.Local(path) {
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

// Error lists the files that would be overwritten.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("refusing to overwrite %d existing file(s) (use --force to replace them): %s", len(e.Paths), strings.Join(e.Paths, ", "))
}

// Apply writes the plan, all or nothing. Without force nothing is written
// when Conflicts is not empty. Apply holds the catalog's lock (see
// LockFile) while it works, and first checks that every file still holds
// what the plan was computed from: an edit made since, by a person or
// another opcat, is never overwritten. It then stages every new content in
// a temporary file beside its target and keeps the former content of every
// file it replaces or deletes, then renames the staged files into place
// and deletes; if any step fails, every step already taken is undone, so
// the tree is as it was. Leftover temporary files of an interrupted run
// are removed first (former contents are kept and reported in Notes).
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
	if p.Empty() {
		return nil
	}
	createdRoot, err := makeRoot(p.Root)
	if err != nil {
		return err
	}
	lock, err := acquireLock(p.Root, p.lockWait())
	if err != nil {
		removeDirs(createdRoot)
		return err
	}
	err = p.applyLocked()
	if uerr := lock.release(); uerr != nil && err == nil {
		err = uerr
	}
	if err != nil {
		removeDirs(createdRoot)
	}
	return err
}

// StaleError is returned by Apply when a file changed after the plan was
// computed: nothing is written, and running the command again plans from
// what the file holds now.
type StaleError struct{ Path string }

// Error names the file that changed.
func (e *StaleError) Error() string {
	return fmt.Sprintf("%s changed since opcat read it (another opcat run or an editor); nothing was written: run the command again", e.Path)
}

// applyLocked does Apply's work under the lock.
func (p *Plan) applyLocked() error {
	p.Notes = append(p.Notes, cleanLeftovers(p.Root)...)
	var todo []Change
	for _, c := range p.Changes {
		now, err := p.read(c.Path)
		if err != nil {
			return err
		}
		switch {
		case sameContent(now, c.Old):
			todo = append(todo, c)
		case c.Delete && now == nil, !c.Delete && sameContent(now, c.New):
			// Already as planned: the plan was applied before.
		default:
			return &StaleError{Path: c.Path}
		}
	}
	steps, cleanup, err := p.steps(todo)
	if err != nil {
		return err
	}
	for i, s := range steps {
		err := error(nil)
		if p.fault != nil {
			err = p.fault(i, len(steps))
		}
		if err == nil {
			err = s.do()
		}
		if err != nil {
			err = fmt.Errorf("unable to %s: %w", s.what, err)
			var failed []string
			for j := i - 1; j >= 0; j-- {
				if uerr := steps[j].undo(); uerr != nil {
					failed = append(failed, uerr.Error())
				}
			}
			if len(failed) > 0 {
				return fmt.Errorf("%w; undoing the steps already taken failed too: %s", err, strings.Join(failed, "; "))
			}
			return fmt.Errorf("%w; nothing was changed", err)
		}
	}
	p.Notes = append(p.Notes, cleanup()...)
	return nil
}

// sameContent compares file contents, nil meaning no file.
func sameContent(a, b []byte) bool {
	return (a == nil) == (b == nil) && bytes.Equal(a, b)
}

// step is one reversible step of Apply.
type step struct {
	what string
	do   func() error
	undo func() error
}

// steps lists Apply's steps: make the missing folders, stage each new
// content, keep each former content, then rename into place and delete.
// cleanup removes the former contents and the folders that deletions
// emptied, once every step succeeded; it returns notes for what it could
// not remove.
func (p *Plan) steps(changes []Change) ([]step, func() []string, error) {
	var mkdirs, stage, keep, commit []step
	made := map[string]bool{}
	var backups []string
	var deleted []string
	for _, c := range changes {
		c := c
		target := filepath.Join(p.Root, filepath.FromSlash(c.Path))
		dir := filepath.Dir(target)
		var mode os.FileMode = 0o644
		if c.Exists() {
			st, err := os.Lstat(target)
			if err != nil {
				return nil, nil, fmt.Errorf("unable to read %s: %w", c.Path, err)
			}
			mode = st.Mode().Perm()
		}
		// Folders to make, outermost first.
		if !c.Delete {
			var missing []string
			for d := dir; ; d = filepath.Dir(d) {
				if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
					break
				}
				missing = append(missing, d)
			}
			for i := len(missing) - 1; i >= 0; i-- {
				d := missing[i]
				if made[d] {
					continue
				}
				made[d] = true
				rel := relSlash(p.Root, d)
				mkdirs = append(mkdirs, step{what: "create folder " + rel,
					do:   func() error { return os.Mkdir(d, 0o755) },
					undo: func() error { return ignoreNotExist(os.Remove(d)) }})
			}
		}
		backup := ""
		if c.Exists() {
			backup = tempName(target, "old")
			backups = append(backups, backup)
			keep = append(keep, step{what: "keep the former content of " + c.Path,
				do:   func() error { return keepFormer(target, backup, c.Old, mode) },
				undo: func() error { return ignoreNotExist(os.Remove(backup)) }})
		}
		if c.Delete {
			deleted = append(deleted, dir)
			commit = append(commit, step{what: "delete " + c.Path,
				do:   func() error { return os.Remove(target) },
				undo: func() error { return restore(backup, target, c.Path) }})
			continue
		}
		staged := tempName(target, "new")
		stage = append(stage, step{what: "write " + c.Path,
			do:   func() error { return writeNew(staged, c.New, mode) },
			undo: func() error { return ignoreNotExist(os.Remove(staged)) }})
		commit = append(commit, step{what: "replace " + c.Path,
			do: func() error {
				if st, err := os.Lstat(target); err == nil && st.IsDir() {
					return fmt.Errorf("%s is a folder", c.Path)
				}
				return os.Rename(staged, target)
			},
			undo: func() error {
				if backup != "" {
					return restore(backup, target, c.Path)
				}
				return ignoreNotExist(os.Remove(target))
			}})
	}
	steps := append(append(append(mkdirs, stage...), keep...), commit...)
	cleanup := func() []string {
		var notes []string
		for _, b := range backups {
			if err := os.Remove(b); err != nil && !errors.Is(err, os.ErrNotExist) {
				notes = append(notes, fmt.Sprintf("unable to remove %s, which holds a former content: %v", relSlash(p.Root, b), err))
			}
		}
		removeEmptied(p.Root, deleted)
		return notes
	}
	return steps, cleanup, nil
}

// makeRoot creates the catalog root when it is missing, and returns the
// folders it created, innermost first.
func makeRoot(root string) ([]string, error) {
	var missing []string
	for d := filepath.Clean(root); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		removeDirs(missing)
		return nil, fmt.Errorf("unable to create %s: %w", root, err)
	}
	return missing, nil
}

// removeDirs removes empty folders, in the order given.
func removeDirs(dirs []string) {
	for _, d := range dirs {
		_ = os.Remove(d)
	}
}

// removeEmptied removes the folders left empty by deletions, deepest
// first, up to the root.
func removeEmptied(root string, dirs []string) {
	sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
	abs, err := filepath.Abs(root)
	if err != nil {
		return
	}
	for _, d := range dirs {
		if a, err := filepath.Abs(d); err == nil {
			d = a
		}
		for d != abs && strings.HasPrefix(d, abs+string(filepath.Separator)) {
			if os.Remove(d) != nil { // not empty, or gone
				break
			}
			d = filepath.Dir(d)
		}
	}
}

// tempName is the name of a temporary file beside target: the staged new
// content ("new") or the kept former content ("old"). LeftoverPattern
// recognises both.
func tempName(target, kind string) string {
	base := filepath.Base(target)
	if len(base) > 100 {
		base = base[:100]
	}
	return filepath.Join(filepath.Dir(target), fmt.Sprintf(".%s.opcat-%s.%s", base, kind, randomSuffix()))
}

func randomSuffix() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("%d", os.Getpid())
	}
	return hex.EncodeToString(b[:])
}

// writeNew writes a staged file; it never replaces a file there.
func writeNew(name string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name)
	}
	return err
}

// keepFormer keeps the former content of target at backup: a second link
// to the same file where the file system allows it, a copy otherwise.
func keepFormer(target, backup string, old []byte, mode os.FileMode) error {
	if err := os.Link(target, backup); err == nil {
		return nil
	}
	return writeNew(backup, old, mode)
}

// restore puts a kept former content back in place.
func restore(backup, target, rel string) error {
	if err := os.Rename(backup, target); err != nil {
		return fmt.Errorf("unable to restore %s (its former content is kept in %s): %w", rel, backup, err)
	}
	return nil
}

func ignoreNotExist(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

func relSlash(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
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

func (p *Plan) sort() {
	sort.Slice(p.Changes, func(i, j int) bool { return p.Changes[i].Path < p.Changes[j].Path })
}
