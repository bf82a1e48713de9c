package golden

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFirstDifference(t *testing.T) {
	tests := []struct {
		got, want, diff string
	}{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\n", "a\nc\n", `line 2: got "b", want "c"`},
		{"a\n", "a\nb\n", `line 2: got "", want "b"`},
		{"a", "a\n", `line 2: got ends, want ""`},
		{"a\n", "a", `line 2: got "", want ends`},
		{"", "x", `line 1: got "", want "x"`},
	}
	for _, tt := range tests {
		if got := FirstDifference([]byte(tt.got), []byte(tt.want)); got != tt.diff {
			t.Errorf("FirstDifference(%q, %q) = %q, want %q", tt.got, tt.want, got, tt.diff)
		}
	}
}

func TestCheck(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sub", "x.golden")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("same\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	Check(t, p, []byte("same\n"))

	if *update {
		return // -update would rewrite the files the failing cases need
	}
	for name, got := range map[string]string{"differs": "other\n", "missing": "x"} {
		path := p
		if name == "missing" {
			path = filepath.Join(filepath.Dir(p), "missing.golden")
		}
		ft := &fakeT{TB: t}
		func() {
			defer func() { _ = recover() }()
			Check(ft, path, []byte(got))
		}()
		if !ft.failed {
			t.Errorf("%s: Check passed", name)
		}
	}
}

// fakeT records a failure instead of failing the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Errorf(string, ...any) { f.failed = true }
func (f *fakeT) Fatalf(string, ...any) { f.failed = true; panic("fatal") }
func (f *fakeT) Fatal(...any)          { f.failed = true; panic("fatal") }
