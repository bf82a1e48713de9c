package kustomize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// DefaultMaxFileSize is the largest file a Tree reads unless told otherwise.
const DefaultMaxFileSize = 10 << 20

// DefaultMaxTotalSize bounds the bytes of all the files of a Tree unless
// told otherwise: far above real catalogs, far below what would exhaust
// memory when the root is not a catalog (/, /proc).
const DefaultMaxTotalSize = 256 << 20

// TreeOptions tune how a Tree is read. The zero value works.
type TreeOptions struct {
	// MaxFileSize is the largest file read, in bytes; larger files are
	// reported and left out. Zero means DefaultMaxFileSize.
	MaxFileSize int64
	// MaxTotalSize bounds the bytes of all files read together; past it
	// ReadTree fails. Zero means DefaultMaxTotalSize, less than zero no
	// limit.
	MaxTotalSize int64
}

// Tree is a read-only snapshot of every file under a catalog root, taken
// once. Builds run on it in memory, so they cannot read outside the root.
type Tree struct {
	root  string
	fs    filesys.FileSystem
	files map[string][]byte // relative slash path -> content
	dirs  map[string]bool   // relative slash paths of folders ("." is the root)
	// Problems found while reading: files too large, symlinks leaving the
	// root, folders that could not be read.
	Problems []Problem
	// parsed memoizes ParseFile and Kustomization: every file is parsed
	// once, however many kustomizations, rules and builds look at it.
	parsed sync.Map // file -> *parsedFile
	sorted sortedFiles
	// refused holds the problems of the paths ReadTree did not read.
	refused map[string]Problem
	// left is what ReadTree may still read, in bytes.
	left int64
}

type parsedFile struct {
	once     sync.Once
	docs     []*yaml.Node
	problems []Problem
	k        *Kustomization
	ops      []Op
}

func (t *Tree) entry(file string) *parsedFile {
	if e, ok := t.parsed.Load(file); ok {
		return e.(*parsedFile)
	}
	e, _ := t.parsed.LoadOrStore(file, &parsedFile{})
	return e.(*parsedFile)
}

// ParseFile parses a file of the tree as YAML, once: later calls return
// the same nodes, which callers must not change (copy them first). ok is
// false when the file does not exist.
func (t *Tree) ParseFile(file string) (docs []*yaml.Node, problems []Problem, ok bool) {
	file = path.Clean(file)
	data, ok := t.files[file]
	if !ok {
		return nil, nil, false
	}
	e := t.entry("yaml:" + file)
	e.once.Do(func() { e.docs, e.problems = ParseYAML(file, data) })
	return e.docs, e.problems, true
}

// Kustomization returns the parsed kustomization file, once; nil when the
// file does not exist. The result is shared: do not change it.
func (t *Tree) Kustomization(file string) *Kustomization {
	file = path.Clean(file)
	data, ok := t.files[file]
	if !ok {
		return nil
	}
	e := t.entry("kustomization:" + file)
	e.once.Do(func() {
		docs, problems, _ := t.ParseFile(file)
		e.k = kustomizationOf(file, data, docs, problems)
	})
	return e.k
}

// fsRoot is where the catalog root sits in the in-memory filesystem.
const fsRoot = "/"

