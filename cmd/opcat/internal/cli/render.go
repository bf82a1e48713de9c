package cli

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
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
the result. PATH is a folder relative to -C; OPERATOR renders the operator's
default overlay, OPERATOR/OVERLAY one overlay. Remote bases are never fetched
and plugins never run: such a build fails with the reason.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.target = args[0]
			return o.run()
		},
	}
}

func (o *renderOptions) run() error {
	tree, err := kustomize.ReadTree(o.dir, kustomize.TreeOptions{})
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
		return failure(fmt.Errorf("cannot render %s: %s [%s]", dir, res.Err.Error(), res.Err.Kind))
	}
	_, err = o.stdout.Write(res.YAML())
	return err
}

// resolveOverlay finds the folder of OPERATOR or OPERATOR/OVERLAY.
func resolveOverlay(tree *kustomize.Tree, target string) (string, error) {
	c := catalog.FromTree(tree, catalog.Options{NoBuild: true})
	// A path through a folder link names the operator of its real path.
	if real := tree.RealPath(target); real != target && !strings.HasPrefix(real, "../") {
		target = real
	}
	// An operator's folder may hold slashes (cp4i-operators/event-streams,
	// as list prints it) and another operator may sit in its first part
	// (cp4i-operators): the deepest operator folder holding target wins,
	// then the operator named by target's first part.
	var op *catalog.Operator
	var overlay string
	for _, cand := range c.Operators {
		if (target == cand.Dir || strings.HasPrefix(target, cand.Dir+"/")) && (op == nil || len(cand.Dir) > len(op.Dir)) {
			op, overlay = cand, strings.TrimPrefix(strings.TrimPrefix(target, cand.Dir), "/")
		}
	}
	if op == nil {
		var name string
		name, overlay, _ = strings.Cut(target, "/")
		op = c.Operator(name)
	}
	if op == nil {
		var names []string
		for _, cand := range c.Operators {
			names = append(names, cand.Name)
		}
		return "", usageError("%s is neither a kustomization folder nor an operator; operators: %s", target, strings.Join(names, ", "))
	}
	if overlay == "" {
		if op.DefaultOverlay == "" {
			return "", usageError("operator %s has no default overlay; name one: %s", op.Name, overlayNames(op))
		}
		overlay = op.DefaultOverlay
	}
	if named := op.OverlaysNamed(overlay); len(named) > 1 {
		var dirs []string
		for _, ov := range named {
			dirs = append(dirs, ov.Dir)
		}
		return "", usageError("operator %s has %d overlays named %q (%s); render one by its folder", op.Name, len(named), overlay, strings.Join(dirs, ", "))
	}
	ov := op.Overlay(overlay)
	if ov == nil {
		return "", usageError("operator %s has no overlay %q; it has %s", op.Name, overlay, overlayNames(op))
	}
	return ov.Dir, nil
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
