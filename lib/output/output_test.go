package output

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/golden"
)

// fixture returns the report shared by the golden tests. Its findings are
// deliberately unsorted.
func fixture() Report {
	return Report{
		Tool:    "opcat",
		Version: "1.2.3",
		Rules: []diag.RuleInfo{
			{ID: "channel-missing", Severity: diag.Error, Short: "Subscription has no channel",
				Help: "Every Subscription must set spec.channel so that upgrades follow a known stream."},
			{ID: "catalog-source-unknown", Severity: diag.Error, Short: "Subscription references an unknown CatalogSource"},
			{ID: "overlay-unused", Severity: diag.Warning, Short: "Overlay is not referenced",
				Help: "An overlay that no cluster references is dead configuration."},
			{ID: "kustomization-orphan", Severity: diag.Warning, Short: "Kustomization is not reachable"},
			{ID: "starting-csv-pinned", Severity: diag.Info, Short: "Subscription pins a startingCSV"},
		},
		Findings: diag.Findings{
			{Rule: "starting-csv-pinned", Severity: diag.Info,
				Path: "operators/nginx-ingress/overlays/stage/subscription.yaml", Line: 9, Column: 5,
				Operator: "nginx-ingress", Overlay: "stage",
				Message: "startingCSV pins nginx-ingress-operator.v1.2.0"},
			{Rule: "channel-missing", Severity: diag.Error,
				Path: "operators/cert-manager/overlays/prod/subscription.yaml", Line: 7, Column: 3,
				Operator: "cert-manager", Overlay: "prod",
				Message: "spec.channel is not set",
				Fix:     "Set spec.channel to the channel the overlay should track."},
			{Rule: "catalog-source-unknown", Severity: diag.Error,
				Path: "operators/cert-manager/base/subscription.yaml", Line: 12, Column: 11,
				Operator: "cert-manager",
				Message:  "catalog source \"my-ops:v1\" not found (100% of overlays, 2 of 2)\nknown sources: redhat-operators, community-operators"},
			{Rule: "overlay-unused", Severity: diag.Warning,
				Path:     "operators/cert-manager/overlays/old/kustomization.yaml",
				Operator: "cert-manager", Overlay: "old",
				Message: "overlay is not referenced by any cluster"},
			{Rule: "kustomization-orphan", Severity: diag.Warning,
				Path: "clusters/dev/kustomization.yaml", Line: 3,
				Message: "kustomization is not reached from any cluster root"},
			{Rule: "catalog-layout", Severity: diag.Error,
				Message: "no operators/ directory found",
				Fix:     "Create operators/<name>/base for each operator."},
		},
		Summary:   diag.Summary{Errors: 3, Warnings: 2, Infos: 1, Operators: 3, Kustomizations: 10},
		Operators: []string{"nginx-ingress", "external-secrets", "cert-manager"},
		Overlays: map[string][]string{
			"cert-manager":     {"stage", "prod", "old"},
			"nginx-ingress":    {"stage", "prod"},
			"external-secrets": {"prod"},
		},
	}
}