// ReadTree reads every file under root into memory. It does not follow
// symbolic links to folders, and takes a symbolic link to a file only when
// its target is inside root.
func ReadTree(root string, opts TreeOptions) (*Tree, error) {
	max := opts.MaxFileSize
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("unable to read catalog %s: %w", root, err)
	}
	realRoot, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("unable to read catalog %s: %w", root, err)
	}
	info, err := os.Stat(realRoot)
	if err != nil {
		return nil, fmt.Errorf("unable to read catalog %s: %w", root, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("unable to read catalog %s: not a folder", root)
	}
	t := &Tree{
		root:  realRoot,
		fs:    filesys.MakeFsInMemory(),
		files: map[string][]byte{},
		dirs:  map[string]bool{".": true},
	}
	t.left = opts.MaxTotalSize
	switch {
	case t.left == 0:
		t.left = DefaultMaxTotalSize
	case t.left < 0:
		t.left = math.MaxInt64
	}
	tooLarge := fmt.Errorf("its files hold more than %d bytes, the limit for a catalog; is it the catalog root?", t.left)
	err = filepath.WalkDir(realRoot, func(p string, d fs.DirEntry, err error) error {
		if t.left < 0 {
			return tooLarge
		}
		rel, _ := filepath.Rel(realRoot, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			t.problem(rel, fmt.Sprintf("cannot read: %v", unwrapPathError(err)))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if rel != "." && (d.Name() == ".git" || d.Name() == "node_modules") {
				return fs.SkipDir
			}
			if isKustomizationName(d.Name()) {
				t.problem(rel, "a folder named like a kustomization file; kustomize cannot read it as one")
			}
			t.dirs[rel] = true
			return t.fs.MkdirAll(fsRoot + rel)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return t.addSymlink(p, rel, max)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return t.addFile(p, rel, max)
	})
	if err == nil && t.left < 0 {
		err = tooLarge
	}
	if err != nil {
		return nil, fmt.Errorf("unable to read catalog %s: %w", root, err)
	}
	return t, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (t *Tree) addSymlink(p, rel string, max int64) error {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.problem(rel, fmt.Sprintf("symbolic link cannot be resolved (%v); it is ignored", unwrapPathError(err)))
		return nil
	}
	if !within(t.root, target) {
		t.problem(rel, "symbolic link leaves the catalog root; it is ignored")
		return nil
	}
	st, err := os.Stat(target)
	if err != nil {
		t.problem(rel, fmt.Sprintf("symbolic link cannot be read (%v); it is ignored", unwrapPathError(err)))
		return nil
	}
	if st.IsDir() {
		t.problem(rel, "symbolic link to a folder is not followed")
		return nil
	}
	if !st.Mode().IsRegular() {
		t.problem(rel, "symbolic link to something that is not a regular file (a device, pipe or socket); it is ignored")
		return nil
	}
	return t.addFile(target, rel, max)
}

func within(root, p string) bool {
	r, err := filepath.Rel(root, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

func (t *Tree) addFile(p, rel string, max int64) error {
	st, err := os.Stat(p)
	if err != nil {
		t.problem(rel, fmt.Sprintf("cannot read: %v", unwrapPathError(err)))
		return nil
	}
	if st.Size() > max {
		t.problem(rel, fmt.Sprintf("file is %d bytes, over the limit of %d bytes (--max-file-size); it is ignored", st.Size(), max))
		return nil
	}
	data, err := readBounded(p, max)
	t.left -= int64(len(data)) // what was read counts, kept or not
	if err != nil {
		t.problem(rel, fmt.Sprintf("cannot read: %v", unwrapPathError(err)))
		return nil
	}
	if int64(len(data)) > max {
		// The file grew, or reports no size as those of /proc do.
		t.problem(rel, fmt.Sprintf("file has more than %d bytes, the limit (--max-file-size); it is ignored", max))
		return nil
	}
	t.files[rel] = data
	return t.fs.WriteFile(fsRoot+rel, data)
}

// readBounded reads at most max+1 bytes of file p.
func readBounded(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// A read deadline takes only on what the runtime polls (/proc/kmsg,
	// devices): a file that may block forever is no catalog file.
	if f.SetReadDeadline(time.Now().Add(time.Second)) == nil {
		return nil, errors.New("not a plain file: reading it may wait forever")
	}
	return io.ReadAll(io.LimitReader(f, max+1))
}

// problem records a file the tree refuses to read, under kind
// file-refused; builds that need it fail with the same reason.
func (t *Tree) problem(rel, msg string) {
	p := Problem{Kind: "file-refused", Pos: Position{File: rel}, Message: msg}
	t.Problems = append(t.Problems, p)
	if t.refused == nil {
		t.refused = map[string]Problem{}
	}
	t.refused[rel] = p
}

// Refused returns why the tree did not read rel, if it refused it.
func (t *Tree) Refused(rel string) (Problem, bool) {
	p, ok := t.refused[path.Clean(rel)]
	return p, ok
}

// NewTreeFromMap builds a Tree from file contents keyed by slash paths
// relative to the root. It is meant for tests and for programs that hold a
// catalog in memory.
func NewTreeFromMap(files map[string]string) *Tree {
	t := &Tree{root: fsRoot, fs: filesys.MakeFsInMemory(), files: map[string][]byte{}, dirs: map[string]bool{".": true}}
	for name, content := range files {
		rel := path.Clean(name)
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			if !t.dirs[d] && isKustomizationName(path.Base(d)) {
				t.problem(d, "a folder named like a kustomization file; kustomize cannot read it as one")
			}
			t.dirs[d] = true
		}
		t.files[rel] = []byte(content)
		_ = t.fs.MkdirAll(fsRoot + path.Dir(rel))
		_ = t.fs.WriteFile(fsRoot+rel, []byte(content))
	}
	return t
}

// Root is the absolute path of the catalog root on disk.
func (t *Tree) Root() string { return t.root }

// ReadFile returns the content of a file by its slash path relative to the
// root, and whether it exists.
func (t *Tree) ReadFile(rel string) ([]byte, bool) {
	b, ok := t.files[path.Clean(rel)]
	return b, ok
}

// IsDir reports whether rel is a folder of the tree.
func (t *Tree) IsDir(rel string) bool { return t.dirs[path.Clean(rel)] }

// Files returns the relative paths of every file, sorted.
func (t *Tree) Files() []string {
	out := make([]string, 0, len(t.files))
	for f := range t.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// KustomizationFile returns the kustomization file of folder dir (one of
// kustomize's recognised names), or "" when it has none. When a folder holds
// more than one, all are returned, as kustomize refuses that.
func (t *Tree) KustomizationFile(dir string) []string {
	var found []string
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		p := path.Join(dir, name)
		if _, ok := t.files[p]; ok {
			found = append(found, p)
		}
	}
	return found
}

// KustomizationDirs returns every folder that holds a kustomization file,
// sorted.
func (t *Tree) KustomizationDirs() []string {
	seen := map[string]bool{}
	names := map[string]bool{}
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		names[n] = true
	}
	for f := range t.files {
		if names[path.Base(f)] {
			seen[path.Dir(f)] = true
		}
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// fsPath maps a relative slash path to the in-memory filesystem.
func fsPath(rel string) string {
	if rel == "." || rel == "" {
		return fsRoot
	}
	return fsRoot + path.Clean(rel)
}

// relPath maps an in-memory path back to a path relative to the root.
func relPath(p string) string {
	r := strings.TrimPrefix(path.Clean(p), fsRoot)
	if r == "" {
		return "."
	}
	return r
}

// trimBOM removes a UTF-8 byte order mark, which kustomize accepts.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

func isKustomizationName(name string) bool {
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		if n == name {
			return true
		}
	}
	return false
}
