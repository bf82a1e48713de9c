package kustomize

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/api/krusty"
)

// hostileRemote and hostileGit are the locations the hostile catalogs
// below try to make a build fetch; the guard fails the test on any request
// or program run.
const (
	hostileRemote = "https://example.com/p.yaml"
	hostileGit    = "github.com/org/repo//k?ref=v1"
)

const ptFile = "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: " + hostileRemote + "\ntarget:\n  kind: ConfigMap\n"

var hostileCatalogs = []struct {
	name  string
	kind  Cause // what Build says (anyCause: any verdict)
	files map[string]string
}{
	{"strategic merge patch path that looks inline, modernisation off", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\npatchesStrategicMerge:\n- " + hostileRemote + "?kind:x\n- |\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  $patch: delete\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"strategic merge patch path with apiVersion", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\npatchesStrategicMerge:\n- " + hostileRemote + "?apiVersion\n- |\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  $patch: delete\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"inline strategic merge transformer, paths key with a long s", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- |\n  apiVersion: builtin\n  kind: PatchStrategicMergeTransformer\n  metadata: {name: p}\n  path\u017f:\n  - " + hostileRemote + "\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"inline generator, files key with a long s", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ngenerators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: g}\n  file\u017f:\n  - k=" + hostileRemote + "\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"inline generator, envs key with a long s", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ngenerators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: g}\n  env\u017f:\n  - " + hostileRemote + "\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"transformer entry that is YAML to opcat and a path to kustomize", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- '" + hostileRemote + ": x'\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"transformer entry that is YAML to opcat and a repository to kustomize", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- 'github.com/org/repo//k?ref=v1: x'\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"two plugin documents with one id, a repository to kustomize", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- |\n  github.com/org/repo?ref=x: 1\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  ---\n  github.com/org/repo?ref=x: 1\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"generator folder whose configuration is local-config", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- ../gen\n",
		"app/cm.yaml":            cm("a"),
		"gen/kustomization.yaml": "resources:\n- t.yaml\n",
		"gen/t.yaml":             "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\npath: " + hostileRemote + "\ntarget:\n  kind: ConfigMap\n",
	}},
	{"generator folder patching in a remote path", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- ../gen\n",
		"app/cm.yaml":            cm("a"),
		"gen/kustomization.yaml": "resources:\n- t.yaml\npatches:\n- target: {kind: PatchTransformer}\n  patch: |\n    - op: replace\n      path: /path\n      value: " + hostileRemote + "\n",
		"gen/t.yaml":             "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: p.yaml\ntarget:\n  kind: ConfigMap\n",
		"gen/p.yaml":             cm("a"),
	}},
	{"base reached by a long-s key, with a local-config plugin folder", anyCause, map[string]string{
		"app/kustomization.yaml":  "re\u017fources:\n- ../base\n",
		"base/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- ../gen\n",
		"base/cm.yaml":            cm("a"),
		"gen/kustomization.yaml":  "resources:\n- t.yaml\n",
		"gen/t.yaml":              "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\npath: " + hostileRemote + "\ntarget:\n  kind: ConfigMap\n",
	}},
	{"transformer file holding a JSON array", CauseBuild, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- t.json\n",
		"app/cm.yaml":            cm("a"),
		"app/t.json":             `[{"apiVersion":"builtin","kind":"PatchTransformer","metadata":{"name":"p"},"path":"` + hostileRemote + `","target":{"kind":"ConfigMap"}}]`,
	}},
	{"transformer file with a null document", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- t.yaml\n",
		"app/cm.yaml":            cm("a"),
		"app/t.yaml":             ptFile + "---\n~\n",
	}},
	{"transformer file with a scalar document", CauseBuild, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- t.yaml\n",
		"app/cm.yaml":            cm("a"),
		"app/t.yaml":             ptFile + "---\nhello\n",
	}},
	{"transformer file holding a List", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- t.yaml\n",
		"app/cm.yaml":            cm("a"),
		"app/t.yaml":             "apiVersion: v1\nkind: List\nitems:\n- apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  path: " + hostileRemote + "\n  target: {kind: ConfigMap}\n",
	}},
	{"transformer file, path key with a kelvin sign or long s", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- t.yaml\n",
		"app/cm.yaml":            cm("a"),
		"app/t.yaml":             "apiVersion: builtin\nkind: PatchStrategicMergeTransformer\nmetadata: {name: p}\npath\u017f: [" + hostileRemote + "]\n",
	}},
	{"transformer file, binary tag", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- t.yaml\n",
		"app/cm.yaml":            cm("a"),
		"app/t.yaml":             "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\npath: !!binary aHR0cHM6Ly9leGFtcGxlLmNvbS9wLnlhbWw=\ntarget: {kind: ConfigMap}\n",
	}},
	{"inline transformer, binary tag", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  path: !!binary aHR0cHM6Ly9leGFtcGxlLmNvbS9wLnlhbWw=\n  target: {kind: ConfigMap}\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"inline transformer, merge key", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  <<: {path: " + hostileRemote + "}\n  target: {kind: ConfigMap}\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"kustomization as a resource file", CauseBuild, map[string]string{
		"app/kustomization.yaml": "resources:\n- x.yaml\n",
		"app/x.yaml":             "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- " + hostileRemote + "\n",
	}},
	{"value add transformer target file", CauseRemote, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- |\n  apiVersion: builtin\n  kind: ValueAddTransformer\n  metadata: {name: v}\n  value: x\n  targets:\n  - selector: {kind: ConfigMap}\n    filePathPosition: 1\n  targetFilePath: " + hostileRemote + "\n",
		"app/cm.yaml":            cm("a"),
	}},
	{"whitespace-padded URL", CauseMissingPath, map[string]string{
		"app/kustomization.yaml": "resources:\n- cm.yaml\npatches:\n- path: \" " + hostileRemote + "\"\n",
		"app/cm.yaml":            cm("a"),
	}},
}

