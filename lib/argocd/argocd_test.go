package argocd

import (
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

func TestValidateObject(t *testing.T) {
	tests := []struct {
		name string
		obj  string
		ok   bool
		errs []string
	}{
		{"application", `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: a, namespace: openshift-gitops}
spec:
  project: default
  source: {repoURL: https://example.com/c.git, targetRevision: main, path: a/operator/overlays}
  destination: {server: https://kubernetes.default.svc}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [SkipDryRunOnMissingResource=true]
    retry: {limit: 5, backoff: {duration: 5s, factor: 2, maxDuration: 3m}}
`, true, nil},
		{"application errors", `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: a}
spec:
  sourc: {path: x}
  destination: {server: https://kubernetes.default.svc}
  syncPolicy:
    automated: {prune: "yes"}
    retry: {limit: five}
`, true, []string{
			`spec.project: Required value`,
			`spec.sourc: unknown field`,
			`spec.syncPolicy.automated.prune: Invalid value: "string": spec.syncPolicy.automated.prune in body must be of type boolean: "string"`,
			`spec.syncPolicy.retry.limit: Invalid value: "string": spec.syncPolicy.retry.limit in body must be of type integer: "string"`,
		}},
		{"applicationset", `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: s}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - clusters:
        selector:
          matchExpressions: [{key: opcat.io/a, operator: Exists}]
        values: {operator: a}
    - git:
        repoURL: https://example.com/c.git
        revision: main
        directories: [{path: a/operator/overlays}]
  template:
    metadata: {name: '{{ .values.operator }}-{{ .name }}'}
    spec:
      project: default
      source: {repoURL: https://example.com/c.git, targetRevision: main, path: '{{ .path.path }}'}
      destination: {server: '{{ .server }}'}
`, true, nil},
		{"applicationset errors", `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: s}
spec:
  goTemplate: "true"
  generators:
    - git: {directories: [{path: a}]}
  template: {metadata: {}, spec: {project: default, destination: {}}}
`, true, []string{
			`spec.generators[0].git.repoURL: Required value`,
			`spec.generators[0].git.revision: Required value`,
			`spec.goTemplate: Invalid value: "string": spec.goTemplate in body must be of type boolean: "string"`,
		}},
		{"other kind", "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\n", false, nil},
		{"other group", "apiVersion: example.com/v1\nkind: Application\nmetadata: {name: p}\n", false, nil},
		{"not a mapping", "- a\n", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(tt.obj), &n); err != nil {
				t.Fatal(err)
			}
			errs, ok := ValidateObject(&n)
			if ok != tt.ok {
				t.Fatalf("ok = %v", ok)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.errs, "\n"))
			}
		})
	}
}
