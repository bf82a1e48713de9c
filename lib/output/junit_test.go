package output

import (
	"encoding/xml"
	"testing"
)

func TestJUnitGolden(t *testing.T) {
	out := render(t, "junit", Options{}, fixture())
	checkGolden(t, "junit.golden", out)

	var doc junitTestsuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("invalid XML: %v", err)
	}
	var names []string
	tests, failures := 0, 0
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		if s.Tests != len(s.Cases) {
			t.Errorf("suite %s: tests=%d, has %d cases", s.Name, s.Tests, len(s.Cases))
		}
		tests += s.Tests
		failures += s.Failures
	}
	if doc.Tests != tests || doc.Failures != failures {
		t.Errorf("testsuites tests=%d failures=%d, suites sum to %d and %d", doc.Tests, doc.Failures, tests, failures)
	}
	want := []string{"(catalog)", "cert-manager", "external-secrets", "nginx-ingress"}
	if len(names) != len(want) {
		t.Fatalf("suites = %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("suites = %v, want %v", names, want)
			break
		}
	}
}

func TestXMLSafe(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain", in: "a\tb\nc", want: "a\tb\nc"},
		{name: "control", in: "a\x00b\x1b", want: "a\uFFFDb\uFFFD"},
		{name: "invalid utf8", in: "a\xffb", want: "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := xmlSafe(tt.in); got != tt.want {
				t.Errorf("xmlSafe(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