// TestHostileCatalogs hands krusty the snapshot filesystem directly, and
// builds with opcat's checks, for catalogs that try to make a build fetch
// or run something: neither may.
func TestHostileCatalogs(t *testing.T) {
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "kustomize-*"))
	defer func() {
		after, _ := filepath.Glob(filepath.Join(os.TempDir(), "kustomize-*"))
		if len(after) > len(before) {
			t.Errorf("temporary folders left behind: %v", after)
		}
	}()
	for _, tc := range hostileCatalogs {
		t.Run(tc.name, func(t *testing.T) {
			net := guard(t)
			tree := NewTreeFromMap(tc.files)
			if _, err := krusty.MakeKustomizer(krustyOptions()).Run(tree.fs, "/app"); err == nil {
				t.Error("krusty built it")
			}
			net.check(t)
			net = guard(t)
			res := NewBuilder(NewTreeFromMap(tc.files)).Build("app")
			if tc.kind == anyCause {
				// Any verdict, as long as nothing is fetched or run.
			} else if res.Err == nil || res.Err.Cause != tc.kind || res.Err.Pos.File != "app/kustomization.yaml" {
				t.Errorf("got %v, want %s in app/kustomization.yaml", res.Err, tc.kind)
			}
			net.check(t)
		})
	}
}

// aliasBombYAML is a plugin configuration whose aliases stand for 10^9
// nodes.
func aliasBombYAML(indent string) string {
	var b strings.Builder
	b.WriteString(indent + "apiVersion: builtin\n" + indent + "kind: PatchTransformer\n" + indent + "metadata: {name: p}\n")
	b.WriteString(indent + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "%sa%d: &a%d [", indent, i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// TestAliasBombsRefused: kustomize's decoders expand YAML aliases, so a
// plugin configuration or strategic merge patch whose aliases stand for a
// billion nodes would take the build minutes and gigabytes. It is refused
// before anything decodes it.
func TestAliasBombsRefused(t *testing.T) {
	bomb := aliasBombYAML("")
	quoted := strconv.Quote(bomb)
	for name, files := range map[string]map[string]string{
		"inline transformer": {"app/kustomization.yaml": "transformers:\n- |\n" + aliasBombYAML("  ")},
		"transformer file":   {"app/kustomization.yaml": "transformers:\n- t.yaml\n", "app/t.yaml": bomb},
		"strategic merge patch entry": {"app/kustomization.yaml": "resources:\n- cm.yaml\npatchesStrategicMerge:\n- " + quoted + "\n",
			"app/cm.yaml": cm("a")},
		"strategic merge transformer paths entry": {"app/kustomization.yaml": "transformers:\n- |\n  apiVersion: builtin\n  kind: PatchStrategicMergeTransformer\n  metadata: {name: p}\n  paths:\n  - " + quoted + "\n"},
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			res := NewBuilder(NewTreeFromMap(files)).Build("app")
			if res.Err == nil || res.Err.Cause != CauseAliasExpansion || !strings.Contains(res.Err.Message, "aliases") {
				t.Errorf("got %v", res.Err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
