package fsroot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLocal(t *testing.T) {
	tests := []struct {
		p    string
		want bool
	}{
		{"", true},
		{".", true},
		{"a", true},
		{"a/b", true},
		{"./a", true},
		{"a/..", true},
		{"a/../b", true},
		{"..a", true},
		{"a/..b", true},
		{"...", true},
		{"..", false},
		{"../", false},
		{"../a", false},
		{"a/../..", false},
		{"a/../../b", false},
		{"./..", false},
		{"../sub/x", false},
		{"/", false},
		{"/a", false},
		{"//a", false},
	}
	for _, tt := range tests {
		if got := Local(tt.p); got != tt.want {
			t.Errorf("Local(%q) = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func TestRel(t *testing.T) {
	tests := []struct {
		root, p string
		rel     string
		ok      bool
	}{
		{"/r", "/r", ".", true},
		{"/r", "/r/a/b", "a/b", true},
		{"/r", "/r/../r/a", "a", true},
		{"/r", "/rx", "../rx", false},
		{"/r", "/", "..", false},
		{"/r/a", "/r/b", "../b", false},
		{"r", "r/a", "a", true},
		{"r", "s", "../s", false},
		{"/r", "r", "", false},
	}
	for _, tt := range tests {
		rel, ok := Rel(filepath.FromSlash(tt.root), filepath.FromSlash(tt.p))
		if rel != tt.rel || ok != tt.ok {
			t.Errorf("Rel(%q, %q) = %q, %v; want %q, %v", tt.root, tt.p, rel, ok, tt.rel, tt.ok)
		}
		if Within(filepath.FromSlash(tt.root), filepath.FromSlash(tt.p)) != tt.ok {
			t.Errorf("Within(%q, %q) != %v", tt.root, tt.p, tt.ok)
		}
	}
}

func TestCheck(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(root, "dir"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "dir", "f.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"in":      "dir",
		"out":     "../outside",
		"abs-out": outside,
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	// A root given through a link is resolved too.
	rootLink := filepath.Join(base, "root-link")
	if err := os.Symlink("root", rootLink); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		root, rel string
		want      error
	}{
		{root, "dir/f.yaml", nil},
		{root, "dir", nil},
		{root, ".", nil},
		{root, "missing/file", nil},
		{root, "in/f.yaml", nil},
		{rootLink, "in/f.yaml", nil},
		{root, "out", ErrLinkLeaves},
		{root, "out/x/..", ErrLinkLeaves},
		{root, "abs-out", ErrLinkLeaves},
		{rootLink, "out", ErrLinkLeaves},
		{root, "../outside", ErrLeaves},
		{root, "dir/../../outside", ErrLeaves},
		{root, "..", ErrLeaves},
		{root, outside, ErrAbsolute},
		{root, "/etc/passwd", ErrAbsolute},
	}
	for _, tt := range tests {
		err := Check(tt.root, tt.rel)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("Check(%s, %q) = %v, want %v", filepath.Base(tt.root), tt.rel, err, tt.want)
		}
	}
	if err := Check(filepath.Join(base, "no-such-root"), "a"); err == nil {
		t.Error("Check with a root that does not exist: no error")
	}
}

// FuzzLocal checks Local against filepath.IsLocal, which differs only on
// the empty path (the root itself for Local), and checks that Rel agrees
// with Local on the joined path where it must.
func FuzzLocal(f *testing.F) {
	for _, s := range []string{"", ".", "..", "a/../..", "/a", "a//b/../c", "../a", "..a", "a/..", "../sub/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := Local(p)
		if p != "" && filepath.Separator == '/' && !strings.ContainsRune(p, 0) {
			if want := filepath.IsLocal(p); got != want {
				t.Fatalf("Local(%q) = %v, filepath.IsLocal says %v", p, got, want)
			}
		}
		if strings.HasPrefix(p, "/") || filepath.IsAbs(p) {
			return
		}
		// Rel cleans: a path that leaves and comes back ("../sub/x") is
		// inside once joined, so only one direction holds.
		joined := filepath.Join("/root/sub", p)
		if rel, ok := Rel("/root/sub", joined); (got && !ok) || (ok && !Local(rel)) {
			t.Fatalf("Rel(/root/sub, %q) = %q, %v; Local(%q) = %v", joined, rel, ok, p, got)
		}
	})
}
