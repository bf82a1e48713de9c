package kustomize

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/openapi"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/opcat-dev/opcat/lib/fsroot"
)

// Result is the outcome of building one kustomization.
type Result struct {
	// Resources are the rendered objects, in output order. They are shared
	// with the build: copy one before changing it.
	Resources []*kyaml.RNode
	// Err is why the build failed; nil on success.
	Err *BuildError
	out *rendered
}

// rendered prints a build on first use: most callers (validation) only
// look at the objects, and printing is a good part of a build's cost.
type rendered struct {
	once sync.Once
	m    resmap.ResMap
	yaml []byte
}

// YAML returns what `kustomize build` prints, byte for byte; nil when the
// build failed.
func (r *Result) YAML() []byte {
	if r.out == nil {
		return nil
	}
	r.out.once.Do(func() {
		if r.out.m == nil {
			return // read from the cache: printed already
		}
		out, err := r.out.m.AsYaml()
		if err != nil {
			// AsYaml fails only on objects that cannot be marshalled, which a
			// successful build never holds; keep the failure visible.
			out = []byte("# opcat: unable to print the build: " + err.Error() + "\n")
		}
		r.out.yaml = out
	})
	return r.out.yaml
}

// BuildError says why a kustomization did not build, and where the cause
// was written when that can be told.
type BuildError struct {
	// Cause is what kept the kustomization from building: CauseRemote
	// (not fetched), CauseMissingPath, CauseMissingKustomization,
	// CauseInvalidKustomization, CauseBuild (the engine's own failure)...
	Cause Cause
	// Pos is where the cause was written.
	Pos Position
	// Message says what went wrong.
	Message string
	// More are the other causes found in the same build (every missing
	// path of a kustomization, not only the first), in the order found.
	More []Problem
}

// Error writes the error as FILE:LINE:COLUMN: MESSAGE.
func (e *BuildError) Error() string { return e.Pos.String() + ": " + e.Message }

// Builder builds kustomizations of a Tree in-process, as the kustomize CLI
// v5 does by default: load restrictions root-only, no plugins, no Helm, no
// KRM functions, and resources sorted as the CLI sorts them. Remote bases
// and resources are never fetched: such a build fails with cause
// CauseRemote. A Builder is safe for concurrent use.
//
// A Builder remembers what it built. When a kustomization includes folders
// it built already, and neither it nor what it includes uses a feature whose
// meaning depends on being built nested (generators, vars, name prefixes,
// components...), it is built on those folders' rendered output instead of
// building them again: the same engine, on less input. A differential test
// holds the bytes equal to a full build; NoReuse turns the reuse off.
type Builder struct {
	tree *Tree
	// NoReuse makes every build a full build.
	NoReuse bool
	// Cache, when set, keeps what krusty builds across runs: a build whose
	// inputs are unchanged is read back instead of run again.
	Cache *Cache
	built sync.Map // dir -> *Result, successful builds
	// observed remembers the snapshot's answers to the cache's questions.
	observed sync.Map
	// depth counts the plugin configuration folders being built, one
	// inside another, to check what they produce.
	depth int
}

// maxPluginDepth bounds how many plugin configuration folders are built
// one inside another (a generators entry whose folder has a generators
// entry...).
const maxPluginDepth = 4

// NewBuilder returns a Builder over tree.
func NewBuilder(tree *Tree) *Builder { return &Builder{tree: tree} }

func krustyOptions() *krusty.Options {
	return &krusty.Options{
		Reorder:           krusty.ReorderOptionUnspecified,
		AddManagedbyLabel: false,
		LoadRestrictions:  types.LoadRestrictionsRootOnly,
		PluginConfig:      types.DisabledPluginConfig(),
	}
}

// schemaMu serialises the builds that set kyaml's OpenAPI schema. krusty
// keeps the schema an openapi field names (at any level of a build) in
// process-wide state that later builds go on using: a catalog's schema
// would change how every other folder, and every other catalog, renders.
// Builds of a Tree where some kustomization has an openapi field run alone,
// and reset the schema to kyaml's default when done; all other builds run
// together.
var schemaMu sync.RWMutex

