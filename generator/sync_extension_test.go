package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/index"
)

// syncV1Catalog is an OLM v1 operator against testdata/syncv1/index.yaml:
// overlay alpha holds exact version 0.15.0, behind the head 0.16.0; overlay
// old (the default) installs channel old, which is gone; beta is new and
// the index's default channel.
const syncV1Catalog = "testdata/syncv1"

func syncV1Set(t *testing.T) index.Set {
	t.Helper()
	idx, err := index.Load(context.Background(), filepath.Join(syncV1Catalog, "index.yaml"), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	set := index.Set{}
	set.Add(idx)
	return set
}

func TestSyncExtension(t *testing.T) {
	const alphaPatch = "- op: replace\n  path: /spec/source/catalog/channels\n  value:\n    - alpha\n# Upgrades follow the channel from this version on.\n- op: add\n  path: /spec/source/catalog/version\n"
	tests := []struct {
		name     string
		prune    bool
		edit     map[string]string // files changed before the sync
		operator string
		changes  []string // path:verb
		files    map[string]string
		gone     []string
		note     string
		versions map[string]string // overlay → rendered version after the sync
	}{
		{
			name:     "without prune",
			operator: "argocd",
			changes: []string{
				"argocd/operator/overlays/alpha/patch-channel.yaml:edit",
				"argocd/operator/overlays/beta/kustomization.yaml:create",
				"argocd/operator/overlays/beta/patch-channel.yaml:create",
			},
			files: map[string]string{
				// In place: the quotes and both comments stay.
				"argocd/operator/overlays/alpha/patch-channel.yaml": alphaPatch + "  value: \"0.16.0\" # reviewed quarterly\n",
				// The default overlay holds an exact version: the new one pins its head exactly.
				"argocd/operator/overlays/beta/patch-channel.yaml": "- op: replace\n  path: /spec/source/catalog/channels\n  value:\n    - beta\n- op: add\n  path: /spec/source/catalog/version\n  value: 0.17.0\n",
			},
			note:     "overlay argocd/operator/overlays/old installs channel old, which package argocd-operator no longer has; --prune removes it",
			versions: map[string]string{"alpha": "0.16.0", "beta": "0.17.0", "old": "0.14.0"},
		},
		{
			name:     "with prune, by folder",
			prune:    true,
			operator: "argocd/",
			changes: []string{
				"argocd/operator/overlays/alpha/patch-channel.yaml:edit",
				"argocd/operator/overlays/beta/kustomization.yaml:create",
				"argocd/operator/overlays/beta/patch-channel.yaml:create",
				"argocd/operator/overlays/kustomization.yaml:edit",
				"argocd/operator/overlays/old/kustomization.yaml:delete",
				"argocd/operator/overlays/old/patch-channel.yaml:delete",
			},
			files: map[string]string{
				// The pointer follows the index's default channel; its comments stay.
				"argocd/operator/overlays/kustomization.yaml": "# The default overlay: oc apply -k on this folder installs it.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./beta # chosen by the platform team\n",
			},
			gone:     []string{"argocd/operator/overlays/old"},
			versions: map[string]string{"alpha": "0.16.0", "beta": "0.17.0"},
		},
		{
			name:     "a range from a version on moves to the head",
			operator: "argocd",
			edit: map[string]string{
				"argocd/operator/overlays/alpha/patch-channel.yaml": alphaPatch + "  value: '>=0.15.0 <0.16.0'\n",
				"argocd/operator/overlays/old/patch-channel.yaml":   "- op: replace\n  path: /spec/source/catalog/channels\n  value:\n    - old\n",
				"argocd/operator/overlays/kustomization.yaml":       "resources:\n  - ./alpha\n",
			},
			changes: []string{
				"argocd/operator/overlays/beta/kustomization.yaml:create",
				"argocd/operator/overlays/beta/patch-channel.yaml:create",
			},
			files: map[string]string{
				// Untouched: only a person can move a bounded range.
				"argocd/operator/overlays/alpha/patch-channel.yaml": alphaPatch + "  value: '>=0.15.0 <0.16.0'\n",
				// The default overlay holds a range: the new overlay sets none.
				"argocd/operator/overlays/beta/patch-channel.yaml": "- op: replace\n  path: /spec/source/catalog/channels\n  value:\n    - beta\n",
			},
			note:     `overlay argocd/operator/overlays/alpha sets version ">=0.15.0 <0.16.0", which keeps channel alpha below its head argocd-operator.v0.16.0; only an exact version or >=VERSION is moved: change it by hand`,
			versions: map[string]string{"alpha": ">=0.15.0 <0.16.0", "beta": "", "old": ""},
		},
		{
			name:     "a strategic merge patch, a gone overlay still used",
			prune:    true,
			operator: "argocd",
			edit: map[string]string{
				"argocd/operator/overlays/alpha/kustomization.yaml": "resources:\n  - ../../base\npatches:\n  - path: extension.yaml\n",
				"argocd/operator/overlays/alpha/extension.yaml":     "apiVersion: olm.operatorframework.io/v1\nkind: ClusterExtension\nmetadata:\n  name: argocd\nspec:\n  source:\n    catalog:\n      channels: [alpha]\n      version: 0.15.0 # held\n",
				"argocd/instance/kustomization.yaml":                "resources:\n  - ../operator/overlays/old\n",
			},
			changes: []string{
				"argocd/operator/overlays/alpha/extension.yaml:edit",
				"argocd/operator/overlays/beta/kustomization.yaml:create",
				"argocd/operator/overlays/beta/patch-channel.yaml:create",
			},
			files: map[string]string{
				"argocd/operator/overlays/alpha/extension.yaml": "apiVersion: olm.operatorframework.io/v1\nkind: ClusterExtension\nmetadata:\n  name: argocd\nspec:\n  source:\n    catalog:\n      channels: [alpha]\n      version: 0.16.0 # held\n",
			},
			note:     "argocd/instance/kustomization.yaml still uses ../operator/overlays/old (resources), inside overlay argocd/operator/overlays/old; not pruned",
			versions: map[string]string{"alpha": "0.16.0", "beta": "0.17.0", "old": "0.14.0"},
		},
		{
			name:     "one version for several channels is left to a person",
			operator: "argocd",
			edit: map[string]string{
				"argocd/operator/overlays/alpha/patch-channel.yaml": "- op: replace\n  path: /spec/source/catalog/channels\n  value: [alpha, beta]\n- op: add\n  path: /spec/source/catalog/version\n  value: 0.15.0\n",
			},
			note:     `overlay argocd/operator/overlays/alpha installs several channels (alpha, beta) with one version "0.15.0"; set it by hand`,
			versions: map[string]string{"alpha": "0.15.0", "old": "0.14.0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tempCopy(t, syncV1Catalog)
			for name, content := range tt.edit {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			set := syncV1Set(t)
			opts := SyncOptions{Root: root, Operators: []string{tt.operator}, Index: set, Prune: tt.prune}
			before := readTree(t, root)
			p, err := Sync(load(t, root), opts)
			if err != nil {
				t.Fatal(err)
			}
			if after := readTree(t, root); len(after) != len(before) {
				t.Fatalf("planning changed the files")
			}
			p.sort()
			var got []string
			for _, c := range p.Changes {
				verb := "create"
				switch {
				case c.Delete:
					verb = "delete"
				case c.Exists() && c.Edit:
					verb = "edit"
				case c.Exists():
					verb = "update"
				}
				got = append(got, c.Path+":"+verb)
			}
			if strings.Join(got, "\n") != strings.Join(tt.changes, "\n") {
				t.Errorf("changes:\n%s\nwant:\n%s\nnotes: %q", strings.Join(got, "\n"), strings.Join(tt.changes, "\n"), p.Notes)
			}
			if len(p.Conflicts()) != 0 {
				t.Errorf("sync needs --force for %v", p.Conflicts())
			}
			if tt.note != "" && !strings.Contains(strings.Join(p.Notes, "\n"), tt.note) {
				t.Errorf("notes %q lack %q", p.Notes, tt.note)
			}
			if err := p.Apply(false); err != nil {
				t.Fatal(err)
			}
			after := readTree(t, root)
			for name, want := range tt.files {
				if after[name] != want {
					t.Errorf("%s:\n%s", name, UnifiedDiff("want", "got", want, after[name]))
				}
			}
			for _, dir := range tt.gone {
				if _, err := os.Stat(filepath.Join(root, dir)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s is still there (%v)", dir, err)
				}
			}
			c := load(t, root)
			for _, d := range c.Dirs() {
				if e := c.Kustomizations[d].Result.Err; e != nil {
					t.Errorf("%s does not build: %v", d, e)
				}
			}
			e, err := c.FindExtension("argocd")
			if err != nil {
				t.Fatal(err)
			}
			rendered := map[string]string{}
			for _, ov := range e.Overlays {
				rendered[ov.Name] = ov.Spec.Version
			}
			if len(rendered) != len(tt.versions) {
				t.Errorf("overlays %v, want %v", rendered, tt.versions)
			}
			for ov, want := range tt.versions {
				if got, ok := rendered[ov]; !ok || got != want {
					t.Errorf("overlay %s renders version %q (%v), want %q", ov, got, ok, want)
				}
			}
			// A second identical sync changes nothing.
			p, err = Sync(c, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Empty() {
				t.Errorf("a second sync plans changes:\n%s", diffOf(t, p))
			}
			items, _ := catalog.ExtensionsOutdated(c, set)
			for _, it := range items {
				if it.Kind == catalog.OutdatedChannelNew || (len(tt.gone) > 0 && it.Kind == catalog.OutdatedChannelMissing) {
					t.Errorf("outdated after sync: %+v", it)
				}
			}
		})
	}
}

// TestSyncExtensionEveryOperator: without operator names, Sync takes every
// OLM v1 operator an index holds, and a dry run's diff shows the changes.
func TestSyncExtensionEveryOperator(t *testing.T) {
	root := tempCopy(t, syncV1Catalog)
	before := readTree(t, root)
	p, err := Sync(load(t, root), SyncOptions{Root: root, Index: syncV1Set(t), Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	d := diffOf(t, p)
	for _, s := range []string{
		"-  value: \"0.15.0\" # reviewed quarterly\n+  value: \"0.16.0\" # reviewed quarterly\n",
		"--- a/argocd/operator/overlays/old/kustomization.yaml\n+++ /dev/null\n",
		"+++ b/argocd/operator/overlays/beta/patch-channel.yaml",
		"-  - ./old # chosen by the platform team\n+  - ./beta # chosen by the platform team\n",
	} {
		if !strings.Contains(d, s) {
			t.Errorf("diff lacks %q:\n%s", s, d)
		}
	}
	after := readTree(t, root)
	if len(after) != len(before) {
		t.Fatalf("planning changed the files: %d → %d", len(before), len(after))
	}
	for name, content := range before {
		if after[name] != content {
			t.Errorf("planning changed %s", name)
		}
	}
}

func TestSyncExtensionErrors(t *testing.T) {
	root := tempCopy(t, syncV1Catalog)
	c := load(t, root)
	other := indexSet(t, "", "schema: olm.package\nname: other\n---\nschema: olm.channel\npackage: other\nname: v1\nentries:\n- name: other.v1.0.0\n")
	_, err := Sync(c, SyncOptions{Root: root, Operators: []string{"argocd"}, Index: other})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "package argocd-operator of operator argocd is in none of the indexes given") {
		t.Errorf("err = %v", err)
	}
	// Without names, an index without the package plans nothing.
	p, err := Sync(c, SyncOptions{Root: root, Index: other})
	if err != nil || !p.Empty() {
		t.Errorf("plan %v, err %v", p, err)
	}
}

func TestNewRange(t *testing.T) {
	head := semver.MustParse("0.16.0")
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0.15.0", "0.16.0", true},
		{"v0.15.0", "0.16.0", true},
		{">=0.15.0", ">=0.16.0", true},
		{">= 0.15.0", ">=0.16.0", true},
		{"~0.15.0", "", false},
		{"^0.15", "", false},
		{">=0.15.0 <0.16.0", "", false},
		{"0.15", "", false},
	}
	for _, tt := range tests {
		got, ok := newRange(tt.in, head)
		if got != tt.want || ok != tt.ok {
			t.Errorf("newRange(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzVersionSites: any file is read without a panic, and every site found
// holds the value, so that replaceScalarAt can edit it.
func FuzzVersionSites(f *testing.F) {
	for _, seed := range []string{
		"- op: add\n  path: /spec/source/catalog/version\n  value: \"0.15.0\" # c\n",
		"spec:\n  source:\n    catalog:\n      version: 0.15.0\n---\nspec: {source: {catalog: {version: '0.15.0'}}}\n",
		"- {op: replace, path: /spec/source/catalog/version, value: 0.15.0}\n",
		"\t: [",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content string) {
		for _, site := range versionSites("f.yaml", []byte(content), "0.15.0") {
			if site.line < 1 || site.column < 1 {
				t.Fatalf("site %+v", site)
			}
			_, _ = replaceScalarAt([]byte(content), site.line, site.column, "0.15.0", "0.16.0")
		}
	})
}
