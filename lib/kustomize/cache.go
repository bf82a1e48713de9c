package kustomize

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Cache keeps the outcome of krusty's builds on disk, across runs. An
// entry is found by a key that covers every byte that can change the
// build: each read, stat and listing the build made of the snapshot (paths
// that were absent included, so a file that appears invalidates it), with
// what it saw there as the sanitiser served it (links resolved, refused
// files and their reasons), the folder built, and the tool: opcat's and
// kustomize's versions, the Go toolchain, the build options and the build
// ID of the running binary (builds from source all say "(devel)").
//
// Folders included by a build are part of what it reads, and a folder
// built on its includes' rendered output reads those outputs: the key of
// a build therefore covers the keys of what it includes. Components are
// only ever built inside their includer, so their effect is keyed with it.
//
// Entries hold rendered output, which can include generated Secrets: the
// cache folder is created 0700 and every entry 0600. Each entry carries a
// checksum and is ignored (then rebuilt) when it does not match; entries
// are written to a temporary file and renamed, so concurrent runs never
// see a partial one. The size is bounded: Trim removes the least recently
// used entries. A Cache is safe for concurrent use.
type Cache struct {
	dir      string // the versioned folder entries live in
	maxBytes int64

	hits, misses, writes, errs atomic.Int64
}

// CacheOptions tune OpenCache. The zero value works.
type CacheOptions struct {
	// MaxBytes bounds the cache's size; zero means DefaultCacheMaxBytes.
	MaxBytes int64
	// TrimInterval is how long after a trim OpenCache trims again; zero
	// means an hour, negative never.
	TrimInterval time.Duration
}

// DefaultCacheMaxBytes is the size a cache is trimmed to unless told
// otherwise.
const DefaultCacheMaxBytes = 512 << 20

// cacheFormat names the layout of entries; a new layout uses a new folder.
const cacheFormat = "v1"

// CacheStats counts what a Cache did since it was opened.
type CacheStats struct {
	// Hits are builds served from the cache, Misses builds run.
	Hits, Misses int64
	// Writes are entries written; Errors are entries that could not be.
	Writes, Errors int64
}

// DefaultCacheDir is where the cache lives unless told otherwise: the
// OPCAT_CACHE_DIR environment variable when set, else opcat below the
// user's cache folder.
func DefaultCacheDir() (string, error) {
	if d := os.Getenv("OPCAT_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "opcat"), nil
}

// OpenCache opens (creating it when missing) the build cache in dir. It
// fails when the folder cannot be created or written; callers then build
// without a cache.
func OpenCache(dir string, opts CacheOptions) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("no cache folder given")
	}
	vdir := filepath.Join(dir, cacheFormat)
	if err := os.MkdirAll(vdir, 0o700); err != nil {
		return nil, fmt.Errorf("cache folder %s: %w", dir, unwrapPathError(err))
	}
	probe, err := os.CreateTemp(vdir, ".probe-*")
	if err != nil {
		return nil, fmt.Errorf("cache folder %s cannot be written: %w", dir, unwrapPathError(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	c := &Cache{dir: vdir, maxBytes: opts.MaxBytes}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultCacheMaxBytes
	}
	interval := opts.TrimInterval
	if interval == 0 {
		interval = time.Hour
	}
	if interval > 0 {
		marker := filepath.Join(vdir, "trimmed")
		if st, err := os.Stat(marker); err != nil || time.Since(st.ModTime()) > interval {
			_ = c.Trim()
		}
	}
	return c, nil
}

// Dir is the folder the cache keeps its entries in.
func (c *Cache) Dir() string { return c.dir }

// Stats returns what the cache did so far.
func (c *Cache) Stats() CacheStats {
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Writes: c.writes.Load(), Errors: c.errs.Load()}
}

// entryMagic starts every entry; the checksum of the body follows.
const entryMagic = "opcat-cache 1\n"

func (c *Cache) path(key string) string { return filepath.Join(c.dir, key[:2], key) }

