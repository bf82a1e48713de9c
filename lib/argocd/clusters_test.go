package argocd

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

func parseAppSet(t testing.TB, text string) *yaml.Node {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(text), &n); err != nil {
		t.Fatal(err)
	}
	return &n
}

// appSet is an ApplicationSet with one clusters generator of the given
// selector and the source path, in opcat's shape.
func appSet(selector, path string) string {
	return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: s}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - clusters:
        selector:
` + selector + `
        values:
          operator: es
          overlays: es/operator/overlays
  template:
    metadata: {name: '{{ .values.operator }}-{{ .name }}'}
    spec:
      project: default
      source:
        repoURL: https://git.example.com/catalog.git
        path: '` + path + `'
      destination: {server: '{{ .server }}'}
`
}

const opcatPath = `{{ .values.overlays }}/{{ index .metadata.labels (printf "opcat.io/%s" .values.operator) }}`

// The selector is Kubernetes' own: matchLabels and matchExpressions with
// In, NotIn, Exists and DoesNotExist, all of them ANDed.
func TestClusterSourcesSelector(t *testing.T) {
	tests := []struct {
		name     string
		selector string
		labels   map[string]string
		want     string // the rendered path, "" when not selected
		err      string
	}{
		{name: "exists", selector: "          matchExpressions: [{key: opcat.io/es, operator: Exists}]",
			labels: map[string]string{"opcat.io/es": "v2.5"}, want: "es/operator/overlays/v2.5"},
		{name: "exists absent", selector: "          matchExpressions: [{key: opcat.io/es, operator: Exists}]",
			labels: map[string]string{"opcat.io/mq": "v2.5"}},
		{name: "exists with empty value", selector: "          matchExpressions: [{key: opcat.io/es, operator: Exists}]",
			labels: map[string]string{"opcat.io/es": ""}, want: "es/operator/overlays/"},
		{name: "does not exist", selector: "          matchExpressions: [{key: opcat.io/es, operator: DoesNotExist}]",
			labels: map[string]string{"env": "prod"}, want: "es/operator/overlays/"},
		{name: "does not exist present", selector: "          matchExpressions: [{key: env, operator: DoesNotExist}]",
			labels: map[string]string{"env": "prod", "opcat.io/es": "v2.4"}},
		{name: "in", selector: "          matchExpressions: [{key: env, operator: In, values: [prod, stage]}]",
			labels: map[string]string{"env": "stage", "opcat.io/es": "v2.4"}, want: "es/operator/overlays/v2.4"},
		{name: "in other value", selector: "          matchExpressions: [{key: env, operator: In, values: [prod, stage]}]",
			labels: map[string]string{"env": "dev", "opcat.io/es": "v2.4"}},
		{name: "in absent", selector: "          matchExpressions: [{key: env, operator: In, values: [prod]}]",
			labels: map[string]string{"opcat.io/es": "v2.4"}},
		{name: "not in", selector: "          matchExpressions: [{key: env, operator: NotIn, values: [prod]}]",
			labels: map[string]string{"env": "dev", "opcat.io/es": "v2.3"}, want: "es/operator/overlays/v2.3"},
		{name: "not in matches absent key", selector: "          matchExpressions: [{key: env, operator: NotIn, values: [prod]}]",
			labels: map[string]string{"opcat.io/es": "v2.3"}, want: "es/operator/overlays/v2.3"},
		{name: "not in excluded", selector: "          matchExpressions: [{key: env, operator: NotIn, values: [prod]}]",
			labels: map[string]string{"env": "prod", "opcat.io/es": "v2.3"}},
		{name: "match labels", selector: "          matchLabels: {opcat.io/es: v2.5}",
			labels: map[string]string{"opcat.io/es": "v2.5"}, want: "es/operator/overlays/v2.5"},
		{name: "match labels other value", selector: "          matchLabels: {opcat.io/es: v2.5}",
			labels: map[string]string{"opcat.io/es": "v2.4"}},
		{name: "labels and expressions ANDed", selector: "          matchLabels: {env: prod}\n          matchExpressions: [{key: opcat.io/es, operator: Exists}]",
			labels: map[string]string{"opcat.io/es": "v2.4"}},
		{name: "labels and expressions both", selector: "          matchLabels: {env: prod}\n          matchExpressions: [{key: opcat.io/es, operator: Exists}]",
			labels: map[string]string{"env": "prod", "opcat.io/es": "v2.4"}, want: "es/operator/overlays/v2.4"},
		{name: "empty selector selects every cluster", selector: "          {}",
			labels: map[string]string{"opcat.io/es": "v2.4"}, want: "es/operator/overlays/v2.4"},
		{name: "in without values", selector: "          matchExpressions: [{key: env, operator: In}]",
			labels: map[string]string{"env": "prod"}, err: "values set can't be empty"},
		{name: "unknown operator", selector: "          matchExpressions: [{key: env, operator: Equals, values: [a]}]",
			labels: map[string]string{"env": "a"}, err: `"Equals" is not a valid label selector operator`},
		{name: "unknown field", selector: "          matchFields: {env: a}",
			labels: map[string]string{"env": "a"}, err: `unknown field "matchFields"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := parseAppSet(t, appSet(tt.selector, opcatPath))
			srcs, err := ClusterSources(obj, Cluster{Labels: tt.labels})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrNotEvaluated) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if len(srcs) > 0 {
				got = srcs[0].Path
				if srcs[0].RepoURL != "https://git.example.com/catalog.git" || srcs[0].Where != "spec.template.spec.source" {
					t.Errorf("source = %+v", srcs[0])
				}
			}
			if len(srcs) > 1 || got != tt.want {
				t.Errorf("sources = %+v, want path %q", srcs, tt.want)
			}
		})
	}
}

