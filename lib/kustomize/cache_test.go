package kustomize

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// editCatalog is a small catalog on disk with the shapes the cache must
// key right: a base read by two overlays, a component, a file only a child
// folder reads, a parent that sets the namespace, and a folder link whose
// target changes. Every file holds one "vN" marker an edit increments.
var editCatalog = map[string]string{
	"base/kustomization.yaml":      "resources:\n- cm.yaml\ncommonAnnotations:\n  b: \"v0\"\n",
	"base/cm.yaml":                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  v: \"v0\"\n",
	"comp/kustomization.yaml":      "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n- pairs:\n    c: \"v0\"\n",
	"overlay-a/kustomization.yaml": "resources:\n- ../base\ncomponents:\n- ../comp\ncommonAnnotations:\n  a: \"v0\"\n",
	"overlay-b/kustomization.yaml": "resources:\n- ../base\n- extra.yaml\npatches:\n- path: patch.yaml\ncommonAnnotations:\n  o: \"v0\"\n",
	"overlay-b/patch.yaml":         "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  w: \"v0\"\n",
	"overlay-b/extra.yaml":         "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  v: \"v0\"\n",
	"child/kustomization.yaml":     "resources:\n- cm.yaml\ncommonAnnotations:\n  k: \"v0\"\n",
	"child/cm.yaml":                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: child\ndata:\n  v: \"v0\"\n",
	"parent/kustomization.yaml":    "resources:\n- ../child\nnamespace: \"v0\"\n",
	"apps/v1/kustomization.yaml":   "resources:\n- cm.yaml\ncommonAnnotations:\n  k: \"v0\"\n",
	"apps/v1/cm.yaml":              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  v: \"v0\"\n",
	"apps/v2/kustomization.yaml":   "resources:\n- cm.yaml\ncommonAnnotations:\n  k: \"v0\"\n",
	"apps/v2/cm.yaml":              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  v: \"v0\"\n  two: \"yes\"\n",
	"top/kustomization.yaml":       "resources:\n- ../apps/current\ncommonAnnotations:\n  t: \"v0\"\n",
}

// link is the folder link of editCatalog; an edit retargets it.
const link = "apps/current"

// editDeps says, independently of the cache, what each folder's build
// reads: its own files and those of what it includes (link stands for
// the link's target, whatever it is).
var editDeps = map[string][]string{
	"base":      {"base/"},
	"overlay-a": {"overlay-a/", "base/", "comp/"},
	"overlay-b": {"overlay-b/", "base/"},
	"child":     {"child/"},
	"parent":    {"parent/", "child/"},
	"apps/v1":   {"apps/v1/"},
	"apps/v2":   {"apps/v2/"},
	"top":       {"top/", link},
}

func writeEditCatalog(t *testing.T, root string, files map[string]string, target string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lp := filepath.Join(root, filepath.FromSlash(link))
	os.Remove(lp)
	if err := os.Symlink(target, lp); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
}

var markerRE = regexp.MustCompile(`"v(\d+)"`)

func bump(s string) string {
	return markerRE.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(m[2 : len(m)-1])
		return fmt.Sprintf(`"v%d"`, n+1)
	})
}

