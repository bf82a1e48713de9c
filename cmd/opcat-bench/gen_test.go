package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opcat-dev/opcat/catalog"
)

// gen runs `opcat-bench gen` with args and returns its exit code and stderr.
func gen(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"gen"}, args...), &stdout, &stderr)
	return code, stderr.String()
}

// readDir returns every file below dir by slash path.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&os.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			out[filepath.ToSlash(rel)] = linkPrefix + target
			return err
		}
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenSameSeedSameBytes(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	flags := []string{"-operators", "25", "-overlays", "1-8", "-instances", "0-3", "-seed", "42"}
	for _, dir := range []string{a, b} {
		if code, errOut := gen(t, append([]string{"-out", dir}, flags...)...); code != 0 {
			t.Fatalf("gen -out %s: exit %d: %s", dir, code, errOut)
		}
	}
	ta, tb := readDir(t, a), readDir(t, b)
	if len(ta) < 25*3 {
		t.Fatalf("only %d files generated", len(ta))
	}
	if len(ta) != len(tb) {
		t.Fatalf("same seed: %d files, then %d", len(ta), len(tb))
	}
	for p, data := range ta {
		if tb[p] != data {
			t.Errorf("same seed, %s differs", p)
		}
	}
	if code, errOut := gen(t, "-out", c, "-operators", "25", "-overlays", "1-8", "-instances", "0-3", "-seed", "43"); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, errOut)
	}
	tc := readDir(t, c)
	same := len(tc) == len(ta)
	for p, data := range ta {
		same = same && tc[p] == data
	}
	if same {
		t.Errorf("seeds 42 and 43 gave the same catalog")
	}
}

func TestGeneratedCatalogBuilds(t *testing.T) {
	dir := t.TempDir()
	if code, errOut := gen(t, "-out", dir, "-operators", "40", "-overlays", "1-10", "-instances", "0-4", "-seed", "7"); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, errOut)
	}
	restore := quietStderr()
	c, err := catalog.Load(context.Background(), dir, catalog.Options{})
	restore()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Operators) != 40 {
		t.Errorf("%d operators, want 40", len(c.Operators))
	}
	for _, p := range c.Problems {
		t.Errorf("problem: %s %s: %s", p.Cause, p.Pos, p.Message)
	}
	for _, d := range c.Dirs() {
		if err := c.Kustomizations[d].Result.Err; err != nil {
			t.Errorf("%s does not build: %v", d, err)
		}
	}
	for _, op := range c.Operators {
		if n := len(op.Overlays); n < 1 || n > 10 {
			t.Errorf("%s: %d overlays, want 1 to 10", op.Dir, n)
		}
		for _, ov := range op.Overlays {
			if ov.Subscription.Channel.Value != ov.Name {
				t.Errorf("%s: channel %q, want %q", ov.Dir, ov.Subscription.Channel.Value, ov.Name)
			}
		}
	}
	styles := map[string]bool{}
	for _, data := range readDir(t, dir) {
		for _, field := range []string{"\npatches:", "bases:", "patchesJson6902:", "patchesStrategicMerge:", "patch: |-", "operator-group",
			"\ncomponents:", "kind: Component", "/operator/overlays\n", linkPrefix, "namespace: openshift-operators\n\n"} {
			if strings.Contains(data, field) {
				styles[field] = true
			}
		}
	}
	if len(styles) != 11 {
		t.Errorf("the catalog lacks some overlay styles; found %v", styles)
	}
}

func TestGenRefusesNonEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _ := gen(t, "-out", dir, "-operators", "2"); code != exitUsage {
		t.Fatalf("gen into a non-empty folder: exit %d, want %d", code, exitUsage)
	}
	if code, errOut := gen(t, "-out", dir, "-operators", "2", "-force"); code != 0 {
		t.Fatalf("gen -force: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "keep.txt")); err != nil {
		t.Errorf("gen -force removed a file it did not write: %v", err)
	}

	// A previous gen output is replaced as a whole.
	prev := t.TempDir()
	if code, errOut := gen(t, "-out", prev, "-operators", "5", "-seed", "1"); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, errOut)
	}
	if code, errOut := gen(t, "-out", prev, "-operators", "2", "-seed", "2", "-force"); code != 0 {
		t.Fatalf("gen -force: exit %d: %s", code, errOut)
	}
	fresh := t.TempDir()
	gen(t, "-out", fresh, "-operators", "2", "-seed", "2")
	if a, b := readDir(t, prev), readDir(t, fresh); len(a) != len(b) {
		t.Errorf("gen -force over a previous output left %d files, a fresh gen writes %d", len(a), len(b))
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"nope"}, exitUsage},
		{[]string{"gen"}, exitUsage},
		{[]string{"gen", "-out", t.TempDir(), "-overlays", "5-2"}, exitUsage},
		{[]string{"gen", "-bogus"}, exitUsage},
		{[]string{"run", "-runs", "0"}, exitUsage},
		{[]string{"run", "-catalog", filepath.Join(t.TempDir(), "absent")}, exitUsage},
		{[]string{"run", "stray"}, exitUsage},
		{[]string{"help"}, exitOK},
		{[]string{"run", "-h"}, exitOK},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, &stdout, &stderr); code != tt.code {
			t.Errorf("opcat-bench %q: exit %d, want %d (stderr %q)", tt.args, code, tt.code, stderr.String())
		}
		if tt.code == exitUsage && stderr.Len() == 0 {
			t.Errorf("opcat-bench %q: nothing on stderr", tt.args)
		}
	}
}

func TestScaleUsage(t *testing.T) {
	for _, args := range [][]string{
		{"scale"},
		{"scale", "-opcat", "opcat", "-factors", "1,x"},
		{"scale", "-opcat", "opcat", "-factors", "0"},
		{"scale", "-opcat", "opcat", "-runs", "0"},
	} {
		var out, errOut strings.Builder
		if code := run(args, &out, &errOut); code != exitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, code, exitUsage, errOut.String())
		}
	}
	if got, want := rssBound(1000), int64(360<<20); got != want {
		t.Errorf("rssBound(1000) = %d, want %d", got, want)
	}
	if got := median([]time.Duration{3, 1, 2}); got != 2 {
		t.Errorf("median = %v, want 2", got)
	}
}