// runKrusty runs krusty on fs, alone when the tree sets an OpenAPI schema.
func runKrusty(t *Tree, fs filesys.FileSystem, dir string) (resmap.ResMap, error) {
	if t.setsSchema() {
		schemaMu.Lock()
		defer schemaMu.Unlock()
		defer openapi.ResetOpenAPI()
	} else {
		schemaMu.RLock()
		defer schemaMu.RUnlock()
	}
	return krusty.MakeKustomizer(krustyOptions()).Run(fs, dir)
}

// setsSchema reports whether any file krusty may read as a kustomization
// has an openapi field.
func (t *Tree) setsSchema() bool {
	t.schemaOnce.Do(func() {
		for f, data := range t.files {
			if !t.servesAsKustomization(f, f) {
				continue
			}
			var k types.Kustomization
			if err := k.Unmarshal(data); err == nil && len(k.OpenAPI) > 0 {
				t.schema = true
				return
			}
		}
	})
	return t.schema
}

// Build renders the kustomization in folder dir (relative to the root).
//
// A folder reached through symbolic links is built at its canonical path,
// as kustomize does: relative paths are joined to the real folder, and
// positions name the real files.
func (b *Builder) Build(dir string) Result {
	dir = b.tree.RealPath(path.Clean(dir))
	if r, ok := b.built.Load(dir); ok {
		return *r.(*Result) // the same folder, built already (through another path)
	}
	diag := b.Diagnose(dir)
	for i, p := range diag {
		if p.stopsBuild() {
			return Result{Err: &BuildError{Cause: p.Cause, Pos: p.Pos, Message: p.Message, More: others(diag, i)}}
		}
	}
	if err := b.refuseLarge(dir); err != nil {
		return Result{Err: err}
	}
	if !b.NoReuse {
		if r, ok := b.buildOnRendered(dir); ok {
			return b.keep(dir, r)
		}
	}
	r, err := b.run(b.tree.fs, "full", dir)
	if err != nil {
		return Result{Err: b.explain(dir, err, diag)}
	}
	return b.keep(dir, r)
}

// run runs krusty on fs in folder dir, or reads its outcome from the
// cache when nothing it would read has changed.
func (b *Builder) run(fs *snapshotFS, mode, dir string) (Result, error) {
	if b.Cache == nil {
		m, err := runKrusty(b.tree, fs, fsPath(dir))
		if err != nil {
			return Result{}, err
		}
		return resultOf(m), nil
	}
	var memo *sync.Map
	if fs == b.tree.fs {
		memo = &b.observed
	}
	if out, ok := b.Cache.lookup(fs, memo, mode, dir); ok {
		if !out.OK {
			b.Cache.hits.Add(1)
			return Result{}, errors.New(out.Err)
		}
		if r, err := resultFromCache(out); err == nil {
			b.Cache.hits.Add(1)
			return r, nil
		}
	}
	b.Cache.misses.Add(1)
	rec := newRecordingFS(fs)
	m, err := runKrusty(b.tree, rec, fsPath(dir))
	if err != nil {
		b.Cache.store(rec, memo, mode, dir, outcome{Err: err.Error()})
		return Result{}, err
	}
	r := resultOf(m)
	objects, err := objectsOf(r.Resources)
	if err == nil {
		b.Cache.store(rec, memo, mode, dir, outcome{OK: true, YAML: r.YAML(), Objects: objects})
	}
	return r, nil
}

// objectsOf writes the objects of a build one document each, as they are:
// fields in their order and scalars in their style.
func objectsOf(nodes []*kyaml.RNode) ([]byte, error) {
	var buf bytes.Buffer
	for i, n := range nodes {
		s, err := n.String()
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf.WriteString("---\n")
		}
		buf.WriteString(s)
	}
	return buf.Bytes(), nil
}

// hasAnchor reports whether a node tree holds an anchor or an alias.
func hasAnchor(n *kyaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Anchor != "" || n.Kind == kyaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAnchor(c) {
			return true
		}
	}
	return false
}

