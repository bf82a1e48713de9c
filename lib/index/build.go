package index

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
)

// Bundle annotation keys of the registry+v1 bundle format.
const (
	annotPackage        = "operators.operatorframework.io.bundle.package.v1"
	annotChannels       = "operators.operatorframework.io.bundle.channels.v1"
	annotDefaultChannel = "operators.operatorframework.io.bundle.channel.default.v1"
)

// builder collects the documents of one Load.
type builder struct {
	opts Options
	idx  *Index

	file   string // file being read
	total  int64  // bytes read from the files of the index so far
	curPkg string // last olm.package of the file, for template bundles

	seen   map[*Channel]map[string]bool
	annots map[string]*annotInfo   // bundle folder -> annotations
	csvs   map[string][]*csvInfo   // bundle or version folder -> CSVs
	pms    map[string][]*pmInfo    // folder -> package manifests
	ci     map[string]string       // folder -> ci.yaml updateGraph
	deps   map[string][]deprecated // package -> olm.deprecations entries
}

type annotInfo struct {
	pkg, defaultChannel string
	channels            []string
}

type csvInfo struct {
	entry   Entry
	version *semver.Version
	modes   map[string]bool
}

type pmInfo struct {
	name, defaultChannel string
	channels             []pmChannel
}

type pmChannel struct {
	Name       string `json:"name" yaml:"name"`
	CurrentCSV string `json:"currentCSV" yaml:"currentCSV"`
}

type deprecated struct {
	Reference struct {
		Schema string `json:"schema" yaml:"schema"`
		Name   string `json:"name" yaml:"name"`
	} `json:"reference" yaml:"reference"`
	Message string `json:"message" yaml:"message"`
}

type installMode struct {
	Type      string `json:"type" yaml:"type"`
	Supported bool   `json:"supported" yaml:"supported"`
}

type property struct {
	Type  string `json:"type" yaml:"type"`
	Value *lazy  `json:"value" yaml:"value"`
}

func newBuilder(opts Options) *builder {
	return &builder{
		opts:   opts,
		idx:    &Index{Source: opts.Source, Packages: map[string]*Package{}},
		seen:   map[*Channel]map[string]bool{},
		annots: map[string]*annotInfo{},
		csvs:   map[string][]*csvInfo{},
		pms:    map[string][]*pmInfo{},
		ci:     map[string]string{},
		deps:   map[string][]deprecated{},
	}
}

// readFile reads one file of the index.
func (b *builder) readFile(path string, size int64) error {
	if b.opts.MaxFileSize > 0 && size > b.opts.MaxFileSize {
		return fmt.Errorf("unable to read index %s: file has %d bytes, more than the limit of %d", path, size, b.opts.MaxFileSize)
	}
	maxSize := limit(b.opts.MaxSize, DefaultMaxSize)
	if maxSize > 0 && size > maxSize-b.total {
		return fmt.Errorf("unable to read index %s: %w", path, b.sizeErr(maxSize))
	}
	var n int64
	read := func(forceYAML bool) (bool, int, error) {
		f, err := os.Open(path)
		if err != nil {
			return false, 0, err
		}
		defer f.Close()
		// A read deadline takes only on what the runtime polls (/proc/kmsg,
		// devices): a file that may block forever is no index file.
		if f.SetReadDeadline(time.Now().Add(time.Second)) == nil {
			return false, 0, errors.New("not a plain file: reading it may wait forever")
		}
		// The size a file reports is not trusted: files of /proc report
		// zero and hold more.
		r := &boundedReader{r: f, max: -1, err: b.sizeErr(maxSize)}
		if maxSize > 0 {
			r.max = maxSize - b.total
		}
		defer func() { n = r.n }()
		return b.read(path, r, forceYAML)
	}
	isJSON, emitted, err := read(false)
	var se *json.SyntaxError
	if err != nil && isJSON && emitted == 0 && errors.As(err, &se) && strings.ToLower(filepath.Ext(path)) != ".json" {
		// A YAML flow mapping looks like JSON at first sight.
		_, _, err = read(true)
	}
	b.total += n
	if err != nil {
		return b.fileErr(path, err)
	}
	return nil
}

