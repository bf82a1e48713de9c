package kustomize

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/types"
	sigsyaml "sigs.k8s.io/yaml"
)

// Reference is a local path that a kustomization names, in any of the ways
// kustomize reads a path.
type Reference struct {
	// Field says where the path is named: a kustomization field such as
	// "resources", "patches.path" or "configMapGenerator.files", or, for a
	// plugin configuration, "transformers: PatchTransformer path".
	Field string
	// Value is the path as written.
	Value string
	// Path is Value resolved against the kustomization's folder: cleaned,
	// with / separators, relative to the root of the file system; it
	// starts with "../" when it leaves the root.
	Path string
}

// maxReferenceFile bounds each file ReferencedPaths reads (the
// kustomization and plugin configurations).
const maxReferenceFile = 10 << 20

// maxReferenceDepth bounds the folders followed from a generators,
// transformers or validators entry, and the symbolic links followed.
const maxReferenceDepth = 40

// pluginPathKeys are the fields of plugin configurations (built-in and
// not) that name a file or folder, lower case: plugin configurations are
// decoded through JSON, which ignores the letter case of keys.
var pluginPathKeys = map[string]bool{
	"path":                  true, // PatchTransformer, PatchJson6902Transformer, ReplacementTransformer replacements[]
	"paths":                 true, // PatchStrategicMergeTransformer
	"files":                 true, // ConfigMapGenerator, SecretGenerator (key=path)
	"envs":                  true,
	"env":                   true,
	"valuesfile":            true, // HelmChartInflationGenerator
	"additionalvaluesfiles": true,
	"values":                true, // the legacy HelmChartArgs values file
	"charthome":             true,
	"confighome":            true,
	"helmhome":              true,
	"targetfilepath":        true, // ValueAddTransformer
}

