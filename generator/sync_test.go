package generator

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/index"
)

// mqIndex is a small File-Based Catalog of ibm-mq. Against
// catalog/testdata/simple: overlay v1.8 pins ibm-mq.v1.8.0, two steps
// behind its head; channel v1.9 is gone; overlay v2.0 pins ibm-mq.v2.0.1,
// one step behind; v2.1 is new and the default channel.
const mqIndex = `---
schema: olm.package
name: ibm-mq
defaultChannel: v2.1
---
schema: olm.channel
package: ibm-mq
name: v1.8
entries:
- name: ibm-mq.v1.8.0
- name: ibm-mq.v1.8.1
  replaces: ibm-mq.v1.8.0
- name: ibm-mq.v1.8.2
  replaces: ibm-mq.v1.8.1
---
schema: olm.channel
package: ibm-mq
name: v2.0
entries:
- name: ibm-mq.v2.0.0
  replaces: ibm-mq.v1.8.2
- name: ibm-mq.v2.0.1
  replaces: ibm-mq.v2.0.0
- name: ibm-mq.v2.0.2
  replaces: ibm-mq.v2.0.1
---
schema: olm.channel
package: ibm-mq
name: v2.1
entries:
- name: ibm-mq.v2.1.0
  replaces: ibm-mq.v2.0.2
`

const simpleCatalog = "../catalog/testdata/simple"

// mqSet loads mqIndex for source.
func mqSet(t *testing.T, source string) index.Set {
	t.Helper()
	return indexSet(t, source, mqIndex)
}

// otherSet loads an index without ibm-mq for source.
func otherSet(t *testing.T, source string) index.Set {
	t.Helper()
	return indexSet(t, source, "schema: olm.package\nname: other\n---\nschema: olm.channel\npackage: other\nname: v1\nentries:\n- name: other.v1.0.0\n")
}

// indexSet loads an index from content for source.
func indexSet(t *testing.T, source, content string) index.Set {
	t.Helper()
	file := filepath.Join(t.TempDir(), "index.yaml")
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	idx, err := index.Load(context.Background(), file, index.Options{Source: source})
	if err != nil {
		t.Fatal(err)
	}
	set := index.Set{}
	set.Add(idx)
	return set
}

