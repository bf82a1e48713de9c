package index

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/opcat-dev/opcat/lib/olm"
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
// the version they imply (gitops-1.6 before gitops-1.10): the sort key of
// olm.ParseChannelName.
func SortVersionNames(names []string) {
	sort.Strings(names)
	versions := make(map[string]*semver.Version, len(names))
	for _, n := range names {
		versions[n] = olm.ParseChannelName(n).SortKey
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
//
// The search is a breadth-first search that finds each entry once; the
// entries whose skipRange covers a version are found through the versions
// sorted once, so a channel of n entries costs O(n log n), not O(n²).
func (c *Channel) UpgradePath(from, to string) ([]string, bool) {
	path, ok, _ := c.upgradePath(from, to)
	return path, ok
}

// upgradePath is UpgradePath; work counts the steps of the search (names
// listed, versions compared against a range), for tests of its cost.
func (c *Channel) upgradePath(from, to string) (path []string, ok bool, work int) {
	if !c.Contains(to) {
		return nil, false, 0
	}
	if from == to {
		return []string{from}, true, 0
	}
	g := c.newGraph(from)
	defer func() { work = g.work }()
	parent := map[string]string{from: ""}
	queue := []string{from}
	var found []string
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		// The successors of n not found yet, in the order of successors:
		// by descending version, then name.
		found = found[:0]
		add := func(s string) {
			g.work++
			if _, ok := parent[s]; !ok {
				parent[s] = n
				found = append(found, s)
			}
		}
		for _, s := range g.edges[n] {
			add(s)
		}
		g.covering(n, add)
		g.sort(found)
		for _, s := range found {
			if s == to {
				var path []string
				for p := to; p != ""; p = parent[p] {
					path = append(path, p)
				}
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path, true, 0
			}
			queue = append(queue, s)
		}
	}
	return nil, false, 0
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

// graph holds the upgrade edges of a channel for one search.
type graph struct {
	c     *Channel
	edges map[string][]string // replaces and skips: from -> entries
	vers  map[string]*semver.Version
	// points are the names with a version, sorted by version then name;
	// pos maps a name to its index.
	points []string
	pos    map[string]int
	// seg is a segment tree over points: node i lists the entries whose
	// skipRange covers every point of its span. A list is emptied once
	// read: a breadth-first search finds each entry once.
	seg [][]string
	// loose are the skipRanges that do not cut into intervals of versions
	// (=, !=, ~, ^, wildcards, hyphen ranges); they are checked one by one.
	loose []ranged
	work  int // steps taken, see upgradePath
}

type ranged struct {
	name, text string
	c          *semver.Constraints
}

// newGraph prepares the edges of c for a search that starts at from.
func (c *Channel) newGraph(from string) *graph {
	g := &graph{c: c, edges: map[string][]string{}, vers: map[string]*semver.Version{}, pos: map[string]int{}}
	var ranges []ranged
	for _, e := range c.Entries {
		if e.Replaces != "" && e.Replaces != e.Name {
			g.edges[e.Replaces] = append(g.edges[e.Replaces], e.Name)
		}
		for _, s := range e.Skips {
			if s != e.Name {
				g.edges[s] = append(g.edges[s], e.Name)
			}
		}
		if e.SkipRange != "" {
			if cs, err := semver.NewConstraint(e.SkipRange); err == nil {
				cs.IncludePrerelease = true // as blang/semver ranges in OLM
				ranges = append(ranges, ranged{e.Name, e.SkipRange, cs})
			}
		}
		if _, ok := g.pos[e.Name]; !ok && g.version(e.Name) != nil {
			g.pos[e.Name] = 0
			g.points = append(g.points, e.Name)
		}
	}
	if _, ok := g.pos[from]; !ok && g.version(from) != nil {
		g.points = append(g.points, from)
	}
	sort.Slice(g.points, func(i, j int) bool {
		if cmp := g.version(g.points[i]).Compare(g.version(g.points[j])); cmp != 0 {
			return cmp < 0
		}
		return g.points[i] < g.points[j]
	})
	for i, n := range g.points {
		g.pos[n] = i
	}
	vs := make([]*semver.Version, len(g.points))
	for i, n := range g.points {
		vs[i] = g.version(n)
	}
	g.seg = make([][]string, 4*max(len(g.points), 1))
	for _, r := range ranges {
		spans, ok := rangeSpans(r.text, vs, &g.work)
		if !ok {
			g.loose = append(g.loose, r)
			continue
		}
		for _, sp := range spans {
			g.insert(1, 0, len(g.points), sp[0], sp[1], r.name)
		}
	}
	return g
}

func (g *graph) version(n string) *semver.Version {
	v, ok := g.vers[n]
	if !ok {
		v = g.c.version(n)
		g.vers[n] = v
	}
	return v
}

// insert adds name to the nodes of the segment tree covering [lo, hi);
// node covers [nlo, nhi).
func (g *graph) insert(node, nlo, nhi, lo, hi int, name string) {
	if hi <= nlo || nhi <= lo || lo >= hi {
		return
	}
	if lo <= nlo && nhi <= hi {
		g.seg[node] = append(g.seg[node], name)
		return
	}
	mid := (nlo + nhi) / 2
	g.insert(2*node, nlo, mid, lo, hi, name)
	g.insert(2*node+1, mid, nhi, lo, hi, name)
}

// covering calls add for the entries whose skipRange holds the version of
// n; an entry given for an earlier name may not be given again.
func (g *graph) covering(n string, add func(string)) {
	v := g.version(n)
	if v == nil {
		return
	}
	for _, r := range g.loose {
		g.work++
		if r.c.Check(v) {
			add(r.name)
		}
	}
	p, ok := g.pos[n]
	if !ok {
		return
	}
	node, lo, hi := 1, 0, len(g.points)
	for {
		// Every entry listed is found now or was before (n's own range
		// included: n is found): none needs listing again.
		for _, s := range g.seg[node] {
			add(s)
		}
		g.seg[node] = nil
		if hi-lo <= 1 {
			return
		}
		mid := (lo + hi) / 2
		if p < mid {
			node, hi = 2*node, mid
		} else {
			node, lo = 2*node+1, mid
		}
	}
}

// sort orders names by descending version, then name.
func (g *graph) sort(names []string) {
	sort.Slice(names, func(i, j int) bool {
		if cmp := compareVersions(g.version(names[i]), g.version(names[j])); cmp != 0 {
			return cmp > 0
		}
		return names[i] < names[j]
	})
}

// rangeTerm is one comparison of a skipRange: >, >=, <, <= and a version.
var rangeTerm = regexp.MustCompile(`^(>=|=>|<=|=<|>|<)\s*v?[0-9][0-9A-Za-z.+-]*$`)

// rangeSpans cuts skipRange into spans [lo, hi) of vs, sorted ascending:
// the versions it holds. It does so when every OR-group of the range is a
// conjunction of comparisons, each of which holds on a prefix or a suffix
// of vs; ok is false otherwise.
func rangeSpans(skipRange string, vs []*semver.Version, work *int) (spans [][2]int, ok bool) {
	for _, group := range strings.Split(skipRange, "||") {
		fields := strings.Fields(strings.ReplaceAll(group, ",", " "))
		var terms []string
		for i := 0; i < len(fields); i++ {
			f := fields[i]
			if strings.Trim(f, "<>=") == "" && i+1 < len(fields) {
				f += fields[i+1]
				i++
			}
			if !rangeTerm.MatchString(f) || strings.ContainsAny(f, "xX*") {
				return nil, false
			}
			terms = append(terms, f)
		}
		if len(terms) == 0 {
			return nil, false
		}
		lo, hi := 0, len(vs)
		for _, t := range terms {
			holds, ok := termCheck(t)
			if !ok {
				return nil, false
			}
			if t[0] == '>' || t[0] == '=' && t[1] == '>' {
				lo = max(lo, sort.Search(len(vs), func(i int) bool { *work++; return holds(vs[i]) }))
			} else {
				hi = min(hi, sort.Search(len(vs), func(i int) bool { *work++; return !holds(vs[i]) }))
			}
		}
		if lo < hi {
			spans = append(spans, [2]int{lo, hi})
		}
	}
	return spans, true
}

// version returns the version of CSV name: the bundle version when the
// bundle is known (OLM orders bundles by the version of their olm.package
// property, never by name), else the version its name ends with as
// olm.ParseCSVName reads it (name.vX.Y.Z), nil for a name it refuses.
func (c *Channel) version(name string) *semver.Version {
	if c.pkg != nil {
		if b := c.pkg.Bundles[name]; b != nil && b.Version != nil {
			return b.Version
		}
	}
	if n, err := olm.ParseCSVName(name); err == nil {
		return n.Version
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

// termCheck returns the test of one comparison of a skipRange, as
// Masterminds/semver checks it with pre-releases included: a plain
// comparison when the version is complete, the library's own check when it
// is partial (">1.2" means from 1.3.0 on).
func termCheck(term string) (func(*semver.Version) bool, bool) {
	op := strings.TrimRight(term[:min(2, len(term))], "0123456789v ")
	ver := strings.TrimSpace(term[len(op):])
	if v, err := semver.StrictNewVersion(strings.TrimPrefix(ver, "v")); err == nil {
		switch op {
		case ">":
			return func(x *semver.Version) bool { return x.Compare(v) > 0 }, true
		case ">=", "=>":
			return func(x *semver.Version) bool { return x.Compare(v) >= 0 }, true
		case "<":
			return func(x *semver.Version) bool { return x.Compare(v) < 0 }, true
		case "<=", "=<":
			return func(x *semver.Version) bool { return x.Compare(v) <= 0 }, true
		}
	}
	c, err := semver.NewConstraint(term)
	if err != nil {
		return nil, false
	}
	c.IncludePrerelease = true
	return c.Check, true
}
