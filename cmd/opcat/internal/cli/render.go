package cli

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/spf13/cobra"
)

type renderOptions struct {
	*globalOptions
	target string
}

func newRenderCmd(g *globalOptions) *cobra.Command {
	o := &renderOptions{globalOptions: g}
	return &cobra.Command{
		Use:   "render PATH|OPERATOR[/OVERLAY]",
		Short: "Print what kustomize build prints for a kustomization",
		Long: `Build a kustomization in-process, exactly as "kustomize build" does, and print
the result. PATH is a folder relative to -C; OPERATOR (the operator's folder,
or its last element when that is unique) renders the operator's default
overlay, OPERATOR/OVERLAY one overlay. Remote bases are never fetched
and plugins never run: such a build fails with the reason.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.target = args[0]
			return o.run()
		},
	}
}

func (o *renderOptions) run() error {
	tree, err := kustomize.ReadTree(o.dir, kustomize.TreeOptions{Context: o.context()})
	if err != nil {
		return usageError("%v", err)
	}
	dir := path.Clean(filepath.ToSlash(o.target))
	if len(tree.KustomizationFile(dir)) == 0 {
		dir, err = resolveOverlay(tree, dir)
		if err != nil {
			return err
		}
	}
	b := kustomize.NewBuilder(tree)
	b.Cache = o.buildCache()
	res := b.Build(dir)
	if res.Err != nil {
		return failure(fmt.Errorf("cannot render %s: %s [%s]", dir, res.Err.Error(), lint.RuleFor(res.Err.Cause)))
	}
	_, err = o.stdout.Write(res.YAML())
	return err
}

// resolveOverlay finds the folder of OPERATOR or OPERATOR/OVERLAY, the
// operator named as every command names it (catalog.ResolveOperator).
func resolveOverlay(tree *kustomize.Tree, target string) (string, error) {
	c := catalog.FromTree(tree, catalog.Options{NoBuild: true})
	// An operator's folder may hold slashes (cp4i-operators/event-streams)
	// and so may an overlay's name (a variant: aggregate/overlays/eus):
	// the longest leading part of target that names an operator wins.
	var firstErr error
	for i := len(target); i > 0; i = strings.LastIndex(target[:i], "/") {
		dir, err := c.ResolveOperator(target[:i])
		if err != nil {
			var ne *catalog.NameError
			if errors.As(err, &ne) && ne.Ambiguous {
				return "", usageError("%v", err)
			}
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		return operatorOverlay(c, dir, strings.TrimPrefix(target[i:], "/"))
	}
	if firstErr == nil {
		firstErr = &catalog.NameError{Name: target, Candidates: c.OperatorDirs()}
	}
	return "", usageError("%s is neither a kustomization folder nor an operator: %v", target, firstErr)
}

// operatorOverlay returns the folder of the overlay named overlay (the
// default one when "") of the operator in dir.
func operatorOverlay(c *catalog.Catalog, dir, overlay string) (string, error) {
	op, err := c.FindOperator(dir)
	if err != nil {
		var ee *catalog.ExtensionError
		if !errors.As(err, &ee) {
			return "", usageError("%v", err)
		}
		return extensionOverlay(ee.Extension, overlay)
	}
	if overlay == "" {
		if op.DefaultOverlay == "" {
			return "", usageError("operator %s has no default overlay; name one: %s", op.Dir, overlayNames(op))
		}
		overlay = op.DefaultOverlay
	}
	if named := op.OverlaysNamed(overlay); len(named) > 1 {
		var dirs []string
		for _, ov := range named {
			dirs = append(dirs, ov.Dir)
		}
		return "", usageError("operator %s has %d overlays named %q (%s); render one by its folder", op.Dir, len(named), overlay, strings.Join(dirs, ", "))
	}
	ov := op.Overlay(overlay)
	if ov == nil {
		return "", usageError("operator %s has no overlay %q; it has %s", op.Dir, overlay, overlayNames(op))
	}
	return ov.Dir, nil
}

// extensionOverlay is operatorOverlay for an operator installed with OLM v1.
func extensionOverlay(e *catalog.Extension, overlay string) (string, error) {
	var names []string
	for _, ov := range e.Overlays {
		names = append(names, ov.Name)
	}
	if len(names) == 0 {
		names = []string{"no overlay"}
	}
	if overlay == "" {
		if e.DefaultOverlay == "" {
			return "", usageError("operator %s has no default overlay; name one: %s", e.Dir, strings.Join(names, ", "))
		}
		overlay = e.DefaultOverlay
	}
	var found []string
	for _, ov := range e.Overlays {
		if ov.Name == overlay {
			found = append(found, ov.Dir)
		}
	}
	switch len(found) {
	case 0:
		return "", usageError("operator %s has no overlay %q; it has %s", e.Dir, overlay, strings.Join(names, ", "))
	case 1:
		return found[0], nil
	}
	return "", usageError("operator %s has %d overlays named %q (%s); render one by its folder", e.Dir, len(found), overlay, strings.Join(found, ", "))
}

func overlayNames(op *catalog.Operator) string {
	var names []string
	for _, ov := range op.Overlays {
		names = append(names, ov.Name)
	}
	if len(names) == 0 {
		return "no overlay"
	}
	return strings.Join(names, ", ")
}
