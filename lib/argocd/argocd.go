// Package argocd checks and writes the Argo CD side of a catalog: the
// Application and ApplicationSet objects that deploy its overlays, checked
// against Argo CD's own CRD schemas, and the health checks (Lua) that tell
// Argo CD when an OLM Subscription, InstallPlan or ClusterServiceVersion is
// healthy.
package argocd

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/opcat-dev/opcat/lib/olm"
	yaml "go.yaml.in/yaml/v3"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	sigsyaml "sigs.k8s.io/yaml"
)

// Group is Argo CD's API group.
const Group = "argoproj.io"

// The kinds whose schema opcat checks.
const (
	KindApplication    = "Application"
	KindApplicationSet = "ApplicationSet"
)

//go:embed crds/*.yaml
var crdFiles embed.FS

// The CRDs are parsed on first use: the ApplicationSet CRD is 1.4 MB, and a
// catalog without Argo CD objects never pays for it.
var (
	applicationCRD = sync.OnceValues(func() (*apiextensionsv1.CustomResourceDefinition, error) {
		return loadCRD("crds/argocd-application-crd.yaml")
	})
	applicationSetCRD = sync.OnceValues(func() (*apiextensionsv1.CustomResourceDefinition, error) {
		return loadCRD("crds/argocd-applicationset-crd.yaml")
	})
)

func loadCRD(name string) (*apiextensionsv1.CustomResourceDefinition, error) {
	b, err := crdFiles.ReadFile(name)
	if err != nil {
		return nil, err
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := sigsyaml.Unmarshal(b, crd); err != nil {
		return nil, fmt.Errorf("embedded CRD %s: %w", name, err)
	}
	return crd, nil
}

// IsArgoCD reports whether apiVersion and kind name an object whose schema
// ValidateObject checks: an Application or ApplicationSet of argoproj.io.
func IsArgoCD(apiVersion, kind string) bool {
	group, _, ok := strings.Cut(apiVersion, "/")
	return ok && group == Group && (kind == KindApplication || kind == KindApplicationSet)
}

// ValidateObject validates an Application or ApplicationSet (a yaml.v3
// mapping, as rendered) against Argo CD's CRD schema, the way
// olm.ValidateObject validates Subscriptions: types, required fields,
// enums, patterns and unknown fields. ok is false for any other object.
func ValidateObject(obj *yaml.Node) (errs []olm.SchemaError, ok bool) {
	root := obj
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, false
	}
	apiVersion, kind := stringField(root, "apiVersion"), stringField(root, "kind")
	if !IsArgoCD(apiVersion, kind) {
		return nil, false
	}
	load := applicationCRD
	if kind == KindApplicationSet {
		load = applicationSetCRD
	}
	crd, err := load()
	if err != nil {
		// The CRDs are embedded and tested; this does not happen.
		return []olm.SchemaError{{Message: err.Error()}}, true
	}
	return olm.ValidateCRD(root, crd)
}

func stringField(m *yaml.Node, key string) string {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.ScalarNode {
			return m.Content[i+1].Value
		}
	}
	return ""
}
