package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/spf13/cobra"

	"github.com/opcat-dev/opcat/lib/output"
)

type listOptions struct {
	*globalOptions
	output    string
	operators []string
}

func newListCmd(g *globalOptions) *cobra.Command {
	o := &listOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "list [OPERATOR...]",
		Short: "List the catalog's operators and overlays",
		Long: `List every operator that has a Subscription or an OLM v1 ClusterExtension, with
its packages (a base may hold several Subscriptions), namespace, source (for a
ClusterExtension, the ClusterCatalog its selector names), default overlay and
channel overlays. Values are those of the rendered overlay. -o json and -o yaml
also list the variants (aggregate, instance and example folders that include a
channel overlay without setting a channel of their own), mark ClusterExtensions
with "olm": "v1" and give their version range as "version". OPERATORs (an
operator's folder, or its last element when that is unique) limit the list to
those operators.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.operators = args
			return o.run()
		},
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", "table", "output format: table, json or yaml")
	return cmd
}

func (o *listOptions) run() error {
	if err := checkOutput(o.output); err != nil {
		return err
	}
	c, err := o.loadCatalog(catalog.Options{})
	if err != nil {
		return err
	}
	named, err := resolveOperators(c, o.operators)
	if err != nil {
		return err
	}
	l := c.List()
	if ext := c.ExtensionSummaries(); len(ext) > 0 {
		l.Operators = append(l.Operators, ext...)
		sort.SliceStable(l.Operators, func(i, j int) bool { return l.Operators[i].Path < l.Operators[j].Path })
	}
	if named != nil {
		kept := l.Operators[:0]
		for _, op := range l.Operators {
			if named[op.Path] {
				kept = append(kept, op)
			}
		}
		l.Operators = kept
	}
	return writeListing(o.stdout, o.output, l)
}

// resolveOperators resolves OPERATOR arguments (catalog.ResolveOperator)
// to the set of their folders; nil when there are none. A name that names
// no single operator is exit 2.
func resolveOperators(c *catalog.Catalog, names []string) (map[string]bool, error) {
	if len(names) == 0 {
		return nil, nil
	}
	out := map[string]bool{}
	for _, n := range names {
		dir, err := c.ResolveOperator(filepath.ToSlash(n))
		if err != nil {
			return nil, usageError("%v", err)
		}
		out[dir] = true
	}
	return out, nil
}

// checkOutput refuses an unknown -o value.
func checkOutput(output string) error {
	switch output {
	case "table", "json", "yaml":
		return nil
	}
	return usageError("unknown output format %q: use table, json or yaml", output)
}

// loadCatalog loads the catalog at dir, or returns an exit-2 error.
func loadCatalog(ctx context.Context, dir string, opts catalog.Options) (*catalog.Catalog, error) {
	c, err := catalog.Load(ctx, dir, opts)
	if err != nil {
		return nil, usageError("%v", err)
	}
	return c, nil
}

func writeListing(w io.Writer, format string, l catalog.Listing) error {
	if format != "table" {
		return writeStructured(w, format, l)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATOR\tPACKAGE\tNAMESPACE\tSOURCE\tDEFAULT\tOVERLAYS")
	for _, op := range l.Operators {
		names := make([]string, 0, len(op.Overlays))
		for _, ov := range op.Overlays {
			names = append(names, ov.Name)
		}
		pkg := op.Package
		if len(op.Packages) > 1 {
			pkg = strings.Join(op.Packages, ",")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", dash(op.Path), dash(pkg), dash(op.Namespace),
			dash(op.Source), dash(op.DefaultOverlay), dash(strings.Join(names, ",")))
	}
	return tw.Flush()
}

// dash renders a table cell: "-" when empty, control characters, tabs
// and newlines escaped so that a value read from a file can neither break
// the table nor drive the terminal.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return output.EscapeLine(s)
}
