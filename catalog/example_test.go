package catalog_test

import (
	"fmt"
	"log"

	"github.com/opcat-dev/opcat/catalog"
)

// Load reads a catalog; each operator's overlays carry the Subscription
// they render, every value with the position of the text that set it.
func ExampleLoad() {
	c, err := catalog.Load("testdata/simple", catalog.Options{})
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
	c, err := catalog.Load("testdata/simple", catalog.Options{})
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
