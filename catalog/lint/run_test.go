package lint

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// Findings of the run fixture, as path:line:col [rule].
const (
	atAmbiguous = "mq/operator/overlays/v1.9/kustomization.yaml:4:5 [patch-target-ambiguous]"
	atReadme    = "mq/README.md:3:1 [catalog-readme-stale]"
	atCSV       = "es/base/subscription.yaml:12:16 [subscription-csv-format]"
	atRemote    = "remote/kustomization.yaml:2:5 [kustomize-remote-unpinned]"
)

// runFixture is the clean catalog plus a second operator, es, and a folder
// that belongs to no operator, with four findings: two in mq (in the
// overlay and in its README), one in es and one in the other folder. The
// mq base also holds a Knative Subscription of the same name, so a target
// without a group is really ambiguous there.
func runFixture() map[string]string {
	return with(map[string]string{
		"mq/operator/base/kustomization.yaml": "resources:\n  - subscription.yaml\n  - knative.yaml\n",
		"mq/operator/base/knative.yaml": "apiVersion: messaging.knative.dev/v1\nkind: Subscription\nmetadata:\n  name: ibm-mq\n  namespace: events\n" +
			"spec:\n  channel: v1.8\n  startingCSV: none\n",
		"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization("      kind: Subscription\n      name: ibm-mq\n"),
		"mq/README.md":               "# mq\n\n" + ReadmeStart + "\n- `v1.8`\n" + ReadmeEnd + "\n",
		"es/base/kustomization.yaml": "resources:\n  - subscription.yaml\n",
		// A malformed startingCSV: subscription-csv-format, an error.
		"es/base/subscription.yaml": strings.Replace(strings.ReplaceAll(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "ibm-mq", "ibm-eventstreams"),
			"startingCSV: ibm-eventstreams.v1.8.0", "startingCSV: ibm-eventstreams-1.8", 1),
		"remote/kustomization.yaml": "resources:\n  - github.com/org/repo//deploy?ref=main\n",
	})
}

func fixtureCatalog(t *testing.T, files map[string]string) *catalog.Catalog {
	t.Helper()
	return catalog.FromTree(kustomize.NewTreeFromMap(files), catalog.Options{})
}

