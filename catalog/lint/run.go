package lint

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/fsroot"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// Options tune Run. The zero value checks the whole catalog.
type Options struct {
	// Paths limits the check to the operators under these folders
	// (relative to the root) and to the files below them; the rest of the
	// catalog is still read, as the operators depend on it.
	Paths []string
	// Index holds the operator indexes the index-* rules check against, by
	// CatalogSource name; those rules do not run without one.
	Index index.Set
	// RepoURLs are the URLs of the catalog's own Git repository (its
	// remotes), besides Config.RepoURL: the paths of Argo CD objects that
	// deploy from it are checked against the catalog's folders.
	RepoURLs []string
}

// pass is one run of the rules over a catalog.
type pass struct {
	// ctx stops the run: the checks that loop over many builds look at it
	// between builds; nil never stops.
	ctx      context.Context
	c        *catalog.Catalog
	cfg      Config
	opts     Options
	findings diag.Findings
	seen     map[string]bool
	// groupNamespaces holds the namespaces some kustomization renders an
	// OperatorGroup in, computed on first use.
	groupNamespaces map[string]bool
	// groupsBuilt and groupsRead count the kustomizations hasGroup read
	// the build of and the files of.
	groupsBuilt, groupsRead int
	// installTargets are the overlays and overlay-less bases, computed on
	// first use.
	installTargets []target
	// unitMembers memoizes members by the target's folder.
	unitMembers map[string][]member
	// namedChannels says whether the catalog names overlay folders after
	// channels, computed on first use.
	namedChannels *bool
	// current is the pass running.
	current check
	// err is the first internal error: a rule reported that is not
	// registered, or by a pass that does not own it.
	err error
	// includers maps a folder to the kustomizations that include it
	// directly, in folder order, computed on first use.
	includers map[string][]*catalog.Node
}

// Run checks the catalog and returns the findings, sorted. It runs each
// pass once, in a fixed order, and skips a pass whose rules cfg all turns
// off. Once ctx is done it stops (between builds: a build under way runs
// to its end) and returns ctx's error. Any other error is an internal
// error of this package (a rule reported that is not registered), which no
// input can cause.
func Run(ctx context.Context, c *catalog.Catalog, cfg Config, opts Options) (diag.Findings, error) {
	p := &pass{ctx: ctx, c: c, cfg: cfg, opts: opts, seen: map[string]bool{}}
	for _, check := range checks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if check.id.allOff(cfg) {
			continue
		}
		p.current = check.id
		check.run(p)
		if p.err != nil {
			return nil, p.err
		}
	}
	// A check cut short leaves findings missing: they are not a result.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.findings.Sort()
	return p.findings, nil
}

// stopped reports whether the run's context is done; the checks that loop
// over builds look at it between two, and stop.
func (p *pass) stopped() bool {
	return p.ctx != nil && p.ctx.Err() != nil
}

// inScope reports whether findings in file are wanted.
func (p *pass) inScope(file string) bool {
	if len(p.opts.Paths) == 0 {
		return true
	}
	for _, s := range p.opts.Paths {
		s = strings.Trim(path.Clean(s), "/")
		if s == "." || s == "" || file == s || strings.HasPrefix(file, s+"/") {
			return true
		}
		// A path inside an operator selects the whole operator.
		if op := p.c.OperatorOf(s); op != nil && (file == op.Dir || strings.HasPrefix(file, op.Dir+"/")) {
			return true
		}
		if e, _ := p.extensionOwner(s); e != "" && (file == e || strings.HasPrefix(file, e+"/")) {
			return true
		}
	}
	return false
}

// report records a finding unless the rule is off, the path is ignored or
// out of scope, a comment suppresses it, or it was reported already.
func (p *pass) report(rule ID, pos kustomize.Position, operator, overlay, fix, format string, a ...any) {
	p.reportAtLeast(diag.Info, rule, pos, operator, overlay, fix, format, a...)
}

