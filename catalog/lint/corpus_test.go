package lint

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/index"
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

// TestCorpusIndexFindings checks the reference catalog against the real
// openshift-gitops-operator index of OpenShift 4.18, served as
// redhat-operators: the catalog's gitops Subscription follows channel
// stable, which that index no longer has, and the other redhat-operators
// packages are not in this one-package index. Packages served by other
// sources are not judged.
func TestCorpusIndexFindings(t *testing.T) {
	const gitopsIndex = "../../../shared/corpus/olm-index/fbc/openshift-gitops-operator/v4.18"
	for _, p := range []string{corpusCatalog, gitopsIndex} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", p, err)
		}
	}
	c, err := catalog.Load(corpusCatalog, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Load(gitopsIndex, index.Options{Source: "redhat-operators"})
	if err != nil {
		t.Fatal(err)
	}
	set := index.Set{}
	set.Add(idx)
	findings, err := Run(context.Background(), c, Config{}, Options{Index: set})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		if strings.HasPrefix(f.Rule, "index-") {
			got = append(got, fmt.Sprintf("%s:%d:%d [%s]", f.Path, f.Line, f.Column, f.Rule))
		}
	}
	want := []string{
		"amq-streams-operator/base/amq-streams-operator-subscription.yaml:10:9 [index-package-unknown]",
		"openshift-gitops/operator/base/openshift-gitops-operator-subscription.yaml:7:12 [index-channel-unknown]",
		"openshift-pipelines/base/openshift-pipelines-operator-subscription.yaml:9:9 [index-package-unknown]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("index findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range findings {
		if f.Rule == "index-channel-unknown" && !strings.Contains(f.Message, "latest, gitops-1.6, gitops-1.7") {
			t.Errorf("the message should list the channels there are: %s", f.Message)
		}
	}
}
