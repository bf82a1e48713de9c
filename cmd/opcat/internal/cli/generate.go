package cli

import (
	"errors"
	"fmt"

	"github.com/opcat-dev/opcat/generator"

	"github.com/opcat-dev/opcat/lib/output"
)

// planFlags are the flags every generating command takes.
type planFlags struct {
	dryRun bool
	force  bool
}

// finish shows or applies a plan: with --dry-run a unified diff and
// nothing written; otherwise the files, atomically, and a summary on
// stderr. Existing files that would change are refused unless --force.
func finish(g *globalOptions, p *generator.Plan, f planFlags) error {
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
		return nil
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
