package generator

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

const corpusCatalog = "../../shared/corpus/eda-gitops-catalog"

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	for name, content := range readTree(t, from) {
		f := filepath.Join(to, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFixCorpus runs fix on a copy of the reference catalog: no deprecated
// field is left where the fix is safe, and every kustomization that built
// before renders the same bytes after.
func TestFixCorpus(t *testing.T) {
	if _, err := os.Stat(corpusCatalog); err != nil {
		t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", corpusCatalog, err)
	}
	root := t.TempDir()
	copyTree(t, corpusCatalog, root)
	before, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, results, err := Fix(before, nil)
	if err != nil {
		t.Fatal(err)
	}
	leftAlone := map[string]bool{}
	for _, r := range results {
		if r.Unsafe {
			t.Errorf("%s: a fix would change the render: %v", r.File, r.Left)
		}
		if len(r.Fixed) == 0 {
			leftAlone[r.File] = true
		}
	}
	if err := p.Apply(false); err != nil {
		t.Fatal(err)
	}
	after, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fixed := 0
	for _, dir := range before.Dirs() {
		b, a := before.Kustomizations[dir], after.Kustomizations[dir]
		if b.Result.Err == nil && !bytes.Equal(b.Result.YAML(), a.Result.YAML()) {
			t.Errorf("%s renders differently after fix", dir)
		}
		if a.Node == nil {
			continue
		}
		for i := 0; i+1 < len(a.Node.Content); i += 2 {
			field := a.Node.Content[i].Value
			if _, dep := kustomize.DeprecatedFieldReplacement(field); dep && !leftAlone[a.File] {
				t.Errorf("%s still has %s", a.File, field)
			}
		}
		if changedFile(p, b.File) {
			fixed++
		}
	}
	// The kustomizations that cannot be checked (they do not build) keep
	// their deprecated fields: the mq instance overlay, the remote grafana
	// ones, postgresql's overlay, and the operation-dashboard pointer whose
	// bases is not even a list.
	want := []string{
		"cp4i-operators/mq/instance/overlays/kustomization.yaml",
		"cp4i-operators/operation-dashboard/operator/overlays/kustomization.yaml",
		"grafana-operator/overlays/user-app-example/kustomization.yaml",
		"grafana-operator/overlays/user-app/kustomization.yaml",
		"postgresql/operator/overlays/stable/kustomization.yaml",
	}
	for _, f := range want {
		if !leftAlone[f] {
			t.Errorf("%s should be left alone", f)
		}
	}
	if len(leftAlone) != len(want) {
		t.Errorf("left alone %d files, want %d: %v", len(leftAlone), len(want), leftAlone)
	}
	if fixed != 32 {
		t.Errorf("fixed %d files, want 32", fixed)
	}
	// A second run has nothing left to do.
	p, _, err = Fix(after, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		t.Errorf("a second fix plans changes: %v", p.Conflicts())
	}
}

func changedFile(p *Plan, file string) bool {
	for _, c := range p.Changes {
		if c.Path == file {
			return true
		}
	}
	return false
}

func TestFixMigrations(t *testing.T) {
	base := map[string]string{
		"base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
		"base/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.0
`,
		"extra/kustomization.yaml": "resources:\n  - cm.yaml\n",
		"extra/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n",
		"app/patch.yaml":           "- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: nginx:2.0\n",
		"app/smp.yaml":             "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
	}
	tests := []struct {
		name  string
		input string
		want  string // the fixed file; "" when it is left alone
	}{
		{
			name:  "renames in place keep every byte",
			input: "# app\nbases:\n  - ../base   # the base\n\npatchesJson6902:\n  - path: patch.yaml\n    target: {kind: Deployment, name: web}\n",
			want:  "# app\nresources:\n  - ../base   # the base\n\npatches:\n  - path: patch.yaml\n    target: {kind: Deployment, name: web}\n",
		},
		{
			name:  "bases merge after resources",
			input: "resources:\n  - ../extra\n# legacy\nbases:\n  - ../base\n",
			want:  "resources:\n  - ../extra\n  - ../base\n",
		},
		{
			name:  "strategic merge and JSON patches join patches in kustomize's order",
			input: "resources:\n  - ../base\npatchesStrategicMerge:\n  - smp.yaml # replicas\npatchesJson6902:\n  - path: patch.yaml\n    target:\n      kind: Deployment\n      name: web\n",
			want:  "resources:\n  - ../base\npatches:\n  - path: smp.yaml # replicas\n  - path: patch.yaml\n    target:\n      kind: Deployment\n      name: web\n",
		},
		{
			name:  "commonLabels become labels with selectors",
			input: "resources:\n  - ../base\ncommonLabels:\n  team: payments # owner\n",
			want:  "resources:\n  - ../base\nlabels:\n  - pairs:\n      team: payments # owner\n    includeSelectors: true\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"app/kustomization.yaml": tt.input}
			for k, v := range base {
				files[k] = v
			}
			root := t.TempDir()
			for name, content := range files {
				f := filepath.Join(root, filepath.FromSlash(name))
				_ = os.MkdirAll(filepath.Dir(f), 0o755)
				if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c, err := catalog.Load(context.Background(), root, catalog.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if e := c.Kustomizations["app"].Result.Err; e != nil {
				t.Fatalf("fixture does not build: %v", e)
			}
			p, results, err := Fix(c, []string{"app"})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := p.Content("app/kustomization.yaml")
			if tt.want == "" {
				if !p.Empty() {
					t.Errorf("expected the file to be left alone, got:\n%s", got)
				}
				return
			}
			if string(got) != tt.want {
				t.Errorf("fixed file:\n%s\nwant:\n%s\nresults: %+v", got, tt.want, results)
			}
			if strings.Contains(string(got), "# legacy") && tt.name == "bases merge after resources" {
				t.Log("comment of a merged field kept")
			}
		})
	}
}

// TestFixOddLineBreaks keeps fix from misplacing (or panicking on) keys in
// files whose lines YAML breaks at CR or U+2028 as well as LF.
func TestFixOddLineBreaks(t *testing.T) {
	for name, content := range map[string]string{
		"CR only": "# legacy\rbases:\r  - ../base\r",
		"CRLF":    "# legacy\r\nbases:\r\n  - ../base\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			out, done, ok := renameOnly([]byte(content))
			if !ok || len(done) != 1 {
				t.Fatalf("renameOnly: ok=%v done=%v", ok, done)
			}
			want := strings.Replace(content, "bases:", "resources:", 1)
			if string(out) != want {
				t.Errorf("got %q, want %q", out, want)
			}
		})
	}
	// A line separator the YAML parser breaks at, earlier in the file, must
	// not make the rename land on a line that does not exist.
	renameOnly([]byte("a: \"x\u2028y\"\nbases:\n  - ../base\n"))
}