// ReferencedPaths returns every local path that the kustomization file
// (a slash path in fsys) names, as kustomize reads it: the file is decoded
// with kustomize's own types.Kustomization decoder (keys in any letter
// case), and every field that names a path is listed: resources, bases,
// components, crds, openapi.path, configurations, patches[].path,
// patchesStrategicMerge, patchesJson6902[].path, replacements[].path,
// configMapGenerator and secretGenerator files (key=path), envs and env,
// helmCharts valuesFile and additionalValuesFiles, helmGlobals chartHome
// and configHome (chartHome defaults to "charts" when there are charts),
// and the generators, transformers and validators entries together with
// the path fields inside the plugin configurations they hold (inline,
// in files, or in the resources of the folders they name, which are read
// relative to this kustomization as kustomize does). A referenced path
// that crosses a symbolic link also yields the link's target, when fsys
// implements fs.ReadLinkFS.
//
// Remote URLs and absolute paths are left out; inline patches name no
// path. A kustomization that kustomize would refuse for an unknown field
// is still read, field by field, so that no path it names is missed. The
// list may hold more than kustomize would load (an entry kustomize would
// read as inline text when it is not a file), never less; it is in the
// order of the fields above and holds no duplicate.
func ReferencedPaths(fsys fs.FS, file string) ([]Reference, error) {
	data, err := readBounded(fsys, file)
	if err != nil {
		return nil, err
	}
	var k types.Kustomization
	if err := k.Unmarshal(trimBOM(data)); err != nil {
		// kustomize refuses the file; read what it names all the same.
		if k, err = lenientKustomization(data); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	w := &refWalker{fsys: fsys, dir: path.Dir(file), seen: map[string]bool{}}
	w.walk(&k)
	w.links()
	return w.out, nil
}

// listFields are the kustomization fields that hold a list of strings; a
// single string written in their place is read as a list of one.
var listFields = map[string]bool{
	"resources": true, "bases": true, "components": true, "crds": true, "configurations": true,
	"generators": true, "transformers": true, "validators": true, "patchesstrategicmerge": true,
}

// lenientKustomization decodes a kustomization kustomize refuses (an
// unknown field, a string where a list belongs, a value of another type)
// as far as it can: every field that decodes is kept.
func lenientKustomization(data []byte) (types.Kustomization, error) {
	var k types.Kustomization
	j, err := sigsyaml.YAMLToJSON(trimBOM(data))
	if err != nil {
		return k, err
	}
	var fields map[string]any
	if err := json.Unmarshal(j, &fields); err != nil {
		return k, fmt.Errorf("a kustomization must be a mapping: %w", err)
	}
	for key, v := range fields {
		if s, ok := v.(string); ok && listFields[strings.ToLower(key)] {
			fields[key] = []any{s}
		}
	}
	if j, err = json.Marshal(fields); err != nil {
		return k, err
	}
	// Unmarshal skips a value of the wrong type and decodes the rest.
	var typeErr *json.UnmarshalTypeError
	if err := json.Unmarshal(j, &k); err != nil && !errors.As(err, &typeErr) {
		return k, err
	}
	return k, nil
}

type refWalker struct {
	fsys fs.FS
	dir  string // the kustomization's folder
	out  []Reference
	seen map[string]bool // field + "\x00" + path
}

func (w *refWalker) add(field, value string) {
	value = strings.TrimSpace(value)
	if value == "" || isRemote(value) || path.IsAbs(value) || strings.HasPrefix(value, `\`) {
		return
	}
	p := path.Join(w.dir, value)
	key := field + "\x00" + p
	if w.seen[key] {
		return
	}
	w.seen[key] = true
	w.out = append(w.out, Reference{Field: field, Value: value, Path: p})
}

// isRemote reports whether kustomize may read s as a URL rather than a
// local path.
func isRemote(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "git@") || strings.HasPrefix(s, "git::")
}

func (w *refWalker) walk(k *types.Kustomization) {
	for _, r := range k.Resources {
		w.add("resources", r)
	}
	for _, r := range k.Bases {
		w.add("bases", r)
	}
	for _, r := range k.Components {
		w.add("components", r)
	}
	for _, r := range k.Crds {
		w.add("crds", r)
	}
	if p, ok := k.OpenAPI["path"]; ok {
		w.add("openapi.path", p)
	}
	for _, c := range k.Configurations {
		w.add("configurations", c)
	}
	for _, p := range k.Patches {
		w.add("patches.path", p.Path)
	}
	for _, p := range k.PatchesStrategicMerge {
		if !LooksInline(string(p)) {
			w.add("patchesStrategicMerge", string(p))
		}
	}
	for _, p := range k.PatchesJson6902 {
		w.add("patchesJson6902.path", p.Path)
	}
	for _, r := range k.Replacements {
		w.add("replacements.path", r.Path)
	}
	for _, g := range k.ConfigMapGenerator {
		w.kvSources("configMapGenerator", g.KvPairSources)
	}
	for _, g := range k.SecretGenerator {
		w.kvSources("secretGenerator", g.KvPairSources)
	}
	for _, h := range k.HelmCharts {
		w.add("helmCharts.valuesFile", h.ValuesFile)
		for _, f := range h.AdditionalValuesFiles {
			w.add("helmCharts.additionalValuesFiles", f)
		}
	}
	for _, h := range k.HelmChartInflationGenerator {
		w.add("helmChartInflationGenerator.chartHome", h.ChartHome)
		w.add("helmChartInflationGenerator.values", h.Values)
		w.add("helmChartInflationGenerator.helmHome", h.HelmHome)
	}
	if k.HelmGlobals != nil {
		w.add("helmGlobals.chartHome", k.HelmGlobals.ChartHome)
		w.add("helmGlobals.configHome", k.HelmGlobals.ConfigHome)
	}
	if len(k.HelmCharts) > 0 && (k.HelmGlobals == nil || k.HelmGlobals.ChartHome == "") {
		w.add("helmGlobals.chartHome", types.HelmDefaultHome)
	}
	for _, field := range []struct {
		name    string
		entries []string
	}{{"generators", k.Generators}, {"transformers", k.Transformers}, {"validators", k.Validators}} {
		for _, e := range field.entries {
			w.pluginEntry(field.name, e)
		}
	}
}

func (w *refWalker) kvSources(field string, kv types.KvPairSources) {
	for _, f := range kv.FileSources {
		// [key=]path
		if i := strings.Index(f, "="); i >= 0 {
			f = f[i+1:]
		}
		w.add(field+".files", f)
	}
	for _, e := range kv.EnvSources {
		w.add(field+".envs", e)
	}
	w.add(field+".env", kv.EnvSource)
}

// pluginEntry lists a generators, transformers or validators entry: inline
// plugin configurations, a configuration file, or a folder whose
// kustomization's resources are configurations.
func (w *refWalker) pluginEntry(field, entry string) {
	if docs, ok := inlineDocs(entry); ok {
		w.pluginDocs(field, docs)
		if strings.Contains(entry, "\n") {
			return
		}
		// One line that also reads as a path: list it as both.
	}
	w.add(field, entry)
	w.pluginPath(field, path.Join(w.dir, strings.TrimSpace(entry)), 0, map[string]bool{})
}

// pluginPath reads the plugin configurations at p (a file, or a folder with
// a kustomization), relative to the root.
func (w *refWalker) pluginPath(field, p string, depth int, visited map[string]bool) {
	if depth > maxReferenceDepth || visited[p] || !fs.ValidPath(p) {
		return
	}
	visited[p] = true
	st, err := fs.Stat(w.fsys, p)
	if err != nil {
		return
	}
	if !st.IsDir() {
		data, err := readBounded(w.fsys, p)
		if err != nil {
			return
		}
		w.pluginDocs(field, decodeDocs(data))
		return
	}
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		data, err := readBounded(w.fsys, path.Join(p, name))
		if err != nil {
			continue
		}
		var k types.Kustomization
		j, err := sigsyaml.YAMLToJSON(trimBOM(data))
		if err != nil || json.Unmarshal(j, &k) != nil {
			return
		}
		for _, r := range append(append([]string(nil), k.Resources...), k.Bases...) {
			r = strings.TrimSpace(r)
			if r == "" || isRemote(r) || path.IsAbs(r) {
				continue
			}
			w.pluginPath(field, path.Join(p, r), depth+1, visited)
		}
		return
	}
}

// pluginDocs lists the path fields of plugin configuration documents.
func (w *refWalker) pluginDocs(field string, docs []*yaml.Node) {
	for _, d := range docs {
		n := d
		if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
			n = n.Content[0]
		}
		if n.Kind != yaml.MappingNode {
			continue
		}
		kind, _, _ := ScalarAt(n, "kind")
		if kind == "" {
			kind = "plugin"
		}
		w.pluginNode(field+": "+kind, n, 0)
	}
}

func (w *refWalker) pluginNode(field string, n *yaml.Node, depth int) {
	if depth > maxReferenceDepth {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, v := n.Content[i], n.Content[i+1]
			name := strings.ToLower(key.Value)
			if pluginPathKeys[name] {
				w.pluginValue(field+" "+key.Value, name, v)
				continue
			}
			w.pluginNode(field, v, depth+1)
		}
	case yaml.SequenceNode:
		for _, e := range n.Content {
			w.pluginNode(field, e, depth+1)
		}
	}
}

// pluginValue lists a path field's value: a scalar or a list of scalars;
// under files, entries are [key=]path. A mapping under such a key (a
// replacement's fields beside its path) is searched further.
func (w *refWalker) pluginValue(field, name string, v *yaml.Node) {
	one := func(s string) {
		if name == "files" {
			if i := strings.Index(s, "="); i >= 0 {
				s = s[i+1:]
			}
		}
		w.add(field, s)
	}
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag != "!!null" {
			one(v.Value)
		}
	case yaml.SequenceNode:
		for _, e := range v.Content {
			if e.Kind == yaml.ScalarNode {
				one(e.Value)
			} else {
				w.pluginNode(field, e, 1)
			}
		}
	case yaml.MappingNode:
		w.pluginNode(field, v, 1)
	}
}

// inlineDocs returns the documents of a generators, transformers or
// validators entry that kustomize reads as inline configuration: one that
// decodes to at least one mapping.
func inlineDocs(entry string) ([]*yaml.Node, bool) {
	if !strings.ContainsAny(entry, "\n:{") {
		return nil, false
	}
	docs := decodeDocs([]byte(entry))
	for _, d := range docs {
		if d.Kind == yaml.DocumentNode && len(d.Content) > 0 && d.Content[0].Kind == yaml.MappingNode {
			return docs, true
		}
	}
	return nil, false
}

// decodeDocs decodes the documents of a YAML stream, as far as it parses.
func decodeDocs(data []byte) []*yaml.Node {
	var out []*yaml.Node
	dec := yaml.NewDecoder(strings.NewReader(string(trimBOM(data))))
	for len(out) < 10000 {
		var d yaml.Node
		if err := dec.Decode(&d); err != nil {
			break
		}
		out = append(out, &d)
	}
	return out
}

// links adds the target of every symbolic link a referenced path crosses,
// following links to links up to maxReferenceDepth hops.
func (w *refWalker) links() {
	rl, ok := w.fsys.(fs.ReadLinkFS)
	if !ok {
		return
	}
	hops := make([]int, len(w.out))
	for i := 0; i < len(w.out); i++ {
		r := w.out[i]
		if hops[i] >= maxReferenceDepth || !fs.ValidPath(r.Path) || r.Path == "." {
			continue
		}
		parts := strings.Split(r.Path, "/")
		for j := range parts {
			p := strings.Join(parts[:j+1], "/")
			st, err := rl.Lstat(p)
			if err != nil {
				break
			}
			if st.Mode()&fs.ModeSymlink == 0 {
				continue
			}
			target, err := rl.ReadLink(p)
			if err != nil || path.IsAbs(target) {
				break
			}
			resolved := path.Join(path.Dir(p), target, strings.Join(parts[j+1:], "/"))
			field := strings.TrimSuffix(r.Field, " (link target)") + " (link target)"
			key := field + "\x00" + resolved
			if !w.seen[key] {
				w.seen[key] = true
				w.out = append(w.out, Reference{Field: field, Value: target, Path: resolved})
				hops = append(hops, hops[i]+1)
			}
			break
		}
	}
}

// readBounded reads a file of fsys, refusing one larger than
// maxReferenceFile.
func readBounded(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a folder")}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxReferenceFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxReferenceFile {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("larger than %d bytes", maxReferenceFile)}
	}
	return data, nil
}
