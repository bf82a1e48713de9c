// Package golden compares what a test produces with a file committed
// beside it (a golden file), for the tests of every opcat package. Running
// the tests with -update rewrites the golden files instead:
//
//	go test ./catalog/lint -update
//
// The package declares the -update flag; a test package that imports it
// must not declare its own.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with what the tests produce")

// Update reports whether the tests run with -update, for tests that write
// golden files of their own shape (a folder of files).
func Update() bool { return *update }

// Check compares got with the golden file at path. With -update it first
// writes got there, creating the file's folders. A missing file or a
// difference fails the test, naming the file and the first line that
// differs.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after reviewing): %s\n--- got\n%s\n--- want\n%s", path, FirstDifference(got, want), got, want)
	}
}

// FirstDifference describes the first line at which got and want differ,
// or returns "" when they are equal.
func FirstDifference(got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; ; i++ {
		switch {
		case i >= len(g):
			return fmt.Sprintf("line %d: got ends, want %q", i+1, w[i])
		case i >= len(w):
			return fmt.Sprintf("line %d: got %q, want ends", i+1, g[i])
		case g[i] != w[i]:
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g[i], w[i])
		}
	}
}
