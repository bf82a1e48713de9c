package olm

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/operator-framework/api/pkg/operators/v1alpha1"
)

func TestNewSubscription(t *testing.T) {
	tests := []struct {
		name          string
		spec          SubscriptionSpec
		wantName      string
		wantNamespace string
		wantSpec      v1alpha1.SubscriptionSpec
	}{
		{
			name: "all fields",
			spec: SubscriptionSpec{
				Name:            "gitops",
				Namespace:       GlobalOperatorsNamespace,
				Package:         "openshift-gitops-operator",
				Channel:         "gitops-1.12",
				StartingCSV:     "openshift-gitops-operator.v1.12.0",
				Source:          "redhat-operators",
				SourceNamespace: "olm",
				Approval:        v1alpha1.ApprovalManual,
			},
			wantName:      "gitops",
			wantNamespace: "openshift-operators",
			wantSpec: v1alpha1.SubscriptionSpec{
				CatalogSource:          "redhat-operators",
				CatalogSourceNamespace: "olm",
				Package:                "openshift-gitops-operator",
				Channel:                "gitops-1.12",
				StartingCSV:            "openshift-gitops-operator.v1.12.0",
				InstallPlanApproval:    v1alpha1.ApprovalManual,
			},
		},
		{
			name: "defaults",
			spec: SubscriptionSpec{
				Package: "amq-streams",
				Source:  "redhat-operators",
			},
			wantName: "amq-streams",
			wantSpec: v1alpha1.SubscriptionSpec{
				CatalogSource:          "redhat-operators",
				CatalogSourceNamespace: DefaultSourceNamespace,
				Package:                "amq-streams",
			},
		},
		{
			name:     "zero spec",
			spec:     SubscriptionSpec{},
			wantSpec: v1alpha1.SubscriptionSpec{CatalogSourceNamespace: "openshift-marketplace"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewSubscription(tt.spec)
			if got.APIVersion != "operators.coreos.com/v1alpha1" || got.Kind != "Subscription" {
				t.Errorf("TypeMeta = %q %q, want operators.coreos.com/v1alpha1 Subscription", got.APIVersion, got.Kind)
			}
			if got.Name != tt.wantName || got.Namespace != tt.wantNamespace {
				t.Errorf("name/namespace = %q/%q, want %q/%q", got.Name, got.Namespace, tt.wantName, tt.wantNamespace)
			}
			if got.Spec == nil {
				t.Fatal("Spec is nil")
			}
			if !reflect.DeepEqual(*got.Spec, tt.wantSpec) {
				t.Errorf("Spec = %+v, want %+v", *got.Spec, tt.wantSpec)
			}
		})
	}
}

func TestNewSubscriptionJSON(t *testing.T) {
	sub := NewSubscription(SubscriptionSpec{
		Name:      "amq-streams",
		Namespace: "kafka",
		Package:   "amq-streams",
		Channel:   "amq-streams-2.1.x",
		Source:    "redhat-operators",
		Approval:  v1alpha1.ApprovalAutomatic,
	})
	b, err := json.Marshal(sub)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"apiVersion": "operators.coreos.com/v1alpha1",
		"kind":       "Subscription",
		"spec": map[string]any{
			"name":                "amq-streams",
			"channel":             "amq-streams-2.1.x",
			"source":              "redhat-operators",
			"sourceNamespace":     "openshift-marketplace",
			"installPlanApproval": "Automatic",
		},
	}
	for _, k := range []string{"apiVersion", "kind", "spec"} {
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Errorf("%s = %v, want %v", k, got[k], want[k])
		}
	}
	meta, _ := got["metadata"].(map[string]any)
	if meta["name"] != "amq-streams" || meta["namespace"] != "kafka" {
		t.Errorf("metadata = %v, want name amq-streams namespace kafka", meta)
	}
}

func TestNewOperatorGroup(t *testing.T) {
	tests := []struct {
		name    string
		targets []string
		want    []string
	}{
		{name: "all namespaces nil", targets: nil, want: nil},
		{name: "all namespaces empty", targets: []string{}, want: nil},
		{name: "own namespace", targets: []string{"kafka"}, want: []string{"kafka"}},
		{name: "multi namespace", targets: []string{"a", "b"}, want: []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			og := NewOperatorGroup("og", "kafka", tt.targets)
			if og.APIVersion != "operators.coreos.com/v1" || og.Kind != "OperatorGroup" {
				t.Errorf("TypeMeta = %q %q, want operators.coreos.com/v1 OperatorGroup", og.APIVersion, og.Kind)
			}
			if og.Name != "og" || og.Namespace != "kafka" {
				t.Errorf("name/namespace = %q/%q, want og/kafka", og.Name, og.Namespace)
			}
			if !reflect.DeepEqual(og.Spec.TargetNamespaces, tt.want) {
				t.Errorf("TargetNamespaces = %#v, want %#v", og.Spec.TargetNamespaces, tt.want)
			}
			if len(tt.targets) > 0 {
				tt.targets[0] = "changed"
				if og.Spec.TargetNamespaces[0] == "changed" {
					t.Error("TargetNamespaces shares the caller's slice")
				}
			}
		})
	}
}

