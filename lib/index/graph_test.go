package index

import (
	"bufio"
	"context"
	"fmt"
	"math/bits"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/Masterminds/semver/v3"
)

// bruteUpgradePath is the plain breadth-first search that checks every
// skipRange against every name it visits: the reference UpgradePath must
// agree with, path for path.
func bruteUpgradePath(c *Channel, from, to string) ([]string, bool) {
	if !c.Contains(to) {
		return nil, false
	}
	if from == to {
		return []string{from}, true
	}
	edges := map[string][]string{}
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
				cs.IncludePrerelease = true
				ranges = append(ranges, ranged{name: e.Name, c: cs})
			}
		}
	}
	next := func(n string) []string {
		set := map[string]bool{}
		for _, s := range edges[n] {
			set[s] = true
		}
		if v := c.version(n); v != nil {
			for _, r := range ranges {
				if r.name != n && r.c.Check(v) {
					set[r.name] = true
				}
			}
		}
		var out []string
		for s := range set {
			out = append(out, s)
		}
		sort.Slice(out, func(i, j int) bool {
			if cmp := compareVersions(c.version(out[i]), c.version(out[j])); cmp != 0 {
				return cmp > 0
			}
			return out[i] < out[j]
		})
		return out
	}
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
					path = append([]string{p}, path...)
				}
				return path, true
			}
			queue = append(queue, s)
		}
	}
	return nil, false
}

// TestUpgradePathMatchesBruteForce compares UpgradePath with the plain
// search on random channels: pre-releases, ranges of every form (the ones
// cut into intervals and the ones checked one by one), names outside the
// channel and names without a version.
func TestUpgradePathMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	version := func() string {
		v := fmt.Sprintf("%d.%d.%d", rng.Intn(3), rng.Intn(4), rng.Intn(3))
		switch rng.Intn(6) {
		case 0:
			v += "-rc." + fmt.Sprint(rng.Intn(3))
		case 1:
			v += "-0"
		}
		return v
	}
	rangeOf := func() string {
		a, b := version(), version()
		forms := []string{
			">=%[1]s <%[2]s", ">%[1]s <=%[2]s", "<%[2]s", ">=%[1]s", ">= %[1]s, < %[2]s",
			">=%[1]s <%[2]s || >=%[2]s <3.0.0", "=>%[1]s =<%[2]s", "v%[1]s - v%[2]s", "~%[1]s",
			"^%[1]s", "!=%[1]s", "=%[1]s", "<1.x", ">1", "<=1.2", ">0.1", "%[1]s", "not a range",
			">=%[1]s <%[2]s ||", ">=1.0.0-0 <2.0.0",
		}
		return fmt.Sprintf(forms[rng.Intn(len(forms))], a, b)
	}
	for round := 0; round < 100; round++ {
		n := 2 + rng.Intn(15)
		ch := &Channel{Name: "c"}
		names := make([]string, 0, n+5)
		for i := 0; i < n; i++ {
			name := "op.v" + version()
			if rng.Intn(15) == 0 {
				name = fmt.Sprintf("op-unversioned-%d", i)
			}
			names = append(names, name)
		}
		for _, name := range names {
			e := Entry{Name: name}
			if rng.Intn(2) == 0 {
				e.Replaces = names[rng.Intn(len(names))]
			}
			if rng.Intn(4) == 0 {
				e.Skips = []string{names[rng.Intn(len(names))], "op.v" + version()}
			}
			if rng.Intn(3) > 0 {
				e.SkipRange = rangeOf()
			}
			ch.Entries = append(ch.Entries, e)
		}
		froms := append([]string{"op.v" + version(), "op.v" + version(), "other"}, names...)
		for _, from := range froms {
			for _, to := range names {
				got, ok := ch.UpgradePath(from, to)
				want, wantOK := bruteUpgradePath(ch, from, to)
				if ok != wantOK || !reflect.DeepEqual(got, want) {
					t.Fatalf("round %d: UpgradePath(%s, %s) = %v, %v; the plain search gives %v, %v\nentries: %+v",
						round, from, to, got, ok, want, wantOK, ch.Entries)
				}
			}
		}
	}
}

// writeLongChannel writes, as FBC JSON, package p with one channel of n
// entries where entry i replaces entry i-1 and its skipRange holds exactly
// the version of entry i-1, and a bundle per entry. n = 20000 gives about
// 5 MB.
func writeLongChannel(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	ver := func(i int) string { return fmt.Sprintf("1.%d.%d", i/100, i%100) }
	fmt.Fprintln(w, `{"schema":"olm.package","name":"p","defaultChannel":"stable"}`)
	fmt.Fprint(w, `{"schema":"olm.channel","package":"p","name":"stable","entries":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			fmt.Fprint(w, ",\n")
			fmt.Fprintf(w, `{"name":"p.v%s","replaces":"p.v%s","skipRange":">=%s <%s"}`, ver(i), ver(i-1), ver(i-1), ver(i))
			continue
		}
		fmt.Fprintf(w, `{"name":"p.v%s"}`, ver(i))
	}
	fmt.Fprintln(w, "]}")
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, `{"schema":"olm.bundle","package":"p","name":"p.v%s","image":"registry.example.com/p/bundle@sha256:%064d","properties":[{"type":"olm.package","value":{"packageName":"p","version":"%s"}}]}`+"\n", ver(i), i, ver(i))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestUpgradePathLongChannel checks by counting that a search through a
// channel of 20000 entries, each with replaces and a one-step skipRange,
// takes O(n log n) steps, not O(n²).
func TestUpgradePathLongChannel(t *testing.T) {
	const n = 20000
	path := filepath.Join(t.TempDir(), "long.json")
	writeLongChannel(t, path, n)
	ch := mustLoad(t, path, Options{}).Packages["p"].Channels["stable"]
	head, err := ch.Head()
	if err != nil || head != "p.v1.199.99" {
		t.Fatalf("Head() = %q, %v", head, err)
	}
	got, ok, work := ch.upgradePath("p.v1.0.0", head)
	if !ok || len(got) != n {
		t.Fatalf("UpgradePath found %d steps, %v; want %d", len(got), ok, n)
	}
	if limit := 8 * n * bits.Len(uint(n)); work > limit {
		t.Errorf("the search took %d steps, more than %d = 8·n·log₂n", work, limit)
	}
	if behind, ok := ch.Behind("p.v1.0.0"); !ok || behind != n-1 {
		t.Errorf("Behind = %d, %v; want %d", behind, ok, n-1)
	}
}

// BenchmarkBehindLongChannel times what opcat outdated does with a
// startingCSV at the tail of a 20000-entry channel: load the index, find
// the head and the path to it.
//
//	go test ./lib/index -run='^$' -bench=BehindLongChannel -benchtime=3x
func BenchmarkBehindLongChannel(b *testing.B) {
	path := filepath.Join(b.TempDir(), "long.json")
	writeLongChannel(b, path, 20000)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	for i := 0; i < b.N; i++ {
		idx, err := Load(context.Background(), path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if n, ok := idx.Packages["p"].Channels["stable"].Behind("p.v1.0.0"); !ok || n != 19999 {
			b.Fatalf("Behind = %d, %v", n, ok)
		}
	}
}