// render writes r in format and fails the test on error.
func render(t *testing.T, format string, opts Options, r Report) []byte {
	t.Helper()
	w, err := New(format, opts)
	if err != nil {
		t.Fatalf("New(%q): %v", format, err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, r); err != nil {
		t.Fatalf("Write(%q): %v", format, err)
	}
	return buf.Bytes()
}

// checkGolden compares got with testdata/name, rewriting it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

func TestFormats(t *testing.T) {
	want := []string{"text", "json", "sarif", "github", "junit"}
	got := Formats()
	if !slices.Equal(got, want) {
		t.Fatalf("Formats() = %v, want %v", got, want)
	}
	got[0] = "changed"
	if Formats()[0] != "text" {
		t.Error("Formats() returns shared state")
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		wantErr string
	}{
		{name: "text", format: "text"},
		{name: "json", format: "json"},
		{name: "sarif", format: "sarif"},
		{name: "github", format: "github"},
		{name: "junit", format: "junit"},
		{name: "unknown", format: "yaml", wantErr: `unknown output format "yaml" (valid: text, json, sarif, github, junit)`},
		{name: "empty", format: "", wantErr: `unknown output format "" (valid: text, json, sarif, github, junit)`},
		{name: "case sensitive", format: "JSON", wantErr: `unknown output format "JSON"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := New(tt.format, Options{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New(%q) error = %v, want one containing %q", tt.format, err, tt.wantErr)
				}
				return
			}
			if err != nil || w == nil {
				t.Fatalf("New(%q) = %v, %v", tt.format, w, err)
			}
		})
	}
}

func TestEmptyReport(t *testing.T) {
	tests := []struct {
		name  string
		check func(t *testing.T, out []byte)
	}{
		{name: "text", check: func(t *testing.T, out []byte) {
			if want := "0 errors, 0 warnings, 0 infos in 0 operators (0 kustomizations)\n"; string(out) != want {
				t.Errorf("got %q, want %q", out, want)
			}
		}},
		{name: "json", check: func(t *testing.T, out []byte) {
			if !json.Valid(out) {
				t.Fatal("invalid JSON")
			}
			if !bytes.Contains(out, []byte(`"findings": []`)) {
				t.Errorf("findings is not []:\n%s", out)
			}
		}},
		{name: "sarif", check: func(t *testing.T, out []byte) {
			var log struct {
				Version string
				Runs    []struct {
					Tool struct {
						Driver struct {
							Name  string
							Rules []json.RawMessage
						}
					}
					Results []json.RawMessage
				}
			}
			if err := json.Unmarshal(out, &log); err != nil {
				t.Fatalf("invalid JSON: %v", err)
			}
			if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "opcat" {
				t.Errorf("bad SARIF header:\n%s", out)
			}
			if log.Runs[0].Results == nil || len(log.Runs[0].Results) != 0 {
				t.Errorf("results is not []:\n%s", out)
			}
			if log.Runs[0].Tool.Driver.Rules == nil {
				t.Errorf("rules is not []:\n%s", out)
			}
		}},
		{name: "github", check: func(t *testing.T, out []byte) {
			if len(out) != 0 {
				t.Errorf("got %q, want no output", out)
			}
		}},
		{name: "junit", check: func(t *testing.T, out []byte) {
			var doc junitTestsuites
			if err := xml.Unmarshal(out, &doc); err != nil {
				t.Fatalf("invalid XML: %v\n%s", err, out)
			}
			if doc.Name != "opcat" || doc.Failures != 0 || len(doc.Suites) != 1 || doc.Suites[0].Name != "(catalog)" {
				t.Errorf("unexpected document:\n%s", out)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, render(t, tt.name, Options{}, Report{}))
		})
	}
}

// failingWriter fails every write.
type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestWriteError(t *testing.T) {
	sentinel := errors.New("disk full")
	tests := []struct {
		name   string
		format string
		prefix string
	}{
		{name: "text", format: "text", prefix: "unable to write text output: "},
		{name: "json", format: "json", prefix: "unable to write JSON: "},
		{name: "sarif", format: "sarif", prefix: "unable to write SARIF: "},
		{name: "github", format: "github", prefix: "unable to write GitHub annotations: "},
		{name: "junit", format: "junit", prefix: "unable to write JUnit XML: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := New(tt.format, Options{})
			if err != nil {
				t.Fatal(err)
			}
			err = w.Write(failingWriter{sentinel}, fixture())
			if !errors.Is(err, sentinel) || !strings.HasPrefix(err.Error(), tt.prefix) {
				t.Errorf("Write() error = %v, want %q wrapping %v", err, tt.prefix, sentinel)
			}
		})
	}
}

func TestInvalidSeverity(t *testing.T) {
	// Encoders that marshal the severity as text must fail, not emit junk.
	r := Report{Findings: diag.Findings{{Rule: "r", Severity: diag.Severity(9), Message: "m"}}}
	w, err := New("json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, r); err == nil || !strings.HasPrefix(err.Error(), "unable to write JSON: ") {
		t.Errorf("Write() error = %v, want JSON error", err)
	}
	if buf.Len() != 0 {
		t.Errorf("partial output written: %q", buf.String())
	}
}

func TestReportNotModified(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			r := fixture()
			before := slices.Clone(r.Findings)
			render(t, format, Options{}, r)
			if !slices.Equal(r.Findings, before) {
				t.Error("Write reordered or modified Report.Findings")
			}
		})
	}
}
