package kustomize

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
)

// TestExploitGitUploadPack is the catalog that made kustomize run a
// command through git's --upload-pack option: a Bases: entry (another
// letter case than the field's name) with a file:// URL. The build must
// fail with kustomize-remote, run nothing and leave no temporary folder.
func TestExploitGitUploadPack(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "PWNED")
	root := filepath.Join(dir, "c")
	entry := "file:///nonexistent//k?ref=--upload-pack%3Dtouch%20" + url.PathEscape(marker) + "%3B"
	writeFiles(t, root, map[string]string{"app/kustomization.yaml": "Bases:\n- " + entry + "\n"})
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "kustomize-*"))

	tree, err := ReadTree(root, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := NewBuilder(tree).Build("app")
	if res.Err == nil || res.Err.Cause != CauseRemote || res.Err.Pos != (Position{File: "app/kustomization.yaml", Line: 2, Column: 3}) {
		t.Errorf("got %v", res.Err)
	}
	// Even handed to krusty directly, the snapshot filesystem serves no
	// kustomization it has not sanitised.
	if _, err := krusty.MakeKustomizer(krustyOptions()).Run(tree.fs, "/app"); err == nil {
		t.Error("krusty built the hostile kustomization")
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the marker file exists: git ran")
	}
	after, _ := filepath.Glob(filepath.Join(os.TempDir(), "kustomize-*"))
	if len(after) > len(before) {
		t.Errorf("temporary folders left behind: %v", after)
	}
}