func testCache(t *testing.T) *Cache {
	t.Helper()
	c, err := OpenCache(t.TempDir(), CacheOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sortedDirs(m map[string][]string) []string {
	var out []string
	for d := range m {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// buildEach builds each folder with a full build through cache, and
// returns the results and which folders were read from the cache.
func buildEach(t *testing.T, tree *Tree, cache *Cache) (map[string]Result, map[string]bool) {
	t.Helper()
	b := NewBuilder(tree)
	b.NoReuse = true
	b.Cache = cache
	res, hit := map[string]Result{}, map[string]bool{}
	for _, d := range sortedDirs(editDeps) {
		before := cache.Stats()
		res[d] = b.Build(d)
		after := cache.Stats()
		hit[d] = after.Hits > before.Hits && after.Misses == before.Misses
	}
	return res, hit
}

func sameResult(t *testing.T, what, dir string, got, want Result) {
	t.Helper()
	if (got.Err == nil) != (want.Err == nil) || (got.Err != nil && got.Err.Error() != want.Err.Error()) {
		t.Fatalf("%s: %s: error %v, want %v", what, dir, got.Err, want.Err)
	}
	if !bytes.Equal(got.YAML(), want.YAML()) {
		t.Fatalf("%s: %s: output differs from the build without cache:\n%s\nwant:\n%s", what, dir, got.YAML(), want.YAML())
	}
	if len(got.Resources) != len(want.Resources) {
		t.Fatalf("%s: %s: %d objects, want %d", what, dir, len(got.Resources), len(want.Resources))
	}
	for i := range got.Resources {
		if g, w := got.Resources[i].MustString(), want.Resources[i].MustString(); g != w {
			t.Fatalf("%s: %s: object %d differs:\n%s\nwant:\n%s", what, dir, i, g, w)
		}
	}
}

// TestCacheInvalidatesExactlyWhatDependsOnAnEdit applies random one-file
// edits (and link retargets) to a catalog and checks after each that a
// cached build gives what a build without cache gives, and that exactly
// the folders whose build reads the edited file are built again.
func TestCacheInvalidatesExactlyWhatDependsOnAnEdit(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for k, v := range editCatalog {
		files[k] = v
	}
	target := "v1"
	writeEditCatalog(t, root, files, target)
	cache := testCache(t)
	names := make([]string, 0, len(files))
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	rng := rand.New(rand.NewPCG(11, 29))
	edited := ""
	editedOnce := map[string]bool{}
	for step := 0; step < 40; step++ {
		editedOnce[edited] = true
		tree, err := ReadTree(root, TreeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, hit := buildEach(t, tree, cache)
		plain := NewBuilder(tree)
		plain.NoReuse = true
		for _, d := range sortedDirs(editDeps) {
			sameResult(t, fmt.Sprintf("step %d (after editing %s)", step, edited), d, got[d], plain.Build(d))
			want := step > 0
			for _, dep := range editDeps[d] {
				if edited == dep || (strings.HasSuffix(dep, "/") && strings.HasPrefix(edited, dep)) ||
					(dep == link && (edited == link || strings.HasPrefix(edited, "apps/"+target+"/"))) {
					want = false
				}
			}
			if hit[d] != want {
				t.Errorf("step %d, after editing %s: %s read from the cache: %v, want %v", step, edited, d, hit[d], want)
			}
		}
		// Builds with reuse, in include order, give with the cache what
		// they give without.
		reuse, reusePlain := NewBuilder(tree), NewBuilder(tree)
		reuse.Cache = cache
		for _, d := range []string{"base", "child", "apps/v1", "apps/v2", "overlay-a", "overlay-b", "parent", "top"} {
			sameResult(t, fmt.Sprintf("step %d reuse", step), d, reuse.Build(d), reusePlain.Build(d))
		}
		// The next edit: a file, or the link.
		if i := rng.IntN(len(names) + 2); i >= len(names) {
			if target == "v1" {
				target = "v2"
			} else {
				target = "v1"
			}
			edited = link
		} else {
			edited = names[i]
			files[edited] = bump(files[edited])
		}
		writeEditCatalog(t, root, files, target)
	}
	for _, must := range []string{link, "child/cm.yaml", "comp/kustomization.yaml", "base/cm.yaml"} {
		if !editedOnce[must] {
			t.Errorf("the edit sequence never edits %s; change the seed", must)
		}
	}
}

// TestCacheEntries covers the store itself: what a second run reads, what
// a corrupt or truncated entry does, permissions, paths that appear.
func TestCacheEntries(t *testing.T) {
	tree := NewTreeFromMap(editCatalog)
	cases := []struct {
		name string
		// spoil changes the cache between a first and a second run.
		spoil func(t *testing.T, dir string)
		hits  bool
	}{
		{"unchanged", func(*testing.T, string) {}, true},
		{"truncated", func(t *testing.T, dir string) {
			eachEntry(t, dir, func(p string, data []byte) []byte { return data[:len(data)/2] })
		}, false},
		{"one byte flipped", func(t *testing.T, dir string) {
			eachEntry(t, dir, func(p string, data []byte) []byte { data[len(data)-1] ^= 1; return data })
		}, false},
		{"empty", func(t *testing.T, dir string) {
			eachEntry(t, dir, func(string, []byte) []byte { return nil })
		}, false},
		{"garbage body with a valid header", func(t *testing.T, dir string) {
			eachEntry(t, dir, func(string, []byte) []byte { return entryBytes([]byte("{not json")) })
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			c, err := OpenCache(dir, CacheOptions{})
			if err != nil {
				t.Fatal(err)
			}
			plain := NewBuilder(tree)
			first := NewBuilder(tree)
			first.Cache = c
			for _, d := range []string{"base", "overlay-a", "overlay-b", "parent"} {
				sameResult(t, "first run", d, first.Build(d), plain.Build(d))
			}
			tc.spoil(t, dir)
			before := c.Stats()
			second := NewBuilder(tree)
			second.Cache = c
			for _, d := range []string{"base", "overlay-a", "overlay-b", "parent"} {
				sameResult(t, "second run", d, second.Build(d), plain.Build(d))
			}
			after := c.Stats()
			if gotHits := after.Hits > before.Hits && after.Misses == before.Misses; gotHits != tc.hits {
				t.Fatalf("second run read from the cache: %v, want %v (%+v then %+v)", gotHits, tc.hits, before, after)
			}
		})
	}
}

func entryBytes(body []byte) []byte {
	var buf bytes.Buffer
	h := sha256.Sum256(body)
	sum := hex.EncodeToString(h[:])
	buf.WriteString(entryMagic + sum + "\n")
	buf.Write(body)
	return buf.Bytes()
}

func eachEntry(t *testing.T, dir string, f func(p string, data []byte) []byte) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, cacheFormat), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Dir(p) == filepath.Join(dir, cacheFormat) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		return os.WriteFile(p, f(p, data), 0o600)
	})
	if err != nil || n == 0 {
		t.Fatalf("no cache entries to spoil (%d): %v", n, err)
	}
}

func TestCachePermissionsAndTrim(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenCache(dir, CacheOptions{MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(NewTreeFromMap(editCatalog))
	b.Cache = c
	for _, d := range []string{"base", "overlay-a", "overlay-b", "parent"} {
		if r := b.Build(d); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	var entries []string
	err = filepath.WalkDir(c.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, _ := d.Info()
		switch {
		case d.IsDir():
			if perm := info.Mode().Perm(); perm != 0o700 {
				t.Errorf("folder %s has mode %v, want 0700", p, perm)
			}
		default:
			if perm := info.Mode().Perm(); perm != 0o600 {
				t.Errorf("file %s has mode %v, want 0600", p, perm)
			}
			if filepath.Dir(p) != c.Dir() {
				entries = append(entries, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 8 {
		t.Fatalf("%d entries, want one outcome and one manifest per build", len(entries))
	}
	// Age every entry but the last one, then trim to a bound that holds
	// only a little: the oldest go first, the most recently used stays.
	sort.Strings(entries)
	old := time.Now().Add(-48 * time.Hour)
	for i, p := range entries[:len(entries)-1] {
		when := old.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
	newest := entries[len(entries)-1]
	st, _ := os.Stat(newest)
	c.maxBytes = st.Size() * 3
	if err := c.Trim(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(newest); err != nil {
		t.Errorf("the most recently used entry was trimmed: %v", err)
	}
	if _, err := os.Stat(entries[0]); err == nil {
		t.Errorf("the least recently used entry was kept")
	}
	var total int64
	filepath.WalkDir(c.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Dir(p) != c.Dir() {
			info, _ := d.Info()
			total += info.Size()
		}
		return nil
	})
	if total > c.maxBytes {
		t.Errorf("after trimming the cache holds %d bytes, over its bound %d", total, c.maxBytes)
	}
}

func TestOpenCacheUnusable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, dir string }{
		{"empty", ""},
		{"below a file", filepath.Join(file, "cache")},
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(t.TempDir(), "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct{ name, dir string }{"read-only", ro})
	} else {
		t.Log("running as root: a read-only folder is writable, that case is not run")
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if c, err := OpenCache(tc.dir, CacheOptions{}); err == nil {
				t.Fatalf("OpenCache(%q) = %v, want an error", tc.dir, c.Dir())
			}
		})
	}
}

// TestCacheConcurrent builds the same folders from several builders at
// once on one cache, as concurrent runs do.
func TestCacheConcurrent(t *testing.T) {
	tree := NewTreeFromMap(editCatalog)
	dir := t.TempDir()
	plain := NewBuilder(tree)
	want := map[string][]byte{}
	dirs := []string{"base", "overlay-a", "overlay-b", "parent", "child"}
	for _, d := range dirs {
		r := plain.Build(d)
		want[d] = r.YAML()
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := OpenCache(dir, CacheOptions{})
			if err != nil {
				errs <- err.Error()
				return
			}
			for round := 0; round < 3; round++ {
				b := NewBuilder(tree)
				b.Cache = c
				for _, d := range dirs {
					r := b.Build(d)
					if got := r.YAML(); !bytes.Equal(got, want[d]) {
						errs <- fmt.Sprintf("%s: %q, want %q", d, got, want[d])
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestCacheSeesPathsThatAppear: a file the build looked for and did not
// find is part of the key.
func TestCacheSeesPathsThatAppear(t *testing.T) {
	cache := testCache(t)
	files := map[string]string{}
	for k, v := range editCatalog {
		files[k] = v
	}
	b := NewBuilder(NewTreeFromMap(files))
	b.Cache = cache
	if r := b.Build("base"); r.Err != nil {
		t.Fatal(r.Err)
	}
	files["base/kustomization.yml"] = files["base/kustomization.yaml"]
	tree := NewTreeFromMap(files)
	b = NewBuilder(tree)
	b.Cache = cache
	got := b.Build("base")
	if got.Err == nil {
		t.Fatalf("a second kustomization file appeared and the build still succeeds:\n%s", got.YAML())
	}
	sameResult(t, "after adding kustomization.yml", "base", got, NewBuilder(tree).Build("base"))
}

// FuzzCacheEntry: whatever bytes sit in a cache entry, reading it never
// panics, and a body is only trusted when its checksum matches.
func FuzzCacheEntry(f *testing.F) {
	f.Add(entryBytes([]byte(`{"yaml":"a: 1\n","objects":"a: 1\n","ok":true}`)))
	f.Add(entryBytes([]byte(`{"obs":[{"o":"read","a":"/k.yaml"}]}`)))
	f.Add([]byte(entryMagic + "00\n{}"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		body, ok := checkEntry(data)
		if !ok {
			return
		}
		if !bytes.Equal(entryBytes(body), data) {
			t.Fatalf("trusted a body whose entry is not what its checksum says")
		}
		var out outcome
		if json.Unmarshal(body, &out) == nil && out.OK {
			_, _ = resultFromCache(out)
		}
	})
}
