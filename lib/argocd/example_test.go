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
