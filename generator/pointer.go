package generator

import (
	"fmt"
	"path"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/templates"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// setPointer makes the operator's default pointer select overlay name:
// an existing pointer is edited in place, keeping its comments, field order
// and list style; a missing one is created.
func setPointer(p *Plan, r renderer, op *catalog.Operator, overlays, name string) error {
	if op.Pointer != nil {
		content, ok := p.Content(op.Pointer.File)
		if ok {
			edited, err := editPointer(content, "./"+name)
			if err != nil {
				return fmt.Errorf("unable to edit %s: %w", op.Pointer.File, err)
			}
			return p.Add(op.Pointer.File, edited, true)
		}
	}
	b, err := r.render(templates.PointerKustomization, map[string]any{"Default": name})
	if err != nil {
		return err
	}
	return p.Add(path.Join(overlays, "kustomization.yaml"), b, false)
}

// editPointer sets the single entry of a pointer kustomization's resources
// (or legacy bases) to entry, through kyaml so that comments stay.
func editPointer(content []byte, entry string) ([]byte, error) {
	rn, err := kyaml.Parse(string(content))
	if err != nil {
		return nil, err
	}
	field := "resources"
	if rn.Field("resources") == nil && rn.Field("bases") != nil {
		field = "bases"
	}
	list := rn.Field(field)
	if list == nil || list.Value.YNode().Kind != kyaml.SequenceNode {
		if err := rn.PipeE(kyaml.SetField("resources", kyaml.NewListRNode(entry))); err != nil {
			return nil, err
		}
	} else {
		seq := list.Value.YNode()
		if len(seq.Content) == 0 {
			seq.Content = []*kyaml.Node{{Kind: kyaml.ScalarNode, Value: entry}}
		} else {
			// Keep the first entry's node (and its comments); drop the others,
			// as a pointer selects one overlay.
			seq.Content[0].Value = entry
			seq.Content[0].Tag = "!!str"
			seq.Content[0].Style = 0
			if kyaml.IsValueNonString(entry) {
				seq.Content[0].Style = kyaml.DoubleQuotedStyle
			}
			seq.Content = seq.Content[:1]
		}
	}
	style := kyaml.DeriveSeqIndentStyle(string(content))
	out, err := kyaml.MarshalWithOptions(rn.Document(), &kyaml.EncoderOptions{SeqIndent: kyaml.SequenceIndentStyle(style)})
	if err != nil {
		return nil, err
	}
	return out, nil
}