// resultFromCache is a successful build read back from the cache.
func resultFromCache(out outcome) (Result, error) {
	// One object per document, a List kept whole; anchors (krusty expands
	// them on input) are expanded where an object holds one.
	r := &kio.ByteReader{
		Reader:                bytes.NewReader(out.Objects),
		OmitReaderAnnotations: true,
		DisableUnwrapping:     true,
	}
	nodes, err := r.Read()
	if err != nil {
		return Result{}, err
	}
	for _, n := range nodes {
		if hasAnchor(n.YNode()) {
			if err := n.DeAnchor(); err != nil {
				return Result{}, err
			}
		}
	}
	if len(nodes) == 0 && len(bytes.TrimSpace(out.YAML)) > 0 {
		return Result{}, errors.New("cache entry without its objects")
	}
	return Result{Resources: nodes, out: &rendered{yaml: out.YAML}}, nil
}

// keep remembers a successful build for the builds that include it.
func (b *Builder) keep(dir string, r Result) Result {
	if r.Err == nil {
		b.built.Store(dir, &r)
	}
	return r
}

func resultOf(m resmap.ResMap) Result {
	res := m.Resources()
	nodes := make([]*kyaml.RNode, len(res))
	for i, r := range res {
		nodes[i] = &r.RNode
	}
	return Result{Resources: nodes, out: &rendered{m: m}}
}

// explain turns a krusty error into a BuildError, using what Diagnose found
// to name the precise cause and where it was written.
func (b *Builder) explain(dir string, err error, diag []Problem) *BuildError {
	msg := b.cleanMessage(err.Error())
	if len(diag) > 0 {
		p := diag[0]
		return &BuildError{Cause: p.Cause, Pos: p.Pos, Message: p.Message, More: others(diag, 0)}
	}
	file := dir
	if f := b.tree.KustomizationFile(dir); len(f) > 0 {
		file = f[0]
	}
	pos := Position{File: file}
	if m := patchOpErrorRE.FindStringSubmatch(msg); m != nil {
		// Among the JSON patches of dir and what it includes, the
		// operation the error names.
		want := "/" + strings.TrimPrefix(m[2], "/")
		if o, ok := b.tree.FindPatchOp(dir, func(o WrittenOp) bool { return o.Op.Op == m[1] && o.Path == want }); ok {
			pos = o.Pos
		}
		msg = m[0]
	}
	return &BuildError{Cause: krustyCause(msg), Pos: pos, Message: msg}
}

// others returns the problems of diag other than the i-th.
func others(diag []Problem, i int) []Problem {
	var out []Problem
	for j, p := range diag {
		if j != i {
			out = append(out, p)
		}
	}
	return out
}

// patchOpErrorRE matches the JSON patch library's error for an operation
// that cannot be applied.
var patchOpErrorRE = regexp.MustCompile(`error in (add|remove|replace|move|copy|test) for path: '([^']*)'[^:]*(?:: [^:]+)*`)

// cleanMessage maps the in-memory paths of a krusty error back to paths
// relative to the catalog root: a path after a quote or a space whose first
// folder is one of the root's loses its leading slash. Other slashes stay,
// such as JSON pointers (path: /spec/channel).
func (b *Builder) cleanMessage(s string) string {
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], fsRoot) && i > 0 && strings.ContainsRune("'\" ", rune(s[i-1])) && b.tree.isRootEntry(s[i+len(fsRoot):]) {
			i += len(fsRoot) - 1
			continue
		}
		out.WriteByte(s[i])
	}
	return out.String()
}

// isRootEntry reports whether rest starts with the name of a file or
// folder at the root of the tree.
func (t *Tree) isRootEntry(rest string) bool {
	end := strings.IndexAny(rest, "/'\" :,")
	if end < 0 {
		end = len(rest)
	}
	name := rest[:end]
	if name == "" || name == "." || name == ".." {
		return false
	}
	_, isFile := t.ReadFile(name)
	return isFile || t.IsDir(name)
}

