package drift_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/drift"
)

// Compare a catalog's default overlays (and mq's v3.0) with a dump of a
// cluster where someone edited a Subscription and an OperatorGroup.
func ExampleCompare() {
	c, err := catalog.Load(context.Background(), "../export/testdata/catalog", catalog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	desired, err := drift.DesiredState(c, map[string]string{"mq": "v3.0"})
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Open("testdata/edited.yaml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	cluster, err := drift.ParseDump("edited.yaml", f)
	if err != nil {
		log.Fatal(err)
	}
	for _, x := range drift.Compare(desired, cluster, nil) {
		if x.Rule == drift.RuleChannel || x.Rule == drift.RuleOperatorGroupTargets {
			fmt.Printf("%s:%d:%d [%s]\n  %s\n", x.Path, x.Line, x.Column, x.Rule, x.Message)
		}
	}
	// Output:
	// gitops/operator/overlays/gitops-1.15/patch-channel.yaml:3:10 [drift-channel]
	//   Subscription openshift-gitops-operator/openshift-gitops-operator follows channel latest on the cluster; the catalog sets gitops-1.15
	// mq/operator/base/operator-group.yaml:8:5 [drift-operatorgroup-targets]
	//   OperatorGroup mq/mq targets [mq, mq-apps] on the cluster; the catalog sets [mq]
}

// The whole report of a comparison, as opcat drift prints it: the
// operators compared, each with its overlay, and the totals.
func ExampleCheck() {
	c, err := catalog.Load(context.Background(), "../export/testdata/catalog", catalog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	desired, err := drift.DesiredState(c, map[string]string{"mq": "v3.0"})
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Open("testdata/edited.yaml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	cluster, err := drift.ParseDump("edited.yaml", f)
	if err != nil {
		log.Fatal(err)
	}
	report := drift.Check(desired, cluster, nil)
	for _, s := range report.Scope {
		fmt.Println(s.Operator, s.Overlays)
	}
	fmt.Printf("%+v exit %d\n", report.Summary, report.ExitCode(false))
	// Output:
	// gitops [gitops-1.15]
	// mq [v3.0]
	// {Errors:7 Warnings:0 Infos:0 Operators:2 Kustomizations:2} exit 1
}
