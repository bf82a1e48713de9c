package lint

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/index"
)

func TestConfigIndexSet(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "catalog")
	fbc := func(pkg string) string {
		return "---\nschema: olm.package\nname: " + pkg + "\ndefaultChannel: stable\n---\nschema: olm.channel\npackage: " + pkg + "\nname: stable\nentries:\n  - name: " + pkg + ".v1.0.0\n"
	}
	files := map[string]string{
		"catalog/indexes/redhat.yaml":    fbc("gitops"),
		"catalog/indexes/redhat-2.yaml":  fbc("mq"),
		"catalog/indexes/community.yaml": fbc("strimzi"),
		"catalog/bad.yaml":               "schema: [",
		"outside/index.yaml":             fbc("secret"),
	}
	for name, content := range files {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := true
	if err := os.Symlink("../outside", filepath.Join(root, "out")); err != nil {
		links = false
	}
	tests := []struct {
		name    string
		specs   []string
		sources map[string][]string // source → packages
		err     string
	}{
		{"none", nil, map[string][]string{}, ""},
		{"sources merged", []string{"redhat-operators=indexes/redhat.yaml", "redhat-operators=indexes/redhat-2.yaml", "indexes/community.yaml"},
			map[string][]string{"redhat-operators": {"gitops", "mq"}, "": {"strimzi"}}, ""},
		{"a folder", []string{"indexes"}, map[string][]string{"": {"gitops", "mq", "strimzi"}}, ""},
		{"leaves the root", []string{"indexes/redhat.yaml", "../outside/index.yaml"}, nil, `index "../outside/index.yaml" in .opcat.yaml: it leaves the catalog root`},
		{"absolute", []string{filepath.Join(base, "outside", "index.yaml")}, nil, "an absolute path"},
		{"through a link", []string{"out/index.yaml"}, nil, "through a symbolic link"},
		{"checked before reading", []string{"bad.yaml", "../x"}, nil, "it leaves the catalog root"},
		{"unreadable", []string{"bad.yaml"}, nil, "bad.yaml"},
		{"missing", []string{"nope.yaml"}, nil, "nope.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "through a link" && !links {
				t.Skip("no symbolic links here")
			}
			set, err := Config{Indexes: tt.specs}.IndexSet(context.Background(), root, index.Options{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for source, idx := range set {
				got[source] = slices.Sorted(func(yield func(string) bool) {
					for name := range idx.Packages {
						if !yield(name) {
							return
						}
					}
				})
			}
			if len(got) != len(tt.sources) {
				t.Fatalf("sources %v, want %v", got, tt.sources)
			}
			for source, pkgs := range tt.sources {
				if !slices.Equal(got[source], pkgs) {
					t.Errorf("source %q: packages %v, want %v", source, got[source], pkgs)
				}
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Config{Indexes: []string{"indexes"}}).IndexSet(ctx, root, index.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}
