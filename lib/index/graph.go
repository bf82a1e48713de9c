package index

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// ChannelNames returns the channel names of p in a stable order: first the
// names without a version (latest, stable, alpha, …) alphabetically, then
// the names that imply a version series by that version, ascending. The
// version is the first run of dot-separated numbers in the name, so
// gitops-1.6 < gitops-1.10 < gitops-1.21, stable-v1 < stable-v1.15 and
// 3.x < 3.2.x. Equal versions sort alphabetically.
func (p *Package) ChannelNames() []string {
	names := sortedKeys(p.Channels)
	SortVersionNames(names)
	return names
}

// SortVersionNames sorts channel or overlay names the way ChannelNames
// orders channels: names without a version first, alphabetically, then by
// the version they imply (gitops-1.6 before gitops-1.10).
func SortVersionNames(names []string) {
	sort.Strings(names)
	versions := make(map[string]*semver.Version, len(names))
	for _, n := range names {
		versions[n] = channelVersion(n)
	}
	sort.SliceStable(names, func(i, j int) bool {
		vi, vj := versions[names[i]], versions[names[j]]
		if (vi == nil) != (vj == nil) {
			return vi == nil
		}
		if vi != nil {
			if c := vi.Compare(vj); c != 0 {
				return c < 0
			}
		}
		return names[i] < names[j]
	})
}

var channelVersionRE = regexp.MustCompile(`[0-9]+(?:\.[0-9]+){0,2}`)

// channelVersion returns the version series a channel name implies, or nil.
func channelVersion(name string) *semver.Version {
	m := channelVersionRE.FindString(name)
	if m == "" {
		return nil
	}
	v, err := semver.NewVersion(m)
	if err != nil {
		return nil
	}
	return v
}

// ChannelsOf returns the names of the channels of p that contain csv, in
// ChannelNames order.
func (p *Package) ChannelsOf(csv string) []string {
	var out []string
	for _, n := range p.ChannelNames() {
		if p.Channels[n].Contains(csv) {
			out = append(out, n)
		}
	}
	return out
}

// Contains tells whether csv is an entry of c.
func (c *Channel) Contains(csv string) bool {
	for _, e := range c.Entries {
		if e.Name == csv {
			return true
		}
	}
	return false
}

// Head returns the channel head: the one entry that no other entry
// replaces or skips, whatever the order of the entries. Like opm it ignores
// skipRange here. It fails when the channel is empty, when every entry is
// replaced or skipped (a cycle), when several entries qualify, or when the
// replaces chain from the head runs in a cycle.
func (c *Channel) Head() (string, error) {
	if len(c.Entries) == 0 {
		return "", fmt.Errorf("channel %s has no entries", c.Name)
	}
	incoming := map[string]bool{}
	byName := make(map[string]*Entry, len(c.Entries))
	for i := range c.Entries {
		e := &c.Entries[i]
		if byName[e.Name] == nil {
			byName[e.Name] = e
		}
		if e.Replaces != "" {
			incoming[e.Replaces] = true
		}
		for _, s := range e.Skips {
			incoming[s] = true
		}
	}
	var heads []string
	for i := range c.Entries {
		n := c.Entries[i].Name
		if !incoming[n] && byName[n] == &c.Entries[i] {
			heads = append(heads, n)
		}
	}
	switch len(heads) {
	case 0:
		return "", fmt.Errorf("channel %s has no head: every entry is replaced or skipped by another one (cycle)", c.Name)
	case 1:
	default:
		sort.Strings(heads)
		return "", fmt.Errorf("channel %s has %d heads: %s", c.Name, len(heads), strings.Join(heads, ", "))
	}
	visited := map[string]bool{}
	for n := heads[0]; n != ""; {
		if visited[n] {
			return "", fmt.Errorf("channel %s: cycle in the replaces chain at %s", c.Name, n)
		}
		visited[n] = true
		e := byName[n]
		if e == nil {
			break
		}
		n = e.Replaces
	}
	return heads[0], nil
}

