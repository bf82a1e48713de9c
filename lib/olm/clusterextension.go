package olm

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	yaml "go.yaml.in/yaml/v3"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	sigsyaml "sigs.k8s.io/yaml"
)

// OLM v1's API group and the kind that installs an operator.
const (
	V1Group              = "olm.operatorframework.io"
	ClusterExtensionKind = "ClusterExtension"
	// CatalogNameLabel is the label of a ClusterCatalog holding its name,
	// which a ClusterExtension's catalog selector matches.
	CatalogNameLabel = "olm.operatorframework.io/metadata.name"
)

//go:embed v1crds/olm.operatorframework.io_clusterextensions.yaml
var v1CRDFiles embed.FS

var clusterExtensionCRD = sync.OnceValues(func() (*apiextensionsv1.CustomResourceDefinition, error) {
	b, err := v1CRDFiles.ReadFile("v1crds/olm.operatorframework.io_clusterextensions.yaml")
	if err != nil {
		return nil, err
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := sigsyaml.Unmarshal(b, crd); err != nil {
		return nil, fmt.Errorf("embedded ClusterExtension CRD: %w", err)
	}
	return crd, nil
})

// IsClusterExtension reports whether apiVersion and kind name an OLM v1
// ClusterExtension.
func IsClusterExtension(apiVersion, kind string) bool {
	group, _, ok := strings.Cut(apiVersion, "/")
	return ok && group == V1Group && kind == ClusterExtensionKind
}

// ValidateClusterExtension validates a ClusterExtension against the CRD
// schema of operator-controller (see ValidateObject for what is checked;
// the CRD's CEL rules are not evaluated). ok is false for other objects.
func ValidateClusterExtension(obj *yaml.Node) (errs []SchemaError, ok bool) {
	crd, err := clusterExtensionCRD()
	if err != nil {
		return []SchemaError{{Message: err.Error()}}, true
	}
	return ValidateCRD(obj, crd)
}

// ExtensionRange parses a ClusterExtension's spec.source.catalog.version
// the way operator-controller does (Masterminds semver constraints:
// "^0.15.0", ">=1.2.0 <1.3.0", "1.2.x", "1.2.3"); an empty range accepts
// every version.
func ExtensionRange(version string) (*semver.Constraints, error) {
	if strings.TrimSpace(version) == "" {
		return nil, nil
	}
	c, err := semver.NewConstraint(version)
	if err != nil {
		return nil, fmt.Errorf("version %q is not a semver range: %v", version, err)
	}
	return c, nil
}

// PinRange is the version range a ClusterExtension uses where an OLM v0
// Subscription pinned startingCSV csv: exactly that version when the
// Subscription held it (Manual approval), that version or later otherwise
// (Automatic approval upgraded from it).
func PinRange(csv string, manual bool) (string, error) {
	name, err := ParseCSVName(csv)
	if err != nil {
		return "", err
	}
	v := name.Version.String()
	if manual {
		return v, nil
	}
	return ">=" + v, nil
}
