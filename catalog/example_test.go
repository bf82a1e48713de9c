package catalog_test

import (
	"context"
	"fmt"
	"log"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// Load reads a catalog; each operator's overlays carry the Subscription
// they render, every value with the position of the text that set it.
func ExampleLoad() {
	c, err := catalog.Load(context.Background(), "testdata/simple", catalog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, op := range c.Operators {
		fmt.Printf("%s (%s), default overlay %s\n", op.Name, op.Dir, op.DefaultOverlay)
		for _, ov := range op.Overlays {
			ch := ov.Subscription.Channel
			fmt.Printf("  %s: channel %s, set at %s\n", ov.Name, ch.Value, ch.Pos)
		}
	}
	// Output:
	// mq (mq), default overlay v1.9
	//   v1.8: channel v1.8, set at mq/operator/overlays/v1.8/patch-channel.yaml:3:10
	//   v1.9: channel v1.9, set at mq/operator/overlays/v1.9/kustomization.yaml:11:16
	//   v2.0: channel v2.0, set at mq/operator/overlays/v2.0/subscription-patch.yaml:7:12
}

// List summarises the operators with the values their default overlays
// render: what `opcat list` prints.
func ExampleCatalog_List() {
	c, err := catalog.Load(context.Background(), "testdata/simple", catalog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, op := range c.List().Operators {
		fmt.Printf("%s: package %s in %s from %s/%s, %s approval, default %s\n", op.Path, op.Package,
			op.Namespace, op.SourceNamespace, op.Source, op.InstallPlanApproval, op.DefaultOverlay)
		for _, ov := range op.Overlays {
			csv := ov.StartingCSV
			if csv == "" {
				csv = "(latest)"
			}
			fmt.Printf("  %-5s channel %s, startingCSV %s\n", ov.Name, ov.Channel, csv)
		}
	}
	// Output:
	// mq: package ibm-mq in mq from openshift-marketplace/ibm-operator-catalog, Automatic approval, default v1.9
	//   v1.8  channel v1.8, startingCSV ibm-mq.v1.8.0
	//   v1.9  channel v1.9, startingCSV (latest)
	//   v2.0  channel v2.0, startingCSV ibm-mq.v2.0.1
}

// An operator whose base installs several packages, with channel overlays
// and a variant: an aggregate folder that includes a channel overlay and
// sets no channel of its own.
func ExampleOperator_Variants() {
	sub := func(name string) string {
		return "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: " + name +
			"\n  namespace: openshift-storage\nspec:\n  channel: stable\n  name: " + name + "\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n"
	}
	c := catalog.FromTree(kustomize.NewTreeFromMap(map[string]string{
		"odf/operator/base/kustomization.yaml": "resources:\n  - subscriptions.yaml\n",
		"odf/operator/base/subscriptions.yaml": sub("ocs-operator") + "---\n" + sub("mcg-operator"),
		"odf/operator/overlays/stable-4.15/kustomization.yaml": "resources:\n  - ../../base\npatches:\n" +
			"  - target:\n      group: operators.coreos.com\n      kind: Subscription\n" +
			"    patch: |-\n      - op: replace\n        path: /spec/channel\n        value: stable-4.15\n",
		"odf/aggregate/overlays/aws/kustomization.yaml": "resources:\n  - ../../../operator/overlays/stable-4.15\n",
	}), catalog.Options{})
	op := c.Operator("odf")
	fmt.Println("packages:", op.Packages())
	for _, ov := range op.Overlays {
		fmt.Printf("overlay %s: channel %s\n", ov.Name, ov.Subscription.Channel.Value)
	}
	for _, v := range op.Variants {
		fmt.Printf("variant %s (%s)\n", v.Name, v.Dir)
	}
	// Output:
	// packages: [ocs-operator mcg-operator]
	// overlay stable-4.15: channel stable-4.15
	// variant aggregate/overlays/aws (odf/aggregate/overlays/aws)
}

// Compare lists how an operator's overlays differ from an operator index:
// pins behind their channel head, channels gone, channels newer than every
// overlay. outdated, sync and the index-* rules of validate all read it.
func ExampleOperator_Compare() {
	c, err := catalog.Load(context.Background(), "testdata/simple", catalog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	idx, err := index.Load(context.Background(), "testdata/mq-index.yaml", index.Options{Source: "ibm-operator-catalog"})
	if err != nil {
		log.Fatal(err)
	}
	set := index.Set{}
	set.Add(idx)
	for _, d := range c.Operators[0].Compare(set) {
		switch d.Kind {
		case catalog.Behind:
			fmt.Printf("%s: %s is %d step(s) behind %s (%s)\n", d.Overlay, d.CSV, d.Steps, d.Head, d.Pos)
		case catalog.ChannelUnknown:
			fmt.Printf("%s: channel %s is gone (%s)\n", d.Overlay, d.Channel, d.Pos)
		case catalog.ChannelNew:
			fmt.Printf("new channel %s, head %s\n", d.Channel, d.Head)
		}
	}
	// Output:
	// v1.8: ibm-mq.v1.8.0 is 2 step(s) behind ibm-mq.v1.8.2 (mq/operator/overlays/v1.8/patch-channel.yaml:6:10)
	// v1.9: channel v1.9 is gone (mq/operator/overlays/v1.9/kustomization.yaml:11:16)
	// v2.0: ibm-mq.v2.0.1 is 1 step(s) behind ibm-mq.v2.0.2 (mq/operator/overlays/v2.0/subscription-patch.yaml:8:16)
	// new channel v2.1, head ibm-mq.v2.1.0
}

// FieldPos says where a field of a rendered object was written: the
// traced value of the Subscription when it is given (the channel's value in
// the overlay's patch), else the JSON patch operation that writes the field
// (the startingCSV's), else the object's file in the base (the package's).
func ExampleCatalog_FieldPos() {
	c, err := catalog.Load(context.Background(), "testdata/simple", catalog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ov := c.Operators[0].Overlays[0] // v1.8
	obj := ov.Subscription.Object
	fmt.Println(c.FieldPos(ov.Chain, &ov.Subscription, obj, []string{"spec", "channel"}))
	fmt.Println(c.FieldPos(ov.Chain, nil, obj, []string{"spec", "startingCSV"}))
	fmt.Println(c.FieldPos(ov.Chain, nil, obj, []string{"spec", "name"}))
	// Output:
	// mq/operator/overlays/v1.8/patch-channel.yaml:3:10
	// mq/operator/overlays/v1.8/patch-channel.yaml:4:3
	// mq/operator/base/subscription.yaml:9:9
}
