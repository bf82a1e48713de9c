package export

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/generator"
	"github.com/opcat-dev/opcat/lib/argocd"
)

// argoCatalog is a catalog made by init --argocd --example (event-streams:
// v2.3, v2.4, v2.5, default v2.5) plus amq-streams (stable, 2.7.x,
// default stable), both wired into the ApplicationSet by cluster label.
func argoCatalog(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	p, err := generator.Init(generator.InitOptions{Root: root, Example: true, Version: "v1.0.0",
		ArgoCD: &generator.ArgoCDOptions{RepoURL: "https://git.example.com/ops/catalog.git"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(false); err != nil {
		t.Fatal(err)
	}
	p, err = generator.AddOperator(generator.OperatorOptions{Root: root, Package: "amq-streams", Namespace: "amq-streams",
		Channels: []string{"stable", "amq-streams-2.7.x"}, Default: "stable"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(false); err != nil {
		t.Fatal(err)
	}
	return root
}

func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// byLabelSet is a hand-written ApplicationSet: matchLabels and
// matchExpressions, the overlay named by a label of another key.
const byLabelSet = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: streams-by-tier
spec:
  goTemplate: true
  generators:
    - clusters:
        selector:
          matchLabels:
            team: streams
          matchExpressions:
            - {key: tier, operator: In, values: [prod, stage]}
            - {key: frozen, operator: DoesNotExist}
  template:
    metadata:
      name: 'amq-{{ .name }}'
    spec:
      project: default
      source:
        repoURL: git@git.example.com:ops/catalog.git
        path: 'amq-streams/operator/overlays/{{ index .metadata.labels "amq-channel" }}'
      destination:
        server: '{{ .server }}'
`

func TestClusterSelection(t *testing.T) {
	root := argoCatalog(t)
	writeFiles(t, root, map[string]string{"clusters/streams.yaml": byLabelSet})
	c := load(t, root)
	repos := []string{"https://git.example.com/ops/catalog.git"}
	tests := []struct {
		name    string
		labels  map[string]string
		want    []string // operator=overlay by ApplicationSet
		skipped []string // operators left out
		err     string
	}{
		{name: "one operator", labels: map[string]string{"opcat.io/event-streams": "v2.4"},
			want: []string{"event-streams=v2.4 by opcat-operators"}, skipped: []string{"amq-streams"}},
		{name: "two operators, other overlays", labels: map[string]string{"opcat.io/event-streams": "v2.3", "opcat.io/amq-streams": "amq-streams-2.7.x"},
			want: []string{"amq-streams=amq-streams-2.7.x by opcat-operators", "event-streams=v2.3 by opcat-operators"}},
		{name: "no label", labels: map[string]string{"env": "prod"},
			skipped: []string{"amq-streams", "event-streams"}},
		{name: "matchLabels and In", labels: map[string]string{"team": "streams", "tier": "stage", "amq-channel": "stable"},
			want: []string{"amq-streams=stable by streams-by-tier"}, skipped: []string{"event-streams"}},
		{name: "NotIn the values", labels: map[string]string{"team": "streams", "tier": "dev", "amq-channel": "stable"},
			skipped: []string{"amq-streams", "event-streams"}},
		{name: "DoesNotExist", labels: map[string]string{"team": "streams", "tier": "prod", "frozen": "yes", "amq-channel": "stable"},
			skipped: []string{"amq-streams", "event-streams"}},
		{name: "both sets agree", labels: map[string]string{"team": "streams", "tier": "prod", "amq-channel": "stable", "opcat.io/amq-streams": "stable"},
			want: []string{"amq-streams=stable by opcat-operators"}, skipped: []string{"event-streams"}},
		{name: "both sets disagree", labels: map[string]string{"team": "streams", "tier": "prod", "amq-channel": "stable", "opcat.io/amq-streams": "amq-streams-2.7.x"},
			err: "two overlays of operator amq-streams would be deployed to the cluster: amq-streams-2.7.x (ApplicationSet opcat-operators in argocd/operators-by-cluster-label.yaml) and stable (ApplicationSet streams-by-tier in clusters/streams.yaml)"},
		{name: "label names no overlay", labels: map[string]string{"opcat.io/event-streams": "v9"},
			err: "deploys event-streams/operator/overlays/v9 to the cluster, which names no folder of the catalog (operator event-streams has overlays v2.3, v2.4, v2.5); check the cluster label opcat.io/event-streams=v9"},
		{name: "empty label value is the pointer", labels: map[string]string{"opcat.io/event-streams": ""},
			want: []string{"event-streams=v2.5 by opcat-operators"}, skipped: []string{"amq-streams"}},
		{name: "bad label", labels: map[string]string{"opcat.io/event-streams": "v 2"}, err: `label opcat.io/event-streams="v 2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := ClusterSelection(c, ClusterOptions{Cluster: argocd.Cluster{Labels: tt.labels}, RepoURLs: repos})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got, skipped []string
			for i, s := range ch.Selection {
				got = append(got, s.Operator+"="+s.Overlay+" by "+s.ApplicationSet.Name)
				if ch.Overlays[i].Dir != s.Path {
					t.Errorf("overlay %d is %s, selection says %s", i, ch.Overlays[i].Dir, s.Path)
				}
			}
			for _, s := range ch.Skipped {
				skipped = append(skipped, s.Operator)
			}
			sort.Strings(got)
			sort.Strings(skipped)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") || strings.Join(skipped, ",") != strings.Join(tt.skipped, ",") {
				t.Errorf("selected %q, skipped %q; want %q and %q", got, skipped, tt.want, tt.skipped)
			}
			if len(ch.Cluster.ApplicationSets) != 2 {
				t.Errorf("ApplicationSets evaluated: %+v", ch.Cluster.ApplicationSets)
			}
		})
	}
}

