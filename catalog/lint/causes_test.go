package lint

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/kustomize"
)

// allCauses returns every cause lib/kustomize defines: the values from the
// zero value up to the first that prints as no cause.
func allCauses() []kustomize.Cause {
	var out []kustomize.Cause
	for c := kustomize.Cause(0); !strings.HasPrefix(c.String(), "Cause("); c++ {
		out = append(out, c)
	}
	return out
}

// TestRuleForEveryCause: every cause is named in the table, by a rule that
// is registered.
func TestRuleForEveryCause(t *testing.T) {
	causes := allCauses()
	if len(causes) < 10 {
		t.Fatalf("found %d causes, want every cause of lib/kustomize: %v", len(causes), causes)
	}
	for _, c := range causes {
		id, ok := causeRules[c]
		if !ok {
			t.Errorf("cause %v names no rule in causeRules", c)
			continue
		}
		if _, ok := Lookup(id); !ok {
			t.Errorf("cause %v names rule %q, which is not registered", c, id)
		}
		if RuleFor(c) != id {
			t.Errorf("RuleFor(%v) = %q, want %q", c, RuleFor(c), id)
		}
	}
	if got := RuleFor(kustomize.Cause(-1)); got != KustomizeBuild {
		t.Errorf("RuleFor(an unknown cause) = %q, want %q", got, KustomizeBuild)
	}
}

// TestRuleForMatchesWhatKustomizeFinds pins the rule of a few causes by
// the finding they give.
func TestRuleForMatchesWhatKustomizeFinds(t *testing.T) {
	tests := []struct {
		cause kustomize.Cause
		want  ID
	}{
		{kustomize.CauseBuild, KustomizeBuild},
		{kustomize.CauseYAMLSyntax, YAMLSyntax},
		{kustomize.CauseDuplicateKey, YAMLDuplicateKey},
		{kustomize.CauseInvalidKustomization, KustomizationInvalid},
		{kustomize.CauseMissingKustomization, KustomizationMissing},
		{kustomize.CauseMissingPath, KustomizeMissingPath},
		{kustomize.CauseOutsideRoot, KustomizeMissingPath},
		{kustomize.CauseRemote, KustomizeRemote},
		{kustomize.CauseHelm, KustomizeHelm},
		{kustomize.CauseRefusedFile, FileRefused},
		{kustomize.CauseNeedsRefusedFile, KustomizeBuild},
		{kustomize.CauseInvalidPatch, PatchInvalid},
		{kustomize.CauseCycle, KustomizeBuild},
		{kustomize.CauseAliasExpansion, KustomizeBuild},
		{kustomize.CauseTooLarge, KustomizeBuild},
		{kustomize.CausePluginConfig, KustomizeBuild},
	}
	for _, tc := range tests {
		t.Run(tc.cause.String(), func(t *testing.T) {
			if got := RuleFor(tc.cause); got != tc.want {
				t.Errorf("RuleFor(%v) = %q, want %q", tc.cause, got, tc.want)
			}
		})
	}
}

// TestKustomizeSpeaksNoRuleID keeps the rule vocabulary out of
// lib/kustomize: no non-test file there holds a rule id in quotes. The
// library reports causes; this package names the rules.
func TestKustomizeSpeaksNoRuleID(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "lib", "kustomize", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	scanned := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scanned++
		text := string(data)
		for _, r := range Rules() {
			for _, quoted := range []string{strconv.Quote(string(r.ID)), "`" + string(r.ID) + "`"} {
				if i := strings.Index(text, quoted); i >= 0 {
					line := strings.Count(text[:i], "\n") + 1
					t.Errorf("%s:%d: rule id %s in lib/kustomize; report a kustomize.Cause and map it in RuleFor", f, line, quoted)
				}
			}
		}
	}
	if scanned == 0 {
		t.Fatal("no Go file found in ../../lib/kustomize")
	}
}
