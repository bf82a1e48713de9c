package kustomize_test

import (
	"fmt"
	"log"
	"os"

	"github.com/opcat-dev/opcat/lib/kustomize"
)

func ExampleParseJSON6902() {
	patch := []byte(`- op: replace
  path: /spec/replicas
  value: 3
- op: remove
  path: spec/paused
`)
	ops, problems := kustomize.ParseJSON6902("overlays/prod/replicas.yaml", patch)
	for _, op := range ops {
		v, _ := op.ValueString()
		fmt.Printf("%s %s %s = %s\n", op.Pos, op.Op, op.Path, v)
	}
	for _, p := range problems {
		fmt.Println(p.Kind, p)
	}
	// Output:
	// overlays/prod/replicas.yaml:1:3 replace /spec/replicas = 3
	// patch-invalid overlays/prod/replicas.yaml:5:9: path "spec/paused" is not a JSON pointer: it must start with /
}

func ExampleBuilder_Build() {
	tree := kustomize.NewTreeFromMap(map[string]string{
		"base/kustomization.yaml": "resources:\n- configmap.yaml\n",
		"base/configmap.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n",
		"overlays/prod/kustomization.yaml": `resources:
- ../../base
namespace: prod
patches:
- target:
    kind: ConfigMap
    name: settings
  patch: |-
    - op: replace
      path: /data/level
      value: warn
`,
		"overlays/remote/kustomization.yaml": "resources:\n- ../../base\n- github.com/org/repo//deploy?ref=main\n",
	})
	b := kustomize.NewBuilder(tree)

	res := b.Build("overlays/prod")
	fmt.Print(string(res.YAML()))

	res = b.Build("overlays/remote")
	fmt.Println(res.Err.Kind, res.Err.Pos)
	// Output:
	// apiVersion: v1
	// data:
	//   level: warn
	// kind: ConfigMap
	// metadata:
	//   name: settings
	//   namespace: prod
	// kustomize-remote overlays/remote/kustomization.yaml:3:3
}

func ExampleOpenCache() {
	dir, err := os.MkdirTemp("", "opcat-cache-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cache, err := kustomize.OpenCache(dir, kustomize.CacheOptions{})
	if err != nil {
		log.Fatal(err) // a command would build without a cache instead
	}
	files := map[string]string{
		"base/kustomization.yaml": "resources:\n- configmap.yaml\n",
		"base/configmap.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
	}
	for run := 1; run <= 2; run++ {
		b := kustomize.NewBuilder(kustomize.NewTreeFromMap(files))
		b.Cache = cache
		res := b.Build("base")
		s := cache.Stats()
		fmt.Printf("run %d: %d objects; cache: %d hits, %d misses\n", run, len(res.Resources), s.Hits, s.Misses)
	}
	// Output:
	// run 1: 1 objects; cache: 0 hits, 1 misses
	// run 2: 1 objects; cache: 1 hits, 1 misses
}
