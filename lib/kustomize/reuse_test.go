package kustomize

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// assertReuseMatchesFullBuild builds every kustomization of tree twice with
// one Builder (so the second round reuses what the first built) and once
// with reuse off, and requires the same verdict and the same bytes.
func assertReuseMatchesFullBuild(t *testing.T, tree *Tree) (reused int) {
	t.Helper()
	full := NewBuilder(tree)
	full.NoReuse = true
	fast := NewBuilder(tree)
	dirs := tree.KustomizationDirs()
	for round := 0; round < 2; round++ {
		for _, dir := range dirs {
			if round == 1 {
				if _, ok := fast.buildOnRendered(dir); ok {
					reused++
				}
			}
			want, got := full.Build(dir), fast.Build(dir)
			if (want.Err == nil) != (got.Err == nil) {
				t.Errorf("%s: full build error %v, reusing build error %v", dir, want.Err, got.Err)
				continue
			}
			if !bytes.Equal(want.YAML(), got.YAML()) {
				t.Errorf("%s: reusing build differs from the full build\n--- full\n%s\n--- reusing\n%s", dir, want.YAML(), got.YAML())
			}
		}
	}
	return reused
}

// TestReuseMatchesFullBuildOnCorpus holds the reuse of rendered folders to
// the bytes of a full krusty build on every kustomization of the corpus.
func TestReuseMatchesFullBuildOnCorpus(t *testing.T) {
	tree := corpusTree(t)
	if n := assertReuseMatchesFullBuild(t, tree); n < 20 {
		t.Errorf("only %d kustomizations of the corpus were built on rendered folders; the test proves little", n)
	}
}

// TestReuseMatchesFullBuildOnDemoAI does the same on demo-ai-gitops-catalog
// with its folder links restored: components, aggregates, links.
func TestReuseMatchesFullBuildOnDemoAI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the 914 kustomizations of demo-ai-gitops-catalog three times")
	}
	tree, err := ReadTree(linkedCorpus(t), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := assertReuseMatchesFullBuild(t, tree)
	t.Logf("%d of %d kustomizations built on rendered folders", n, len(tree.KustomizationDirs()))
	if n < 100 {
		t.Errorf("only %d kustomizations of demo-ai-gitops-catalog were built on rendered folders; the test proves little", n)
	}
}