// remoteRE matches what kustomize fetches: http(s) URLs, and Git URLs as
// its repospec parser reads them, schemes and hosts in any case, with the
// scp-like user@host:path form for any user name.
var remoteRE = regexp.MustCompile(`(?i)^(https?://|git::|ssh://|file://|[a-z][a-z0-9-]*@[^/:]+[/:])|^(github\.com|gitlab\.com|bitbucket\.org)[/:]|\?ref=|\?version=|\.git(//|$|\?)`)

// IsRemote reports whether a resource entry names something kustomize would
// fetch over the network (a Git repository or an HTTP URL).
func IsRemote(entry string) bool { return remoteRE.MatchString(entry) }

// Diagnose walks the kustomizations that dir reaches, without building,
// and reports what would stop a build, each at the entry that causes it:
// remote resources (CauseRemote), entries that do not exist
// (CauseMissingPath), folders without a kustomization file
// (CauseMissingKustomization), files that do not parse, and cycles.
func (b *Builder) Diagnose(dir string) []Problem {
	var out []Problem
	visiting := map[string]bool{}
	done := map[string]bool{}
	var walk func(dir string, via Position)
	walk = func(dir string, via Position) {
		dir = b.tree.RealPath(dir)
		if done[dir] {
			return
		}
		if visiting[dir] {
			out = append(out, Problem{Cause: CauseCycle, Pos: via, Message: fmt.Sprintf("cycle: %s includes itself through its resources", dir)})
			return
		}
		files := b.tree.KustomizationFile(dir)
		switch {
		case len(files) == 0:
			out = append(out, Problem{Cause: CauseMissingKustomization, Pos: via,
				Message: fmt.Sprintf("folder %s has no kustomization.yaml; add one or list its files instead of the folder", dir)})
			return
		case len(files) > 1:
			out = append(out, Problem{Cause: CauseInvalidKustomization, Pos: Position{File: files[1], Line: 1, Column: 1}, stop: true,
				Message: fmt.Sprintf("folder %s holds %s; kustomize refuses more than one kustomization file", dir, strings.Join(files, " and "))})
			return
		}
		visiting[dir] = true
		defer func() { visiting[dir] = false; done[dir] = true }()
		k := b.tree.Kustomization(files[0])
		for _, p := range k.Problems {
			if p.Cause != CauseDuplicateKey {
				out = append(out, p)
			}
		}
		if k.Fields != nil {
			// What the sanitiser refuses, krusty is never given: say why,
			// unless an entry reported below says it at the same place.
			data, _ := b.tree.ReadFile(files[0])
			_, refused := b.tree.sanitizedKustomization(b.tree.RealPath(files[0]), data)
			defer func() { out = mergeProblems(out, refused) }()
			b.checkPluginFiles(dir, k.Fields, &out)
		}
		if k.Node == nil {
			return
		}
		for _, r := range k.Refs() {
			if r.Value == "" {
				continue
			}
			target := path.Join(dir, r.Value)
			switch {
			case IsRemote(r.Value):
				out = append(out, Problem{Cause: CauseRemote, Pos: r.Pos,
					Message: fmt.Sprintf("remote resource %q, not fetched: opcat never uses the network; vendor it into the catalog to check it", r.Value)})
			case !fsroot.Local(target):
				out = append(out, Problem{Cause: CauseOutsideRoot, Pos: r.Pos,
					Message: fmt.Sprintf("%s %q leaves the catalog root", r.Field, r.Value)})
			case b.tree.IsDir(target):
				walk(target, r.Pos)
			default:
				if refused, ok := b.tree.Refused(target); ok {
					out = append(out, Problem{Cause: CauseNeedsRefusedFile, Pos: r.Pos, stop: true,
						Message: fmt.Sprintf("%s entry %q is not read: %s", r.Field, r.Value, refused.Message)})
				} else if p, bad := b.tooManyAliases(target); bad {
					out = append(out, Problem{Cause: CauseAliasExpansion, Pos: r.Pos, stop: true,
						Message: fmt.Sprintf("%s entry %q is not built: %s", r.Field, r.Value, p)})
				} else if _, ok := b.tree.ReadFile(target); !ok {
					out = append(out, Problem{Cause: CauseMissingPath, Pos: r.Pos,
						Message: fmt.Sprintf("%s entry %q does not exist (looked for %s)", r.Field, r.Value, target)})
				}
			}
		}
		for _, p := range k.Patches() {
			if p.Path == "" {
				docs, _ := ParseYAML(k.File, []byte(p.Inline))
				for _, d := range docs {
					if aliasExpansion(d, maxAliasExpansion) > maxAliasExpansion {
						out = append(out, Problem{Cause: CauseAliasExpansion, Pos: p.InlinePos, stop: true,
							Message: fmt.Sprintf("inline patch is not applied: its YAML aliases expand to more than %d nodes", maxAliasExpansion)})
						break
					}
				}
				continue
			}
			target := path.Join(dir, p.Path)
			switch {
			case IsRemote(p.Path):
				out = append(out, Problem{Cause: CauseRemote, Pos: p.PathPos,
					Message: fmt.Sprintf("remote patch %q, not fetched: opcat never uses the network", p.Path)})
			default:
				if refused, ok := b.tree.Refused(target); ok {
					out = append(out, Problem{Cause: CauseNeedsRefusedFile, Pos: p.PathPos, stop: true,
						Message: fmt.Sprintf("patch file %q is not read: %s", p.Path, refused.Message)})
				} else if why, bad := b.tooManyAliases(target); bad {
					out = append(out, Problem{Cause: CauseAliasExpansion, Pos: p.PathPos, stop: true,
						Message: fmt.Sprintf("patch file %q is not applied: %s", p.Path, why)})
				} else if _, ok := b.tree.ReadFile(target); !ok {
					out = append(out, Problem{Cause: CauseMissingPath, Pos: p.PathPos,
						Message: fmt.Sprintf("patch file %q does not exist (looked for %s)", p.Path, target)})
				}
			}
		}
		for _, r := range remoteLoads(k) {
			out = append(out, Problem{Cause: CauseRemote, Pos: r.Pos,
				Message: fmt.Sprintf("remote %s entry %q, not fetched: opcat never uses the network", r.Field, r.Value)})
		}
	}
	walk(dir, Position{File: dir})
	return out
}

