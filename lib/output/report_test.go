package output

import (
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/diag"
)

// TestFromDiag: a diag.Report renders with its scope as the operators and
// overlays, and the rest as given; the report is not changed.
func TestFromDiag(t *testing.T) {
	d := &diag.Report{
		Findings: diag.Findings{{Rule: "r", Severity: diag.Error, Path: "a/x.yaml", Operator: "a", Overlay: "v1", Message: "m"}},
		Summary:  diag.Summary{Errors: 1, Operators: 2, Kustomizations: 3},
		Scope:    []diag.Scope{{Operator: "a", Overlays: []string{"v1", "v2"}}, {Operator: "g/b"}},
		Rules:    []diag.RuleInfo{{ID: "r", Severity: diag.Error, Short: "s"}},
	}
	r := FromDiag(d, "opcat", "1.2.3")
	if r.Tool != "opcat" || r.Version != "1.2.3" || r.Summary != d.Summary || len(r.Findings) != 1 || len(r.Rules) != 1 {
		t.Errorf("FromDiag = %+v", r)
	}
	if !slices.Equal(r.Operators, []string{"a", "g/b"}) || !slices.Equal(r.Overlays["a"], []string{"v1", "v2"}) || len(r.Overlays["g/b"]) != 0 {
		t.Errorf("operators %v, overlays %v", r.Operators, r.Overlays)
	}
	junit := string(render(t, FormatJUnit, Options{}, r))
	for _, want := range []string{`<testsuite name="(catalog)"`, `<testsuite name="a" tests="3" failures="1"`, `<testsuite name="g/b" tests="1"`} {
		if !strings.Contains(junit, want) {
			t.Errorf("JUnit lacks %s:\n%s", want, junit)
		}
	}
	if n := strings.Count(junit, "<testsuite "); n != 3 {
		t.Errorf("JUnit holds %d suites, want 3", n)
	}
}

// TestPathPrefix: Options.PathPrefix puts the folder before every path in
// sarif and github output only, whatever slashes and dots it has.
func TestPathPrefix(t *testing.T) {
	r := Report{Findings: diag.Findings{{Rule: "r", Severity: diag.Warning, Path: "a/x.yaml", Line: 2, Message: "m"}}}
	tests := []struct {
		format, prefix string
		want           string // a substring of the output
		wantNot        string
	}{
		{FormatSARIF, "cat", `"uri": "cat/a/x.yaml"`, ""},
		{FormatSARIF, "/cat/sub/", `"uri": "cat/sub/a/x.yaml"`, ""},
		{FormatSARIF, "./cat/../cat", `"uri": "cat/a/x.yaml"`, ""},
		{FormatSARIF, ".", `"uri": "a/x.yaml"`, ""},
		{FormatSARIF, "", `"uri": "a/x.yaml"`, ""},
		{FormatGitHub, "cat", "file=cat/a/x.yaml,", ""},
		{FormatGitHub, "", "file=a/x.yaml,", "cat/"},
		{FormatText, "cat", "a/x.yaml:2", "cat/"},
		{FormatJSON, "cat", `"path": "a/x.yaml"`, "cat/"},
		{FormatJUnit, "cat", "a/x.yaml:2", "cat/"},
	}
	for _, tt := range tests {
		t.Run(tt.format+" "+tt.prefix, func(t *testing.T) {
			got := string(render(t, tt.format, Options{PathPrefix: tt.prefix}, r))
			if !strings.Contains(got, tt.want) || tt.wantNot != "" && strings.Contains(got, tt.wantNot) {
				t.Errorf("want %q (and not %q) in\n%s", tt.want, tt.wantNot, got)
			}
		})
	}
	if r.Findings[0].Path != "a/x.yaml" {
		t.Errorf("the report was changed: %s", r.Findings[0].Path)
	}
}
