package kustomizetest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/opcat-dev/opcat/lib/kustomize/kustomizetest"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGitLinkFiles(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"ops/real/kustomization.yaml": "resources: []\n",
		"ops/alias":                   "real",              // a link git could not make
		"ops/notes":                   "real\n",            // a line break: a text file
		"ops/gone":                    "missing",           // no such folder
		"ops/abs":                     "/etc",              // absolute
		"ops/up":                      "../..",             // leaves the root
		"ops/file.txt":                "real",              // has an extension
		"ops/real/back":               "../real",           // a folder beside it, through ..
		"LICENSE":                     "Apache License...", // not a path
	})
	links, err := kustomizetest.GitLinkFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ops/alias": "ops/real", "ops/real/back": "ops/real"}
	if fmt.Sprint(links) != fmt.Sprint(want) {
		t.Errorf("link files %v, want %v", links, want)
	}
	dst := filepath.Join(t.TempDir(), "copy")
	if err := kustomizetest.CopyWithLinks(root, dst, links); err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(filepath.Join(dst, "ops", "alias")); err != nil || target != "real" {
		t.Errorf("ops/alias in the copy: %q, %v; want a link to real", target, err)
	}
	if data, err := os.ReadFile(filepath.Join(dst, "ops", "notes")); err != nil || string(data) != "real\n" {
		t.Errorf("ops/notes in the copy: %q, %v", data, err)
	}
}