// mergeProblems adds to out the problems of more not already reported at
// the same position.
func mergeProblems(out, more []Problem) []Problem {
	at := map[Position]bool{}
	for _, p := range out {
		at[p.Pos] = true
	}
	for _, p := range more {
		if !at[p.Pos] {
			out = append(out, p)
			at[p.Pos] = true
		}
	}
	return out
}

// checkPluginFiles checks the generators, transformers and validators
// entries of a kustomization that name files or folders: every plugin
// configuration document they hold, or that the folder's build produces,
// as the sanitiser checks inline ones. A folder is built first, on the same
// sanitised snapshot, and its output checked before krusty is given the
// kustomization that names it.
func (b *Builder) checkPluginFiles(dir string, k *types.Kustomization, out *[]Problem) {
	file := b.tree.KustomizationFile(dir)[0]
	s := &sanitizer{file: file}
	s.data, _ = b.tree.ReadFile(file)
	for _, f := range []struct {
		name    string
		entries []string
	}{{"generators", k.Generators}, {"transformers", k.Transformers}, {"validators", k.Validators}} {
		for _, e := range f.entries {
			if _, inline, _ := krustyObjects([]byte(e)); inline || nonLocal(e) != "" {
				continue // inline, or refused by the sanitiser
			}
			target := path.Join(dir, e)
			if b.tree.IsDir(target) {
				if _, ok := b.tree.vetted.Load(b.tree.RealPath(target)); ok {
					continue // checked already, and clean
				}
				problems := b.checkPluginFolder(target)
				for _, p := range problems {
					pos := s.posOf(e)
					if p.pos != nil {
						pos = *p.pos
					}
					*out = append(*out, Problem{Cause: p.cause, Pos: pos, stop: true, Message: p.message(f.name, e)})
				}
				if len(problems) == 0 {
					b.tree.vetted.Store(b.tree.RealPath(target), true)
				}
				continue
			}
			data, ok := b.tree.ReadFile(target)
			if !ok {
				continue // the build reports it missing
			}
			docs, inline, err := krustyObjects(data)
			if !inline {
				continue // krusty refuses it as it is
			}
			if err != nil {
				cause := CauseInvalidKustomization
				if err == errAliasBomb {
					cause = CauseAliasExpansion
				}
				*out = append(*out, Problem{Cause: cause, Pos: s.posOf(e), stop: true,
					Message: fmt.Sprintf("%s entry %q is not read: %v", f.name, e, err)})
				continue
			}
			for _, d := range docs {
				for _, p := range checkPluginConfig(d) {
					*out = append(*out, Problem{Cause: p.cause, Pos: s.posOf(e), stop: true,
						Message: fmt.Sprintf("%s entry %q: %s", f.name, e, p.message)})
				}
			}
		}
	}
}

