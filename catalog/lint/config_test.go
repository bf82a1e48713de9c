package lint

import (
	"math/rand"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/diag"
)

func TestParseConfig(t *testing.T) {
	const file = "cat/.opcat.yaml"
	tests := []struct {
		name    string
		data    string
		want    Config
		wantErr []string // substrings of the error; nil for no error
	}{
		{
			name: "empty",
			data: "",
			want: Config{Off: map[ID]bool{}, Severity: map[ID]diag.Severity{}},
		},
		{
			name: "comments only",
			data: "# nothing configured\n",
			want: Config{Off: map[ID]bool{}, Severity: map[ID]diag.Severity{}},
		},
		{
			name: "rules off and severities",
			data: "rules:\n  kustomize-deprecated: off\n  catalog-readme-stale: false\n  patch-path-missing: error\n  operatorgroup-missing: Info\n  patch-target-ambiguous: warning\n",
			want: Config{
				Off: map[ID]bool{"kustomize-deprecated": true, "catalog-readme-stale": true},
				Severity: map[ID]diag.Severity{
					"patch-path-missing":     diag.Error,
					"operatorgroup-missing":  diag.Info,
					"patch-target-ambiguous": diag.Warning,
				},
			},
		},
		{
			name: "quoted off",
			data: "rules:\n  kustomize-deprecated: \"off\"\n",
			want: Config{Off: map[ID]bool{"kustomize-deprecated": true}, Severity: map[ID]diag.Severity{}},
		},
		{
			name: "ignore and indexes",
			data: "ignore:\n  - legacy/**\n  - '**/instance/**'\nindexes:\n  - redhat-operators=indexes/v4.18\n  - indexes/ibm\n",
			want: Config{
				Off: map[ID]bool{}, Severity: map[ID]diag.Severity{},
				Ignore:  []string{"legacy/**", "**/instance/**"},
				Indexes: []string{"redhat-operators=indexes/v4.18", "indexes/ibm"},
			},
		},
		{
			name: "repository of the catalog",
			data: "repoURL: https://github.com/acme/catalog.git\nrepoPath: /catalogs/ops/\n",
			want: Config{
				Off: map[ID]bool{}, Severity: map[ID]diag.Severity{},
				RepoURL: "https://github.com/acme/catalog.git", RepoPath: "catalogs/ops",
			},
		},
		{
			name:    "repoURL not a string",
			data:    "repoURL: [a, b]\n",
			wantErr: []string{file + ":1:10:", "repoURL must be a string"},
		},
		{
			name:    "unknown rule",
			data:    "rules:\n  kustomize-deprecated: off\n  no-such-rule: off\n",
			wantErr: []string{file + ":3:3:", `unknown rule "no-such-rule"`, "known rules: " + strings.Join(ruleIDs(), ", ")},
		},
		{
			name:    "unknown key",
			data:    "rules:\n  kustomize-deprecated: off\nexclude:\n  - legacy/**\n",
			wantErr: []string{file + ":3:1:", `unknown key "exclude"`, "rules, ignore, indexes, conventions, repoURL and repoPath"},
		},
		{
			name:    "bad severity",
			data:    "rules:\n  patch-path-missing: fatal\n",
			wantErr: []string{file + ":2:23:", "patch-path-missing", `"fatal"`},
		},
		{
			name:    "severity missing",
			data:    "rules:\n  patch-path-missing:\n",
			wantErr: []string{file + ":2:", "patch-path-missing"},
		},
		{
			name:    "rules not a mapping",
			data:    "rules:\n  - kustomize-deprecated\n",
			wantErr: []string{file + ":1:1:", "rules must map rule ids"},
		},
		{
			name:    "ignore not a list",
			data:    "ignore: legacy/**\n",
			wantErr: []string{file + ":1:9:", "expected a list"},
		},
		{
			name:    "ignore entry not a string",
			data:    "ignore:\n  - {a: b}\n",
			wantErr: []string{file + ":2:5:", "expected a string"},
		},
		{
			name:    "bad glob",
			data:    "ignore:\n  - 'legacy/[a'\n",
			wantErr: []string{file + ":", `bad glob "legacy/[a"`},
		},
		{
			name:    "not a mapping",
			data:    "- rules\n",
			wantErr: []string{file + ":1:1:", "must be a mapping"},
		},
		{
			name:    "duplicate key",
			data:    "rules:\n  patch-path-missing: error\nrules:\n  patch-path-missing: off\n",
			wantErr: []string{file + ":3:1"},
		},
		{
			name:    "syntax error",
			data:    "rules:\n  patch-path-missing: [error\n",
			wantErr: []string{file + ":", "unable to read config"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig(file, []byte(tt.data))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("want an error, got %+v", got)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, ConfigFile)
	cfg, err := LoadConfig(missing, true)
	if err != nil || len(cfg.Off) != 0 || len(cfg.Severity) != 0 || cfg.Ignore != nil {
		t.Errorf("an optional missing file gives the zero config; got %+v, %v", cfg, err)
	}
	if _, err := LoadConfig(missing, false); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a required missing file is an error naming it; got %v", err)
	}
	if err := os.WriteFile(missing, []byte("rules:\n  nope: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(missing, true); err == nil || !strings.Contains(err.Error(), missing+":2:3") {
		t.Errorf("an existing bad file is an error even when optional; got %v", err)
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		glob, path string
		want       bool
	}{
		// ** stands for any number of folders, zero included.
		{"legacy/**", "legacy/a.yaml", true},
		{"legacy/**", "legacy/x/y/z.yaml", true},
		{"legacy/**", "legacy", true},
		{"legacy/**", "legacyx/a.yaml", false},
		{"legacy/**", "old/legacy/a.yaml", false},
		{"**/instance/**", "instance/a.yaml", true},
		{"**/instance/**", "mq/instance/a.yaml", true},
		{"**/instance/**", "cp4i-operators/mq/instance/overlays/kustomization.yaml", true},
		{"**/instance/**", "mq/instances/a.yaml", false},
		{"**/instance/**", "mq/operator/base/instance.yaml", false},
		{"**", "anything/at/all.yaml", true},
		{"**/*.md", "README.md", true},
		{"**/*.md", "mq/docs/README.md", true},
		{"**/*.md", "mq/README.yaml", false},
		// A glob without ** is rooted: * does not cross a slash.
		{"*.yaml", "a.yaml", true},
		{"*.yaml", "a.yml", false},
		{"*.yaml", "mq/a.yaml", false},
		{"mq/*/base/*.yaml", "mq/operator/base/subscription.yaml", true},
		{"mq/*/base/*.yaml", "mq/operator/x/base/subscription.yaml", false},
		{"mq/operator/overlays/v1.?", "mq/operator/overlays/v1.9/kustomization.yaml", true},
		{"mq/operator/overlays/v1.?", "mq/operator/overlays/v1.10/kustomization.yaml", false},
		// A glob naming a folder matches everything below it.
		{"legacy", "legacy/a.yaml", true},
		{"legacy/", "legacy/a/b.yaml", true},
		{"/legacy", "legacy/a.yaml", true},
		{"mq/operator", "mq/operator/base/kustomization.yaml", true},
		{"mq/operator", "mq/operators/base/kustomization.yaml", false},
		{"mq/operator", "mq", false},
		{"mq/*", "mq/operator/base/kustomization.yaml", true},
		{"mq/operator/base/subscription.yaml", "mq/operator/base/subscription.yaml", true},
	}
	for _, tt := range tests {
		if got := globMatch(tt.glob, tt.path); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.glob, tt.path, got, tt.want)
		}
	}
	if !ignored([]string{"a/**", "legacy"}, "legacy/x.yaml") || ignored([]string{"a/**", "legacy"}, "b/x.yaml") || ignored(nil, "x.yaml") {
		t.Error("ignored does not match any of the globs")
	}
}