// limit returns v, def when v is zero, and -1 (no limit) when v < 0.
func limit(v, def int64) int64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return -1
	}
	return v
}

// sizeErr is the error of an index over the size limit max.
func (b *builder) sizeErr(max int64) error {
	return &limitError{msg: fmt.Sprintf("the index has more than %d bytes, the index size limit (raise the limit to read it)", max), whole: true}
}

// limitError is a bound of Load that the input exceeds; whole is set for
// the bound on the whole index, which has no line to point at.
type limitError struct {
	msg   string
	whole bool
}

func (e *limitError) Error() string { return e.msg }

// boundedReader fails with err once more than max bytes are read; max < 0
// means no bound.
type boundedReader struct {
	r   io.Reader
	n   int64
	max int64
	err error
}

func (r *boundedReader) Read(p []byte) (int, error) {
	if r.max >= 0 {
		if r.n > r.max {
			return 0, r.err
		}
		// One byte past the bound tells a file that ends there from one
		// that goes on.
		if left := r.max + 1 - r.n; int64(len(p)) > left {
			p = p[:left]
		}
	}
	k, err := r.r.Read(p)
	r.n += int64(k)
	if r.max >= 0 && r.n > r.max {
		return k, r.err
	}
	return k, err
}

// read decodes the documents of r, read from file name.
func (b *builder) read(name string, r io.Reader, forceYAML bool) (isJSON bool, emitted int, err error) {
	b.file, b.curPkg = name, ""
	isJSON, err = readStream(r, forceYAML, limit(b.opts.MaxLineSize, DefaultMaxLineSize), func(d *rawDoc) error {
		emitted++
		return b.handle(d)
	})
	return isJSON, emitted, err
}

// fileErr formats err as an error of file path, with a line where known.
func (b *builder) fileErr(path string, err error) error {
	var le *limitError
	if errors.As(err, &le) && le.whole {
		// Over the size of the whole index: no line to tell.
		return fmt.Errorf("unable to read index %s: %w", path, le)
	}
	loc := path
	var pe *posError
	if errors.As(err, &pe) {
		line := pe.line
		if line == 0 && pe.off >= 0 {
			line = lineAt(path, pe.off)
		}
		if line > 0 {
			loc = path + ":" + strconv.Itoa(line)
		}
	}
	return fmt.Errorf("unable to read index %s: %w", loc, err)
}

// lineAt returns the line of the first non-blank byte at or after offset off
// of file path, 0 if it cannot tell.
func lineAt(path string, off int64) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	br := bufio.NewReader(f)
	line := 1
	for i := int64(0); ; i++ {
		c, err := br.ReadByte()
		if err != nil {
			return line
		}
		if i >= off && (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ':' || i > off+4096) {
			return line
		}
		if c == '\n' {
			line++
		}
	}
}

// handle dispatches one document; errors carry the document position.
func (b *builder) handle(d *rawDoc) error {
	if err := b.dispatch(d); err != nil {
		var pe *posError
		if errors.As(err, &pe) {
			return err
		}
		line := d.line
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil && d.off < 0 {
			line, _ = strconv.Atoi(m[1])
		}
		return &posError{line: line, off: d.off, err: err}
	}
	return nil
}

