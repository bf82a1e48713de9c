package export

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/argocd"
)

const edaCatalog = "../../../shared/corpus/eda-gitops-catalog"

// The reference catalog exports its eight default overlays, leaves out
// the seven operators without one, twice to the same bytes, and every
// manifest holds exactly the objects of the overlay's build.
func TestCorpusExport(t *testing.T) {
	if _, err := os.Stat(edaCatalog); err != nil {
		t.Skip("the reference corpus is absent (../shared/corpus/eda-gitops-catalog)")
	}
	c := load(t, edaCatalog)
	e, err := Build(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var skipped []string
	for _, s := range e.Meta.Skipped {
		skipped = append(skipped, s.Operator)
	}
	if want := []string{"amq-streams-operator", "cp4i-operators", "cp4i-operators/asset-repository", "cp4i-operators/common-service", "elastic-search-operator", "grafana-operator", "kafka-strimzi"}; !slices.Equal(skipped, want) {
		t.Errorf("skipped %v, want %v", skipped, want)
	}
	if len(e.Meta.Selection) != 8 {
		t.Errorf("%d overlays exported, want 8", len(e.Meta.Selection))
	}
	files := map[string][]byte{}
	for _, f := range e.Files {
		files[f.Name] = f.Data
	}
	for _, s := range e.Meta.Selection {
		res := c.Kustomizations[s.Path].Result
		want := splitDocs(res.YAML())
		got := splitDocs(files[s.Manifest])
		slices.SortFunc(want, bytes.Compare)
		slices.SortFunc(got, bytes.Compare)
		if len(got) != s.Objects || !slices.EqualFunc(got, want, bytes.Equal) {
			t.Errorf("%s: the manifest's objects differ from the build's", s.Manifest)
		}
	}
	again, err := Build(load(t, edaCatalog), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := e.TarGz()
	b, _ := again.TarGz()
	if !bytes.Equal(a, b) {
		t.Error("two exports of the reference catalog differ")
	}
	v := &Verified{}
	v.check(files, e.Meta.Digest)
	if !v.OK() {
		t.Errorf("the export does not verify: %v", v.Problems)
	}
}

// The corpus's ApplicationSets (demo-ai-gitops-catalog) use list
// generators: nothing there depends on a cluster's labels, and a selection
// by labels says so rather than guessing.
func TestCorpusClusterSelection(t *testing.T) {
	const demo = "../../../shared/corpus/demo-ai-gitops-catalog"
	if _, err := os.Stat(demo); err != nil {
		t.Skip("the reference corpus is absent (../shared/corpus/demo-ai-gitops-catalog)")
	}
	c := load(t, demo)
	_, err := ClusterSelection(c, ClusterOptions{Cluster: argocd.Cluster{Labels: map[string]string{"env": "prod"}}})
	if err == nil || !strings.Contains(err.Error(), "no ApplicationSet of the catalog has a clusters generator") {
		t.Fatalf("err = %v", err)
	}
}