func TestSanitizeKustomization(t *testing.T) {
	const remote = "https://example.com/x.yaml"
	const git = "github.com/org/repo//base?ref=v1"
	tests := []struct {
		name string
		in   string
		kind Cause  // anyCause when accepted
		want string // a fragment of the output, or of the message
	}{
		{"modern kustomization is kept", "resources:\n- a.yaml\nnamespace: x\n", anyCause, "namespace: x"},
		{"bases become resources after them", "bases:\n- ../b\nresources:\n- a.yaml\n", anyCause, "resources:\n- a.yaml\n- ../b\n"},
		{"imageTags become images", "imageTags:\n- name: a\n  newTag: v1\n", anyCause, "images:\n- name: a\n  newTag: v1\n"},
		{"keys in any letter case", "RESOURCES:\n- a.yaml\nNameSpace: ns\n", anyCause, "namespace: ns"},
		{"the last duplicate wins", "namespace: a\nnamespace: b\n", anyCause, "namespace: b"},
		{"vars are kept", "vars:\n- name: V\n  objref: {kind: Service, name: s, apiVersion: v1}\n", anyCause, "vars:"},
		{"unknown field", "resources: [a.yaml]\nfoo: 1\n", CauseInvalidKustomization, "unknown field"},
		{"not a kustomization", "- a\n- b\n", CauseInvalidKustomization, "refuses"},
		{"helm charts", "helmCharts:\n- name: x\n", CauseHelm, "helm"},
		{"helm globals", "helmGlobals:\n  chartHome: charts\n", CauseHelm, "helm"},
		{"remote resource", "resources:\n- " + remote + "\n", CauseRemote, remote},
		{"git resource", "resources:\n- " + git + "\n", CauseRemote, "Git"},
		{"scp-like git resource", "resources:\n- git@github.com:org/repo.git\n", CauseRemote, "Git"},
		{"git:: prefix", "resources:\n- git::example.com/r\n", CauseRemote, "Git"},
		{"upper-case scheme", "resources:\n- HTTPS://example.com/x.yaml\n", CauseRemote, "URL"},
		{"Bases in another case", "Bases:\n- " + git + "\n", CauseRemote, "bases"},
		{"remote base", "bases:\n- " + remote + "\n", CauseRemote, remote},
		{"remote component", "components:\n- " + git + "\n", CauseRemote, "components"},
		{"remote crd", "crds:\n- " + remote + "\n", CauseRemote, "crds"},
		{"remote openapi", "openapi:\n  path: " + remote + "\n", CauseRemote, "openapi"},
		{"remote configuration", "configurations:\n- " + remote + "\n", CauseRemote, "configurations"},
		{"remote patch path", "patches:\n- path: " + remote + "\n", CauseRemote, "patches"},
		{"remote strategic merge patch", "patchesStrategicMerge:\n- " + remote + "\n", CauseRemote, "patchesStrategicMerge"},
		{"inline strategic merge patch", "patchesStrategicMerge:\n- |\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: https://x}\n", anyCause, "patchesStrategicMerge"},
		{"remote JSON patch", "patchesJson6902:\n- path: " + remote + "\n  target: {kind: X, name: z}\n", CauseRemote, "patchesJson6902"},
		{"remote replacement", "replacements:\n- path: " + remote + "\n", CauseRemote, "replacements"},
		{"remote configMap file", "configMapGenerator:\n- name: c\n  files:\n  - k=" + remote + "\n", CauseRemote, "configMapGenerator"},
		{"remote configMap envs", "configMapGenerator:\n- name: c\n  envs:\n  - " + remote + "\n", CauseRemote, "configMapGenerator"},
		{"remote secret env", "secretGenerator:\n- name: c\n  env: " + remote + "\n", CauseRemote, "secretGenerator"},
		{"remote generator entry", "generators:\n- " + git + "\n", CauseRemote, "generators"},
		{"remote transformer entry", "transformers:\n- " + remote + "\n", CauseRemote, "transformers"},
		{"remote validator entry", "validators:\n- " + remote + "\n", CauseRemote, "validators"},
		{"inline PatchTransformer with a remote path", "transformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  Path: " + remote + "\n", CauseRemote, "Path"},
		{"inline ReplacementTransformer with a remote path", "transformers:\n- |\n  apiVersion: builtin\n  kind: ReplacementTransformer\n  metadata: {name: r}\n  replacements:\n  - path: " + remote + "\n", CauseRemote, "path"},
		{"inline generator with a remote file", "generators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: c}\n  files:\n  - k=" + remote + "\n", CauseRemote, "files"},
		{"inline Helm generator", "generators:\n- |\n  apiVersion: builtin\n  kind: HelmChartInflationGenerator\n  metadata: {name: h}\n", CauseHelm, "helm"},
		{"inline transformer with a local path", "transformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  path: p.yaml\n", anyCause, "PatchTransformer"},
		{"strategic merge patch URL that looks like text", "patchesStrategicMerge:\n- " + remote + "?kind:x\n", CauseRemote, "patchesStrategicMerge"},
		{"inline transformer, paths key with a long s", "transformers:\n- |\n  apiVersion: builtin\n  kind: PatchStrategicMergeTransformer\n  metadata: {name: p}\n  path\u017f: [" + remote + "]\n", CauseRemote, "path\u017f"},
		{"inline generator, files key with a long s", "generators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: c}\n  file\u017f: [k=" + remote + "]\n", CauseRemote, "file\u017f"},
		{"inline generator, envs key with a long s", "generators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: c}\n  env\u017f: [" + remote + "]\n", CauseRemote, "env\u017f"},
		{"transformer entry that is a mapping to YAML and a URL to kustomize", "transformers:\n- '" + remote + ": x'\n", CauseRemote, "URL"},
		{"transformer entry that is a repository to kustomize", "transformers:\n- '" + git + ": x'\n", CauseRemote, "Git"},
		{"two plugin documents with one id are a repository to kustomize", "transformers:\n- |\n  github.com/org/repo?ref=x: 1\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  ---\n  github.com/org/repo?ref=x: 1\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n", CauseRemote, "Git"},
		{"inline strategic merge patch text in a plugin's paths", "transformers:\n- |\n  apiVersion: builtin\n  kind: PatchStrategicMergeTransformer\n  metadata: {name: p}\n  paths:\n  - \"apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a, annotations: {u: 'https://x'}}\\n\"\n", anyCause, "PatchStrategicMergeTransformer"},
		{"an empty list keeps the file non-empty", "resources: []\n", anyCause, "metadata: {}"},
		{"absolute resource", "resources:\n- /etc/passwd\n", CauseOutsideRoot, "absolute"},
		{"absolute patch", "patches:\n- path: /etc/passwd\n", CauseOutsideRoot, "absolute"},
		{"an empty list is not an empty kustomization", "resources: []\n", anyCause, ""},
		{"an empty list beside the type", "kind: Kustomization\nresources: []\n", anyCause, ""},
		{"an empty map is not an empty kustomization", "commonLabels: {}\n", anyCause, ""},
		{"odd local names", "resources:\n- My Docs\n- a+b@c(1).yaml\n- café.yaml\n- x(1)@2x.yaml\n", anyCause, "café.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, problems := sanitizeFile("k/kustomization.yaml", []byte(tc.in))
			if tc.kind == anyCause {
				if len(problems) > 0 {
					t.Fatalf("refused: %v", problems)
				}
				if !strings.Contains(string(out), tc.want) {
					t.Errorf("output does not hold %q:\n%s", tc.want, out)
				}
				var k types.Kustomization
				if err := k.Unmarshal(out); err != nil {
					t.Errorf("output does not decode: %v", err)
				}
				if emptyForKrusty(out) != emptyForKrusty([]byte(tc.in)) {
					t.Errorf("krusty would read the output as empty: %v, the input: %v", emptyForKrusty(out), emptyForKrusty([]byte(tc.in)))
				}
				if len(k.Bases) > 0 || len(k.ImageTags) > 0 {
					t.Errorf("output still has bases or imageTags:\n%s", out)
				}
				return
			}
			if out != nil || len(problems) == 0 {
				t.Fatalf("accepted:\n%s", out)
			}
			p := problems[0]
			if p.Cause != tc.kind || !strings.Contains(p.Message, tc.want) || p.Pos.File != "k/kustomization.yaml" || p.Pos.Line == 0 {
				t.Errorf("got %s at %v %q, want %s with %q", p.Cause, p.Pos, p.Message, tc.kind, tc.want)
			}
		})
	}
}

