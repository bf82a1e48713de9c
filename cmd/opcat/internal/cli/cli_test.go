package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/golden"
)

const (
	// simple is the fixture catalog, relative to this package.
	simple = "../../../../catalog/testdata/simple"
	// corpus is the reference catalog: ../shared/corpus beside the
	// repository root, which is four folders up.
	corpus = "../../../../../shared/corpus/eda-gitops-catalog"
)

// result is what one run of opcat printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// run calls Main as the shell would. Commands share the working folder,
// so these tests do not run in parallel.
func run(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, strings.NewReader(""), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func (r result) String() string {
	return "exit " + itoa(r.code) + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// scrub makes output independent of the build: the version opcat reports
// (in SARIF's tool.driver.version) becomes a placeholder.
func scrub(s string) string {
	return strings.ReplaceAll(s, `"version": "`+version()+`"`, `"version": "(version)"`)
}

// checkGolden compares got with testdata/<name>.golden, or rewrites the
// file with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	got = scrub(got)
	for _, abs := range absolutePaths(t) {
		if strings.Contains(got, abs) {
			t.Errorf("output holds the absolute path %s:\n%s", abs, got)
		}
	}
	golden.Check(t, filepath.Join("testdata", name+".golden"), []byte(got))
}

// absolutePaths are paths no golden output may hold.
func absolutePaths(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, p := range []string{simple, "."} {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, abs)
	}
	return append(out, filepath.Clean(os.TempDir())+string(filepath.Separator))
}

// TestGolden runs whole commands on the fixture catalog and compares what
// they print with the golden files.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"list-table", []string{"-C", simple, "list"}, 0},
		{"list-json", []string{"-C", simple, "list", "-o", "json"}, 0},
		{"list-yaml", []string{"-C", simple, "list", "-o", "yaml"}, 0},
		{"render-overlay", []string{"-C", simple, "render", "mq/v1.8"}, 0},
		{"render-default", []string{"-C", simple, "render", "mq"}, 0},
		{"render-path", []string{"-C", simple, "render", "mq/operator/overlays/v2.0"}, 0},
		{"render-overlay", []string{"-C", simple, "render", "./mq/v1.8"}, 0},
		{"render-default", []string{"-C", simple, "render", "mq/"}, 0},
		{"render-default", []string{"-C", simple, "render", "mq/operator/overlays"}, 0},
		// The fixture has warnings and an info finding, no error.
		{"validate-text", []string{"-C", simple, "validate"}, 0},
		{"validate-json", []string{"-C", simple, "validate", "--format", "json"}, 0},
		// Paths relative to the catalog, whatever repository holds the
		// checkout (TestPathPrefix covers the prefix).
		{"validate-sarif", []string{"-C", simple, "validate", "--format", "sarif", "--path-prefix", "."}, 0},
		{"validate-github", []string{"-C", simple, "validate", "--format", "github", "--path-prefix", "."}, 0},
		{"validate-junit", []string{"-C", simple, "validate", "--format", "junit"}, 0},
		{"validate-text", []string{"-C", simple, "validate", "--format", "text"}, 0},
		{"validate-strict", []string{"-C", simple, "validate", "--strict"}, 1},
		{"validate-text", []string{"-C", simple, "validate", "--jobs", "1", "--no-color"}, 0},
		// mq's findings only: components/approval is outside the scope.
		{"validate-scope-mq", []string{"-C", simple, "validate", "mq"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.args...)
			if r.code != tt.code {
				t.Fatalf("want exit %d, got %s", tt.code, r)
			}
			if r.stderr != "" {
				t.Errorf("stderr is not empty: %s", r.stderr)
			}
			name := tt.name
			if name == "validate-strict" {
				// --strict changes the exit code, not the output.
				name = "validate-text"
			}
			checkGolden(t, name, r.stdout)
		})
	}
}

