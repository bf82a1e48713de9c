package kustomize

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/resmap"
)

// PatchVerdict is what a probe build tells about one patch entry.
type PatchVerdict int

const (
	// PatchUnknown: the probe could not tell, because the kustomization
	// (or the one built) does not build, or the entry cannot be probed.
	PatchUnknown PatchVerdict = iota
	// PatchApplied: kustomize applies the patch to at least one resource.
	PatchApplied
	// PatchUnmatched: kustomize applies the patch to no resource; it drops
	// the patch silently.
	PatchUnmatched
)

// String names the verdict: applied, unmatched or unknown.
func (v PatchVerdict) String() string {
	switch v {
	case PatchApplied:
		return "applied"
	case PatchUnmatched:
		return "unmatched"
	}
	return "unknown"
}

// probeMarker is the path of the JSON patch test that a probe inserts. No
// resource holds it, so the test fails on every resource the probe's
// target selects, and the build fails naming it.
const probeMarker = "/metadata/opcat-probe-7f3a9c"

// probePatch is the body of a probe: a test that fails on any resource.
var probePatch = `[{"op": "test", "path": "` + probeMarker + `", "value": "opcat-probe"}]`

// PatchApplies asks kustomize whether it applies patch p, an entry of the
// kustomization k that has a target, to any resource when it builds the
// kustomization in folder dir (k's own folder, or for a Component a
// kustomization that includes it).
//
// It does not re-implement kustomize's selection. It builds a variant of
// k where, just before p, in the same patch field, an entry with the same
// target is inserted whose body is a JSON patch test that fails on every
// resource. kustomize runs the entries of a field in order on the same
// resources, so the variant fails on the probe exactly when p's target
// selects a resource at the point p runs: components, names before and
// after namePrefix/nameSuffix of included kustomizations, namespaces,
// label and annotation selectors, regular expressions and generated
// resources are all as kustomize sees them.
//
// A patch without a target (a strategic-merge patch naming its target in
// its body) is not probed: kustomize fails the build when such a patch
// matches nothing, so it is never dropped silently.
func (b *Builder) PatchApplies(dir string, k *Kustomization, p PatchRef) PatchVerdict {
	if p.Target == nil || k == nil || k.Node == nil {
		return PatchUnknown
	}
	root, ok := withProbe(k, p)
	if !ok {
		return PatchUnknown
	}
	onRendered, err := b.probeOnRendered(dir, k, root)
	if !onRendered {
		data, ok := encodeNode(root)
		if !ok {
			return PatchUnknown
		}
		err = b.probeReplacing(dir, k.File, data)
	}
	switch {
	case err == nil:
		return PatchUnmatched
	case strings.Contains(err.Error(), probeMarker):
		return PatchApplied
	}
	return PatchUnknown
}

// withProbe returns k's document with a probe entry inserted just before
// p.
func withProbe(k *Kustomization, p PatchRef) (*yaml.Node, bool) {
	root := copyNode(k.Node)
	list, ok := entryList(root, p)
	if !ok {
		return nil, false
	}
	_, target := Lookup(list.Content[p.Index], "target")
	if target == nil || target.Kind != yaml.MappingNode {
		return nil, false
	}
	probe := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: "target"}, copyNode(target),
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: "patch"}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: probePatch},
	}}
	content := make([]*yaml.Node, 0, len(list.Content)+1)
	content = append(content, list.Content[:p.Index]...)
	content = append(content, probe)
	content = append(content, list.Content[p.Index:]...)
	list.Content = content
	return root, true
}

// withoutPatch returns k's file with patch entry p removed, for a build to
// tell what the patch changes.
func withoutPatch(k *Kustomization, p PatchRef) ([]byte, bool) {
	if k == nil || k.Node == nil {
		return nil, false
	}
	root := copyNode(k.Node)
	list, ok := entryList(root, p)
	if !ok {
		return nil, false
	}
	list.Content = append(list.Content[:p.Index:p.Index], list.Content[p.Index+1:]...)
	return encodeNode(root)
}

// entryList returns the list of root that holds patch entry p, when the
// entry can be told apart as kustomize reads it: kustomize decodes keys in
// any letter case and keeps the last of duplicates, so a field or an
// entry key written twice (in any case) is not one to edit.
func entryList(root *yaml.Node, p PatchRef) (*yaml.Node, bool) {
	if !singleKey(root, p.Field) {
		return nil, false
	}
	_, list := Lookup(root, p.Field)
	if list == nil || list.Kind != yaml.SequenceNode || p.Index < 0 || p.Index >= len(list.Content) {
		return nil, false
	}
	if e := list.Content[p.Index]; e.Kind == yaml.MappingNode {
		for _, key := range []string{"target", "path", "patch", "options"} {
			if countKey(e, key) > 1 {
				return nil, false
			}
		}
	}
	return list, true
}

// singleKey reports whether mapping m has key exactly once, whatever the
// letter case.
func singleKey(m *yaml.Node, key string) bool { return countKey(m, key) == 1 }

func countKey(m *yaml.Node, key string) int {
	n := 0
	if m == nil || m.Kind != yaml.MappingNode {
		return 0
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if strings.EqualFold(m.Content[i].Value, key) {
			n++
		}
	}
	return n
}

