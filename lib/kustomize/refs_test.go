package kustomize_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opcat-dev/opcat/lib/kustomize"
)

// TestReferencedPaths names a path in each way kustomize reads one, and
// checks that the path is listed.
func TestReferencedPaths(t *testing.T) {
	plugin := func(doc string) fstest.MapFS {
		return fstest.MapFS{"cfg/plugin.yaml": {Data: []byte(doc)}}
	}
	tests := []struct {
		name  string
		kust  string
		files fstest.MapFS
		want  string // a path relative to the root
	}{
		{"resources", "resources: [../x]", nil, "x"},
		{"resources upper case key", "Resources:\n- ../x\n", nil, "x"},
		{"bases", "bases: [../x]", nil, "x"},
		{"BASES", "BASES: [../x]", nil, "x"},
		{"components", "components: [../x]", nil, "x"},
		{"crds", "crds: [../x/crd.yaml]", nil, "x/crd.yaml"},
		{"openapi", "openapi:\n  path: ../x/schema.json\n", nil, "x/schema.json"},
		{"configurations", "configurations: [../x/conf.yaml]", nil, "x/conf.yaml"},
		{"patches path", "patches:\n- path: ../x/p.yaml\n", nil, "x/p.yaml"},
		{"patchesStrategicMerge", "patchesStrategicMerge: [../x/p.yaml]", nil, "x/p.yaml"},
		{"patchesJson6902", "patchesJson6902:\n- path: ../x/p.yaml\n  target: {kind: A, name: b}\n", nil, "x/p.yaml"},
		{"replacements", "replacements:\n- path: ../x/r.yaml\n", nil, "x/r.yaml"},
		{"configMapGenerator files key=path", "configMapGenerator:\n- name: a\n  files: [k=../x/f.txt]\n", nil, "x/f.txt"},
		{"configMapGenerator files", "configMapGenerator:\n- name: a\n  files: [../x/f.txt]\n", nil, "x/f.txt"},
		{"configMapGenerator envs", "configMapGenerator:\n- name: a\n  envs: [../x/a.env]\n", nil, "x/a.env"},
		{"configMapGenerator env", "configMapGenerator:\n- name: a\n  env: ../x/a.env\n", nil, "x/a.env"},
		{"secretGenerator files", "secretGenerator:\n- name: a\n  files: [../x/f.txt]\n", nil, "x/f.txt"},
		{"secretGenerator envs", "secretGenerator:\n- name: a\n  envs: [../x/a.env]\n", nil, "x/a.env"},
		{"helmCharts valuesFile", "helmCharts:\n- name: c\n  valuesFile: ../x/values.yaml\n", nil, "x/values.yaml"},
		{"helmCharts additionalValuesFiles", "helmCharts:\n- name: c\n  additionalValuesFiles: [../x/v.yaml]\n", nil, "x/v.yaml"},
		{"helmCharts default chartHome", "helmCharts:\n- name: c\n", nil, "k/charts"},
		{"helmGlobals chartHome", "helmGlobals:\n  chartHome: ../x\nhelmCharts:\n- name: c\n", nil, "x"},
		{"generators entry", "generators: [../x]", nil, "x"},
		{"transformers entry", "transformers: [../x/t.yaml]", nil, "x/t.yaml"},
		{"validators entry", "validators: [../x]", nil, "x"},
		{"PatchTransformer path in a file", "transformers: [../cfg/plugin.yaml]",
			plugin("apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\npath: x/p.yaml\n"), "k/x/p.yaml"},
		{"PatchTransformer path inline", "transformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  path: ../x/p.yaml\n", nil, "x/p.yaml"},
		{"PatchJson6902Transformer path", "transformers: [../cfg/plugin.yaml]",
			plugin("apiVersion: builtin\nkind: PatchJson6902Transformer\nmetadata: {name: p}\ntarget: {kind: A, name: b}\npath: ../x/p.yaml\n"), "x/p.yaml"},
		{"PatchStrategicMergeTransformer paths", "transformers: [../cfg/plugin.yaml]",
			plugin("apiVersion: builtin\nkind: PatchStrategicMergeTransformer\nmetadata: {name: p}\npaths: [../x/p.yaml]\n"), "x/p.yaml"},
		{"ReplacementTransformer replacements path", "transformers: [../cfg/plugin.yaml]",
			plugin("apiVersion: builtin\nkind: ReplacementTransformer\nmetadata: {name: p}\nreplacements:\n- path: ../x/r.yaml\n"), "x/r.yaml"},
		{"ValueAddTransformer targetFilePath", "transformers: [../cfg/plugin.yaml]",
			plugin("apiVersion: builtin\nkind: ValueAddTransformer\nmetadata: {name: p}\ntargetFilePath: ../x/t.yaml\n"), "x/t.yaml"},
		{"ConfigMapGenerator plugin files", "generators: [../cfg/plugin.yaml]",
			plugin("apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: p}\nfiles: [k=../x/f.txt]\n"), "x/f.txt"},
		{"HelmChartInflationGenerator valuesFile", "generators: [../cfg/plugin.yaml]",
			plugin("apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata: {name: p}\nvaluesFile: ../x/v.yaml\n"), "x/v.yaml"},
		{"plugin config key in another letter case", "transformers: [../cfg/plugin.yaml]",
			plugin("apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\nPath: ../x/p.yaml\n"), "x/p.yaml"},
		{"plugin config in the resources of a folder", "transformers: [../cfg]",
			fstest.MapFS{
				"cfg/kustomization.yaml": {Data: []byte("resources: [plugin.yaml]\n")},
				"cfg/plugin.yaml":        {Data: []byte("apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\npath: ../x/p.yaml\n")},
			}, "x/p.yaml"},
		{"unknown field still read", "resources: [../x]\nnotAField: 1\n", nil, "x"},
		{"a string where a list belongs", "bases: ../x\n", nil, "x"},
		{"a value of the wrong type elsewhere", "namePrefix: [a]\nresources: [../x]\n", nil, "x"},
		{"symbolic link target", "resources: [link]",
			fstest.MapFS{"k/link": {Data: []byte("../x"), Mode: fs.ModeSymlink}}, "x"},
		{"symbolic link folder on the way", "resources: [dir/p.yaml]",
			fstest.MapFS{"k/dir": {Data: []byte("../x"), Mode: fs.ModeSymlink}}, "x/p.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"k/kustomization.yaml": {Data: []byte(tt.kust)}}
			for k, v := range tt.files {
				fsys[k] = v
			}
			refs, err := kustomize.ReferencedPaths(fsys, "k/kustomization.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range refs {
				got = append(got, r.Path)
			}
			if !slices.Contains(got, tt.want) {
				t.Errorf("ReferencedPaths does not list %s; it lists %v", tt.want, refs)
			}
		})
	}
}

