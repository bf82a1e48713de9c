// Package live reads a cluster's OLM objects from its API server for a
// drift comparison. It only lists: it never creates, changes or deletes
// anything. The caller builds the rest.Config; opcat's command refuses
// kubeconfig credentials that would run a program.
package live

import (
	"context"
	"fmt"

	"github.com/opcat-dev/opcat/catalog/drift"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
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
