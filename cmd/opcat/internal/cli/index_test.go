package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/index"
)

const (
	// mqIndex is a small File-Based Catalog of ibm-mq; against the simple
	// fixture it has a stale pin, a channel gone and a new channel.
	mqIndex = "testdata/index/ibm-mq.yaml"
	// gitopsIndex is the Red Hat GitOps catalog of OpenShift 4.18 in the
	// reference corpus: 17 channels, latest and gitops-1.6 … gitops-1.21.
	gitopsIndex = "../../../../../shared/corpus/olm-index/fbc/openshift-gitops-operator/v4.18"
)

// abs returns p as an absolute path: commands run with -C elsewhere.
func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func requireGitopsIndex(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(gitopsIndex); err != nil {
		t.Skipf("reference index not found at %s (it sits beside the project in development checkouts): %v", gitopsIndex, err)
	}
	return abs(t, gitopsIndex)
}

func TestIndexGolden(t *testing.T) {
	idx := abs(t, mqIndex)
	tests := []struct {
		name string
		args []string
	}{
		{"index-channels-table", []string{"index", "channels", "ibm-mq", "--index", idx}},
		{"index-channels-json", []string{"index", "channels", "ibm-mq", "--index", "ibm-operator-catalog=" + idx, "-o", "json"}},
		{"index-channels-yaml", []string{"index", "channels", "ibm-mq", "--index", idx, "-o", "yaml"}},
		{"index-bundles-table", []string{"index", "bundles", "ibm-mq", "--index", idx}},
		{"index-bundles-json", []string{"index", "bundles", "ibm-mq", "--index", "ibm-operator-catalog=" + idx, "-o", "json"}},
		// Two sources holding the package: a SOURCE column.
		{"index-channels-two-sources", []string{"index", "channels", "ibm-mq", "--index", "a=" + idx, "--index", "b=" + idx}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, append([]string{"-C", t.TempDir()}, tt.args...)...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("want exit 0 and no message, got %s", r)
			}
			checkGolden(t, tt.name, r.stdout)
		})
	}
}

func TestIndexCorpus(t *testing.T) {
	idx := requireGitopsIndex(t)
	r := run(t, "-C", t.TempDir(), "index", "channels", "openshift-gitops-operator", "--index", idx)
	if r.code != 0 {
		t.Fatalf("want exit 0, got %s", r)
	}
	checkGolden(t, "index-channels-gitops", r.stdout)
	r = run(t, "-C", t.TempDir(), "index", "bundles", "openshift-gitops-operator", "--index", idx, "-o", "json")
	if r.code != 0 {
		t.Fatalf("want exit 0, got %s", r)
	}
	var out struct{ Bundles []BundleRow }
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	// The template names its bundles by image only: the CSVs come from the
	// channel entries, with versions read from their names.
	if len(out.Bundles) == 0 || out.Bundles[len(out.Bundles)-1].Name != "openshift-gitops-operator.v1.21.4" {
		t.Fatalf("bundles: %d, last %+v", len(out.Bundles), out.Bundles[len(out.Bundles)-1])
	}
	if b := out.Bundles[len(out.Bundles)-1]; !slices.Equal(b.Channels, []string{"latest", "gitops-1.21"}) || b.InstallModes != nil || b.Version != "1.21.4" {
		t.Errorf("head of latest: %+v", b)
	}
}

