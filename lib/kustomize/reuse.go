package kustomize

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// reusableFields are the kustomization fields whose effect is the same
// whether the kustomization is built on its own or nested in another
// build: they transform the resources they are given and nothing else.
// Generators (hash suffixes are computed at the top), vars (resolved at the
// top), name prefixes and suffixes (references are fixed at the top),
// components, replacements, custom configurations and the rest are left
// out: a kustomization that uses them, or includes one that does, is
// always built in full.
var reusableFields = map[string]bool{
	"apiVersion": true, "kind": true, "metadata": true,
	"resources": true, "bases": true, "namespace": true,
	"patches": true, "patchesJson6902": true, "patchesStrategicMerge": true,
	"commonLabels": true, "labels": true, "commonAnnotations": true,
	"images": true, "replicas": true,
}

// reusable reports whether the kustomization in dir and everything it
// includes only use reusableFields, and whether what dir includes keeps
// the names and namespaces of its resources. kustomize remembers the
// names and namespaces a resource had before a nested kustomization
// changed them, and later patch targets and references match those too;
// a rendered build has forgotten them, so a folder that renames or moves
// resources is never reused.
func (b *Builder) reusable(dir string, seen map[string]bool) bool {
	return b.reusableAt(dir, seen, true)
}

func (b *Builder) reusableAt(dir string, seen map[string]bool, top bool) bool {
	dir = b.tree.RealPath(dir)
	if seen[dir] {
		return false // a cycle: let the full build report it
	}
	seen[dir] = true
	files := b.tree.KustomizationFile(dir)
	if len(files) != 1 {
		return false
	}
	k := b.tree.Kustomization(files[0])
	if k == nil || k.Node == nil || k.Fields == nil || k.IsComponent() || len(k.Problems) > 0 {
		return false
	}
	for i := 0; i+1 < len(k.Node.Content); i += 2 {
		field := k.Node.Content[i].Value
		if field == "components" && top {
			continue // checked below
		}
		if !reusableFields[field] || (!top && field == "namespace") {
			return false
		}
	}
	if !top && b.movesResources(k) {
		return false
	}
	// Components of the folder built are applied, in both builds, to what
	// its resources accumulate; they are reused when they only use the
	// same fields and include only folders that are reusable too.
	if top && k.FieldValue("components") != nil {
		for _, r := range k.Refs() {
			if r.Field == "components" && !b.reusableComponent(path.Join(dir, r.Value), seen) {
				return false
			}
		}
	}
	for _, r := range k.Refs() {
		if r.Field == "components" {
			continue
		}
		target := path.Join(dir, r.Value)
		if b.tree.IsDir(target) && !b.reusableAt(target, seen, false) {
			return false
		}
	}
	return true
}

// reusableComponent reports whether the component in dir only uses
// reusableFields, sets no namespace, renames or moves nothing, and
// includes only reusable folders.
func (b *Builder) reusableComponent(dir string, seen map[string]bool) bool {
	dir = b.tree.RealPath(dir)
	if seen[dir] || !b.tree.IsDir(dir) {
		return false
	}
	seen[dir] = true
	files := b.tree.KustomizationFile(dir)
	if len(files) != 1 {
		return false
	}
	k := b.tree.Kustomization(files[0])
	if k == nil || k.Node == nil || k.Fields == nil || !k.IsComponent() || len(k.Problems) > 0 {
		return false
	}
	for i := 0; i+1 < len(k.Node.Content); i += 2 {
		if field := k.Node.Content[i].Value; !reusableFields[field] || field == "namespace" {
			return false
		}
	}
	if b.movesResources(k) {
		return false
	}
	for _, r := range k.Refs() {
		target := path.Join(dir, r.Value)
		if b.tree.IsDir(target) && !b.reusableAt(target, seen, false) {
			return false
		}
	}
	return true
}

// movesResources reports whether a patch of k may change a resource's
// name or namespace (or cannot be read to tell): a JSON patch on them, or
// a patch with options, which may allow a strategic-merge patch to rename.
func (b *Builder) movesResources(k *Kustomization) bool {
	if hasPatchOptions(k) {
		return true
	}
	for _, p := range k.Patches() {
		if p.Path != "" {
			if _, ok := b.tree.ReadFile(path.Join(k.Dir, p.Path)); !ok {
				return true
			}
		}
		ops, problems, isJSON := b.tree.JSONPatch(k, p)
		if !isJSON {
			continue // without options, a strategic-merge patch cannot rename its target
		}
		if len(problems) > 0 {
			return true
		}
		for _, o := range ops {
			for _, ptr := range []string{o.Path, o.From} {
				if ptr == "/metadata" || strings.HasPrefix(ptr, "/metadata/name") || strings.HasPrefix(ptr, "/metadata/namespace") {
					return true
				}
			}
		}
	}
	return false
}