// TestValidateFormatsParse checks that the machine formats are what they
// say they are.
func TestValidateFormatsParse(t *testing.T) {
	r := run(t, "-C", simple, "validate", "--format", "json")
	var report struct {
		Findings []struct{ Rule, Severity, Path string }
		Summary  struct{ Errors, Warnings, Infos, Operators, Kustomizations int }
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	s := report.Summary
	if s.Errors != 0 || s.Warnings != 1 || s.Infos != 1 || s.Operators != 1 || s.Kustomizations != 7 {
		t.Errorf("summary %+v, want 0 errors, 1 warning, 1 info, 1 operator, 7 kustomizations", s)
	}

	r = run(t, "-C", simple, "validate", "--format", "sarif")
	var sarif struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct{ RuleID string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &sarif); err != nil {
		t.Fatalf("sarif: %v", err)
	}
	if sarif.Version != "2.1.0" || len(sarif.Runs) != 1 {
		t.Fatalf("sarif version %q with %d runs, want 2.1.0 with 1", sarif.Version, len(sarif.Runs))
	}
	var ids []string
	for _, rule := range sarif.Runs[0].Tool.Driver.Rules {
		ids = append(ids, rule.ID)
	}
	var want []string
	for _, rule := range lint.Rules() {
		want = append(want, string(rule.ID))
	}
	if !slices.Equal(ids, want) {
		t.Errorf("sarif rules %v, want every rule %v", ids, want)
	}
	if n := len(sarif.Runs[0].Results); n != 2 {
		t.Errorf("sarif has %d results, want 2", n)
	}
}

// TestExitCodes runs commands that fail and checks the exit code and what
// stderr says.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr []string // substrings of stderr
	}{
		{"render unknown operator", []string{"-C", simple, "render", "nope"}, 2,
			[]string{"nope is neither a kustomization folder nor an operator", "operators: mq"}},
		{"render unknown overlay", []string{"-C", simple, "render", "mq/v9"}, 2,
			[]string{`operator mq has no overlay "v9"`, "v1.8, v1.9, v2.0"}},
		{"render no argument", []string{"-C", simple, "render"}, 2, []string{"accepts 1 arg"}},
		{"validate strict", []string{"-C", simple, "validate", "--strict"}, 1, nil},
		{"validate bad format", []string{"-C", simple, "validate", "--format", "bogus"}, 2,
			[]string{`"bogus"`, "text, json, sarif, github, junit"}},
		{"validate missing path", []string{"-C", simple, "validate", "nonexistent/path"}, 2,
			[]string{"nonexistent/path"}},
		{"validate missing config", []string{"-C", simple, "validate", "--config", "does-not-exist.yaml"}, 2,
			[]string{"does-not-exist.yaml"}},
		{"validate path outside the root", []string{"-C", simple, "validate", "../other"}, 2, []string{"outside the catalog root"}},
		{"fix path outside the root", []string{"-C", simple, "fix", "../other"}, 2, []string{"outside the catalog root"}},
		{"fix path that does not exist", []string{"-C", simple, "fix", "nope"}, 2, []string{"no such file or folder"}},
		{"validate unreadable index", []string{"-C", simple, "validate", "--index", "x"}, 2, []string{"unable to read index " + filepath.Join(simple, "x")}},
		{"list bad output", []string{"-C", simple, "list", "-o", "xml"}, 2, []string{`"xml"`}},
		{"list argument", []string{"-C", simple, "list", "extra"}, 2, []string{"extra"}},
		{"completion unknown shell", []string{"completion", "nope"}, 2, []string{`"nope"`}},
		{"completion no shell", []string{"completion"}, 2, nil},
		{"unknown flag", []string{"--bogus", "list"}, 2, []string{"unknown flag: --bogus"}},
		{"unknown command flag", []string{"-C", simple, "validate", "--bogus"}, 2, []string{"unknown flag: --bogus"}},
		{"unknown command", []string{"bogus"}, 2, []string{`unknown command "bogus"`}},
		{"missing root", []string{"-C", "/does/not/exist", "list"}, 2, []string{"/does/not/exist"}},
		{"missing root validate", []string{"-C", "/does/not/exist", "validate"}, 2, []string{"/does/not/exist"}},
		{"missing root render", []string{"-C", "/does/not/exist", "render", "mq"}, 2, []string{"/does/not/exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.args...)
			if r.code != tt.code {
				t.Fatalf("want exit %d, got %s", tt.code, r)
			}
			if tt.code == 2 && !strings.HasPrefix(r.stderr, "opcat: ") {
				t.Errorf("stderr does not say what is wrong: %s", r)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr does not contain %q: %s", s, r)
				}
			}
		})
	}
}