func TestIndexErrors(t *testing.T) {
	idx := abs(t, mqIndex)
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no index", []string{"index", "channels", "ibm-mq"}, "needs an operator index"},
		{"unknown package", []string{"index", "bundles", "nope", "--index", idx}, "package nope is not in the indexes given"},
		{"unreadable index", []string{"index", "channels", "ibm-mq", "--index", "/does/not/exist"}, "/does/not/exist"},
		{"bad output", []string{"index", "channels", "ibm-mq", "--index", idx, "-o", "xml"}, `"xml"`},
		{"no package", []string{"index", "channels", "--index", idx}, "accepts 1 arg"},
		{"index over --max-index-size", []string{"index", "channels", "ibm-mq", "--index", idx, "--max-index-size", "100"}, "the index has more than 100 bytes, the index size limit"},
		{"outdated over --max-index-size", []string{"outdated", "--index", idx, "--max-index-size", "100"}, "the index size limit"},
		{"validate over --max-index-size", []string{"validate", "--index", idx, "--max-index-size", "100"}, "the index size limit"},
		{"sync over --max-index-size", []string{"sync", "x", "--index", idx, "--max-index-size", "100"}, "the index size limit"},
		{"add operator over --max-index-size", []string{"add", "operator", "ibm-mq", "--index", idx, "--max-index-size", "100", "--dry-run"}, "the index size limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, append([]string{"-C", t.TempDir()}, tt.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("want exit 2 and %q, got %s", tt.stderr, r)
			}
		})
	}
}

