package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/Masterminds/semver/v3"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/fsroot"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/olm"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

// requireIndexes loads the --index values and the indexes .opcat.yaml
// names; with none of either the command cannot run (exit 2).
func requireIndexes(g *globalOptions, flags []string, command string) (index.Set, error) {
	if err := fsroot.Check(g.dir, lint.ConfigFile); err != nil {
		return nil, usageError("%s: %v", filepath.Join(g.dir, lint.ConfigFile), err)
	}
	cfg, err := lint.LoadConfig(filepath.Join(g.dir, lint.ConfigFile), true)
	if err != nil {
		return nil, usageError("%v", err)
	}
	if len(flags) == 0 && len(cfg.Indexes) == 0 {
		return nil, usageError("%s needs an operator index: give --index [SOURCE=]PATH, or list indexes under indexes: in %s", command, lint.ConfigFile)
	}
	return loadIndexes(g, flags, cfg.Indexes)
}

type indexOptions struct {
	*globalOptions
	indexes []string
	output  string
}

func newIndexCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "index",
		Short: "Show what an operator index holds for a package",
		Long: `Show what an operator index holds for a package: its channels or its bundles.
An index is a File-Based Catalog (opm render output, a catalog folder, a
catalog template), bundle folders or package manifests, given as --index
[SOURCE=]PATH (repeatable) or listed under indexes: in .opcat.yaml.`,
	}
	cmd.AddCommand(newIndexChannelsCmd(g), newIndexBundlesCmd(g))
	return cmd
}

func (o *indexOptions) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	addIndexFlags(f, o.globalOptions, &o.indexes)
	f.StringVarP(&o.output, "output", "o", "table", "output format: table, json or yaml")
}

// packages loads the indexes and returns the package name in each index
// that holds it, by source.
func (o *indexOptions) packages(name string) ([]sourcedPackage, error) {
	if err := checkOutput(o.output); err != nil {
		return nil, err
	}
	set, err := requireIndexes(o.globalOptions, o.indexes, "opcat index")
	if err != nil {
		return nil, err
	}
	sources := make([]string, 0, len(set))
	for s := range set {
		sources = append(sources, s)
	}
	sort.Strings(sources)
	var out []sourcedPackage
	for _, s := range sources {
		if p := set[s].Packages[name]; p != nil {
			out = append(out, sourcedPackage{s, p})
		}
	}
	if len(out) == 0 {
		return nil, usageError("package %s is not in the indexes given", name)
	}
	return out, nil
}

type sourcedPackage struct {
	source string
	pkg    *index.Package
}

// ChannelRow is one channel as `opcat index channels` prints it.
type ChannelRow struct {
	Source             string `json:"source" yaml:"source"`
	Package            string `json:"package" yaml:"package"`
	Name               string `json:"name" yaml:"name"`
	Head               string `json:"head" yaml:"head"`
	HeadError          string `json:"headError,omitempty" yaml:"headError,omitempty"`
	Entries            int    `json:"entries" yaml:"entries"`
	Default            bool   `json:"default" yaml:"default"`
	Deprecated         bool   `json:"deprecated" yaml:"deprecated"`
	DeprecationMessage string `json:"deprecationMessage,omitempty" yaml:"deprecationMessage,omitempty"`
}