// variantTree writes a small catalog whose base and overlays use the fields
// that reuse applies to, chosen by seed: namespaces set or not, labels,
// annotations, images, replicas, JSON and strategic-merge patches, several
// resources with cross references, and an overlay of an overlay.
func variantTree(seed int64) map[string]string {
	r := rand.New(rand.NewSource(seed))
	pick := func() bool { return r.Intn(2) == 0 }
	files := map[string]string{}
	var base strings.Builder
	base.WriteString("resources:\n  - subscription.yaml\n  - deploy.yaml\n  - rbac.yaml\n")
	if pick() {
		base.WriteString("namespace: ops\n")
	}
	if pick() {
		base.WriteString("commonLabels:\n  team: platform\n")
	}
	if pick() {
		base.WriteString("commonAnnotations:\n  owner: sre\n")
	}
	files["op/base/kustomization.yaml"] = base.String()
	files["op/base/subscription.yaml"] = "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: op\n  namespace: openshift-operators\nspec:\n  channel: stable\n  name: op\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n"
	files["op/base/deploy.yaml"] = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      serviceAccountName: web\n      containers:\n        - name: web\n          image: nginx:1.0\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n"
	files["op/base/rbac.yaml"] = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: web\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n  - kind: ServiceAccount\n    name: web\n    namespace: ops\n"
	for i := 0; i < 3; i++ {
		var ov strings.Builder
		dir := fmt.Sprintf("op/overlays/v%d", i)
		if pick() {
			ov.WriteString("bases:\n  - ../../base\n")
		} else {
			ov.WriteString("resources:\n  - ../../base\n")
		}
		if pick() {
			ov.WriteString(fmt.Sprintf("namespace: ns-%d\n", r.Intn(3)))
		}
		if pick() {
			ov.WriteString("labels:\n  - pairs:\n      tier: gold\n    includeSelectors: " + fmt.Sprint(pick()) + "\n")
		}
		if pick() {
			ov.WriteString("images:\n  - name: nginx\n    newTag: \"2.0\"\n")
		}
		if pick() {
			ov.WriteString("replicas:\n  - name: web\n    count: 3\n")
		}
		ov.WriteString("patches:\n  - path: patch.yaml\n    target:\n      kind: Subscription\n")
		if pick() {
			ov.WriteString("      namespace: openshift-operators\n")
		}
		files[dir+"/patch.yaml"] = fmt.Sprintf("- op: replace\n  path: /spec/channel\n  value: v%d\n- op: add\n  path: /spec/startingCSV\n  value: op.v%d.0.0\n", i, i)
		if pick() {
			ov.WriteString("patchesStrategicMerge:\n  - smp.yaml\n")
			files[dir+"/smp.yaml"] = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env:\n            - name: MODE\n              value: v" + fmt.Sprint(i) + "\n"
		}
		if pick() {
			ov.WriteString("patchesJson6902:\n  - target:\n      group: apps\n      version: v1\n      kind: Deployment\n      name: web\n    patch: |-\n      - op: add\n        path: /metadata/labels\n        value: {variant: \"" + fmt.Sprint(i) + "\"}\n")
		}
		if pick() {
			ov.WriteString("components:\n  - ../../comp\n")
		}
		files[dir+"/kustomization.yaml"] = ov.String()
	}
	// A component that overlays may add: labels, annotations and a patch
	// by name, as monitoring components do.
	comp := "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
	if pick() {
		comp += "commonLabels:\n  monitoring: \"on\"\n"
	}
	if pick() {
		comp += "commonAnnotations:\n  scrape: \"true\"\n"
	}
	comp += "patches:\n  - target:\n      kind: Deployment\n      name: web\n    patch: |-\n      - op: add\n        path: /spec/template/metadata/annotations\n        value: {monitored: \"yes\"}\n"
	files["op/comp/kustomization.yaml"] = comp
	// An overlay of an overlay, and a pointer.
	files["op/overlays/prod/kustomization.yaml"] = "resources:\n  - ../v1\nnamespace: prod\n"
	files["op/overlays/kustomization.yaml"] = "resources:\n  - ./v2\n"
	return files
}

func TestReuseMatchesFullBuildOnVariants(t *testing.T) {
	total := 0
	for seed := int64(0); seed < 40; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			total += assertReuseMatchesFullBuild(t, NewTreeFromMap(variantTree(seed)))
		})
	}
	if total < 50 {
		t.Errorf("only %d builds reused rendered folders over 40 variants", total)
	}
}

// TestReuseWithTopLevelComponent: a folder that adds a component using
// only reusable fields is built on its includes' rendered output.
func TestReuseWithTopLevelComponent(t *testing.T) {
	tree := NewTreeFromMap(map[string]string{
		"base/kustomization.yaml": "resources:\n  - cm.yaml\n",
		"base/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
		"comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels:\n  a: b\n" +
			"patches:\n  - target:\n      kind: ConfigMap\n      name: x\n    patch: |-\n      - op: add\n        path: /data\n        value: {k: v}\n",
		"app/kustomization.yaml": "resources:\n  - ../base\ncomponents:\n  - ../comp\nnamespace: apps\n",
	})
	b := NewBuilder(tree)
	b.Build("base")
	if _, ok := b.buildOnRendered("app"); !ok {
		t.Errorf("a top-level component with reusable fields was not built on rendered folders")
	}
	assertReuseMatchesFullBuild(t, tree)
}

