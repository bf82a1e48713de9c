package kustomize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// errReadOnly is what every write to a snapshot filesystem returns.
var errReadOnly = errors.New("the catalog snapshot is read-only")

// snapshotFS is the only filesystem the build engine is given: a
// read-only view of a Tree's snapshot, rooted at fsRoot. It holds any name
// a filesystem can hold, and resolves symbolic links as kustomize's
// on-disk filesystem does (filepath.Abs, then filepath.EvalSymlinks), so
// that the loader's root-only restriction refuses exactly what the
// kustomize CLI refuses on disk. Kustomization files are never served as
// written: ReadFile returns what the sanitiser re-encoded, or an error when
// the sanitiser refuses the file.
type snapshotFS struct {
	t *Tree
	// overlay replaces or adds files (canonical slash paths relative to
	// the root); extraDirs adds folders. Both are fixed at creation.
	overlay   map[string][]byte
	extraDirs map[string]bool

	childrenOnce sync.Once
	children     map[string][]string
}

var _ filesys.FileSystem = (*snapshotFS)(nil)

func newSnapshotFS(t *Tree, overlay map[string][]byte) *snapshotFS {
	s := &snapshotFS{t: t, overlay: overlay, extraDirs: map[string]bool{}}
	for f := range overlay {
		for d := path.Dir(f); d != "." && !t.dirs[d]; d = path.Dir(d) {
			s.extraDirs[d] = true
		}
	}
	return s
}

// relOf maps a filesystem path to a clean slash path relative to the
// root, the way filepath.Abs cleans it: relative paths are taken from the
// root, which is the filesystem's working folder.
func relOf(p string) string {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = fsRoot + p
	}
	r := strings.TrimPrefix(path.Clean(p), "/")
	if r == "" {
		return "."
	}
	return r
}

func (s *snapshotFS) isDirCanon(rel string) bool { return s.t.dirs[rel] || s.extraDirs[rel] }

func (s *snapshotFS) fileCanon(rel string) ([]byte, bool) {
	if b, ok := s.overlay[rel]; ok {
		return b, true
	}
	b, ok := s.t.files[rel]
	return b, ok
}

// resolve follows the symbolic links of a clean relative path, as
// filepath.EvalSymlinks does, and returns the canonical path and whether
// it names a file or folder of the snapshot.
func (s *snapshotFS) resolve(rel string) (string, bool) {
	return s.t.resolveWith(rel, s.isDirCanon, func(r string) bool { _, ok := s.fileCanon(r); return ok })
}

func (s *snapshotFS) Create(p string) (filesys.File, error) {
	return nil, &fs.PathError{Op: "create", Path: p, Err: errReadOnly}
}
func (s *snapshotFS) Mkdir(p string) error {
	return &fs.PathError{Op: "mkdir", Path: p, Err: errReadOnly}
}
func (s *snapshotFS) MkdirAll(p string) error {
	return &fs.PathError{Op: "mkdir", Path: p, Err: errReadOnly}
}
func (s *snapshotFS) RemoveAll(p string) error {
	return &fs.PathError{Op: "remove", Path: p, Err: errReadOnly}
}
func (s *snapshotFS) WriteFile(p string, _ []byte) error {
	return &fs.PathError{Op: "write", Path: p, Err: errReadOnly}
}

func (s *snapshotFS) Open(p string) (filesys.File, error) {
	data, err := s.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return &snapFile{name: path.Base(relOf(p)), r: bytes.NewReader(data), size: int64(len(data))}, nil
}

func (s *snapshotFS) IsDir(p string) bool {
	c, ok := s.resolve(relOf(p))
	return ok && s.isDirCanon(c)
}

func (s *snapshotFS) Exists(p string) bool {
	_, ok := s.resolve(relOf(p))
	return ok
}

func (s *snapshotFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	c, ok := s.resolve(relOf(p))
	if !ok {
		return "", "", fmt.Errorf("evalsymlink failure on '%s' : lstat %s: no such file or directory", p, fsPath(relOf(p)))
	}
	if s.isDirCanon(c) {
		return filesys.ConfirmedDir(fsPath(c)), "", nil
	}
	return filesys.ConfirmedDir(fsPath(path.Dir(c))), path.Base(c), nil
}

func (s *snapshotFS) ReadFile(p string) ([]byte, error) {
	rel := relOf(p)
	c, ok := s.resolve(rel)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	data, ok := s.fileCanon(c)
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New("is a directory")}
	}
	if s.t.servesAsKustomization(rel, c) {
		sf := s.t.sanitizedEntry(c, data)
		if len(sf.problems) > 0 {
			return nil, &errRefused{sf.problems[0]}
		}
		if e, bad := s.unvettedPluginDir(c, sf.pluginDirs); bad {
			return nil, &errRefused{Problem{Cause: CausePluginConfig, Pos: Position{File: c, Line: 1, Column: 1}, stop: true,
				Message: fmt.Sprintf("plugin configuration folder %q was not checked before the build; the folder is not built", e)}}
		}
		return sf.out, nil
	}
	return data, nil
}