// TestSnapshotNeverFetches hands krusty the snapshot filesystem directly,
// without opcat's checks before the build, for hostile kustomizations in
// every field: the construction alone must keep it from running a program
// or making a request.
func TestSnapshotNeverFetches(t *testing.T) {
	net := guard(t)
	remote := "https://example.com/x.yaml"
	git := "file:///nonexistent//k?ref=--upload-pack%3Dtouch%20" + url.PathEscape(filepath.Join(net.markers, "upload-pack")) + "%3B"
	fields := []string{
		"resources:\n- %s\n", "RESOURCES:\n- %s\n", "Bases:\n- %s\n", "components:\n- %s\n", "crds:\n- %s\n",
		"openapi:\n  path: %s\n", "configurations:\n- %s\n", "patches:\n- path: %s\n  target: {kind: ConfigMap}\n",
		"patchesStrategicMerge:\n- %s\n", "patchesJson6902:\n- path: %s\n  target: {kind: ConfigMap, name: a}\n",
		"replacements:\n- path: %s\n", "configMapGenerator:\n- name: c\n  files:\n  - %s\n",
		"configMapGenerator:\n- name: c\n  envs:\n  - %s\n", "secretGenerator:\n- name: c\n  env: %s\n",
		"generators:\n- %s\n", "transformers:\n- %s\n", "validators:\n- %s\n",
		"transformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  Path: %s\n  target: {kind: ConfigMap}\n",
		"helmCharts:\n- name: x\n  repo: %s\n",
	}
	for _, f := range fields {
		for _, loc := range []string{remote, git} {
			files := map[string]string{
				"app/kustomization.yaml": "resources:\n- cm.yaml\n" + strings.ReplaceAll(f, "%s", loc),
				"app/cm.yaml":            cm("a"),
			}
			if strings.HasPrefix(strings.ToLower(f), "resources") {
				files["app/kustomization.yaml"] = strings.ReplaceAll(f, "%s", loc)
			}
			tree := NewTreeFromMap(files)
			if _, err := krusty.MakeKustomizer(krustyOptions()).Run(tree.fs, "/app"); err == nil {
				t.Errorf("krusty built %q", files["app/kustomization.yaml"])
			}
			if res := NewBuilder(tree).Build("app"); res.Err == nil {
				t.Errorf("built %q", files["app/kustomization.yaml"])
			}
		}
	}
	// kustomize decodes duplicate keys in other letter cases as one field,
	// the last in its decoder's order winning: opcat decodes the same way,
	// so the entry kustomize ignores is ignored here too.
	tree := NewTreeFromMap(map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\nRESOURCES:\n- " + git + "\n",
		"app/cm.yaml":            cm("a"),
	})
	want, werr := krusty.MakeKustomizer(krustyOptions()).Run(tree.fs, "/app")
	if res := NewBuilder(tree).Build("app"); (werr == nil) != (res.Err == nil) {
		t.Errorf("verdicts differ: %v, %v", werr, res.Err)
	} else if werr == nil {
		if out, _ := want.AsYaml(); string(out) != string(res.YAML()) {
			t.Errorf("got\n%s\nwant\n%s", res.YAML(), out)
		}
	}
	net.check(t)
}