// copyTree copies a folder to a new temporary folder.
func tempCopy(t *testing.T, from string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func load(t *testing.T, root string) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func diffOf(t *testing.T, p *Plan) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.Diff(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSync(t *testing.T) {
	tests := []struct {
		name    string
		prune   bool
		changes []string // path:verb
		files   map[string]string
		gone    []string
		note    string
	}{
		{
			name: "without prune",
			changes: []string{
				"mq/operator/overlays/v1.8/patch-channel.yaml:edit",
				"mq/operator/overlays/v2.0/subscription-patch.yaml:edit",
				"mq/operator/overlays/v2.1/kustomization.yaml:create",
				"mq/operator/overlays/v2.1/patch-channel.yaml:create",
			},
			files: map[string]string{
				"mq/operator/overlays/v1.8/patch-channel.yaml":      "- op: replace\n  path: /spec/channel\n  value: v1.8\n- op: add\n  path: /spec/startingCSV\n  value: ibm-mq.v1.8.2\n",
				"mq/operator/overlays/v2.0/subscription-patch.yaml": "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: ibm-mq\n  namespace: openshift-operators\nspec:\n  channel: v2.0\n  startingCSV: ibm-mq.v2.0.2\n",
				// Automatic approval (the default overlay's): no pin.
				"mq/operator/overlays/v2.1/patch-channel.yaml": "- op: replace\n  path: /spec/channel\n  value: v2.1\n",
				"mq/operator/overlays/kustomization.yaml":      "# the default overlay\nresources:\n  - ./v1.9\n",
			},
			note: "overlay mq/operator/overlays/v1.9 installs channel v1.9, which package ibm-mq no longer has; --prune removes it",
		},
		{
			name:  "with prune",
			prune: true,
			changes: []string{
				"mq/operator/overlays/kustomization.yaml:edit",
				"mq/operator/overlays/v1.8/patch-channel.yaml:edit",
				"mq/operator/overlays/v1.9/kustomization.yaml:delete",
				"mq/operator/overlays/v2.0/subscription-patch.yaml:edit",
				"mq/operator/overlays/v2.1/kustomization.yaml:create",
				"mq/operator/overlays/v2.1/patch-channel.yaml:create",
			},
			files: map[string]string{
				// The pointer follows the index's default channel; its comment stays.
				"mq/operator/overlays/kustomization.yaml": "# the default overlay\nresources:\n  - ./v2.1\n",
			},
			gone: []string{"mq/operator/overlays/v1.9"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tempCopy(t, simpleCatalog)
			set := mqSet(t, "ibm-operator-catalog")
			opts := SyncOptions{Root: root, Operators: []string{"mq"}, Index: set, Prune: tt.prune}
			p, err := Sync(load(t, root), opts)
			if err != nil {
				t.Fatal(err)
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
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.changes, "\n"))
			}
			if len(p.Conflicts()) != 0 {
				t.Errorf("sync needs --force for %v", p.Conflicts())
			}
			if tt.note != "" && !strings.Contains(strings.Join(p.Notes, "\n"), tt.note) {
				t.Errorf("notes %q lack %q", p.Notes, tt.note)
			}
			if tt.prune && !strings.Contains(diffOf(t, p), "--- a/mq/operator/overlays/v1.9/kustomization.yaml\n+++ /dev/null\n") {
				t.Errorf("the diff does not show the deletion:\n%s", diffOf(t, p))
			}
			before := readTree(t, root)
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
			if _, err := os.Stat(filepath.Join(root, "mq/operator/overlays")); err != nil {
				t.Errorf("the overlays folder went: %v", err)
			}
			if len(after) == len(before) && !tt.prune {
				t.Errorf("no file was added")
			}
			// Everything still builds, and the pins are the heads.
			c := load(t, root)
			for _, d := range c.Dirs() {
				if e := c.Kustomizations[d].Result.Err; e != nil {
					t.Errorf("%s does not build: %v", d, e)
				}
			}
			mq := c.Operator("mq")
			for overlay, csv := range map[string]string{"v1.8": "ibm-mq.v1.8.2", "v2.0": "ibm-mq.v2.0.2", "v2.1": ""} {
				if ov := mq.Overlay(overlay); ov == nil || ov.Subscription.StartingCSV.Value != csv {
					t.Errorf("overlay %s: %+v, want startingCSV %q", overlay, ov, csv)
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
			if items := catalog.Outdated(c, set); tt.prune && len(items) != 0 {
				t.Errorf("outdated after sync --prune: %+v", items)
			}
		})
	}
}

func TestSyncDryRunWritesNothing(t *testing.T) {
	root := tempCopy(t, simpleCatalog)
	before := readTree(t, root)
	p, err := Sync(load(t, root), SyncOptions{Root: root, Operators: []string{"mq"}, Index: mqSet(t, ""), Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	d := diffOf(t, p)
	for _, s := range []string{"-  value: ibm-mq.v1.8.0\n+  value: ibm-mq.v1.8.2\n", "+++ /dev/null", "+++ b/mq/operator/overlays/v2.1/patch-channel.yaml"} {
		if !strings.Contains(d, s) {
			t.Errorf("diff lacks %q:\n%s", s, d)
		}
	}
	var sum bytes.Buffer
	_ = p.Summary(&sum)
	if !strings.Contains(sum.String(), "delete mq/operator/overlays/v1.9/kustomization.yaml\n") {
		t.Errorf("summary:\n%s", sum.String())
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

// TestSyncManual builds an operator with Manual approval and old pins, then
// syncs it: pins move in place (comments stay), the new channel's overlay
// pins its head, and the README lists it.
func TestSyncManual(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root})
	apply(t, p, err)
	p, err = AddOperator(OperatorOptions{Root: root, Package: "ibm-mq", Name: "mq", Source: "ibm-operator-catalog", Namespace: "mq",
		Channels: []string{"v1.8", "v2.0"}, CSVs: map[string]string{"v1.8": "ibm-mq.v1.8.0", "v2.0": "ibm-mq.v2.0.0"}, Approval: "Manual"})
	apply(t, p, err)
	patch := filepath.Join(root, "mq/operator/overlays/v2.0/patch-channel.yaml")
	b, _ := os.ReadFile(patch)
	commented := strings.Replace(string(b), "  value: ibm-mq.v2.0.0\n", "  value: ibm-mq.v2.0.0 # held for the audit\n", 1)
	commented = "# hand-written\n" + commented
	if err := os.WriteFile(patch, []byte(commented), 0o644); err != nil {
		t.Fatal(err)
	}
	set := mqSet(t, "ibm-operator-catalog")
	p, err = Sync(load(t, root), SyncOptions{Root: root, Operators: []string{"mq"}, Index: set})
	apply(t, p, err)
	got, _ := os.ReadFile(patch)
	if want := strings.Replace(commented, "ibm-mq.v2.0.0 #", "ibm-mq.v2.0.2 #", 1); string(got) != want {
		t.Errorf("patch after sync:\n%s\nwant:\n%s", got, want)
	}
	newPatch, _ := os.ReadFile(filepath.Join(root, "mq/operator/overlays/v2.1/patch-channel.yaml"))
	if !strings.Contains(string(newPatch), "value: ibm-mq.v2.1.0\n") {
		t.Errorf("the new overlay does not pin the head:\n%s", newPatch)
	}
	readme, _ := os.ReadFile(filepath.Join(root, "mq/README.md"))
	for _, row := range []string{"| `v1.8` | v1.8 | ibm-mq.v1.8.2 |  |", "| `v2.0` | v2.0 | ibm-mq.v2.0.2 | yes |", "| `v2.1` | v2.1 | ibm-mq.v2.1.0 |  |"} {
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks %q:\n%s", row, readme)
		}
	}
	c := load(t, root)
	if items := catalog.Outdated(c, set); len(items) != 0 {
		t.Errorf("still outdated: %+v", items)
	}
	p, err = Sync(c, SyncOptions{Root: root, Operators: []string{"mq"}, Index: set})
	if err != nil || !p.Empty() {
		t.Errorf("second sync: %v\n%s", err, diffOf(t, p))
	}
}

func TestSyncLeavesSharedPins(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"op/base/kustomization.yaml": "resources:\n  - subscription.yaml\n",
		"op/base/subscription.yaml": "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: ibm-mq\n  namespace: openshift-operators\n" +
			"spec:\n  channel: v1.8\n  name: ibm-mq\n  source: ibm-operator-catalog\n  startingCSV: ibm-mq.v1.8.0\n",
		"op/overlays/v1.8/kustomization.yaml": "resources:\n  - ../../base\n",
	})
	p, err := Sync(load(t, root), SyncOptions{Root: root, Operators: []string{"op"}, Index: mqSet(t, "ibm-operator-catalog")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if strings.HasPrefix(c.Path, "op/base/") {
			t.Errorf("sync changes the shared base: %s", c.Path)
		}
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "op/base/subscription.yaml:10:16: overlay v1.8 pins ibm-mq.v1.8.0 outside its folder") {
		t.Errorf("notes: %q", p.Notes)
	}
}

func TestSyncErrors(t *testing.T) {
	root := tempCopy(t, simpleCatalog)
	c := load(t, root)
	tests := []struct {
		name string
		opts SyncOptions
		want string
	}{
		{"unknown operator", SyncOptions{Operators: []string{"nope"}, Index: mqSet(t, "")}, `unknown operator "nope"; operators: mq`},
		{"no index", SyncOptions{Operators: []string{"mq"}}, "at least one operator index"},
		{"package in no index", SyncOptions{Operators: []string{"mq"}, Index: otherSet(t, "redhat-operators")}, "is in none of the indexes given"},
		{"package not in the source's index", SyncOptions{Operators: []string{"mq"}, Index: otherSet(t, "ibm-operator-catalog")}, "is not in the index of ibm-operator-catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Root = root
			_, err := Sync(c, tt.opts)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Msg, tt.want) {
				t.Errorf("got %v, want an input error containing %q", err, tt.want)
			}
		})
	}
	// When every overlay's channel is gone, sync offers the default
	// channel: its overlay is added and the pointer moves to it.
	all := writeFiles(t, map[string]string{
		"op/base/kustomization.yaml": "resources:\n  - subscription.yaml\n",
		"op/base/subscription.yaml": "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: ibm-mq\n  namespace: openshift-operators\n" +
			"spec:\n  channel: v0.9\n  name: ibm-mq\n  source: ibm-operator-catalog\n",
		"op/overlays/kustomization.yaml":      "resources:\n  - ./v0.9\n",
		"op/overlays/v0.9/kustomization.yaml": "resources:\n  - ../../base\n",
	})
	p, err := Sync(load(t, all), SyncOptions{Root: all, Operators: []string{"op"}, Index: mqSet(t, "ibm-operator-catalog"), Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	var changes []string
	for _, c := range p.Changes {
		verb := "write"
		if c.Delete {
			verb = "delete"
		}
		changes = append(changes, verb+" "+c.Path)
	}
	got := strings.Join(changes, "\n")
	for _, want := range []string{"delete op/overlays/v0.9/kustomization.yaml", "write op/overlays/kustomization.yaml"} {
		if !strings.Contains(got, want) {
			t.Errorf("pruning every overlay: plan lacks %q:\n%s", want, got)
		}
	}
	pointer, _ := p.Content("op/overlays/kustomization.yaml")
	if strings.Contains(string(pointer), "v0.9") {
		t.Errorf("the pointer still selects the pruned overlay:\n%s", pointer)
	}
}

// writeFiles writes files (slash paths) below a new temporary folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReplaceScalarAt(t *testing.T) {
	tests := []struct {
		name      string
		content   string
		line, col int
		want      string
		ok        bool
		repl      string // default a.v1.1.0
	}{
		{"plain value YAML 1.1 reads as a boolean", "value: a.v1.0.0\n", 1, 8, "value: \"yes\"\n", true, "yes"},
		{"plain value YAML reads as a number", "value: a.v1.0.0\n", 1, 8, "value: \"1e3\"\n", true, "1e3"},
		{"single quotes kept, quote doubled", "value: 'a.v1.0.0'\n", 1, 8, "value: 'it''s'\n", true, "it's"},
		{"double quotes kept, escaped", "value: \"a.v1.0.0\"\n", 1, 8, "value: \"a\\\"b\"\n", true, `a"b`},
		{"plain", "- op: add\n  path: /spec/startingCSV\n  value: a.v1.0.0\n", 3, 10, "- op: add\n  path: /spec/startingCSV\n  value: a.v1.1.0\n", true, ""},
		{"comment after", "value: a.v1.0.0 # pinned\n", 1, 8, "value: a.v1.1.0 # pinned\n", true, ""},
		{"double quotes", "value: \"a.v1.0.0\"\n", 1, 8, "value: \"a.v1.1.0\"\n", true, ""},
		{"single quotes", "value: 'a.v1.0.0'\n", 1, 8, "value: 'a.v1.1.0'\n", true, ""},
		{"flow mapping", "- {op: add, path: /spec/startingCSV, value: a.v1.0.0}\n", 1, 45, "- {op: add, path: /spec/startingCSV, value: a.v1.1.0}\n", true, ""},
		{"no final newline", "value: a.v1.0.0", 1, 8, "value: a.v1.1.0", true, ""},
		{"CRLF", "a: b\r\nvalue: a.v1.0.0\r\n", 2, 8, "a: b\r\nvalue: a.v1.1.0\r\n", true, ""},
		{"wide characters before", "vä: a.v1.0.0\n", 1, 5, "vä: a.v1.1.0\n", true, ""},
		{"longer value", "value: a.v1.0.00\n", 1, 8, "", false, ""},
		{"other value", "value: b.v1.0.0\n", 1, 8, "", false, ""},
		{"line past the end", "value: a.v1.0.0\n", 3, 8, "", false, ""},
		{"column past the end", "value: a.v1.0.0\n", 1, 30, "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repl := tt.repl
			if repl == "" {
				repl = "a.v1.1.0"
			}
			got, ok := replaceScalarAt([]byte(tt.content), tt.line, tt.col, "a.v1.0.0", repl)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%q)", ok, tt.ok, got)
			}
			if ok && string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !ok && string(got) != tt.content {
				t.Errorf("a failed edit changed the content: %q", got)
			}
		})
	}
}

