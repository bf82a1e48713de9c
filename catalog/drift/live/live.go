// Package live reads a cluster's OLM objects from its API server for a
// drift comparison. It only lists: it never creates, changes or deletes
// anything, and it refuses kubeconfig credentials that would run a
// program.
package live

import (
	"context"
	"errors"
	"fmt"

	"github.com/opcat-dev/opcat/catalog/drift"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Resources listed, by the namespaces they are listed in.
var (
	namespaced = []schema.GroupVersionResource{
		{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "subscriptions"},
		{Group: "operators.coreos.com", Version: "v1", Resource: "operatorgroups"},
		{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "clusterserviceversions"},
		{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "installplans"},
	}
	catalogSources = schema.GroupVersionResource{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "catalogsources"}
)

// Config loads a kubeconfig: file (or, when empty, $KUBECONFIG and
// ~/.kube/config) and context (or its current context). A user whose
// credentials come from an exec plugin or an auth provider is refused:
// opcat runs no programs.
func Config(file, context string) (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if file != "" {
		rules.ExplicitPath = file
	}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: context})
	raw, err := cc.RawConfig()
	if err != nil {
		return nil, err
	}
	name := context
	if name == "" {
		name = raw.CurrentContext
	}
	ctx, ok := raw.Contexts[name]
	if !ok {
		if name == "" {
			return nil, errors.New("the kubeconfig has no current context; give --context")
		}
		return nil, fmt.Errorf("the kubeconfig has no context %q", name)
	}
	if user, ok := raw.AuthInfos[ctx.AuthInfo]; ok {
		if user.Exec != nil {
			return nil, fmt.Errorf("user %q of context %q gets its credentials by running %q; opcat runs no programs: use a token or client certificate", ctx.AuthInfo, name, user.Exec.Command)
		}
		if user.AuthProvider != nil {
			return nil, fmt.Errorf("user %q of context %q uses the auth provider %q, which opcat does not run: use a token or client certificate", ctx.AuthInfo, name, user.AuthProvider.Name)
		}
	}
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, err
	}
	cfg.UserAgent = "opcat"
	return cfg, nil
}

// Fetch lists the OLM objects of the namespaces (Subscriptions,
// OperatorGroups, ClusterServiceVersions, InstallPlans) and the
// CatalogSources of sourceNamespaces.
func Fetch(ctx context.Context, cfg *rest.Config, namespaces, sourceNamespaces []string) (*drift.Cluster, error) {
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	cl := &drift.Cluster{}
	list := func(gvr schema.GroupVersionResource, ns string) error {
		opts := metav1.ListOptions{}
		for {
			l, err := client.Resource(gvr).Namespace(ns).List(ctx, opts)
			if err != nil {
				if apierrors.IsNotFound(err) {
					return fmt.Errorf("the cluster does not serve %s.%s/%s (is OLM installed?): %w", gvr.Resource, gvr.Group, gvr.Version, err)
				}
				return fmt.Errorf("cannot list %s in namespace %s: %w", gvr.Resource, ns, err)
			}
			for i := range l.Items {
				u := &l.Items[i]
				if u.GetAPIVersion() == "" {
					u.SetAPIVersion(gvr.GroupVersion().String())
				}
				if u.GetKind() == "" {
					u.SetKind(kindOf(gvr.Resource))
				}
				if err := cl.Add(u.Object); err != nil {
					return err
				}
			}
			if l.GetContinue() == "" {
				return nil
			}
			opts.Continue = l.GetContinue()
		}
	}
	for _, ns := range namespaces {
		for _, gvr := range namespaced {
			if err := list(gvr, ns); err != nil {
				return nil, err
			}
		}
	}
	for _, ns := range sourceNamespaces {
		if err := list(catalogSources, ns); err != nil {
			return nil, err
		}
	}
	cl.Sort()
	return cl, nil
}

func kindOf(resource string) string {
	switch resource {
	case "subscriptions":
		return "Subscription"
	case "operatorgroups":
		return "OperatorGroup"
	case "clusterserviceversions":
		return "ClusterServiceVersion"
	case "installplans":
		return "InstallPlan"
	}
	return "CatalogSource"
}
