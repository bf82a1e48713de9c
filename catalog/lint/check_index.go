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

// checkTargetIndex checks one install target; it returns whether the
// target's CSV was found in its channel.
func (p *pass) checkTargetIndex(t target) bool {
	s := t.sub
	op, ov := t.op.Dir, t.overlayName()
	pkg, judged := resolvePackage(p.opts.Index, s.Source.Value, s.Package.Value)
	if !judged {
		return false
	}
	if pkg == nil {
		p.report(IndexPackageUnknown, s.Package.Pos, op, ov, "",
			"package %q is not in the index of %s; it has %d packages (see opcat index channels)", s.Package.Value, orDefault(s.Source.Value, "the given indexes"), len(p.opts.Index[s.Source.Value].Packages))
		return false
	}
	if pkg.Deprecated != nil {
		p.report(IndexDeprecated, s.Package.Pos, op, ov, "", "package %s is deprecated: %s", pkg.Name, pkg.Deprecated.Message)
	}
	channelName := s.Channel.Value
	if !s.Channel.Set || channelName == "" {
		channelName = pkg.DefaultChannel
	}
	ch := pkg.Channels[channelName]
	if ch == nil {
		if s.Channel.Set && !isPlaceholder(channelName) {
			p.report(IndexChannelUnknown, s.Channel.Pos, op, ov, "",
				"channel %q is not in package %s; it has %s", channelName, pkg.Name, strings.Join(pkg.ChannelNames(), ", "))
		}
		return false
	}
	if ch.Deprecated != nil {
		p.report(IndexDeprecated, s.Channel.Pos, op, ov, "", "channel %s of %s is deprecated: %s", ch.Name, pkg.Name, ch.Deprecated.Message)
	}
	head, headErr := ch.Head()
	csvName := s.StartingCSV.Value
	found := false
	if s.StartingCSV.Set && csvName != "" && !isPlaceholder(csvName) {
		inPackage := pkg.Bundles[csvName] != nil || len(pkg.ChannelsOf(csvName)) > 0
		switch {
		case !inPackage:
			p.report(IndexCSVUnknown, s.StartingCSV.Pos, op, ov, "",
				"startingCSV %s is no bundle of package %s%s", csvName, pkg.Name, nearest(ch))
		case !ch.Contains(csvName):
			p.report(IndexCSVNotInChannel, s.StartingCSV.Pos, op, ov, "",
				"startingCSV %s is not in channel %s; it is in %s", csvName, ch.Name, strings.Join(pkg.ChannelsOf(csvName), ", "))
		default:
			found = true
			if b := pkg.Bundles[csvName]; b != nil && b.Deprecated != nil {
				p.report(IndexDeprecated, s.StartingCSV.Pos, op, ov, "", "bundle %s is deprecated: %s", csvName, b.Deprecated.Message)
			}
			if headErr == nil && head != csvName {
				if n, ok := ch.Behind(csvName); ok && n > 0 {
					p.report(IndexChannelBehind, s.StartingCSV.Pos, op, ov, "run opcat sync "+t.op.Dir,
						"startingCSV %s is %d upgrade step(s) behind the head of channel %s, %s", csvName, n, ch.Name, head)
				}
			}
		}
	}
	bundleName := head
	if found {
		bundleName = csvName
	}
	p.checkInstallMode(t, pkg.Bundles[bundleName])
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