// writeCatalog writes files (slash paths) below a new temporary folder.
func writeCatalog(t *testing.T, files map[string]string) string {
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

func TestRenderFailure(t *testing.T) {
	dir := writeCatalog(t, map[string]string{
		"broken/kustomization.yaml": "resources:\n  - missing.yaml\n",
	})
	r := run(t, "-C", dir, "render", "broken")
	if r.code != 1 {
		t.Fatalf("want exit 1, got %s", r)
	}
	if r.stdout != "" {
		t.Errorf("a failed render prints nothing on stdout, got %q", r.stdout)
	}
	for _, s := range []string{"broken/kustomization.yaml:2:5", "missing.yaml", "[kustomize-missing-path]"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr does not contain %q: %s", s, r)
		}
	}
}

// TestRenderNestedOperator renders an operator whose folder lies inside
// another operator's folder, by its path as list prints it.
func TestRenderNestedOperator(t *testing.T) {
	sub := func(name, ns string) string {
		return "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: " + name +
			"\n  namespace: " + ns + "\nspec:\n  channel: v1\n  name: " + name + "\n  source: s\n  sourceNamespace: m\n"
	}
	overlay := func(channel string) string {
		return "resources:\n  - ../../base\npatches:\n  - target:\n      group: operators.coreos.com\n      kind: Subscription\n    patch: |-\n" +
			"      - op: replace\n        path: /spec/channel\n        value: " + channel + "\n"
	}
	dir := writeCatalog(t, map[string]string{
		// top is an operator: its kustomization lists a Subscription.
		"top/kustomization.yaml":                         "resources:\n  - subscription.yaml\n",
		"top/subscription.yaml":                          sub("top", "openshift-operators"),
		"top/es/operator/base/kustomization.yaml":        "resources:\n  - subscription.yaml\n",
		"top/es/operator/base/subscription.yaml":         sub("es", "openshift-operators"),
		"top/es/operator/overlays/kustomization.yaml":    "resources:\n  - v3\n",
		"top/es/operator/overlays/v2/kustomization.yaml": overlay("v2"),
		"top/es/operator/overlays/v3/kustomization.yaml": overlay("v3"),
	})
	r := run(t, "-C", dir, "list")
	if r.code != 0 || !regexp.MustCompile(`(?m)^top/es +es `).MatchString(r.stdout) {
		t.Fatalf("list does not show top/es: %s", r)
	}
	tests := []struct{ target, channel string }{
		{"top/es", "v3"},
		{"top/es/", "v3"},
		{"top/es/v2", "v2"},
		{"top/es/v3", "v3"},
		{"es", "v3"},
		{"es/v2", "v2"},
		{"top/es/operator/overlays/v2", "v2"},
	}
	for _, tt := range tests {
		r := run(t, "-C", dir, "render", tt.target)
		if r.code != 0 || !strings.Contains(r.stdout, "name: es\n") || !strings.Contains(r.stdout, "channel: "+tt.channel+"\n") {
			t.Errorf("render %s: want es on channel %s, got %s", tt.target, tt.channel, r)
		}
	}
	if r := run(t, "-C", dir, "render", "top/es/v9"); r.code != 2 || !strings.Contains(r.stderr, `operator top/es has no overlay "v9"; it has v2, v3`) {
		t.Errorf("render top/es/v9: want exit 2 naming es's overlays, got %s", r)
	}
}

