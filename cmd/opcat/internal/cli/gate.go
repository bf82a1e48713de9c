package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/generator"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/index"
)

// checkPlan validates the catalog a plan would leave behind, in memory,
// before anything is written, and returns the findings the plan brings:
// those of the planned catalog that the catalog on disk does not have
// already (an old defect elsewhere does not block a new overlay). The
// rules run with the catalog's .opcat.yaml as the plan leaves it and with
// the indexes the command was given.
func checkPlan(ctx context.Context, p *generator.Plan, set index.Set) (diag.Findings, error) {
	before, after, err := p.Catalogs()
	if err != nil {
		return nil, err
	}
	cfg := lint.Config{}
	if data, ok := p.Content(lint.ConfigFile); ok {
		if c, err := lint.ParseConfig(lint.ConfigFile, data); err == nil {
			cfg = c
		}
	}
	opts := lint.Options{Index: set, RepoURLs: repoURLs(p.Root)}
	old, err := lint.Run(ctx, before, cfg, opts)
	if err != nil {
		return nil, err
	}
	now, err := lint.Run(ctx, after, cfg, opts)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]int, len(old))
	for _, f := range old {
		seen[findingKey(f)]++
	}
	var out diag.Findings
	for _, f := range now {
		if k := findingKey(f); seen[k] > 0 {
			seen[k]--
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// findingKey identifies a finding across two versions of a catalog: lines
// move when a file is edited, so they are left out.
func findingKey(f diag.Finding) string {
	return f.Rule + "\x00" + f.Path + "\x00" + f.Message
}

// writeFindings prints findings the way validate's text format does.
func writeFindings(w io.Writer, findings diag.Findings) {
	for _, f := range findings {
		loc := f.Path
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column)
		}
		fmt.Fprintf(w, "%s: %s: %s [%s]\n", loc, f.Severity, f.Message, f.Rule)
		if f.Fix != "" {
			fmt.Fprintf(w, "  fix: %s\n", f.Fix)
		}
	}
}

// gate runs checkPlan and prints what it finds on stderr. It returns an
// exit-1 error when the plan would leave an error-level finding and force
// is not set.
func gate(g *globalOptions, p *generator.Plan, f planFlags) error {
	if p.Empty() {
		return nil
	}
	findings, err := checkPlan(g.context(), p, f.index)
	if err != nil {
		return usageError("unable to check the planned catalog: %v", err)
	}
	if len(findings) == 0 {
		return nil
	}
	writeFindings(g.stderr, findings)
	errs, _, _ := findings.Count()
	if errs == 0 {
		return nil
	}
	if f.force {
		fmt.Fprintf(g.stderr, "note: writing it anyway (--force) although the change leaves %d error%s\n", errs, pluralS(errs))
		return nil
	}
	return failure(fmt.Errorf("refusing the change: the catalog it writes would have %d error%s (shown above); correct the command or use --force", errs, pluralS(errs)))
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
