package export

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opcat-dev/opcat/catalog"
	goldenfile "github.com/opcat-dev/opcat/lib/golden"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

func load(t testing.TB, root string) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

var testSource = Source{
	Commit: "3f4eb9f0c1d2e3f405162738495a6b7c8d9e0f1a",
	Ref:    "refs/heads/main",
	Time:   time.Date(2026, 11, 30, 17, 4, 5, 0, time.FixedZone("", 3600)),
}

func TestBuild(t *testing.T) {
	c := load(t, "testdata/catalog")
	tests := []struct {
		name     string
		overlays map[string]string
		golden   string
		err      string
	}{
		{name: "defaults", golden: "defaults"},
		{name: "chosen", overlays: map[string]string{"mq": "v2.0", "gitops": "latest"}, golden: "chosen"},
		{name: "by folder", overlays: map[string]string{"mq/operator": "v3.0"}, err: `unknown operator "mq/operator"`},
		{name: "unknown operator", overlays: map[string]string{"nope": "v1"}, err: `unknown operator "nope"`},
		{name: "unknown overlay", overlays: map[string]string{"mq": "v9"}, err: `operator mq has no overlay "v9" (it has v2.0, v3.0)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Build(c, Options{Overlays: tt.overlays, Source: testSource, Version: "v0.0.0-test"})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var all bytes.Buffer
			for _, f := range e.Files {
				all.WriteString("=== " + f.Name + "\n")
				all.Write(f.Data)
			}
			// The kustomize version depends on the build; the golden file
			// holds a stand-in.
			got := bytes.ReplaceAll(all.Bytes(), []byte(KustomizeVersion()), []byte("KUSTOMIZE"))
			if KustomizeVersion() == "unknown" {
				t.Log("no build information: kustomize version unknown")
			}
			golden(t, "export-"+tt.golden+".golden", got)
		})
	}
}

// Every object of a manifest keeps kustomize's bytes; only the order
// changes.
func TestOrdered(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // kind/name in order
	}{
		{
			name: "kinds then operands",
			files: map[string]string{
				"kustomization.yaml": "resources: [a.yaml]\n",
				"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" +
					"apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: s, namespace: n}\n---\n" +
					"apiVersion: operators.coreos.com/v1\nkind: OperatorGroup\nmetadata: {name: g, namespace: n}\n---\n" +
					"apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n",
			},
			want: []string{"Namespace/n", "OperatorGroup/g", "Subscription/s", "ConfigMap/c"},
		},
		{
			name: "sync waves first",
			files: map[string]string{
				"kustomization.yaml": "resources: [a.yaml]\n",
				"a.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: late, annotations: {argocd.argoproj.io/sync-wave: \"2\"}}\n---\n" +
					"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: early, annotations: {argocd.argoproj.io/sync-wave: \"-3\"}}\n---\n" +
					"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd, annotations: {argocd.argoproj.io/sync-wave: \"x\"}}\n---\n" +
					"apiVersion: v1\nkind: Namespace\nmetadata: {name: zero}\n",
			},
			want: []string{"ConfigMap/early", "Namespace/zero", "ConfigMap/odd", "Namespace/late"},
		},
		{
			name:  "empty build",
			files: map[string]string{"kustomization.yaml": "resources: []\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := kustomize.NewBuilder(kustomize.NewTreeFromMap(tt.files)).Build(".")
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			out, n := Ordered(&res)
			if n != len(tt.want) {
				t.Fatalf("%d objects, want %d", n, len(tt.want))
			}
			docs := splitDocs(out)
			if len(tt.want) == 0 {
				if len(out) != 0 {
					t.Errorf("output %q, want none", out)
				}
				return
			}
			var got []string
			for _, d := range docs {
				var kind, name string
				for _, l := range strings.Split(string(d), "\n") {
					if v, ok := strings.CutPrefix(l, "kind: "); ok {
						kind = v
					}
					if v, ok := strings.CutPrefix(l, "  name: "); ok && name == "" {
						name = v
					}
				}
				got = append(got, kind+"/"+strings.Trim(name, `"`))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("order %v, want %v", got, tt.want)
			}
			orig := splitDocs(res.YAML())
			for _, d := range docs {
				found := false
				for _, o := range orig {
					found = found || bytes.Equal(d, o)
				}
				if !found {
					t.Errorf("object not printed as kustomize prints it:\n%s", d)
				}
			}
		})
	}
}

// The same catalog and selection give the same bytes, in every form.
func TestDeterministic(t *testing.T) {
	var outs [2][3][]byte
	for i := range outs {
		c := load(t, "testdata/catalog")
		e, err := Build(c, Options{Source: testSource})
		if err != nil {
			t.Fatal(err)
		}
		var all bytes.Buffer
		for _, f := range e.Files {
			all.WriteString(f.Name + "\x00")
			all.Write(f.Data)
		}
		tgz, err := e.TarGz()
		if err != nil {
			t.Fatal(err)
		}
		oci, err := e.OCI("latest")
		if err != nil {
			t.Fatal(err)
		}
		var o bytes.Buffer
		for _, f := range oci {
			o.WriteString(f.Name + "\x00")
			o.Write(f.Data)
		}
		outs[i] = [3][]byte{all.Bytes(), tgz, o.Bytes()}
	}
	for k, what := range []string{"files", "tar.gz", "oci"} {
		if !bytes.Equal(outs[0][k], outs[1][k]) {
			t.Errorf("two exports of one catalog differ in their %s", what)
		}
	}
	// The gzip header holds no name and no time; the OS byte is fixed.
	tgz := outs[0][1]
	if tgz[3] != 0 || !bytes.Equal(tgz[4:8], []byte{0, 0, 0, 0}) {
		t.Errorf("gzip header has flags %#x, mtime % x", tgz[3], tgz[4:8])
	}
}

func TestBuildBrokenOverlay(t *testing.T) {
	tree := kustomize.NewTreeFromMap(map[string]string{
		"op/base/kustomization.yaml":        "resources: [subscription.yaml]\n",
		"op/base/subscription.yaml":         "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: op, namespace: ns}\nspec: {name: op, channel: stable, source: s, sourceNamespace: m}\n",
		"op/overlays/kustomization.yaml":    "resources: [./v1]\n",
		"op/overlays/v1/kustomization.yaml": "resources: [../../base, missing.yaml]\n",
	})
	c := catalog.FromTree(tree, catalog.Options{})
	_, err := Build(c, Options{})
	if err == nil || !strings.Contains(err.Error(), "op/overlays/v1 does not build") {
		t.Fatalf("err = %v, want a refusal naming the overlay", err)
	}
	if _, err := Build(catalog.FromTree(kustomize.NewTreeFromMap(map[string]string{"a/kustomization.yaml": "resources: []\n"}), catalog.Options{}), Options{}); err == nil || !strings.Contains(err.Error(), "nothing to export") {
		t.Fatalf("err = %v, want nothing to export", err)
	}
}
