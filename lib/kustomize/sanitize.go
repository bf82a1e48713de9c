package kustomize

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/provider"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	sigsyaml "sigs.k8s.io/yaml"
)

// The sanitiser stands between a catalog's kustomization files and the
// build engine. krusty's loader, Git cloner and HTTP client are internal to
// kustomize, so the guarantee that a build never fetches or runs anything
// comes from what krusty is given: every kustomization file it reads
// through the snapshot filesystem is decoded with kustomize's own decoder
// (types.Kustomization.Unmarshal, as krusty decodes it: keys in any letter
// case, the last duplicate winning) and re-encoded from an allow-list of
// fields. A field the allow-list does not copy makes the file refused, so a
// field added to kustomize later can never slip through. Every value that
// names a file, folder or URL is checked: a remote or absolute one refuses
// the file.

// sanitizeFile decodes a kustomization file as krusty does and
// returns what opcat hands krusty instead: the same kustomization,
// re-encoded from an allow-list of fields, with deprecated fields moved to
// their modern equivalents where kustomize's output is the same. problems
// is non-empty when the file is refused (out is then nil): it does not
// decode, uses a field the allow-list does not know, runs Helm, or names a
// remote or absolute location. Given only the file, it cannot read the
// plugin configuration files and folders that generators, transformers
// and validators entries name; a Tree's snapshot checks those too.
func sanitizeFile(file string, data []byte) (out []byte, problems []Problem) {
	out, problems, _ = sanitizeKustomization(file, data, true, nil)
	return out, problems
}

// readFunc reads a file relative to a kustomization's folder.
type readFunc func(rel string) ([]byte, bool)

// pluginDirs are the generators, transformers and validators entries
// that may name folders: what krusty builds there is checked by the
// Builder, not here.
func sanitizeKustomization(file string, data []byte, modernize bool, read readFunc) (out []byte, problems []Problem, pluginDirs []string) {
	var k types.Kustomization
	if err := k.Unmarshal(data); err != nil {
		return nil, []Problem{{Cause: CauseInvalidKustomization, Pos: Position{File: file, Line: 1, Column: 1}, stop: true,
			Message: "kustomize refuses the file: " + strings.TrimPrefix(err.Error(), "invalid Kustomization: ")}}, nil
	}
	s := &sanitizer{file: file, data: data, read: read}
	c := s.copyAllowed(&k)
	if !reflect.DeepEqual(&k, c) {
		s.refuse(CauseInvalidKustomization, "", fmt.Sprintf("field %s is not one opcat knows; the folder is not built", differingField(&k, c)))
	}
	if len(s.problems) > 0 {
		return nil, s.problems, nil
	}
	if modernize {
		modernizeKustomization(c, read)
	}
	out, err := sigsyaml.Marshal(c)
	if err == nil && c.MetaData == nil && emptyForKrusty(out) && !emptyForKrusty(data) {
		// An empty list (resources: []) makes a kustomization non-empty to
		// krusty, and the encoder drops it: keep the verdict with a
		// metadata field, which the build does not use.
		c.MetaData = &types.ObjectMeta{}
		out, err = sigsyaml.Marshal(c)
	}
	if err != nil {
		return nil, []Problem{{Cause: CauseInvalidKustomization, Pos: Position{File: file, Line: 1, Column: 1}, stop: true,
			Message: "the kustomization cannot be re-encoded: " + err.Error()}}, nil
	}
	return out, nil, s.pluginDirs
}

// emptyForKrusty reports whether krusty would refuse a kustomization file
// as empty: it decodes it, applies its own fixes, then compares it with an
// empty kustomization.
func emptyForKrusty(data []byte) bool {
	var k types.Kustomization
	if err := k.Unmarshal(data); err != nil {
		return false
	}
	k.FixKustomization()
	return k.CheckEmpty() != nil
}

type sanitizer struct {
	file string
	data []byte
	read readFunc // nil when files beside the kustomization are not known
	// pluginDirs are the plugin entries that are local paths but not
	// files krusty decodes.
	pluginDirs []string
	nodes      []*yaml.Node
	parsed     bool
	problems   []Problem
}

// refuse records why the file is refused, at the value when it can be
// found in the file.
func (s *sanitizer) refuse(cause Cause, value, msg string) {
	s.problems = append(s.problems, Problem{Cause: cause, Pos: s.posOf(value), Message: msg, stop: true})
}

