package index

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Index is the content of one operator index (one CatalogSource).
type Index struct {
	// Source is the CatalogSource name the index was loaded for, or "".
	Source string
	// Packages maps package names to packages.
	Packages map[string]*Package
}

// Package is an OLM package: the unit a Subscription names.
type Package struct {
	Name           string
	DefaultChannel string
	// Channels maps channel names to channels; see ChannelNames for an order.
	Channels map[string]*Channel
	// Bundles maps CSV names to the bundles known by name. Channel entries of
	// templates and package manifests may have no bundle here.
	Bundles map[string]*Bundle
	// Unnamed lists bundles whose CSV name is not known: template bundles
	// given only by image and bundle folders without a CSV.
	Unnamed []UnnamedBundle
	// Deprecated is set when an olm.deprecations document deprecates the
	// whole package.
	Deprecated *Deprecation
}

// Channel is an upgrade channel of a package.
type Channel struct {
	Name string
	// Entries in the order first read; the order carries no meaning.
	Entries []Entry
	// Deprecated is set when an olm.deprecations document deprecates the
	// channel.
	Deprecated *Deprecation

	pkg *Package // for bundle versions; nil for a Channel built by hand
}

// Entry is one bundle of a channel with its upgrade edges.
type Entry struct {
	Name      string   `json:"name" yaml:"name"`
	Replaces  string   `json:"replaces,omitempty" yaml:"replaces,omitempty"`
	Skips     []string `json:"skips,omitempty" yaml:"skips,omitempty"`
	SkipRange string   `json:"skipRange,omitempty" yaml:"skipRange,omitempty"`
}

// Bundle is what is kept of one operator bundle (one CSV).
type Bundle struct {
	Name    string
	Package string
	// Version is nil when the source does not tell it.
	Version *semver.Version
	// InstallModes maps install mode types (OwnNamespace, SingleNamespace,
	// MultiNamespace, AllNamespaces) to whether they are supported; nil when
	// unknown.
	InstallModes map[string]bool
	// Image is the bundle image, "" when unknown (bundle folders).
	Image string
	// Deprecated is set when the bundle is deprecated.
	Deprecated *Deprecation
	// Dependencies are the bundle's olm.package.required, olm.gvk.required
	// and olm.constraint properties (File-Based Catalogs), as text such as
	// "package etcd (>=0.9.0)" or "gvk etcd.database.coreos.com/v1beta2
	// EtcdCluster"; OLM v1 installs no bundle that has one.
	Dependencies []string
}

// UnnamedBundle is a bundle whose CSV name is unknown.
type UnnamedBundle struct {
	Image string // template bundle image, or ""
	Path  string // bundle folder without CSV, or ""
	// Version is read from the bundle folder name when it is a version.
	Version  *semver.Version
	Channels []string // from the bundle annotations
}

// Deprecation records an olm.deprecations entry.
type Deprecation struct {
	Message string
}

// Options controls Load.
type Options struct {
	// Source is stored in Index.Source. It also selects the items of a
	// PackageManifest List by status.catalogSource.
	Source string
	// MaxFileSize rejects files larger than this many bytes; 0 or less means
	// no limit. Reading streams, so the limit guards run time, not memory.
	MaxFileSize int64
	// MaxSize bounds the bytes read from the index, all its files together:
	// zero means DefaultMaxSize, less than zero no limit. The bound holds
	// for files that report a size of zero (those of /proc) too.
	MaxSize int64
	// MaxLineSize bounds what is held at once: a line and a document (or
	// a streamed entry) of a YAML file, a single JSON value (one document,
	// or one field of a document whose entries are streamed). Zero means
	// DefaultMaxLineSize, less than zero no limit. It keeps memory bounded
	// on a file with no line breaks or one huge document.
	MaxLineSize int64
}

// Default bounds of Load; they fit the largest real indexes with room to
// spare.
const (
	DefaultMaxSize     = 1 << 30
	DefaultMaxLineSize = 64 << 20
)

// Load reads the index at path, a file or a folder. Folders are walked
// recursively, skipping entries whose name starts with "."; only .yaml, .yml
// and .json files are read. It fails when a file is malformed or when
// nothing under path is an index. A folder is walked only while ctx is not
// done; Load then returns ctx's error.
func Load(ctx context.Context, path string, opts Options) (*Index, error) {
	// A folder given through a symbolic link is walked where it points.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("unable to read index %s: %w", path, err)
	}
	if !st.IsDir() && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("unable to read index %s: not a regular file or a folder", path)
	}
	b := newBuilder(opts)
	if !st.IsDir() {
		if err := b.readFile(path, st.Size()); err != nil {
			return nil, err
		}
	} else {
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err != nil {
				return fmt.Errorf("unable to read index %s: %w", p, err)
			}
			if p != path && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() || !isIndexFileName(d.Name()) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return fmt.Errorf("unable to read index %s: %w", p, err)
			}
			return b.readFile(p, info.Size())
		})
		if err != nil {
			return nil, err
		}
	}
	idx := b.finish()
	if len(idx.Packages) == 0 {
		return nil, fmt.Errorf("unable to read index %s: no OLM package found", path)
	}
	return idx, nil
}

func isIndexFileName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// ParseSpec splits an index spec "[SOURCE=]PATH". The part before the first
// "=" is a source only when it looks like a CatalogSource name (lower-case
// letters, digits, "-" and "."); otherwise the whole spec is the path.
func ParseSpec(spec string) (source, path string) {
	i := strings.IndexByte(spec, '=')
	if i <= 0 || !isSourceName(spec[:i]) {
		return "", spec
	}
	return spec[:i], spec[i+1:]
}