func (b *builder) dispatch(d *rawDoc) error {
	switch d.str("schema") {
	case "olm.package":
		return b.fbcPackage(d)
	case "olm.channel":
		return b.fbcChannel(d)
	case "olm.bundle":
		return b.fbcBundle(d)
	case "olm.deprecations":
		return b.fbcDeprecations(d)
	case "olm.template.basic":
		return b.subDocs(d, "entries")
	case "":
	default:
		return nil // unknown schemas are ignored
	}
	switch d.str("kind") {
	case "ClusterServiceVersion":
		return b.csv(d)
	case "PackageManifest":
		return b.clusterPackageManifest(d)
	case "List", "PackageManifestList":
		return b.subDocs(d, "items")
	case "":
	default:
		return nil
	}
	switch {
	case d.fields["packageName"] != nil && d.fields["channels"] != nil:
		return b.packageManifest(d)
	case d.fields["annotations"].isMapping():
		return b.annotations(d)
	case d.fields["updateGraph"] != nil:
		b.ci[filepath.Dir(b.file)] = d.str("updateGraph")
	}
	return nil
}

// subDocs handles the elements of a template or List that were not streamed.
func (b *builder) subDocs(d *rawDoc, key string) error {
	var items []*lazy
	if err := d.get(key, &items); err != nil {
		return err
	}
	for _, it := range items {
		if sub, ok := it.doc(d.line, d.off); ok && isSubDoc(sub.fields) {
			if err := b.handle(sub); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *builder) pkg(name string) *Package {
	p := b.idx.Packages[name]
	if p == nil {
		p = newPackage(name)
		b.idx.Packages[name] = p
	}
	return p
}

// addEntries appends entries to channel name of p, creating the channel.
func (b *builder) addEntries(p *Package, name string, entries []Entry) *Channel {
	ch := p.Channels[name]
	if ch == nil {
		ch = addChannel(p, name, nil, nil)
	}
	seen := b.seen[ch]
	if seen == nil {
		seen = map[string]bool{}
		b.seen[ch] = seen
	}
	return addChannel(p, name, entries, seen)
}

func (b *builder) fbcPackage(d *rawDoc) error {
	name, err := d.text("name")
	if err != nil {
		return err
	}
	if name == "" {
		return errors.New("olm.package without name")
	}
	p := b.pkg(name)
	if p.DefaultChannel == "" {
		p.DefaultChannel = d.str("defaultChannel")
	}
	b.curPkg = name
	return nil
}

func (b *builder) fbcChannel(d *rawDoc) error {
	name, err := d.text("name")
	if err != nil {
		return err
	}
	pkg, err := d.text("package")
	if err != nil {
		return err
	}
	if name == "" {
		return errors.New("olm.channel without name")
	}
	if pkg == "" {
		return fmt.Errorf("olm.channel %s without package", name)
	}
	var entries []Entry
	if err := d.get("entries", &entries); err != nil {
		return fmt.Errorf("olm.channel %s: %w", name, err)
	}
	for i, e := range entries {
		if e.Name == "" {
			return fmt.Errorf("olm.channel %s: entry %d without name", name, i+1)
		}
	}
	b.addEntries(b.pkg(pkg), name, entries)
	return nil
}

func (b *builder) fbcBundle(d *rawDoc) error {
	var name, pkg, image string
	for _, f := range []struct {
		key string
		dst *string
	}{{"name", &name}, {"package", &pkg}, {"image", &image}} {
		s, err := d.text(f.key)
		if err != nil {
			return err
		}
		*f.dst = s
	}
	if name == "" {
		if !d.nested || pkg != "" {
			return errors.New("olm.bundle without name")
		}
		if image == "" {
			return errors.New("olm.bundle without name or image")
		}
		if b.curPkg != "" {
			addUnnamed(b.pkg(b.curPkg), UnnamedBundle{Image: image})
		}
		return nil
	}
	if pkg == "" {
		if !d.nested || b.curPkg == "" {
			return fmt.Errorf("olm.bundle %s without package", name)
		}
		pkg = b.curPkg
	}
	bnd := &Bundle{Name: name, Package: pkg, Image: image}
	var props []property
	if err := d.get("properties", &props); err != nil {
		return fmt.Errorf("olm.bundle %s: %w", name, err)
	}
	for _, p := range props {
		switch p.Type {
		case "olm.package":
			var v struct {
				Version *lazy `json:"version" yaml:"version"`
			}
			if err := p.Value.decode(&v); err != nil {
				return fmt.Errorf("olm.bundle %s: property olm.package: %w", name, err)
			}
			if s := v.Version.str(); s != "" {
				ver, err := semver.NewVersion(s)
				if err != nil {
					return fmt.Errorf("olm.bundle %s: invalid version %q: %w", name, s, err)
				}
				bnd.Version = ver
			}
		case "olm.csv.metadata":
			var v struct {
				InstallModes []installMode `json:"installModes" yaml:"installModes"`
			}
			if err := p.Value.decode(&v); err != nil {
				return fmt.Errorf("olm.bundle %s: property olm.csv.metadata: %w", name, err)
			}
			if v.InstallModes != nil {
				bnd.InstallModes = modeMap(v.InstallModes)
			}
		case "olm.bundle.object":
			if bnd.InstallModes == nil {
				bnd.InstallModes = bundleObjectModes(p.Value)
			}
		case "olm.deprecated":
			bnd.Deprecated = &Deprecation{}
		case "olm.package.required":
			var v struct {
				PackageName  string `json:"packageName" yaml:"packageName"`
				VersionRange string `json:"versionRange" yaml:"versionRange"`
			}
			_ = p.Value.decode(&v)
			bnd.Dependencies = append(bnd.Dependencies, fmt.Sprintf("package %s (%s)", v.PackageName, v.VersionRange))
		case "olm.gvk.required":
			var v struct {
				Group   string `json:"group" yaml:"group"`
				Version string `json:"version" yaml:"version"`
				Kind    string `json:"kind" yaml:"kind"`
			}
			_ = p.Value.decode(&v)
			bnd.Dependencies = append(bnd.Dependencies, fmt.Sprintf("gvk %s/%s %s", v.Group, v.Version, v.Kind))
		case "olm.constraint":
			bnd.Dependencies = append(bnd.Dependencies, "constraint (olm.constraint)")
		}
	}
	addBundle(b.pkg(pkg), bnd)
	return nil
}

// bundleObjectModes reads the install modes of a CSV embedded in an
// olm.bundle.object property (older renderings); nil if it is not a CSV.
func bundleObjectModes(l *lazy) map[string]bool {
	var v struct {
		Data string `json:"data" yaml:"data"`
	}
	if l.decode(&v) != nil || v.Data == "" {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(v.Data)
	if err != nil {
		return nil
	}
	var obj struct {
		Kind string `json:"kind"`
		Spec struct {
			InstallModes []installMode `json:"installModes"`
		} `json:"spec"`
	}
	if json.Unmarshal(raw, &obj) != nil || obj.Kind != "ClusterServiceVersion" || obj.Spec.InstallModes == nil {
		return nil
	}
	return modeMap(obj.Spec.InstallModes)
}

func modeMap(modes []installMode) map[string]bool {
	m := make(map[string]bool, len(modes))
	for _, im := range modes {
		if im.Type != "" {
			m[im.Type] = im.Supported
		}
	}
	return m
}

func (b *builder) fbcDeprecations(d *rawDoc) error {
	pkg := d.str("package")
	if pkg == "" {
		return errors.New("olm.deprecations without package")
	}
	var entries []deprecated
	if err := d.get("entries", &entries); err != nil {
		return fmt.Errorf("olm.deprecations of %s: %w", pkg, err)
	}
	b.deps[pkg] = append(b.deps[pkg], entries...)
	return nil
}

func (b *builder) csv(d *rawDoc) error {
	var meta struct {
		Name        string           `json:"name" yaml:"name"`
		Annotations map[string]*lazy `json:"annotations" yaml:"annotations"`
	}
	var spec struct {
		Version      *lazy         `json:"version" yaml:"version"`
		Replaces     string        `json:"replaces" yaml:"replaces"`
		Skips        []string      `json:"skips" yaml:"skips"`
		InstallModes []installMode `json:"installModes" yaml:"installModes"`
	}
	if err := d.get("metadata", &meta); err != nil {
		return fmt.Errorf("ClusterServiceVersion: %w", err)
	}
	if meta.Name == "" {
		return errors.New("ClusterServiceVersion without metadata.name")
	}
	if err := d.get("spec", &spec); err != nil {
		return fmt.Errorf("ClusterServiceVersion %s: %w", meta.Name, err)
	}
	c := &csvInfo{entry: Entry{
		Name:      meta.Name,
		Replaces:  spec.Replaces,
		Skips:     spec.Skips,
		SkipRange: meta.Annotations["olm.skipRange"].str(),
	}}
	if s := spec.Version.str(); s != "" {
		v, err := semver.NewVersion(s)
		if err != nil {
			return fmt.Errorf("ClusterServiceVersion %s: invalid spec.version %q: %w", meta.Name, s, err)
		}
		c.version = v
	}
	if spec.InstallModes != nil {
		c.modes = modeMap(spec.InstallModes)
	}
	dir := filepath.Dir(b.file)
	if filepath.Base(dir) == "manifests" {
		dir = filepath.Dir(dir)
	}
	b.csvs[dir] = append(b.csvs[dir], c)
	return nil
}

func (b *builder) annotations(d *rawDoc) error {
	var m map[string]*lazy
	if err := d.get("annotations", &m); err != nil {
		return err
	}
	pkg := m[annotPackage].str()
	if pkg == "" {
		return nil // not bundle annotations
	}
	a := &annotInfo{pkg: pkg, defaultChannel: m[annotDefaultChannel].str()}
	for _, ch := range strings.Split(m[annotChannels].str(), ",") {
		if ch = strings.TrimSpace(ch); ch != "" {
			a.channels = append(a.channels, ch)
		}
	}
	dir := filepath.Dir(b.file)
	if filepath.Base(dir) == "metadata" {
		dir = filepath.Dir(dir)
	}
	if b.annots[dir] == nil {
		b.annots[dir] = a
	}
	return nil
}

func (b *builder) packageManifest(d *rawDoc) error {
	pm := &pmInfo{name: d.str("packageName"), defaultChannel: d.str("defaultChannel")}
	if pm.name == "" {
		return errors.New("package manifest without packageName")
	}
	if err := d.get("channels", &pm.channels); err != nil {
		return fmt.Errorf("package manifest %s: %w", pm.name, err)
	}
	dir := filepath.Dir(b.file)
	b.pms[dir] = append(b.pms[dir], pm)
	return nil
}

// clusterPackageManifest reads a PackageManifest object of the
// packages.operators.coreos.com API, as `oc get packagemanifests` prints it.
func (b *builder) clusterPackageManifest(d *rawDoc) error {
	var meta struct {
		Name string `json:"name" yaml:"name"`
	}
	var st struct {
		PackageName    string `json:"packageName" yaml:"packageName"`
		CatalogSource  string `json:"catalogSource" yaml:"catalogSource"`
		DefaultChannel string `json:"defaultChannel" yaml:"defaultChannel"`
		Channels       []struct {
			Name           string `json:"name" yaml:"name"`
			CurrentCSV     string `json:"currentCSV" yaml:"currentCSV"`
			CurrentCSVDesc struct {
				Version      *lazy         `json:"version" yaml:"version"`
				InstallModes []installMode `json:"installModes" yaml:"installModes"`
			} `json:"currentCSVDesc" yaml:"currentCSVDesc"`
		} `json:"channels" yaml:"channels"`
	}
	if err := d.get("metadata", &meta); err != nil {
		return fmt.Errorf("PackageManifest: %w", err)
	}
	if err := d.get("status", &st); err != nil {
		return fmt.Errorf("PackageManifest %s: %w", meta.Name, err)
	}
	name := st.PackageName
	if name == "" {
		name = meta.Name
	}
	if name == "" {
		return errors.New("PackageManifest without name")
	}
	if b.opts.Source != "" && st.CatalogSource != "" && st.CatalogSource != b.opts.Source {
		return nil
	}
	p := b.pkg(name)
	if p.DefaultChannel == "" {
		p.DefaultChannel = st.DefaultChannel
	}
	for _, ch := range st.Channels {
		if ch.Name == "" {
			continue
		}
		if ch.CurrentCSV == "" {
			b.addEntries(p, ch.Name, nil)
			continue
		}
		b.addEntries(p, ch.Name, []Entry{{Name: ch.CurrentCSV}})
		bnd := &Bundle{Name: ch.CurrentCSV, Package: name}
		if s := ch.CurrentCSVDesc.Version.str(); s != "" {
			v, err := semver.NewVersion(s)
			if err != nil {
				return fmt.Errorf("PackageManifest %s: channel %s: invalid version %q: %w", name, ch.Name, s, err)
			}
			bnd.Version = v
		}
		if ch.CurrentCSVDesc.InstallModes != nil {
			bnd.InstallModes = modeMap(ch.CurrentCSVDesc.InstallModes)
		}
		addBundle(p, bnd)
	}
	return nil
}

// finish resolves what needs the whole tree and returns the index.
func (b *builder) finish() *Index {
	claimed := b.finishBundleFolders()
	b.finishPackageManifests(claimed)
	for _, p := range b.idx.Packages {
		resolveUnnamed(p)
	}
	b.finishDeprecations()
	return b.idx
}

// finishBundleFolders turns annotations and CSVs of bundle folders into
// bundles and channel entries. It returns the folders it used.
func (b *builder) finishBundleFolders() map[string]bool {
	claimed := map[string]bool{}
	type choice struct {
		version *semver.Version
		channel string
	}
	defaults := map[string]*choice{}
	semverPkgs := map[string]bool{}
	for _, dir := range sortedKeys(b.annots) {
		a := b.annots[dir]
		claimed[dir] = true
		p := b.pkg(a.pkg)
		version := dirVersion(dir)
		csvs := b.csvs[dir]
		if len(csvs) == 0 {
			addUnnamed(p, UnnamedBundle{Path: dir, Version: version, Channels: a.channels})
			for _, ch := range a.channels {
				b.addEntries(p, ch, nil)
			}
		}
		for _, c := range csvs {
			if c.version != nil {
				version = c.version
			}
			addBundle(p, &Bundle{Name: c.entry.Name, Package: a.pkg, Version: c.version, InstallModes: c.modes})
			for _, ch := range a.channels {
				b.addEntries(p, ch, []Entry{c.entry})
			}
		}
		if a.defaultChannel != "" {
			cur := defaults[a.pkg]
			if cur == nil || cur.version == nil && version != nil || cur.version != nil && version != nil && version.GreaterThan(cur.version) {
				defaults[a.pkg] = &choice{version, a.defaultChannel}
			}
		}
		if b.ciMode(dir) == "semver-mode" {
			semverPkgs[a.pkg] = true
		}
	}
	for name, c := range defaults {
		if p := b.idx.Packages[name]; p.DefaultChannel == "" {
			p.DefaultChannel = c.channel
		}
	}
	for name := range semverPkgs {
		for _, ch := range b.idx.Packages[name].Channels {
			semverChain(ch)
		}
	}
	return claimed
}

// ciMode returns the updateGraph of the nearest ci.yaml above a bundle
// folder.
func (b *builder) ciMode(dir string) string {
	for i := 0; i < 3; i++ {
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
		if m, ok := b.ci[dir]; ok {
			return m
		}
	}
	return ""
}

// semverChain makes every entry of ch replace the next lower version.
func semverChain(ch *Channel) {
	type ev struct {
		e Entry
		v *semver.Version
	}
	list := make([]ev, len(ch.Entries))
	for i, e := range ch.Entries {
		list[i] = ev{e, ch.version(e.Name)}
	}
	sort.SliceStable(list, func(i, j int) bool { return compareVersions(list[i].v, list[j].v) < 0 })
	for i := range list {
		list[i].e.Replaces = ""
		if i > 0 {
			list[i].e.Replaces = list[i-1].e.Name
		}
		ch.Entries[i] = list[i].e
	}
}

// dirVersion reads a version from a bundle folder name (…/1.2.3 or
// …/1.2.3/bundle).
func dirVersion(dir string) *semver.Version {
	base := filepath.Base(dir)
	if base == "bundle" {
		base = filepath.Base(filepath.Dir(dir))
	}
	v, err := semver.NewVersion(base)
	if err != nil {
		return nil
	}
	return v
}

// finishPackageManifests builds the channels of package manifests from the
// CSVs in the folders below them.
func (b *builder) finishPackageManifests(claimed map[string]bool) {
	if len(b.pms) == 0 {
		return
	}
	owned := map[string][]*csvInfo{} // package manifest folder -> CSVs
	for _, dir := range sortedKeys(b.csvs) {
		if claimed[dir] {
			continue
		}
		for d := dir; ; {
			if b.pms[d] != nil {
				owned[d] = append(owned[d], b.csvs[dir]...)
				break
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	for _, dir := range sortedKeys(b.pms) {
		byName := map[string]*csvInfo{}
		for _, c := range owned[dir] {
			if byName[c.entry.Name] == nil {
				byName[c.entry.Name] = c
			}
		}
		for _, pm := range b.pms[dir] {
			p := b.pkg(pm.name)
			if p.DefaultChannel == "" {
				p.DefaultChannel = pm.defaultChannel
			}
			for _, name := range sortedKeys(byName) {
				c := byName[name]
				addBundle(p, &Bundle{Name: name, Package: pm.name, Version: c.version, InstallModes: c.modes})
			}
			for _, ch := range pm.channels {
				if ch.Name != "" {
					b.addEntries(p, ch.Name, channelFromHead(ch.CurrentCSV, byName))
				}
			}
		}
	}
}

// channelFromHead lists the entries reachable from head through replaces
// and skips among the known CSVs; an unknown head is a lone entry.
func channelFromHead(head string, byName map[string]*csvInfo) []Entry {
	if head == "" {
		return nil
	}
	var entries []Entry
	visited := map[string]bool{head: true}
	queue := []string{head}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		c := byName[name]
		if c == nil {
			entries = append(entries, Entry{Name: name})
			continue
		}
		entries = append(entries, c.entry)
		for _, next := range append([]string{c.entry.Replaces}, c.entry.Skips...) {
			if next != "" && !visited[next] && byName[next] != nil {
				visited[next] = true
				queue = append(queue, next)
			}
		}
	}
	return entries
}

// resolveUnnamed drops unnamed template bundles whose image a named bundle
// has.
func resolveUnnamed(p *Package) {
	if len(p.Unnamed) == 0 {
		return
	}
	images := map[string]bool{}
	for _, bnd := range p.Bundles {
		if bnd.Image != "" {
			images[bnd.Image] = true
		}
	}
	kept := p.Unnamed[:0]
	for _, u := range p.Unnamed {
		if u.Image == "" || !images[u.Image] {
			kept = append(kept, u)
		}
	}
	p.Unnamed = kept
}

func (b *builder) finishDeprecations() {
	for _, pkg := range sortedKeys(b.deps) {
		p := b.idx.Packages[pkg]
		if p == nil {
			continue
		}
		for _, e := range b.deps[pkg] {
			dep := &Deprecation{Message: e.Message}
			switch e.Reference.Schema {
			case "olm.package":
				p.Deprecated = dep
			case "olm.channel":
				if ch := p.Channels[e.Reference.Name]; ch != nil {
					ch.Deprecated = dep
				}
			case "olm.bundle":
				if e.Reference.Name == "" {
					continue
				}
				bnd := p.Bundles[e.Reference.Name]
				if bnd == nil {
					bnd = &Bundle{Name: e.Reference.Name, Package: pkg}
					p.Bundles[bnd.Name] = bnd
				}
				bnd.Deprecated = dep
			}
		}
	}
}