// pluginFolderProblem is why a plugin configuration folder is refused.
type pluginFolderProblem struct {
	cause Cause
	pos   *Position // nil: at the entry naming the folder
	// message says it for the entry e of field.
	message func(field, e string) string
}

// checkPluginFolder checks the plugin configuration folder target: it must
// build, and what krusty accumulates there must name no remote or absolute
// location. A verdict is kept per folder and depth, so that a folder named
// by many entries, at any depth, is checked once.
func (b *Builder) checkPluginFolder(target string) []pluginFolderProblem {
	key := fmt.Sprintf("%s\x00%d", b.tree.RealPath(target), b.depth)
	if v, ok := b.tree.pluginChecked.Load(key); ok {
		return v.([]pluginFolderProblem)
	}
	var out []pluginFolderProblem
	at := func(cause Cause, format string, args ...any) {
		out = append(out, pluginFolderProblem{cause: cause, message: func(field, e string) string {
			return fmt.Sprintf("%s entry %q ", field, e) + fmt.Sprintf(format, args...)
		}})
	}
	if b.depth >= maxPluginDepth {
		at(CausePluginConfig, "is not built: plugin configuration folders nest more than %d deep (a cycle?)", maxPluginDepth)
	} else if res := (&Builder{tree: b.tree, NoReuse: true, depth: b.depth + 1}).Build(target); res.Err != nil {
		if res.Err.Cause.unchecked() {
			pos, msg := res.Err.Pos, res.Err.Message
			out = append(out, pluginFolderProblem{cause: res.Err.Cause, pos: &pos, message: func(field, e string) string {
				return fmt.Sprintf("%s (in %s entry %q)", msg, field, e)
			}})
		} else {
			at(res.Err.Cause, "does not build: %s", res.Err.Message)
		}
	} else if v, ok := b.varsIn(target); ok {
		// krusty accumulates the folder nested in the kustomization
		// naming it, which differs from building it alone: objects
		// marked local-config are kept, and vars are not resolved.
		// Check what the nested accumulation gives.
		at(CausePluginConfig, "is not built: %s declares vars, which kustomize leaves unresolved in plugin configuration", v)
	} else {
		m, err := b.nestedOutput(target)
		var docs []map[string]any
		if err == nil {
			docs, err = pluginObjects(m)
		}
		if err != nil {
			at(CausePluginConfig, "is not built: the configuration it builds cannot be read: %v", b.cleanMessage(err.Error()))
		}
		for _, d := range docs {
			for _, p := range checkPluginConfig(d) {
				at(p.cause, "builds a configuration that is refused: %s", p.message)
			}
		}
	}
	b.tree.pluginChecked.Store(key, out)
	return out
}

