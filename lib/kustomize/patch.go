package kustomize

import (
	"fmt"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Op is one RFC 6902 JSON patch operation, with where it was written.
type Op struct {
	// Op is the operation: add, remove, replace, move, copy or test.
	Op string
	// Path and From are JSON pointers (From only for move and copy).
	Path, From string
	// Value is the value node (add, replace, test); nil when absent.
	Value *yaml.Node
	// Pos is where the operation starts (its first key); OpPos, PathPos
	// and ValuePos where each field's value was written.
	Pos, OpPos, PathPos, ValuePos Position
}

// ValueString returns the operation's value when it is a scalar.
func (o Op) ValueString() (string, bool) {
	if o.Value == nil || o.Value.Kind != yaml.ScalarNode {
		return "", false
	}
	return o.Value.Value, true
}

var validOps = map[string]bool{"add": true, "remove": true, "replace": true, "move": true, "copy": true, "test": true}

// ParseJSON6902 parses a JSON patch written as JSON or YAML: a list of
// operations. Every problem (not a list, an unknown op, a missing path or
// value, a path that is not a JSON pointer) is returned with its position,
// with cause CauseInvalidPatch; operations that are valid are returned as well.
func ParseJSON6902(file string, data []byte) ([]Op, []Problem) {
	return parseJSON6902(file, data, nil)
}

// ParseInlineJSON6902 parses the inline patch of p (its Inline text),
// mapping positions back into the kustomization file.
func ParseInlineJSON6902(p PatchRef) ([]Op, []Problem) {
	return parseJSON6902(p.InlinePos.File, []byte(p.Inline), &p)
}

func parseJSON6902(file string, data []byte, inline *PatchRef) ([]Op, []Problem) {
	pos := func(n *yaml.Node) Position {
		if inline != nil {
			if n == nil {
				return inline.InlinePos
			}
			return inline.InlineLine(n.Line, n.Column)
		}
		return At(file, n)
	}
	docs, problems := ParseYAML(file, data)
	if inline != nil {
		for i := range problems {
			problems[i].Pos = inline.InlineLine(problems[i].Pos.Line, problems[i].Pos.Column)
		}
	}
	for i := range problems {
		if problems[i].Cause == CauseYAMLSyntax {
			problems[i].Cause = CauseInvalidPatch
			problems[i].Message = "JSON patch " + strings.TrimPrefix(problems[i].Message, "YAML ")
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if len(docs) == 0 {
		return nil, []Problem{{Cause: CauseInvalidPatch, Pos: pos(nil), Message: "JSON patch is empty: it changes nothing; give a list of operations or remove the patch"}}
	}
	list := docs[0].Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, []Problem{{Cause: CauseInvalidPatch, Pos: pos(list), Message: "a JSON patch must be a list of operations (- op: replace ...)"}}
	}
	if len(list.Content) == 0 {
		return nil, []Problem{{Cause: CauseInvalidPatch, Pos: pos(list), Message: "JSON patch holds no operation: it changes nothing"}}
	}
	var ops []Op
	for _, e := range list.Content {
		if e.Kind != yaml.MappingNode {
			problems = append(problems, Problem{Cause: CauseInvalidPatch, Pos: pos(e), Message: "a JSON patch operation must be a mapping with op and path"})
			continue
		}
		op := Op{Pos: pos(e)}
		if len(e.Content) > 0 {
			op.Pos = pos(e.Content[0])
		}
		bad := false
		opv, opn, ok := ScalarAt(e, "op")
		switch {
		case !ok:
			problems = append(problems, Problem{Cause: CauseInvalidPatch, Pos: op.Pos, Message: "JSON patch operation has no op; use add, remove, replace, move, copy or test"})
			bad = true
		case !validOps[opv]:
			problems = append(problems, Problem{Cause: CauseInvalidPatch, Pos: pos(opn), Message: fmt.Sprintf("unknown JSON patch op %q; use add, remove, replace, move, copy or test", opv)})
			bad = true
		}
		op.Op, op.OpPos = opv, pos(opn)
		pathv, pathn, ok := ScalarAt(e, "path")
		switch {
		case !ok:
			problems = append(problems, Problem{Cause: CauseInvalidPatch, Pos: op.Pos, Message: "JSON patch operation has no path"})
			bad = true
		case pathv != "" && !strings.HasPrefix(pathv, "/"):
			problems = append(problems, Problem{Cause: CauseInvalidPatch, Pos: pos(pathn), Message: fmt.Sprintf("path %q is not a JSON pointer: it must start with /", pathv)})
			bad = true
		}
		op.Path, op.PathPos = pathv, pos(pathn)
		if _, v := Lookup(e, "value"); v != nil {
			op.Value, op.ValuePos = v, pos(v)
		}
		if (opv == "add" || opv == "replace" || opv == "test") && op.Value == nil {
			problems = append(problems, Problem{Cause: CauseInvalidPatch, Pos: op.Pos, Message: fmt.Sprintf("JSON patch op %q needs a value", opv)})
			bad = true
		}
		if opv == "move" || opv == "copy" {
			from, _, ok := ScalarAt(e, "from")
			if !ok {
				problems = append(problems, Problem{Cause: CauseInvalidPatch, Pos: op.Pos, Message: fmt.Sprintf("JSON patch op %q needs from", opv)})
				bad = true
			}
			op.From = from
		}
		if !bad {
			ops = append(ops, op)
		}
	}
	return ops, problems
}

// IsJSON6902 reports whether patch text is a JSON patch (a list) rather than
// a strategic-merge patch (a resource), the way kustomize tells them apart.
func IsJSON6902(data []byte) bool {
	docs, problems := ParseYAML("", data)
	if len(problems) > 0 || len(docs) != 1 {
		return false
	}
	return docs[0].Content[0].Kind == yaml.SequenceNode
}

// SplitPointer splits a JSON pointer into its unescaped tokens.
func SplitPointer(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		s = strings.ReplaceAll(s, "~1", "/")
		parts[i] = strings.ReplaceAll(s, "~0", "~")
	}
	return parts
}

// JSONPatch returns the operations of patch entry p of kustomization k
// when it is a JSON patch (in a file or inline), as kustomize tells: every
// patchesJson6902 entry, and a patches entry whose text is a list. ok is
// false for a strategic-merge patch or a patch file the tree lacks. The
// file's parse is cached on the tree.
func (t *Tree) JSONPatch(k *Kustomization, p PatchRef) (ops []Op, problems []Problem, ok bool) {
	if p.Field == "patchesStrategicMerge" {
		return nil, nil, false
	}
	if p.Path == "" {
		if p.InlineNode == nil || (p.Field == "patches" && !IsJSON6902([]byte(p.Inline))) {
			return nil, nil, false
		}
		ops, problems = ParseInlineJSON6902(p)
		return ops, problems, true
	}
	file := path.Join(k.Dir, p.Path)
	data, found := t.ReadFile(file)
	if !found || (p.Field == "patches" && !IsJSON6902(data)) {
		return nil, nil, false
	}
	e := t.entry("json6902:" + file)
	e.once.Do(func() { e.ops, e.problems = ParseJSON6902(file, data) })
	return e.ops, e.problems, true
}