func (s *sanitizer) posOf(value string) Position {
	if !s.parsed {
		s.parsed = true
		s.nodes, _ = ParseYAML(s.file, s.data)
	}
	if value != "" {
		for _, d := range s.nodes {
			if n := findScalar(d, value); n != nil {
				return At(s.file, n)
			}
		}
	}
	return Position{File: s.file, Line: 1, Column: 1}
}

// posOfKey finds a top-level key of the file, in any letter case.
func (s *sanitizer) posOfKey(keys ...string) Position {
	s.posOf("")
	for _, d := range s.nodes {
		if len(d.Content) == 0 || d.Content[0].Kind != yaml.MappingNode {
			continue
		}
		m := d.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			for _, k := range keys {
				if strings.EqualFold(m.Content[i].Value, k) {
					return At(s.file, m.Content[i])
				}
			}
		}
	}
	return Position{File: s.file, Line: 1, Column: 1}
}

func findScalar(n *yaml.Node, value string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Value == value {
		return n
	}
	for _, c := range n.Content {
		if f := findScalar(c, value); f != nil {
			return f
		}
	}
	return nil
}

// checkPath refuses a value that names a remote or absolute location.
func (s *sanitizer) checkPath(field, value string) {
	if why := nonLocal(value); why != "" {
		cause := CauseRemote
		if why == "absolute" {
			cause = CauseOutsideRoot
		}
		s.refuse(cause, value, fmt.Sprintf("%s entry %q is %s; opcat never fetches or reads outside the catalog, so the folder is not built", field, value, describeNonLocal(why)))
	}
}

func describeNonLocal(why string) string {
	switch why {
	case "absolute":
		return "an absolute path"
	case "git":
		return "a remote Git repository"
	default:
		return "a remote URL"
	}
}