// copySimple copies the fixture catalog to a temporary folder.
func copySimple(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(simple)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestValidateConfig(t *testing.T) {
	tests := []struct {
		name       string
		config     string
		code       int
		stdout     []string // substrings of stdout
		notStdout  []string
		stderr     []string // substrings of stderr; "FILE" is the config file
		configFlag bool     // pass the file with --config instead of the default name
	}{
		{
			name:      "rule off",
			config:    "rules:\n  patch-target-ambiguous: off\n",
			stdout:    []string{"[operatorgroup-missing]", "0 errors, 1 warning"},
			notStdout: []string{"[patch-target-ambiguous]"},
		},
		{
			name:   "rule raised to error",
			config: "rules:\n  operatorgroup-missing: error\n",
			code:   1,
			stdout: []string{"mq/operator/overlays/v1.9/kustomization.yaml:3:12: error: ", "1 error"},
		},
		{
			name:      "ignore",
			config:    "ignore:\n  - mq/operator/overlays/v1.8/**\n",
			stdout:    []string{"mq/operator/overlays/v1.9/kustomization.yaml:3:12"},
			notStdout: []string{"mq/operator/overlays/v1.8"},
		},
		{
			name:       "rule off with --config",
			config:     "rules:\n  subscription-startingcsv-automatic: off\n",
			configFlag: true,
			notStdout:  []string{"[subscription-startingcsv-automatic]"},
		},
		{
			name:   "unknown rule",
			config: "rules:\n  no-such-rule: off\n",
			code:   2,
			stderr: []string{"FILE:2:3", `unknown rule "no-such-rule"`, "patch-target-ambiguous"},
		},
		{
			name:   "unknown key",
			config: "rulez:\n  patch-target-ambiguous: off\n",
			code:   2,
			stderr: []string{"FILE:1:1", `unknown key "rulez"`},
		},
		{
			name:   "bad severity",
			config: "rules:\n  patch-target-ambiguous: fatal\n",
			code:   2,
			stderr: []string{"FILE:2:27", `"fatal"`},
		},
		{
			name:   "not yaml",
			config: "rules: [\n",
			code:   2,
			stderr: []string{"FILE:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copySimple(t)
			name := lint.ConfigFile
			if tt.configFlag {
				name = "elsewhere.yaml"
			}
			file := filepath.Join(dir, name)
			if err := os.WriteFile(file, []byte(tt.config), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"-C", dir, "validate"}
			if tt.configFlag {
				args = append(args, "--config", file)
			}
			r := run(t, args...)
			if r.code != tt.code {
				t.Fatalf("want exit %d, got %s", tt.code, r)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout does not contain %q: %s", s, r)
				}
			}
			for _, s := range tt.notStdout {
				if strings.Contains(r.stdout, s) {
					t.Errorf("stdout contains %q: %s", s, r)
				}
			}
			for _, s := range tt.stderr {
				s = strings.ReplaceAll(s, "FILE", file)
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr does not contain %q: %s", s, r)
				}
			}
		})
	}
}

func TestValidateHelpListsRules(t *testing.T) {
	r := run(t, "validate", "--help")
	if r.code != 0 {
		t.Fatalf("want exit 0, got %s", r)
	}
	for _, rule := range lint.Rules() {
		re := regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(rule.Severity.String()) + `\s+` + regexp.QuoteMeta(string(rule.ID)) + `\s`)
		if !re.MatchString(r.stdout) {
			t.Errorf("validate --help does not list %s with severity %s:\n%s", rule.ID, rule.Severity, r.stdout)
		}
	}
}

func TestVersion(t *testing.T) {
	r := run(t, "version")
	if r.code != 0 {
		t.Fatalf("want exit 0, got %s", r)
	}
	if !regexp.MustCompile(`^opcat \S+ `).MatchString(r.stdout) {
		t.Errorf("version prints %q, want opcat VERSION ...", r.stdout)
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := run(t, "completion", shell)
		if r.code != 0 || len(r.stdout) == 0 {
			t.Errorf("completion %s: want a script and exit 0, got exit %d and %d bytes", shell, r.code, len(r.stdout))
		}
	}
	if r := run(t, "completion", "bash"); !strings.Contains(r.stdout, "opcat") {
		t.Errorf("the bash script does not name opcat")
	}
}

func requireCorpus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", corpus, err)
	}
}