// nestedOutput accumulates folder dir as krusty accumulates a folder that a
// generators, transformers or validators entry names: nested in another
// kustomization, where objects marked local-config are not dropped. The
// folder is included by a kustomization opcat writes beside the snapshot,
// which marks every object as not local so that its own build keeps them
// too.
func (b *Builder) nestedOutput(dir string) (resmap.ResMap, error) {
	wrap := ".opcat-nested"
	for b.tree.fs.Exists(fsPath(wrap)) {
		wrap += "-"
	}
	k := fmt.Sprintf("resources:\n- %q\ncommonAnnotations:\n  config.kubernetes.io/local-config: \"false\"\n", "../"+dir)
	fs := newSnapshotFS(b.tree, map[string][]byte{wrap + "/kustomization.yaml": []byte(k)})
	return runKrusty(b.tree, fs, fsPath(wrap))
}

// varsIn reports a kustomization reached from folder dir that declares
// vars.
func (b *Builder) varsIn(dir string) (string, bool) {
	seen := map[string]bool{}
	var walk func(dir string) (string, bool)
	walk = func(dir string) (string, bool) {
		dir = b.tree.RealPath(dir)
		if seen[dir] {
			return "", false
		}
		seen[dir] = true
		for _, f := range b.tree.KustomizationFile(dir) {
			k := b.tree.Kustomization(f)
			if k == nil {
				continue
			}
			if k.Fields != nil && len(k.Fields.Vars) > 0 {
				return f, true
			}
			for _, r := range k.Refs() {
				if t := path.Join(dir, r.Value); nonLocal(r.Value) == "" && b.tree.IsDir(t) {
					if v, ok := walk(t); ok {
						return v, true
					}
				}
			}
		}
		return "", false
	}
	return walk(dir)
}

// tooManyAliases reports a YAML file whose aliases expand beyond
// maxAliasExpansion nodes; kustomize would expand them and exhaust memory.
func (b *Builder) tooManyAliases(file string) (string, bool) {
	docs, _, ok := b.tree.ParseFile(file)
	if !ok {
		return "", false
	}
	for _, d := range docs {
		if n := aliasExpansion(d, maxAliasExpansion); n > maxAliasExpansion {
			return fmt.Sprintf("its YAML aliases expand to more than %d nodes (a \"billion laughs\" document)", maxAliasExpansion), true
		}
	}
	return "", false
}

// remoteLoads returns the entries, other than resources and patches, that
// name a file or repository kustomize would fetch over the network: its file
// loader downloads any http(s) URL and clones Git URLs, whatever field they
// come from.
func remoteLoads(k *Kustomization) []Ref {
	var out []Ref
	add := func(field string, n *kyaml.Node, value string) {
		if n != nil && n.Kind == kyaml.ScalarNode && !strings.Contains(value, "\n") && IsRemote(value) {
			out = append(out, Ref{Field: field, Value: value, Pos: At(k.File, n)})
		}
	}
	each := func(n *kyaml.Node, f func(e *kyaml.Node)) {
		if n != nil && n.Kind == kyaml.SequenceNode {
			for _, e := range n.Content {
				f(e)
			}
		}
	}
	for _, field := range []string{"crds", "configurations", "generators", "transformers", "validators"} {
		each(k.FieldValue(field), func(e *kyaml.Node) { add(field, e, e.Value) })
	}
	if _, n, ok := ScalarAt(k.Node, "openapi", "path"); ok {
		add("openapi", n, n.Value)
	}
	each(k.FieldValue("replacements"), func(e *kyaml.Node) {
		if _, n, ok := ScalarAt(e, "path"); ok {
			add("replacements", n, n.Value)
		}
	})
	for _, field := range []string{"configMapGenerator", "secretGenerator"} {
		each(k.FieldValue(field), func(g *kyaml.Node) {
			_, files := Lookup(g, "files")
			each(files, func(e *kyaml.Node) {
				v := e.Value
				if i := strings.Index(v, "="); i >= 0 && !IsRemote(v) {
					v = v[i+1:] // key=file
				}
				add(field, e, v)
			})
			_, envs := Lookup(g, "envs")
			each(envs, func(e *kyaml.Node) { add(field, e, e.Value) })
			if _, n, ok := ScalarAt(g, "env"); ok {
				add(field, n, n.Value)
			}
		})
	}
	return out
}
