package output

import (
	"testing"

	"github.com/opcat-dev/opcat/lib/diag"
)

func TestTextGolden(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		golden string
	}{
		{name: "plain", opts: Options{}, golden: "text.golden"},
		{name: "color", opts: Options{Color: true}, golden: "text_color.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.golden, render(t, "text", tt.opts, fixture()))
		})
	}
}

func TestTextSummaryPlural(t *testing.T) {
	tests := []struct {
		name    string
		summary diag.Summary
		want    string
	}{
		{name: "zero", summary: diag.Summary{},
			want: "0 errors, 0 warnings, 0 infos in 0 operators (0 kustomizations)\n"},
		{name: "one", summary: diag.Summary{Errors: 1, Warnings: 1, Infos: 1, Operators: 1, Kustomizations: 1},
			want: "1 error, 1 warning, 1 info in 1 operator (1 kustomization)\n"},
		{name: "many", summary: diag.Summary{Errors: 3, Warnings: 1, Infos: 0, Operators: 2, Kustomizations: 14},
			want: "3 errors, 1 warning, 0 infos in 2 operators (14 kustomizations)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(render(t, "text", Options{}, Report{Summary: tt.summary}))
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTextLocation(t *testing.T) {
	tests := []struct {
		name    string
		finding diag.Finding
		want    string
	}{
		{name: "line and column", finding: diag.Finding{Path: "a.yaml", Line: 3, Column: 7, Severity: diag.Error, Rule: "r", Message: "m"},
			want: "a.yaml:3:7: error: m [r]"},
		{name: "line only", finding: diag.Finding{Path: "a.yaml", Line: 3, Severity: diag.Warning, Rule: "r", Message: "m"},
			want: "a.yaml:3: warning: m [r]"},
		{name: "no line", finding: diag.Finding{Path: "a.yaml", Column: 7, Severity: diag.Info, Rule: "r", Message: "m"},
			want: "a.yaml: info: m [r]"},
		{name: "no path", finding: diag.Finding{Line: 3, Severity: diag.Error, Rule: "r", Message: "m"},
			want: "opcat: error: m [r]"},
		{name: "no rule", finding: diag.Finding{Path: "a.yaml", Severity: diag.Error, Message: "m"},
			want: "a.yaml: error: m"},
		{name: "fix", finding: diag.Finding{Path: "a.yaml", Severity: diag.Error, Rule: "r", Message: "m", Fix: "Do x."},
			want: "a.yaml: error: m [r]\n  fix: Do x."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatFinding(tt.finding, "opcat", false); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
