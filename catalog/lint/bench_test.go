package lint

import (
	"context"
	"fmt"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// benchFiles is a catalog of n copies of the rule tests' clean operator,
// each with three overlays.
func benchFiles(n int) map[string]string {
	files := map[string]string{}
	for i := 0; i < n; i++ {
		for name, content := range cleanCatalog {
			files[fmt.Sprintf("group/op%d/%s", i, name[len("mq/"):])] = content
		}
		for _, ch := range []string{"v1.7", "v1.8"} {
			files[fmt.Sprintf("group/op%d/operator/overlays/%s/kustomization.yaml", i, ch)] = overlayKustomization(fullTarget)
			files[fmt.Sprintf("group/op%d/operator/overlays/%s/patch-channel.yaml", i, ch)] = overlayPatch(ch, "ibm-mq."+ch+".0")
		}
	}
	return files
}

// BenchmarkLint measures the rules alone, on a catalog loaded once.
func BenchmarkLint(b *testing.B) {
	c := catalog.FromTree(kustomize.NewTreeFromMap(benchFiles(50)), catalog.Options{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), c, Config{}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLintWithIndex adds the index-* rules.
func BenchmarkLintWithIndex(b *testing.B) {
	c := catalog.FromTree(kustomize.NewTreeFromMap(benchFiles(50)), catalog.Options{})
	set := testIndex(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), c, Config{}, Options{Index: set}); err != nil {
			b.Fatal(err)
		}
	}
}