func TestTargetNamespacesFor(t *testing.T) {
	tests := []struct {
		name      string
		mode      v1alpha1.InstallModeType
		namespace string
		targets   []string
		want      []string
		wantErr   bool
	}{
		{name: "own namespace", mode: v1alpha1.InstallModeTypeOwnNamespace, namespace: "kafka", want: []string{"kafka"}},
		{name: "own namespace ignores targets", mode: v1alpha1.InstallModeTypeOwnNamespace, namespace: "kafka", targets: []string{"x"}, want: []string{"kafka"}},
		{name: "single namespace", mode: v1alpha1.InstallModeTypeSingleNamespace, namespace: "kafka", targets: []string{"apps"}, want: []string{"apps"}},
		{name: "single namespace without a target", mode: v1alpha1.InstallModeTypeSingleNamespace, namespace: "kafka", wantErr: true},
		{name: "single namespace on its own namespace", mode: v1alpha1.InstallModeTypeSingleNamespace, namespace: "kafka", targets: []string{"kafka"}, wantErr: true},
		{name: "single namespace two targets", mode: v1alpha1.InstallModeTypeSingleNamespace, namespace: "kafka", targets: []string{"a", "b"}, wantErr: true},
		{name: "all namespaces", mode: v1alpha1.InstallModeTypeAllNamespaces, namespace: GlobalOperatorsNamespace, want: nil},
		{name: "all namespaces ignores targets", mode: v1alpha1.InstallModeTypeAllNamespaces, targets: []string{"x"}, want: nil},
		{name: "multi namespace", mode: v1alpha1.InstallModeTypeMultiNamespace, namespace: "ops", targets: []string{"a", "b"}, want: []string{"a", "b"}},
		{name: "own namespace empty", mode: v1alpha1.InstallModeTypeOwnNamespace, wantErr: true},
		{name: "single namespace empty", mode: v1alpha1.InstallModeTypeSingleNamespace, wantErr: true},
		{name: "multi namespace no targets", mode: v1alpha1.InstallModeTypeMultiNamespace, namespace: "ops", wantErr: true},
		{name: "multi namespace empty slice", mode: v1alpha1.InstallModeTypeMultiNamespace, namespace: "ops", targets: []string{}, wantErr: true},
		{name: "multi namespace empty target", mode: v1alpha1.InstallModeTypeMultiNamespace, namespace: "ops", targets: []string{"a", ""}, wantErr: true},
		{name: "unknown mode", mode: "EveryNamespace", namespace: "ops", wantErr: true},
		{name: "empty mode", mode: "", namespace: "ops", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TargetNamespacesFor(tt.mode, tt.namespace, tt.targets)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("TargetNamespacesFor(%q, %q, %q) = %q, want error", tt.mode, tt.namespace, tt.targets, got)
				}
				if !strings.HasPrefix(err.Error(), "unable to target namespaces") {
					t.Errorf("error %q does not start with %q", err, "unable to target namespaces")
				}
				return
			}
			if err != nil {
				t.Fatalf("TargetNamespacesFor(%q, %q, %q) error: %v", tt.mode, tt.namespace, tt.targets, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("TargetNamespacesFor(%q, %q, %q) = %#v, want %#v", tt.mode, tt.namespace, tt.targets, got, tt.want)
			}
			if len(tt.targets) > 0 && len(got) > 0 && &got[0] == &tt.targets[0] {
				t.Error("result shares the caller's slice")
			}
		})
	}
}

func TestValidApproval(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "automatic", in: "Automatic", want: true},
		{name: "manual", in: "Manual", want: true},
		{name: "lower case", in: "automatic", want: false},
		{name: "empty", in: "", want: false},
		{name: "other", in: "Never", want: false},
		{name: "padded", in: " Manual", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidApproval(tt.in); got != tt.want {
				t.Errorf("ValidApproval(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestConstants(t *testing.T) {
	if Group != v1alpha1.GroupName {
		t.Errorf("Group = %q, want %q", Group, v1alpha1.GroupName)
	}
	if GlobalOperatorsNamespace != "openshift-operators" || DefaultSourceNamespace != "openshift-marketplace" {
		t.Errorf("namespaces = %q, %q", GlobalOperatorsNamespace, DefaultSourceNamespace)
	}
}
