package kustomize

import (
	"fmt"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/types"
)

// Kustomization is one kustomization file, read twice: as YAML nodes that
// keep every position, and decoded as kustomize decodes it.
type Kustomization struct {
	// Dir is the folder of the kustomization, relative to the root.
	Dir string
	// File is the kustomization file, relative to the root.
	File string
	// Node is the document's top mapping; nil when the file does not parse.
	Node *yaml.Node
	// Fields is the kustomization as kustomize decodes it (strict: unknown
	// fields are errors); nil when it does not decode.
	Fields *types.Kustomization
	// Problems found while reading the file.
	Problems []Problem
	// data is the file's content, to place inline patches.
	data []byte
}

// Ref is a reference from a kustomization to a file or folder: an entry of
// resources, bases or components.
type Ref struct {
	// Field is the kustomization field: resources, bases or components.
	Field string
	// Value is the entry as written.
	Value string
	// Pos is where the entry was written.
	Pos Position
}

// PatchRef is one patch entry of a kustomization, from any of the patch
// fields (patches, patchesJson6902, patchesStrategicMerge).
type PatchRef struct {
	// Field is the kustomization field the entry comes from.
	Field string
	// Index is the entry's position in that field's list.
	Index int
	// Path is the patch file, relative to the kustomization, or "".
	Path string
	// Inline is the patch text when written in the kustomization.
	Inline string
	// Target selects the resources the patch applies to; nil when the
	// patch names its target itself (strategic merge).
	Target *types.Selector
	// Pos is where the entry starts; PathPos where its path was written;
	// InlinePos where the inline patch text starts.
	Pos, PathPos, InlinePos Position
	// InlineNode is the node of the inline patch, to map its lines back.
	InlineNode *yaml.Node
	// inlineIndent is the column before the first character of a literal
	// or folded inline patch's lines.
	inlineIndent int
}

// DeprecatedFields maps each deprecated kustomization field to the modern
// field that replaces it.
var deprecatedFields = map[string]string{
	"bases":                 "resources",
	"patchesJson6902":       "patches",
	"patchesStrategicMerge": "patches",
	"commonLabels":          "labels",
	"vars":                  "replacements",
	"imageTags":             "images",
	"crds":                  "resources",
}

// DeprecatedFieldReplacement returns the modern field that replaces a
// deprecated kustomization field, and whether field is deprecated.
func DeprecatedFieldReplacement(field string) (string, bool) {
	r, ok := deprecatedFields[field]
	return r, ok
}

// parseKustomization reads a kustomization file. It always returns a
// Kustomization; what is wrong is in its Problems.
func parseKustomization(file string, data []byte) *Kustomization {
	docs, problems := ParseYAML(file, data)
	return kustomizationOf(file, data, docs, problems)
}

// kustomizationOf builds a Kustomization from a file already parsed.
func kustomizationOf(file string, data []byte, docs []*yaml.Node, problems []Problem) *Kustomization {
	k := &Kustomization{Dir: path.Dir(file), File: file, data: data}
	k.Problems = append(k.Problems, problems...)
	if len(problems) > 0 && problems[0].Cause == CauseYAMLSyntax {
		return k
	}
	switch {
	case len(docs) == 0:
		k.Node = &yaml.Node{Kind: yaml.MappingNode}
	case len(docs) > 1:
		k.Problems = append(k.Problems, Problem{Cause: CauseInvalidKustomization, Pos: At(file, docs[1]),
			Message: "a kustomization file holds one YAML document; this one holds several"})
		k.Node = docs[0].Content[0]
	default:
		k.Node = docs[0].Content[0]
	}
	if k.Node.Kind != yaml.MappingNode {
		k.Problems = append(k.Problems, Problem{Cause: CauseInvalidKustomization, Pos: At(file, k.Node),
			Message: "a kustomization must be a YAML mapping"})
		k.Node = nil
		return k
	}
	var fields types.Kustomization
	if err := fields.Unmarshal(trimBOM(data)); err != nil {
		k.Problems = append(k.Problems, k.decodeProblem(err))
	} else {
		fields.FixKustomization()
		k.Fields = &fields
		k.Problems = append(k.Problems, k.loadProblems()...)
	}
	return k
}

