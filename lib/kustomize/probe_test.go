package kustomize

import (
	"bytes"
	"strings"
	"testing"
)

const probeCM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  labels: {app: web}
data: {a: "1"}
`

const probeDeploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team
spec:
  template:
    spec:
      containers: [{name: web, image: nginx}]
`

// TestPatchApplies holds the probe to kustomize's own selection on the
// cases a re-implementation gets wrong, and checks each verdict against the
// engine a second way: removing an applied patch changes the build, removing
// an unmatched one does not.
func TestPatchApplies(t *testing.T) {
	setData := func(target string) string {
		return "patches:\n- target: " + target + "\n  patch: '[{\"op\": \"add\", \"path\": \"/metadata/annotations\", \"value\": {\"patched\": \"yes\"}}]'\n"
	}
	tests := []struct {
		name  string
		files map[string]string
		dir   string // folder built; the patch is the first of file
		file  string
		want  PatchVerdict
	}{
		{
			name: "name matches",
			files: map[string]string{
				"o/cm.yaml":            probeCM,
				"o/kustomization.yaml": "resources: [cm.yaml]\n" + setData("{kind: ConfigMap, name: cm}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "name does not match",
			files: map[string]string{
				"o/cm.yaml":            probeCM,
				"o/kustomization.yaml": "resources: [cm.yaml]\n" + setData("{kind: ConfigMap, name: other}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchUnmatched,
		},
		{
			name: "names are anchored regular expressions",
			files: map[string]string{
				"o/cm.yaml":            probeCM,
				"o/kustomization.yaml": "resources: [cm.yaml]\n" + setData("{kind: ConfigMap, name: c}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchUnmatched,
		},
		{
			name: "regular expression matches",
			files: map[string]string{
				"o/cm.yaml":            probeCM,
				"o/kustomization.yaml": "resources: [cm.yaml]\n" + setData("{kind: ConfigMap, name: \"c.*\"}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "original name before an included prefix",
			files: map[string]string{
				"b/cm.yaml":            probeCM,
				"b/kustomization.yaml": "resources: [cm.yaml]\nnamePrefix: pre-\n",
				"o/kustomization.yaml": "resources: [../b]\n" + setData("{kind: ConfigMap, name: cm}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "current name after an included prefix",
			files: map[string]string{
				"b/cm.yaml":            probeCM,
				"b/kustomization.yaml": "resources: [cm.yaml]\nnamePrefix: pre-\n",
				"o/kustomization.yaml": "resources: [../b]\n" + setData("{kind: ConfigMap, name: pre-cm}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "intermediate name between two prefixes",
			files: map[string]string{
				"a/cm.yaml":            probeCM,
				"a/kustomization.yaml": "resources: [cm.yaml]\nnamePrefix: a-\n",
				"b/kustomization.yaml": "resources: [../a]\nnamePrefix: b-\n",
				"o/kustomization.yaml": "resources: [../b]\n" + setData("{kind: ConfigMap, name: a-cm}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchUnmatched,
		},
		{
			name: "resource from a component",
			files: map[string]string{
				"c/cm.yaml":            probeCM,
				"c/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n",
				"o/kustomization.yaml": "components: [../c]\n" + setData("{kind: ConfigMap, name: cm}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "patch in a component, built by its includer",
			files: map[string]string{
				"o/cm.yaml": probeCM,
				"c/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n" + setData("{kind: ConfigMap, name: cm}") +
					"- target: {kind: ConfigMap}\n  patch: '[{\"op\": \"add\", \"path\": \"/data/b\", \"value\": \"2\"}]'\n",
				"o/kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../c]\n",
			},
			dir: "o", file: "c/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "empty namespace is default",
			files: map[string]string{
				"o/cm.yaml":            probeCM,
				"o/kustomization.yaml": "resources: [cm.yaml]\n" + setData("{kind: ConfigMap, namespace: default}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "patches run before the kustomization's namespace",
			files: map[string]string{
				"o/deploy.yaml":        probeDeploy,
				"o/kustomization.yaml": "namespace: prod\nresources: [deploy.yaml]\n" + setData("{kind: Deployment, namespace: prod}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchUnmatched,
		},
		{
			name: "patchesJson6902 runs after the kustomization's namespace",
			files: map[string]string{
				"o/deploy.yaml": probeDeploy,
				"o/kustomization.yaml": "namespace: prod\nresources: [deploy.yaml]\npatchesJson6902:\n- target: {group: apps, version: v1, kind: Deployment, name: web, namespace: prod}\n" +
					"  patch: '[{\"op\": \"add\", \"path\": \"/metadata/annotations\", \"value\": {\"patched\": \"yes\"}}]'\n",
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "namespace set by an included kustomization",
			files: map[string]string{
				"b/deploy.yaml":        probeDeploy,
				"b/kustomization.yaml": "namespace: prod\nresources: [deploy.yaml]\n",
				"o/kustomization.yaml": "resources: [../b]\n" + setData("{kind: Deployment, namespace: prod}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "label selector",
			files: map[string]string{
				"o/cm.yaml":            probeCM,
				"o/kustomization.yaml": "resources: [cm.yaml]\n" + setData("{labelSelector: app=web}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "label selector matching nothing",
			files: map[string]string{
				"o/cm.yaml":            probeCM,
				"o/kustomization.yaml": "resources: [cm.yaml]\n" + setData("{labelSelector: app=db}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchUnmatched,
		},
		{
			name: "generated resource by its name before the hash",
			files: map[string]string{
				"o/kustomization.yaml": "configMapGenerator:\n- name: gen\n  literals: [a=b]\n" + setData("{kind: ConfigMap, name: gen}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "original name before a strategic-merge rename in an included kustomization",
			files: map[string]string{
				"b/cm.yaml": probeCM,
				"b/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- options: {allowNameChange: true}\n  target: {kind: ConfigMap, name: cm}\n  patch: |\n" +
					"    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: renamed\n",
				"o/kustomization.yaml": "resources: [../b]\n" + setData("{kind: ConfigMap, name: cm}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchApplied,
		},
		{
			name: "a field written twice: kustomize reads the last, the probe does not guess",
			files: map[string]string{
				"o/cm.yaml": probeCM,
				"o/kustomization.yaml": "resources: [cm.yaml]\n" + setData("{kind: ConfigMap, name: other}") +
					strings.Replace(setData("{kind: ConfigMap, name: cm}"), "patches:", "Patches:", 1),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchUnknown,
		},
		{
			name: "kustomization that does not build",
			files: map[string]string{
				"o/kustomization.yaml": "resources: [missing.yaml]\n" + setData("{kind: ConfigMap}"),
			},
			dir: "o", file: "o/kustomization.yaml", want: PatchUnknown,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := NewTreeFromMap(tc.files)
			b := NewBuilder(tree)
			for _, d := range tree.KustomizationDirs() {
				b.Build(d) // probes may then reuse rendered folders where exact
			}
			k := tree.Kustomization(tc.file)
			patches := k.Patches()
			if len(patches) == 0 {
				t.Fatal("no patch")
			}
			got := b.PatchApplies(tc.dir, k, patches[0])
			if got != tc.want {
				t.Fatalf("PatchApplies = %v, want %v", got, tc.want)
			}
			if got == PatchUnknown {
				return
			}
			// Removing the patch changes the build exactly when it applies
			// (every patch here changes what it applies to).
			full := b.Build(tc.dir)
			if full.Err != nil {
				t.Fatal(full.Err)
			}
			without, ok := b.BuildWithoutPatch(tc.dir, k, patches[0])
			if !ok {
				t.Fatal("the patch cannot be removed")
			}
			if without.Err != nil {
				t.Fatal(without.Err)
			}
			if changed := !bytes.Equal(full.YAML(), without.YAML()); changed != (got == PatchApplied) {
				t.Errorf("removing the patch changes the build: %v; probe says %v", changed, got)
			}
		})
	}
}

// TestPatchAppliesLegacyFields probes entries of the deprecated patch
// fields at their own index.
func TestPatchAppliesLegacyFields(t *testing.T) {
	tree := NewTreeFromMap(map[string]string{
		"o/cm.yaml": probeCM,
		"o/kustomization.yaml": "resources: [cm.yaml]\npatchesJson6902:\n" +
			"- target: {version: v1, kind: ConfigMap, name: nope}\n  patch: '[{\"op\": \"add\", \"path\": \"/data/b\", \"value\": \"2\"}]'\n" +
			"- target: {version: v1, kind: ConfigMap, name: cm}\n  patch: '[{\"op\": \"add\", \"path\": \"/data/b\", \"value\": \"2\"}]'\n",
	})
	b := NewBuilder(tree)
	k := tree.Kustomization("o/kustomization.yaml")
	var got []PatchVerdict
	for _, p := range k.Patches() {
		got = append(got, b.PatchApplies("o", k, p))
	}
	if len(got) != 2 || got[0] != PatchUnmatched || got[1] != PatchApplied {
		t.Errorf("verdicts %v, want [unmatched applied]", got)
	}
}

// TestProbeOnRenderedMatchesFullProbe holds the probes that reuse rendered
// folders to the verdict of a full probe build, on every patch with a
// target of every corpus catalog.
func TestProbeOnRenderedMatchesFullProbe(t *testing.T) {
	if testing.Short() {
		t.Skip("probes every corpus patch twice; skipped with -short")
	}
	for _, cat := range parityCatalogs {
		t.Run(cat.name, func(t *testing.T) {
			tree, err := ReadTree(cat.root(t), TreeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			fast, full := NewBuilder(tree), NewBuilder(tree)
			full.NoReuse = true
			dirs := tree.KustomizationDirs()
			for _, dir := range dirs {
				fast.Build(dir) // what the probes reuse
			}
			onRendered, probes := 0, 0
			for _, dir := range dirs {
				if tree.RealPath(dir) != dir {
					continue
				}
				k := tree.Kustomization(tree.KustomizationFile(dir)[0])
				if k.Node == nil || full.Build(dir).Err != nil {
					continue
				}
				for _, p := range k.Patches() {
					if p.Target == nil {
						continue
					}
					probes++
					if root, ok := withProbe(k, p); ok {
						if applicable, _ := fast.probeOnRendered(dir, k, root); applicable {
							onRendered++
						}
					}
					if a, b := fast.PatchApplies(dir, k, p), full.PatchApplies(dir, k, p); a != b {
						t.Errorf("%s: probe on rendered folders says %v, full probe %v", p.Pos, a, b)
					}
				}
			}
			t.Logf("%d probes, %d on rendered folders", probes, onRendered)
		})
	}
}