func TestPlanDelete(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"a/b/one.yaml": "one\n",
		"a/b/two.yaml": "two\n",
		"a/keep.yaml":  "keep\n",
	})
	p := NewPlan(root)
	for _, f := range []string{"a/b/one.yaml", "a/b/two.yaml", "a/missing.yaml"} {
		if err := p.Delete(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Delete("../outside.yaml"); err == nil {
		t.Error("a deletion outside the root was planned")
	}
	if len(p.Changes) != 2 || len(p.Conflicts()) != 0 {
		t.Fatalf("changes %+v, conflicts %v", p.Changes, p.Conflicts())
	}
	if _, ok := p.Content("a/b/one.yaml"); ok || !p.Deleted("a/b/one.yaml") {
		t.Error("a planned deletion still has content")
	}
	// Planning content again undoes the deletion.
	if err := p.Add("a/b/two.yaml", []byte("two again\n"), false); err != nil {
		t.Fatal(err)
	}
	if p.Deleted("a/b/two.yaml") {
		t.Error("Add after Delete still deletes")
	}
	if want := "--- a/a/b/one.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-one\n"; !strings.Contains(diffOf(t, p), want) {
		t.Errorf("diff:\n%s\nwant it to hold:\n%s", diffOf(t, p), want)
	}
	if err := p.Apply(true); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, root)
	if len(got) != 2 || got["a/b/two.yaml"] != "two again\n" || got["a/keep.yaml"] != "keep\n" {
		t.Errorf("after Apply: %v", got)
	}
	// Emptied folders go, up to the first that is not empty.
	if err := planDeleting(t, root, "a/b/two.yaml").Apply(false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "a/b")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a/b was not removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "a/keep.yaml")); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "a"))
	if len(entries) != 1 {
		t.Errorf("left in a/: %v", entries)
	}
}

// planDeleting plans the deletion of files.
func planDeleting(t *testing.T, root string, files ...string) *Plan {
	t.Helper()
	p := NewPlan(root)
	for _, f := range files {
		if err := p.Delete(f); err != nil {
			t.Fatal(err)
		}
	}
	return p
}