func runCatalog(t *testing.T, c *catalog.Catalog, cfg Config, opts Options) diag.Findings {
	t.Helper()
	f, err := Run(context.Background(), c, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// where lists the findings as path:line:col [rule].
func where(f diag.Findings) []string {
	out := []string{}
	for _, x := range f {
		out = append(out, x.Path+":"+itoa(x.Line)+":"+itoa(x.Column)+" ["+x.Rule+"]")
	}
	return out
}

func TestRunFixture(t *testing.T) {
	got := where(runCatalog(t, fixtureCatalog(t, runFixture()), Config{}, Options{}))
	want := []string{atCSV, atReadme, atAmbiguous, atRemote}
	if !slices.Equal(got, want) {
		t.Fatalf("the run fixture's findings changed:\n got %v\nwant %v", got, want)
	}
}

func TestRunConfig(t *testing.T) {
	c := fixtureCatalog(t, runFixture())
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"zero", Config{}, []string{atCSV, atReadme, atAmbiguous, atRemote}},
		{"off", Config{Off: map[ID]bool{"patch-target-ambiguous": true}}, []string{atCSV, atReadme, atRemote}},
		{"two off", Config{Off: map[ID]bool{"patch-target-ambiguous": true, "subscription-csv-format": true}}, []string{atReadme, atRemote}},
		{"off false", Config{Off: map[ID]bool{"patch-target-ambiguous": false}}, []string{atCSV, atReadme, atAmbiguous, atRemote}},
		{"ignore folder glob", Config{Ignore: []string{"remote/**"}}, []string{atCSV, atReadme, atAmbiguous}},
		{"ignore any-depth glob", Config{Ignore: []string{"**/overlays/**"}}, []string{atCSV, atReadme, atRemote}},
		{"ignore folder", Config{Ignore: []string{"mq"}}, []string{atCSV, atRemote}},
		{"ignore file glob", Config{Ignore: []string{"**/*.md"}}, []string{atCSV, atAmbiguous, atRemote}},
		{"ignore nothing matching", Config{Ignore: []string{"legacy/**"}}, []string{atCSV, atReadme, atAmbiguous, atRemote}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := where(runCatalog(t, c, tt.cfg, Options{}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestRunSeverity(t *testing.T) {
	c := fixtureCatalog(t, runFixture())
	cfg := Config{Severity: map[ID]diag.Severity{
		"patch-target-ambiguous":  diag.Error,
		"subscription-csv-format": diag.Info,
	}}
	f := runCatalog(t, c, cfg, Options{})
	want := map[ID]diag.Severity{
		"patch-target-ambiguous":    diag.Error,
		"subscription-csv-format":   diag.Info,
		"catalog-readme-stale":      diag.Warning, // the default, unchanged
		"kustomize-remote-unpinned": diag.Warning,
	}
	if len(f) != len(want) {
		t.Fatalf("got %v", where(f))
	}
	for _, x := range f {
		if x.Severity != want[ID(x.Rule)] {
			t.Errorf("%s: severity %v, want %v", x.Rule, x.Severity, want[ID(x.Rule)])
		}
	}
	if e, w, i := f.Count(); e != 1 || w != 2 || i != 1 {
		t.Errorf("count %d errors, %d warnings, %d infos; want 1, 2, 1", e, w, i)
	}
	// The rule itself keeps its default.
	if r, _ := Lookup("patch-target-ambiguous"); r.Severity != diag.Warning {
		t.Errorf("Config.Severity changed the rule's default to %v", r.Severity)
	}
}

// TestRunIgnoreComment checks that an opcat:ignore comment suppresses the
// finding of the rule it names at the line below or on its own line, and
// nothing else.
func TestRunIgnoreComment(t *testing.T) {
	const target = "    target:\n      kind: Subscription\n      name: ibm-mq\n"
	tests := []struct {
		name          string
		kustomization string
		want          []string
	}{
		{
			name:          "no comment",
			kustomization: "resources:\n  - ../../base\npatches:\n  - path: patch-channel.yaml\n" + target,
			want:          []string{atCSV, atReadme, atAmbiguous, atRemote},
		},
		{
			name:          "line above",
			kustomization: "resources:\n  - ../../base\npatches:\n  # opcat:ignore patch-target-ambiguous Knative is not installed\n  - path: patch-channel.yaml\n" + target,
			want:          []string{atCSV, atReadme, atRemote},
		},
		{
			name:          "same line",
			kustomization: "resources:\n  - ../../base\npatches:\n  - path: patch-channel.yaml # opcat:ignore patch-target-ambiguous Knative is not installed\n" + target,
			want:          []string{atCSV, atReadme, atRemote},
		},
		{
			name:          "other rule named",
			kustomization: "resources:\n  - ../../base\npatches:\n  # opcat:ignore patch-path-missing reviewed\n  - path: patch-channel.yaml\n" + target,
			want:          []string{atCSV, atReadme, strings.Replace(atAmbiguous, ":4:5", ":5:5", 1), atRemote},
		},
		{
			name:          "two lines above",
			kustomization: "resources:\n  - ../../base\n# opcat:ignore patch-target-ambiguous reviewed\npatches:\n  - path: patch-channel.yaml\n" + target,
			want:          []string{atCSV, atReadme, strings.Replace(atAmbiguous, ":4:5", ":5:5", 1), atRemote},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := runFixture()
			files["mq/operator/overlays/v1.9/kustomization.yaml"] = tt.kustomization
			// A comment in one file suppresses nothing in another: the
			// README's finding is of another rule, so this also shows the
			// comment is not catalog-wide.
			got := where(runCatalog(t, fixtureCatalog(t, files), Config{}, Options{}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestRunIgnoreCommentOneOfTwo suppresses one of two findings of the same
// rule: only the one the comment stands at goes.
func TestRunIgnoreCommentOneOfTwo(t *testing.T) {
	files := runFixture()
	files["mq/operator/overlays/v1.9/kustomization.yaml"] = "resources:\n  - ../../base\npatches:\n" +
		"  # opcat:ignore patch-target-ambiguous reviewed\n" +
		"  - path: patch-channel.yaml\n    target:\n      kind: Subscription\n      name: ibm-mq\n" +
		"  - target:\n      kind: Subscription\n      name: ibm-mq\n    patch: |-\n      - op: add\n        path: /spec/config\n        value: {}\n"
	got := where(runCatalog(t, fixtureCatalog(t, files), Config{}, Options{}))
	want := []string{atCSV, atReadme, "mq/operator/overlays/v1.9/kustomization.yaml:9:5 [patch-target-ambiguous]", atRemote}
	if !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestRunPaths(t *testing.T) {
	c := fixtureCatalog(t, runFixture())
	tests := []struct {
		name                     string
		paths                    []string
		want                     []string
		operators, kustomization int
	}{
		{"all", nil, []string{atCSV, atReadme, atAmbiguous, atRemote}, 2, 5},
		{"root", []string{"."}, []string{atCSV, atReadme, atAmbiguous, atRemote}, 2, 5},
		// A path inside an operator selects the whole operator.
		{"inside mq", []string{"mq/operator/overlays/v1.9"}, []string{atReadme, atAmbiguous}, 1, 3},
		{"file inside mq", []string{"mq/operator/base/subscription.yaml"}, []string{atReadme, atAmbiguous}, 1, 3},
		{"mq", []string{"mq"}, []string{atReadme, atAmbiguous}, 1, 3},
		{"mq with slashes", []string{"./mq/"}, []string{atReadme, atAmbiguous}, 1, 3},
		{"es", []string{"es"}, []string{atCSV}, 1, 1},
		{"mq and es", []string{"es/base", "mq"}, []string{atCSV, atReadme, atAmbiguous}, 2, 4},
		{"no operator", []string{"remote"}, []string{atRemote}, 0, 1},
		{"nothing there", []string{"elsewhere"}, []string{}, 0, 0},
		{"prefix of a folder", []string{"m"}, []string{}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Paths: tt.paths}
			f := runCatalog(t, c, Config{}, opts)
			if got := where(f); !slices.Equal(got, tt.want) {
				t.Errorf("findings %v\nwant %v", got, tt.want)
			}
			s := Summary(c, f, opts)
			e, w, i := f.Count()
			want := diag.Summary{Errors: e, Warnings: w, Infos: i, Operators: tt.operators, Kustomizations: tt.kustomization}
			if s != want {
				t.Errorf("summary %+v, want %+v", s, want)
			}
		})
	}
}

func TestRunSortedAndDeterministic(t *testing.T) {
	files := runFixture()
	// More findings, in several files and at several lines of one file.
	files["mq/operator/overlays/kustomization.yaml"] = "bases:\n  - ./v1.9\n"
	files["mq/operator/overlays/v1.9/patch-channel.yaml"] = overlayPatch("v2.0", "ibm-mq.v1.8.0")
	first := runCatalog(t, fixtureCatalog(t, files), Config{}, Options{})
	if len(first) < 6 {
		t.Fatalf("want a fixture with many findings, got %v", where(first))
	}
	less := func(a, b diag.Finding) int {
		switch {
		case a.Path != b.Path:
			return strings.Compare(a.Path, b.Path)
		case a.Line != b.Line:
			return a.Line - b.Line
		case a.Column != b.Column:
			return a.Column - b.Column
		case a.Rule != b.Rule:
			return strings.Compare(a.Rule, b.Rule)
		}
		return strings.Compare(a.Message, b.Message)
	}
	if !slices.IsSortedFunc(first, less) {
		t.Errorf("findings are not sorted by path, line, column, rule:\n%s", describe(first))
	}
	for i := range 3 {
		// A fresh load each time: map order and parallel builds differ.
		again := runCatalog(t, fixtureCatalog(t, files), Config{}, Options{})
		if !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d differs:\n%s\nfirst:\n%s", i+2, describe(again), describe(first))
		}
	}
	// The same catalog checked twice gives the same findings too.
	c := fixtureCatalog(t, files)
	if a, b := runCatalog(t, c, Config{}, Options{}), runCatalog(t, c, Config{}, Options{}); !reflect.DeepEqual(a, b) {
		t.Errorf("two runs on one catalog differ:\n%s\n%s", describe(a), describe(b))
	}
}

func TestRunCancelled(t *testing.T) {
	c := fixtureCatalog(t, runFixture())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f, err := Run(ctx, c, Config{}, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v", err)
	}
	if f != nil {
		t.Errorf("a cancelled run returns no findings, got %v", where(f))
	}
}
