package kustomize

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	baseDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.25
`
	baseService = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
`
)

// baseFiles is a base with a Deployment and a Service.
func baseFiles() map[string]string {
	return map[string]string{
		"base/kustomization.yaml": "resources:\n- deployment.yaml\n- service.yaml\n",
		"base/deployment.yaml":    baseDeployment,
		"base/service.yaml":       baseService,
	}
}

func with(files map[string]string, more ...string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	for i := 0; i+1 < len(more); i += 2 {
		out[more[i]] = more[i+1]
	}
	return out
}

const baseYAML = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - image: nginx:1.25
        name: web
`

const overlayYAML = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: prod
spec:
  ports:
  - port: 80
  type: NodePort
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
  namespace: prod
spec:
  replicas: 3
  template:
    spec:
      containers:
      - image: nginx:1.27
        name: web
`

func overlayFiles() map[string]string {
	return with(baseFiles(),
		"overlays/prod/kustomization.yaml", `resources:
- ../../base
namespace: prod
patches:
- path: replicas.yaml
  target:
    group: apps
    version: v1
    kind: Deployment
    name: web
- target:
    kind: Service
    name: web
  patch: |-
    - op: add
      path: /spec/type
      value: NodePort
`,
		"overlays/prod/replicas.yaml", `- op: replace
  path: /spec/replicas
  value: 3
- op: replace
  path: /spec/template/spec/containers/0/image
  value: nginx:1.27
`)
}

