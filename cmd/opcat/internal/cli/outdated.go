package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/spf13/cobra"
)

type outdatedOptions struct {
	*globalOptions
	indexes   []string
	output    string
	operators []string
}

func newOutdatedCmd(g *globalOptions) *cobra.Command {
	o := &outdatedOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "outdated [OPERATOR...]",
		Short: "List what lags behind the operator indexes: pins, channels gone, new channels",
		Long: `Compare every operator with the operator indexes (--index [SOURCE=]PATH,
repeatable, and those listed under indexes: in .opcat.yaml) and list:

  channel-missing  an overlay installs a channel the package no longer has
  csv-behind       an overlay pins a startingCSV that is not its channel's head
                   (with the number of upgrade steps to the head)
  channel-new      a channel newer than every channel with an overlay
  package-missing  the index of the operator's source lacks its package
  range-behind     an OLM v1 ClusterExtension's version range keeps it below
                   its channel's head (STARTING CSV shows the range)

An operator's package is looked up in the index of its Subscription's source,
or in any index when no index was given for that source; operators whose
package is in no index are not checked, and are named on stderr (and under
"unchecked" with -o json or yaml). opcat sync fixes what is listed.

Exit codes: 0 nothing is outdated, 1 something is, 2 the command could not
run (no index given, an index or the catalog cannot be read).

-o json prints {"outdated": [{"kind", "operator", "path", "overlay", "package",
"source", "channel", "startingCSV", "head", "behind", "file", "line", "column",
"message"}]}; "operator" is the operator's folder, as opcat list prints it.
OPERATORs (an operator's folder, or its last element when that is unique)
limit the comparison to those operators.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.operators = args
			return o.run()
		},
	}
	addIndexFlags(cmd.Flags(), o.globalOptions, &o.indexes)
	cmd.Flags().StringVarP(&o.output, "output", "o", "table", "output format: table, json or yaml")
	return cmd
}

func (o *outdatedOptions) run() error {
	if err := checkOutput(o.output); err != nil {
		return err
	}
	set, err := requireIndexes(o.globalOptions, o.indexes, "opcat outdated")
	if err != nil {
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
	items := catalog.Outdated(c, set)
	unchecked := uncheckedOperators(c, set)
	extItems, extUnchecked := catalog.ExtensionsOutdated(c, set)
	items = append(items, extItems...)
	for _, e := range extUnchecked {
		s := e.Effective()
		unchecked = append(unchecked, uncheckedOperator{Operator: e.Dir, Package: s.Package, Source: s.Catalog})
	}
	checked := len(c.Operators) + len(c.Extensions())
	if named != nil {
		keptItems := items[:0]
		for _, it := range items {
			if named[it.Path] {
				keptItems = append(keptItems, it)
			}
		}
		items = keptItems
		keptUnchecked := unchecked[:0]
		for _, u := range unchecked {
			if named[u.Operator] {
				keptUnchecked = append(keptUnchecked, u)
			}
		}
		unchecked = keptUnchecked
		checked = len(named)
	}
	if err := writeOutdated(o.stdout, o.output, items, unchecked); err != nil {
		return err
	}
	if !o.quiet && o.output == "table" && len(unchecked) > 0 {
		var names []string
		for _, u := range unchecked {
			names = append(names, fmt.Sprintf("%s (package %s, source %s)", u.Operator, dash(u.Package), dash(u.Source)))
		}
		fmt.Fprintf(o.stderr, "not checked, no index given holds their package: %s\n", strings.Join(names, ", "))
	}
	if len(items) == 0 {
		if !o.quiet && o.output == "table" {
			if len(unchecked) > 0 {
				n := checked - len(unchecked)
				fmt.Fprintf(o.stderr, "nothing is outdated among the %d operator%s checked\n", n, pluralS(n))
			} else {
				fmt.Fprintln(o.stderr, "nothing is outdated")
			}
		}
		return nil
	}
	return silent(exitFindings)
}

// uncheckedOperator is an operator outdated could not compare: no index
// given serves its source or holds its package.
type uncheckedOperator struct {
	Operator string `json:"operator" yaml:"operator"`
	Package  string `json:"package" yaml:"package"`
	Source   string `json:"source" yaml:"source"`
}

// uncheckedOperators lists the operators whose package no index judges.
func uncheckedOperators(c *catalog.Catalog, set index.Set) []uncheckedOperator {
	var out []uncheckedOperator
	for _, op := range c.Operators {
		s := op.EffectiveSubscription()
		if _, _, judged := catalog.IndexPackage(set, s.Source.Value, s.Package.Value); !judged {
			out = append(out, uncheckedOperator{Operator: op.Dir, Package: s.Package.Value, Source: s.Source.Value})
		}
	}
	return out
}

func writeOutdated(w io.Writer, format string, items []catalog.OutdatedItem, unchecked []uncheckedOperator) error {
	if format != "table" {
		return writeStructured(w, format, struct {
			Outdated  []catalog.OutdatedItem `json:"outdated" yaml:"outdated"`
			Unchecked []uncheckedOperator    `json:"unchecked,omitempty" yaml:"unchecked,omitempty"`
		}{items, unchecked})
	}
	if len(items) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATOR\tOVERLAY\tCHANNEL\tKIND\tSTARTING CSV\tHEAD\tBEHIND")
	for _, it := range items {
		behind := "-"
		if it.Behind > 0 {
			behind = strconv.Itoa(it.Behind)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", dash(it.Path), dash(it.Overlay), dash(it.Channel), dash(it.Kind),
			dash(it.StartingCSV), dash(it.Head), behind)
	}
	return tw.Flush()
}
