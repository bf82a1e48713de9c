package generator

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// FixResult says what Fix did with one kustomization.
type FixResult struct {
	// File is the kustomization file.
	File string
	// Fixed lists the deprecated fields migrated.
	Fixed []string
	// Left explains why a field or the whole file was left alone.
	Left []string
	// Unsafe is set when a fix was possible but would change what the
	// kustomization renders, so it was not made.
	Unsafe bool
}

// Fix plans the migration of deprecated kustomization fields (bases,
// patchesJson6902, patchesStrategicMerge, commonLabels, imageTags) to the
// fields that replace them, in the kustomizations under paths (all when
// empty). An edit is planned only when the kustomization renders
// byte-identically before and after; otherwise it is reported and left
// alone. Comments and key order are kept.
func Fix(c *catalog.Catalog, paths []string) (*Plan, []FixResult, error) {
	p := NewPlan(c.Root)
	var results []FixResult
	for _, dir := range c.Dirs() {
		n := c.Kustomizations[dir]
		if n.Node == nil || !inPaths(dir, paths) {
			continue
		}
		if !hasDeprecated(n) {
			continue
		}
		res := FixResult{File: n.File}
		content, _ := c.Tree.ReadFile(n.File)
		fixed, done, left, err := migrate(content)
		res.Fixed, res.Left = done, left
		if err != nil {
			res.Left = append(res.Left, fmt.Sprintf("cannot edit: %v", err))
			res.Fixed = nil
			results = append(results, res)
			continue
		}
		if len(done) > 0 {
			if why, unsafe := sameRender(c, n, fixed); why != "" {
				res.Left = append(res.Left, why)
				res.Fixed = nil
				res.Unsafe = unsafe
			} else if err := p.Add(n.File, fixed, true); err != nil {
				return nil, nil, err
			}
		}
		results = append(results, res)
	}
	return p, results, nil
}

func inPaths(dir string, paths []string) bool {
	if len(paths) == 0 {
		return true
	}
	for _, p := range paths {
		p = strings.Trim(path.Clean(p), "/")
		if p == "." || dir == p || strings.HasPrefix(dir, p+"/") {
			return true
		}
	}
	return false
}

func hasDeprecated(n *catalog.Node) bool {
	for i := 0; i+1 < len(n.Node.Content); i += 2 {
		if _, ok := kustomize.DeprecatedFieldReplacement(n.Node.Content[i].Value); ok {
			return true
		}
	}
	return false
}

// sameRender builds the kustomization with its new content and compares
// with the build before; it returns why the fix is not made, or "", and
// whether the reason is that the fix would change the render.
func sameRender(c *catalog.Catalog, n *catalog.Node, fixed []byte) (string, bool) {
	if n.Role == catalog.RoleComponent {
		return "a component cannot be built on its own, so the fix cannot be checked; left alone", false
	}
	if n.Result.Err != nil {
		return fmt.Sprintf("does not build (%s), so the fix cannot be checked; left alone", n.Result.Err.Message), false
	}
	after := kustomize.NewBuilder(c.Tree).BuildWith(n.Dir, n.File, fixed)
	if after.Err != nil {
		return fmt.Sprintf("the fixed file would not build (%s); left alone", after.Err.Message), true
	}
	if !bytes.Equal(after.YAML(), n.Result.YAML()) {
		return "the fixed file would render differently (kustomize applies the old fields in another order); left alone", true
	}
	return "", false
}

