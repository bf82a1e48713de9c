package catalog

import (
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// DriftKind says how a Subscription differs from the operator index that
// serves it.
type DriftKind string

// Kinds of Drift.
const (
	// PackageUnknown: the index that serves the Subscription does not hold
	// its package.
	PackageUnknown DriftKind = "package-unknown"
	// PackageDeprecated: the index marks the package deprecated.
	PackageDeprecated DriftKind = "package-deprecated"
	// ChannelUnknown: the package has no channel of that name (the one the
	// Subscription sets, or the package's default channel when it sets
	// none; Channel may be "" when neither names one).
	ChannelUnknown DriftKind = "channel-unknown"
	// ChannelDeprecated: the index marks the channel deprecated.
	ChannelDeprecated DriftKind = "channel-deprecated"
	// CSVUnknown: the startingCSV is no bundle of the package.
	CSVUnknown DriftKind = "csv-unknown"
	// CSVNotInChannel: the startingCSV is a bundle of the package but no
	// entry of the channel.
	CSVNotInChannel DriftKind = "csv-not-in-channel"
	// BundleDeprecated: the startingCSV is an entry of the channel that the
	// index marks deprecated.
	BundleDeprecated DriftKind = "bundle-deprecated"
	// Behind: the startingCSV is an entry of the channel but not its head.
	Behind DriftKind = "behind"
	// ChannelNew: the package has a channel newer than every channel the
	// operator has an overlay for (from Operator.Compare only).
	ChannelNew DriftKind = "channel-new"
)

// Drift is one way in which a Subscription (or an operator, for
// ChannelNew and an operator's PackageUnknown) differs from an operator
// index. It holds the facts; each reader (the index-* rules, outdated,
// sync) words them its own way.
type Drift struct {
	Kind DriftKind
	// Overlay is the overlay whose Subscription differs; "" for the base
	// of an operator without overlays, and for items about the operator.
	Overlay string
	// Package is the OLM package; Source the index it was looked up in
	// ("" for an index given without a SOURCE).
	Package string
	Source  string
	// Channel is the channel the Subscription installs (or the new
	// channel); ChannelSet reports whether the Subscription writes it
	// rather than taking the package's default.
	Channel    string
	ChannelSet bool
	// CSV is the startingCSV; Head the head of Channel ("" when the channel
	// has none or is unknown).
	CSV  string
	Head string
	// Steps is the number of upgrade steps from CSV to Head; HasPath
	// reports whether an upgrade path leads there at all. Set when CSV is
	// not Head and the channel has a head, whatever the kind.
	Steps   int
	HasPath bool
	// Newer reports that CSV carries a higher version than Head (an index
	// older than the catalog?).
	Newer bool
	// Known lists, in index.Package.ChannelNames order, the channels of
	// the package for ChannelUnknown, and the channels that hold CSV for
	// CSVNotInChannel.
	Known []string
	// Deprecation is the index's message for the *Deprecated kinds.
	Deprecation string
	// Pos is where the value that differs was written: the package, the
	// channel or the startingCSV of the Subscription.
	Pos kustomize.Position
}

// Comparison is a Subscription compared with the operator indexes.
type Comparison struct {
	// Judged is false when no index serves the Subscription (see
	// IndexPackage); nothing else is then set.
	Judged bool
	// Source is the source of the index the package was looked up in.
	Source string
	// Package is the package in that index; nil when it lacks it.
	Package *index.Package
	// Channel is the channel the Subscription installs; nil when the
	// package lacks it.
	Channel *index.Channel
	// InChannel reports whether the startingCSV is an entry of Channel.
	InChannel bool
	// Drift lists the differences: the package's, then the channel's,
	// then the startingCSV's.
	Drift []Drift
}

// CompareSubscription compares one rendered Subscription with the indexes
// of set: the package (found as IndexPackage finds it), the channel (the
// one set, else the package's default), and the startingCSV when one is
// set and not empty. Values that look unfilled are compared like any other;
// readers decide whether to speak of them.
func CompareSubscription(s Subscription, set index.Set) Comparison {
	pkg, source, judged := IndexPackage(set, s.Source.Value, s.Package.Value)
	if !judged {
		return Comparison{}
	}
	c := Comparison{Judged: true, Source: source, Package: pkg}
	base := Drift{Package: s.Package.Value, Source: source}
	if pkg == nil {
		d := base
		d.Kind, d.Pos = PackageUnknown, s.Package.Pos
		c.Drift = append(c.Drift, d)
		return c
	}
	base.Package = pkg.Name
	if pkg.Deprecated != nil {
		d := base
		d.Kind, d.Pos, d.Deprecation = PackageDeprecated, s.Package.Pos, pkg.Deprecated.Message
		c.Drift = append(c.Drift, d)
	}
	base.Channel, base.ChannelSet = subscriptionChannel(s, pkg), s.Channel.Set
	base.CSV = s.StartingCSV.Value
	ch := pkg.Channels[base.Channel]
	if ch == nil {
		d := base
		d.Kind, d.Pos, d.Known = ChannelUnknown, s.Channel.Pos, pkg.ChannelNames()
		c.Drift = append(c.Drift, d)
		return c
	}
	c.Channel = ch
	if ch.Deprecated != nil {
		d := base
		d.Kind, d.Pos, d.Deprecation = ChannelDeprecated, s.Channel.Pos, ch.Deprecated.Message
		c.Drift = append(c.Drift, d)
	}
	csv := s.StartingCSV.Value
	if !s.StartingCSV.Set || csv == "" {
		return c
	}
	base.Pos = s.StartingCSV.Pos
	if head, err := ch.Head(); err == nil {
		base.Head = head
		if head != csv {
			base.Steps, base.HasPath = ch.Behind(csv)
			base.Newer = newerThan(csv, head)
		}
	}
	switch {
	case pkg.Bundles[csv] == nil && len(pkg.ChannelsOf(csv)) == 0:
		d := base
		d.Kind = CSVUnknown
		c.Drift = append(c.Drift, d)
	case !ch.Contains(csv):
		d := base
		d.Kind, d.Known = CSVNotInChannel, pkg.ChannelsOf(csv)
		c.Drift = append(c.Drift, d)
	default:
		c.InChannel = true
		if b := pkg.Bundles[csv]; b != nil && b.Deprecated != nil {
			d := base
			d.Kind, d.Deprecation = BundleDeprecated, b.Deprecated.Message
			c.Drift = append(c.Drift, d)
		}
		if base.Head != "" && base.Head != csv {
			d := base
			d.Kind = Behind
			c.Drift = append(c.Drift, d)
		}
	}
	return c
}

// subscriptionChannel is the channel s installs: the one it sets, or the
// package's default channel when it sets none.
func subscriptionChannel(s Subscription, pkg *index.Package) string {
	if s.Channel.Set && s.Channel.Value != "" {
		return s.Channel.Value
	}
	if pkg != nil {
		return pkg.DefaultChannel
	}
	return ""
}

// Compare compares an operator with the indexes of set: the package of
// its effective Subscription (PackageUnknown, with no overlay, when the
// index of its source lacks it, and nothing else then), each overlay that
// builds (CompareSubscription, Overlay set), and the channels of the
// package without an overlay that sort after the newest channel that has
// one (ChannelNew, in index.Package.ChannelNames order, deprecated ones
// left out; the default channel when no overlay installs a channel the
// package has). An operator no index serves gives nothing.
func (op *Operator) Compare(set index.Set) []Drift {
	eff := op.EffectiveSubscription()
	pkg, source, judged := IndexPackage(set, eff.Source.Value, eff.Package.Value)
	if !judged {
		return nil
	}
	if pkg == nil {
		return []Drift{{Kind: PackageUnknown, Package: eff.Package.Value, Source: source, Pos: eff.Package.Pos}}
	}
	var out []Drift
	order := map[string]int{}
	for i, n := range pkg.ChannelNames() {
		order[n] = i
	}
	newest := -1
	covered := map[string]bool{}
	for _, ov := range op.Overlays {
		s := ov.Subscription
		if s.Object == nil || ov.Node.Result.Err != nil {
			continue
		}
		c := CompareSubscription(s, set)
		if !c.Judged {
			continue
		}
		for _, d := range c.Drift {
			d.Overlay = ov.Name
			out = append(out, d)
		}
		if c.Package == pkg && c.Channel != nil {
			name := subscriptionChannel(s, pkg)
			covered[name] = true
			newest = max(newest, order[name])
		}
	}
	candidates := pkg.ChannelNames()[newest+1:]
	if newest < 0 {
		if len(op.Overlays) == 0 || pkg.Channels[pkg.DefaultChannel] == nil {
			return out
		}
		candidates = []string{pkg.DefaultChannel}
	}
	for _, name := range candidates {
		if covered[name] || pkg.Channels[name].Deprecated != nil {
			continue
		}
		d := Drift{Kind: ChannelNew, Package: pkg.Name, Source: source, Channel: name}
		d.Head, _ = pkg.Channels[name].Head()
		out = append(out, d)
	}
	return out
}