// ApplicationSets that cannot be evaluated, or that deploy from elsewhere,
// are recorded and skipped; the others still select.
func TestClusterSelectionSkips(t *testing.T) {
	root := argoCatalog(t)
	sprig := strings.Replace(byLabelSet, `{{ index .metadata.labels "amq-channel" }}`, `{{ index .metadata.labels "amq-channel" | lower }}`, 1)
	sprig = strings.Replace(sprig, "streams-by-tier", "sprig", 1)
	other := strings.Replace(byLabelSet, "git@git.example.com:ops/catalog.git", "https://github.com/someone/else.git", 1)
	other = strings.Replace(other, "streams-by-tier", "elsewhere", 1)
	instances := strings.Replace(byLabelSet, `amq-streams/operator/overlays/{{ index .metadata.labels "amq-channel" }}`, "argocd", 1)
	instances = strings.Replace(instances, "streams-by-tier", "wiring", 1)
	writeFiles(t, root, map[string]string{
		"clusters/sprig.yaml":     sprig,
		"clusters/elsewhere.yaml": other,
		"clusters/wiring.yaml":    instances,
		// A git generator does not depend on cluster labels: not read.
		"clusters/git.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: git}\nspec:\n  generators: [{git: {repoURL: x, directories: [{path: a}]}}]\n  template: {spec: {source: {path: a}}}\n",
	})
	c := load(t, root)
	ch, err := ClusterSelection(c, ClusterOptions{
		Cluster:  argocd.Cluster{Labels: map[string]string{"team": "streams", "tier": "prod", "amq-channel": "stable", "opcat.io/event-streams": "v2.5"}},
		RepoURLs: []string{"https://git.example.com/ops/catalog.git"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range ch.Cluster.ApplicationSets {
		got[a.Name] = strings.Join(a.Paths, ",") + " | " + strings.Join(a.Skipped, ";")
	}
	want := map[string]string{
		"opcat-operators": "event-streams/operator/overlays/v2.5 | ",
		"sprig":           ` | not evaluated: spec.template.spec.source.path: template: spec.template.spec.source.path:1: function "lower" not defined`,
		"elsewhere":       " | spec.template.spec.source deploys amq-streams/operator/overlays/stable from https://github.com/someone/else.git, which is not known as this catalog's repository (name it under repoURL: in .opcat.yaml)",
		"wiring":          "argocd | spec.template.spec.source deploys argocd, which is no operator overlay: not exported",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q\nwant %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("ApplicationSets: %v", got)
	}
	if len(ch.Selection) != 1 || ch.Selection[0].Overlay != "v2.5" {
		t.Errorf("selection %+v", ch.Selection)
	}
}

// A catalog without a clusters generator cannot select by labels; and
// --overlay does not mix with labels.
func TestClusterSelectionErrors(t *testing.T) {
	c := load(t, "testdata/catalog")
	opts := Options{Cluster: &ClusterOptions{Cluster: argocd.Cluster{Labels: map[string]string{"a": "b"}}}}
	if _, err := Build(c, opts); err == nil || !strings.Contains(err.Error(), "no ApplicationSet of the catalog has a clusters generator") {
		t.Errorf("err = %v", err)
	}
	opts.Overlays = map[string]string{"mq": "v3.0"}
	if _, err := Build(c, opts); err == nil || !strings.Contains(err.Error(), "two ways to choose overlays") {
		t.Errorf("err = %v", err)
	}
}

// export.json records the cluster, what each ApplicationSet deploys, and
// which one selected each overlay; the same labels give the same bytes.
func TestBuildByClusterLabels(t *testing.T) {
	root := argoCatalog(t)
	c := load(t, root)
	opts := Options{Source: testSource, Version: "v0.0.0-test", Cluster: &ClusterOptions{
		Cluster:  argocd.Cluster{Name: "east", Server: "https://api.east:6443", Labels: map[string]string{"opcat.io/event-streams": "v2.3", "opcat.io/amq-streams": "amq-streams-2.7.x"}},
		RepoURLs: []string{"https://git.example.com/ops/catalog.git"},
	}}
	e, err := Build(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var meta []byte
	for _, f := range e.Files {
		names = append(names, f.Name)
		if f.Name == MetadataFile {
			meta = f.Data
		}
	}
	if strings.Join(names, " ") != "SHA256SUMS export.json manifests/amq-streams/amq-streams-2.7.x.yaml manifests/event-streams/v2.3.yaml" {
		t.Errorf("files %q", names)
	}
	var m struct {
		Cluster struct {
			Name, Server    string
			Labels          map[string]string
			ApplicationSets []struct {
				File, Name string
				Paths      []string
			}
		}
		Selection []struct {
			Operator, Overlay string
			ApplicationSet    struct{ File, Name string }
		}
	}
	if err := json.Unmarshal(meta, &m); err != nil {
		t.Fatal(err)
	}
	if m.Cluster.Name != "east" || m.Cluster.Server != "https://api.east:6443" || m.Cluster.Labels["opcat.io/amq-streams"] != "amq-streams-2.7.x" ||
		len(m.Cluster.ApplicationSets) != 1 || m.Cluster.ApplicationSets[0].File != "argocd/operators-by-cluster-label.yaml" ||
		strings.Join(m.Cluster.ApplicationSets[0].Paths, ",") != "event-streams/operator/overlays/v2.3,amq-streams/operator/overlays/amq-streams-2.7.x" {
		t.Errorf("cluster in export.json:\n%s", meta)
	}
	if len(m.Selection) != 2 || m.Selection[1].Overlay != "v2.3" || m.Selection[1].ApplicationSet.Name != "opcat-operators" {
		t.Errorf("selection in export.json:\n%s", meta)
	}
	again, err := Build(load(t, root), opts)
	if err != nil {
		t.Fatal(err)
	}
	if again.Meta.Digest != e.Meta.Digest || string(again.Files[1].Data) != string(meta) {
		t.Error("the same labels gave another export")
	}
}
