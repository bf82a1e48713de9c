package olm

import (
	"os"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	yaml "go.yaml.in/yaml/v3"
)

func TestValidateClusterExtension(t *testing.T) {
	tests := []struct {
		name string
		obj  string
		ok   bool
		errs []string
	}{
		{"as users write them", `apiVersion: olm.operatorframework.io/v1
kind: ClusterExtension
metadata: {name: argocd}
spec:
  namespace: argocd
  serviceAccount: {name: argocd-installer}
  source:
    sourceType: Catalog
    catalog:
      packageName: argocd-operator
      version: "^0.15.0"
      channels: [alpha]
      upgradeConstraintPolicy: CatalogProvided
      selector:
        matchLabels: {olm.operatorframework.io/metadata.name: operatorhubio}
`, true, nil},
		{"mistakes", `apiVersion: olm.operatorframework.io/v1
kind: ClusterExtension
metadata: {name: argocd}
spec:
  source:
    sourceType: Bundle
    catalog:
      channels: alpha
      upgradeConstraintPolicy: Always
      versions: "1.0.0"
`, true, []string{
			`spec.namespace: Required value`,
			`spec.source.catalog.channels: Invalid value: "string": spec.source.catalog.channels in body must be of type array: "string"`,
			`spec.source.catalog.packageName: Required value`,
			`spec.source.catalog.upgradeConstraintPolicy: Unsupported value: "Always": supported values: "CatalogProvided", "SelfCertified"`,
			`spec.source.catalog.versions: unknown field`,
			`spec.source.sourceType: Unsupported value: "Bundle": supported values: "Catalog"`,
		}},
		{"a version the CRD does not serve", "apiVersion: olm.operatorframework.io/v1alpha1\nkind: ClusterExtension\nmetadata: {name: a}\n", true,
			[]string{`apiVersion: Unsupported value: "olm.operatorframework.io/v1alpha1": supported values: "olm.operatorframework.io/v1"`}},
		{"another kind", "apiVersion: olm.operatorframework.io/v1\nkind: ClusterCatalog\nmetadata: {name: a}\n", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(tt.obj), &n); err != nil {
				t.Fatal(err)
			}
			errs, ok := ValidateClusterExtension(&n)
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

// The sample of operator-controller validates clean.
func TestValidateClusterExtensionSample(t *testing.T) {
	b, err := os.ReadFile("../../../shared/corpus/crds/sample-clusterextension.yaml")
	if err != nil {
		t.Skipf("the reference corpus is not there (%v)", err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	found := 0
	for {
		var n yaml.Node
		if dec.Decode(&n) != nil {
			break
		}
		errs, ok := ValidateClusterExtension(&n)
		if ok {
			found++
			if len(errs) != 0 {
				t.Errorf("sample: %v", errs)
			}
		}
	}
	if found != 1 {
		t.Errorf("%d ClusterExtensions in the sample", found)
	}
}

func TestExtensionRangeAndPin(t *testing.T) {
	for _, tt := range []struct {
		version, v string
		match      bool
	}{
		{"^0.15.0", "0.15.3", true}, {"^0.15.0", "0.16.0", false}, {"^1.2.0", "1.9.0", true},
		{">=1.2.0 <1.3.0", "1.2.9", true}, {"1.2.x", "1.3.0", false}, {"", "9.9.9", true}, {"~2.0.1", "2.0.5", true},
	} {
		c, err := ExtensionRange(tt.version)
		if err != nil {
			t.Fatal(err)
		}
		v := mustVersion(t, tt.v)
		if got := c == nil || c.Check(v); got != tt.match {
			t.Errorf("%q on %s: %v", tt.version, tt.v, got)
		}
	}
	if _, err := ExtensionRange("not a range"); err == nil {
		t.Error("a bad range parsed")
	}
	for _, tt := range []struct {
		csv    string
		manual bool
		want   string
	}{{"ibm-mq.v2.0.1", true, "2.0.1"}, {"ibm-mq.v2.0.1", false, ">=2.0.1"}} {
		if got, err := PinRange(tt.csv, tt.manual); err != nil || got != tt.want {
			t.Errorf("PinRange(%s, %v) = %q, %v", tt.csv, tt.manual, got, err)
		}
	}
}

func mustVersion(t *testing.T, s string) *semver.Version {
	t.Helper()
	v, err := semver.NewVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
