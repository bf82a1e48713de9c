package diag

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/opcat-dev/opcat/lib/golden"
)

func TestSeverityString(t *testing.T) {
	tests := []struct {
		name string
		sev  Severity
		want string
	}{
		{name: "info", sev: Info, want: "info"},
		{name: "warning", sev: Warning, want: "warning"},
		{name: "error", sev: Error, want: "error"},
		{name: "out of range", sev: Severity(7), want: "Severity(7)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sev.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSeverityOrder(t *testing.T) {
	if !(Info < Warning && Warning < Error) {
		t.Fatalf("severities not ordered: info=%d warning=%d error=%d", Info, Warning, Error)
	}
}

func TestSeverityTextRoundTrip(t *testing.T) {
	for _, sev := range []Severity{Info, Warning, Error} {
		t.Run(sev.String(), func(t *testing.T) {
			text, err := sev.MarshalText()
			if err != nil {
				t.Fatalf("MarshalText: %v", err)
			}
			var got Severity = -1
			if err := got.UnmarshalText(text); err != nil {
				t.Fatalf("UnmarshalText(%q): %v", text, err)
			}
			if got != sev {
				t.Errorf("round trip: got %v, want %v", got, sev)
			}
		})
	}
}

func TestParseSeverity(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Severity
		wantErr bool
	}{
		{name: "info", in: "info", want: Info},
		{name: "warning", in: "warning", want: Warning},
		{name: "error", in: "error", want: Error},
		{name: "upper case", in: "ERROR", want: Error},
		{name: "surrounding space", in: " warning\n", want: Warning},
		{name: "off is not a severity", in: "off", wantErr: true},
		{name: "abbreviation", in: "warn", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSeverity(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseSeverity(%q) = %v, want error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSeverity(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseSeverity(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSeverityInvalidText(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
	}{
		{name: "marshal out of range", run: func() error { _, err := Severity(3).MarshalText(); return err }},
		{name: "marshal negative", run: func() error { _, err := Severity(-1).MarshalText(); return err }},
		{name: "unmarshal unknown", run: func() error { var s Severity; return s.UnmarshalText([]byte("fatal")) }},
		{name: "json unknown", run: func() error { var f Finding; return json.Unmarshal([]byte(`{"severity":"fatal"}`), &f) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); err == nil {
				t.Error("got nil error, want one")
			}
		})
	}
}

func TestSortStable(t *testing.T) {
	// The two "same key" findings differ only in fields Sort ignores, so
	// they must keep their input order.
	in := Findings{
		{Path: "b/kustomization.yaml", Line: 2, Rule: "r1", Message: "m"},
		{Path: "a/kustomization.yaml", Line: 10, Column: 1, Rule: "r1", Message: "m"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 5, Rule: "r2", Message: "m", Operator: "first"},
		{Path: "", Rule: "r9", Message: "catalog"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 5, Rule: "r2", Message: "m", Operator: "second"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 5, Rule: "r1", Message: "z"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 5, Rule: "r1", Message: "a"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 2, Rule: "r3", Message: "m"},
		{Path: "a/kustomization.yaml", Rule: "r4", Message: "no line"},
	}
	want := Findings{
		{Path: "", Rule: "r9", Message: "catalog"},
		{Path: "a/kustomization.yaml", Rule: "r4", Message: "no line"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 2, Rule: "r3", Message: "m"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 5, Rule: "r1", Message: "a"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 5, Rule: "r1", Message: "z"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 5, Rule: "r2", Message: "m", Operator: "first"},
		{Path: "a/kustomization.yaml", Line: 9, Column: 5, Rule: "r2", Message: "m", Operator: "second"},
		{Path: "a/kustomization.yaml", Line: 10, Column: 1, Rule: "r1", Message: "m"},
		{Path: "b/kustomization.yaml", Line: 2, Rule: "r1", Message: "m"},
	}
	got := slices.Clone(in)
	got.Sort()
	if !slices.Equal(got, want) {
		t.Errorf("Sort() =\n%+v\nwant\n%+v", got, want)
	}

	// Reversing the equal pair in the input must reverse it in the output.
	in[2], in[4] = in[4], in[2]
	got = slices.Clone(in)
	got.Sort()
	want[5], want[6] = want[6], want[5]
	if !slices.Equal(got, want) {
		t.Errorf("Sort() not stable:\n%+v\nwant\n%+v", got, want)
	}
}

func TestCount(t *testing.T) {
	f := Findings{{Severity: Error}, {Severity: Warning}, {Severity: Error}, {Severity: Info}}
	e, w, i := f.Count()
	if e != 2 || w != 1 || i != 1 {
		t.Errorf("Count() = %d, %d, %d; want 2, 1, 1", e, w, i)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name     string
		findings Findings
		strict   bool
		want     int
	}{
		{name: "none", want: 0},
		{name: "none strict", strict: true, want: 0},
		{name: "info only", findings: Findings{{Severity: Info}}, want: 0},
		{name: "info only strict", findings: Findings{{Severity: Info}}, strict: true, want: 0},
		{name: "warning", findings: Findings{{Severity: Warning}, {Severity: Info}}, want: 0},
		{name: "warning strict", findings: Findings{{Severity: Warning}, {Severity: Info}}, strict: true, want: 1},
		{name: "error", findings: Findings{{Severity: Info}, {Severity: Error}}, want: 1},
		{name: "error strict", findings: Findings{{Severity: Error}}, strict: true, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.findings, tt.strict); got != tt.want {
				t.Errorf("ExitCode(strict=%v) = %d, want %d", tt.strict, got, tt.want)
			}
		})
	}
}

func TestFindingsJSON(t *testing.T) {
	in := Findings{
		{Rule: "channel-missing", Severity: Error, Path: "operators/foo/base/subscription.yaml", Line: 7, Column: 3,
			Operator: "foo", Overlay: "prod", Message: "spec.channel is not set", Fix: "Set spec.channel."},
		{Rule: "unused-overlay", Severity: Info, Path: "operators/bar/overlays/old/kustomization.yaml", Message: "overlay is not referenced"},
	}
	got, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		t.Fatalf("MarshalIndent: %v", err)
	}
	got = append(got, '\n')

	golden.Check(t, filepath.Join("testdata", "findings.golden"), got)

	var back Findings
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if !slices.Equal(back, in) {
		t.Errorf("JSON round trip:\n%+v\nwant\n%+v", back, in)
	}
}
