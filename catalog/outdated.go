package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/olm"
)

// Kinds of OutdatedItem.
const (
	// OutdatedPackageMissing: the index of the operator's CatalogSource
	// does not hold its package any more.
	OutdatedPackageMissing = "package-missing"
	// OutdatedChannelMissing: an overlay installs a channel the package no
	// longer has.
	OutdatedChannelMissing = "channel-missing"
	// OutdatedCSVBehind: an overlay pins a startingCSV that is not the head
	// of its channel.
	OutdatedCSVBehind = "csv-behind"
	// OutdatedChannelNew: the package has a channel newer than every channel
	// the operator has an overlay for.
	OutdatedChannelNew = "channel-new"
	// OutdatedCSVUnknown: an overlay pins a startingCSV newer than its
	// channel's head (an index older than the catalog?); sync leaves it for
	// a person to look at.
	OutdatedCSVUnknown = "csv-unknown"
)

// OutdatedItem is one way in which a catalog lags behind an operator index.
type OutdatedItem struct {
	// Kind is one of the Outdated* constants.
	Kind string `json:"kind" yaml:"kind"`
	// Operator names the operator as every output does: its folder
	// relative to the root (see ResolveOperator); Path is the same folder,
	// kept for readers of the earlier format.
	Operator string `json:"operator" yaml:"operator"`
	Path     string `json:"path" yaml:"path"`
	// Overlay is the overlay concerned; "" for an item about the operator.
	Overlay string `json:"overlay,omitempty" yaml:"overlay,omitempty"`
	// Package is the OLM package; Source the index it was looked up in
	// ("" for an index given without a SOURCE).
	Package string `json:"package" yaml:"package"`
	Source  string `json:"source,omitempty" yaml:"source,omitempty"`
	// Channel is the overlay's channel, or the new channel.
	Channel string `json:"channel,omitempty" yaml:"channel,omitempty"`
	// StartingCSV is the CSV the overlay pins.
	StartingCSV string `json:"startingCSV,omitempty" yaml:"startingCSV,omitempty"`
	// Head is the head of Channel in the index.
	Head string `json:"head,omitempty" yaml:"head,omitempty"`
	// Behind is how many upgrade steps lead from StartingCSV to Head; 0
	// when no upgrade path leads there.
	Behind int `json:"behind,omitempty" yaml:"behind,omitempty"`
	// File, Line and Column locate the value that is outdated (the patch
	// operation that sets the channel or the CSV), when there is one.
	File   string `json:"file,omitempty" yaml:"file,omitempty"`
	Line   int    `json:"line,omitempty" yaml:"line,omitempty"`
	Column int    `json:"column,omitempty" yaml:"column,omitempty"`
	// Message says it in a sentence.
	Message string `json:"message" yaml:"message"`
}

// IndexPackage finds the package a Subscription installs from source: in
// the index given for that CatalogSource when there is one (p is nil when
// that index lacks the package), otherwise in the one index that holds the
// package (when several do, which one serves it would be a guess, and the
// Subscription is not judged). from is the source of the index the package
// was found in. judged is false when the package is in no index and source
// names none of them: the Subscription is then served by an index that was
// not given, and is not compared with any.
func IndexPackage(set index.Set, source, pkg string) (p *index.Package, from string, judged bool) {
	if idx, ok := set[source]; ok && source != "" {
		return idx.Packages[pkg], source, true
	}
	// No index is named after the Subscription's source: judge against the
	// one index that holds the package; several would be a guess.
	p, from, ok := set.Lookup("", pkg)
	return p, from, ok
}

// EffectiveSubscription is the operator's Subscription as its default
// overlay renders it, or as the base does when there is no default.
func (op *Operator) EffectiveSubscription() Subscription {
	if d := op.Default(); d != nil && d.Subscription.Object != nil {
		return d.Subscription
	}
	return op.Subscription
}

// OverlayChannel is the channel an overlay installs: the one it sets, or
// the package's default channel when it sets none.
func OverlayChannel(ov *Overlay, pkg *index.Package) string {
	return subscriptionChannel(ov.Subscription, pkg)
}

