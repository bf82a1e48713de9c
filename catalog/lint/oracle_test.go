package lint

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/golden"
)

// TestCorpusPatchOracle proves patch-target-unmatched on every patch of
// every corpus catalog against a differential oracle: each patch is
// removed and what runs it is built again. No patch whose removal changes
// a build may have a finding, and no patch whose removal changes nothing
// may lack one when the probe calls it unmatched. The golden file pins
// every patch's verdict, so a real unmatched patch that stops being found,
// or a new finding, fails the test (refresh with -update after review).
func TestCorpusPatchOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("rebuilds every corpus kustomization once per patch; skipped with -short")
	}
	for _, name := range []string{"eda-gitops-catalog", "multi-tenancy-gitops-services", "demo-ai-gitops-catalog"} {
		t.Run(name, func(t *testing.T) {
			root := "../../../shared/corpus/" + name
			if _, err := os.Stat(root); err != nil {
				t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", root, err)
			}
			c, err := catalog.Load(context.Background(), root, catalog.Options{})
			if err != nil {
				t.Fatal(err)
			}
			findings, err := Run(context.Background(), c, Config{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			unmatched, applied := 0, 0
			for _, r := range PatchOracle(c, findings) {
				if r.Disagrees() {
					t.Errorf("oracle disagrees: %s", r)
				}
				if r.Finding {
					unmatched++
				}
				if r.Changed {
					applied++
				}
				fmt.Fprintln(&got, r)
			}
			t.Logf("%s: %d patches change the build, %d are reported unmatched", name, applied, unmatched)
			golden.Check(t, filepath.Join("testdata", "corpus-oracle", name+".txt"), got.Bytes())
		})
	}
}