// Templates are rendered with the cluster's parameters; anything outside
// the simple subset is refused, never guessed.
func TestClusterSourcesTemplate(t *testing.T) {
	sel := "          matchExpressions: [{key: opcat.io/es, operator: Exists}]"
	labels := map[string]string{"opcat.io/es": "v2.5", "env": "prod"}
	tests := []struct {
		name    string
		path    string
		cluster Cluster
		want    string
		err     string
	}{
		{name: "opcat's path", path: opcatPath, want: "es/operator/overlays/v2.5"},
		{name: "index with a literal key", path: `es/{{ index .metadata.labels "env" }}`, want: "es/prod"},
		{name: "literal", path: "es/operator/overlays/v2.4", want: "es/operator/overlays/v2.4"},
		{name: "if", path: `es/{{ if eq (index .metadata.labels "env") "prod" }}stable{{ else }}fast{{ end }}`, want: "es/stable"},
		{name: "name", path: "clusters/{{ .name }}", cluster: Cluster{Name: "east-1", Server: "https://api.east:6443"}, want: "clusters/east-1"},
		{name: "nameNormalized", path: "clusters/{{ .nameNormalized }}", cluster: Cluster{Name: "East_1"}, want: "clusters/east-1"},
		{name: "name unknown", path: "clusters/{{ .name }}", err: `map has no entry for key "name"`},
		{name: "missing value", path: "{{ .values.nope }}", err: `map has no entry for key "nope"`},
		{name: "sprig", path: `{{ .values.overlays | replace "/" "-" }}`, err: `function "replace" not defined`},
		{name: "js", path: `{{ js .values.overlays }}`, err: `function "js" is not evaluated`},
		{name: "range", path: `{{ range .metadata.labels }}x{{ end }}`, err: "is not evaluated"},
		{name: "variable", path: `{{ $x := .values.overlays }}{{ $x }}`, err: "variables are not evaluated"},
		{name: "define", path: `{{ define "a" }}x{{ end }}y`, err: "template definitions are not evaluated"},
		{name: "printf width", path: `{{ printf "%999999999d" 1 }}`, err: "only %s"},
		{name: "syntax", path: `{{ .values.overlays `, err: "unclosed action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := tt.cluster
			cl.Labels = labels
			srcs, err := ClusterSources(parseAppSet(t, appSet(sel, tt.path)), cl)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrNotEvaluated) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(srcs) != 1 || srcs[0].Path != tt.want {
				t.Errorf("sources = %+v, want path %q", srcs, tt.want)
			}
		})
	}
}

