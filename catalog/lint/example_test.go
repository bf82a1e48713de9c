package lint_test

import (
	"context"
	"fmt"
	"os"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/output"
)

// Validate a catalog and print each finding where it was written.
func ExampleRun() {
	devnull, _ := os.Open(os.DevNull)
	saved := os.Stderr
	os.Stderr = devnull // kustomize prints deprecation warnings there
	defer func() { os.Stderr = saved }()

	c, err := catalog.Load(context.Background(), "../testdata/simple", catalog.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	findings, err := lint.Run(context.Background(), c, lint.Config{}, lint.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		fmt.Printf("%s:%d:%d: %s [%s]\n", f.Path, f.Line, f.Column, f.Severity, f.Rule)
	}
	// Output:
	// mq/operator/overlays/v1.8/patch-channel.yaml:6:10: info [subscription-startingcsv-automatic]
	// mq/operator/overlays/v1.9/kustomization.yaml:3:12: warning [operatorgroup-missing]
}

// Build the whole report of a run, scoped to one operator, and print it
// in one of opcat validate's formats.
func ExampleValidate() {
	devnull, _ := os.Open(os.DevNull)
	saved := os.Stderr
	os.Stderr = devnull // kustomize prints deprecation warnings there
	defer func() { os.Stderr = saved }()

	ctx := context.Background() // cancel it to stop the run between builds
	c, err := catalog.Load(ctx, "../testdata/simple", catalog.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := lint.Validate(ctx, c, lint.Config{}, lint.Options{Paths: []string{"mq"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range report.Scope {
		fmt.Println(s.Operator, s.Overlays)
	}
	fmt.Println("exit code", report.ExitCode(true))
	w, _ := output.New(output.FormatText, output.Options{})
	if err := w.Write(os.Stdout, output.FromDiag(report, "opcat", "")); err != nil {
		fmt.Println(err)
	}
	// Output:
	// mq [v1.8 v1.9 v2.0]
	// exit code 1
	// mq/operator/overlays/v1.8/patch-channel.yaml:6:10: info: startingCSV ibm-mq.v1.8.0 with installPlanApproval Automatic pins nothing: OLM upgrades past it at once [subscription-startingcsv-automatic]
	//   fix: set installPlanApproval: Manual to hold the version
	// mq/operator/overlays/v1.9/kustomization.yaml:3:12: warning: Subscription ibm-mq is in namespace mq, which has no OperatorGroup in this overlay nor in any kustomization of the catalog (looked in all 6 kustomizations); OLM installs nothing there [operatorgroup-missing]
	//   fix: add an OperatorGroup for the namespace
	// 0 errors, 1 warning, 1 info in 1 operator (6 kustomizations)
}

// Switch a rule off and re-grade another, as .opcat.yaml does.
func ExampleParseConfig() {
	cfg, err := lint.ParseConfig(".opcat.yaml", []byte("rules:\n  patch-target-ambiguous: off\n  operatorgroup-missing: error\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Off["patch-target-ambiguous"], cfg.Severity["operatorgroup-missing"])
	_, err = lint.ParseConfig(".opcat.yaml", []byte("rules:\n  no-such-rule: off\n"))
	fmt.Println(err != nil)
	// Output:
	// true error
	// true
}

// Read the indexes a catalog's .opcat.yaml names; each must stay inside the
// catalog.
func ExampleConfig_IndexSet() {
	cfg, err := lint.ParseConfig(".opcat.yaml", []byte("indexes:\n  - ibm-operator-catalog=index/ibm-mq.yaml\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	set, err := cfg.IndexSet(context.Background(), "testdata", index.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	pkg, source, _ := set.Lookup("", "ibm-mq")
	fmt.Println(source, pkg.Name, pkg.DefaultChannel)

	cfg.Indexes = []string{"../../../outside.yaml"}
	_, err = cfg.IndexSet(context.Background(), "testdata", index.Options{})
	fmt.Println(err)
	// Output:
	// ibm-operator-catalog ibm-mq v1.9
	// index "../../../outside.yaml" in .opcat.yaml: it leaves the catalog root
}
