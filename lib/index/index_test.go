package index

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func mustLoad(t *testing.T, path string, opts Options) *Index {
	t.Helper()
	idx, err := Load(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("Load(context.Background(), %s): %v", path, err)
	}
	return idx
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadFBCStreams(t *testing.T) {
	for _, name := range []string{"stream.yaml", "stream.json"} {
		t.Run(name, func(t *testing.T) {
			idx := mustLoad(t, "testdata/fbc/"+name, Options{Source: "demo-catalog"})
			if idx.Source != "demo-catalog" || len(idx.Packages) != 1 {
				t.Fatalf("Source %q, packages %v", idx.Source, sortedKeys(idx.Packages))
			}
			p := idx.Packages["demo"]
			if p.DefaultChannel != "stable" {
				t.Errorf("DefaultChannel = %q", p.DefaultChannel)
			}
			if got := p.ChannelNames(); !reflect.DeepEqual(got, []string{"stable", "fast-1.2"}) {
				t.Errorf("ChannelNames() = %v", got)
			}
			if head, err := p.Channels["stable"].Head(); err != nil || head != "demo.v1.2.0" {
				t.Errorf("Head() = %q, %v", head, err)
			}
			b := p.Bundles["demo.v1.0.0"]
			wantModes := map[string]bool{"OwnNamespace": true, "SingleNamespace": true, "MultiNamespace": false, "AllNamespaces": false}
			if b == nil || b.Version.String() != "1.0.0" || b.Image != "quay.io/demo/bundle@sha256:1000" ||
				!reflect.DeepEqual(b.InstallModes, wantModes) {
				t.Errorf("bundle demo.v1.0.0 = %+v", b)
			}
			if p.Deprecated == nil || p.Deprecated.Message != "demo is deprecated, use demo2." {
				t.Errorf("package Deprecated = %+v", p.Deprecated)
			}
			if d := p.Channels["fast-1.2"].Deprecated; d == nil || d.Message != "fast-1.2 gets no more updates." {
				t.Errorf("channel Deprecated = %+v", d)
			}
			if p.Channels["stable"].Deprecated != nil {
				t.Error("channel stable deprecated")
			}
			if d := b.Deprecated; d == nil || d.Message != "demo.v1.0.0 has a known CVE." {
				t.Errorf("bundle Deprecated = %+v", d)
			}
			if p.Bundles["demo.v1.1.0"].Deprecated != nil {
				t.Error("bundle demo.v1.1.0 deprecated")
			}
		})
	}
	t.Run("JSON equals YAML", func(t *testing.T) {
		y := mustLoad(t, "testdata/fbc/stream.yaml", Options{})
		j := mustLoad(t, "testdata/fbc/stream.json", Options{})
		if !reflect.DeepEqual(y, j) {
			t.Error("the JSON and YAML streams load differently")
		}
	})
}

func TestLoadVariants(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, file, content string
		pkg, head           string
	}{
		{
			name: "JSON array of documents", file: "array.json",
			content: `[{"schema":"olm.package","name":"arr"},
				{"schema":"olm.channel","package":"arr","name":"a","entries":[{"name":"arr.v2.0.0","replaces":"arr.v1.0.0"},{"name":"arr.v1.0.0"}]}]`,
			pkg: "arr", head: "arr.v2.0.0",
		},
		{
			name: "YAML flow mapping that looks like JSON", file: "flow.yaml",
			content: "{schema: olm.package, name: flow}\n---\n{schema: olm.channel, package: flow, name: a, entries: [{name: flow.v1.0.0}]}\n",
			pkg:     "flow", head: "flow.v1.0.0",
		},
		{
			name: "CRLF line ends and a document end marker", file: "crlf.yaml",
			content: "schema: olm.package\r\nname: crlf\r\n...\r\n---\r\nschema: olm.channel\r\npackage: crlf\r\nname: a\r\nentries:\r\n- name: crlf.v1.0.0\r\n",
			pkg:     "crlf", head: "crlf.v1.0.0",
		},
		{
			name: "document marker with content", file: "marker.yaml",
			content: "--- {schema: olm.package, name: mark}\n--- # comment\nschema: olm.channel\npackage: mark\nname: a\nentries:\n\n# leading comment\n- name: mark.v1.0.0\n  # inside\n- name: mark.v1.1.0\n  replaces: mark.v1.0.0\n",
			pkg:     "mark", head: "mark.v1.1.0",
		},
		{
			name: "JSON with a byte order mark", file: "bom.json",
			content: "\ufeff" + `{"schema":"olm.package","name":"bom"}{"schema":"olm.channel","package":"bom","name":"a","entries":[{"name":"bom.v1.0.0"}]}`,
			pkg:     "bom", head: "bom.v1.0.0",
		},
		{
			name: "YAML with a byte order mark", file: "bom.yaml",
			content: "\ufeff---\nschema: olm.package\nname: bomy\n---\nschema: olm.channel\npackage: bomy\nname: a\nentries:\n- name: bomy.v1.0.0\n",
			pkg:     "bomy", head: "bomy.v1.0.0",
		},
		{
			name: "template entries at column zero", file: "tmpl.yaml",
			content: "entries:\n- schema: olm.package\n  name: col0\n- schema: olm.channel\n  package: col0\n  name: a\n  entries:\n  - name: col0.v1.0.0\n- schema: olm.bundle\n  image: quay.io/col0:v1\nschema: olm.template.basic\n",
			pkg:     "col0", head: "col0.v1.0.0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := mustLoad(t, writeFile(t, dir, tt.file, tt.content), Options{})
			p := idx.Packages[tt.pkg]
			if p == nil {
				t.Fatalf("no package %s in %v", tt.pkg, sortedKeys(idx.Packages))
			}
			if head, err := p.Channels["a"].Head(); err != nil || head != tt.head {
				t.Errorf("Head() = %q, %v; want %q", head, err, tt.head)
			}
		})
	}
}