// reportAtLeast reports like report, raising the rule's default severity
// to min for this finding; a severity set in the configuration wins.
func (p *pass) reportAtLeast(min diag.Severity, rule ID, pos kustomize.Position, operator, overlay, fix, format string, a ...any) {
	r, ok := p.registered(rule)
	if !ok {
		return
	}
	if p.cfg.Off[rule] || ignored(p.cfg.Ignore, pos.File) || !p.inScope(pos.File) {
		return
	}
	if data, ok := p.c.Tree.ReadFile(pos.File); ok && suppressed(data, pos.Line, string(rule)) {
		return
	}
	msg := fmt.Sprintf(format, a...)
	key := fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%s", rule, pos.File, pos.Line, pos.Column, msg)
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	sev := max(r.Severity, min)
	if s, ok := p.cfg.Severity[rule]; ok {
		sev = s
	}
	p.findings = append(p.findings, diag.Finding{
		Rule: string(rule), Severity: sev, Path: pos.File, Line: pos.Line, Column: pos.Column,
		Operator: operator, Overlay: overlay, Message: msg, Fix: fix,
	})
}

// owner names the operator and overlay a folder belongs to, for findings.
func (p *pass) owner(dir string) (operator, overlay string) {
	op := p.c.OperatorOf(dir)
	if op == nil {
		return p.extensionOwner(dir)
	}
	for _, list := range [][]*catalog.Overlay{op.Overlays, op.Variants} {
		for _, ov := range list {
			if ov.Dir == dir || strings.HasPrefix(dir, ov.Dir+"/") {
				return op.Dir, ov.Name
			}
		}
	}
	return op.Dir, ""
}

// extensionOwner names the OLM v1 operator (the deepest whose folder holds
// dir) and overlay a folder belongs to, for findings.
func (p *pass) extensionOwner(dir string) (operator, overlay string) {
	dir = path.Clean(dir)
	if real := p.c.Tree.RealPath(dir); real != "" && fsroot.Local(real) {
		dir = real
	}
	var owner *catalog.Extension
	for _, e := range p.c.Extensions() {
		if (dir == e.Dir || strings.HasPrefix(dir, e.Dir+"/")) && (owner == nil || len(e.Dir) > len(owner.Dir)) {
			owner = e
		}
	}
	if owner == nil {
		return "", ""
	}
	for _, ov := range owner.Overlays {
		if ov.Dir == dir || strings.HasPrefix(dir, ov.Dir+"/") {
			return owner.Dir, ov.Name
		}
	}
	return owner.Dir, ""
}

// OperatorsInScope returns the operators whose findings opts.Paths keep
// (every operator without Paths), in catalog order: those Summary counts.
func OperatorsInScope(c *catalog.Catalog, opts Options) []*catalog.Operator {
	p := &pass{c: c, opts: opts}
	var out []*catalog.Operator
	for _, op := range c.Operators {
		if p.inScope(op.Dir) || p.inScope(op.Base.Dir) {
			out = append(out, op)
		}
	}
	return out
}

// ExtensionsInScope returns the operators installed with OLM v1 whose
// findings opts.Paths keep (every one without Paths), sorted by folder.
func ExtensionsInScope(c *catalog.Catalog, opts Options) []*catalog.Extension {
	p := &pass{c: c, opts: opts}
	var out []*catalog.Extension
	for _, e := range c.Extensions() {
		if p.inScope(e.Dir) || p.inScope(e.Base.Dir) {
			out = append(out, e)
		}
	}
	return out
}

// Summary counts the findings, operators and kustomizations in scope.
func Summary(c *catalog.Catalog, f diag.Findings, opts Options) diag.Summary {
	p := &pass{c: c, opts: opts}
	s := diag.Summary{}
	s.Errors, s.Warnings, s.Infos = f.Count()
	s.Operators = len(OperatorsInScope(c, opts)) + len(ExtensionsInScope(c, opts))
	for _, d := range c.Dirs() {
		if p.inScope(d) {
			s.Kustomizations++
		}
	}
	return s
}
