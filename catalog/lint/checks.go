package lint

import "fmt"

// check names one pass of Run over the catalog. Every rule names the pass
// that reports it; the passes that report what lib/kustomize finds (the
// files pass, for what loading finds, and the builds pass, for what
// building finds) also report every rule RuleFor returns.
type check int

// The passes, in the order Run runs them.
const (
	filesCheck check = iota
	buildsCheck
	kustomizationsCheck
	patchesCheck
	subscriptionsCheck
	namespacesCheck
	operatorsCheck
	indexCheck
	argoCDCheck
	clusterExtensionsCheck
)

// checks are the passes in the order Run runs them: a finding of one pass
// that repeats one of an earlier pass is dropped, so the order is part of
// the output.
var checks = []struct {
	id  check
	run func(*pass)
}{
	{filesCheck, (*pass).checkFiles},
	{buildsCheck, (*pass).checkBuilds},
	{kustomizationsCheck, (*pass).checkKustomizations},
	{patchesCheck, (*pass).checkPatches},
	{subscriptionsCheck, (*pass).checkSubscriptions},
	{namespacesCheck, (*pass).checkNamespaces},
	{operatorsCheck, (*pass).checkOperators},
	{indexCheck, (*pass).checkIndex},
	{argoCDCheck, (*pass).checkArgoCD},
	{clusterExtensionsCheck, (*pass).checkClusterExtensions},
}

// checkRules holds, for each pass, the rules it may report: those that
// name it, and for the files and builds passes every rule RuleFor returns.
var checkRules = func() map[check]map[ID]bool {
	m := map[check]map[ID]bool{}
	add := func(c check, id ID) {
		if m[c] == nil {
			m[c] = map[ID]bool{}
		}
		m[c][id] = true
	}
	for _, r := range rules {
		add(r.check, r.ID)
	}
	for _, c := range []check{filesCheck, buildsCheck} {
		for _, id := range causeRules {
			add(c, id)
		}
	}
	return m
}()

// allOff reports whether cfg turns off every rule pass c may report: the
// pass would report nothing, so Run skips it.
func (c check) allOff(cfg Config) bool {
	for id := range checkRules[c] {
		if !cfg.Off[id] {
			return false
		}
	}
	return true
}

// registered returns the rule, when the pass running may report it: a
// rule that is not registered, or that another pass owns, is an error in
// this package, which Run returns instead of findings.
func (p *pass) registered(id ID) (Rule, bool) {
	r, ok := Lookup(id)
	switch {
	case !ok:
		p.internal(fmt.Errorf("lint: internal error: rule %q is not registered", id))
	case !checkRules[p.current][id]:
		p.internal(fmt.Errorf("lint: internal error: rule %q is reported by a pass that does not own it", id))
		ok = false
	}
	return r, ok
}

// internal records the first internal error of the run.
func (p *pass) internal(err error) {
	if p.err == nil {
		p.err = err
	}
}
