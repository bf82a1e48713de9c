package kustomize

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTreeDigest: reading the same catalog twice gives the same digest;
// every kind of change to what the Tree holds gives another one.
func TestTreeDigest(t *testing.T) {
	write := func(t *testing.T, root, rel, content string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := func(t *testing.T) string {
		root := t.TempDir()
		write(t, root, "a/kustomization.yaml", "resources:\n- cm.yaml\n")
		write(t, root, "a/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")
		write(t, root, "b/kustomization.yaml", "resources:\n- ../a\n")
		if err := os.Symlink("a", filepath.Join(root, "link")); err != nil {
			t.Fatal(err)
		}
		return root
	}
	digest := func(t *testing.T, root string, opts TreeOptions) string {
		t.Helper()
		tree, err := ReadTree(root, opts)
		if err != nil {
			t.Fatal(err)
		}
		return tree.Digest()
	}
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, root string)
		opts   TreeOptions
	}{
		{"a byte of a file", func(t *testing.T, root string) {
			write(t, root, "a/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n")
		}, TreeOptions{}},
		{"a file added", func(t *testing.T, root string) { write(t, root, "a/extra.yaml", "") }, TreeOptions{}},
		{"a file removed", func(t *testing.T, root string) { os.Remove(filepath.Join(root, "a/cm.yaml")) }, TreeOptions{}},
		{"a file moved", func(t *testing.T, root string) {
			os.Rename(filepath.Join(root, "a/cm.yaml"), filepath.Join(root, "a/cm2.yaml"))
		}, TreeOptions{}},
		{"an empty folder added", func(t *testing.T, root string) { os.Mkdir(filepath.Join(root, "c"), 0o755) }, TreeOptions{}},
		{"a link retargeted", func(t *testing.T, root string) {
			os.Remove(filepath.Join(root, "link"))
			os.Symlink("b", filepath.Join(root, "link"))
		}, TreeOptions{}},
		{"a link leaving the root", func(t *testing.T, root string) { os.Symlink("/", filepath.Join(root, "out")) }, TreeOptions{}},
		{"a file refused as too large", func(t *testing.T, root string) {}, TreeOptions{MaxFileSize: 20}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := base(t)
			before := digest(t, root, TreeOptions{})
			if again := digest(t, root, TreeOptions{}); again != before {
				t.Fatalf("the same catalog read twice gives two digests")
			}
			tc.change(t, root)
			if after := digest(t, root, tc.opts); after == before {
				t.Errorf("%s: the digest did not change", tc.name)
			}
		})
	}
}

// TestCacheResult: a result is read back under its key only, and an entry
// that does not match its checksum is not trusted.
func TestCacheResult(t *testing.T) {
	c := testCache(t)
	if _, ok := c.Result("k"); ok {
		t.Fatal("an empty cache holds a result")
	}
	c.StoreResult("k", []byte("findings"))
	if got, ok := c.Result("k"); !ok || string(got) != "findings" {
		t.Fatalf("Result = %q, %v; want the stored body", got, ok)
	}
	if _, ok := c.Result("other"); ok {
		t.Fatal("another key reads the result")
	}
	p := c.path(c.resultKey("k"))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-1] ^= 1
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Result("k"); ok {
		t.Fatal("a corrupt entry is read")
	}
}