func TestCorpusList(t *testing.T) {
	requireCorpus(t)
	r := run(t, "-C", corpus, "list", "-o", "json")
	if r.code != 0 {
		t.Fatalf("want exit 0, got %s", r)
	}
	var l catalog.Listing
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil {
		t.Fatal(err)
	}
	// Every folder of the corpus whose kustomization lists a Subscription.
	// postgresql is not among them: its base folder has no kustomization.
	want := []string{
		"amq-streams-operator",
		"apicurio",
		"cp4i-operators",
		"cp4i-operators/apic-connect",
		"cp4i-operators/asset-repository",
		"cp4i-operators/common-service",
		"cp4i-operators/event-streams",
		"cp4i-operators/mq",
		"cp4i-operators/operation-dashboard",
		"cp4i-operators/platform-navigator",
		"elastic-search-operator",
		"grafana-operator",
		"kafka-strimzi",
		"openshift-gitops",
		"openshift-pipelines",
	}
	var got []string
	var es *catalog.OperatorSummary
	for i, op := range l.Operators {
		got = append(got, op.Path)
		if op.Path == "cp4i-operators/event-streams" {
			es = &l.Operators[i]
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("operators:\n got %v\nwant %v", got, want)
	}
	if es == nil {
		t.Fatal("Event Streams (cp4i-operators/event-streams) is not listed")
	}
	if es.Name != "event-streams" || es.Package != "ibm-eventstreams" || es.Namespace != "openshift-operators" ||
		es.Source != "ibm-operator-catalog" || es.SourceNamespace != "openshift-marketplace" || es.DefaultOverlay != "v3.0" {
		t.Errorf("event-streams: %+v", *es)
	}
	wantOverlays := []catalog.OverlaySummary{
		{Name: "v2.3", Path: "cp4i-operators/event-streams/operator/overlays/v2.3", Channel: "v2.3", StartingCSV: "ibm-eventstreams.v2.3.1"},
		{Name: "v2.4", Path: "cp4i-operators/event-streams/operator/overlays/v2.4", Channel: "v2.4", StartingCSV: "ibm-eventstreams.v2.4.0"},
		{Name: "v2.5", Path: "cp4i-operators/event-streams/operator/overlays/v2.5", Channel: "v2.5", StartingCSV: "ibm-eventstreams.v2.5.1"},
		{Name: "v3.0", Path: "cp4i-operators/event-streams/operator/overlays/v3.0", Channel: "v3.0", StartingCSV: "ibm-eventstreams.v3.0.0"},
	}
	if !slices.Equal(es.Overlays, wantOverlays) {
		t.Errorf("event-streams overlays:\n got %+v\nwant %+v", es.Overlays, wantOverlays)
	}

	// Each overlay renders by the operator's path, as list prints it, and
	// by its name; the path alone renders the default overlay.
	for _, target := range []struct{ target, channel string }{
		{"cp4i-operators/event-streams", "v3.0"},
		{"event-streams", "v3.0"},
		{"cp4i-operators/event-streams/v2.4", "v2.4"},
		{"event-streams/v2.4", "v2.4"},
	} {
		r := run(t, "-C", corpus, "render", target.target)
		if r.code != 0 || !strings.Contains(r.stdout, "name: ibm-eventstreams\n") || !strings.Contains(r.stdout, "channel: "+target.channel+"\n") {
			t.Errorf("render %s: want ibm-eventstreams on channel %s, got %s", target.target, target.channel, r)
		}
	}
}

// TestCorpusRender renders every kustomization of the corpus: those that
// do not build exit 1 naming the file and the rule, the others exit 0.
func TestCorpusRender(t *testing.T) {
	requireCorpus(t)
	c, err := catalog.Load(context.Background(), corpus, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var failing []string
	for _, dir := range c.Dirs() {
		n := c.Kustomizations[dir]
		if n.Role == catalog.RoleComponent {
			continue
		}
		r := run(t, "-C", corpus, "render", dir)
		if n.Result.Err == nil {
			if r.code != 0 {
				t.Errorf("render %s: want exit 0, got %s", dir, r)
			}
			continue
		}
		failing = append(failing, dir)
		if r.code != 1 {
			t.Errorf("render %s: want exit 1, got %s", dir, r)
			continue
		}
		file := n.Result.Err.Pos.File
		if !strings.HasSuffix(file, ".yaml") && !strings.HasSuffix(file, ".yml") && !strings.HasSuffix(file, "Kustomization") {
			t.Errorf("render %s: the error is not at a file: %+v", dir, n.Result.Err)
		}
		for _, s := range []string{"cannot render " + dir + ": ", n.Result.Err.Pos.String(), "[" + string(lint.RuleFor(n.Result.Err.Cause)) + "]"} {
			if !strings.Contains(r.stderr, s) {
				t.Errorf("render %s: stderr does not contain %q: %s", dir, s, r)
			}
		}
	}
	want := []string{
		"cp4i-operators/asset-repository/operator/overlays",
		"cp4i-operators/mq/instance/overlays",
		"cp4i-operators/operation-dashboard/operator/overlays",
		"grafana-operator/overlays/user-app",
		"grafana-operator/overlays/user-app-example",
		"postgresql/operator/overlays/stable",
	}
	if !slices.Equal(failing, want) {
		t.Errorf("kustomizations that do not build:\n got %v\nwant %v", failing, want)
	}
}