func TestReferencedPathsLeavesOut(t *testing.T) {
	fsys := fstest.MapFS{"k/kustomization.yaml": {Data: []byte(`resources:
- https://github.com/a/b//c?ref=v1
- git@github.com:a/b.git
- /etc/passwd
- ""
patches:
- patch: |
    - op: add
      path: /spec/x
      value: 1
patchesStrategicMerge:
- |
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: a}
`)}}
	refs, err := kustomize.ReferencedPaths(fsys, "k/kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 0 {
		t.Errorf("ReferencedPaths lists %v; want nothing (remote, absolute, inline)", refs)
	}
}

func TestReferencedPathsErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"bad/kustomization.yaml":  {Data: []byte("resources: [a\n")},
		"big/kustomization.yaml":  {Data: []byte("resources: [" + strings.Repeat("a", 11<<20) + "]")},
		"list/kustomization.yaml": {Data: []byte("- resources\n")},
	}
	for _, f := range []string{"bad/kustomization.yaml", "big/kustomization.yaml", "none/kustomization.yaml", "list/kustomization.yaml"} {
		if _, err := kustomize.ReferencedPaths(fsys, f); err == nil {
			t.Errorf("%s: no error", f)
		}
	}
}

// TestReferencedPathsLinkLoop makes sure links that point at each other,
// or into themselves, end.
func TestReferencedPathsLinkLoop(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "k"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "k", "kustomization.yaml"), []byte("resources: [a, self/x]\n"), 0o644))
	must(os.Symlink("b", filepath.Join(dir, "k", "a")))
	must(os.Symlink("a", filepath.Join(dir, "k", "b")))
	must(os.Symlink("self/self", filepath.Join(dir, "k", "self")))
	refs, err := kustomize.ReferencedPaths(os.DirFS(dir), "k/kustomization.yaml")
	must(err)
	var got []string
	for _, r := range refs {
		got = append(got, r.Path)
	}
	if !slices.Contains(got, "k/b") {
		t.Errorf("the target of link k/a is not listed: %v", got)
	}
}

func FuzzReferencedPaths(f *testing.F) {
	f.Add("resources: [../x]\ntransformers:\n- |\n  kind: PatchTransformer\n  path: p.yaml\n", "kind: PatchTransformer\npaths: [a]\n")
	f.Add("Bases: [a]\nhelmCharts: [{name: c}]\nconfigMapGenerator: [{name: a, files: [k=v]}]\n", "")
	f.Add("generators: [cfg]\n", "resources: [cfg]\n")
	f.Fuzz(func(t *testing.T, kust, cfg string) {
		fsys := fstest.MapFS{
			"k/kustomization.yaml":     {Data: []byte(kust)},
			"k/cfg":                    {Data: []byte(cfg)},
			"k/cfg/kustomization.yaml": {Data: []byte(cfg)},
		}
		refs, err := kustomize.ReferencedPaths(fsys, "k/kustomization.yaml")
		if err != nil {
			return
		}
		for _, r := range refs {
			if r.Path == "" || strings.HasPrefix(r.Path, "/") || strings.Contains(r.Value, "://") {
				t.Errorf("bad reference %+v", r)
			}
		}
	})
}

func ExampleReferencedPaths() {
	fsys := fstest.MapFS{
		"app/kustomization.yaml": {Data: []byte("Resources: [../base]\ntransformers: [../shared/labels.yaml]\n")},
		"shared/labels.yaml":     {Data: []byte("kind: PatchTransformer\nmetadata: {name: p}\npath: ../shared/patch.yaml\n")},
	}
	refs, err := kustomize.ReferencedPaths(fsys, "app/kustomization.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range refs {
		fmt.Printf("%s: %s\n", r.Field, r.Path)
	}
	// Output:
	// resources: base
	// transformers: shared/labels.yaml
	// transformers: PatchTransformer path: shared/patch.yaml
}