// pathological is a glob of 14 "**/" segments that fails only at its last
// segment, and a path 25 folders deep: a backtracking matcher tries every
// way to share the folders among the ** (about 10^11) before it gives up.
var pathological = struct{ glob, path string }{
	glob: strings.Repeat("**/", 14) + "nomatch.yaml",
	path: strings.Repeat("d/", 25) + "file.yaml",
}

func TestGlobMatchIsLinear(t *testing.T) {
	tests := []struct {
		glob, path string
		want       bool
	}{
		{pathological.glob, pathological.path, false},
		{strings.Repeat("**/", 14) + "file.yaml", pathological.path, true},
		{strings.Repeat("**/d/", 14) + "x/*.yaml", pathological.path, false},
		{strings.Repeat("*/**/", 14) + "*.yaml", pathological.path, true},
	}
	for _, tt := range tests {
		got, steps := globMatchSteps(tt.glob, tt.path)
		if got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.glob, tt.path, got, tt.want)
		}
		g, p := strings.Count(tt.glob, "/")+1, strings.Count(tt.path, "/")+1
		if limit := (g + 1) * p; steps > limit {
			t.Errorf("globMatch(%q, %q) took %d steps, more than (glob segments + 1) × path segments = %d", tt.glob, tt.path, steps, limit)
		}
	}
}