func (s *snapshotFS) childIndex() map[string][]string {
	s.childrenOnce.Do(func() {
		m := map[string][]string{}
		add := func(rel string) {
			if rel != "." {
				d := path.Dir(rel)
				m[d] = append(m[d], path.Base(rel))
			}
		}
		for f := range s.t.files {
			if _, over := s.overlay[f]; !over {
				add(f)
			}
		}
		for f := range s.overlay {
			add(f)
		}
		for d := range s.t.dirs {
			add(d)
		}
		for d := range s.extraDirs {
			add(d)
		}
		for l := range s.t.links {
			add(l)
		}
		for d := range m {
			sort.Strings(m[d])
		}
		s.children = m
	})
	return s.children
}

func (s *snapshotFS) ReadDir(p string) ([]string, error) {
	c, ok := s.resolve(relOf(p))
	if !ok || !s.isDirCanon(c) {
		return nil, &fs.PathError{Op: "readdirent", Path: p, Err: fs.ErrNotExist}
	}
	return append([]string(nil), s.childIndex()[c]...), nil
}

// Glob emulates filepath.Glob on the snapshot, and drops hidden files
// unless the pattern names them, as the on-disk filesystem does.
func (s *snapshotFS) Glob(pattern string) ([]string, error) {
	if _, err := filepath.Match(pattern, ""); err != nil {
		return nil, err
	}
	var out []string
	var walk func(virt string, parts []string)
	walk = func(virt string, parts []string) {
		if len(parts) == 0 {
			if _, ok := s.resolve(relOf(virt)); ok {
				out = append(out, virt)
			}
			return
		}
		c, ok := s.resolve(relOf(virt))
		if !ok || !s.isDirCanon(c) {
			return
		}
		for _, name := range s.childIndex()[c] {
			if m, _ := filepath.Match(parts[0], name); m {
				walk(path.Join(virt, name), parts[1:])
			}
		}
	}
	rel := relOf(pattern)
	walk(fsRoot, strings.Split(rel, "/"))
	sort.Strings(out)
	if filesys.IsHiddenFilePath(pattern) {
		return out, nil
	}
	return filesys.RemoveHiddenFiles(out), nil
}

// Walk walks the snapshot as filepath.Walk walks a disk: in lexical order,
// without following symbolic links below the starting path.
func (s *snapshotFS) Walk(p string, fn filepath.WalkFunc) error {
	rel := relOf(p)
	c, ok := s.resolve(rel)
	if !ok {
		return fn(p, nil, &fs.PathError{Op: "lstat", Path: p, Err: fs.ErrNotExist})
	}
	var walk func(virt, canon string) error
	walk = func(virt, canon string) error {
		if !s.isDirCanon(canon) {
			data, _ := s.fileCanon(canon)
			return fn(virt, &snapInfo{name: path.Base(virt), size: int64(len(data))}, nil)
		}
		if err := fn(virt, &snapInfo{name: path.Base(virt), dir: true}, nil); err != nil {
			if errors.Is(err, filepath.SkipDir) {
				return nil
			}
			return err
		}
		for _, name := range s.childIndex()[canon] {
			child := path.Join(canon, name)
			if _, isLink := s.t.links[child]; isLink {
				if err := fn(path.Join(virt, name), &snapInfo{name: name, link: true}, nil); err != nil && !errors.Is(err, filepath.SkipDir) {
					return err
				}
				continue
			}
			if err := walk(path.Join(virt, name), child); err != nil {
				if errors.Is(err, filepath.SkipDir) {
					continue
				}
				return err
			}
		}
		return nil
	}
	err := walk(p, c)
	if errors.Is(err, filepath.SkipDir) || errors.Is(err, filepath.SkipAll) {
		return nil
	}
	return err
}

// snapFile is a file of the snapshot opened for reading.
type snapFile struct {
	name string
	r    *bytes.Reader
	size int64
}

func (f *snapFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *snapFile) Write([]byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: f.name, Err: errReadOnly}
}
func (f *snapFile) Close() error               { return nil }
func (f *snapFile) Stat() (os.FileInfo, error) { return &snapInfo{name: f.name, size: f.size}, nil }

var _ io.ReadWriteCloser = (*snapFile)(nil)

// snapInfo describes a file or folder of the snapshot.
type snapInfo struct {
	name      string
	size      int64
	dir, link bool
}

func (i *snapInfo) Name() string { return i.name }
func (i *snapInfo) Size() int64  { return i.size }
func (i *snapInfo) Mode() fs.FileMode {
	switch {
	case i.dir:
		return fs.ModeDir | 0o555
	case i.link:
		return fs.ModeSymlink | 0o777
	}
	return 0o444
}
func (i *snapInfo) ModTime() time.Time { return time.Time{} }
func (i *snapInfo) IsDir() bool        { return i.dir }
func (i *snapInfo) Sys() any           { return nil }
