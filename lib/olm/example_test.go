package olm_test

import (
	"fmt"

	"github.com/opcat-dev/opcat/lib/olm"
	"github.com/operator-framework/api/pkg/operators/v1alpha1"
)

func ExampleParseCSVName() {
	for _, s := range []string{
		"openshift-gitops-operator.v1.6.1-0.1666124167.p",
		"elasticsearch-eck-operator-certified.1.9.0",
		"tobechanged",
	} {
		c, err := olm.ParseCSVName(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("name=%s version=%s v=%t\n", c.Name, c.Version, c.HasV)
	}
	// Output:
	// name=openshift-gitops-operator version=1.6.1-0.1666124167.p v=true
	// name=elasticsearch-eck-operator-certified version=1.9.0 v=false
	// unable to parse CSV name "tobechanged": no .v<major>.<minor>.<patch> semantic version at its end
}

func ExampleChannelSeries() {
	for _, ch := range []string{"stable-v1.15", "amq-streams-2.1.x", "v3.x", "stable", "stable-4.8"} {
		if s, ok := olm.ChannelSeries(ch); ok {
			fmt.Printf("%s: %s\n", ch, s)
		} else {
			fmt.Printf("%s: none\n", ch)
		}
	}
	// Output:
	// stable-v1.15: 1.15
	// amq-streams-2.1.x: 2.1
	// v3.x: 3
	// stable: none
	// stable-4.8: none
}

// A channel name read two ways: a sort key for people, and the version
// series it promises, only when it fits the strict rules.
func ExampleParseChannelName() {
	for _, ch := range []string{"gitops-1.10", "stable-4.8", "release-2023", "stable"} {
		c := olm.ParseChannelName(ch)
		key, series := "none", "none"
		if c.SortKey != nil {
			key = c.SortKey.String()
		}
		if c.HasSeries {
			series = c.Series.String()
		}
		fmt.Printf("%s: sort key %s, series %s\n", ch, key, series)
	}
	// Output:
	// gitops-1.10: sort key 1.10.0, series 1.10
	// stable-4.8: sort key 4.8.0, series none
	// release-2023: sort key 2023.0.0, series none
	// stable: sort key none, series none
}

func ExampleNewSubscription() {
	sub := olm.NewSubscription(olm.SubscriptionSpec{
		Namespace: olm.GlobalOperatorsNamespace,
		Package:   "openshift-gitops-operator",
		Channel:   "gitops-1.12",
		Source:    "redhat-operators",
		Approval:  v1alpha1.ApprovalAutomatic,
	})
	fmt.Println(sub.APIVersion, sub.Kind)
	fmt.Println(sub.Namespace + "/" + sub.Name)
	fmt.Println(sub.Spec.Package, sub.Spec.Channel, sub.Spec.CatalogSource, sub.Spec.CatalogSourceNamespace, sub.Spec.InstallPlanApproval)
	// Output:
	// operators.coreos.com/v1alpha1 Subscription
	// openshift-operators/openshift-gitops-operator
	// openshift-gitops-operator gitops-1.12 redhat-operators openshift-marketplace Automatic
}

// Marshal writes a built Subscription as a manifest, without the empty
// status the Go type carries.
func ExampleMarshal() {
	sub := olm.NewSubscription(olm.SubscriptionSpec{
		Namespace: olm.GlobalOperatorsNamespace,
		Package:   "openshift-gitops-operator",
		Channel:   "gitops-1.12",
		Source:    "redhat-operators",
	})
	out, err := olm.Marshal(sub)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// apiVersion: operators.coreos.com/v1alpha1
	// kind: Subscription
	// metadata:
	//   name: openshift-gitops-operator
	//   namespace: openshift-operators
	// spec:
	//   channel: gitops-1.12
	//   name: openshift-gitops-operator
	//   source: redhat-operators
	//   sourceNamespace: openshift-marketplace
}

func ExamplePinRange() {
	held, _ := olm.PinRange("argocd-operator.v0.15.0", true)
	from, _ := olm.PinRange("argocd-operator.v0.15.0", false)
	fmt.Println(held, from)
	// Output: 0.15.0 >=0.15.0
}