func isSourceName(s string) bool {
	if len(s) > 253 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (c != '-' && c != '.' || i == 0 || i == len(s)-1) {
			return false
		}
	}
	return true
}

// Merge combines indexes of one catalog into a new index; the inputs are not
// modified. Packages, channels, entries and bundles of the same name are
// unioned, the first index that sets a field wins. The Source of the result
// is the common non-empty Source, or "" when they differ. To keep several
// catalogs apart use a Set.
func Merge(indexes ...*Index) *Index {
	out := &Index{Packages: map[string]*Package{}}
	source, mixed := "", false
	for _, idx := range indexes {
		if idx == nil {
			continue
		}
		if idx.Source != "" {
			if source != "" && source != idx.Source {
				mixed = true
			}
			source = idx.Source
		}
		for _, name := range sortedKeys(idx.Packages) {
			src := idx.Packages[name]
			dst := out.Packages[name]
			if dst == nil {
				dst = newPackage(name)
				out.Packages[name] = dst
			}
			mergePackage(dst, src)
		}
	}
	if !mixed {
		out.Source = source
	}
	return out
}

// Set holds indexes of several catalog sources, keyed by Source.
type Set map[string]*Index

// Add stores idx under its Source, merging it with an index already stored
// there.
func (s Set) Add(idx *Index) {
	if old := s[idx.Source]; old != nil {
		m := Merge(old, idx)
		m.Source = idx.Source
		s[idx.Source] = m
		return
	}
	s[idx.Source] = idx
}

// Lookup finds package name in the index of source. With source "" every
// index is searched and the package is returned only when exactly one index
// has it. It returns the package and the source it was found in.
func (s Set) Lookup(source, name string) (*Package, string, bool) {
	if source != "" {
		if idx := s[source]; idx != nil && idx.Packages[name] != nil {
			return idx.Packages[name], source, true
		}
		return nil, "", false
	}
	var found *Package
	var from string
	for _, src := range sortedKeys(s) {
		if p := s[src].Packages[name]; p != nil {
			if found != nil {
				return nil, "", false
			}
			found, from = p, src
		}
	}
	return found, from, found != nil
}

func newPackage(name string) *Package {
	return &Package{Name: name, Channels: map[string]*Channel{}, Bundles: map[string]*Bundle{}}
}

// mergePackage unions src into dst; dst keeps what it already has.
func mergePackage(dst, src *Package) {
	if dst.DefaultChannel == "" {
		dst.DefaultChannel = src.DefaultChannel
	}
	if dst.Deprecated == nil && src.Deprecated != nil {
		d := *src.Deprecated
		dst.Deprecated = &d
	}
	for _, name := range sortedKeys(src.Channels) {
		sc := src.Channels[name]
		dc := addChannel(dst, name, sc.Entries, nil)
		if dc.Deprecated == nil && sc.Deprecated != nil {
			d := *sc.Deprecated
			dc.Deprecated = &d
		}
	}
	for _, name := range sortedKeys(src.Bundles) {
		addBundle(dst, copyBundle(src.Bundles[name]))
	}
	for _, u := range src.Unnamed {
		addUnnamed(dst, u)
	}
}

// addChannel returns the channel name of p, creating it, and appends the
// entries whose names it does not have yet. seen caches the entry names of
// the channel across calls; nil means build it.
func addChannel(p *Package, name string, entries []Entry, seen map[string]bool) *Channel {
	ch := p.Channels[name]
	if ch == nil {
		ch = &Channel{Name: name, pkg: p}
		p.Channels[name] = ch
	}
	if len(entries) == 0 {
		return ch
	}
	if seen == nil {
		seen = make(map[string]bool, len(ch.Entries)+len(entries))
		for _, e := range ch.Entries {
			seen[e.Name] = true
		}
	}
	for _, e := range entries {
		if seen[e.Name] {
			continue
		}
		seen[e.Name] = true
		e.Skips = append([]string(nil), e.Skips...)
		ch.Entries = append(ch.Entries, e)
	}
	return ch
}

// addBundle stores b in p, or fills the fields an existing bundle of the
// same name lacks.
func addBundle(p *Package, b *Bundle) {
	old := p.Bundles[b.Name]
	if old == nil {
		p.Bundles[b.Name] = b
		return
	}
	if old.Version == nil {
		old.Version = b.Version
	}
	if old.InstallModes == nil {
		old.InstallModes = b.InstallModes
	}
	if old.Image == "" {
		old.Image = b.Image
	}
	if old.Deprecated == nil {
		old.Deprecated = b.Deprecated
	}
}

func addUnnamed(p *Package, u UnnamedBundle) {
	for _, o := range p.Unnamed {
		if o.Image == u.Image && o.Path == u.Path {
			return
		}
	}
	u.Channels = append([]string(nil), u.Channels...)
	p.Unnamed = append(p.Unnamed, u)
}

func copyBundle(b *Bundle) *Bundle {
	c := *b
	if b.InstallModes != nil {
		c.InstallModes = make(map[string]bool, len(b.InstallModes))
		for k, v := range b.InstallModes {
			c.InstallModes[k] = v
		}
	}
	if b.Deprecated != nil {
		d := *b.Deprecated
		c.Deprecated = &d
	}
	return &c
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
