package cli

import (
	"github.com/opcat-dev/opcat/lib/kustomize/kustomizetest"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusCatalog returns a copy of the corpus catalog name with its folder
// links restored.
func corpusCatalog(t *testing.T, name string) string {
	t.Helper()
	return kustomizetest.CorpusCopy(t, filepath.Join(filepath.Dir(corpus), name))
}

func cacheFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// TestCacheCorpusFindings: on every corpus catalog, validate and list
// print the same with no cache, with a cold cache and with a warm one, and
// the warm run writes nothing new.
func TestCacheCorpusFindings(t *testing.T) {
	for _, name := range []string{"eda-gitops-catalog", "multi-tenancy-gitops-services", "demo-ai-gitops-catalog"} {
		t.Run(name, func(t *testing.T) {
			if testing.Short() && name == "demo-ai-gitops-catalog" {
				t.Skip("-short: demo-ai-gitops-catalog takes six full runs")
			}
			root := corpusCatalog(t, name)
			cache := t.TempDir()
			for _, args := range [][]string{{"validate", "--format", "json"}, {"list", "-o", "json"}} {
				plain := run(t, append([]string{"-C", root, "--no-cache"}, args...)...)
				cold := run(t, append([]string{"-C", root, "--cache-dir", cache}, args...)...)
				entries := cacheFiles(t, cache)
				warm := run(t, append([]string{"-C", root, "--cache-dir", cache}, args...)...)
				if entries < 10 {
					t.Fatalf("%v: the cache holds %d files after a run", args, entries)
				}
				if n := cacheFiles(t, cache); n != entries {
					t.Errorf("%v: a run with nothing changed wrote %d cache files", args, n-entries)
				}
				for what, r := range map[string]result{"cold cache": cold, "warm cache": warm} {
					if r.code != plain.code || r.stdout != plain.stdout || r.stderr != plain.stderr {
						t.Errorf("%v with a %s differs from the run without cache:\n%s\nwant:\n%s", args, what, r, plain)
					}
				}
				if plain.code > 1 || len(plain.stdout) < 100 {
					t.Fatalf("%v: %s", args, plain)
				}
			}
		})
	}
}

// TestCacheUnusable: a cache folder that cannot be made turns the cache
// off with a note; the command runs as without it.
func TestCacheUnusable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	plain := run(t, "-C", simple, "--no-cache", "validate")
	for _, args := range [][]string{
		{"-C", simple, "--cache-dir", filepath.Join(file, "cache"), "validate"},
	} {
		r := run(t, args...)
		if r.code != plain.code || r.stdout != plain.stdout {
			t.Errorf("%v: %s\nwant:\n%s", args, r, plain)
		}
		if !strings.Contains(r.stderr, "opcat: note: build cache off:") {
			t.Errorf("%v: no note on stderr: %s", args, r)
		}
	}
	t.Setenv("OPCAT_CACHE_DIR", filepath.Join(file, "env"))
	r := run(t, "-C", simple, "validate")
	if r.code != plain.code || !strings.Contains(r.stderr, filepath.Join(file, "env")) {
		t.Errorf("OPCAT_CACHE_DIR unusable: %s", r)
	}
}
