package cli

import (
	"errors"
	"fmt"

	"github.com/opcat-dev/opcat/generator"
	"github.com/opcat-dev/opcat/lib/index"

	"github.com/opcat-dev/opcat/lib/output"
)

// planFlags are the flags every generating command takes.
type planFlags struct {
	dryRun bool
	force  bool
	// index is what the planned catalog is checked against, besides the
	// rules that need none.
	index index.Set
}

// finish shows or applies a plan: with --dry-run a unified diff and
// nothing written; otherwise the files, atomically, and a summary on
// stderr. Existing files that would change are refused unless --force.
// The catalog the plan leaves is validated first: an error-level finding
// it brings refuses the change (unless --force), a warning is printed.
func finish(g *globalOptions, p *generator.Plan, f planFlags) error {
	gateErr := gate(g, p, f)
	if gateErr != nil && !f.dryRun {
		return gateErr
	}
	if f.dryRun {
		if err := p.Diff(g.stdout); err != nil {
			return err
		}
		for _, n := range p.Notes {
			fmt.Fprintf(g.stderr, "note: %s\n", output.Escape(n))
		}
		if c := p.Conflicts(); len(c) > 0 && !f.force {
			return failure(&generator.ConflictError{Paths: c})
		}
		return gateErr
	}
	if err := p.Apply(f.force); err != nil {
		var ce *generator.ConflictError
		if errors.As(err, &ce) {
			return failure(err)
		}
		return usageError("%v", err)
	}
	if p.Empty() && !g.quiet {
		fmt.Fprintln(g.stderr, "nothing to change")
	}
	if !g.quiet {
		return p.Summary(g.stderr)
	}
	return nil
}

// planError maps a generator error to an exit code: bad input is 2.
func planError(err error) error {
	var ie *generator.InputError
	if errors.As(err, &ie) {
		return usageError("%s", ie.Msg)
	}
	return usageError("%v", err)
}
