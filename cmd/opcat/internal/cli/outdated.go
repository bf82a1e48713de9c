package cli

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/spf13/cobra"
)

type outdatedOptions struct {
	*globalOptions
	indexes []string
	output  string
}

func newOutdatedCmd(g *globalOptions) *cobra.Command {
	o := &outdatedOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "outdated",
		Short: "List what lags behind the operator indexes: pins, channels gone, new channels",
		Long: `Compare every operator with the operator indexes (--index [SOURCE=]PATH,
repeatable, and those listed under indexes: in .opcat.yaml) and list:

  channel-missing  an overlay installs a channel the package no longer has
  csv-behind       an overlay pins a startingCSV that is not its channel's head
                   (with the number of upgrade steps to the head)
  channel-new      a channel newer than every channel with an overlay
  package-missing  the index of the operator's source lacks its package

An operator's package is looked up in the index of its Subscription's source,
or in any index when no index was given for that source; operators whose
package is in no index are skipped. opcat sync fixes what is listed.

Exit codes: 0 nothing is outdated, 1 something is, 2 the command could not
run (no index given, an index or the catalog cannot be read).

-o json prints {"outdated": [{"kind", "operator", "path", "overlay", "package",
"source", "channel", "startingCSV", "head", "behind", "file", "line", "column",
"message"}]}.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return o.run() },
	}
	cmd.Flags().StringArrayVar(&o.indexes, "index", nil, "operator index as [SOURCE=]PATH (repeatable)")
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
	items := catalog.Outdated(c, set)
	if err := writeOutdated(o.stdout, o.output, items); err != nil {
		return err
	}
	if len(items) == 0 {
		if !o.quiet && o.output == "table" {
			fmt.Fprintln(o.stderr, "nothing is outdated")
		}
		return nil
	}
	return silent(exitFindings)
}

func writeOutdated(w io.Writer, format string, items []catalog.OutdatedItem) error {
	if format != "table" {
		return writeStructured(w, format, struct {
			Outdated []catalog.OutdatedItem `json:"outdated" yaml:"outdated"`
		}{items})
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.Path, dash(it.Overlay), dash(it.Channel), it.Kind,
			dash(it.StartingCSV), dash(it.Head), behind)
	}
	return tw.Flush()
}