// get returns the body of the entry key, or false when it is absent or
// does not match its checksum.
func (c *Cache) get(key string) ([]byte, bool) {
	p := c.path(key)
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, false
	}
	body, ok := checkEntry(data)
	if !ok {
		return nil, false
	}
	if time.Since(st.ModTime()) > time.Hour {
		now := time.Now()
		_ = os.Chtimes(p, now, now) // used: trimmed last
	}
	return body, true
}

func checkEntry(data []byte) ([]byte, bool) {
	if !bytes.HasPrefix(data, []byte(entryMagic)) {
		return nil, false
	}
	rest := data[len(entryMagic):]
	if len(rest) < 2*sha256.Size+1 || rest[2*sha256.Size] != '\n' {
		return nil, false
	}
	sum, body := rest[:2*sha256.Size], rest[2*sha256.Size+1:]
	got := sha256.Sum256(body)
	if hex.EncodeToString(got[:]) != string(sum) {
		return nil, false
	}
	return body, true
}

// put writes the entry key atomically: a private temporary file renamed
// into place.
func (c *Cache) put(key string, body []byte) {
	if err := c.write(key, body); err != nil {
		c.errs.Add(1)
		return
	}
	c.writes.Add(1)
}

func (c *Cache) write(key string, body []byte) error {
	sub := filepath.Join(c.dir, key[:2])
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(sub, ".tmp-*")
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	var buf bytes.Buffer
	buf.Grow(len(entryMagic) + 2*sha256.Size + 1 + len(body))
	buf.WriteString(entryMagic)
	buf.WriteString(hex.EncodeToString(sum[:]))
	buf.WriteByte('\n')
	buf.Write(body)
	_, err = f.Write(buf.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o600) // CreateTemp makes 0600; keep it so whatever the umask
	}
	if err == nil {
		err = os.Rename(f.Name(), c.path(key))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// Trim removes the least recently used entries until the cache holds at
// most its size bound, and temporary files left by runs that stopped.
func (c *Cache) Trim() error {
	type file struct {
		path string
		size int64
		used time.Time
	}
	var files []file
	var total int64
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone meanwhile: another run trims too
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".tmp-") || strings.HasPrefix(name, ".probe-") {
			if time.Since(info.ModTime()) > time.Hour {
				os.Remove(p)
			}
			return nil
		}
		if filepath.Dir(p) == c.dir {
			return nil // the marker
		}
		files = append(files, file{p, info.Size(), info.ModTime()})
		total += info.Size()
		return nil
	})
	if err != nil {
		return err
	}
	if total > c.maxBytes {
		sort.Slice(files, func(i, j int) bool { return files[i].used.Before(files[j].used) })
		// Trim to 90% of the bound, so that the next runs do not trim again.
		for _, f := range files {
			if total <= c.maxBytes/10*9 {
				break
			}
			if os.Remove(f.path) == nil {
				total -= f.size
			}
		}
	}
	return os.WriteFile(filepath.Join(c.dir, "trimmed"), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o600)
}

