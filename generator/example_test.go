package generator_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/operator-framework/api/pkg/operators/v1alpha1"

	"github.com/opcat-dev/opcat/generator"
)

// Plan an operator with two channel overlays, look at the plan, then write
// it; a second identical plan changes nothing.
func ExampleAddOperator() {
	root, _ := os.MkdirTemp("", "catalog")
	defer os.RemoveAll(root)
	opts := generator.OperatorOptions{
		Root:     root,
		Package:  "ibm-mq",
		Name:     "mq",
		Source:   "ibm-operator-catalog",
		Channels: []string{"v3.0", "v3.1"},
		CSVs:     map[string]string{"v3.1": "ibm-mq.v3.1.0"},
		Approval: v1alpha1.ApprovalManual,
	}
	plan, err := generator.AddOperator(opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = plan.Summary(os.Stdout)
	if err := plan.Apply(false); err != nil {
		fmt.Println(err)
		return
	}
	again, _ := generator.AddOperator(opts)
	fmt.Println("second plan empty:", again.Empty())
	// Output:
	// create mq/README.md
	// create mq/operator/base/kustomization.yaml
	// create mq/operator/base/subscription.yaml
	// create mq/operator/overlays/kustomization.yaml
	// create mq/operator/overlays/v3.0/kustomization.yaml
	// create mq/operator/overlays/v3.0/patch-channel.yaml
	// create mq/operator/overlays/v3.1/kustomization.yaml
	// create mq/operator/overlays/v3.1/patch-channel.yaml
	// second plan empty: true
}

// Two plans made from the same catalog: the first applied wins, and the
// second refuses to write over what the first changed.
func ExampleStaleError() {
	root, _ := os.MkdirTemp("", "catalog")
	defer os.RemoveAll(root)
	first, _ := generator.AddOperator(generator.OperatorOptions{Root: root, Package: "ibm-mq", Channels: []string{"v3.0"}})
	second, _ := generator.AddOperator(generator.OperatorOptions{Root: root, Package: "ibm-mq", Channels: []string{"v3.1"}})
	if err := first.Apply(false); err != nil {
		fmt.Println(err)
		return
	}
	err := second.Apply(false)
	var stale *generator.StaleError
	fmt.Println(errors.As(err, &stale))
	fmt.Println(err)
	// Output:
	// true
	// ibm-mq/README.md changed since opcat read it (another opcat run or an editor); nothing was written: run the command again
}

// Wire a new catalog for Argo CD, then add an operator with OLM v1: it gets
// a ClusterExtension, and the ApplicationSets are edited to deploy it.
func ExampleAddArgoCD() {
	root, _ := os.MkdirTemp("", "catalog")
	defer os.RemoveAll(root)
	plan, err := generator.Init(generator.InitOptions{Root: root, Version: "v1.2.3",
		ArgoCD: &generator.ArgoCDOptions{RepoURL: "https://github.com/acme/catalog.git"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := plan.Apply(false); err != nil {
		fmt.Println(err)
		return
	}
	plan, err = generator.AddOperator(generator.OperatorOptions{Root: root, Package: "argocd-operator", OLM: "v1", Channels: []string{"alpha"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = plan.Summary(os.Stdout)
	// Output:
	// edit   README.md
	// create argocd-operator/README.md
	// create argocd-operator/operator/base/clusterextension.yaml
	// create argocd-operator/operator/base/kustomization.yaml
	// create argocd-operator/operator/base/namespace.yaml
	// create argocd-operator/operator/overlays/alpha/kustomization.yaml
	// create argocd-operator/operator/overlays/alpha/patch-channel.yaml
	// create argocd-operator/operator/overlays/kustomization.yaml
	// edit   argocd/operators-by-cluster-label.yaml
	// edit   argocd/operators-default.yaml
}