func TestReuseIsNotUsedForNestedOnlyFeatures(t *testing.T) {
	tests := map[string]string{
		"generator":                  "resources:\n  - ../base\nconfigMapGenerator:\n  - name: cfg\n    literals: [a=b]\n",
		"name prefix":                "resources:\n  - ../base\nnamePrefix: p-\n",
		"component with a generator": "resources:\n  - ../base\ncomponents:\n  - ../gen-comp\n",
		"nested component":           "resources:\n  - ../with-comp\n",
	}
	for name, overlay := range tests {
		t.Run(name, func(t *testing.T) {
			tree := NewTreeFromMap(map[string]string{
				"base/kustomization.yaml": "resources:\n  - cm.yaml\n",
				"base/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
				"comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels:\n  a: b\n",
				"gen-comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n" +
					"configMapGenerator:\n  - name: cfg\n    literals: [a=b]\n",
				"with-comp/kustomization.yaml": "resources:\n  - ../base\ncomponents:\n  - ../comp\n",
				"app/kustomization.yaml":       overlay,
			})
			b := NewBuilder(tree)
			b.Build("base")
			b.Build("with-comp")
			if _, ok := b.buildOnRendered("app"); ok {
				t.Errorf("%s: built on rendered folders, want a full build", name)
			}
			assertReuseMatchesFullBuild(t, tree)
		})
	}
}

// FuzzReuseMatchesFullBuild generates catalog variants from the seed and
// requires reuse to give a full build's bytes.
func FuzzReuseMatchesFullBuild(f *testing.F) {
	for _, s := range []int64{1, 7, 42, 1234} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed int64) {
		assertReuseMatchesFullBuild(t, NewTreeFromMap(variantTree(seed)))
	})
}

// TestBuildWith: building with one file replaced gives what a tree holding
// the new content gives, and leaves the tree as it was.
func TestBuildWith(t *testing.T) {
	files := variantTree(3)
	tree := NewTreeFromMap(files)
	const file = "op/overlays/v1/kustomization.yaml"
	changed := strings.Replace(files[file], "patches:", "commonAnnotations:\n  changed: \"yes\"\npatches:", 1)
	got := NewBuilder(tree).BuildWith("op/overlays/v1", file, []byte(changed))
	files[file] = changed
	want := NewBuilder(NewTreeFromMap(files)).Build("op/overlays/v1")
	if got.Err != nil || want.Err != nil || !bytes.Equal(got.YAML(), want.YAML()) || !strings.Contains(string(got.YAML()), "changed: \"yes\"") {
		t.Fatalf("BuildWith differs from a build of the changed tree: %v %v\n%s\n---\n%s", got.Err, want.Err, got.YAML(), want.YAML())
	}
	if data, _ := tree.ReadFile(file); strings.Contains(string(data), "changed") {
		t.Error("BuildWith changed the tree")
	}
	// Through an overlay of the changed one.
	got = NewBuilder(tree).BuildWith("op/overlays/prod", file, []byte(changed))
	want = NewBuilder(NewTreeFromMap(files)).Build("op/overlays/prod")
	if !bytes.Equal(got.YAML(), want.YAML()) {
		t.Errorf("BuildWith through an including overlay differs:\n%s\n---\n%s", got.YAML(), want.YAML())
	}
}

// TestReuseStrategicMergeRename: a strategic-merge patch allowed to rename
// makes kustomize remember the earlier name, which a patch of the
// including kustomization still matches; the including folder is built in
// full, to the CLI's bytes.
func TestReuseStrategicMergeRename(t *testing.T) {
	tree := NewTreeFromMap(map[string]string{
		"b/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
		"b/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- options: {allowNameChange: true}\n  target: {kind: ConfigMap, name: cm}\n  patch: |\n" +
			"    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: renamed\n",
		"o/kustomization.yaml": "resources: [../b]\npatches:\n- target: {kind: ConfigMap, name: cm}\n  patch: '[{\"op\": \"add\", \"path\": \"/data\", \"value\": {\"a\": \"1\"}}]'\n",
	})
	assertReuseMatchesFullBuild(t, tree)
	res := NewBuilder(tree).Build("o")
	if out := string(res.YAML()); !strings.Contains(out, "a: \"1\"") || !strings.Contains(out, "name: renamed") {
		t.Errorf("the patch by the earlier name is not applied:\n%s", out)
	}
}
