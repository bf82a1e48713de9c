package lint

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/output"
)

// The stages of `opcat validate` on the reference corpus, each alone:
// reading the tree, building every kustomization (without and with a warm
// build cache), the rules, and printing the findings. Set
// OPCAT_BENCH_CATALOG to measure another catalog (a demo-ai-gitops-catalog
// copy with its folder links restored, one from `opcat-bench gen`...).

func benchCatalogRoot(b *testing.B) string {
	if root := os.Getenv("OPCAT_BENCH_CATALOG"); root != "" {
		return root
	}
	if _, err := os.Stat(corpusCatalog); err != nil {
		b.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", corpusCatalog, err)
	}
	return corpusCatalog
}

func benchTree(b *testing.B) *kustomize.Tree {
	tree, err := kustomize.ReadTree(benchCatalogRoot(b), kustomize.TreeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return tree
}

func BenchmarkCorpusReadTree(b *testing.B) {
	root := benchCatalogRoot(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kustomize.ReadTree(root, kustomize.TreeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCorpusBuild builds every kustomization of a tree already read
// (each iteration on a fresh copy of the tree's caches: catalog.FromTree
// on a tree read again would measure reading too).
func BenchmarkCorpusBuild(b *testing.B) {
	root := benchCatalogRoot(b)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		tree, err := kustomize.ReadTree(root, kustomize.TreeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		catalog.FromTree(tree, catalog.Options{})
	}
}

// BenchmarkCorpusBuildWarmCache is BenchmarkCorpusBuild with a build cache
// filled by a first run, nothing changed since.
func BenchmarkCorpusBuildWarmCache(b *testing.B) {
	root := benchCatalogRoot(b)
	cache, err := kustomize.OpenCache(b.TempDir(), kustomize.CacheOptions{})
	if err != nil {
		b.Fatal(err)
	}
	catalog.FromTree(benchTree(b), catalog.Options{Cache: cache})
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		tree, err := kustomize.ReadTree(root, kustomize.TreeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		catalog.FromTree(tree, catalog.Options{Cache: cache})
	}
	if s := cache.Stats(); s.Misses > 0 && s.Hits == 0 {
		b.Fatalf("the cache served nothing: %+v", s)
	}
}

// BenchmarkCorpusLint runs every rule on a catalog loaded once.
func BenchmarkCorpusLint(b *testing.B) {
	c := catalog.FromTree(benchTree(b), catalog.Options{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), c, Config{}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCorpusOutput prints the findings in every format.
func BenchmarkCorpusOutput(b *testing.B) {
	c := catalog.FromTree(benchTree(b), catalog.Options{})
	findings, err := Run(context.Background(), c, Config{}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	report := output.Report{Findings: findings, Summary: Summary(c, findings, Options{}), Tool: "opcat", Version: "bench"}
	for _, format := range output.Formats() {
		w, err := output.New(format, output.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := w.Write(io.Discard, report); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
