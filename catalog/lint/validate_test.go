package lint

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/output"
)

// TestValidateReportScope: the report Validate builds lists the operators
// its summary counts, and every operator a finding names is one of them,
// so every format (JUnit writes a suite per operator) agrees with the
// summary line.
func TestValidateReportScope(t *testing.T) {
	tests := []struct {
		name  string
		root  string
		paths []string
		want  []string // the operators in scope; nil: do not compare
	}{
		{name: "simple, whole catalog", root: "../testdata/simple", want: []string{"mq"}},
		{name: "simple, one operator", root: "../testdata/simple", paths: []string{"mq/operator/overlays/v1.9"}, want: []string{"mq"}},
		{name: "corpus, whole catalog", root: corpusCatalog},
		{name: "corpus, one operator", root: corpusCatalog, paths: []string{"cp4i-operators/apic-connect"}, want: []string{"cp4i-operators/apic-connect"}},
		{name: "corpus, an overlay", root: corpusCatalog, paths: []string{"cp4i-operators/apic-connect/operator/overlays/v2.4"}, want: []string{"cp4i-operators/apic-connect"}},
		{name: "corpus, a group folder", root: corpusCatalog, paths: []string{"cp4i-operators"}},
		{name: "corpus, two operators", root: corpusCatalog, paths: []string{"kafka-strimzi", "openshift-gitops"}, want: []string{"kafka-strimzi", "openshift-gitops"}},
	}
	loaded := map[string]*catalog.Catalog{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(tt.root); err != nil {
				t.Skipf("catalog not found at %s (the reference corpus sits beside the project in development checkouts): %v", tt.root, err)
			}
			c := loaded[tt.root]
			if c == nil {
				var err error
				if c, err = catalog.Load(t.Context(), tt.root, catalog.Options{}); err != nil {
					t.Fatal(err)
				}
				loaded[tt.root] = c
			}
			r, err := Validate(t.Context(), c, Config{}, Options{Paths: tt.paths})
			if err != nil {
				t.Fatal(err)
			}
			var scope []string
			for _, s := range r.Scope {
				scope = append(scope, s.Operator)
			}
			if len(scope) != r.Summary.Operators {
				t.Errorf("scope %v holds %d operators, the summary counts %d", scope, len(scope), r.Summary.Operators)
			}
			if tt.want != nil && !slices.Equal(scope, tt.want) {
				t.Errorf("scope %v, want %v", scope, tt.want)
			}
			for _, f := range r.Findings {
				if f.Operator != "" && !slices.Contains(scope, f.Operator) {
					t.Errorf("finding of operator %s, out of scope %v: %s", f.Operator, scope, f.Message)
				}
			}
			if errs, warns, infos := r.Findings.Count(); errs != r.Summary.Errors || warns != r.Summary.Warnings || infos != r.Summary.Infos {
				t.Errorf("summary %+v, findings count %d/%d/%d", r.Summary, errs, warns, infos)
			}
			if len(r.Rules) != len(Rules()) {
				t.Errorf("%d rules described, want %d", len(r.Rules), len(Rules()))
			}
			// JUnit: the (catalog) suite, then one suite per operator in scope.
			w, err := output.New(output.FormatJUnit, output.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := w.Write(&b, output.FromDiag(r, "opcat", "test")); err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Count(b.String(), "<testsuite "), r.Summary.Operators+1; got != want {
				t.Errorf("JUnit holds %d test suites, want %d: (catalog) and the %d operators the summary counts", got, want, r.Summary.Operators)
			}
		})
	}
}

// TestValidateCancelled: a validation of a large catalog whose context is
// cancelled shortly after it starts returns context.Canceled long before
// a full run would end, whether the cancellation lands while the catalog
// is read and built or while the rules run.
func TestValidateCancelled(t *testing.T) {
	if testing.Short() {
		t.Skip("validates a large catalog twice; skipped in -short mode")
	}
	const root = "../../../shared/corpus/demo-ai-gitops-catalog"
	if _, err := os.Stat(root); err != nil {
		t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", root, err)
	}
	load := func(ctx context.Context) (*catalog.Catalog, error) {
		return catalog.Load(ctx, root, catalog.Options{})
	}
	validate := func(ctx context.Context, c *catalog.Catalog) error {
		_, err := Validate(ctx, c, Config{}, Options{})
		return err
	}

	// The full run, timed in two parts.
	start := time.Now()
	c, err := load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	loadTime := time.Since(start)
	start = time.Now()
	if err := validate(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	lintTime := time.Since(start)
	t.Logf("full run: load %v, rules %v", loadTime, lintTime)

	// Each run is cancelled after some time and must end well before the
	// full run it is part of would: cancellation is looked at between
	// files, between builds and inside the rules that loop over builds.
	cancelled := func(t *testing.T, full, after time.Duration, run func(context.Context) error) {
		t.Helper()
		if full < 4*after {
			t.Skipf("a full run takes %v: too short to cancel %v into it", full, after)
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		time.AfterFunc(after, cancel)
		start := time.Now()
		err := run(ctx)
		took := time.Since(start)
		t.Logf("cancelled %v in: returned after %v (%v)", after, took, err)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled run returned %v, want context.Canceled", err)
		}
		if took >= full/2 {
			t.Errorf("cancelled run took %v, the full run %v: cancellation must stop it well before the end", took, full)
		}
	}
	loadAndValidate := func(ctx context.Context) error {
		c, err := load(ctx)
		if err != nil {
			return err
		}
		return validate(ctx, c)
	}
	t.Run("while reading", func(t *testing.T) {
		cancelled(t, loadTime+lintTime, 50*time.Millisecond, loadAndValidate)
	})
	t.Run("while building", func(t *testing.T) {
		cancelled(t, loadTime+lintTime, loadTime/3, loadAndValidate)
	})
	t.Run("while checking", func(t *testing.T) {
		cancelled(t, lintTime, 50*time.Millisecond, func(ctx context.Context) error { return validate(ctx, c) })
	})
}
