package drift

import (
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/index"
)

// Check compares as Compare does and returns the whole report of the run,
// the one opcat validate's formats render: the findings, their totals, the
// operators compared (each with the overlay selected for it) and the drift
// rules.
func Check(d *Desired, cl *Cluster, idx index.Set) *diag.Report {
	findings := Compare(d, cl, idx)
	errs, warns, infos := findings.Count()
	r := &diag.Report{
		Findings: findings,
		Summary:  diag.Summary{Errors: errs, Warnings: warns, Infos: infos, Operators: len(d.Selection), Kustomizations: len(d.Selection)},
		Rules:    Rules(),
	}
	for _, s := range d.Selection {
		// Findings name operators by folder, as opcat list prints them.
		r.Scope = append(r.Scope, diag.Scope{Operator: s.Operator, Overlays: []string{s.Overlay}})
	}
	return r
}