func TestLoadTemplates(t *testing.T) {
	t.Run("JSON template", func(t *testing.T) {
		p := mustLoad(t, "testdata/template/basic.json", Options{}).Packages["tmpl"]
		// The v0.2.0 image is also a named bundle; v0.1.0 stays unnamed.
		if want := []UnnamedBundle{{Image: "quay.io/tmpl/bundle:v0.1.0"}}; !reflect.DeepEqual(p.Unnamed, want) {
			t.Errorf("Unnamed = %+v, want %+v", p.Unnamed, want)
		}
		if b := p.Bundles["tmpl.v0.2.0"]; b == nil || b.Version.String() != "0.2.0" {
			t.Errorf("bundle tmpl.v0.2.0 = %+v", b)
		}
		if head, err := p.Channels["alpha"].Head(); err != nil || head != "tmpl.v0.2.0" {
			t.Errorf("Head() = %q, %v", head, err)
		}
	})
	t.Run("YAML template with indented entries", func(t *testing.T) {
		p := mustLoad(t, "testdata/template/basic.yaml", Options{}).Packages["tmpl2"]
		if len(p.Unnamed) != 2 || p.DefaultChannel != "stable" {
			t.Errorf("package = %+v", p)
		}
		ch := p.Channels["stable"]
		// No bundle versions in a template: the version of the CSV name is
		// used against skipRange '>=0.9.0 <1.1.0'.
		path, ok := ch.UpgradePath("tmpl2.v0.9.5", "tmpl2.v1.1.0")
		if !ok || !reflect.DeepEqual(path, []string{"tmpl2.v0.9.5", "tmpl2.v1.1.0"}) {
			t.Errorf("UpgradePath = %v, %v", path, ok)
		}
	})
}

