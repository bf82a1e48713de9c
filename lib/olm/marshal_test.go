package olm

import (
	"strings"
	"testing"

	"github.com/operator-framework/api/pkg/operators/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

func TestMarshal(t *testing.T) {
	sub := NewSubscription(SubscriptionSpec{Namespace: "ns", Package: "p", Channel: "stable", Source: "redhat-operators", Approval: v1alpha1.ApprovalManual})
	installed := NewSubscription(SubscriptionSpec{Package: "p", Source: "s"})
	installed.Status = v1alpha1.SubscriptionStatus{InstalledCSV: "p.v1.0.0"}
	stamped := NewOperatorGroup("og", "ns", nil)
	stamped.CreationTimestamp = metav1.Unix(0, 0).Rfc3339Copy()
	tests := []struct {
		name string
		obj  any
		want string
	}{
		{"subscription", sub, `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: p
  namespace: ns
spec:
  channel: stable
  installPlanApproval: Manual
  name: p
  source: redhat-operators
  sourceNamespace: openshift-marketplace
`},
		{"operator group, all namespaces", NewOperatorGroup("og", "ns", nil), `apiVersion: operators.coreos.com/v1
kind: OperatorGroup
metadata:
  name: og
  namespace: ns
spec: {}
`},
		{"operator group, targets", NewOperatorGroup("og", "ns", []string{"ns"}), `apiVersion: operators.coreos.com/v1
kind: OperatorGroup
metadata:
  name: og
  namespace: ns
spec:
  targetNamespaces:
  - ns
`},
		{"a status that holds something is kept", installed, "status:\n  installedCSV: p.v1.0.0\n  lastUpdated: null\n"},
		{"a creation time that is set is kept", stamped, "creationTimestamp: \"1970-01-01T00:00:00Z\""},
		{"not an object", []string{"a"}, "- a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Marshal(tt.obj)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), tt.want) {
				t.Errorf("Marshal:\n%s\nwant it to hold:\n%s", got, tt.want)
			}
			if strings.HasPrefix(tt.name, "subscription") || strings.HasPrefix(tt.name, "operator group") || strings.HasPrefix(tt.name, "numbers") {
				if string(got) != tt.want {
					t.Errorf("Marshal:\n%s\nwant:\n%s", got, tt.want)
				}
			}
		})
	}
	// Beyond what it drops, Marshal writes what sigs.k8s.io/yaml writes.
	for _, obj := range []map[string]any{
		{"n": int64(1) << 60, "f": 1.5, "s": "yes", "l": []any{nil, "x"}},
		{"kind": "X", "status": map[string]any{"x": []any{}, "y": nil}},
	} {
		got, err := Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		delete(obj, "status")
		want, err := yaml.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("Marshal(%v):\n%s\nsigs.k8s.io/yaml:\n%s", obj, got, want)
		}
	}
	// What sigs.k8s.io/yaml writes, and Marshal does not.
	plain, err := yaml.Marshal(sub)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(plain), "status:\n  lastUpdated: null") {
		t.Errorf("sigs.k8s.io/yaml no longer writes an empty status; Marshal may be simplified:\n%s", plain)
	}
	if _, err := Marshal(func() {}); err == nil {
		t.Error("Marshal of a func: no error")
	}
}
