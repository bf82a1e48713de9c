package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/olm"
)

// resolvePackage finds the index package a Subscription installs; see
// catalog.IndexPackage.
func resolvePackage(set index.Set, source, pkg string) (*index.Package, bool) {
	p, _, judged := catalog.IndexPackage(set, source, pkg)
	return p, judged
}

// checkIndex runs the index-* rules on every install target.
func (p *pass) checkIndex() {
	if len(p.opts.Index) == 0 {
		return
	}
	// targets come operator by operator; the upgrade gaps are per operator.
	pinned := map[*catalog.Operator][]target{}
	for _, t := range p.targets() {
		if p.stopped() {
			return
		}
		if t.node.Result.Err != nil || t.sub.Object == nil {
			continue
		}
		if p.checkTargetIndex(t) && t.sub.StartingCSV.Set && t.idx == 0 {
			pinned[t.op] = append(pinned[t.op], t)
		}
	}
	for _, op := range p.c.Operators {
		p.checkUpgradeGaps(pinned[op])
	}
}

// checkTargetIndex checks one install target against the index, as
// catalog.CompareSubscription compares it; it returns whether the target's
// CSV was found in its channel.
func (p *pass) checkTargetIndex(t target) bool {
	s := t.sub
	op, ov := t.op.Dir, t.overlayName()
	c := catalog.CompareSubscription(s, p.opts.Index)
	if !c.Judged {
		return false
	}
	for _, d := range c.Drift {
		switch d.Kind {
		case catalog.PackageUnknown:
			p.report(IndexPackageUnknown, d.Pos, op, ov, "",
				"package %q is not in the index of %s; it has %d packages (see opcat index channels)", s.Package.Value, orDefault(s.Source.Value, "the given indexes"), len(p.opts.Index[s.Source.Value].Packages))
		case catalog.PackageDeprecated:
			p.report(IndexDeprecated, d.Pos, op, ov, "", "package %s is deprecated: %s", d.Package, d.Deprecation)
		case catalog.ChannelUnknown:
			if d.ChannelSet && !isPlaceholder(d.Channel) {
				p.report(IndexChannelUnknown, d.Pos, op, ov, "",
					"channel %q is not in package %s; it has %s", d.Channel, d.Package, strings.Join(d.Known, ", "))
			}
		case catalog.ChannelDeprecated:
			p.report(IndexDeprecated, d.Pos, op, ov, "", "channel %s of %s is deprecated: %s", c.Channel.Name, d.Package, d.Deprecation)
		}
		if isPlaceholder(d.CSV) {
			continue
		}
		switch d.Kind {
		case catalog.CSVUnknown:
			p.report(IndexCSVUnknown, d.Pos, op, ov, "",
				"startingCSV %s is no bundle of package %s%s", d.CSV, d.Package, nearest(c.Channel))
		case catalog.CSVNotInChannel:
			p.report(IndexCSVNotInChannel, d.Pos, op, ov, "",
				"startingCSV %s is not in channel %s; it is in %s", d.CSV, c.Channel.Name, strings.Join(d.Known, ", "))
		case catalog.BundleDeprecated:
			p.report(IndexDeprecated, d.Pos, op, ov, "", "bundle %s is deprecated: %s", d.CSV, d.Deprecation)
		case catalog.Behind:
			if d.HasPath && d.Steps > 0 {
				p.report(IndexChannelBehind, d.Pos, op, ov, "run opcat sync "+t.op.Dir,
					"startingCSV %s is %d upgrade step(s) behind the head of channel %s, %s", d.CSV, d.Steps, c.Channel.Name, d.Head)
			}
		}
	}
	if c.Package == nil || c.Channel == nil {
		return false
	}
	found := c.InChannel && !isPlaceholder(s.StartingCSV.Value)
	bundleName, _ := c.Channel.Head()
	if found {
		bundleName = s.StartingCSV.Value
	}
	p.checkInstallMode(t, c.Package.Bundles[bundleName])
	return found
}

// nearest names the channel's head as a suggestion.
func nearest(ch *index.Channel) string {
	if head, err := ch.Head(); err == nil {
		return fmt.Sprintf("; the head of channel %s is %s", ch.Name, head)
	}
	return ""
}

// checkInstallMode compares the install mode the target's OperatorGroup
// needs with those the bundle supports.
func (p *pass) checkInstallMode(t target, b *index.Bundle) {
	if b == nil || len(b.InstallModes) == 0 {
		return
	}
	ns := t.sub.Namespace.Value
	var mode string
	pos := t.sub.Namespace.Pos
	switch {
	case ns == olm.GlobalOperatorsNamespace:
		mode = "AllNamespaces"
	default:
		var group *member
		for _, m := range p.members(t) {
			if m.obj.GetKind() == "OperatorGroup" && m.namespace() == ns {
				m := m
				group = &m
				break
			}
		}
		if group == nil {
			return // operatorgroup-missing says so
		}
		pos = group.pos
		targets, _ := group.obj.GetSlice("spec.targetNamespaces")
		switch {
		case len(targets) == 0:
			mode = "AllNamespaces"
		case len(targets) == 1 && fmt.Sprint(targets[0]) == ns:
			mode = "OwnNamespace"
		case len(targets) == 1:
			mode = "SingleNamespace"
		default:
			mode = "MultiNamespace"
		}
	}
	if b.InstallModes[mode] {
		return
	}
	var supported []string
	for m, ok := range b.InstallModes {
		if ok {
			supported = append(supported, m)
		}
	}
	sort.Strings(supported)
	p.report(IndexInstallModeUnsupported, pos, t.op.Dir, t.overlayName(), "",
		"%s in namespace %s needs install mode %s, which %s does not support (it supports %s)",
		t.sub.Name.Value, orDefault(ns, "(none)"), mode, b.Name, orDefault(strings.Join(supported, ", "), "none"))
}

// checkUpgradeGaps orders an operator's pinned overlays by CSV version and
// reports consecutive pairs with no upgrade path in the later one's channel.
func (p *pass) checkUpgradeGaps(pinned []target) {
	type pin struct {
		t target
		v *semver.Version
	}
	var pins []pin
	for _, t := range pinned {
		csv, err := olm.ParseCSVName(t.sub.StartingCSV.Value)
		if err != nil {
			continue
		}
		pins = append(pins, pin{t, csv.Version})
	}
	sort.SliceStable(pins, func(i, j int) bool { return pins[i].v.LessThan(pins[j].v) })
	for i := 1; i < len(pins); i++ {
		from, to := pins[i-1].t, pins[i].t
		if from.sub.StartingCSV.Value == to.sub.StartingCSV.Value {
			continue
		}
		pkg, _ := resolvePackage(p.opts.Index, to.sub.Source.Value, to.sub.Package.Value)
		if pkg == nil {
			continue
		}
		ch := pkg.Channels[to.sub.Channel.Value]
		if ch == nil {
			continue
		}
		if _, ok := ch.UpgradePath(from.sub.StartingCSV.Value, to.sub.StartingCSV.Value); !ok {
			p.report(IndexUpgradeGap, to.sub.StartingCSV.Pos, to.op.Dir, to.overlayName(), "",
				"no upgrade path from %s (overlay %s) to %s in channel %s: a cluster on the previous overlay cannot move to this one in place",
				from.sub.StartingCSV.Value, from.overlayName(), to.sub.StartingCSV.Value, ch.Name)
		}
	}
}
