package kustomize

import (
	"path"
	"strings"
)

// WrittenOp is a JSON patch operation together with the patch entry of the
// kustomization that holds it: where a value of a rendered object was
// written, when a JSON patch wrote it.
type WrittenOp struct {
	// Patch is the patch entry (its target, file or inline text).
	Patch PatchRef
	Op
}

// PatchOps returns the JSON patch operations of kustomization k, patch by
// patch and operation by operation, in the order kustomize applies them.
// Strategic-merge patches are left out; so are operations that cannot be
// read (the patch-* rules report those).
func (t *Tree) PatchOps(k *Kustomization) []WrittenOp {
	if k == nil || k.Node == nil {
		return nil
	}
	var out []WrittenOp
	for _, p := range k.Patches() {
		ops, _, _ := t.JSONPatch(k, p)
		for _, o := range ops {
			out = append(out, WrittenOp{Patch: p, Op: o})
		}
	}
	return out
}

// FindPatchOp returns the first JSON patch operation, in PatchOps order,
// for which match holds, searching the kustomization of dir and then, depth
// first, the folders it includes (each folder once, through its real path).
func (t *Tree) FindPatchOp(dir string, match func(WrittenOp) bool) (WrittenOp, bool) {
	seen := map[string]bool{}
	var walk func(dir string) (WrittenOp, bool)
	walk = func(dir string) (WrittenOp, bool) {
		dir = t.RealPath(dir)
		if seen[dir] {
			return WrittenOp{}, false
		}
		seen[dir] = true
		files := t.KustomizationFile(dir)
		if len(files) != 1 {
			return WrittenOp{}, false
		}
		k := t.Kustomization(files[0])
		if k == nil || k.Node == nil {
			return WrittenOp{}, false
		}
		for _, o := range t.PatchOps(k) {
			if match(o) {
				return o, true
			}
		}
		for _, r := range k.Refs() {
			if sub := path.Join(dir, r.Value); t.IsDir(sub) {
				if o, ok := walk(sub); ok {
					return o, true
				}
			}
		}
		return WrittenOp{}, false
	}
	return walk(dir)
}

// Writes reports whether the operation writes a value at keys or at one of
// its parents below the top level (an add, replace, copy or move whose path
// is keys or a prefix of it with at least two tokens): the operation that
// set the field, when it is the last such in the build.
func (o WrittenOp) Writes(keys []string) bool {
	switch o.Op.Op {
	case "add", "replace", "copy", "move":
	default:
		return false
	}
	toks := SplitPointer(o.Path)
	return len(toks) > 1 && len(toks) <= len(keys) && strings.Join(toks, "/") == strings.Join(keys[:len(toks)], "/")
}
