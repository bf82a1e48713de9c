package lint

import (
	"context"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
)

// Validate checks the catalog as Run does and returns the whole report of
// the run: the findings, the summary, the operators in scope (those
// opts.Paths select, by folder, operators installed with OLM v1 after the
// others) with their overlays, and every rule. Every output format renders
// this one report, so the operators a format lists are those the summary
// counts. Once ctx is done Validate stops and returns ctx's error.
func Validate(ctx context.Context, c *catalog.Catalog, cfg Config, opts Options) (*diag.Report, error) {
	findings, err := Run(ctx, c, cfg, opts)
	if err != nil {
		return nil, err
	}
	r := &diag.Report{Findings: findings, Summary: Summary(c, findings, opts)}
	for _, rule := range Rules() {
		r.Rules = append(r.Rules, rule.Info())
	}
	for _, op := range OperatorsInScope(c, opts) {
		s := diag.Scope{Operator: op.Dir}
		for _, ov := range op.Overlays {
			s.Overlays = append(s.Overlays, ov.Name)
		}
		r.Scope = append(r.Scope, s)
	}
	for _, e := range ExtensionsInScope(c, opts) {
		s := diag.Scope{Operator: e.Dir}
		for _, ov := range e.Overlays {
			s.Overlays = append(s.Overlays, ov.Name)
		}
		r.Scope = append(r.Scope, s)
	}
	return r, nil
}