// loadProblems reports what kustomize refuses after decoding the file, as
// its KustTarget.Load does: an empty kustomization, and a kind or
// apiVersion it does not know.
func (k *Kustomization) loadProblems() []Problem {
	var out []Problem
	if err := k.Fields.CheckEmpty(); err != nil {
		out = append(out, Problem{Cause: CauseInvalidKustomization, Pos: Position{File: k.File, Line: 1, Column: 1},
			Message: "the kustomization is empty; kustomize refuses it: list resources, or remove the file"})
	}
	for _, e := range k.Fields.EnforceFields() {
		field := "kind"
		if strings.HasPrefix(e, "apiVersion") {
			field = "apiVersion"
		}
		pos := Position{File: k.File, Line: 1, Column: 1}
		if v := k.FieldValue(field); v != nil {
			pos = At(k.File, v)
		}
		out = append(out, Problem{Cause: CauseInvalidKustomization, Pos: pos, Message: e + "; kustomize refuses the file"})
	}
	return out
}

// knownFields are the top-level fields kustomize decodes, lower-cased: it
// decodes through encoding/json, which matches field names in any case.
var knownFields = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range []string{"apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix",
		"namespace", "commonLabels", "labels", "commonAnnotations", "buildMetadata", "patchesStrategicMerge",
		"patchesJson6902", "patches", "images", "imageTags", "replacements", "replicas", "vars",
		"sortOptions", "resources", "components", "crds", "bases", "configMapGenerator", "secretGenerator",
		"helmGlobals", "helmCharts", "helmChartInflationGenerator", "generatorOptions", "configurations",
		"generators", "transformers", "validators"} {
		m[strings.ToLower(f)] = true
	}
	return m
}()

// decodeProblem turns kustomize's decode error into a Problem at the field
// that causes it, when it can be found.
func (k *Kustomization) decodeProblem(err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "invalid Kustomization: ")
	p := Problem{Cause: CauseInvalidKustomization, Pos: Position{File: k.File}}
	for i := 0; i+1 < len(k.Node.Content); i += 2 {
		key := k.Node.Content[i]
		if !knownFields[strings.ToLower(key.Value)] {
			p.Pos = At(k.File, key)
			hint := ""
			if key.Value == "base" {
				hint = " (did you mean resources?)"
			}
			p.Message = fmt.Sprintf("unknown kustomization field %q%s; kustomize refuses the file", key.Value, hint)
			return p
		}
	}
	// A known field of the wrong type: name it when the message does.
	lmsg := strings.ToLower(msg)
	for i := 0; i+1 < len(k.Node.Content); i += 2 {
		key := k.Node.Content[i]
		lkey := strings.ToLower(key.Value)
		if strings.Contains(lmsg, "field kustomization."+lkey+" ") || strings.Contains(lmsg, "kustomization."+lkey+" of type") ||
			strings.Contains(lmsg, "\""+lkey+"\"") {
			p.Pos = At(k.File, k.Node.Content[i+1])
			p.Message = fmt.Sprintf("field %q has the wrong type (%s); kustomize refuses the file", key.Value, msg)
			return p
		}
	}
	p.Pos.Line, p.Pos.Column = 1, 1
	p.Message = "kustomize refuses the file: " + msg
	return p
}

// FieldKey returns the key node of a top-level field, or nil.
func (k *Kustomization) FieldKey(field string) *yaml.Node {
	key, _ := Lookup(k.Node, field)
	return key
}

// FieldValue returns the value node of a top-level field, or nil.
func (k *Kustomization) FieldValue(field string) *yaml.Node {
	_, v := Lookup(k.Node, field)
	return v
}

// IsComponent reports whether the file is a kustomize Component.
func (k *Kustomization) IsComponent() bool {
	kind, _, _ := ScalarAt(k.Node, "kind")
	return kind == types.ComponentKind
}

// Namespace returns the namespace the kustomization sets, and where.
func (k *Kustomization) Namespace() (string, Position, bool) {
	v, n, ok := ScalarAt(k.Node, "namespace")
	if !ok || v == "" {
		return "", Position{}, false
	}
	return v, At(k.File, n), true
}

