package lint

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// PatchOracleRow is the differential verdict on one patch entry: what
// removing it changes, beside what patch-target-unmatched says of it.
type PatchOracleRow struct {
	// Pos is where the patch entry is written.
	Pos kustomize.Position
	// Known is false when no build that runs the patch succeeds.
	Known bool
	// Changed: removing the patch changes the output of at least one build
	// that runs it (its kustomization's, or for a Component those of the
	// kustomizations that include it), or makes it fail.
	Changed bool
	// Finding: patch-target-unmatched is reported on the entry.
	Finding bool
	// Probe is what the probe build says of a patch with a target whose
	// removal changes nothing (PatchUnknown for a patch without target).
	Probe kustomize.PatchVerdict
}

// Disagrees reports a finding on a patch whose removal changes a build
// (the patch is applied, so the finding is false), or no finding on a patch
// that changes nothing and that the probe calls unmatched.
func (r PatchOracleRow) Disagrees() bool {
	return r.Known && (r.Changed && r.Finding || !r.Changed && !r.Finding && r.Probe == kustomize.PatchUnmatched)
}

// String writes the row as one line: the patch, what removing it changes and
// whether it has a finding, marked DISAGREE when those two disagree.
func (r PatchOracleRow) String() string {
	state := "not judged (no build that runs it succeeds)"
	switch {
	case !r.Known:
	case r.Changed:
		state = "changes the build"
	default:
		state = "changes nothing (probe: " + r.Probe.String() + ")"
	}
	f := "no finding"
	if r.Finding {
		f = string(PatchTargetUnmatched)
	}
	mark := ""
	if r.Disagrees() {
		mark = "DISAGREE "
	}
	return fmt.Sprintf("%s%s: %s; %s", mark, r.Pos, state, f)
}

// PatchOracle checks patch-target-unmatched, as reported in findings,
// against a differential oracle: for every patch entry of every
// kustomization, it removes the entry and builds again every kustomization
// that runs it. A patch whose removal changes a build is applied, and must
// have no finding. A patch whose removal changes nothing is unmatched or
// applied without effect; the probe build tells which. It is how the rule
// is proved on real catalogs; it costs two builds per patch.
func PatchOracle(c *catalog.Catalog, findings diag.Findings) []PatchOracleRow {
	reported := map[kustomize.Position]bool{}
	for _, f := range findings {
		if ID(f.Rule) == PatchTargetUnmatched {
			reported[kustomize.Position{File: f.Path, Line: f.Line, Column: f.Column}] = true
		}
	}
	p := &pass{c: c}
	includers := p.componentIncluders()
	type task struct {
		n      *catalog.Node
		pr     kustomize.PatchRef
		builds []string
	}
	var tasks []task
	for _, dir := range c.Dirs() {
		n := c.Kustomizations[dir]
		if n.Node == nil || c.Tree.RealPath(dir) != dir {
			continue // a folder reached through a link builds as its real folder
		}
		var builds []string
		if n.Role == catalog.RoleComponent {
			for _, d := range includers[dir] {
				if c.Kustomizations[d].Result.Err == nil {
					builds = append(builds, d)
				}
			}
		} else if n.Result.Err == nil {
			builds = []string{dir}
		}
		for _, pr := range n.Patches() {
			tasks = append(tasks, task{n, pr, builds})
		}
	}
	rows := make([]PatchOracleRow, len(tasks))
	b := kustomize.NewBuilder(c.Tree)
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0) && w < len(tasks); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				t := tasks[i]
				r := PatchOracleRow{Pos: t.pr.Pos, Finding: reported[t.pr.Pos]}
				for _, d := range t.builds {
					without, ok := b.BuildWithoutPatch(d, t.n.Kustomization, t.pr)
					if !ok {
						continue
					}
					r.Known = true
					if without.Err != nil || !bytes.Equal(without.YAML(), c.Kustomizations[d].Result.YAML()) {
						r.Changed = true
						break
					}
				}
				if r.Known && !r.Changed && t.pr.Target != nil {
					r.Probe = kustomize.PatchUnmatched
					for _, d := range t.builds {
						if v := b.PatchApplies(d, t.n.Kustomization, t.pr); v != kustomize.PatchUnmatched {
							r.Probe = v
							break
						}
					}
				}
				rows[i] = r
			}
		}()
	}
	for i := range tasks {
		work <- i
	}
	close(work)
	wg.Wait()
	return rows
}
