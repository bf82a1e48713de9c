package index

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// corpusDir holds real operator indexes copied from public repositories;
// see SOURCES.md there.
const corpusDir = "../../../shared/corpus/olm-index"

// loadCorpus loads a path of the corpus, skipping the test when the corpus
// is absent.
func loadCorpus(t *testing.T, rel string) *Index {
	t.Helper()
	p := filepath.Join(corpusDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	idx, err := Load(context.Background(), p, Options{})
	if err != nil {
		t.Fatalf("Load(context.Background(), %s): %v", rel, err)
	}
	return idx
}

func corpusPackage(t *testing.T, rel, pkg string) *Package {
	t.Helper()
	p := loadCorpus(t, rel).Packages[pkg]
	if p == nil {
		t.Fatalf("%s: no package %s", rel, pkg)
	}
	return p
}

func corpusChannel(t *testing.T, rel, pkg, channel string) *Channel {
	t.Helper()
	ch := corpusPackage(t, rel, pkg).Channels[channel]
	if ch == nil {
		t.Fatalf("%s: package %s has no channel %s", rel, pkg, channel)
	}
	return ch
}

const (
	gitops418    = "fbc/openshift-gitops-operator/v4.18"
	crunchy418   = "fbc/crunchy-postgres-operator/v4.18"
	apicurio418  = "fbc/apicurio-registry-3/v4.18"
	cnpg418      = "fbc/cloud-native-postgresql/v4.18"
	certMgrOp418 = "fbc/openshift-cert-manager-operator/v4.18"
	bundleTrees  = "bundles"
	pkgManifests = "packagemanifests"
)

func TestCorpusPackages(t *testing.T) {
	gitopsChannels := []string{"latest"}
	for minor := 6; minor <= 21; minor++ {
		gitopsChannels = append(gitopsChannels, "gitops-1."+strconv.Itoa(minor))
	}
	tests := []struct {
		name, dir, pkg string
		defaultChannel string
		channels       []string // ChannelNames order
		bundles        int      // named bundles
		unnamed        int
	}{
		{
			// olm.template.basic: bundles named only by image.
			name: "gitops template v4.18", dir: gitops418, pkg: "openshift-gitops-operator",
			defaultChannel: "latest", channels: gitopsChannels, bundles: 0, unnamed: 114,
		},
		{
			// Rendered catalog next to its template: the template images all
			// match rendered bundles, so nothing stays unnamed.
			name: "crunchy rendered and template v4.18", dir: crunchy418, pkg: "crunchy-postgres-operator",
			defaultChannel: "v5", channels: []string{"v5"}, bundles: 30, unnamed: 0,
		},
		{
			name: "apicurio rendered and template v4.18", dir: apicurio418, pkg: "apicurio-registry-3",
			defaultChannel: "3.x", channels: []string{"3.x", "3.2.x", "3.3.x"}, bundles: 21, unnamed: 0,
		},
		{
			name: "cloud-native-postgresql subset v4.18", dir: cnpg418, pkg: "cloud-native-postgresql",
			defaultChannel: "fast",
			channels: []string{"candidate", "fast", "stable", "stable-v1.25", "stable-v1.26", "stable-v1.27",
				"stable-v1.28", "stable-v1.29", "stable-v1.30"},
			bundles: 36,
		},
		{
			// package.yaml and channel.yaml of a folder-per-package FBC.
			name: "cert-manager-operator package and channel files v4.18", dir: certMgrOp418,
			pkg: "openshift-cert-manager-operator", defaultChannel: "stable-v1",
			channels: []string{"stable-v1", "stable-v1.15", "stable-v1.16", "stable-v1.17",
				"stable-v1.18", "stable-v1.19"},
		},
		{
			// Bundle folders: 5 versions have a CSV, 27 only metadata.
			name: "eck bundle folders", dir: bundleTrees, pkg: "elasticsearch-eck-operator-certified",
			defaultChannel: "stable", channels: []string{"stable"}, bundles: 5, unnamed: 27,
		},
		{
			// 5.24.0 has the bundle twice (5.24.0/ and 5.24.0/bundle/): one bundle.
			name: "grafana bundle folders", dir: bundleTrees, pkg: "grafana-operator",
			defaultChannel: "v5", channels: []string{"alpha", "original", "v4", "v5"}, bundles: 8, unnamed: 56,
		},
		{
			name: "sealed-secrets package manifest with CSVs", dir: pkgManifests, pkg: "sealed-secrets-operator-helm",
			defaultChannel: "alpha", channels: []string{"alpha"}, bundles: 2,
		},
		{
			// Two package.yaml files (community and upstream) of one package.
			name: "postgresql package manifests", dir: pkgManifests, pkg: "postgresql",
			defaultChannel: "stable",
			channels:       []string{"stable", "original_40", "original_41", "original_42", "original_43"},
		},
		{
			name: "strimzi package manifest", dir: pkgManifests, pkg: "strimzi-kafka-operator",
			defaultChannel: "stable",
			channels: []string{"stable", "strimzi-0.19.x", "strimzi-0.20.x", "strimzi-0.21.x", "strimzi-0.22.x",
				"strimzi-0.23.x", "strimzi-0.24.x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := corpusPackage(t, tt.dir, tt.pkg)
			if p.DefaultChannel != tt.defaultChannel {
				t.Errorf("DefaultChannel = %q, want %q", p.DefaultChannel, tt.defaultChannel)
			}
			if got := p.ChannelNames(); !reflect.DeepEqual(got, tt.channels) {
				t.Errorf("ChannelNames() = %v\nwant %v", got, tt.channels)
			}
			if len(p.Bundles) != tt.bundles {
				t.Errorf("len(Bundles) = %d, want %d", len(p.Bundles), tt.bundles)
			}
			if len(p.Unnamed) != tt.unnamed {
				t.Errorf("len(Unnamed) = %d, want %d", len(p.Unnamed), tt.unnamed)
			}
		})
	}
}

func TestCorpusGitopsHas17Channels(t *testing.T) {
	p := corpusPackage(t, gitops418, "openshift-gitops-operator")
	if len(p.Channels) != 17 {
		t.Errorf("%d channels, want 17: %v", len(p.Channels), p.ChannelNames())
	}
}

func TestCorpusHeads(t *testing.T) {
	tests := []struct {
		name, dir, pkg, channel string
		head                    string
		notLastInFile           bool // the head is not the last entry read
		wantErr                 string
	}{
		{name: "crunchy v5", dir: crunchy418, pkg: "crunchy-postgres-operator", channel: "v5",
			head: "postgresoperator.v5.8.8"},
		{name: "gitops latest", dir: gitops418, pkg: "openshift-gitops-operator", channel: "latest",
			head: "openshift-gitops-operator.v1.21.4"},
		{name: "gitops-1.10 lists its head before older 1.9 entries", dir: gitops418,
			pkg: "openshift-gitops-operator", channel: "gitops-1.10",
			head: "openshift-gitops-operator.v1.10.6", notLastInFile: true},
		{name: "gitops-1.12 head is a rebuilt z-stream", dir: gitops418, pkg: "openshift-gitops-operator",
			channel: "gitops-1.12", head: "openshift-gitops-operator.v1.12.6", notLastInFile: true},
		{name: "apicurio 3.x lists newest first", dir: apicurio418, pkg: "apicurio-registry-3", channel: "3.x",
			head: "apicurio-registry-3.v3.3.1", notLastInFile: true},
		{name: "cnpg candidate", dir: cnpg418, pkg: "cloud-native-postgresql", channel: "candidate",
			head: "cloud-native-postgresql.v1.30.0-rc1"},
		{name: "cert-manager-operator stable-v1 skips v1.19.0", dir: certMgrOp418,
			pkg: "openshift-cert-manager-operator", channel: "stable-v1", head: "cert-manager-operator.v1.19.1"},
		{name: "package manifest currentCSV", dir: pkgManifests, pkg: "strimzi-kafka-operator", channel: "stable",
			head: "strimzi-cluster-operator.v0.24.0"},
		{name: "package manifest replaces chain", dir: pkgManifests, pkg: "sealed-secrets-operator-helm",
			channel: "alpha", head: "sealed-secrets-operator-helm.v0.0.2"},
		{
			// ci.yaml says semver-mode: 1.16.5 replaces 1.16.1 by version order
			// although its CSV names no replaces.
			name: "cert-manager bundles in semver-mode", dir: bundleTrees, pkg: "cert-manager", channel: "stable",
			head: "cert-manager.v1.16.5",
		},
		{
			// CSV 1.9.0 is named ...certified.1.9.0 while 1.9.1 and 2.0.0 skip
			// ...certified.v1.9.0, and the CSVs between 2.0.0 and 3.4.1 are
			// missing from the folders.
			name: "eck bundles have dangling names", dir: bundleTrees, pkg: "elasticsearch-eck-operator-certified",
			channel: "stable", wantErr: "4 heads",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := corpusChannel(t, tt.dir, tt.pkg, tt.channel)
			head, err := ch.Head()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Head() = %q, %v; want error containing %q", head, err, tt.wantErr)
				}
				return
			}
			if err != nil || head != tt.head {
				t.Fatalf("Head() = %q, %v; want %q", head, err, tt.head)
			}
			last := ch.Entries[len(ch.Entries)-1].Name
			if tt.notLastInFile && last == head {
				t.Errorf("head %s is the last entry; the case should prove the order is ignored", head)
			}
			if n, ok := ch.Behind(head); !ok || n != 0 {
				t.Errorf("Behind(head) = %d, %v; want 0, true", n, ok)
			}
		})
	}
}