// migrate rewrites deprecated fields of a kustomization. It returns the new
// content, the fields migrated and those it cannot migrate.
func migrate(content []byte) ([]byte, []string, []string, error) {
	if out, done, ok := renameOnly(content); ok {
		return out, done, nil, nil
	}
	rn, err := kyaml.Parse(string(content))
	if err != nil {
		return nil, nil, nil, err
	}
	var done, left []string
	// bases → resources, after the existing resources (kustomize's order).
	if f := rn.Field("bases"); f != nil && f.Value.YNode().Kind == kyaml.SequenceNode {
		if r := rn.Field("resources"); r != nil && r.Value.YNode().Kind == kyaml.SequenceNode {
			r.Value.YNode().Content = append(r.Value.YNode().Content, f.Value.YNode().Content...)
			if err := rn.PipeE(kyaml.Clear("bases")); err != nil {
				return nil, nil, nil, err
			}
			done = append(done, "bases")
		} else if r == nil {
			f.Key.YNode().Value = "resources"
			done = append(done, "bases")
		} else {
			left = append(left, "bases: resources is not a list")
		}
	} else if f != nil {
		left = append(left, "bases is not a list; fix it by hand (kustomize refuses it)")
	}
	// patchesStrategicMerge, patches, patchesJson6902 → patches, in the
	// order kustomize applies them.
	smp, j6902 := rn.Field("patchesStrategicMerge"), rn.Field("patchesJson6902")
	if smp != nil || j6902 != nil {
		var entries []*kyaml.Node
		if smp != nil {
			if smp.Value.YNode().Kind != kyaml.SequenceNode {
				return nil, nil, nil, fmt.Errorf("patchesStrategicMerge is not a list")
			}
			for _, e := range smp.Value.YNode().Content {
				key := "path"
				if kustomize.LooksInline(e.Value) {
					key = "patch"
				}
				m := &kyaml.Node{Kind: kyaml.MappingNode, Tag: "!!map", HeadComment: e.HeadComment}
				e.HeadComment = ""
				m.Content = []*kyaml.Node{{Kind: kyaml.ScalarNode, Tag: "!!str", Value: key}, e}
				entries = append(entries, m)
			}
			done = append(done, "patchesStrategicMerge")
		}
		patches := rn.Field("patches")
		if patches != nil {
			if patches.Value.YNode().Kind != kyaml.SequenceNode {
				return nil, nil, nil, fmt.Errorf("patches is not a list")
			}
			entries = append(entries, patches.Value.YNode().Content...)
		}
		if j6902 != nil {
			if j6902.Value.YNode().Kind != kyaml.SequenceNode {
				return nil, nil, nil, fmt.Errorf("patchesJson6902 is not a list")
			}
			entries = append(entries, j6902.Value.YNode().Content...)
			done = append(done, "patchesJson6902")
		}
		// The first deprecated field present gives its place (and comments)
		// to patches, unless patches is already there.
		target := patches
		for _, f := range []*kyaml.MapNode{smp, j6902} {
			if target == nil && f != nil {
				target = f
				f.Key.YNode().Value = "patches"
			}
		}
		target.Value.YNode().Content = entries
		target.Value.YNode().Kind = kyaml.SequenceNode
		for _, f := range []*kyaml.MapNode{smp, j6902} {
			if f != nil && f != target {
				if err := removeField(rn, f); err != nil {
					return nil, nil, nil, err
				}
			}
		}
	}
	// commonLabels → labels with includeSelectors, so selectors keep their
	// meaning.
	if f := rn.Field("commonLabels"); f != nil {
		if f.Value.YNode().Kind != kyaml.MappingNode {
			return nil, nil, nil, fmt.Errorf("commonLabels is not a mapping")
		}
		pairs := *f.Value.YNode() // a copy: the field's node is reused below
		entry := &kyaml.Node{Kind: kyaml.MappingNode, Tag: "!!map", Content: []*kyaml.Node{
			{Kind: kyaml.ScalarNode, Tag: "!!str", Value: "pairs"}, &pairs,
			{Kind: kyaml.ScalarNode, Tag: "!!str", Value: "includeSelectors"}, {Kind: kyaml.ScalarNode, Tag: "!!bool", Value: "true"},
		}}
		if l := rn.Field("labels"); l != nil && l.Value.YNode().Kind == kyaml.SequenceNode {
			l.Value.YNode().Content = append(l.Value.YNode().Content, entry)
			if err := removeField(rn, f); err != nil {
				return nil, nil, nil, err
			}
		} else if l == nil {
			f.Key.YNode().Value = "labels"
			f.Value.SetYNode(&kyaml.Node{Kind: kyaml.SequenceNode, Tag: "!!seq", Content: []*kyaml.Node{entry}})
		}
		done = append(done, "commonLabels")
	}
	// imageTags → images: the same entries.
	if f := rn.Field("imageTags"); f != nil {
		if i := rn.Field("images"); i != nil && i.Value.YNode().Kind == kyaml.SequenceNode {
			i.Value.YNode().Content = append(i.Value.YNode().Content, f.Value.YNode().Content...)
			if err := removeField(rn, f); err != nil {
				return nil, nil, nil, err
			}
		} else {
			f.Key.YNode().Value = "images"
		}
		done = append(done, "imageTags")
	}
	for _, field := range []string{"vars", "crds"} {
		if rn.Field(field) != nil {
			repl, _ := kustomize.DeprecatedFieldReplacement(field)
			left = append(left, fmt.Sprintf("%s has no mechanical translation to %s; rewrite it by hand", field, repl))
		}
	}
	style := kyaml.DeriveSeqIndentStyle(string(content))
	out, err := kyaml.MarshalWithOptions(rn.Document(), &kyaml.EncoderOptions{SeqIndent: kyaml.SequenceIndentStyle(style)})
	if err != nil {
		return nil, nil, nil, err
	}
	return out, done, left, nil
}