// hashKey hashes its parts, each length-prefixed so that no two lists of
// parts give the same input.
func hashKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		io.WriteString(h, p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

var toolKeyOnce = sync.OnceValue(computeToolKey)

// toolKey names everything outside the catalog that can change a build:
// opcat's and kustomize's versions, the Go toolchain, the options krusty
// is given, and the running binary itself.
func computeToolKey() string {
	opts, err := json.Marshal(krustyOptions()) // values, not addresses
	if err != nil {
		opts = []byte(fmt.Sprintf("unknown options, process %d at %d", os.Getpid(), time.Now().UnixNano()))
	}
	parts := []string{"opcat build cache " + cacheFormat, runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH, string(opts)}
	if bi, ok := debug.ReadBuildInfo(); ok {
		parts = append(parts, bi.Main.Path+"@"+bi.Main.Version)
		for _, d := range bi.Deps {
			if strings.HasPrefix(d.Path, "sigs.k8s.io/kustomize/") || strings.HasPrefix(d.Path, "go.yaml.in/yaml/") || strings.HasPrefix(d.Path, "sigs.k8s.io/yaml") {
				v := d.Version
				if d.Replace != nil {
					v += "=>" + d.Replace.Path + "@" + d.Replace.Version
				}
				parts = append(parts, d.Path+"@"+v)
			}
		}
	}
	parts = append(parts, binaryID())
	return hashKey(parts...)
}

// binaryID identifies the running binary: its Go build ID, which ends with
// a hash of the binary's content, or else a hash of the whole file. When
// neither can be read, a value unique to this process keeps its entries
// to itself.
func binaryID() string {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Sprintf("unknown binary, process %d at %d", os.Getpid(), time.Now().UnixNano())
	}
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil {
			if data, err := s.Data(); err == nil && len(data) > 16 {
				// One ELF note: name size, description size, type, "Go\0\0", the ID.
				id := strings.TrimRight(string(data[16:]), "\x00")
				if strings.Count(id, "/") >= 1 && len(id) > 20 {
					return "buildid:" + id
				}
			}
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return fmt.Sprintf("unreadable binary, process %d at %d", os.Getpid(), time.Now().UnixNano())
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Sprintf("unreadable binary, process %d at %d", os.Getpid(), time.Now().UnixNano())
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// An observation is one question a build asked the snapshot filesystem.
type observation struct {
	Op  string `json:"o"`
	Arg string `json:"a"`
}

// manifest is what the cache remembers of the last build of a folder: the
// questions it asked. Asking them again of the current snapshot gives the
// key of the entry that holds the build's outcome.
type manifest struct {
	Obs []observation `json:"obs"`
}

// outcome is a build's result as the cache stores it.
type outcome struct {
	// YAML is what the build prints; Objects are its objects as krusty
	// holds them (fields in their order, scalars in their style), one
	// document each.
	YAML    []byte `json:"yaml,omitempty"`
	Objects []byte `json:"objects,omitempty"`
	Err     string `json:"err,omitempty"`
	OK      bool   `json:"ok"`
}

// outputKey is the key of the outcome of building dir in mode when the
// build asked obs and the snapshot answered states.
func outputKey(tool, mode, dir string, obs []observation, states []string) string {
	parts := make([]string, 0, 4+3*len(obs))
	parts = append(parts, "outcome", tool, mode, dir)
	for i, o := range obs {
		parts = append(parts, o.Op, o.Arg, states[i])
	}
	return hashKey(parts...)
}

func manifestKey(tool, mode, root, dir string) string {
	return hashKey("manifest", tool, mode, root, dir)
}

// lookup returns the stored outcome of building dir in mode on fs.
func (c *Cache) lookup(fs *snapshotFS, memo *sync.Map, mode, dir string) (outcome, bool) {
	tool := toolKeyOnce()
	body, ok := c.get(manifestKey(tool, mode, fs.t.root, dir))
	if !ok {
		return outcome{}, false
	}
	var m manifest
	if err := json.Unmarshal(body, &m); err != nil || len(m.Obs) == 0 {
		return outcome{}, false
	}
	states := make([]string, len(m.Obs))
	for i, o := range m.Obs {
		states[i] = observe(fs, memo, o)
	}
	body, ok = c.get(outputKey(tool, mode, dir, m.Obs, states))
	if !ok {
		return outcome{}, false
	}
	var out outcome
	if err := json.Unmarshal(body, &out); err != nil || (!out.OK && out.Err == "") {
		return outcome{}, false
	}
	return out, true
}

// store keeps the outcome of a build that asked what rec recorded.
func (c *Cache) store(rec *recordingFS, memo *sync.Map, mode, dir string, out outcome) {
	tool := toolKeyOnce()
	fs := rec.snapshotFS
	obs, states := rec.sorted(memo)
	if len(obs) == 0 {
		return
	}
	body, err := json.Marshal(out)
	if err != nil {
		c.errs.Add(1)
		return
	}
	c.put(outputKey(tool, mode, dir, obs, states), body)
	mbody, err := json.Marshal(manifest{Obs: obs})
	if err != nil {
		c.errs.Add(1)
		return
	}
	c.put(manifestKey(tool, mode, fs.t.root, dir), mbody)
}
