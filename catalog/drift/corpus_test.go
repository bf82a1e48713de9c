package drift

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"sigs.k8s.io/yaml"
)

const olmStatus = "../../../shared/corpus/olm-status"

// Subscriptions as OLM writes them on real clusters: a catalog that
// installs exactly their spec finds the trouble their status reports, and
// nothing on the healthy one.
func TestCorpusOLMStatus(t *testing.T) {
	if _, err := os.Stat(olmStatus); err != nil {
		t.Skip("the reference corpus is absent (../shared/corpus/olm-status): nothing to compare with")
	}
	want := map[string][]string{
		"catalog_sources_unhealthy":           {RuleCSVFailed},
		"first_update_with_status":            nil,
		"healthy":                             nil,
		"install_plan_failed":                 {RuleCSVFailed},
		"install_plan_manual_upgrade_pending": {RuleInstallPlanPending},
		"install_plan_manual_upgrade_pending_not_installed_yet": {RuleInstallPlanPending},
		"install_plan_missing": {RuleCSVFailed},
		"install_plan_pending": nil,
		"resolution_failed":    {RuleCSVFailed, RuleCSVFailed},
	}
	files, _ := filepath.Glob(filepath.Join(olmStatus, "argocd-Subscription_testdata_*.yaml"))
	if len(files) != len(want) {
		t.Fatalf("%d fixtures in the corpus, the test knows %d", len(files), len(want))
	}
	var all strings.Builder
	for _, file := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(file), "argocd-Subscription_testdata_"), ".yaml")
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cl, err := ParseDump(filepath.Base(file), f)
			if err != nil {
				t.Fatal(err)
			}
			if len(cl.Subscriptions) != 1 {
				t.Fatalf("%d Subscriptions", len(cl.Subscriptions))
			}
			s := cl.Subscriptions[0]
			spec, err := yaml.Marshal(map[string]any{
				"apiVersion": "operators.coreos.com/v1alpha1", "kind": "Subscription",
				"metadata": map[string]any{"name": s.Name, "namespace": s.Namespace},
				"spec":     s.Spec,
			})
			if err != nil {
				t.Fatal(err)
			}
			tree := kustomize.NewTreeFromMap(map[string]string{
				"op/operator/base/kustomization.yaml":          "resources: [subscription.yaml]\n",
				"op/operator/base/subscription.yaml":           string(spec),
				"op/operator/overlays/kustomization.yaml":      "resources: [./live]\n",
				"op/operator/overlays/live/kustomization.yaml": "resources: [../../base]\n",
			})
			d, err := DesiredState(catalog.FromTree(tree, catalog.Options{}), nil)
			if err != nil {
				t.Fatal(err)
			}
			findings := Compare(d, cl, nil)
			var rules []string
			for _, x := range findings {
				rules = append(rules, x.Rule)
			}
			slices.Sort(rules)
			if !slices.Equal(rules, want[name]) {
				t.Errorf("rules %v, want %v\n%s", rules, want[name], render(findings))
			}
			all.WriteString("== " + name + "\n" + render(findings))
		})
	}
	golden(t, "corpus-olm-status.golden", []byte(all.String()))
}