func newIndexChannelsCmd(g *globalOptions) *cobra.Command {
	o := &indexOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "channels PACKAGE",
		Short: "List a package's channels: head, number of entries, default, deprecation",
		Long: `List the channels of PACKAGE in every index given that holds it: the channel
head (the entry no other entry replaces or skips), the number of entries,
which channel is the default and which are deprecated. Channels are sorted
as versions: names without a version first, then by the version they imply.

-o json prints {"channels": [{"source", "package", "name", "head", "entries",
"default", "deprecated", "deprecationMessage"}]}.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pkgs, err := o.packages(args[0])
			if err != nil {
				return err
			}
			rows := []ChannelRow{}
			for _, sp := range pkgs {
				for _, name := range sp.pkg.ChannelNames() {
					ch := sp.pkg.Channels[name]
					row := ChannelRow{Source: sp.source, Package: sp.pkg.Name, Name: name, Entries: len(ch.Entries),
						Default: name == sp.pkg.DefaultChannel, Deprecated: ch.Deprecated != nil}
					if ch.Deprecated != nil {
						row.DeprecationMessage = ch.Deprecated.Message
					}
					if head, err := ch.Head(); err != nil {
						row.HeadError = err.Error()
					} else {
						row.Head = head
					}
					rows = append(rows, row)
				}
			}
			return writeChannels(o.stdout, o.output, rows, len(pkgs) > 1)
		},
	}
	o.flags(cmd)
	return cmd
}

func writeChannels(w io.Writer, format string, rows []ChannelRow, sources bool) error {
	if format != "table" {
		return writeStructured(w, format, struct {
			Channels []ChannelRow `json:"channels" yaml:"channels"`
		}{rows})
	}
	lines := make([][2]string, 0, len(rows))
	for _, r := range rows {
		head := r.Head
		if r.HeadError != "" {
			head = "(" + r.HeadError + ")"
		}
		lines = append(lines, [2]string{r.Source, fmt.Sprintf("%s\t%s\t%d\t%s\t%s", dash(r.Name), dash(head), r.Entries, yes(r.Default), yes(r.Deprecated))})
	}
	return writeSourceTable(w, "CHANNEL\tHEAD\tENTRIES\tDEFAULT\tDEPRECATED", lines, sources)
}

// writeSourceTable writes a tab-aligned table of lines (each with its
// source); with sources, a SOURCE column comes first.
func writeSourceTable(w io.Writer, header string, lines [][2]string, sources bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if sources {
		header = "SOURCE\t" + header
	}
	fmt.Fprintln(tw, header)
	for _, l := range lines {
		line := l[1]
		if sources {
			line = dash(l[0]) + "\t" + line
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}

// BundleRow is one bundle as `opcat index bundles` prints it.
type BundleRow struct {
	Source   string   `json:"source" yaml:"source"`
	Package  string   `json:"package" yaml:"package"`
	Name     string   `json:"name" yaml:"name"`
	Version  string   `json:"version" yaml:"version"`
	Channels []string `json:"channels" yaml:"channels"`
	// InstallModes lists the supported install modes; null when the index
	// does not tell.
	InstallModes       []string `json:"installModes" yaml:"installModes"`
	Image              string   `json:"image,omitempty" yaml:"image,omitempty"`
	Deprecated         bool     `json:"deprecated" yaml:"deprecated"`
	DeprecationMessage string   `json:"deprecationMessage,omitempty" yaml:"deprecationMessage,omitempty"`

	version *semver.Version
}

func newIndexBundlesCmd(g *globalOptions) *cobra.Command {
	o := &indexOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "bundles PACKAGE",
		Short: "List a package's bundles: version, channels, install modes",
		Long: `List the bundles (CSVs) of PACKAGE in every index given that holds it: every
bundle the index describes and every CSV a channel names, by version, with
the channels that contain it, the install modes it supports ("?" when the
index does not tell, as catalog templates and channel-only files do) and
whether it is deprecated. Bundles a template names only by image are not
listed.

-o json prints {"bundles": [{"source", "package", "name", "version",
"channels", "installModes", "image", "deprecated", "deprecationMessage"}]}.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pkgs, err := o.packages(args[0])
			if err != nil {
				return err
			}
			rows := []BundleRow{}
			for _, sp := range pkgs {
				rows = append(rows, bundleRows(sp)...)
			}
			return writeBundles(o.stdout, o.output, rows, len(pkgs) > 1)
		},
	}
	o.flags(cmd)
	return cmd
}

// bundleRows lists the bundles of a package: those described and those
// only named by channel entries, by version, then name.
func bundleRows(sp sourcedPackage) []BundleRow {
	p := sp.pkg
	names := map[string]bool{}
	for n := range p.Bundles {
		names[n] = true
	}
	for _, ch := range p.Channels {
		for _, e := range ch.Entries {
			names[e.Name] = true
		}
	}
	// The channels of every bundle at once, in ChannelNames order: asking
	// p.ChannelsOf per bundle scans every channel per bundle.
	channelsOf := map[string][]string{}
	for _, c := range p.ChannelNames() {
		seen := map[string]bool{}
		for _, e := range p.Channels[c].Entries {
			if !seen[e.Name] {
				seen[e.Name] = true
				channelsOf[e.Name] = append(channelsOf[e.Name], c)
			}
		}
	}
	var rows []BundleRow
	for n := range names {
		row := BundleRow{Source: sp.source, Package: p.Name, Name: n, Channels: channelsOf[n]}
		if row.Channels == nil {
			row.Channels = []string{}
		}
		if b := p.Bundles[n]; b != nil {
			row.version, row.Image = b.Version, b.Image
			if b.InstallModes != nil {
				row.InstallModes = []string{}
				for _, m := range []string{"OwnNamespace", "SingleNamespace", "MultiNamespace", "AllNamespaces"} {
					if b.InstallModes[m] {
						row.InstallModes = append(row.InstallModes, m)
					}
				}
			}
			if b.Deprecated != nil {
				row.Deprecated, row.DeprecationMessage = true, b.Deprecated.Message
			}
		}
		if row.version == nil {
			if csv, err := olm.ParseCSVName(n); err == nil {
				row.version = csv.Version
			}
		}
		if row.version != nil {
			row.Version = row.version.Original()
		}
		rows = append(rows, row)
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i].version, rows[j].version
		switch {
		case a != nil && b != nil && !a.Equal(b):
			return a.LessThan(b)
		case (a == nil) != (b == nil):
			return a != nil
		}
		return rows[i].Name < rows[j].Name
	})
	return rows
}

func writeBundles(w io.Writer, format string, rows []BundleRow, sources bool) error {
	if format != "table" {
		return writeStructured(w, format, struct {
			Bundles []BundleRow `json:"bundles" yaml:"bundles"`
		}{rows})
	}
	lines := make([][2]string, 0, len(rows))
	for _, r := range rows {
		modes := "?"
		if r.InstallModes != nil {
			modes = dash(strings.Join(r.InstallModes, ","))
		}
		lines = append(lines, [2]string{r.Source, fmt.Sprintf("%s\t%s\t%s\t%s\t%s", dash(r.Name), dash(r.Version), dash(strings.Join(r.Channels, ",")), modes, yes(r.Deprecated))})
	}
	return writeSourceTable(w, "BUNDLE\tVERSION\tCHANNELS\tINSTALL MODES\tDEPRECATED", lines, sources)
}

// writeStructured writes v as indented JSON or as YAML.
func writeStructured(w io.Writer, format string, v any) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return enc.Close()
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "-"
}