func TestCorpusMembership(t *testing.T) {
	tests := []struct {
		name, dir, pkg, csv string
		channels            []string // ChannelsOf, in ChannelNames order
		notIn               string
	}{
		{name: "gitops 1.12.1 only in gitops-1.12", dir: gitops418, pkg: "openshift-gitops-operator",
			csv: "openshift-gitops-operator.v1.12.1", channels: []string{"gitops-1.12"}, notIn: "latest"},
		{name: "gitops 1.21.4 in latest and gitops-1.21", dir: gitops418, pkg: "openshift-gitops-operator",
			csv: "openshift-gitops-operator.v1.21.4", channels: []string{"latest", "gitops-1.21"}, notIn: "gitops-1.20"},
		{name: "cnpg 1.25.0", dir: cnpg418, pkg: "cloud-native-postgresql", csv: "cloud-native-postgresql.v1.25.0",
			channels: []string{"fast", "stable", "stable-v1.25"}, notIn: "candidate"},
		{name: "apicurio 3.2.6 only in 3.2.x", dir: apicurio418, pkg: "apicurio-registry-3",
			csv: "apicurio-registry-3.v3.2.6", channels: []string{"3.2.x"}, notIn: "3.x"},
		{name: "sealed-secrets 0.0.1 reached through replaces", dir: pkgManifests, pkg: "sealed-secrets-operator-helm",
			csv: "sealed-secrets-operator-helm.v0.0.1", channels: []string{"alpha"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := corpusPackage(t, tt.dir, tt.pkg)
			if got := p.ChannelsOf(tt.csv); !reflect.DeepEqual(got, tt.channels) {
				t.Errorf("ChannelsOf(%s) = %v, want %v", tt.csv, got, tt.channels)
			}
			if tt.notIn != "" && p.Channels[tt.notIn].Contains(tt.csv) {
				t.Errorf("channel %s contains %s", tt.notIn, tt.csv)
			}
		})
	}
}

