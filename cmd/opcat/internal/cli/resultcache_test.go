package cli

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// validateRuns runs validate in each format, and once limited to an
// operator, without cache, then twice with cache, and fails unless all
// three print the same and the last run is answered from the cache of
// whole results.
func validateRuns(t *testing.T, what, root, cache string, scope []string) {
	t.Helper()
	for _, args := range [][]string{
		{"validate", "--format", "json"},
		{"validate", "--format", "text"},
		{"validate", "--format", "junit"},
		{"validate", "--format", "sarif"},
		append([]string{"validate", "--format", "json"}, scope...),
	} {
		plain := run(t, append([]string{"-C", root, "--no-cache"}, args...)...)
		first := run(t, append([]string{"-C", root, "--cache-dir", cache}, args...)...)
		hits := resultHits.Load()
		again := run(t, append([]string{"-C", root, "--cache-dir", cache}, args...)...)
		if resultHits.Load() != hits+1 {
			t.Errorf("%s: %v: the run with nothing changed was not answered from the cache", what, args)
		}
		for name, r := range map[string]result{"first cached run": first, "second cached run": again} {
			if r.code != plain.code || r.stdout != plain.stdout || r.stderr != plain.stderr {
				t.Fatalf("%s: %v: the %s differs from the run without cache:\n%s\nwant:\n%s", what, args, name, r, plain)
			}
		}
		if plain.code > 1 {
			t.Fatalf("%s: %v: %s", what, args, plain)
		}
	}
}

// catalogFiles lists the regular files under root, links and .git left out.
func catalogFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// edit changes one file the way people do: a value changed, a line
// removed, a comment added, the file removed, or a new file beside it.
func edit(t *testing.T, rng *rand.Rand, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	switch k := rng.IntN(6); {
	case k == 0:
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
		return "removed"
	case k == 1:
		extra := filepath.Join(filepath.Dir(file), "extra.yaml")
		if err := os.WriteFile(extra, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return "a file added beside it"
	case k == 2 && len(lines) > 1:
		i := rng.IntN(len(lines))
		lines = append(lines[:i], lines[i+1:]...)
	case k == 3:
		lines = append(lines, "# changed")
	default:
		i := rng.IntN(len(lines))
		if j := strings.LastIndex(lines[i], ": "); j >= 0 {
			lines[i] = lines[i][:j] + ": changed-" + fmt.Sprint(rng.IntN(100))
		} else {
			lines[i] += "x"
		}
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return "changed"
}

// TestValidateResultCache: on the corpus catalogs, a validate run answered
// from the cache of whole results prints what a run without cache prints,
// in every format, with and without a scope; after random one-file edits
// (and a changed configuration) the cache never answers for the old
// catalog.
func TestValidateResultCache(t *testing.T) {
	for _, tc := range []struct {
		name  string
		scope string
		edits int
	}{
		{"eda-gitops-catalog", "kafka-strimzi", 8},
		{"multi-tenancy-gitops-services", "instances", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := corpusCatalog(t, tc.name)
			cache := t.TempDir()
			validateRuns(t, "as read", root, cache, []string{tc.scope})
			rng := rand.New(rand.NewPCG(7, uint64(len(tc.name))))
			for i := range tc.edits {
				files := catalogFiles(t, root)
				file := files[rng.IntN(len(files))]
				how := edit(t, rng, file)
				rel, _ := filepath.Rel(root, file)
				validateRuns(t, fmt.Sprintf("edit %d: %s %s", i, rel, how), root, cache, []string{tc.scope})
			}
			cfg := filepath.Join(root, ".opcat.yaml")
			if err := os.WriteFile(cfg, []byte("rules:\n  subscription-approval-mixed: off\nignore:\n  - \"**/overlays/**\"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			validateRuns(t, "configuration changed", root, cache, []string{tc.scope})
		})
	}
}