// removeField deletes a field, handing its comments to the next key.
func removeField(rn *kyaml.RNode, f *kyaml.MapNode) error {
	m := rn.YNode()
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i] == f.Key.YNode() {
			if i+2 < len(m.Content) && f.Key.YNode().HeadComment != "" {
				next := m.Content[i+2]
				next.HeadComment = strings.TrimSpace(f.Key.YNode().HeadComment + "\n" + next.HeadComment)
			}
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return nil
		}
	}
	return nil
}

// renames are the deprecated fields whose modern field takes the same
// value, so that a key renamed in place is the whole migration when the
// modern field is absent.
var renames = map[string]string{"bases": "resources", "patchesJson6902": "patches", "imageTags": "images"}

// renameOnly migrates by renaming keys in the text itself, which keeps every
// byte around them (blank lines, comments, quoting). It applies when every
// deprecated field is a plain rename whose target field is absent.
func renameOnly(content []byte) ([]byte, []string, bool) {
	docs, problems := kustomize.ParseYAML("", content)
	if len(problems) > 0 || len(docs) != 1 {
		return nil, nil, false
	}
	m := docs[0].Content[0]
	present := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		present[m.Content[i].Value] = true
	}
	type edit struct {
		line, col int
		from, to  string
	}
	var edits []edit
	var done []string
	targets := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if _, deprecated := kustomize.DeprecatedFieldReplacement(k.Value); !deprecated {
			continue
		}
		to, ok := renames[k.Value]
		if !ok || present[to] || targets[to] || k.Style != 0 || m.Content[i+1].Kind != kyaml.SequenceNode {
			return nil, nil, false
		}
		targets[to] = true
		edits = append(edits, edit{k.Line, k.Column, k.Value, to})
		done = append(done, k.Value)
	}
	lines := kustomize.Lines(content)
	for _, e := range edits {
		if e.line < 1 || e.line > len(lines) {
			return nil, nil, false
		}
		l := lines[e.line-1]
		at := e.col - 1
		if e.line == 1 && bytes.HasPrefix(l, []byte("\xef\xbb\xbf")) {
			at += 3
		}
		if at < 0 || at+len(e.from) > len(l) || string(l[at:at+len(e.from)]) != e.from {
			return nil, nil, false
		}
		lines[e.line-1] = append(append(append([]byte{}, l[:at]...), e.to...), l[at+len(e.from):]...)
	}
	return bytes.Join(lines, nil), done, true
}