func TestLoadMixedTree(t *testing.T) {
	idx := mustLoad(t, "testdata/mixed", Options{})
	if got := sortedKeys(idx.Packages); !reflect.DeepEqual(got, []string{"alpha-op", "beta-op", "gamma-op"}) {
		t.Fatalf("packages = %v", got)
	}
	t.Run("FBC", func(t *testing.T) {
		if b := idx.Packages["alpha-op"].Bundles["alpha-op.v1.0.0"]; b == nil || b.Image != "quay.io/alpha/bundle:v1.0.0" {
			t.Errorf("bundle = %+v", b)
		}
	})
	t.Run("bundle folders in semver-mode", func(t *testing.T) {
		p := idx.Packages["beta-op"]
		if p.DefaultChannel != "fast" { // declared by the highest version, 1.1.0
			t.Errorf("DefaultChannel = %q", p.DefaultChannel)
		}
		want := []Entry{
			{Name: "beta-op.v1.0.0", SkipRange: ">=0.9.0 <1.0.0"},
			{Name: "beta-op.v1.1.0", Replaces: "beta-op.v1.0.0", SkipRange: ">=0.9.0 <1.1.0"},
		}
		for _, ch := range []string{"fast", "stable"} {
			if got := p.Channels[ch].Entries; !reflect.DeepEqual(got, want) {
				t.Errorf("channel %s entries = %+v", ch, got)
			}
		}
		if len(p.Unnamed) != 1 || filepath.Base(p.Unnamed[0].Path) != "0.9.0" || p.Unnamed[0].Version.String() != "0.9.0" {
			t.Errorf("Unnamed = %+v", p.Unnamed)
		}
		if b := p.Bundles["beta-op.v1.1.0"]; b == nil || !b.InstallModes["AllNamespaces"] || b.Image != "" {
			t.Errorf("bundle = %+v", b)
		}
		if n, ok := p.Channels["stable"].Behind("beta-op.v0.9.0"); !ok || n != 1 {
			t.Errorf("Behind(0.9.0) = %d, %v; want 1 step through skipRange", n, ok)
		}
	})
	t.Run("package manifest", func(t *testing.T) {
		p := idx.Packages["gamma-op"]
		want := []Entry{{Name: "gamma-op.v0.2.0", Replaces: "gamma-op.v0.1.0"}, {Name: "gamma-op.v0.1.0"}}
		if got := p.Channels["stable"].Entries; !reflect.DeepEqual(got, want) {
			t.Errorf("stable entries = %+v", got)
		}
		// The currentCSV of beta has no CSV file: a lone entry.
		if got := p.Channels["beta"].Entries; !reflect.DeepEqual(got, []Entry{{Name: "gamma-op.v0.3.0"}}) {
			t.Errorf("beta entries = %+v", got)
		}
		if got := p.ChannelsOf("gamma-op.v0.1.0"); !reflect.DeepEqual(got, []string{"stable"}) {
			t.Errorf("ChannelsOf = %v", got)
		}
		if len(p.Bundles) != 2 || p.Bundles["gamma-op.v0.1.0"].InstallModes["OwnNamespace"] {
			t.Errorf("bundles = %v", p.Bundles)
		}
	})
}

func TestLoadClusterPackageManifests(t *testing.T) {
	const file = "testdata/cluster/packagemanifests.yaml"
	t.Run("redhat-operators", func(t *testing.T) {
		idx := mustLoad(t, file, Options{Source: "redhat-operators"})
		if got := sortedKeys(idx.Packages); !reflect.DeepEqual(got, []string{"demo"}) {
			t.Fatalf("packages = %v", got)
		}
		p := idx.Packages["demo"]
		if p.DefaultChannel != "stable" || !reflect.DeepEqual(p.ChannelNames(), []string{"alpha", "stable"}) {
			t.Errorf("package = %+v", p)
		}
		b := p.Bundles["demo.v1.2.0"]
		if b == nil || b.Version.String() != "1.2.0" || !reflect.DeepEqual(b.InstallModes, map[string]bool{"OwnNamespace": true, "AllNamespaces": false}) {
			t.Errorf("bundle = %+v", b)
		}
		if head, err := p.Channels["stable"].Head(); err != nil || head != "demo.v1.2.0" {
			t.Errorf("Head() = %q, %v", head, err)
		}
	})
	t.Run("community-operators", func(t *testing.T) {
		idx := mustLoad(t, file, Options{Source: "community-operators"})
		if head, _ := idx.Packages["demo"].Channels["stable"].Head(); head != "demo.v1.3.0" || idx.Packages["other"] == nil {
			t.Errorf("head %q, packages %v", head, sortedKeys(idx.Packages))
		}
	})
	t.Run("no source mixes catalogs", func(t *testing.T) {
		idx := mustLoad(t, file, Options{})
		if _, err := idx.Packages["demo"].Channels["stable"].Head(); err == nil || !strings.Contains(err.Error(), "2 heads") {
			t.Errorf("Head() error = %v, want 2 heads", err)
		}
	})
}

