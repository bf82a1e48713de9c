package lint

import (
	"bytes"
	"context"
	"fmt"
	"github.com/opcat-dev/opcat/lib/golden"
	"github.com/opcat-dev/opcat/lib/kustomize/kustomizetest"
	"os"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/index"
)

const corpusCatalog = "../../../shared/corpus/eda-gitops-catalog"

// corpusCatalogs are the public catalogs of the reference corpus whose
// findings are pinned, each in testdata/corpus/<name>.golden, with a
// reviewed verdict per error in testdata/corpus/<name>.verdicts.
var corpusCatalogs = []string{"eda-gitops-catalog", "demo-ai-gitops-catalog", "multi-tenancy-gitops-services"}

// TestCorpusFindings pins every finding on the reference catalogs. Each line
// of the golden files was reviewed against the catalog's files: a defect
// that stops being found, or a new finding, fails the test. Every error has
// a verdict, written after reading the files and building the folder with
// the kustomize CLI; a verdict that is not "real defect" fails the test.
func TestCorpusFindings(t *testing.T) {
	for _, name := range corpusCatalogs {
		t.Run(name, func(t *testing.T) {
			root := "../../../shared/corpus/" + name
			root = kustomizetest.CorpusCopy(t, root)
			c, err := catalog.Load(context.Background(), root, catalog.Options{})
			if err != nil {
				t.Fatal(err)
			}
			findings, err := Run(context.Background(), c, Config{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			var errs []string
			for _, f := range findings {
				fmt.Fprintf(&got, "%s:%d:%d: %s: %s [%s] (%s/%s)\n", f.Path, f.Line, f.Column, f.Severity, f.Message, f.Rule, f.Operator, f.Overlay)
				if f.Severity == diag.Error {
					errs = append(errs, fmt.Sprintf("%s:%d:%d [%s]", f.Path, f.Line, f.Column, f.Rule))
				}
			}
			golden.Check(t, "testdata/corpus/"+name+".golden", got.Bytes())
			checkVerdicts(t, "testdata/corpus/"+name+".verdicts", errs)
		})
	}
}

// checkVerdicts reads a verdict file — one line per error, "<path>:<line>:
// <col> [<rule>] <verdict>", # for comments — and requires a verdict for
// every error, none for an error no longer found, and each to be "real
// defect: <why>".
func checkVerdicts(t *testing.T, file string, errs []string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("every error on a corpus catalog needs a reviewed verdict: %v", err)
	}
	verdicts := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		at, verdict, ok := strings.Cut(line, "] ")
		if !ok {
			t.Errorf("%s:%d: want \"<path>:<line>:<col> [<rule>] <verdict>\"", file, i+1)
			continue
		}
		verdicts[at+"]"] = verdict
	}
	for _, e := range errs {
		v, ok := verdicts[e]
		switch {
		case !ok:
			t.Errorf("%s: no verdict for the error %s", file, e)
		case !strings.HasPrefix(v, "real defect: "):
			t.Errorf("%s: %s is judged %q: a false error must be fixed, not pinned", file, e, v)
		}
		delete(verdicts, e)
	}
	for e := range verdicts {
		t.Errorf("%s: verdict for %s, which is no longer an error", file, e)
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
	c, err := catalog.Load(context.Background(), corpusCatalog, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Load(context.Background(), gitopsIndex, index.Options{Source: "redhat-operators"})
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