// UpgradePath returns a shortest upgrade path from from to to within c,
// both included, and whether there is one. An entry can be reached from the
// entry it replaces, from the entries it skips and from any version within
// its skipRange; from need not be an entry itself (an installed CSV that
// the channel replaces, skips or covers by a skipRange), to must be. from is
// taken to be a CSV of the channel's package: a name outside the channel
// only has skipRange edges when its version can be read from its name. Among
// paths of equal length the one taking the higher versions first wins.
func (c *Channel) UpgradePath(from, to string) ([]string, bool) {
	if !c.Contains(to) {
		return nil, false
	}
	if from == to {
		return []string{from}, true
	}
	next := c.successors()
	parent := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, s := range next(n) {
			if _, ok := parent[s]; ok {
				continue
			}
			parent[s] = n
			if s == to {
				var path []string
				for p := to; p != ""; p = parent[p] {
					path = append(path, p)
				}
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path, true
			}
			queue = append(queue, s)
		}
	}
	return nil, false
}

// Behind returns how many upgrade steps lead from csv to the channel head,
// and false when the channel has no single head or csv cannot reach it.
func (c *Channel) Behind(csv string) (int, bool) {
	head, err := c.Head()
	if err != nil {
		return 0, false
	}
	path, ok := c.UpgradePath(csv, head)
	if !ok {
		return 0, false
	}
	return len(path) - 1, true
}

// successors returns a function listing the entries reachable in one step
// from a CSV name, sorted by descending version, then name.
func (c *Channel) successors() func(string) []string {
	edges := map[string][]string{}
	type ranged struct {
		name string
		c    *semver.Constraints
	}
	var ranges []ranged
	for _, e := range c.Entries {
		if e.Replaces != "" && e.Replaces != e.Name {
			edges[e.Replaces] = append(edges[e.Replaces], e.Name)
		}
		for _, s := range e.Skips {
			if s != e.Name {
				edges[s] = append(edges[s], e.Name)
			}
		}
		if e.SkipRange != "" {
			if cs, err := semver.NewConstraint(e.SkipRange); err == nil {
				cs.IncludePrerelease = true // as blang/semver ranges in OLM
				ranges = append(ranges, ranged{e.Name, cs})
			}
		}
	}
	versions := map[string]*semver.Version{}
	version := func(n string) *semver.Version {
		v, ok := versions[n]
		if !ok {
			v = c.version(n)
			versions[n] = v
		}
		return v
	}
	done := map[string][]string{}
	return func(n string) []string {
		if out, ok := done[n]; ok {
			return out
		}
		set := map[string]bool{}
		for _, s := range edges[n] {
			set[s] = true
		}
		if v := version(n); v != nil {
			for _, r := range ranges {
				if r.name != n && r.c.Check(v) {
					set[r.name] = true
				}
			}
		}
		out := make([]string, 0, len(set))
		for s := range set {
			out = append(out, s)
		}
		sort.Slice(out, func(i, j int) bool {
			if cmp := compareVersions(version(out[i]), version(out[j])); cmp != 0 {
				return cmp > 0
			}
			return out[i] < out[j]
		})
		done[n] = out
		return out
	}
}

// version returns the version of CSV name: the bundle version when the
// bundle is known, else the version its name ends with (name.vX.Y.Z).
func (c *Channel) version(name string) *semver.Version {
	if c.pkg != nil {
		if b := c.pkg.Bundles[name]; b != nil && b.Version != nil {
			return b.Version
		}
	}
	return versionFromName(name)
}

// versionFromName reads the version suffix of a CSV name such as
// "operator.v1.2.3" or "operator.1.2.3"; nil if there is none.
func versionFromName(name string) *semver.Version {
	for i := 0; i+1 < len(name); i++ {
		if name[i] != '.' {
			continue
		}
		rest := strings.TrimPrefix(name[i+1:], "v")
		if rest == "" || rest[0] < '0' || rest[0] > '9' {
			continue
		}
		if v, err := semver.StrictNewVersion(rest); err == nil {
			return v
		}
	}
	return nil
}

// compareVersions orders versions with nil first.
func compareVersions(a, b *semver.Version) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(b)
}