// nonLocal says why a path value names something outside the snapshot:
// "url" (anything with a scheme; kustomize's loader downloads http and
// https), "git" (what kustomize's repository parser accepts, and the
// git:: prefix it strips), "absolute", or "" for a relative local path.
func nonLocal(v string) string {
	t := strings.TrimSpace(v)
	switch {
	case strings.HasPrefix(t, "/") || strings.HasPrefix(t, `\`) || filepath.IsAbs(t) || filepath.VolumeName(t) != "":
		return "absolute"
	case strings.HasPrefix(strings.ToLower(t), "git::"):
		return "git"
	case strings.Contains(t, "://"):
		return "url"
	}
	if u, err := url.Parse(t); err == nil && u.Scheme != "" && u.Opaque == "" {
		return "url"
	}
	if isRepoSpec(v) {
		return "git"
	}
	return ""
}

// isRepoSpec asks kustomize's own repository parser, through the public
// resource.Origin, whether it would clone v.
func isRepoSpec(v string) (yes bool) {
	defer func() {
		if recover() != nil {
			yes = true // fail closed
		}
	}()
	return (&resource.Origin{}).Append(v).Repo != ""
}

// copyAllowed copies, field by field, what opcat knows of a decoded
// kustomization, checking every value that names a location. Whatever it
// does not copy makes the copy differ from the original.
func (s *sanitizer) copyAllowed(k *types.Kustomization) *types.Kustomization {
	c := &types.Kustomization{}
	c.TypeMeta = k.TypeMeta
	c.MetaData = k.MetaData
	c.NamePrefix, c.NameSuffix, c.Namespace = k.NamePrefix, k.NameSuffix, k.Namespace
	c.CommonLabels, c.Labels, c.CommonAnnotations = k.CommonLabels, k.Labels, k.CommonAnnotations
	c.BuildMetadata = k.BuildMetadata
	c.Images, c.ImageTags, c.Replicas, c.Vars = k.Images, k.ImageTags, k.Replicas, k.Vars
	c.SortOptions = k.SortOptions
	c.GeneratorOptions = k.GeneratorOptions

	if k.OpenAPI != nil {
		for key, v := range k.OpenAPI {
			if key != "version" {
				s.checkPath("openapi", v)
			}
		}
		c.OpenAPI = k.OpenAPI
	}
	for _, f := range []struct {
		name string
		in   []string
		out  *[]string
	}{
		{"resources", k.Resources, &c.Resources},
		{"bases", k.Bases, &c.Bases},
		{"components", k.Components, &c.Components},
		{"crds", k.Crds, &c.Crds},
		{"configurations", k.Configurations, &c.Configurations},
	} {
		for _, v := range f.in {
			s.checkPath(f.name, v)
		}
		*f.out = f.in
	}
	for _, p := range k.PatchesStrategicMerge {
		if aliasBomb([]byte(p)) {
			s.refuse(CauseAliasExpansion, string(p), aliasBombMessage("patchesStrategicMerge entry"))
		} else if !readsAsPatchText(string(p)) {
			s.checkPath("patchesStrategicMerge", string(p))
		}
	}
	c.PatchesStrategicMerge = k.PatchesStrategicMerge
	for _, p := range k.PatchesJson6902 {
		s.checkPath("patchesJson6902", p.Path)
	}
	c.PatchesJson6902 = k.PatchesJson6902
	for _, p := range k.Patches {
		s.checkPath("patches", p.Path)
	}
	c.Patches = k.Patches
	for _, r := range k.Replacements {
		s.checkPath("replacements", r.Path)
	}
	c.Replacements = k.Replacements
	for _, g := range k.ConfigMapGenerator {
		s.checkGenerator("configMapGenerator", g.GeneratorArgs)
	}
	c.ConfigMapGenerator = k.ConfigMapGenerator
	for _, g := range k.SecretGenerator {
		s.checkGenerator("secretGenerator", g.GeneratorArgs)
	}
	c.SecretGenerator = k.SecretGenerator
	for _, f := range []struct {
		name string
		in   []string
		out  *[]string
	}{
		{"generators", k.Generators, &c.Generators},
		{"transformers", k.Transformers, &c.Transformers},
		{"validators", k.Validators, &c.Validators},
	} {
		for _, v := range f.in {
			s.checkPluginEntry(f.name, v)
		}
		*f.out = f.in
	}
	// Helm runs a program: never copied, always refused.
	if len(k.HelmCharts) > 0 || len(k.HelmChartInflationGenerator) > 0 || k.HelmGlobals != nil {
		s.problems = append(s.problems, Problem{Cause: CauseHelm, Pos: s.posOfKey("helmCharts", "helmChartInflationGenerator", "helmGlobals"), stop: true,
			Message: "helmCharts run the helm program, which opcat never runs; the folder is not built or checked"})
	}
	return c
}

func (s *sanitizer) checkGenerator(field string, g types.GeneratorArgs) {
	for _, f := range g.FileSources {
		s.checkPath(field+" files", f)
		if i := strings.Index(f, "="); i >= 0 {
			s.checkPath(field+" files", f[i+1:])
		}
	}
	for _, e := range g.EnvSources {
		s.checkPath(field+" envs", e)
	}
	s.checkPath(field+" env", g.EnvSource)
}

// checkPluginEntry checks an entry of generators, transformers or
// validators as krusty reads it: as inline plugin configuration when its
// resource map factory decodes the entry, and otherwise as a path (a file,
// a folder, a URL or a repository). A local file it names is read and its
// plugin configuration documents checked as inline ones are; what a folder
// builds is checked by the Builder, which builds it first.
func (s *sanitizer) checkPluginEntry(field, v string) {
	if aliasBomb([]byte(v)) {
		s.refuse(CauseAliasExpansion, v, aliasBombMessage(field+" entry"))
		return
	}
	docs, inline, err := krustyObjects([]byte(v))
	if inline {
		if err != nil {
			s.refuse(CauseInvalidKustomization, v, fmt.Sprintf("%s entry cannot be read as kustomize reads it: %v", field, err))
			return
		}
		for _, d := range docs {
			for _, p := range checkPluginConfig(d) {
				s.refuse(p.cause, v, field+": "+p.message)
			}
		}
		return
	}
	s.checkPath(field, v)
	if nonLocal(v) != "" {
		return
	}
	if s.read == nil {
		s.pluginDirs = append(s.pluginDirs, v)
		return
	}
	data, ok := s.read(v)
	if !ok {
		s.pluginDirs = append(s.pluginDirs, v) // a folder, or missing
		return
	}
	if aliasBomb(data) {
		s.refuse(CauseAliasExpansion, v, aliasBombMessage(fmt.Sprintf("%s entry %q", field, v)))
		return
	}
	docs, inline, err = krustyObjects(data)
	if !inline {
		return // krusty refuses the file as it is
	}
	if err != nil {
		s.refuse(CauseInvalidKustomization, v, fmt.Sprintf("%s entry %q cannot be read as kustomize reads it: %v", field, v, err))
		return
	}
	for _, d := range docs {
		for _, p := range checkPluginConfig(d) {
			s.refuse(p.cause, v, fmt.Sprintf("%s entry %q: %s", field, v, p.message))
		}
	}
}

// readsAsPatchText reports whether kustomize reads a patchesStrategicMerge
// entry (or a PatchStrategicMergeTransformer paths entry) as patch text,
// exactly as it decides: its transformer first decodes the entry as
// objects with its resource factory, and reads it as a file or URL only
// when that fails. LooksInline's guess is not enough here:
// "https://host/p.yaml?kind:x" looks like text and is a URL kustomize
// downloads.
func readsAsPatchText(s string) bool {
	_, err := decodeObjects([]byte(s))
	return err == nil
}

// errAliasBomb is what the decoders below return, without decoding, for
// YAML whose aliases expand beyond maxAliasExpansion nodes: kustomize's
// decoders expand them, which takes minutes and gigabytes.
var errAliasBomb = fmt.Errorf("its YAML aliases expand to more than %d nodes", maxAliasExpansion)

func aliasBombMessage(what string) string {
	return fmt.Sprintf("%s is not read: its YAML aliases expand to more than %d nodes (a \"billion laughs\" document); the folder is not built", what, maxAliasExpansion)
}

// aliasBomb reports YAML text whose aliases expand beyond
// maxAliasExpansion nodes.
func aliasBomb(data []byte) bool {
	if !bytes.Contains(data, []byte("*")) {
		return false
	}
	docs, _ := ParseYAML("", data)
	for _, d := range docs {
		if aliasExpansion(d, maxAliasExpansion) > maxAliasExpansion {
			return true
		}
	}
	return false
}

// decodeObjects decodes data with kustomize's own resource factory, as its
// strategic merge patch transformer and resource loader do.
func decodeObjects(data []byte) (res []*resource.Resource, err error) {
	if aliasBomb(data) {
		return nil, errAliasBomb
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kustomize's decoder fails: %v", r)
		}
	}()
	return provider.NewDefaultDepProvider().GetResourceFactory().SliceFromBytes(data)
}

// krustyObjects decodes data as krusty decodes an entry of generators,
// transformers or validators, or the file such an entry names: with its
// resource map factory. inline is false when krusty does not read data as
// objects (it then takes an entry as a path). Each object is returned as
// the plugin loader hands it to a plugin's decoder: printed by kustomize,
// then decoded as JSON.
func krustyObjects(data []byte) (docs []map[string]any, inline bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			docs, inline, err = nil, true, fmt.Errorf("kustomize's decoder fails: %v", r) // fail closed
		}
	}()
	if aliasBomb(data) {
		return nil, true, errAliasBomb // fail closed
	}
	rm, err := resmap.NewFactory(provider.NewDefaultDepProvider().GetResourceFactory()).NewResMapFromBytes(data)
	if err != nil {
		return nil, false, nil
	}
	docs, err = pluginObjects(rm)
	return docs, true, err
}

// pluginObjects returns the objects of m as the plugin loader hands them to
// a plugin's decoder: printed by kustomize, then decoded as JSON.
func pluginObjects(m resmap.ResMap) ([]map[string]any, error) {
	var docs []map[string]any
	for _, r := range m.Resources() {
		y, err := r.AsYAML()
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := sigsyaml.Unmarshal(y, &m); err != nil {
			return nil, err
		}
		docs = append(docs, m)
	}
	return docs, nil
}

type pluginProblem struct {
	cause          Cause
	value, message string
}

// pathKeys are the keys under which kustomize's builtin plugins read a
// file or folder: PatchTransformer, PatchJson6902Transformer and
// ReplacementTransformer path, PatchStrategicMergeTransformer paths,
// ConfigMapGenerator and SecretGenerator files, envs and env,
// ValueAddTransformer targetFilePath, and Helm's chart and values
// locations. They are checked wherever they appear in a plugin
// configuration document, at any depth, and matched as the plugins' JSON
// decoder matches keys: with Unicode case folding, so that "pathſ" (long
// s) and "Path" are "paths" and "path" too.
var pathKeys = []string{
	"path", "paths", "files", "envs", "env",
	"targetFilePath", "chartHome", "configHome", "valuesFile",
	"additionalValuesFiles", "repo",
}

func isPathKey(key string) bool {
	for _, k := range pathKeys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}

// checkPluginConfig checks one plugin configuration document.
func checkPluginConfig(doc map[string]any) []pluginProblem {
	var out []pluginProblem
	kind, _ := doc["kind"].(string)
	if strings.Contains(strings.ToLower(kind), "helm") {
		out = append(out, pluginProblem{CauseHelm, kind, fmt.Sprintf("%s runs the helm program, which opcat never runs; the folder is not built or checked", kind)})
	}
	var walk func(v any, key string)
	check := func(key, s string) {
		values := []string{s}
		if i := strings.Index(s, "="); i >= 0 {
			values = append(values, s[i+1:])
		}
		for _, v := range values {
			if why := nonLocal(v); why != "" {
				out = append(out, pluginProblem{CauseRemote, s, fmt.Sprintf("%s %s %q is %s; opcat never fetches or reads outside the catalog, so the folder is not built", kind, key, s, describeNonLocal(why))})
				return
			}
		}
	}
	walk = func(v any, key string) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k], k)
			}
		case []any:
			for _, e := range x {
				walk(e, key)
			}
		case string:
			// A strategic merge patch transformer reads a paths entry as
			// patch text when it decodes as objects.
			if isPathKey(key) && aliasBomb([]byte(x)) {
				out = append(out, pluginProblem{CauseAliasExpansion, x, fmt.Sprintf("%s %s %s", kind, key, aliasBombMessage("entry"))})
			} else if isPathKey(key) && !(strings.EqualFold(key, "paths") && readsAsPatchText(x)) {
				check(key, x)
			}
		}
	}
	walk(doc, "")
	return out
}

// differingField names the first top-level field where two decoded
// kustomizations differ.
func differingField(a, b *types.Kustomization) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := 0; i < va.NumField(); i++ {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			tag := va.Type().Field(i).Tag.Get("json")
			if name, _, _ := strings.Cut(tag, ","); name != "" {
				return name
			}
			return va.Type().Field(i).Name
		}
	}
	return "(unknown)"
}

// modernizeKustomization moves deprecated fields to the fields that
// replace them where kustomize's output is the same, so that krusty has no
// deprecation warning to print:
//   - bases and imageTags exactly as krusty's own FixKustomization moves
//     them right after warning;
//   - patchesStrategicMerge to the front of patches (krusty applies them
//     right before patches), when every patch is a non-empty document
//     without $patch directives, which both transformers apply alike;
//   - patchesJson6902 to the end of patches when nothing runs between the
//     two transformers (no name prefix or suffix, labels or annotations; a
//     namespace only when no target names a namespace and no patch touches
//     what the namespace transformer sets), every target names a resource,
//     and no patch touches metadata (the patches transformer remembers
//     previous names, which the JSON 6902 transformer does not).
//
// The corpus differential test holds the output byte-identical.
func modernizeKustomization(k *types.Kustomization, read readFunc) {
	k.Resources = append(k.Resources, k.Bases...)
	k.Bases = nil
	k.Images = append(k.Images, k.ImageTags...)
	k.ImageTags = nil
	if read == nil {
		return
	}
	text := func(inline, p string) (string, bool) {
		if p == "" {
			return inline, true
		}
		b, ok := read(p)
		return string(b), ok
	}
	if len(k.PatchesStrategicMerge) > 0 {
		var psm []types.Patch
		ok := true
		for _, e := range k.PatchesStrategicMerge {
			v := string(e)
			inline := readsAsPatchText(v)
			var t string
			if inline {
				t = v
			} else if t, ok = text("", v); !ok {
				break
			}
			if strings.TrimSpace(t) == "" || strings.Contains(t, "$patch") || !strings.Contains(t, "kind:") || strings.HasPrefix(strings.TrimSpace(t), "[") {
				ok = false
				break
			}
			if inline {
				psm = append(psm, types.Patch{Patch: v})
			} else {
				psm = append(psm, types.Patch{Path: v})
			}
		}
		if ok {
			k.Patches = append(psm, k.Patches...)
			k.PatchesStrategicMerge = nil
		}
	}
	if len(k.PatchesJson6902) > 0 && k.NamePrefix == "" && k.NameSuffix == "" &&
		len(k.Labels) == 0 && len(k.CommonLabels) == 0 && len(k.CommonAnnotations) == 0 {
		ok := true
		for _, p := range k.PatchesJson6902 {
			t, found := text(p.Patch, p.Path)
			if !found || p.Target == nil || p.Target.Name == "" || (p.Path == "") == (p.Patch == "") ||
				strings.TrimSpace(t) == "" || strings.Contains(t, "metadata") || strings.Contains(t, "kind:") {
				ok = false
				break
			}
			// The namespace transformer runs between the two: moving the
			// patch before it is the same only when neither sees what the
			// other changes.
			if k.Namespace != "" && (p.Target.Namespace != "" || namespaceSensitive(t)) {
				ok = false
				break
			}
		}
		if ok {
			k.Patches = append(k.Patches, k.PatchesJson6902...)
			k.PatchesJson6902 = nil
		}
	}
}

// namespaceSensitive reports whether a JSON patch may touch a field the
// namespace transformer sets (namespaces, role binding subjects, webhook
// and API service references).
func namespaceSensitive(patch string) bool {
	l := strings.ToLower(patch)
	for _, w := range []string{"namespace", "subjects", "service", "webhook", "clientconfig", "conversion"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// sanitizedFile memoizes the sanitiser's verdict on one file.
type sanitizedFile struct {
	once       sync.Once
	out        []byte
	problems   []Problem
	pluginDirs []string
}

// servesAsKustomization reports whether the file at rel (canonical path
// canon) is read by krusty as a kustomization: named like one, or the
// target of a link named like one.
func (t *Tree) servesAsKustomization(rel, canon string) bool {
	if isKustomizationName(pathBase(rel)) || isKustomizationName(pathBase(canon)) {
		return true
	}
	t.aliasOnce.Do(func() {
		t.kustAliases = map[string]bool{}
		for l, target := range t.links {
			if isKustomizationName(pathBase(l)) {
				t.kustAliases[target] = true
			}
		}
	})
	return t.kustAliases[canon]
}

func pathBase(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}

// sanitizedKustomization returns the sanitiser's verdict on the
// kustomization file at canonical path canon holding data.
func (t *Tree) sanitizedKustomization(canon string, data []byte) ([]byte, []Problem) {
	sf := t.sanitizedEntry(canon, data)
	return sf.out, sf.problems
}

// sanitizedEntry returns the memoized sanitiser verdict on a file.
func (t *Tree) sanitizedEntry(canon string, data []byte) *sanitizedFile {
	key := canon + "\x00" + string(data)
	e, _ := t.sanitized.LoadOrStore(key, &sanitizedFile{})
	sf := e.(*sanitizedFile)
	dir := path.Dir(canon)
	read := func(rel string) ([]byte, bool) {
		if nonLocal(rel) != "" {
			return nil, false
		}
		return t.ReadFile(path.Join(dir, rel))
	}
	sf.once.Do(func() {
		sf.out, sf.problems, sf.pluginDirs = sanitizeKustomization(canon, data, !t.keepDeprecated, read)
	})
	return sf
}

// unvettedPluginDir returns a folder that a generators, transformers or
// validators entry of the kustomization at canonical path canon names and
// that the Builder has not checked: krusty accumulates such a folder and
// configures plugins from what it builds, so what it builds is checked
// first, and the snapshot serves no kustomization naming a folder that
// was not.
func (s *snapshotFS) unvettedPluginDir(canon string, dirs []string) (string, bool) {
	for _, e := range dirs {
		c, ok := s.resolve(path.Join(path.Dir(canon), e))
		if !ok || !s.isDirCanon(c) {
			continue // krusty finds nothing there
		}
		if _, ok := s.t.vetted.Load(c); !ok {
			return e, true
		}
	}
	return "", false
}

// errRefused is the error the snapshot filesystem returns for a
// kustomization the sanitiser refuses.
type errRefused struct{ p Problem }

func (e *errRefused) Error() string { return e.p.Pos.String() + ": " + e.p.Message }