func TestOutdated(t *testing.T) {
	idx := "ibm-operator-catalog=" + abs(t, mqIndex)
	tests := []struct {
		name   string
		args   []string
		code   int
		golden string
		stderr string
	}{
		{"stale table", []string{"outdated", "--index", idx}, 1, "outdated-table", ""},
		{"stale json", []string{"outdated", "--index", idx, "-o", "json"}, 1, "outdated-json", ""},
		{"stale yaml", []string{"outdated", "--index", idx, "-o", "yaml"}, 1, "outdated-yaml", ""},
		// The fixture's source names no index, and no index holds ibm-mq:
		// the operator is not judged, and the output says so.
		{"package in no index", []string{"outdated", "--index", "redhat-operators=" + abs(t, "testdata/index/other.yaml")}, 0, "",
			"not checked, no index given holds their package: mq (package ibm-mq, source ibm-operator-catalog)\nnothing is outdated among the 0 operators checked\n"},
		{"package in no index, json", []string{"outdated", "--index", "redhat-operators=" + abs(t, "testdata/index/other.yaml"), "-o", "json"}, 0, "outdated-unchecked-json", ""},
		// The index of the fixture's source lacks ibm-mq.
		{"package missing", []string{"outdated", "--index", "ibm-operator-catalog=" + abs(t, "testdata/index/other.yaml")}, 1, "outdated-package-missing", ""},
		{"unreadable index", []string{"outdated", "--index", "/does/not/exist"}, 2, "", "/does/not/exist"},
		{"no index", []string{"outdated"}, 2, "", "opcat outdated needs an operator index"},
		{"bad output", []string{"outdated", "--index", idx, "-o", "xml"}, 2, "", `"xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, append([]string{"-C", simple}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("want exit %d, got %s", tt.code, r)
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr lacks %q: %s", tt.stderr, r)
			}
			if tt.golden != "" {
				checkGolden(t, tt.golden, r.stdout)
			}
		})
	}
}

// TestOutdatedUpToDate syncs a copy of the fixture, then finds nothing
// outdated; the indexes come from .opcat.yaml, relative to the root.
func TestOutdatedUpToDate(t *testing.T) {
	dir := copySimple(t)
	b, err := os.ReadFile(mqIndex)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "indexes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "indexes", "ibm-mq.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, lint.ConfigFile), []byte("indexes:\n  - ibm-operator-catalog=indexes/ibm-mq.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "-C", dir, "outdated"); r.code != 1 {
		t.Fatalf("before sync: want exit 1, got %s", r)
	}
	// The new channel v2.1 needs an install mode openshift-operators does
	// not give; --force writes it all the same.
	if r := run(t, "-C", dir, "sync", "mq", "--prune", "--force"); r.code != 0 {
		t.Fatalf("sync: want exit 0, got %s", r)
	}
	r := run(t, "-C", dir, "outdated")
	if r.code != 0 || r.stdout != "" || r.stderr != "nothing is outdated\n" {
		t.Errorf("after sync: want exit 0 and nothing listed, got %s", r)
	}
	r = run(t, "-C", dir, "outdated", "-o", "json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != `{
  "outdated": []
}` {
		t.Errorf("after sync, json: got %s", r)
	}
	if r := run(t, "-C", dir, "-q", "outdated"); r.code != 0 || r.stderr != "" {
		t.Errorf("-q: got %s", r)
	}
}

func TestSync(t *testing.T) {
	idx := "ibm-operator-catalog=" + abs(t, mqIndex)
	dir := copySimple(t)
	before := readFiles(t, dir)

	// --dry-run prints the diff, deletions included, and writes nothing.
	// The catalog it plans is checked: the head of the new channel v2.1
	// does not support AllNamespaces, which openshift-operators needs, so
	// the change is refused with the reason (exit 1).
	r := run(t, "-C", dir, "sync", "mq", "--index", idx, "--prune", "--dry-run")
	if r.code != 1 || !strings.Contains(r.stderr, "[index-installmode-unsupported]") || !strings.Contains(r.stderr, "refusing the change") {
		t.Fatalf("dry run: want exit 1 and the install mode finding, got %s", r)
	}
	checkGolden(t, "sync-dry-run", r.stdout)
	if after := readFiles(t, dir); !mapsEqual(before, after) {
		t.Fatal("--dry-run wrote files")
	}
	r = run(t, "-C", dir, "sync", "mq", "--index", idx)
	if r.code != 1 || !strings.Contains(r.stderr, "[index-installmode-unsupported]") {
		t.Fatalf("sync: want exit 1 and the install mode finding, got %s", r)
	}
	if after := readFiles(t, dir); !mapsEqual(before, after) {
		t.Fatal("a refused sync wrote files")
	}

	// Without --prune the gone channel is only reported.
	r = run(t, "-C", dir, "sync", "mq", "--index", idx, "--force")
	if r.code != 0 {
		t.Fatalf("sync: want exit 0, got %s", r)
	}
	for _, s := range []string{
		"edit   mq/operator/overlays/v1.8/patch-channel.yaml\n",
		"edit   mq/operator/overlays/v2.0/subscription-patch.yaml\n",
		"create mq/operator/overlays/v2.1/kustomization.yaml\n",
		"note: overlay mq/operator/overlays/v1.9 installs channel v1.9, which package ibm-mq no longer has; --prune removes it\n",
	} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q: %s", s, r)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "mq/operator/overlays/v1.9/kustomization.yaml")); err != nil {
		t.Errorf("sync without --prune deleted v1.9: %v", err)
	}
	// The same sync again changes nothing.
	r = run(t, "-C", dir, "sync", "mq", "--index", idx)
	if r.code != 0 || !strings.Contains(r.stderr, "nothing to change\n") {
		t.Errorf("second sync: got %s", r)
	}

	// --prune deletes v1.9 and points the pointer at v2.1, the default channel.
	r = run(t, "-C", dir, "sync", "mq", "--index", idx, "--prune", "--force")
	if r.code != 0 || !strings.Contains(r.stderr, "delete mq/operator/overlays/v1.9/kustomization.yaml\n") {
		t.Fatalf("sync --prune: got %s", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "mq/operator/overlays/v1.9")); !os.IsNotExist(err) {
		t.Errorf("v1.9 is still there: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "mq/operator/overlays/kustomization.yaml")); string(b) != "# the default overlay\nresources:\n  - ./v2.1\n" {
		t.Errorf("pointer:\n%s", b)
	}
	if r := run(t, "-C", dir, "sync", "mq", "--index", idx, "--prune"); r.code != 0 || !strings.Contains(r.stderr, "nothing to change\n") {
		t.Errorf("second sync --prune: got %s", r)
	}
	if r := run(t, "-C", dir, "list"); r.code != 0 || !strings.Contains(r.stdout, "v2.1     v1.8,v2.0,v2.1") {
		t.Errorf("list after sync: %s", r)
	}
}

func TestSyncErrors(t *testing.T) {
	idx := "ibm-operator-catalog=" + abs(t, mqIndex)
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown operator", []string{"sync", "nope", "--index", idx}, `unknown operator "nope"; operators: mq`},
		{"no operator", []string{"sync", "--index", idx}, "requires at least 1 arg"},
		{"no index", []string{"sync", "mq"}, "opcat sync needs an operator index"},
		{"package in no index", []string{"sync", "mq", "--index", "other=" + abs(t, "testdata/index/other.yaml")}, "package ibm-mq of operator mq is in none of the indexes given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copySimple(t)
			before := readFiles(t, dir)
			r := run(t, append([]string{"-C", dir}, tt.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("want exit 2 and %q, got %s", tt.stderr, r)
			}
			if !mapsEqual(before, readFiles(t, dir)) {
				t.Error("a failed sync wrote files")
			}
		})
	}
}

// TestAddOperatorIndexCorpus is the done-when of add operator --index: in a
// fresh catalog, every channel of Red Hat GitOps gets an overlay, every
// kustomization builds, and validation with the index finds nothing at
// warning or above.
func TestAddOperatorIndexCorpus(t *testing.T) {
	idx := requireGitopsIndex(t)
	for _, approval := range []string{"Automatic", "Manual"} {
		t.Run(approval, func(t *testing.T) {
			dir := t.TempDir()
			if r := run(t, "-C", dir, "init"); r.code != 0 {
				t.Fatalf("init: %s", r)
			}
			r := run(t, "-C", dir, "add", "operator", "openshift-gitops-operator", "--index", "redhat-operators="+idx, "--approval", approval)
			if r.code != 0 {
				t.Fatalf("add operator: %s", r)
			}
			c, err := catalog.Load(context.Background(), dir, catalog.Options{})
			if err != nil {
				t.Fatal(err)
			}
			op := c.Operator("openshift-gitops-operator")
			if op == nil {
				t.Fatal("no operator")
			}
			var names []string
			for _, ov := range op.Overlays {
				names = append(names, ov.Name)
				if ov.Subscription.Channel.Value != ov.Name || ov.Subscription.Source.Value != "redhat-operators" {
					t.Errorf("overlay %s: channel %s, source %s", ov.Name, ov.Subscription.Channel.Value, ov.Subscription.Source.Value)
				}
				pinned := ov.Subscription.StartingCSV.Value != ""
				if pinned != (approval == "Manual") {
					t.Errorf("overlay %s pins %q with %s approval", ov.Name, ov.Subscription.StartingCSV.Value, approval)
				}
			}
			if len(names) != 17 || op.DefaultOverlay != "latest" {
				t.Errorf("overlays %v (%d), default %q; want 17, default latest", names, len(names), op.DefaultOverlay)
			}
			for _, d := range c.Dirs() {
				if e := c.Kustomizations[d].Result.Err; e != nil {
					t.Errorf("%s does not build: %v", d, e)
				}
			}
			set := index.Set{}
			loaded, err := index.Load(context.Background(), idx, index.Options{Source: "redhat-operators"})
			if err != nil {
				t.Fatal(err)
			}
			set.Add(loaded)
			findings, err := lint.Run(context.Background(), c, lint.Config{}, lint.Options{Index: set})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				if f.Severity >= diag.Warning {
					t.Errorf("%s:%d:%d: %s: %s [%s]", f.Path, f.Line, f.Column, f.Severity, f.Message, f.Rule)
				}
			}
			if items := catalog.Outdated(c, set); len(items) != 0 {
				t.Errorf("outdated right after add: %+v", items)
			}
			// The same command again changes nothing.
			r = run(t, "-C", dir, "add", "operator", "openshift-gitops-operator", "--index", "redhat-operators="+idx, "--approval", approval)
			if r.code != 0 || !strings.Contains(r.stderr, "nothing to change") {
				t.Errorf("second add: %s", r)
			}
		})
	}
}

func TestAddWithIndex(t *testing.T) {
	idx := abs(t, mqIndex)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
		check  func(t *testing.T, dir string)
	}{
		{"package absent", []string{"add", "operator", "nope", "--index", idx}, 2, "package nope is not in the index given", nil},
		{"channel absent", []string{"add", "operator", "ibm-mq", "--index", idx, "--namespace", "mq", "--channel", "v3.0"}, 2,
			"channel v3.0 is not in package ibm-mq; it has v1.8, v2.0, v2.1", nil},
		{"global namespace unsupported", []string{"add", "operator", "ibm-mq", "--index", idx}, 2,
			"ibm-mq.v2.1.0 does not support AllNamespaces, which openshift-operators needs; it supports OwnNamespace, SingleNamespace: give --namespace", nil},
		{"own namespace, source from SOURCE", []string{"add", "operator", "ibm-mq", "--index", "ibm-operator-catalog=" + idx, "--namespace", "mq", "--approval", "Manual"}, 0, "",
			func(t *testing.T, dir string) {
				b, _ := os.ReadFile(filepath.Join(dir, "ibm-mq/operator/base/subscription.yaml"))
				if !strings.Contains(string(b), "source: ibm-operator-catalog\n") || !strings.Contains(string(b), "channel: v2.1\n") {
					t.Errorf("subscription:\n%s", b)
				}
				b, _ = os.ReadFile(filepath.Join(dir, "ibm-mq/operator/base/operator-group.yaml"))
				if !strings.HasSuffix(string(b), "targetNamespaces:\n    - mq\n") {
					t.Errorf("operator group:\n%s", b)
				}
				b, _ = os.ReadFile(filepath.Join(dir, "ibm-mq/operator/overlays/v2.1/patch-channel.yaml"))
				if !strings.Contains(string(b), "value: ibm-mq.v2.1.0\n") {
					t.Errorf("v2.1 does not pin its head:\n%s", b)
				}
				// The deprecated channel v1.8 gets no overlay unless asked for.
				if _, err := os.Stat(filepath.Join(dir, "ibm-mq/operator/overlays/v1.8")); err == nil {
					t.Errorf("an overlay was added for the deprecated channel v1.8")
				}
				// add overlay --index pins the head too (Manual approval) …
				if r := run(t, "-C", dir, "add", "overlay", "ibm-mq", "v2.0", "--index", "ibm-operator-catalog="+idx, "--force"); r.code != 0 {
					t.Errorf("add overlay: %s", r)
				}
				// … and refuses a channel the package lacks.
				r := run(t, "-C", dir, "add", "overlay", "ibm-mq", "v3.0", "--index", "ibm-operator-catalog="+idx)
				if r.code != 2 || !strings.Contains(r.stderr, "channel v3.0 is not in package ibm-mq; it has v1.8, v2.0, v2.1") {
					t.Errorf("add overlay v3.0: %s", r)
				}
			}},
		{"--source wins over SOURCE", []string{"add", "operator", "ibm-mq", "--index", "other=" + idx, "--namespace", "mq", "--source", "mine", "--channel", "v2.0"}, 0, "",
			func(t *testing.T, dir string) {
				b, _ := os.ReadFile(filepath.Join(dir, "ibm-mq/operator/base/subscription.yaml"))
				if !strings.Contains(string(b), "source: mine\n") || !strings.Contains(string(b), "channel: v2.0\n") {
					t.Errorf("subscription:\n%s", b)
				}
				entries, _ := os.ReadDir(filepath.Join(dir, "ibm-mq/operator/overlays"))
				if len(entries) != 2 { // kustomization.yaml and v2.0
					t.Errorf("overlays: %v", entries)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := run(t, append([]string{"-C", dir}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Fatalf("want exit %d and %q, got %s", tt.code, tt.stderr, r)
			}
			if tt.code != 0 {
				if files := readFiles(t, dir); len(files) != 0 {
					t.Errorf("files written: %v", files)
				}
			}
			if tt.check != nil {
				tt.check(t, dir)
			}
		})
	}
	// add overlay on the fixture: the channel must be in the index.
	dir := copySimple(t)
	// v2.1's head does not support AllNamespaces, which the operator's
	// namespace openshift-operators needs: refused with the reason.
	if r := run(t, "-C", dir, "add", "overlay", "mq", "v2.1", "--index", "ibm-operator-catalog="+idx); r.code != 1 ||
		!strings.Contains(r.stderr, "ibm-mq.v2.1.0 does not support (it supports OwnNamespace, SingleNamespace) [index-installmode-unsupported]") {
		t.Errorf("add overlay v2.1: want exit 1 and the reason, got %s", r)
	}
	if r := run(t, "-C", dir, "add", "overlay", "mq", "v2.1", "--index", "ibm-operator-catalog="+idx, "--force"); r.code != 0 {
		t.Errorf("add overlay v2.1 --force: %s", r)
	}
	if r := run(t, "-C", dir, "add", "overlay", "mq", "v2.0", "--index", "ibm-operator-catalog="+idx, "--csv", "ibm-mq.v1.8.0", "--force"); r.code != 2 ||
		!strings.Contains(r.stderr, "CSV ibm-mq.v1.8.0 is not in channel v2.0 of ibm-mq; its head is ibm-mq.v2.0.2") {
		t.Errorf("add overlay with a CSV outside the channel: %s", r)
	}
}

// readFiles returns every file under root by slash path.
func readFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestReadmeIndexExamples runs the console examples of the README's
// operator index section that use the repository's fixtures and compares
// what they print.
func TestReadmeIndexExamples(t *testing.T) {
	const repo = "../../../../"
	readme, err := os.ReadFile(repo + "README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "### Operator indexes")
	if start < 0 {
		t.Fatal("README has no operator index section")
	}
	text = text[start:]
	if end := strings.Index(text, "\n## "); end >= 0 {
		text = text[:end]
	}
	ran := 0
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		cmd, ok := strings.CutPrefix(lines[i], "$ opcat ")
		if !ok {
			continue
		}
		var want strings.Builder
		for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "$ ") && !strings.HasPrefix(lines[i+1], "```") {
			i++
			want.WriteString(lines[i] + "\n")
		}
		args := strings.Fields(cmd)
		usesFixtures := true
		// -C is relative to the repository's top; the other paths to -C.
		dir := "."
		for j, a := range args {
			if j > 0 && args[j-1] == "-C" {
				dir = a
				if _, err := os.Stat(repo + a); err != nil {
					usesFixtures = false // an illustration, not a fixture
				}
				args[j] = repo + a
			}
		}
		for j, a := range args {
			_, p, hasSource := strings.Cut(a, "=")
			if !hasSource {
				p = a
			}
			if !strings.Contains(p, "/") || (j > 0 && args[j-1] == "-C") {
				continue
			}
			if _, err := os.Stat(filepath.Join(repo, dir, p)); err != nil {
				usesFixtures = false // an illustration, not a fixture
				break
			}
			if dir == "." {
				args[j] = strings.TrimSuffix(a, p) + repo + p
			}
		}
		if !usesFixtures {
			continue
		}
		ran++
		r := run(t, args...)
		if r.stdout != want.String() {
			t.Errorf("README example `opcat %s` prints:\n%s\nthe README says:\n%s", cmd, r.stdout, want.String())
		}
	}
	if ran < 3 {
		t.Errorf("ran %d README examples, want the index channels, index bundles and outdated ones", ran)
	}
}