// Refs returns the entries of resources, bases and components, in the
// order kustomize loads them (resources and bases first, then components).
func (k *Kustomization) Refs() []Ref {
	var out []Ref
	for _, field := range []string{"resources", "bases", "components"} {
		out = append(out, k.refsOf(field)...)
	}
	return out
}

func (k *Kustomization) refsOf(field string) []Ref {
	v := k.FieldValue(field)
	if v == nil {
		return nil
	}
	var out []Ref
	if v.Kind == yaml.ScalarNode && v.Value != "" && v.Tag != "!!null" {
		// kustomize refuses this; keep it so callers can still follow it.
		return []Ref{{Field: field, Value: v.Value, Pos: At(k.File, v)}}
	}
	if v.Kind != yaml.SequenceNode {
		return nil
	}
	for _, e := range v.Content {
		if e.Kind == yaml.ScalarNode {
			out = append(out, Ref{Field: field, Value: e.Value, Pos: At(k.File, e)})
		}
	}
	return out
}

// Patches returns every patch entry, from patchesStrategicMerge,
// patchesJson6902 and patches, in the order kustomize applies them.
func (k *Kustomization) Patches() []PatchRef {
	var out []PatchRef
	if v := k.FieldValue("patchesStrategicMerge"); v != nil && v.Kind == yaml.SequenceNode {
		for i, e := range v.Content {
			if e.Kind != yaml.ScalarNode {
				continue
			}
			pr := PatchRef{Field: "patchesStrategicMerge", Index: i, Pos: At(k.File, e)}
			if LooksInline(e.Value) {
				pr.Inline, pr.InlinePos, pr.InlineNode = e.Value, At(k.File, e), e
				pr.inlineIndent = k.blockIndent(e)
			} else {
				pr.Path, pr.PathPos = e.Value, At(k.File, e)
			}
			out = append(out, pr)
		}
	}
	for _, field := range []string{"patchesJson6902", "patches"} {
		v := k.FieldValue(field)
		if v == nil || v.Kind != yaml.SequenceNode {
			continue
		}
		for i, e := range v.Content {
			if e.Kind != yaml.MappingNode {
				continue
			}
			pr := PatchRef{Field: field, Index: i, Pos: At(k.File, e)}
			if p, n, ok := ScalarAt(e, "path"); ok {
				pr.Path, pr.PathPos = p, At(k.File, n)
			}
			if p, n, ok := ScalarAt(e, "patch"); ok {
				pr.Inline, pr.InlinePos, pr.InlineNode = p, At(k.File, n), n
				pr.inlineIndent = k.blockIndent(n)
			}
			if _, t := Lookup(e, "target"); t != nil && t.Kind == yaml.MappingNode {
				var sel types.Selector
				if err := t.Decode(&sel); err == nil {
					pr.Target = &sel
				}
			}
			out = append(out, pr)
		}
	}
	return out
}

// LooksInline reports whether a patchesStrategicMerge entry is patch text
// rather than a file name, as kustomize decides it.
func LooksInline(s string) bool {
	return strings.Contains(s, "\n") || strings.Contains(s, "apiVersion") || strings.Contains(s, "kind:")
}

// InlineLine maps a 1-based line of an inline patch back to a position in
// the kustomization file, as well as the text allows: literal and folded
// blocks start on the line after their indicator.
func (p PatchRef) InlineLine(line, col int) Position {
	if p.InlineNode == nil {
		return p.InlinePos
	}
	n := p.InlineNode
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		pos := Position{File: p.InlinePos.File, Line: n.Line + line}
		if col > 0 { // 0 is an unknown column, and stays unknown
			pos.Column = p.inlineIndent + col
		}
		return pos
	default:
		return p.InlinePos
	}
}

// blockIndent returns the indentation of the first content line of a
// literal or folded block scalar n.
func (k *Kustomization) blockIndent(n *yaml.Node) int {
	if n.Style != yaml.LiteralStyle && n.Style != yaml.FoldedStyle {
		return 0
	}
	lines := strings.Split(string(k.data), "\n")
	for i := n.Line; i < len(lines); i++ { // lines[n.Line] is the line after the indicator
		l := strings.TrimRight(lines[i], "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		return len(l) - len(strings.TrimLeft(l, " "))
	}
	return 0
}
