package lint_test

import (
	"context"
	"fmt"
	"os"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
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