// Outdated compares every operator of c with the operator indexes of set
// and lists what lags behind, operator by operator (in path order), the
// overlays' items first (in overlay order), then the new channels (in
// index.Package.ChannelNames order):
//
//   - an overlay whose channel the package no longer has;
//   - an overlay whose startingCSV is not the head of its channel, with
//     the number of upgrade steps to the head;
//   - channels of the package without an overlay that sort after the
//     newest channel that has one;
//   - an operator whose package is missing from the index of its source.
//
// The package of an operator is found through its Subscription's source as
// IndexPackage does; operators whose package is in no index and whose
// source names no index are skipped, as are overlays that do not build.
func Outdated(c *Catalog, set index.Set) []OutdatedItem {
	out := []OutdatedItem{}
	for _, op := range c.Operators {
		out = append(out, op.Outdated(set)...)
	}
	return out
}

// Outdated lists what lags behind in one operator, as Outdated does for a
// whole catalog. It words the drift Compare finds that a newer index
// explains: the package gone (once per operator), channels gone, pins not
// at the head of their channel (whether or not the channel still holds
// them), new channels. Deprecations are left to validate.
func (op *Operator) Outdated(set index.Set) []OutdatedItem {
	var out []OutdatedItem
	for _, d := range op.Compare(set) {
		item := OutdatedItem{Operator: op.Dir, Path: op.Dir, Overlay: d.Overlay, Package: d.Package, Source: d.Source, Channel: d.Channel}
		switch d.Kind {
		case PackageUnknown:
			if d.Overlay != "" {
				continue // an overlay with a package of its own: not judged here
			}
			item.Kind = OutdatedPackageMissing
			item.Message = fmt.Sprintf("package %s is not in the index of %s", d.Package, sourceName(d.Source))
		case ChannelUnknown:
			if d.Channel == "" {
				continue // sets no channel and the package names no default: nothing to compare
			}
			item.Kind = OutdatedChannelMissing
			item.StartingCSV = d.CSV
			item.Message = fmt.Sprintf("channel %s is not in package %s any more; it has %s", d.Channel, d.Package, strings.Join(d.Known, ", "))
		case CSVUnknown, CSVNotInChannel, Behind:
			if d.Head == "" {
				continue
			}
			item.Kind = OutdatedCSVBehind
			item.StartingCSV, item.Head = d.CSV, d.Head
			switch {
			case d.Newer:
				item.Kind = OutdatedCSVUnknown
				item.Message = fmt.Sprintf("startingCSV %s is newer than %s, the head of channel %s in this index; check the pin and the index by hand", d.CSV, d.Head, d.Channel)
			case d.HasPath:
				item.Behind = d.Steps
				item.Message = fmt.Sprintf("startingCSV %s is %d upgrade step(s) behind %s, the head of channel %s", d.CSV, d.Steps, d.Head, d.Channel)
			default:
				item.Message = fmt.Sprintf("startingCSV %s is not the head of channel %s (%s), and no upgrade path leads from it to the head", d.CSV, d.Channel, d.Head)
			}
		case ChannelNew:
			item.Kind = OutdatedChannelNew
			item.Head = d.Head
			item.Message = fmt.Sprintf("channel %s of package %s is newer than every channel with an overlay", d.Channel, d.Package)
			if item.Head != "" {
				item.Message += "; its head is " + item.Head
			}
		default:
			continue
		}
		if d.Kind != ChannelNew {
			item.File, item.Line, item.Column = d.Pos.File, d.Pos.Line, d.Pos.Column
		}
		out = append(out, item)
	}
	return out
}

func sourceName(source string) string {
	if source == "" {
		return "the indexes given"
	}
	return source
}

// newerThan reports whether CSV a has a higher version than CSV b, when
// both names carry one.
func newerThan(a, b string) bool {
	va, errA := olm.ParseCSVName(a)
	vb, errB := olm.ParseCSVName(b)
	return errA == nil && errB == nil && va.Version.GreaterThan(vb.Version)
}

// SourcesHolding lists, sorted, the sources of the indexes in set that hold
// package pkg; more than one means IndexPackage will not pick for a
// Subscription whose source names none of them.
func SourcesHolding(set index.Set, pkg string) []string {
	var out []string
	for src, idx := range set {
		if idx.Packages[pkg] != nil {
			out = append(out, src)
		}
	}
	sort.Strings(out)
	return out
}