func TestBuildRenders(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		dir   string
		want  string
	}{
		{"base", baseFiles(), "base", baseYAML},
		{"overlay with JSON6902 patches and a namespace", overlayFiles(), "overlays/prod", overlayYAML},
		{"dir is cleaned", overlayFiles(), "./overlays/prod/", overlayYAML},
		{"legacy bases and patchesJson6902", with(baseFiles(),
			"legacy/kustomization.yml", `bases:
- ../base
namespace: legacy
patchesJson6902:
- path: patch.json
  target:
    group: apps
    version: v1
    kind: Deployment
    name: web
patchesStrategicMerge:
- |-
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    type: ClusterIP
`,
			"legacy/patch.json", `[{"op": "replace", "path": "/spec/replicas", "value": 2}]`), "legacy", `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: legacy
spec:
  ports:
  - port: 80
  type: ClusterIP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
  namespace: legacy
spec:
  replicas: 2
  template:
    spec:
      containers:
      - image: nginx:1.25
        name: web
`},
		{"root kustomization with a component", map[string]string{
			"kustomization.yaml": "resources:\n- cm.yaml\ncomponents:\n- comp\nnamePrefix: p-\n",
			"cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: \"1\"\n",
			"comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n" +
				"patches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: add\n      path: /data/b\n      value: \"2\"\n",
		}, ".", `apiVersion: v1
data:
  a: "1"
  b: "2"
kind: ConfigMap
metadata:
  name: p-cm
`},
		{"folder named kustomization.yaml beside a kustomization.yml", map[string]string{
			"k/kustomization.yaml/notes.txt": "not a kustomization\n",
			"k/kustomization.yml":            "resources:\n- svc.yaml\n",
			"k/svc.yaml":                     baseService,
		}, "k", baseService},
		{"configMapGenerator is hashed", map[string]string{
			"g/kustomization.yaml": "configMapGenerator:\n- name: cfg\n  literals:\n  - k=v\n",
		}, "g", `apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: cfg-bdg947hgcc
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := NewBuilder(NewTreeFromMap(tc.files)).Build(tc.dir)
			if res.Err != nil {
				t.Fatalf("build failed: %v (%s)", res.Err, res.Err.Cause)
			}
			if string(res.YAML()) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", res.YAML(), tc.want)
			}
			n := 0
			if tc.want != "" {
				n = strings.Count(tc.want, "\n---\n") + 1
			}
			if len(res.Resources) != n {
				t.Errorf("got %d resources, want %d", len(res.Resources), n)
			}
		})
	}
}

func TestBuildResources(t *testing.T) {
	res := NewBuilder(NewTreeFromMap(overlayFiles())).Build("overlays/prod")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var got []string
	for _, r := range res.Resources {
		got = append(got, r.GetKind()+" "+r.GetNamespace()+"/"+r.GetName())
	}
	if strings.Join(got, ", ") != "Service prod/web, Deployment prod/web" {
		t.Errorf("resources: %v", got)
	}
}

// noNetwork makes any HTTP request fail and records it, and puts fake git,
// helm, docker and kubectl first on PATH that leave a marker when run.
type noNetwork struct {
	mu      sync.Mutex
	urls    []string
	markers string
}

func (n *noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	n.mu.Lock()
	n.urls = append(n.urls, r.URL.String())
	n.mu.Unlock()
	return nil, errors.New("network disabled in tests")
}

func guard(t *testing.T) *noNetwork {
	t.Helper()
	n := &noNetwork{markers: t.TempDir()}
	old := http.DefaultTransport
	http.DefaultTransport = n
	t.Cleanup(func() { http.DefaultTransport = old })
	bin := t.TempDir()
	for _, tool := range []string{"git", "helm", "docker", "podman", "kubectl", "kustomize"} {
		script := "#!/bin/sh\ntouch '" + filepath.Join(n.markers, tool) + "'\nexit 1\n"
		if err := os.WriteFile(filepath.Join(bin, tool), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return n
}

func (n *noNetwork) check(t *testing.T) {
	t.Helper()
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.urls) > 0 {
		t.Errorf("the build made HTTP requests: %v", n.urls)
	}
	entries, _ := os.ReadDir(n.markers)
	for _, e := range entries {
		t.Errorf("the build ran %s", e.Name())
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		dir     string
		kind    Cause
		pos     Position
		message string
	}{
		{"remote git resource",
			map[string]string{"o/kustomization.yaml": "resources:\n- local.yaml\n- github.com/org/repo//x?ref=main\n", "o/local.yaml": baseService},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 3, Column: 3}, `remote resource "github.com/org/repo//x?ref=main", not fetched`},
		{"https resource",
			map[string]string{"o/kustomization.yaml": "resources:\n- https://example.com/manifests/app.yaml\n"},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 2, Column: 3}, `remote resource "https://example.com/manifests/app.yaml"`},
		{"remote base reached through an overlay",
			map[string]string{
				"o/kustomization.yaml": "resources:\n- ../b\n",
				"b/kustomization.yaml": "bases:\n- git@github.com:org/repo.git//deploy\n",
			},
			"o", CauseRemote, Position{File: "b/kustomization.yaml", Line: 2, Column: 3}, "git@github.com:org/repo.git//deploy"},
		{"remote component",
			map[string]string{"o/kustomization.yaml": "components:\n- https://github.com/org/repo/comp?ref=v1\n"},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 2, Column: 3}, "not fetched"},
		{"upper-case scheme",
			map[string]string{"o/kustomization.yaml": "resources:\n- HTTPS://example.com/app.yaml\n"},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 2, Column: 3}, "HTTPS://example.com/app.yaml"},
		{"mixed-case GitHub host",
			map[string]string{"o/kustomization.yaml": "resources:\n- GitHub.com/org/repo//x\n"},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 2, Column: 3}, "GitHub.com/org/repo//x"},
		{"scp-like URL with any user",
			map[string]string{"o/kustomization.yaml": "resources:\n- deploy@git.example.com:org/repo//x\n"},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 2, Column: 3}, "deploy@git.example.com"},
		{"remote patch file",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\npatches:\n- path: https://example.com/p.yaml\n", "o/s.yaml": baseService},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 4, Column: 9}, `remote patch "https://example.com/p.yaml"`},
		{"remote transformer config",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\ntransformers:\n- https://example.com/t.yaml\n", "o/s.yaml": baseService},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 4, Column: 3}, `remote transformers entry "https://example.com/t.yaml"`},
		{"remote generator repository",
			map[string]string{"o/kustomization.yaml": "generators:\n- github.com/org/repo//gen?ref=v1\n"},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 2, Column: 3}, "remote generators entry"},
		{"remote configMapGenerator file",
			map[string]string{"o/kustomization.yaml": "configMapGenerator:\n- name: c\n  files:\n  - key=https://example.com/f.txt\n"},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 4, Column: 5}, "remote configMapGenerator entry"},
		{"remote secretGenerator env",
			map[string]string{"o/kustomization.yaml": "secretGenerator:\n- name: c\n  envs:\n  - https://example.com/f.env\n"},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 4, Column: 5}, "remote secretGenerator entry"},
		{"remote openapi schema",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\nopenapi:\n  path: https://example.com/schema.json\n", "o/s.yaml": baseService},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 4, Column: 9}, "remote openapi entry"},
		{"remote replacements file",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\nreplacements:\n- path: https://example.com/r.yaml\n", "o/s.yaml": baseService},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 4, Column: 9}, "remote replacements entry"},
		{"remote crds",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\ncrds:\n- https://example.com/crd.json\n", "o/s.yaml": baseService},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 4, Column: 3}, "remote crds entry"},
		{"remote configurations",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\nconfigurations:\n- http://example.com/c.yaml\n", "o/s.yaml": baseService},
			"o", CauseRemote, Position{File: "o/kustomization.yaml", Line: 4, Column: 3}, "remote configurations entry"},
		{"missing resource file",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\n- deployment.yaml\n", "o/s.yaml": baseService},
			"o", CauseMissingPath, Position{File: "o/kustomization.yaml", Line: 3, Column: 3}, `resources entry "deployment.yaml" does not exist (looked for o/deployment.yaml)`},
		{"missing patch file",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\npatches:\n- path: nope.yaml\n", "o/s.yaml": baseService},
			"o", CauseMissingPath, Position{File: "o/kustomization.yaml", Line: 4, Column: 9}, `patch file "nope.yaml" does not exist`},
		{"folder without kustomization",
			map[string]string{"o/kustomization.yaml": "resources:\n- ../base\n", "base/deployment.yaml": baseDeployment},
			"o", CauseMissingKustomization, Position{File: "o/kustomization.yaml", Line: 2, Column: 3}, "folder base has no kustomization.yaml"},
		{"built folder without kustomization",
			map[string]string{"o/deployment.yaml": baseDeployment},
			"o", CauseMissingKustomization, Position{File: "o"}, "folder o has no kustomization.yaml"},
		{"folder that does not exist",
			map[string]string{"o/kustomization.yaml": "resources: []\n"},
			"nowhere", CauseMissingKustomization, Position{File: "nowhere"}, "folder nowhere has no kustomization.yaml"},
		{"two kustomization files",
			with(baseFiles(), "o/kustomization.yaml", "resources:\n- ../base\n", "base/Kustomization", "resources:\n- service.yaml\n"),
			"o", CauseInvalidKustomization, Position{File: "base/Kustomization", Line: 1, Column: 1}, "folder base holds base/kustomization.yaml and base/Kustomization; kustomize refuses more than one kustomization file"},
		{"two kustomization files in the built folder",
			map[string]string{"o/kustomization.yaml": "resources: []\n", "o/kustomization.yml": "resources: []\n"},
			"o", CauseInvalidKustomization, Position{File: "o/kustomization.yml", Line: 1, Column: 1}, "more than one kustomization file"},
		{"cycle",
			map[string]string{"a/kustomization.yaml": "resources:\n- ../b\n", "b/kustomization.yaml": "resources:\n- ../a\n"},
			"a", CauseCycle, Position{File: "b/kustomization.yaml", Line: 2, Column: 3}, "cycle: a includes itself through its resources"},
		{"self cycle",
			map[string]string{"a/kustomization.yaml": "resources:\n- .\n"},
			"a", CauseCycle, Position{File: "a/kustomization.yaml", Line: 2, Column: 3}, "cycle"},
		{"escaping the root",
			map[string]string{"o/kustomization.yaml": "resources:\n- ../../outside\n"},
			"o", CauseOutsideRoot, Position{File: "o/kustomization.yaml", Line: 2, Column: 3}, `resources "../../outside" leaves the catalog root`},
		{"escaping the root from the root",
			map[string]string{"kustomization.yaml": "resources:\n- ..\n"},
			".", CauseOutsideRoot, Position{File: "kustomization.yaml", Line: 2, Column: 3}, "leaves the catalog root"},
		{"escaping the root with a patch",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\npatches:\n- path: ../../etc/passwd\n", "o/s.yaml": baseService},
			"o", CauseMissingPath, Position{File: "o/kustomization.yaml", Line: 4, Column: 9}, "does not exist"},
		{"absolute path stays in the tree",
			map[string]string{"o/kustomization.yaml": "resources:\n- /etc/passwd\n"},
			"o", CauseMissingPath, Position{File: "o/kustomization.yaml", Line: 2, Column: 3}, "does not exist"},
		{"invalid kustomization",
			map[string]string{"o/kustomization.yaml": "base:\n- ../x\n"},
			"o", CauseInvalidKustomization, Position{File: "o/kustomization.yaml", Line: 1, Column: 1}, `unknown kustomization field "base"`},
		{"invalid kustomization in a base",
			with(baseFiles(), "o/kustomization.yaml", "resources:\n- ../base\n", "base/kustomization.yaml", "resources: deployment.yaml\n"),
			"o", CauseInvalidKustomization, Position{File: "base/kustomization.yaml", Line: 1, Column: 12}, `field "resources" has the wrong type`},
		{"empty kustomization",
			map[string]string{"e/kustomization.yaml": ""},
			"e", CauseInvalidKustomization, Position{File: "e/kustomization.yaml", Line: 1, Column: 1}, "the kustomization is empty"},
		{"empty base",
			map[string]string{"o/kustomization.yaml": "resources:\n- ../b\n", "b/kustomization.yaml": "# TODO\n"},
			"o", CauseInvalidKustomization, Position{File: "b/kustomization.yaml", Line: 1, Column: 1}, "the kustomization is empty"},
		{"unknown kind in a base",
			map[string]string{"o/kustomization.yaml": "resources:\n- ../b\n", "b/kustomization.yaml": "kind: Overlay\nresources: []\n"},
			"o", CauseInvalidKustomization, Position{File: "b/kustomization.yaml", Line: 1, Column: 7}, "kind should be Kustomization or Component"},
		{"kustomization syntax error",
			map[string]string{"o/kustomization.yaml": "resources:\n- a\n  b: [\n"},
			"o", CauseYAMLSyntax, Position{File: "o/kustomization.yaml", Line: 3}, "YAML does not parse"},
		{"helm charts",
			map[string]string{"o/kustomization.yaml": "helmCharts:\n- name: nginx\n  repo: https://charts.example.com\n  version: 1.0.0\n  releaseName: web\n"},
			"o", CauseHelm, Position{File: "o/kustomization.yaml", Line: 1, Column: 1}, "helmCharts run the helm program"},
		{"JSON patch that does not apply",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\npatches:\n- path: p.yaml\n  target:\n    kind: Service\n", "o/s.yaml": baseService, "o/p.yaml": "- op: remove\n  path: /spec/nope\n"},
			"o", CauseBuild, Position{File: "o/p.yaml", Line: 1, Column: 3}, "Unable to remove nonexistent key: nope"},
		{"resource that is not YAML",
			map[string]string{"o/kustomization.yaml": "resources:\n- s.yaml\n", "o/s.yaml": "kind: [\n"},
			"o", CauseBuild, Position{File: "o/kustomization.yaml"}, "s.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			net := guard(t)
			start := time.Now()
			res := NewBuilder(NewTreeFromMap(tc.files)).Build(tc.dir)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("the build took %v", d)
			}
			net.check(t)
			if res.Err == nil {
				t.Fatalf("build succeeded:\n%s", res.YAML())
			}
			if res.YAML() != nil || res.Resources != nil {
				t.Errorf("a failed build returned output")
			}
			if res.Err.Cause != tc.kind || res.Err.Pos != tc.pos {
				t.Errorf("got %s at %v, want %s at %v\n(%s)", res.Err.Cause, res.Err.Pos, tc.kind, tc.pos, res.Err.Message)
			}
			if !strings.Contains(res.Err.Message, tc.message) {
				t.Errorf("message %q does not contain %q", res.Err.Message, tc.message)
			}
			if strings.Contains(res.Err.Message, "'/o/") || strings.Contains(res.Err.Message, " /o/") {
				t.Errorf("message %q leaks in-memory paths", res.Err.Message)
			}
			if res.Err.Error() != res.Err.Pos.String()+": "+res.Err.Message {
				t.Errorf("Error() = %q", res.Err.Error())
			}
		})
	}
}

// KRM functions and plugins must never run: an exec function that would
// leave a marker file is refused and the marker stays absent.
func TestBuildNeverRunsFunctions(t *testing.T) {
	tmp := t.TempDir()
	marker := filepath.Join(tmp, "ran")
	script := filepath.Join(tmp, "fn.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch '"+marker+"'\ncat\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	execFn := func(kind string) string {
		return "apiVersion: example.com/v1\nkind: " + kind + "\nmetadata:\n  name: fn\n  annotations:\n" +
			"    config.kubernetes.io/function: |\n      exec:\n        path: " + script + "\n"
	}
	containerFn := "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: fn\n  annotations:\n" +
		"    config.kubernetes.io/function: |\n      container:\n        image: example.com/fn:v1\n"
	tests := []struct {
		name    string
		files   map[string]string
		message string
	}{
		{"exec transformer", map[string]string{
			"o/kustomization.yaml": "resources:\n- s.yaml\ntransformers:\n- fn.yaml\n", "o/s.yaml": baseService, "o/fn.yaml": execFn("Fn"),
		}, "plugins disabled"},
		{"exec generator", map[string]string{
			"o/kustomization.yaml": "generators:\n- fn.yaml\n", "o/fn.yaml": execFn("Gen"),
		}, "plugins disabled"},
		{"exec validator", map[string]string{
			"o/kustomization.yaml": "resources:\n- s.yaml\nvalidators:\n- fn.yaml\n", "o/s.yaml": baseService, "o/fn.yaml": execFn("Val"),
		}, "plugins disabled"},
		{"inline exec transformer", map[string]string{
			"o/kustomization.yaml": "resources:\n- s.yaml\ntransformers:\n- |\n  " + strings.ReplaceAll(strings.TrimSuffix(execFn("Fn"), "\n"), "\n", "\n  ") + "\n",
			"o/s.yaml":             baseService,
		}, "plugins disabled"},
		{"container transformer", map[string]string{
			"o/kustomization.yaml": "resources:\n- s.yaml\ntransformers:\n- fn.yaml\n", "o/s.yaml": baseService, "o/fn.yaml": containerFn,
		}, "plugins disabled"},
		{"legacy exec plugin", map[string]string{
			"o/kustomization.yaml": "resources:\n- s.yaml\ntransformers:\n- plugin.yaml\n", "o/s.yaml": baseService,
			"o/plugin.yaml": "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: x\n",
		}, "plugins disabled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			net := guard(t)
			res := NewBuilder(NewTreeFromMap(tc.files)).Build("o")
			net.check(t)
			if _, err := os.Stat(marker); err == nil {
				t.Fatalf("the exec function ran")
			}
			if res.Err == nil {
				t.Fatalf("build succeeded:\n%s", res.YAML())
			}
			if res.Err.Cause != CauseBuild || res.Err.Pos != (Position{File: "o/kustomization.yaml"}) {
				t.Errorf("got %s at %v", res.Err.Cause, res.Err.Pos)
			}
			if !strings.Contains(res.Err.Message, tc.message) {
				t.Errorf("message %q does not contain %q", res.Err.Message, tc.message)
			}
		})
	}
}

func TestBuildCycleDoesNotHang(t *testing.T) {
	files := map[string]string{
		"a/kustomization.yaml": "resources:\n- ../b\n- ../c\n",
		"b/kustomization.yaml": "resources:\n- ../c\n",
		"c/kustomization.yaml": "components:\n- ../a\n",
	}
	done := make(chan Result, 1)
	go func() { done <- NewBuilder(NewTreeFromMap(files)).Build("a") }()
	select {
	case res := <-done:
		if res.Err == nil || !strings.Contains(res.Err.Message, "cycle") {
			t.Errorf("got %v, want a cycle error", res.Err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Build did not return on a cycle")
	}
}

// A diamond (two overlays of one base) is not a cycle.
func TestDiagnoseDiamond(t *testing.T) {
	files := with(baseFiles(),
		"x/kustomization.yaml", "resources:\n- ../base\nnamePrefix: x-\n",
		"y/kustomization.yaml", "resources:\n- ../base\nnamePrefix: y-\n",
		"top/kustomization.yaml", "resources:\n- ../x\n- ../y\n")
	b := NewBuilder(NewTreeFromMap(files))
	if diag := b.Diagnose("top"); len(diag) != 0 {
		t.Errorf("Diagnose: %v", diag)
	}
	res := b.Build("top")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Resources) != 4 {
		t.Errorf("got %d resources, want 4", len(res.Resources))
	}
}

func TestDiagnoseReportsEveryCause(t *testing.T) {
	files := map[string]string{
		"o/kustomization.yaml": "resources:\n- missing.yaml\n- ../nokust\n- https://example.com/x.yaml\npatches:\n- path: p.yaml\n",
		"nokust/a.yaml":        baseService,
	}
	got := problemStrings(NewBuilder(NewTreeFromMap(files)).Diagnose("o"))
	want := []string{
		"missing path o/kustomization.yaml:2:3",
		"missing kustomization o/kustomization.yaml:3:3",
		"remote o/kustomization.yaml:4:3",
		"missing path o/kustomization.yaml:6:9",
	}
	if len(got) != len(want) {
		t.Fatalf("got\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]+":") {
			t.Errorf("problem %d: %s, want %s", i, got[i], want[i])
		}
	}
}

// Eight concurrent builds of one kustomization give the same bytes, while
// four builds of another folder of the same tree run beside them.
func TestBuildConcurrent(t *testing.T) {
	b := NewBuilder(NewTreeFromMap(overlayFiles()))
	const overlays, bases = 8, 4
	results := make([]Result, overlays+bases)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			dir := "overlays/prod"
			if i >= overlays {
				dir = "base"
			}
			results[i] = b.Build(dir)
		}(i)
	}
	wg.Wait()
	for i, res := range results {
		if res.Err != nil {
			t.Fatalf("build %d: %v", i, res.Err)
		}
		want := overlayYAML
		if i >= overlays {
			want = baseYAML
		}
		if !bytes.Equal(res.YAML(), []byte(want)) {
			t.Errorf("build %d differs:\n%s", i, res.YAML())
		}
	}
}

func TestIsRemote(t *testing.T) {
	tests := []struct {
		entry string
		want  bool
	}{
		{"github.com/org/repo//x?ref=main", true},
		{"github.com/org/repo", true},
		{"github.com:org/repo", true},
		{"GitHub.com/org/repo", true},
		{"https://github.com/org/repo//x", true},
		{"https://example.com/app.yaml", true},
		{"HTTPS://example.com/app.yaml", true},
		{"http://example.com/app.yaml", true},
		{"git::https://example.com/org/repo", true},
		{"ssh://git@example.com/org/repo", true},
		{"git@github.com:org/repo.git", true},
		{"deploy@git.example.com:org/repo", true},
		{"file:///srv/repos/app", true},
		{"example.com/org/repo?ref=v1", true},
		{"example.com/org/repo?version=v1", true},
		{"example.com/org/repo.git", true},
		{"example.com/org/repo.git//deploy", true},
		{"gitlab.com/org/repo", true},
		{"bitbucket.org/org/repo", true},
		{"../base", false},
		{"deployment.yaml", false},
		{"./overlays/prod", false},
		{"config@v2.yaml", false},
		{"github.com.yaml", false},
		{"docs/github.com-notes.yaml", false},
		{"base.gitignore", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.entry, func(t *testing.T) {
			if got := IsRemote(tc.entry); got != tc.want {
				t.Errorf("IsRemote(%q) = %v, want %v", tc.entry, got, tc.want)
			}
		})
	}
}

// writeFiles lays files out under a temporary root.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
}

func problemOf(tree *Tree, file string) *Problem {
	for i := range tree.Problems {
		if tree.Problems[i].Pos.File == file {
			return &tree.Problems[i]
		}
	}
	return nil
}

func TestReadTree(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "catalog")
	outside := filepath.Join(dir, "outside")
	writeFiles(t, outside, map[string]string{"secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\n"})
	writeFiles(t, root, overlayFiles())
	writeFiles(t, root, map[string]string{
		"big/kustomization.yaml":                 "resources:\n- big.yaml\n",
		"big/big.yaml":                           strings.Repeat("# padding\n", 200),
		".git/config":                            "[core]\n",
		"node_modules/x/a.yaml":                  "a: 1\n",
		"links/kustomization.yaml":               "resources:\n- leak.yaml\n",
		"odd/kustomization.yaml/deployment.yaml": baseDeployment,
		"odd/service.yaml":                       baseService,
	})
	symlink(t, filepath.Join(outside, "secret.yaml"), filepath.Join(root, "links", "leak.yaml"))
	symlink(t, "../base/service.yaml", filepath.Join(root, "links", "inside.yaml"))
	symlink(t, "../base", filepath.Join(root, "links", "dir"))
	symlink(t, "loop-b", filepath.Join(root, "links", "loop-a"))
	symlink(t, "loop-a", filepath.Join(root, "links", "loop-b"))
	symlink(t, ".", filepath.Join(root, "links", "self"))
	symlink(t, "nowhere.yaml", filepath.Join(root, "links", "dangling.yaml"))
	symlink(t, outside, filepath.Join(root, "links", "outdir"))

	type result struct {
		tree *Tree
		err  error
	}
	done := make(chan result, 1)
	go func() {
		tree, err := ReadTree(root, TreeOptions{MaxFileSize: 1000})
		done <- result{tree, err}
	}()
	var tree *Tree
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		tree = r.tree
	case <-time.After(20 * time.Second):
		t.Fatal("ReadTree did not return: a symbolic link loop?")
	}

	realRoot, _ := filepath.EvalSymlinks(root)
	if tree.Root() != realRoot {
		t.Errorf("Root() = %q, want %q", tree.Root(), realRoot)
	}

	problems := []struct {
		file    string
		kind    Cause
		message string
	}{
		{"links/leak.yaml", CauseRefusedFile, "symbolic link leaves the catalog root; it is ignored"},
		{"links/outdir", CauseRefusedFile, "leaves the catalog root"},
		{"links/self", CauseRefusedFile, "symbolic link to a folder that contains it (a loop)"},
		{"links/loop-a", CauseRefusedFile, "symbolic link cannot be resolved"},
		{"links/loop-b", CauseRefusedFile, "symbolic link cannot be resolved"},
		{"links/dangling.yaml", CauseRefusedFile, "symbolic link cannot be resolved"},
		{"big/big.yaml", CauseRefusedFile, "file is 2000 bytes, over the file size limit of 1000 bytes"},
		{"odd/kustomization.yaml", CauseRefusedFile, "a folder named like a kustomization file"},
	}
	for _, p := range problems {
		t.Run("problem "+p.file, func(t *testing.T) {
			got := problemOf(tree, p.file)
			if got == nil {
				t.Fatalf("no problem reported; problems: %v", tree.Problems)
			}
			if got.Cause != p.kind || !strings.Contains(got.Message, p.message) {
				t.Errorf("got %s %q, want %s %q", got.Cause, got.Message, p.kind, p.message)
			}
			if _, ok := tree.ReadFile(p.file); ok {
				t.Errorf("%s is readable", p.file)
			}
			if _, ok := tree.Refused(p.file); !ok {
				t.Errorf("Refused(%s) is false", p.file)
			}
		})
	}
	if len(tree.Problems) != len(problems) {
		t.Errorf("got %d problems, want %d: %v", len(tree.Problems), len(problems), tree.Problems)
	}

	t.Run("no file leaves the root", func(t *testing.T) {
		for _, f := range tree.Files() {
			data, _ := tree.ReadFile(f)
			if strings.Contains(string(data), "leaked") {
				t.Errorf("%s holds the content of a file outside the root", f)
			}
			if strings.HasPrefix(f, ".git/") || strings.HasPrefix(f, "node_modules/") {
				t.Errorf("%s should have been skipped", f)
			}
		}
	})
	t.Run("symbolic link inside the root is read", func(t *testing.T) {
		data, ok := tree.ReadFile("links/inside.yaml")
		if !ok || string(data) != baseService {
			t.Errorf("links/inside.yaml = %q, %v", data, ok)
		}
	})
	t.Run("build through a link that leaves the root", func(t *testing.T) {
		res := NewBuilder(tree).Build("links")
		if res.Err == nil || res.Err.Cause != CauseNeedsRefusedFile || res.Err.Pos != (Position{File: "links/kustomization.yaml", Line: 2, Column: 3}) ||
			!strings.Contains(res.Err.Message, "leaves the catalog root") {
			t.Errorf("got %v, %s", res.Err, res.YAML())
		}
	})
	t.Run("folder link inside the root is followed", func(t *testing.T) {
		if !tree.IsDir("links/dir") || tree.RealPath("links/dir/service.yaml") != "base/service.yaml" {
			t.Fatalf("links/dir: IsDir %v, RealPath %q", tree.IsDir("links/dir"), tree.RealPath("links/dir/service.yaml"))
		}
		through, direct := NewBuilder(tree).Build("links/dir"), NewBuilder(tree).Build("base")
		if through.Err != nil || string(through.YAML()) != string(direct.YAML()) {
			t.Errorf("build through the link: %v\n%s", through.Err, through.YAML())
		}
	})
	t.Run("build with a file too large", func(t *testing.T) {
		res := NewBuilder(tree).Build("big")
		if res.Err == nil || res.Err.Cause != CauseNeedsRefusedFile || !strings.Contains(res.Err.Message, "raise the limit") {
			t.Errorf("got %v", res.Err)
		}
	})
	t.Run("build from disk equals build from memory", func(t *testing.T) {
		res := NewBuilder(tree).Build("overlays/prod")
		if res.Err != nil || string(res.YAML()) != overlayYAML {
			t.Errorf("got %v\n%s", res.Err, res.YAML())
		}
	})
	t.Run("folder named kustomization.yaml", func(t *testing.T) {
		if !tree.IsDir("odd/kustomization.yaml") {
			t.Fatal("odd/kustomization.yaml should be a folder of the tree")
		}
		for _, d := range tree.KustomizationDirs() {
			if d == "odd" || strings.HasPrefix(d, "odd/") {
				t.Errorf("KustomizationDirs() lists %s", d)
			}
		}
		if f := tree.KustomizationFile("odd"); len(f) != 0 {
			t.Errorf("KustomizationFile(odd) = %v", f)
		}
		res := NewBuilder(tree).Build("odd")
		if res.Err == nil || res.Err.Cause != CauseMissingKustomization {
			t.Errorf("got %v", res.Err)
		}
	})
	t.Run("KustomizationDirs", func(t *testing.T) {
		want := "base big links links/dir overlays/prod"
		if got := strings.Join(tree.KustomizationDirs(), " "); got != want {
			t.Errorf("KustomizationDirs() = %q, want %q", got, want)
		}
	})
}

func TestReadTreeErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.yaml")
	writeFiles(t, dir, map[string]string{"f.yaml": "a: 1\n"})
	for name, root := range map[string]string{"missing": filepath.Join(dir, "nope"), "a file": file} {
		t.Run(name, func(t *testing.T) {
			tree, err := ReadTree(root, TreeOptions{})
			if err == nil || tree != nil || !strings.Contains(err.Error(), "unable to read catalog") {
				t.Errorf("got %v, %v", tree, err)
			}
		})
	}
	t.Run("over the total size", func(t *testing.T) {
		d := t.TempDir()
		writeFiles(t, d, map[string]string{"a.yaml": strings.Repeat("a", 60), "b.yaml": strings.Repeat("b", 60)})
		_, err := ReadTree(d, TreeOptions{MaxTotalSize: 100})
		if err == nil || !strings.Contains(err.Error(), "its files hold more than 100 bytes, the limit for a catalog") {
			t.Errorf("err = %v", err)
		}
		if _, err := ReadTree(d, TreeOptions{MaxTotalSize: 120}); err != nil {
			t.Errorf("at the limit: %v", err)
		}
	})
	t.Run("files of /proc", func(t *testing.T) {
		if _, err := os.Stat("/proc/self/status"); err != nil {
			t.Skip("no /proc here")
		}
		// /proc/self reports size 0 for files that hold more: the limit
		// holds anyway.
		_, err := ReadTree("/proc/self", TreeOptions{MaxTotalSize: 1000})
		if err == nil || !strings.Contains(err.Error(), "more than 1000 bytes") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("root through a symbolic link", func(t *testing.T) {
		link := filepath.Join(dir, "link")
		symlink(t, dir, link)
		tree, err := ReadTree(link, TreeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if data, ok := tree.ReadFile("f.yaml"); !ok || string(data) != "a: 1\n" || len(tree.Problems) != 1 || tree.Problems[0].Pos.File != "link" {
			t.Errorf("ReadFile = %q %v, problems %v", data, ok, tree.Problems)
		}
	})
	t.Run("default size limit", func(t *testing.T) {
		tree, err := ReadTree(dir, TreeOptions{MaxFileSize: -1})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := tree.ReadFile("f.yaml"); !ok {
			t.Error("a negative limit must fall back to the default")
		}
	})
	t.Run("unreadable file", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads any file")
		}
		d := t.TempDir()
		writeFiles(t, d, map[string]string{"secret.yaml": "a: 1\n"})
		if err := os.Chmod(filepath.Join(d, "secret.yaml"), 0); err != nil {
			t.Fatal(err)
		}
		tree, err := ReadTree(d, TreeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if p := problemOf(tree, "secret.yaml"); p == nil || p.Cause != CauseRefusedFile {
			t.Errorf("problems %v", tree.Problems)
		}
	})
}

func TestNewTreeFromMap(t *testing.T) {
	tree := NewTreeFromMap(map[string]string{
		"a/b/c.yaml":              "c",
		"./a/d.yaml":              "d",
		"x/../kustomization.yaml": "resources: []\n",
	})
	if got := strings.Join(tree.Files(), " "); got != "a/b/c.yaml a/d.yaml kustomization.yaml" {
		t.Errorf("Files() = %q", got)
	}
	for _, d := range []string{".", "a", "a/b", "./a/"} {
		if !tree.IsDir(d) {
			t.Errorf("IsDir(%q) = false", d)
		}
	}
	if tree.IsDir("a/b/c.yaml") || tree.IsDir("x") {
		t.Error("IsDir of a file or of a cleaned-away folder")
	}
	if b, ok := tree.ReadFile("a/./b/c.yaml"); !ok || string(b) != "c" {
		t.Errorf("ReadFile = %q, %v", b, ok)
	}
	if got := tree.KustomizationDirs(); len(got) != 1 || got[0] != "." {
		t.Errorf("KustomizationDirs() = %v", got)
	}
	if tree.Root() != "/" {
		t.Errorf("Root() = %q", tree.Root())
	}
	if len(tree.Problems) != 0 {
		t.Errorf("Problems = %v", tree.Problems)
	}
}

// TestBuildErrorPointsAtPatchOp: a JSON patch operation kustomize cannot
// apply is reported at the operation, in the patch file or an included one.
func TestBuildErrorPointsAtPatchOp(t *testing.T) {
	tree := NewTreeFromMap(map[string]string{
		"a/kustomization.yaml":       "resources:\n  - cm.yaml\npatches:\n  - path: p.yaml\n    target:\n      kind: ConfigMap\n",
		"a/cm.yaml":                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n",
		"a/p.yaml":                   "- op: replace\n  path: /data/a\n  value: c\n- op: remove\n  path: /data/zz\n",
		"overlay/kustomization.yaml": "resources:\n  - ../a\n",
	})
	for _, dir := range []string{"a", "overlay"} {
		res := NewBuilder(tree).Build(dir)
		if res.Err == nil || res.Err.Pos != (Position{File: "a/p.yaml", Line: 4, Column: 3}) || !strings.Contains(res.Err.Message, "error in remove for path") {
			t.Errorf("%s: got %v", dir, res.Err)
		}
	}
}