// renderedName is the file that stands for an included folder's build.
func renderedName(i int) string { return fmt.Sprintf(".opcat-rendered-%d.yaml", i) }

// buildOnRendered builds the kustomization in dir with each folder it
// includes replaced by that folder's rendered output, when every such
// folder was built already and all of them are reusable. It builds with
// krusty on the snapshot with the rewritten kustomization and the rendered
// files laid over it; ok is false when it does not apply or fails (the
// caller then builds in full).
func (b *Builder) buildOnRendered(dir string) (Result, bool) {
	files := b.tree.KustomizationFile(dir)
	if len(files) != 1 {
		return Result{}, false
	}
	k := b.tree.Kustomization(files[0])
	if k == nil || k.Node == nil || !b.reusable(dir, map[string]bool{}) {
		return Result{}, false
	}
	real := b.tree.RealPath(dir)
	overlay, ok := b.onRendered(real, b.tree.RealPath(files[0]), k.Node)
	if !ok {
		return Result{}, false
	}
	r, err := b.run(newSnapshotFS(b.tree, overlay), "rendered", real)
	if err != nil {
		return Result{}, false
	}
	return r, true
}

// onRendered rewrites a copy of root, the kustomization file (a canonical
// path) of the folder dir, so that each folder it includes is read from
// that folder's rendered output, and returns the files that stand in:
// the rewritten kustomization and the rendered files beside it, to lay
// over the snapshot. The rewritten file replaces whichever recognised
// name dir uses, so the loader finds exactly one. ok is false when an
// included folder was not built, built to nothing, or nothing is included.
func (b *Builder) onRendered(dir, file string, root *yaml.Node) (overlay map[string][]byte, ok bool) {
	root = copyNode(root)
	rendered := map[string][]byte{}
	for _, field := range []string{"resources", "bases"} {
		_, list := Lookup(root, field)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, e := range list.Content {
			target := b.tree.RealPath(path.Join(dir, e.Value))
			if e.Kind != yaml.ScalarNode || !b.tree.IsDir(target) {
				continue
			}
			v, ok := b.built.Load(target)
			if !ok {
				return nil, false
			}
			out := v.(*Result).YAML()
			if len(bytes.TrimSpace(out)) == 0 {
				return nil, false
			}
			name := renderedName(len(rendered))
			rendered[name] = out
			e.Value, e.Tag, e.Style = name, "!!str", 0
		}
	}
	if len(rendered) == 0 {
		return nil, false // nothing to reuse: the full build costs the same
	}
	data, ok := encodeNode(root)
	if !ok {
		return nil, false
	}
	overlay = map[string][]byte{file: data}
	for name, out := range rendered {
		overlay[path.Join(dir, name)] = out
	}
	return overlay, true
}

// copyNode deep-copies a YAML node tree.
func copyNode(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, ch := range n.Content {
		c.Content[i] = copyNode(ch)
	}
	return &c
}

// BuildWith builds the kustomization in dir as if file held data instead of
// its content, without changing the tree. It is how a change to one file is
// checked before it is written.
func (b *Builder) BuildWith(dir, file string, data []byte) Result {
	sub := NewBuilder(b.tree.withFile(path.Clean(file), data))
	sub.NoReuse = true
	return sub.Build(path.Clean(dir))
}

// withFile returns a copy of the tree where file holds data: the same
// snapshot, links and problems, with fresh caches.
func (t *Tree) withFile(file string, data []byte) *Tree {
	c := newTree(t.root)
	for f, b := range t.files {
		c.files[f] = b
	}
	for d := range t.dirs {
		c.dirs[d] = true
	}
	for l, target := range t.links {
		c.links[l] = target
	}
	c.Problems = t.Problems
	c.refused = t.refused
	real := t.RealPath(file)
	c.files[real] = data
	for d := path.Dir(real); d != "." && !c.dirs[d]; d = path.Dir(d) {
		c.dirs[d] = true
	}
	return c
}