func TestCorpusUpgradePaths(t *testing.T) {
	tests := []struct {
		name, dir, pkg, channel string
		from, to                string
		want                    []string // nil: no path
	}{
		{
			// 5.8.6 replaces 5.8.4 and skips 5.8.5.
			name: "crunchy skips 5.8.5", dir: crunchy418, pkg: "crunchy-postgres-operator", channel: "v5",
			from: "postgresoperator.v5.8.4", to: "postgresoperator.v5.8.8",
			want: []string{"postgresoperator.v5.8.4", "postgresoperator.v5.8.6", "postgresoperator.v5.8.7", "postgresoperator.v5.8.8"},
		},
		{
			// 5.8.5 is an entry that 5.8.6 skips: one step past it.
			name: "crunchy from skipped 5.8.5", dir: crunchy418, pkg: "crunchy-postgres-operator", channel: "v5",
			from: "postgresoperator.v5.8.5", to: "postgresoperator.v5.8.6",
			want: []string{"postgresoperator.v5.8.5", "postgresoperator.v5.8.6"},
		},
		{
			name: "crunchy no downgrade", dir: crunchy418, pkg: "crunchy-postgres-operator", channel: "v5",
			from: "postgresoperator.v5.8.8", to: "postgresoperator.v5.1.0",
		},
		{
			// skipRange '>=1.0.0 <1.21.0' of v1.21.0 lets every older entry in.
			name: "gitops latest via skipRange", dir: gitops418, pkg: "openshift-gitops-operator", channel: "latest",
			from: "openshift-gitops-operator.v1.6.1", to: "openshift-gitops-operator.v1.21.4",
			want: []string{"openshift-gitops-operator.v1.6.1", "openshift-gitops-operator.v1.21.0", "openshift-gitops-operator.v1.21.4"},
		},
		{
			// gitops-1.17 holds only 1.17.x, but 1.17.0 replaces 1.16.2 and
			// has skipRange '>=1.0.0 <1.17.0': an installed 1.16.0 upgrades.
			name: "gitops-1.17 from an older minor", dir: gitops418, pkg: "openshift-gitops-operator", channel: "gitops-1.17",
			from: "openshift-gitops-operator.v1.16.0", to: "openshift-gitops-operator.v1.17.5",
			want: []string{"openshift-gitops-operator.v1.16.0", "openshift-gitops-operator.v1.17.0",
				"openshift-gitops-operator.v1.17.1", "openshift-gitops-operator.v1.17.2", "openshift-gitops-operator.v1.17.3",
				"openshift-gitops-operator.v1.17.4", "openshift-gitops-operator.v1.17.5"},
		},
		{
			name: "cert-manager-operator stable-v1", dir: certMgrOp418, pkg: "openshift-cert-manager-operator", channel: "stable-v1",
			from: "cert-manager-operator.v1.15.0", to: "cert-manager-operator.v1.19.1",
			want: []string{"cert-manager-operator.v1.15.0", "cert-manager-operator.v1.15.1", "cert-manager-operator.v1.16.1",
				"cert-manager-operator.v1.17.0", "cert-manager-operator.v1.18.0", "cert-manager-operator.v1.18.1",
				"cert-manager-operator.v1.19.1"},
		},
		{
			// A gap: the channel starts at 1.15.0, which replaces 1.14.1 with
			// skipRange '>=1.14.1 <1.15.0'; nothing takes 1.14.0.
			name: "cert-manager-operator gap before 1.14.1", dir: certMgrOp418, pkg: "openshift-cert-manager-operator",
			channel: "stable-v1", from: "cert-manager-operator.v1.14.0", to: "cert-manager-operator.v1.19.1",
		},
		{
			// skipRange written with spaces: '>= 1.18.0 < 1.28.0'.
			name: "cnpg fast spaced skipRange", dir: cnpg418, pkg: "cloud-native-postgresql", channel: "fast",
			from: "cloud-native-postgresql.v1.20.0", to: "cloud-native-postgresql.v1.28.0",
			want: []string{"cloud-native-postgresql.v1.20.0", "cloud-native-postgresql.v1.28.0"},
		},
		{
			// A gap in real bundle folders: 2.0.0 skips ...certified.v1.9.0 but
			// the 1.9.0 CSV is named ...certified.1.9.0.
			name: "eck 1.9.0 misnamed", dir: bundleTrees, pkg: "elasticsearch-eck-operator-certified", channel: "stable",
			from: "elasticsearch-eck-operator-certified.1.9.0", to: "elasticsearch-eck-operator-certified.v2.0.0",
		},
		{
			name: "eck from CSV replaces", dir: bundleTrees, pkg: "elasticsearch-eck-operator-certified", channel: "stable",
			from: "elasticsearch-eck-operator-certified.v3.4.1", to: "elasticsearch-eck-operator-certified.v3.5.0",
			want: []string{"elasticsearch-eck-operator-certified.v3.4.1", "elasticsearch-eck-operator-certified.v3.5.0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := corpusChannel(t, tt.dir, tt.pkg, tt.channel)
			got, ok := ch.UpgradePath(tt.from, tt.to)
			if ok != (tt.want != nil) || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("UpgradePath(%s, %s) = %v, %v\nwant %v", tt.from, tt.to, got, ok, tt.want)
			}
		})
	}
}

