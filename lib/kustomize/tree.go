package kustomize

import (
	"bytes"
	"context"
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

	"github.com/opcat-dev/opcat/lib/fsroot"
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
	// Context, when set, stops the walk once it is done: ReadTree then
	// returns its error (context.Canceled or DeadlineExceeded), wrapped.
	Context context.Context
}

// Tree is a read-only snapshot of every file under a catalog root, taken
// once. Builds run on it in memory, so they cannot read outside the root.
// Any name a filesystem can hold is kept as it is. Symbolic links inside
// the root are kept as links and resolved as kustomize resolves them on
// disk; paths through them work everywhere a path is taken.
type Tree struct {
	root  string
	fs    *snapshotFS
	files map[string][]byte // canonical relative slash path -> content
	dirs  map[string]bool   // canonical relative slash paths of folders ("." is the root)
	// links maps each symbolic link (its path, whose folder is canonical)
	// to the canonical path of what it points at, a file or a folder.
	links map[string]string
	// Problems found while reading: files too large, symlinks leaving the
	// root, folders that could not be read.
	Problems []Problem
	// parsed memoizes ParseFile and Kustomization: every file is parsed
	// once, however many kustomizations, rules and builds look at it.
	parsed sync.Map // file -> *parsedFile
	// refused holds the problems of the paths ReadTree did not read.
	refused map[string]Problem
	// sanitized memoizes the sanitiser's verdict per kustomization file.
	sanitized sync.Map
	// vetted holds the canonical folders, named by generators,
	// transformers or validators entries, whose nested build the Builder
	// checked: the snapshot serves a kustomization naming such a folder
	// only once it is in here.
	vetted sync.Map
	// pluginChecked keeps the Builder's verdict on each plugin
	// configuration folder, per depth.
	pluginChecked sync.Map
	// schema says whether a kustomization sets an OpenAPI schema.
	schemaOnce sync.Once
	schema     bool
	// kustAliases are the files that links named like a kustomization
	// file point at.
	aliasOnce   sync.Once
	kustAliases map[string]bool
	// keepDeprecated hands krusty deprecated fields as written (for the
	// differential test of the modernisation).
	keepDeprecated bool
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
	data, ok := t.ReadFile(file)
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
	data, ok := t.ReadFile(file)
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

// ReadTree reads every file under root into memory. Symbolic links whose
// target is a file or folder inside root are kept as links; links leaving
// root, dangling, looping or naming something other than a regular file or
// folder are refused (cause CauseRefusedFile).
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
	t := newTree(realRoot)
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
		if opts.Context != nil && opts.Context.Err() != nil {
			return opts.Context.Err()
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
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			t.addSymlink(p, rel)
			return nil
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
	t.checkLinks()
	return t, nil
}

func newTree(root string) *Tree {
	t := &Tree{
		root:  root,
		files: map[string][]byte{},
		dirs:  map[string]bool{".": true},
		links: map[string]string{},
	}
	t.fs = newSnapshotFS(t, nil)
	return t
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// addSymlink records a symbolic link whose target is inside the root;
// checkLinks refuses, once every file is read, those whose target the
// snapshot does not hold.
func (t *Tree) addSymlink(p, rel string) {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.problem(rel, fmt.Sprintf("symbolic link cannot be resolved (%v); it is ignored", unwrapPathError(err)))
		return
	}
	r, inside := fsroot.Rel(t.root, target)
	if !inside {
		t.problem(rel, "symbolic link leaves the catalog root; it is ignored")
		return
	}
	st, err := os.Stat(target)
	if err != nil {
		t.problem(rel, fmt.Sprintf("symbolic link cannot be read (%v); it is ignored", unwrapPathError(err)))
		return
	}
	if !st.IsDir() && !st.Mode().IsRegular() {
		t.problem(rel, "symbolic link to something that is not a regular file (a device, pipe or socket); it is ignored")
		return
	}
	if st.IsDir() && (r == "." || r == path.Dir(rel) || strings.HasPrefix(rel, r+"/")) {
		t.problem(rel, "symbolic link to a folder that contains it (a loop); it is not followed")
		return
	}
	t.links[rel] = r
}

// checkLinks refuses the links whose target the snapshot does not hold (a
// file refused or in a folder that is skipped), and links to folders that
// lead back into themselves through other links.
func (t *Tree) checkLinks() {
	names := make([]string, 0, len(t.links))
	for l := range t.links {
		names = append(names, l)
	}
	sort.Strings(names)
	for _, l := range names {
		target := t.links[l]
		if _, ok := t.files[target]; ok || t.dirs[target] {
			continue
		}
		delete(t.links, l)
		if why, ok := t.refused[target]; ok {
			t.problem(l, fmt.Sprintf("symbolic link to %s, which is not read: %s", target, why.Message))
		} else {
			t.problem(l, fmt.Sprintf("symbolic link to %s, which opcat does not read; it is ignored", target))
		}
	}
}

func (t *Tree) addFile(p, rel string, max int64) error {
	st, err := os.Stat(p)
	if err != nil {
		t.problem(rel, fmt.Sprintf("cannot read: %v", unwrapPathError(err)))
		return nil
	}
	if st.Size() > max {
		t.problem(rel, fmt.Sprintf("file is %d bytes, over the file size limit of %d bytes; it is ignored (raise the limit to read it)", st.Size(), max))
		return nil
	}
	data, err := readFileBounded(p, max)
	t.left -= int64(len(data)) // what was read counts, kept or not
	if err != nil {
		t.problem(rel, fmt.Sprintf("cannot read: %v", unwrapPathError(err)))
		return nil
	}
	if int64(len(data)) > max {
		// The file grew, or reports no size as those of /proc do.
		t.problem(rel, fmt.Sprintf("file has more than %d bytes, the file size limit; it is ignored (raise the limit to read it)", max))
		return nil
	}
	t.files[rel] = data
	return nil
}

// readFileBounded reads at most max+1 bytes of file p.
func readFileBounded(p string, max int64) ([]byte, error) {
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

// problem records a file the tree refuses to read, with cause
// CauseRefusedFile; builds that need it fail with the same reason.
func (t *Tree) problem(rel, msg string) {
	p := Problem{Cause: CauseRefusedFile, Pos: Position{File: rel}, Message: msg}
	t.Problems = append(t.Problems, p)
	if t.refused == nil {
		t.refused = map[string]Problem{}
	}
	t.refused[rel] = p
}

// Refused returns why the tree did not read rel, if it refused it.
func (t *Tree) Refused(rel string) (Problem, bool) {
	rel = path.Clean(rel)
	if p, ok := t.refused[rel]; ok {
		return p, ok
	}
	if r := t.RealPath(rel); r != rel {
		p, ok := t.refused[r]
		return p, ok
	}
	return Problem{}, false
}

// NewTreeFromMap builds a Tree from file contents keyed by slash paths
// relative to the root. It is meant for tests and for programs that hold a
// catalog in memory.
func NewTreeFromMap(files map[string]string) *Tree {
	t := newTree(fsRoot)
	for name, content := range files {
		rel := path.Clean(name)
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			if !t.dirs[d] && isKustomizationName(path.Base(d)) {
				t.problem(d, "a folder named like a kustomization file; kustomize cannot read it as one")
			}
			t.dirs[d] = true
		}
		t.files[rel] = []byte(content)
	}
	return t
}

// Root is the absolute path of the catalog root on disk.
func (t *Tree) Root() string { return t.root }

// ReadFile returns the content of a file by its slash path relative to the
// root, and whether it exists.
func (t *Tree) ReadFile(rel string) ([]byte, bool) {
	rel = path.Clean(rel)
	if b, ok := t.files[rel]; ok {
		return b, ok
	}
	if len(t.links) == 0 {
		return nil, false
	}
	b, ok := t.files[t.RealPath(rel)]
	return b, ok
}

// IsDir reports whether rel is a folder of the tree, through links too.
func (t *Tree) IsDir(rel string) bool {
	rel = path.Clean(rel)
	if t.dirs[rel] {
		return true
	}
	return len(t.links) > 0 && t.dirs[t.RealPath(rel)]
}

// RealPath returns the canonical path of rel: the path without symbolic
// links, as filepath.EvalSymlinks gives it, relative to the root. When rel
// does not exist, the links of its existing leading folders are resolved
// and the rest is kept.
func (t *Tree) RealPath(rel string) string {
	c, _ := t.resolveWith(path.Clean(rel), func(r string) bool { return t.dirs[r] }, func(r string) bool { _, ok := t.files[r]; return ok })
	return c
}

// resolveWith follows the links of a clean relative path, one component at
// a time, as filepath.EvalSymlinks does; ok is false when the path does not
// exist (then the path is returned resolved as far as it exists).
func (t *Tree) resolveWith(rel string, isDir, isFile func(string) bool) (string, bool) {
	if rel == "." || rel == "" {
		return ".", true
	}
	if !fsroot.Local(rel) {
		return rel, false
	}
	parts := strings.Split(rel, "/")
	cur := "."
	for i, part := range parts {
		next := path.Join(cur, part)
		if target, ok := t.links[next]; ok {
			next = target
		}
		last := i == len(parts)-1
		switch {
		case isDir(next):
			cur = next
		case last && isFile(next):
			return next, true
		default:
			return path.Join(append([]string{next}, parts[i+1:]...)...), false
		}
	}
	return cur, true
}

// Links returns the symbolic links of the tree that are followed, each
// mapped to the canonical path it points at.
func (t *Tree) Links() map[string]string {
	out := make(map[string]string, len(t.links))
	for l, target := range t.links {
		out[l] = target
	}
	return out
}

// Files returns the relative paths of every file, sorted: each file once,
// at its canonical path.
func (t *Tree) Files() []string {
	out := make([]string, 0, len(t.files))
	for f := range t.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// KustomizationFile returns the kustomization files of folder dir (named
// with one of kustomize's recognised names), in kustomize's order of those
// names: one for a folder kustomize builds, none when the folder has no
// kustomization, several when it holds more than one, which kustomize
// refuses.
func (t *Tree) KustomizationFile(dir string) []string {
	var found []string
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		p := path.Join(dir, name)
		if _, ok := t.ReadFile(p); ok {
			found = append(found, p)
		}
	}
	return found
}

// maxLinkDepth bounds how many folder links KustomizationDirs follows one
// inside another.
const maxLinkDepth = 8

// KustomizationDirs returns every folder that holds a kustomization file,
// sorted: each folder at its canonical path, and again at every path
// through a folder link inside the root (RealPath maps those back).
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
	for l, target := range t.links {
		if names[path.Base(l)] && !t.dirs[target] {
			seen[path.Dir(l)] = true
		}
	}
	canonical := make([]string, 0, len(seen))
	for d := range seen {
		canonical = append(canonical, d)
	}
	sort.Strings(canonical)
	// Folders reached through folder links: every kustomization folder
	// under a link's target, seen under the link's path, and so on through
	// the links found there, never back into a folder already on the way.
	var through func(virt, target string, stack []string)
	through = func(virt, target string, stack []string) {
		if len(stack) > maxLinkDepth {
			return
		}
		for _, d := range canonical {
			if d == target || strings.HasPrefix(d, target+"/") {
				seen[virt+strings.TrimPrefix(d, target)] = true
			}
		}
		for l, lt := range t.links {
			if !t.dirs[lt] || !strings.HasPrefix(l, target+"/") {
				continue
			}
			loop := false
			for _, s := range append(stack, target) {
				if lt == "." || lt == s || strings.HasPrefix(s, lt+"/") {
					loop = true
				}
			}
			if !loop {
				through(virt+strings.TrimPrefix(l, target), lt, append(stack, target))
			}
		}
	}
	for l, target := range t.links {
		if t.dirs[target] {
			through(l, target, []string{path.Dir(l)})
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
