package lint

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
)

var update = flag.Bool("update", false, "rewrite golden files")

const corpusCatalog = "../../../shared/corpus/eda-gitops-catalog"

// TestCorpusFindings pins every finding on the reference catalog. Each line
// of the golden file was reviewed against the catalog's files: a defect
// that stops being found, or a new finding, fails the test.
func TestCorpusFindings(t *testing.T) {
	if _, err := os.Stat(corpusCatalog); err != nil {
		t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", corpusCatalog, err)
	}
	c, err := catalog.Load(corpusCatalog, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findings, err := Run(context.Background(), c, Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	for _, f := range findings {
		fmt.Fprintf(&got, "%s:%d:%d: %s: %s [%s] (%s/%s)\n", f.Path, f.Line, f.Column, f.Severity, f.Message, f.Rule, f.Operator, f.Overlay)
	}
	golden := "testdata/corpus-findings.golden"
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("findings on the reference catalog changed (run with -update after reviewing):\n--- got\n%s\n--- want\n%s", got.Bytes(), want)
	}
}
