package catalog

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/golden"
	"github.com/opcat-dev/opcat/lib/kustomize/kustomizetest"
)

// TestCorpusOperators pins how the corpus catalogs read as operators:
// every package of each base, channel overlays, variants, the default
// overlay and the link paths of each operator. A change fails the test
// (run with -update after reviewing testdata/corpus-operators/).
func TestCorpusOperators(t *testing.T) {
	for _, name := range []string{"eda-gitops-catalog", "demo-ai-gitops-catalog", "multi-tenancy-gitops-services"} {
		t.Run(name, func(t *testing.T) {
			root := "../../shared/corpus/" + name
			if _, err := os.Stat(root); err != nil {
				t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", root, err)
			}
			if name == "demo-ai-gitops-catalog" {
				root = kustomizetest.CorpusCopy(t, root)
			}
			c, err := Load(context.Background(), root, Options{NoBuild: true})
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			for _, op := range c.Operators {
				fmt.Fprintf(&got, "%s [%s] default=%s\n", op.Dir, strings.Join(op.Packages(), ","), op.DefaultOverlay)
				for _, ov := range op.Overlays {
					fmt.Fprintf(&got, "  overlay %s (%s)\n", ov.Name, ov.Dir)
				}
				for _, ov := range op.Variants {
					fmt.Fprintf(&got, "  variant %s\n", ov.Dir)
				}
				for _, a := range op.Aliases {
					fmt.Fprintf(&got, "  alias %s\n", a)
				}
			}
			for _, u := range c.Unused {
				fmt.Fprintf(&got, "unused %s %s\n", u.Pos, u.Name)
			}
			golden.Check(t, filepath.Join("testdata", "corpus-operators", name+".golden"), got.Bytes())
		})
	}
}
