package lint

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/kustomize/kustomizetest"
)

// idConstants returns the rule id constants ids.go declares, by name.
func idConstants(t *testing.T) map[string]ID {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "ids.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]ID{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			for i, name := range v.Names {
				lit, ok := v.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("ids.go: %s is not a string literal", name.Name)
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				out[name.Name] = ID(s)
			}
		}
	}
	return out
}

// TestEveryIDRegistered: every constant of ids.go has a rule in the
// registry, and every rule of the registry a constant, once.
func TestEveryIDRegistered(t *testing.T) {
	consts := idConstants(t)
	if len(consts) == 0 {
		t.Fatal("no constant found in ids.go")
	}
	for name, id := range consts {
		if _, ok := Lookup(id); !ok {
			t.Errorf("%s (%q) has no rule in the registry", name, id)
		}
	}
	seen := map[ID]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("rule %q is registered twice", r.ID)
		}
		seen[r.ID] = true
		if !slices.Contains(mapsValues(consts), r.ID) {
			t.Errorf("rule %q has no constant in ids.go", r.ID)
		}
	}
}

func mapsValues(m map[string]ID) []ID {
	out := make([]ID, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestEveryRuleNamesAPass: every rule names a pass Run runs, and every
// pass has rules.
func TestEveryRuleNamesAPass(t *testing.T) {
	run := map[check]bool{}
	for _, c := range checks {
		if run[c.id] {
			t.Errorf("pass %d runs twice", c.id)
		}
		run[c.id] = true
	}
	owned := map[check]int{}
	for _, r := range Rules() {
		if !run[r.check] {
			t.Errorf("rule %q names pass %d, which Run does not run", r.ID, r.check)
		}
		owned[r.check]++
	}
	for _, c := range checks {
		if owned[c.id] == 0 {
			t.Errorf("pass %d reports no rule", c.id)
		}
	}
}

// TestReportOutsideTheRegistry: a rule that is not registered, or that
// the running pass does not own, is an internal error of the run, not a
// panic and not a finding.
func TestReportOutsideTheRegistry(t *testing.T) {
	tests := []struct {
		name    string
		current check
		rule    ID
		wantErr bool
	}{
		{"registered and owned", filesCheck, YAMLSyntax, false},
		{"a fact rule from the builds pass", buildsCheck, YAMLSyntax, false},
		{"not registered", filesCheck, ID("no-such-rule"), true},
		{"owned by another pass", patchesCheck, IndexCSVUnknown, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := catalog.FromTree(kustomize.NewTreeFromMap(map[string]string{"a.yaml": "a: 1\n"}), catalog.Options{NoBuild: true})
			p := &pass{c: c, seen: map[string]bool{}, current: tc.current}
			p.report(tc.rule, kustomize.Position{File: "a.yaml", Line: 1, Column: 1}, "", "", "", "message")
			if (p.err != nil) != tc.wantErr {
				t.Errorf("err = %v, want an error: %v", p.err, tc.wantErr)
			}
			if tc.wantErr && len(p.findings) != 0 {
				t.Errorf("findings %v, want none", p.findings)
			}
			if !tc.wantErr && len(p.findings) != 1 {
				t.Errorf("findings %v, want one", p.findings)
			}
		})
	}
}

// TestSkippedPassesChangeNothing: turning off every rule a pass may report
// skips the pass, and the findings are those of a full run without those
// rules, on a reference catalog with findings of most rules.
func TestSkippedPassesChangeNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the rules eleven times on a corpus catalog")
	}
	root := kustomizetest.CorpusCopy(t, corpusCatalog)
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := Run(context.Background(), c, Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no findings on the reference catalog")
	}
	for _, pc := range checks {
		off := map[ID]bool{}
		for id := range checkRules[pc.id] {
			off[id] = true
		}
		var want diag.Findings
		for _, f := range all {
			if !off[ID(f.Rule)] {
				want = append(want, f)
			}
		}
		got, err := Run(context.Background(), c, Config{Off: off}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("pass %d off: got %d findings, want %d", pc.id, len(got), len(want))
		}
	}
}
