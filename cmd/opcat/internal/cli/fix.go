package cli

import (
	"fmt"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/generator"
	"github.com/spf13/cobra"

	"github.com/opcat-dev/opcat/lib/output"
)

type fixOptions struct {
	*globalOptions
	dryRun bool
}

func newFixCmd(g *globalOptions) *cobra.Command {
	o := &fixOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "fix [PATH...]",
		Short: "Migrate deprecated kustomize fields, keeping comments",
		Long: `Rewrite bases, patchesJson6902, patchesStrategicMerge, commonLabels and imageTags
as resources, patches, labels (with includeSelectors: true) and images, keeping
comments and key order. A file is changed only when its kustomization renders
byte-identically before and after; otherwise it is reported and left alone.
Exit 0 when everything fixable was fixed, 1 when a fix was left undone because
it would have changed what a kustomization renders.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := o.loadCatalog(catalog.Options{})
			if err != nil {
				return err
			}
			paths, err := catalogPaths(o.dir, args)
			if err != nil {
				return err
			}
			p, results, err := generator.Fix(c, paths)
			if err != nil {
				return usageError("%v", err)
			}
			unsafe := 0
			for _, r := range results {
				for _, l := range r.Left {
					fmt.Fprintf(o.stderr, "%s: %s\n", output.EscapeLine(r.File), output.Escape(l))
				}
				if r.Unsafe {
					unsafe++
				}
				if len(r.Fixed) > 0 && !o.quiet && !o.dryRun {
					fmt.Fprintf(o.stderr, "%s: migrated %s\n", output.EscapeLine(r.File), output.Escape(strings.Join(r.Fixed, ", ")))
				}
			}
			if o.dryRun {
				if err := p.Diff(o.stdout); err != nil {
					return err
				}
			} else if err := p.Apply(true); err != nil {
				return usageError("%v", err)
			}
			if unsafe > 0 {
				return silent(exitFindings)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&o.dryRun, "dry-run", false, "print the changes as a unified diff and write nothing")
	return cmd
}
