package argocd_test

import (
	"fmt"

	"github.com/opcat-dev/opcat/lib/argocd"
	yaml "go.yaml.in/yaml/v3"
)

func ExampleValidateObject() {
	var n yaml.Node
	_ = yaml.Unmarshal([]byte(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: event-streams}
spec:
  project: default
  source: {repoURL: https://github.com/acme/catalog.git, path: event-streams/operator/overlays}
  destination: {server: https://kubernetes.default.svc}
  syncPolicy: {automated: {prune: "true"}}
`), &n)
	errs, _ := argocd.ValidateObject(&n)
	for _, e := range errs {
		fmt.Println(e.Field())
	}
	// Output: spec.syncPolicy.automated.prune
}

func ExampleHealthChecks() {
	for _, h := range argocd.HealthChecks() {
		fmt.Println(h.Key())
	}
	// Output:
	// resource.customizations.health.operators.coreos.com_ClusterServiceVersion
	// resource.customizations.health.operators.coreos.com_InstallPlan
	// resource.customizations.health.operators.coreos.com_Subscription
}

func ExampleSameRepo() {
	fmt.Println(argocd.SameRepo("git@github.com:acme/catalog.git", "https://github.com/acme/catalog"))
	// Output: true
}

func ExampleClusterSources() {
	var n yaml.Node
	_ = yaml.Unmarshal([]byte(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: opcat-operators}
spec:
  goTemplate: true
  generators:
    - clusters:
        selector:
          matchExpressions: [{key: opcat.io/event-streams, operator: Exists}]
        values: {operator: event-streams, overlays: event-streams/operator/overlays}
  template:
    metadata: {name: '{{ .values.operator }}-{{ .name }}'}
    spec:
      project: default
      source:
        repoURL: https://github.com/acme/catalog.git
        path: '{{ .values.overlays }}/{{ index .metadata.labels (printf "opcat.io/%s" .values.operator) }}'
      destination: {server: '{{ .server }}'}
`), &n)
	cluster, _ := argocd.ParseCluster("east.yaml", []byte("opcat.io/event-streams: v2.4\nenv: prod\n"))
	srcs, err := argocd.ClusterSources(&n, cluster)
	if err != nil {
		fmt.Println(err)
	}
	for _, s := range srcs {
		fmt.Println(s.Where, s.Path)
	}
	// Output: spec.template.spec.source event-streams/operator/overlays/v2.4
}
