package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPruneKeepsWhatIsReferenced prunes overlay v1.9 of the simple catalog
// while another kustomization names a path inside it, in each way kustomize
// reads a path: nothing may be deleted, and a note must say why.
func TestPruneKeepsWhatIsReferenced(t *testing.T) {
	const ov = "../mq/operator/overlays/v1.9"
	plugin := func(doc string) map[string]string { return map[string]string{"other/plugin.yaml": doc} }
	tests := []struct {
		name  string
		kust  string
		files map[string]string
		link  bool // other/link → the overlay
	}{
		{"resources", "resources: [" + ov + "]", nil, false},
		{"Resources in upper case", "Resources: [" + ov + "]", nil, false},
		{"bases", "bases: [" + ov + "]", nil, false},
		{"components", "components: [" + ov + "]", nil, false},
		{"crds", "crds: [" + ov + "/kustomization.yaml]", nil, false},
		{"openapi path", "openapi: {path: " + ov + "/kustomization.yaml}", nil, false},
		{"configurations", "configurations: [" + ov + "/kustomization.yaml]", nil, false},
		{"patches path", "patches: [{path: " + ov + "/patch.yaml}]", nil, false},
		{"patchesStrategicMerge", "patchesStrategicMerge: [" + ov + "/patch.yaml]", nil, false},
		{"patchesJson6902 path", "patchesJson6902: [{path: " + ov + "/patch.yaml, target: {kind: A, name: b}}]", nil, false},
		{"replacements path", "replacements: [{path: " + ov + "/r.yaml}]", nil, false},
		{"configMapGenerator files", "configMapGenerator: [{name: a, files: [k=" + ov + "/f.txt]}]", nil, false},
		{"configMapGenerator envs", "configMapGenerator: [{name: a, envs: [" + ov + "/a.env]}]", nil, false},
		{"secretGenerator env", "secretGenerator: [{name: a, env: " + ov + "/a.env}]", nil, false},
		{"helmCharts valuesFile", "helmCharts: [{name: c, valuesFile: " + ov + "/values.yaml}]", nil, false},
		{"helmGlobals chartHome", "helmGlobals: {chartHome: " + ov + "}\nhelmCharts: [{name: c}]", nil, false},
		{"generators entry", "generators: [" + ov + "]", nil, false},
		{"transformers entry", "transformers: [" + ov + "]", nil, false},
		{"validators entry", "validators: [" + ov + "]", nil, false},
		{"PatchTransformer path in a plugin file", "transformers: [plugin.yaml]",
			plugin("apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\npath: " + ov + "/patch.yaml\n"), false},
		{"PatchTransformer path inline", "transformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  path: " + ov + "/patch.yaml\n", nil, false},
		{"PatchStrategicMergeTransformer paths", "transformers: [plugin.yaml]",
			plugin("apiVersion: builtin\nkind: PatchStrategicMergeTransformer\nmetadata: {name: p}\npaths: [" + ov + "/patch.yaml]\n"), false},
		{"ReplacementTransformer path", "transformers: [plugin.yaml]",
			plugin("apiVersion: builtin\nkind: ReplacementTransformer\nmetadata: {name: p}\nreplacements: [{path: " + ov + "/r.yaml}]\n"), false},
		{"ValueAddTransformer targetFilePath", "transformers: [plugin.yaml]",
			plugin("apiVersion: builtin\nkind: ValueAddTransformer\nmetadata: {name: p}\ntargetFilePath: " + ov + "/t.yaml\n"), false},
		{"symbolic link", "resources: [link]", nil, true},
		{"symbolic link no kustomization names", "resources: []", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tempCopy(t, simpleCatalog)
			files := map[string]string{"other/kustomization.yaml": tt.kust + "\n"}
			for k, v := range tt.files {
				files[k] = v
			}
			for name, content := range files {
				p := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.link {
				if err := os.Symlink(ov, filepath.Join(root, "other", "link")); err != nil {
					t.Fatal(err)
				}
			}
			p, err := Sync(load(t, root), SyncOptions{Root: root, Operators: []string{"mq"}, Index: mqSet(t, ""), Prune: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Changes {
				if c.Delete {
					t.Errorf("prune deletes %s, which other/kustomization.yaml uses", c.Path)
				}
			}
			want := "other/kustomization.yaml still uses"
			if tt.link {
				want = "other/link is a symbolic link into overlay"
			}
			if tt.kust == "resources: []" {
				// An absolute link too.
				if err := os.Remove(filepath.Join(root, "other", "link")); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(filepath.Join(root, "mq/operator/overlays/v1.9/kustomization.yaml"), filepath.Join(root, "other", "link")); err != nil {
					t.Fatal(err)
				}
				p, err = Sync(load(t, root), SyncOptions{Root: root, Operators: []string{"mq"}, Index: mqSet(t, ""), Prune: true})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range p.Changes {
					if c.Delete {
						t.Errorf("prune deletes %s, which other/link points at", c.Path)
					}
				}
			}
			if !strings.Contains(strings.Join(p.Notes, "\n"), want) {
				t.Errorf("no note says why the overlay stays: %q", p.Notes)
			}
		})
	}
}
