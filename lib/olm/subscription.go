package olm

import (
	"fmt"

	operatorsv1 "github.com/operator-framework/api/pkg/operators/v1"
	"github.com/operator-framework/api/pkg/operators/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	// Group is the API group of the OLM objects.
	Group = "operators.coreos.com"
	// GlobalOperatorsNamespace is the namespace whose OperatorGroup targets
	// all namespaces on OpenShift; Subscriptions of AllNamespaces operators
	// usually go there.
	GlobalOperatorsNamespace = "openshift-operators"
	// DefaultSourceNamespace is the namespace of the default CatalogSources
	// on OpenShift, and the source namespace NewSubscription uses when none
	// is given.
	DefaultSourceNamespace = "openshift-marketplace"
)

// SubscriptionSpec holds what a catalog says about one Subscription.
type SubscriptionSpec struct {
	// Name is the Subscription object's name; empty means Package.
	Name string
	// Namespace is the Subscription object's namespace; it may be left empty
	// for kustomize to set.
	Namespace string
	// Package is the OLM package to subscribe to.
	Package string
	// Channel is the package channel to follow; empty means the package's
	// default channel.
	Channel string
	// StartingCSV is the CSV to install first; empty means the channel head.
	StartingCSV string
	// Source is the name of the CatalogSource that serves the package.
	Source string
	// SourceNamespace is the CatalogSource's namespace; empty means
	// DefaultSourceNamespace.
	SourceNamespace string
	// Approval is the InstallPlan approval; empty leaves it to OLM, which
	// takes it as Automatic.
	Approval v1alpha1.Approval
}

// NewSubscription returns an operators.coreos.com/v1alpha1 Subscription
// built from s, with its TypeMeta set so that it serializes to a complete
// manifest. An empty s.Name becomes s.Package and an empty
// s.SourceNamespace becomes DefaultSourceNamespace; nothing else is
// defaulted or checked.
func NewSubscription(s SubscriptionSpec) *v1alpha1.Subscription {
	name := s.Name
	if name == "" {
		name = s.Package
	}
	sourceNamespace := s.SourceNamespace
	if sourceNamespace == "" {
		sourceNamespace = DefaultSourceNamespace
	}
	return &v1alpha1.Subscription{
		TypeMeta: metav1.TypeMeta{
			APIVersion: v1alpha1.SubscriptionCRDAPIVersion,
			Kind:       v1alpha1.SubscriptionKind,
		},
		ObjectMeta: metav1.ObjectMeta{
			Name:      name,
			Namespace: s.Namespace,
		},
		Spec: &v1alpha1.SubscriptionSpec{
			CatalogSource:          s.Source,
			CatalogSourceNamespace: sourceNamespace,
			Package:                s.Package,
			Channel:                s.Channel,
			StartingCSV:            s.StartingCSV,
			InstallPlanApproval:    s.Approval,
		},
	}
}

// NewOperatorGroup returns an operators.coreos.com/v1 OperatorGroup with its
// TypeMeta set. A nil or empty targetNamespaces makes it target all
// namespaces; the slice is copied.
func NewOperatorGroup(name, namespace string, targetNamespaces []string) *operatorsv1.OperatorGroup {
	var targets []string
	if len(targetNamespaces) > 0 {
		targets = append([]string(nil), targetNamespaces...)
	}
	return &operatorsv1.OperatorGroup{
		TypeMeta: metav1.TypeMeta{
			APIVersion: operatorsv1.GroupVersion.String(),
			Kind:       operatorsv1.OperatorGroupKind,
		},
		ObjectMeta: metav1.ObjectMeta{
			Name:      name,
			Namespace: namespace,
		},
		Spec: operatorsv1.OperatorGroupSpec{
			TargetNamespaces: targets,
		},
	}
}

// TargetNamespacesFor returns the OperatorGroup target namespaces for an
// operator installed in namespace with the install mode mode: namespace
// itself for OwnNamespace and SingleNamespace, nil (all namespaces) for
// AllNamespaces, and a copy of targets for MultiNamespace. It fails for an
// unknown mode, an empty namespace with OwnNamespace or SingleNamespace, and
// an empty targets list or an empty target with MultiNamespace.
func TargetNamespacesFor(mode v1alpha1.InstallModeType, namespace string, targets []string) ([]string, error) {
	switch mode {
	case v1alpha1.InstallModeTypeOwnNamespace:
		if namespace == "" {
			return nil, fmt.Errorf("unable to target namespaces for install mode %s: empty namespace", mode)
		}
		return []string{namespace}, nil
	case v1alpha1.InstallModeTypeSingleNamespace:
		// One target that is not the operator's own namespace: OLM reads a
		// single target equal to it as OwnNamespace.
		if len(targets) != 1 || targets[0] == "" {
			return nil, fmt.Errorf("unable to target namespaces for install mode %s: give exactly one target namespace", mode)
		}
		if targets[0] == namespace {
			return nil, fmt.Errorf("unable to target namespaces for install mode %s: the target %s is the operator's own namespace, which is OwnNamespace", mode, namespace)
		}
		return []string{targets[0]}, nil
	case v1alpha1.InstallModeTypeAllNamespaces:
		return nil, nil
	case v1alpha1.InstallModeTypeMultiNamespace:
		if len(targets) == 0 {
			return nil, fmt.Errorf("unable to target namespaces for install mode %s: no target namespaces given", mode)
		}
		for _, t := range targets {
			if t == "" {
				return nil, fmt.Errorf("unable to target namespaces for install mode %s: empty target namespace", mode)
			}
		}
		return append([]string(nil), targets...), nil
	}
	return nil, fmt.Errorf("unable to target namespaces: unknown install mode %q", mode)
}

// ValidApproval reports whether s is an InstallPlan approval OLM accepts:
// "Automatic" or "Manual".
func ValidApproval(s string) bool {
	switch v1alpha1.Approval(s) {
	case v1alpha1.ApprovalAutomatic, v1alpha1.ApprovalManual:
		return true
	}
	return false
}