func TestCorpusBehind(t *testing.T) {
	tests := []struct {
		name, dir, pkg, channel, csv string
		want                         int
		ok                           bool
	}{
		{name: "crunchy 5.0.5 is not an entry but 5.1.0 skips it", dir: crunchy418, pkg: "crunchy-postgres-operator",
			channel: "v5", csv: "postgresoperator.v5.0.5", want: 28, ok: true},
		{name: "crunchy 5.8.4", dir: crunchy418, pkg: "crunchy-postgres-operator", channel: "v5",
			csv: "postgresoperator.v5.8.4", want: 3, ok: true},
		{name: "gitops 1.10.0 in latest", dir: gitops418, pkg: "openshift-gitops-operator", channel: "latest",
			csv: "openshift-gitops-operator.v1.10.0", want: 2, ok: true},
		{name: "gitops 1.21.1 in latest", dir: gitops418, pkg: "openshift-gitops-operator", channel: "latest",
			csv: "openshift-gitops-operator.v1.21.1", want: 1, ok: true},
		{name: "older than every skipRange", dir: gitops418, pkg: "openshift-gitops-operator", channel: "latest",
			csv: "openshift-gitops-operator.v0.9.0", ok: false},
		{name: "name without version", dir: gitops418, pkg: "openshift-gitops-operator", channel: "latest",
			csv: "openshift-gitops-operator", ok: false},
		{name: "channel without single head", dir: bundleTrees, pkg: "elasticsearch-eck-operator-certified",
			channel: "stable", csv: "elasticsearch-eck-operator-certified.v3.4.1", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := corpusChannel(t, tt.dir, tt.pkg, tt.channel)
			if n, ok := ch.Behind(tt.csv); n != tt.want || ok != tt.ok {
				t.Errorf("Behind(%s) = %d, %v; want %d, %v", tt.csv, n, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCorpusBundles(t *testing.T) {
	all := map[string]bool{"OwnNamespace": true, "SingleNamespace": true, "MultiNamespace": true, "AllNamespaces": true}
	tests := []struct {
		name, dir, pkg, csv string
		version             string
		image               string
		modes               map[string]bool
		entry               *Entry // the entry in channel
		channel             string
	}{
		{
			// olm.package and olm.csv.metadata properties of a rendered bundle.
			name: "crunchy rendered bundle", dir: crunchy418, pkg: "crunchy-postgres-operator", csv: "postgresoperator.v5.8.8",
			version: "5.8.8", modes: all,
			image: "registry.connect.redhat.com/crunchydata/postgres-operator-bundle@sha256:d598349d458407c125e93373f29701e5d2afe0ac5d6d66aa82849007988fbdf2",
		},
		{
			// annotations.yaml plus CSV: replaces, olm.skipRange, installModes.
			name: "eck bundle folder 3.5.0", dir: bundleTrees, pkg: "elasticsearch-eck-operator-certified",
			csv: "elasticsearch-eck-operator-certified.v3.5.0", version: "3.5.0", modes: all, channel: "stable",
			entry: &Entry{Name: "elasticsearch-eck-operator-certified.v3.5.0",
				Replaces: "elasticsearch-eck-operator-certified.v3.4.1", SkipRange: ">=2.16.0 <3.5.0"},
		},
		{
			name: "apicurio bundle folder with pre-release version", dir: bundleTrees, pkg: "apicurio-registry",
			csv: "apicurio-registry.v0.0.3-v1.2.3.final", version: "0.0.3-v1.2.3.final", channel: "alpha",
			modes: map[string]bool{"OwnNamespace": true, "SingleNamespace": true, "MultiNamespace": false, "AllNamespaces": false},
			entry: &Entry{Name: "apicurio-registry.v0.0.3-v1.2.3.final", Replaces: "apicurio-registry.v0.0.1"},
		},
		{
			name: "package manifest CSV", dir: pkgManifests, pkg: "sealed-secrets-operator-helm",
			csv: "sealed-secrets-operator-helm.v0.0.1", version: "0.0.1",
			modes: map[string]bool{"OwnNamespace": true, "SingleNamespace": true, "MultiNamespace": false, "AllNamespaces": false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := corpusPackage(t, tt.dir, tt.pkg)
			b := p.Bundles[tt.csv]
			if b == nil {
				t.Fatalf("no bundle %s", tt.csv)
			}
			if b.Package != tt.pkg || b.Version == nil || b.Version.Original() != tt.version {
				t.Errorf("bundle = %+v, want package %s version %s", b, tt.pkg, tt.version)
			}
			if b.Image != tt.image {
				t.Errorf("Image = %q, want %q", b.Image, tt.image)
			}
			if !reflect.DeepEqual(b.InstallModes, tt.modes) {
				t.Errorf("InstallModes = %v, want %v", b.InstallModes, tt.modes)
			}
			if tt.entry == nil {
				return
			}
			for _, e := range p.Channels[tt.channel].Entries {
				if e.Name == tt.csv {
					if !reflect.DeepEqual(e.Replaces, tt.entry.Replaces) || e.SkipRange != tt.entry.SkipRange {
						t.Errorf("entry = %+v, want %+v", e, *tt.entry)
					}
					return
				}
			}
			t.Errorf("channel %s has no entry %s", tt.channel, tt.csv)
		})
	}
}

func TestCorpusUnnamed(t *testing.T) {
	t.Run("template images", func(t *testing.T) {
		p := corpusPackage(t, gitops418, "openshift-gitops-operator")
		for _, u := range p.Unnamed {
			if !strings.Contains(u.Image, "/gitops-operator-bundle@sha256:") || u.Path != "" || u.Version != nil {
				t.Fatalf("unexpected unnamed bundle %+v", u)
			}
		}
	})
	t.Run("metadata-only bundle folders", func(t *testing.T) {
		p := corpusPackage(t, bundleTrees, "cert-manager")
		found := false
		for _, u := range p.Unnamed {
			if filepath.Base(u.Path) == "1.10.0" {
				found = true
				if u.Version == nil || u.Version.String() != "1.10.0" || !reflect.DeepEqual(u.Channels, []string{"candidate", "stable"}) {
					t.Errorf("unnamed 1.10.0 = %+v", u)
				}
			}
		}
		if !found {
			t.Error("no unnamed bundle for cert-manager/1.10.0")
		}
	})
}

func TestCorpusSkipsNonIndexFiles(t *testing.T) {
	// release-config.yaml and the ci.yaml files hold nothing of an index.
	idx := loadCorpus(t, ".")
	for _, name := range sortedKeys(idx.Packages) {
		if strings.Contains(name, "/") || name == "" {
			t.Errorf("odd package name %q", name)
		}
	}
	if len(idx.Packages) != 14 {
		t.Errorf("%d packages in the whole corpus, want 14: %v", len(idx.Packages), sortedKeys(idx.Packages))
	}
	if _, err := Load(context.Background(), filepath.Join(corpusDir, "fbc/openshift-gitops-operator/release-config.yaml"), Options{}); err == nil ||
		!strings.Contains(err.Error(), "no OLM package") {
		t.Errorf("Load(context.Background(), release-config.yaml) = %v, want no OLM package", err)
	}
}

func TestCorpusDeprecations(t *testing.T) {
	// No file of the corpus has an olm.deprecations document (checked with
	// grep); deprecations are covered by testdata/fbc. Nothing may be
	// marked deprecated here.
	idx := loadCorpus(t, ".")
	for _, p := range idx.Packages {
		if p.Deprecated != nil {
			t.Errorf("package %s deprecated", p.Name)
		}
		for _, ch := range p.Channels {
			if ch.Deprecated != nil {
				t.Errorf("channel %s/%s deprecated", p.Name, ch.Name)
			}
		}
	}
}