// TestSanitizeNestedPluginFile checks plugin configuration files named by
// transformers entries, and what a generators folder builds.
func TestSanitizeNestedPluginFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kind  Cause
		files map[string]string
	}{
		{"remote path in a transformer file", CauseRemote, map[string]string{
			"app/kustomization.yaml": "resources:\n- ../gen\n",
			"gen/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- t.yaml\n",
			"gen/cm.yaml":            cm("a"),
			"gen/t.yaml":             "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: https://example.com/p.yaml\ntarget:\n  kind: ConfigMap\n",
		}},
		{"remote resource in a generator's folder", CauseRemote, map[string]string{
			"app/kustomization.yaml": "resources:\n- cm.yaml\ngenerators:\n- ../gen\n",
			"app/cm.yaml":            cm("a"),
			"gen/kustomization.yaml": "resources:\n- https://example.com/g.yaml\n",
		}},
		{"generator folder building a remote file reference", CauseRemote, map[string]string{
			"app/kustomization.yaml": "resources:\n- cm.yaml\ngenerators:\n- ../gen\n",
			"app/cm.yaml":            cm("a"),
			"gen/kustomization.yaml": "resources:\n- g.yaml\npatches:\n- target: {kind: ConfigMapGenerator}\n  patch: |-\n    - op: add\n      path: /envs\n      value: [\"https://example.com/e.env\"]\n",
			"gen/g.yaml":             "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: g\nliterals:\n- a=b\n",
		}},
		{"transformer folders in a cycle", CausePluginConfig, map[string]string{
			"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- ../t1\n",
			"app/cm.yaml":            cm("a"),
			"t1/kustomization.yaml":  "resources:\n- ../t2\ntransformers:\n- ../t2\n",
			"t2/kustomization.yaml":  "resources:\n- cm.yaml\ntransformers:\n- ../t1\n",
			"t2/cm.yaml":             cm("b"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net := guard(t)
			defer net.check(t)
			res := NewBuilder(NewTreeFromMap(tc.files)).Build("app")
			if res.Err == nil || res.Err.Cause != tc.kind {
				t.Errorf("got %v, want %s", res.Err, tc.kind)
			}
		})
	}
}

// TestPluginFolderBuilds builds a kustomization whose generator
// configuration comes from a folder, as kustomize does.
func TestPluginFolderBuilds(t *testing.T) {
	tree := NewTreeFromMap(map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ngenerators:\n- ../gen\n",
		"app/cm.yaml":            cm("a"),
		"gen/kustomization.yaml": "resources:\n- g.yaml\nnamePrefix: p-\n",
		"gen/g.yaml":             "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: g\nliterals:\n- a=b\n",
	})
	res := NewBuilder(tree).Build("app")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if !strings.Contains(string(res.YAML()), "name: p-g-") {
		t.Errorf("the generator did not run:\n%s", res.YAML())
	}
}

// TestEveryMissingPath reports each missing entry of a kustomization.
func TestEveryMissingPath(t *testing.T) {
	tree := NewTreeFromMap(map[string]string{
		"app/kustomization.yaml": "resources:\n- a.yaml\n- b.yaml\n- c.yaml\n- d.yaml\n- e.yaml\n- f.yaml\n",
	})
	res := NewBuilder(tree).Build("app")
	if res.Err == nil {
		t.Fatal("built")
	}
	all := append([]Problem{{Cause: res.Err.Cause, Pos: res.Err.Pos}}, res.Err.More...)
	if len(all) != 6 {
		t.Fatalf("%d problems, want 6: %v", len(all), all)
	}
	for i, p := range all {
		if p.Cause != CauseMissingPath || p.Pos.Line != i+2 {
			t.Errorf("problem %d: %s at %v", i, p.Cause, p.Pos)
		}
	}
}