// backtrackGlobMatch is the plain recursive matcher: the reference
// globMatch agrees with on small inputs.
func backtrackGlobMatch(glob, p string) bool {
	gs := strings.Split(strings.Trim(glob, "/"), "/")
	var match func(gs, ps []string) bool
	match = func(gs, ps []string) bool {
		if len(gs) == 0 {
			return true
		}
		if gs[0] == "**" {
			for i := 0; i <= len(ps); i++ {
				if match(gs[1:], ps[i:]) {
					return true
				}
			}
			return false
		}
		if len(ps) == 0 {
			return false
		}
		ok, _ := path.Match(gs[0], ps[0])
		return ok && match(gs[1:], ps[1:])
	}
	return match(gs, strings.Split(p, "/"))
}

func TestGlobMatchAgreesWithBacktracking(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	globSegs := []string{"**", "*", "a", "b", "?", "a*", "*.yaml", "[ab]"}
	pathSegs := []string{"a", "b", "ab", "x.yaml", "a.yaml"}
	for i := 0; i < 20000; i++ {
		var g, p []string
		for j := rng.Intn(6); j >= 0; j-- {
			g = append(g, globSegs[rng.Intn(len(globSegs))])
		}
		for j := rng.Intn(6); j >= 0; j-- {
			p = append(p, pathSegs[rng.Intn(len(pathSegs))])
		}
		glob := strings.Join(g, "/")
		if rng.Intn(4) == 0 {
			glob += "/"
		}
		ps := strings.Join(p, "/")
		if got, want := globMatch(glob, ps), backtrackGlobMatch(glob, ps); got != want {
			t.Fatalf("globMatch(%q, %q) = %v, backtracking gives %v", glob, ps, got, want)
		}
	}
}

func BenchmarkGlobMatchPathological(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if globMatch(pathological.glob, pathological.path) {
			b.Fatal("matched")
		}
	}
}

func TestSuppressed(t *testing.T) {
	const rule = "patch-target-ambiguous"
	tests := []struct {
		name string
		data string
		line int
		rule string
		want bool
	}{
		{"same line", "a: b\nkind: Subscription # opcat:ignore patch-target-ambiguous checked\n", 2, rule, true},
		{"line above", "a: b\n# opcat:ignore patch-target-ambiguous checked\nkind: Subscription\n", 3, rule, true},
		{"line above, indented", "patches:\n  # opcat:ignore patch-target-ambiguous checked\n  - path: p.yaml\n", 3, rule, true},
		{"no reason", "# opcat:ignore patch-target-ambiguous\nkind: Subscription\n", 2, rule, true},
		{"first line", "kind: Subscription # opcat:ignore patch-target-ambiguous checked\n", 1, rule, true},
		{"CRLF", "a: b\r\n# opcat:ignore patch-target-ambiguous checked\r\nkind: Subscription\r\n", 3, rule, true},
		{"other rule", "# opcat:ignore patch-path-missing checked\nkind: Subscription\n", 2, rule, false},
		{"prefix of the rule", "# opcat:ignore patch-target checked\nkind: Subscription\n", 2, rule, false},
		{"rule in the reason", "# opcat:ignore patch-path-missing not patch-target-ambiguous\nkind: Subscription\n", 2, rule, false},
		{"two lines above", "# opcat:ignore patch-target-ambiguous checked\na: b\nkind: Subscription\n", 3, rule, false},
		{"line below", "kind: Subscription\n# opcat:ignore patch-target-ambiguous checked\n", 1, rule, false},
		{"no comment", "kind: Subscription\n", 1, rule, false},
		{"unknown line", "# opcat:ignore patch-target-ambiguous checked\n", 0, rule, false},
		{"line past the end", "# opcat:ignore patch-target-ambiguous checked\n", 5, rule, false},
		{"no rule named", "# opcat:ignore\nkind: Subscription\n", 2, rule, false},
	}
	for _, tt := range tests {
		if got := suppressed([]byte(tt.data), tt.line, tt.rule); got != tt.want {
			t.Errorf("%s: suppressed(line %d, %s) = %v, want %v", tt.name, tt.line, tt.rule, got, tt.want)
		}
	}
}

// TestParseConfigEmptySections: a section written with nothing under it
// configures nothing, as people leave them when they edit the file.
func TestParseConfigEmptySections(t *testing.T) {
	cfg, err := ParseConfig(".opcat.yaml", []byte("rules:\nignore:\nindexes:\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Off) != 0 || len(cfg.Severity) != 0 || len(cfg.Ignore) != 0 || len(cfg.Indexes) != 0 {
		t.Errorf("got %+v, want nothing configured", cfg)
	}
	if _, err := ParseConfig(".opcat.yaml", []byte("bogus:\n")); err == nil {
		t.Error("an unknown key with nothing under it is still an error")
	}
}