// ApplicationSets opcat does not evaluate say why.
func TestClusterSourcesNotEvaluated(t *testing.T) {
	base := appSet("          matchExpressions: [{key: opcat.io/es, operator: Exists}]", opcatPath)
	tests := []struct {
		name, text, err string
	}{
		{name: "fasttemplate", text: strings.Replace(base, "goTemplate: true", "goTemplate: false", 1), err: "fasttemplate"},
		{name: "templatePatch", text: strings.Replace(base, "  goTemplate: true\n", "  goTemplate: true\n  templatePatch: 'spec: {}'\n", 1), err: "templatePatch"},
		{name: "option", text: strings.Replace(base, "missingkey=error", "missingkey=wild", 1), err: `"missingkey=wild"`},
		{name: "generator template", text: strings.Replace(base, "        values:\n", "        template: {spec: {project: x}}\n        values:\n", 1), err: "clusters.template"},
		{name: "flatList", text: strings.Replace(base, "        values:\n", "        flatList: true\n        values:\n", 1), err: "flatList"},
		{name: "matrix", text: strings.Replace(base, "    - clusters:\n", "    - matrix:\n        generators: [{clusters: {}}, {list: {elements: []}}]\n    - clusters:\n", 1), err: "matrix or merge"},
		{name: "no source", text: strings.Replace(base, "      source:\n", "      other:\n", 1), err: "has no source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ClusterSources(parseAppSet(t, tt.text), Cluster{Labels: map[string]string{"opcat.io/es": "v2.5"}})
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrNotEvaluated) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestHasClustersGenerator(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{text: appSet("          {}", "x"), want: true},
		{text: "kind: ApplicationSet\nspec:\n  generators:\n    - git: {directories: [{path: a}]}\n"},
		{text: "kind: ApplicationSet\nspec:\n  generators:\n    - matrix: {generators: [{git: {}}, {clusters: {}}]}\n", want: true},
		{text: "kind: Application\nspec:\n  generators:\n    - clusters: {}\n"},
		{text: "kind: ApplicationSet\nspec:\n  generators:\n    - clusters:\n"},
	}
	tests[4].want = true
	for i, tt := range tests {
		if got := HasClustersGenerator(parseAppSet(t, tt.text)); got != tt.want {
			t.Errorf("%d: HasClustersGenerator = %v, want %v", i, got, tt.want)
		}
	}
}

func TestParseCluster(t *testing.T) {
	tests := []struct {
		name, text string
		want       Cluster
		err        string
	}{
		{name: "map", text: "opcat.io/es: v2.5\nenv: prod\n", want: Cluster{Labels: map[string]string{"opcat.io/es": "v2.5", "env": "prod"}}},
		{name: "secret data", text: `apiVersion: v1
kind: Secret
metadata:
  name: east
  labels:
    argocd.argoproj.io/secret-type: cluster
    opcat.io/es: v2.4
data:
  name: ZWFzdC0x
  server: aHR0cHM6Ly9hcGkuZWFzdDo2NDQz
`, want: Cluster{Name: "east-1", Server: "https://api.east:6443", Labels: map[string]string{"argocd.argoproj.io/secret-type": "cluster", "opcat.io/es": "v2.4"}}},
		{name: "secret stringData json", text: `{"apiVersion": "v1", "kind": "Secret", "metadata": {"labels": {"argocd.argoproj.io/secret-type": "cluster"}}, "stringData": {"name": "w", "server": "https://w"}}`,
			want: Cluster{Name: "w", Server: "https://w", Labels: map[string]string{"argocd.argoproj.io/secret-type": "cluster"}}},
		{name: "secret not a cluster", text: "apiVersion: v1\nkind: Secret\nmetadata: {labels: {a: b}}\n", err: "f.yaml:1:1: the Secret has no label argocd.argoproj.io/secret-type: cluster"},
		{name: "configmap", text: "apiVersion: v1\nkind: ConfigMap\n", err: "a ConfigMap, not a Secret"},
		{name: "bad base64", text: "kind: Secret\nmetadata: {labels: {argocd.argoproj.io/secret-type: cluster}}\ndata: {name: '!!'}\n", err: "f.yaml:3:14: data.name is not base64"},
		{name: "list value", text: "env: [a]\n", err: "f.yaml:1:1: label \"env\": want a string value"},
		{name: "bad key", text: "'bad key': a\n", err: `label key "bad key"`},
		{name: "bad value", text: "env: 'a b'\n", err: `label env="a b"`},
		{name: "duplicate", text: "env: a\nenv: b\n", err: "env"},
		{name: "two documents", text: "env: a\n---\nenv: b\n", err: "f.yaml:2:1: a second document"},
		{name: "scalar", text: "hello\n", err: "f.yaml:1:1: want a cluster Secret or a map of labels"},
		{name: "syntax", text: "env: [\n", err: "f.yaml: yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCluster("f.yaml", []byte(tt.text))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzParseCluster(f *testing.F) {
	f.Add([]byte("opcat.io/es: v2.5\n"))
	f.Add([]byte("kind: Secret\nmetadata: {labels: {argocd.argoproj.io/secret-type: cluster}}\ndata: {name: ZWFzdC0x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cl, err := ParseCluster("f", data)
		if err == nil {
			if err := CheckLabels(cl.Labels); err != nil {
				t.Fatalf("accepted bad labels: %v", err)
			}
		}
	})
}

func FuzzClusterSources(f *testing.F) {
	f.Add(opcatPath, "v2.5")
	f.Add(`{{ printf "%s%s" .values.overlays .values.overlays }}`, "x")
	f.Add(`{{ if .name }}{{ .server }}{{ end }}`, "")
	f.Fuzz(func(t *testing.T, path, value string) {
		text := appSet("          {}", strings.NewReplacer("'", "''", "\n", " ").Replace(path))
		var n yaml.Node
		if yaml.Unmarshal([]byte(text), &n) != nil {
			return
		}
		srcs, err := ClusterSources(&n, Cluster{Labels: map[string]string{"opcat.io/es": value}})
		if err != nil && !errors.Is(err, ErrNotEvaluated) {
			t.Fatalf("error without ErrNotEvaluated: %v", err)
		}
		for _, s := range srcs {
			if len(s.Path) > maxRendered {
				t.Fatalf("rendered %d bytes", len(s.Path))
			}
		}
	})
}
