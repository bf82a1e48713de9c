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
		fmt.Println(p.Cause, p)
	}
	// Output:
	// overlays/prod/replicas.yaml:1:3 replace /spec/replicas = 3
	// invalid patch overlays/prod/replicas.yaml:5:9: path "spec/paused" is not a JSON pointer: it must start with /
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
	fmt.Println(res.Err.Cause, res.Err.Pos)
	// Output:
	// apiVersion: v1
	// data:
	//   level: warn
	// kind: ConfigMap
	// metadata:
	//   name: settings
	//   namespace: prod
	// remote overlays/remote/kustomization.yaml:3:3
}

// Ask kustomize whether each patch of an overlay applies to any resource.
// The first targets the ConfigMap by its name before the base's prefix,
// which kustomize matches; the second names no resource, and kustomize
// would drop it silently.
func ExampleBuilder_PatchApplies() {
	tree := kustomize.NewTreeFromMap(map[string]string{
		"base/kustomization.yaml": "namePrefix: app-\nresources:\n- configmap.yaml\n",
		"base/configmap.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
		"overlay/kustomization.yaml": `resources:
- ../base
patches:
- target: {kind: ConfigMap, name: settings}
  patch: '[{"op": "add", "path": "/data", "value": {"level": "debug"}}]'
- target: {kind: ConfigMap, name: setings}
  patch: '[{"op": "add", "path": "/data", "value": {"level": "warn"}}]'
`,
	})
	b := kustomize.NewBuilder(tree)
	k := tree.Kustomization("overlay/kustomization.yaml")
	for _, p := range k.Patches() {
		fmt.Println(p.Pos, b.PatchApplies("overlay", k, p))
	}
	// Output:
	// overlay/kustomization.yaml:4:3 applied
	// overlay/kustomization.yaml:6:3 unmatched
}

func ExampleBuilder_EstimateResources() {
	tree := kustomize.NewTreeFromMap(map[string]string{
		"base/kustomization.yaml": "resources:\n- cm.yaml\n",
		"base/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
		"x/kustomization.yaml":    "namePrefix: x-\nresources:\n- ../base\n",
		"y/kustomization.yaml":    "namePrefix: y-\nresources:\n- ../base\n",
		"top/kustomization.yaml":  "resources:\n- ../x\n- ../y\n",
	})
	b := kustomize.NewBuilder(tree)
	// top, x, y, base twice and its ConfigMap twice.
	fmt.Println(b.EstimateResources("top"), b.EstimateResources("top") <= kustomize.MaxBuildSize)
	// Output: 7 true
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

// FindPatchOp finds the JSON patch operation that writes a value, in a
// folder or in what it includes: here the base's patch file.
func ExampleTree_FindPatchOp() {
	tree := kustomize.NewTreeFromMap(map[string]string{
		"base/kustomization.yaml": "resources:\n- sub.yaml\npatches:\n- path: p.yaml\n  target: {kind: Subscription}\n",
		"base/sub.yaml":           "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: s}\nspec: {channel: a}\n",
		"base/p.yaml":             "- op: replace\n  path: /spec/channel\n  value: b\n",
		"ov/kustomization.yaml":   "resources:\n- ../base\n",
	})
	o, ok := tree.FindPatchOp("ov", func(o kustomize.WrittenOp) bool {
		return o.Writes([]string{"spec", "channel"})
	})
	fmt.Println(o.Op.Op, o.Path, o.Pos, ok)
	// Output:
	// replace /spec/channel base/p.yaml:1:3 true
}