func TestGraphEdgeCases(t *testing.T) {
	type pathCase struct {
		from, to string
		want     []string
	}
	tests := []struct {
		name, file, pkg, channel string
		head, headErr            string
		paths                    []pathCase
		behind                   map[string]int // -1: not ok
	}{
		{
			name: "cycle without head", file: "cycle.yaml", pkg: "cyclic", channel: "loop",
			headErr: "no head",
			paths: []pathCase{
				{"cyclic.v1.0.0", "cyclic.v1.1.0", []string{"cyclic.v1.0.0", "cyclic.v1.1.0"}},
				{"cyclic.v1.1.0", "cyclic.v1.0.0", []string{"cyclic.v1.1.0", "cyclic.v1.0.0"}},
				{"cyclic.v1.0.0", "cyclic.v9.0.0", nil},
			},
			behind: map[string]int{"cyclic.v1.0.0": -1},
		},
		{
			name: "cycle below the head", file: "cycle.yaml", pkg: "cyclic", channel: "chain",
			headErr: "cycle in the replaces chain",
			paths: []pathCase{
				{"cyclic.v1.0.0", "cyclic.v2.0.0", []string{"cyclic.v1.0.0", "cyclic.v1.1.0", "cyclic.v2.0.0"}},
			},
			behind: map[string]int{"cyclic.v1.0.0": -1},
		},
		{
			name: "two heads", file: "twoheads.yaml", pkg: "twoheads", channel: "stable",
			headErr: "2 heads: twoheads.v1.1.0, twoheads.v1.2.0",
			paths: []pathCase{
				{"twoheads.v1.0.0", "twoheads.v1.2.0", []string{"twoheads.v1.0.0", "twoheads.v1.2.0"}},
				{"twoheads.v1.0.0", "twoheads.v1.1.0", nil},
			},
			behind: map[string]int{"twoheads.v1.0.0": -1},
		},
		{
			name: "skipRange edges", file: "skiprange.yaml", pkg: "ranged", channel: "stable",
			head: "ranged.v2.1.0",
			paths: []pathCase{
				// Two range jumps beat four replaces.
				{"ranged.v1.0.0", "ranged.v2.1.0", []string{"ranged.v1.0.0", "ranged.v2.0.0", "ranged.v2.1.0"}},
				// A pre-release is inside '>=2.0.0-0 <2.1.0'.
				{"ranged.v2.0.0-rc.1", "ranged.v2.1.0", []string{"ranged.v2.0.0-rc.1", "ranged.v2.1.0"}},
				// An installed pre-release that is no entry: inside '>=1.0.0 <1.5.0'.
				{"ranged.v1.4.0-beta.1", "ranged.v1.5.0", []string{"ranged.v1.4.0-beta.1", "ranged.v1.5.0"}},
				{"ranged.v0.9.0", "ranged.v2.1.0", nil},
				{"ranged.v2.1.0", "ranged.v1.0.0", nil},
				{"ranged.v1.0.0", "ranged.v1.0.0", []string{"ranged.v1.0.0"}},
				{"ranged.v1.0.0", "ranged.v7.0.0", nil},
			},
			behind: map[string]int{
				"ranged.v2.1.0": 0, "ranged.v2.0.0-rc.1": 1, "ranged.v1.0.0": 2,
				"ranged.v1.4.0-beta.1": 2, "ranged.v0.9.0": -1,
			},
		},
		{
			name: "invalid skipRange gives no edge", file: "skiprange.yaml", pkg: "ranged", channel: "broken",
			headErr: "2 heads",
			paths:   []pathCase{{"ranged.v2.1.0", "ranged.v3.0.0", nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := mustLoad(t, "testdata/graph/"+tt.file, Options{}).Packages[tt.pkg].Channels[tt.channel]
			head, err := ch.Head()
			if tt.headErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.headErr) {
					t.Errorf("Head() = %q, %v; want error %q", head, err, tt.headErr)
				}
			} else if err != nil || head != tt.head {
				t.Errorf("Head() = %q, %v; want %q", head, err, tt.head)
			}
			for _, pc := range tt.paths {
				got, ok := ch.UpgradePath(pc.from, pc.to)
				if ok != (pc.want != nil) || !reflect.DeepEqual(got, pc.want) {
					t.Errorf("UpgradePath(%s, %s) = %v, %v; want %v", pc.from, pc.to, got, ok, pc.want)
				}
			}
			for csv, want := range tt.behind {
				n, ok := ch.Behind(csv)
				if want < 0 && ok || want >= 0 && (!ok || n != want) {
					t.Errorf("Behind(%s) = %d, %v; want %d", csv, n, ok, want)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, path string
		opts       Options
		want       []string // substrings of the error
	}{
		{name: "YAML syntax", path: "testdata/bad/syntax.yaml",
			want: []string{"unable to read index testdata/bad/syntax.yaml:8: ", "did not find expected"}},
		{name: "JSON syntax", path: "testdata/bad/syntax.json",
			want: []string{"unable to read index testdata/bad/syntax.json:4: ", "invalid character"}},
		{name: "YAML type error in a streamed entry", path: "testdata/bad/type.yaml",
			want: []string{"unable to read index testdata/bad/type.yaml:12: ", "line 12: cannot unmarshal"}},
		{name: "YAML type error in a template element", path: "testdata/bad/template.yaml",
			want: []string{"unable to read index testdata/bad/template.yaml:11: ", "line 11: cannot unmarshal"}},
		{name: "field after streamed entries", path: "testdata/bad/after.yaml",
			want: []string{"unable to read index testdata/bad/after.yaml:9: ", "field name is not a string"}},
		{name: "invalid bundle version", path: "testdata/bad/version.json",
			want: []string{"unable to read index testdata/bad/version.json:2: ", `invalid version "one.two"`}},
		{name: "malformed file inside a folder", path: "testdata/bad",
			want: []string{"unable to read index testdata/bad/after.yaml:9: "}},
		{name: "file too large", path: "testdata/fbc/stream.json", opts: Options{MaxFileSize: 100},
			want: []string{"unable to read index testdata/fbc/stream.json: file has", "more than the limit of 100"}},
		{name: "nothing of an index", path: "testdata/notindex",
			want: []string{"unable to read index testdata/notindex: no OLM package found"}},
		{name: "missing path", path: "testdata/missing",
			want: []string{"unable to read index testdata/missing: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx, err := Load(context.Background(), tt.path, tt.opts)
			if err == nil {
				t.Fatalf("Load(context.Background(), %s) = %v packages, want an error", tt.path, len(idx.Packages))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestParseSpec(t *testing.T) {
	tests := []struct {
		spec, source, path string
	}{
		{"redhat-operators=/catalogs/rh", "redhat-operators", "/catalogs/rh"},
		{"certified.v4.18=./c", "certified.v4.18", "./c"},
		{"./catalog", "", "./catalog"},
		{"/tmp/a=b", "", "/tmp/a=b"},
		{"Upper=x", "", "Upper=x"},
		{"=x", "", "=x"},
		{"-bad=x", "", "-bad=x"},
		{"src=", "src", ""},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			if s, p := ParseSpec(tt.spec); s != tt.source || p != tt.path {
				t.Errorf("ParseSpec(%q) = %q, %q; want %q, %q", tt.spec, s, p, tt.source, tt.path)
			}
		})
	}
}

func TestMergeAndSet(t *testing.T) {
	a := mustLoad(t, "testdata/fbc/stream.yaml", Options{Source: "one"})
	b := mustLoad(t, "testdata/template/basic.json", Options{Source: "one"})
	c := mustLoad(t, "testdata/mixed", Options{Source: "two"})

	m := Merge(a, b)
	if m.Source != "one" || !reflect.DeepEqual(sortedKeys(m.Packages), []string{"demo", "tmpl"}) {
		t.Errorf("Merge = %q %v", m.Source, sortedKeys(m.Packages))
	}
	if head, err := m.Packages["demo"].Channels["stable"].Head(); err != nil || head != "demo.v1.2.0" {
		t.Errorf("merged Head() = %q, %v", head, err)
	}
	// The merged channel reads versions from the merged package.
	m.Packages["demo"].Bundles["demo.v1.0.0"].Version = nil
	if a.Packages["demo"].Bundles["demo.v1.0.0"].Version == nil {
		t.Error("Merge shares bundles with its input")
	}
	if Merge(a, c).Source != "" {
		t.Error("Merge of two sources kept a Source")
	}
	self := Merge(a, a)
	if !reflect.DeepEqual(self.Packages["demo"].Channels["stable"].Entries, a.Packages["demo"].Channels["stable"].Entries) {
		t.Error("Merge(a, a) duplicated entries")
	}

	s := Set{}
	s.Add(a)
	s.Add(b)
	s.Add(c)
	if len(s) != 2 || len(s["one"].Packages) != 2 {
		t.Fatalf("Set = %v", s)
	}
	tests := []struct {
		source, name, wantSource string
		ok                       bool
	}{
		{"one", "demo", "one", true},
		{"two", "demo", "", false},
		{"", "gamma-op", "two", true},
		{"", "missing", "", false},
	}
	for _, tt := range tests {
		p, src, ok := s.Lookup(tt.source, tt.name)
		if ok != tt.ok || src != tt.wantSource || ok && p.Name != tt.name {
			t.Errorf("Lookup(%q, %q) = %v, %q, %v", tt.source, tt.name, p, src, ok)
		}
	}
	s.Add(&Index{Source: "two", Packages: map[string]*Package{"demo": a.Packages["demo"]}})
	if _, _, ok := s.Lookup("", "demo"); ok {
		t.Error("Lookup of a package in two sources without a source succeeded")
	}
}

func TestChannelNamesOrder(t *testing.T) {
	p := newPackage("p")
	for _, n := range []string{"stable", "gitops-1.10", "gitops-1.9", "alpha", "3.x", "3.2.x", "latest", "stable-v1", "stable-v1.15", "v5"} {
		addChannel(p, n, nil, nil)
	}
	want := []string{"alpha", "latest", "stable", "stable-v1", "gitops-1.9", "gitops-1.10", "stable-v1.15", "3.x", "3.2.x", "v5"}
	if got := p.ChannelNames(); !reflect.DeepEqual(got, want) {
		t.Errorf("ChannelNames() = %v\nwant %v", got, want)
	}
}

// TestNameVersion: a bundle the index does not hold is ordered by the
// version olm.ParseCSVName reads from its name. The first cases read the
// same as before; the others are the names on which the former reader of
// lib/index (any ".v<semver>" or ".<semver>" suffix) gave a version and
// olm.ParseCSVName gives none. OLM orders bundles by the version of their
// olm.package property and never reads a name, so the fallback follows the
// one CSV name parser the rules use: "foo.v1.2.3.4" is not version 2.3.4.
func TestNameVersion(t *testing.T) {
	tests := []struct {
		name, want, before string
	}{
		{"openshift-gitops-operator.v1.6.1-0.1666124167.p", "1.6.1-0.1666124167.p", "1.6.1-0.1666124167.p"},
		{"elasticsearch-eck-operator-certified.1.9.0", "1.9.0", "1.9.0"},
		{"apicurio-registry.v0.0.3-v1.2.3.final", "0.0.3-v1.2.3.final", "0.0.3-v1.2.3.final"},
		{"my.operator.v2.0.0", "2.0.0", "2.0.0"},
		{"no-version", "", ""},
		{"bad.v1", "", ""},
		// Changed: the name before the version is refused.
		{"foo.v1.2.3.4", "", "2.3.4"},
		{"foo.1.v2.0.0", "", "2.0.0"},
		{"Foo.v1.0.0", "", "1.0.0"},
		{"foo_bar.v1.0.0", "", "1.0.0"},
		{"foo..v1.0.0", "", "1.0.0"},
		{"-foo.v1.0.0", "", "1.0.0"},
		{"foo-.v1.0.0", "", "1.0.0"},
		{strings.Repeat("a", 250) + ".v1.0.0", "", "1.0.0"},
	}
	c := &Channel{}
	for _, tt := range tests {
		got := ""
		if v := c.version(tt.name); v != nil {
			got = v.Original()
		}
		if got != tt.want {
			t.Errorf("version(%.40q) = %q, want %q (before: %q)", tt.name, got, tt.want, tt.before)
		}
	}
}

// TestLoadThroughLinks: an index folder given through a symbolic link is
// read where it points; a device is refused, not read.
func TestLoadThroughLinks(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs("testdata/fbc")
	if err := os.Symlink(abs, filepath.Join(dir, "v4.18")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if idx, err := Load(context.Background(), filepath.Join(dir, "v4.18"), Options{}); err != nil || len(idx.Packages) == 0 {
		t.Errorf("through a link: %v", err)
	}
	if _, err := Load(context.Background(), "/dev/zero", Options{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a device: got %v", err)
	}
}