func encodeNode(n *yaml.Node) ([]byte, bool) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, false
	}
	if err := enc.Close(); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// BuildReplacing builds the kustomization in folder dir, in full, as if
// file (a path relative to the root) held data: on the tree's own
// filesystem, so the same files are readable and refused, with that one
// file read differently. The tree is not changed.
func (b *Builder) BuildReplacing(dir, file string, data []byte) Result {
	m, err := b.buildReplacing(dir, file, data)
	if err != nil {
		msg := b.cleanMessage(err.Error())
		return Result{Err: &BuildError{Cause: krustyCause(msg), Pos: Position{File: file}, Message: msg}}
	}
	return resultOf(m)
}

// probeReplacing is buildReplacing for a probe: the verdict only, kept in
// the cache when there is one.
func (b *Builder) probeReplacing(dir, file string, data []byte) error {
	dir = b.tree.RealPath(path.Clean(dir))
	for _, p := range b.Diagnose(dir) {
		if p.stopsBuild() {
			return fmt.Errorf("%s: %s", p.Pos, p.Message)
		}
	}
	return b.probe(dir, map[string][]byte{b.tree.RealPath(path.Clean(file)): data})
}

func (b *Builder) buildReplacing(dir, file string, data []byte) (resmap.ResMap, error) {
	dir = b.tree.RealPath(path.Clean(dir))
	for _, p := range b.Diagnose(dir) {
		if p.stopsBuild() {
			return nil, fmt.Errorf("%s: %s", p.Pos, p.Message)
		}
	}
	// The snapshot serves the replaced file as it serves every file: a
	// kustomization goes through the sanitiser like the original.
	fs := newSnapshotFS(b.tree, map[string][]byte{b.tree.RealPath(path.Clean(file)): data})
	return runKrusty(b.tree, fs, fsPath(dir))
}

// probe builds dir on the snapshot with overlay's files replaced or added,
// for its verdict only. With a cache the verdict is kept across runs: the
// variant is named by a digest of what overlay holds, and its key by every
// file the build reads, as for any build.
func (b *Builder) probe(dir string, overlay map[string][]byte) error {
	fs := newSnapshotFS(b.tree, overlay)
	if b.Cache == nil {
		_, err := runKrusty(b.tree, fs, fsPath(dir))
		return err
	}
	names := make([]string, 0, len(overlay))
	for name := range overlay {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		fmt.Fprintf(h, "%d:%s%d:", len(name), name, len(overlay[name]))
		h.Write(overlay[name])
	}
	_, err := b.run(fs, "probe/"+hex.EncodeToString(h.Sum(nil)), dir)
	return err
}

// BuildWithoutPatch builds the kustomization in folder dir (k's own
// folder, or one that includes k as a Component) in full, as if patch
// entry p of k were not written. Compared with the build of dir, it is the
// differential oracle for PatchApplies: a patch whose removal changes the
// build is applied; one whose removal changes nothing is unmatched, or
// changes nothing where it applies. ok is false when p cannot be removed.
func (b *Builder) BuildWithoutPatch(dir string, k *Kustomization, p PatchRef) (Result, bool) {
	data, ok := withoutPatch(k, p)
	if !ok {
		return Result{}, false
	}
	return b.BuildReplacing(dir, k.File, data), true
}

// Remember records r, a successful build of the kustomization in dir made
// elsewhere (by another Builder over the same tree), for later builds and
// probes to reuse as if this Builder had made it.
func (b *Builder) Remember(dir string, r Result) {
	if r.Err == nil && r.out != nil {
		b.built.Store(b.tree.RealPath(path.Clean(dir)), &r)
	}
}

// probeOnRendered builds root, a variant of the kustomization k in dir
// (its own folder), with each folder it includes replaced by that folder's
// rendered output, as Build reuses rendered folders. It applies where that
// is exact for selection, not only for bytes: every folder dir includes
// is reusable (no generators, components, name prefixes, namespaces,
// renaming JSON patches or patches allowed to rename below dir, so each
// resource enters dir with the name and namespace it always had, and
// kustomize has no earlier name to match), and every such folder was built
// already. applicable is false otherwise, and
// err is the variant build's error.
func (b *Builder) probeOnRendered(dir string, k *Kustomization, root *yaml.Node) (applicable bool, err error) {
	dir = b.tree.RealPath(path.Clean(dir))
	if b.NoReuse || b.tree.RealPath(k.Dir) != dir || !b.reusable(dir, map[string]bool{}) {
		return false, nil
	}
	overlay, ok := b.onRendered(dir, b.tree.RealPath(k.File), root)
	if !ok {
		return false, nil
	}
	return true, b.probe(dir, overlay)
}

// hasPatchOptions reports whether a patch entry of k has options: a
// strategic-merge patch allowed to change a name or kind renames its
// target, and kustomize remembers the earlier name.
func hasPatchOptions(k *Kustomization) bool {
	for _, field := range []string{"patches", "patchesJson6902"} {
		if _, list := Lookup(k.Node, field); list != nil && list.Kind == yaml.SequenceNode {
			for _, e := range list.Content {
				if countKey(e, "options") > 0 {
					return true
				}
			}
		}
	}
	return false
}