// localOnly is the property FuzzSanitize checks, written independently of
// the sanitiser: no value krusty reads as a location may be absolute, a
// URL kustomize's loader downloads, or a repository it clones.
func localOnly(t *testing.T, field, v string) {
	u, err := url.Parse(v)
	if filepath.IsAbs(v) || strings.HasPrefix(v, "/") || (err == nil && u.Scheme != "" && u.Opaque == "") ||
		strings.Contains(v, "://") || isRepoSpec(v) || strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "git::") {
		t.Errorf("sanitised %s names a remote or absolute location: %q", field, v)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range kustomizationSeeds {
		f.Add(s)
	}
	f.Add("Bases:\n- file:///nonexistent//k?ref=--upload-pack%3Dtouch%20/tmp/x%3B\n")
	f.Add("RESOURCES:\n- a\nresources:\n- https://x\n")
	f.Add("transformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  PATH: http://x\n")
	f.Add("generators:\n- git@host:org/repo\nhelmGlobals: {chartHome: x}\n")
	f.Add("patchesStrategicMerge:\n- https://x/p.yaml?kind:x\n")
	f.Add("transformers:\n- |\n  apiVersion: builtin\n  kind: PatchStrategicMergeTransformer\n  metadata: {name: p}\n  path\u017f: [http://x]\n")
	f.Add("transformers:\n- 'github.com/o/r?ref=x: y'\n")
	f.Fuzz(func(t *testing.T, data string) {
		out, problems := sanitizeFile("k/kustomization.yaml", []byte(data))
		if len(problems) > 0 {
			if out != nil {
				t.Fatal("refused but returned output")
			}
			return
		}
		var k types.Kustomization
		if err := k.Unmarshal(out); err != nil {
			t.Fatalf("sanitised output does not decode: %v\n%s", err, out)
		}
		if emptyForKrusty(out) != emptyForKrusty([]byte(data)) {
			t.Fatalf("krusty's empty-kustomization verdict changed: %v for the output, %v for the input\n%s", emptyForKrusty(out), emptyForKrusty([]byte(data)), out)
		}
		k.FixKustomization()
		if len(k.HelmCharts) > 0 || k.HelmGlobals != nil {
			t.Error("Helm survived")
		}
		lists := map[string][]string{"resources": k.Resources, "components": k.Components, "crds": k.Crds,
			"configurations": k.Configurations}
		for field, l := range lists {
			for _, v := range l {
				localOnly(t, field, v)
			}
		}
		for _, v := range k.OpenAPI {
			localOnly(t, "openapi", v)
		}
		for _, p := range k.Patches {
			localOnly(t, "patches", p.Path)
		}
		for _, p := range k.PatchesJson6902 {
			localOnly(t, "patchesJson6902", p.Path)
		}
		for _, p := range k.PatchesStrategicMerge {
			if !readsAsPatchText(string(p)) {
				localOnly(t, "patchesStrategicMerge", string(p))
			}
		}
		for _, r := range k.Replacements {
			localOnly(t, "replacements", r.Path)
		}
		for _, g := range append(append([]types.GeneratorArgs{}, argsOf(k.ConfigMapGenerator)...), secretArgsOf(k.SecretGenerator)...) {
			for _, v := range append(append([]string{g.EnvSource}, g.EnvSources...), g.FileSources...) {
				if _, after, ok := strings.Cut(v, "="); ok {
					localOnly(t, "generator files", after)
				}
				localOnly(t, "generator files", v)
			}
		}
		for _, e := range append(append(append([]string{}, k.Generators...), k.Transformers...), k.Validators...) {
			if docs, inline, err := krustyObjects([]byte(e)); inline {
				if err != nil {
					t.Errorf("sanitised plugin configuration does not decode: %v", err)
				}
				for _, d := range docs {
					if p := checkPluginConfig(d); len(p) > 0 {
						t.Errorf("sanitised plugin configuration names a location: %v", p)
					}
				}
				continue
			}
			localOnly(t, "plugin entry", e)
		}
	})
}

func argsOf(gs []types.ConfigMapArgs) []types.GeneratorArgs {
	var out []types.GeneratorArgs
	for _, g := range gs {
		out = append(out, g.GeneratorArgs)
	}
	return out
}

func secretArgsOf(gs []types.SecretArgs) []types.GeneratorArgs {
	var out []types.GeneratorArgs
	for _, g := range gs {
		out = append(out, g.GeneratorArgs)
	}
	return out
}
