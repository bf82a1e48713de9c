package catalog_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// The reference corpus, beside the project in development checkouts.
const benchCorpus = "../../shared/corpus/eda-gitops-catalog"

// quietStderr silences os.Stderr for the rest of the benchmark: the
// kustomize engine prints a deprecation warning there for every legacy
// field it builds.
func quietStderr(b *testing.B) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return
	}
	saved := os.Stderr
	os.Stderr = devnull
	b.Cleanup(func() { os.Stderr = saved; devnull.Close() })
}

// writeBenchCatalog writes a catalog of n operators, each with a base, a
// default-overlay pointer and three channel overlays, and returns its root.
// (cmd/opcat-bench gen writes larger and more varied ones.)
func writeBenchCatalog(b *testing.B, n int) string {
	root := b.TempDir()
	write := func(p, content string) {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i := range n {
		op := fmt.Sprintf("group/op%d/operator", i)
		write(op+"/base/kustomization.yaml", "resources:\n  - subscription.yaml\n")
		write(op+"/base/subscription.yaml", fmt.Sprintf("apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\n"+
			"metadata:\n  name: op%d\n  namespace: openshift-operators\nspec:\n  channel: v1.0\n  name: op%d\n"+
			"  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n", i, i))
		write(op+"/overlays/kustomization.yaml", "resources:\n  - ./v1.3\n")
		for minor := 1; minor <= 3; minor++ {
			ov := fmt.Sprintf("%s/overlays/v1.%d", op, minor)
			write(ov+"/kustomization.yaml", fmt.Sprintf("resources:\n  - ../../base\npatches:\n  - path: patch-channel.yaml\n"+
				"    target:\n      kind: Subscription\n      name: op%d\n", i))
			write(ov+"/patch-channel.yaml", fmt.Sprintf("- op: replace\n  path: /spec/channel\n  value: v1.%d\n", minor))
		}
	}
	return root
}

func benchLoad(b *testing.B, root string) {
	quietStderr(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.Load(context.Background(), root, catalog.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadCorpus loads and renders the reference corpus.
func BenchmarkLoadCorpus(b *testing.B) {
	if _, err := os.Stat(benchCorpus); err != nil {
		b.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", benchCorpus, err)
	}
	benchLoad(b, benchCorpus)
}

// BenchmarkLoadGenerated loads and renders a generated catalog of 30
// operators, or the catalog at $OPCAT_BENCH_CATALOG when set (for instance
// one written by `go run ./cmd/opcat-bench gen`).
func BenchmarkLoadGenerated(b *testing.B) {
	root := os.Getenv("OPCAT_BENCH_CATALOG")
	if root == "" {
		root = writeBenchCatalog(b, 30)
	}
	benchLoad(b, root)
}

// BenchmarkReadTree reads the generated catalog into memory.
func BenchmarkReadTree(b *testing.B) {
	root := writeBenchCatalog(b, 30)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kustomize.ReadTree(root, kustomize.TreeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildOverlay builds one overlay of a tree already read.
func BenchmarkBuildOverlay(b *testing.B) {
	tree, err := kustomize.ReadTree(writeBenchCatalog(b, 30), kustomize.TreeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	builder := kustomize.NewBuilder(tree)
	const dir = "group/op7/operator/overlays/v1.2"
	if res := builder.Build(dir); res.Err != nil {
		b.Fatal(res.Err)
	}
	b.ReportAllocs()
	for b.Loop() {
		builder.Build(dir)
	}
}
