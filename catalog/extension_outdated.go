package catalog

import (
	"fmt"
	"strings"

	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/olm"
)

// OutdatedRangeBehind: a ClusterExtension overlay's version range keeps it
// below the head of its channel.
const OutdatedRangeBehind = "range-behind"

// ExtensionsOutdated compares the OLM v1 operators with the indexes the way
// Outdated compares Subscriptions: a package the index of the selected
// ClusterCatalog lacks, channels gone, a version range that excludes the
// channel head (range-behind, StartingCSV holding the range), and channels
// newer than every channel with an overlay. unchecked lists the operators
// no index holds.
func ExtensionsOutdated(c *Catalog, set index.Set) (items []OutdatedItem, unchecked []*Extension) {
	for _, e := range c.Extensions() {
		spec := e.Effective()
		pkg, from, judged := IndexPackage(set, spec.Catalog, spec.Package)
		if !judged {
			unchecked = append(unchecked, e)
			continue
		}
		base := OutdatedItem{Operator: e.Dir, Path: e.Dir, Package: spec.Package, Source: from}
		if pkg == nil {
			it := base
			it.Kind = OutdatedPackageMissing
			it.Message = fmt.Sprintf("package %s is not in the index of %s", spec.Package, from)
			items = append(items, it)
			continue
		}
		used := map[string]bool{}
		targets := e.Overlays
		if len(targets) == 0 {
			targets = []*ExtensionOverlay{{Spec: e.Spec}}
		}
		for _, ov := range targets {
			for _, ch := range ov.Spec.Channels {
				used[ch] = true
				it := base
				it.Overlay, it.Channel = ov.Name, ch
				c := pkg.Channels[ch]
				if c == nil {
					it.Kind = OutdatedChannelMissing
					it.Message = fmt.Sprintf("channel %s is not in package %s any more", ch, pkg.Name)
					items = append(items, it)
					continue
				}
				head, err := c.Head()
				if err != nil || ov.Spec.Version == "" {
					continue
				}
				rng, err := olm.ExtensionRange(ov.Spec.Version)
				if err != nil {
					continue
				}
				if got, _ := ResolveExtension(pkg, []string{ch}, rng); got != head {
					it.Kind = OutdatedRangeBehind
					it.StartingCSV, it.Head = ov.Spec.Version, head
					it.Message = fmt.Sprintf("version %q keeps channel %s below its head %s", ov.Spec.Version, ch, head)
					items = append(items, it)
				}
			}
		}
		names := pkg.ChannelNames()
		last := -1
		for i, n := range names {
			if used[n] {
				last = i
			}
		}
		for _, n := range names[last+1:] {
			if last < 0 || pkg.Channels[n].Deprecated != nil {
				break
			}
			it := base
			it.Kind, it.Channel = OutdatedChannelNew, n
			it.Head, _ = pkg.Channels[n].Head()
			it.Message = fmt.Sprintf("channel %s is newer than every channel with an overlay (%s)", n, strings.Join(usedList(names, used), ", "))
			items = append(items, it)
		}
	}
	return items, unchecked
}

func usedList(names []string, used map[string]bool) []string {
	var out []string
	for _, n := range names {
		if used[n] {
			out = append(out, n)
		}
	}
	return out
}
