package lint

import (
	"context"
	"maps"
	"sort"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/olm"
	yaml "go.yaml.in/yaml/v3"
)

// cleanCatalog is a catalog with no finding at all; each rule case changes
// a few files of it.
var cleanCatalog = map[string]string{
	"mq/operator/base/kustomization.yaml": `resources:
  - subscription.yaml
`,
	"mq/operator/base/subscription.yaml": `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: ibm-mq
  namespace: openshift-operators
spec:
  channel: v1.8
  installPlanApproval: Manual
  name: ibm-mq
  source: ibm-operator-catalog
  sourceNamespace: openshift-marketplace
  startingCSV: ibm-mq.v1.8.0
`,
	"mq/operator/overlays/kustomization.yaml": `resources:
  - ./v1.9
`,
	"mq/operator/overlays/v1.9/kustomization.yaml": `resources:
  - ../../base
patches:
  - path: patch-channel.yaml
    target:
      group: operators.coreos.com
      version: v1alpha1
      kind: Subscription
      name: ibm-mq
`,
	"mq/operator/overlays/v1.9/patch-channel.yaml": `- op: replace
  path: /spec/channel
  value: v1.9
- op: replace
  path: /spec/startingCSV
  value: ibm-mq.v1.9.0
`,
}

const subscriptionMQ = `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: ibm-mq
  namespace: NS
spec:
  channel: v1.8
  installPlanApproval: Manual
  name: ibm-mq
  source: ibm-operator-catalog
  sourceNamespace: openshift-marketplace
  startingCSV: ibm-mq.v1.8.0
`

func operatorGroup(name, ns string) string {
	return "apiVersion: operators.coreos.com/v1\nkind: OperatorGroup\nmetadata:\n  name: " + name +
		"\n  namespace: " + ns + "\nspec:\n  targetNamespaces:\n    - " + ns + "\n"
}

func overlayPatch(channel, csv string) string {
	return "- op: replace\n  path: /spec/channel\n  value: " + channel + "\n- op: replace\n  path: /spec/startingCSV\n  value: " + csv + "\n"
}

func overlayKustomization(target string) string {
	return "resources:\n  - ../../base\npatches:\n  - path: patch-channel.yaml\n    target:\n" + target
}

const fullTarget = "      group: operators.coreos.com\n      version: v1alpha1\n      kind: Subscription\n      name: ibm-mq\n"

func lintFiles(t *testing.T, files map[string]string) diag.Findings {
	t.Helper()
	return lintWith(t, files, Options{})
}

// testIndex is the index of the index-* rule cases, served as the
// ibm-operator-catalog CatalogSource.
func testIndex(t testing.TB) index.Set {
	t.Helper()
	idx, err := index.Load(context.Background(), "testdata/index", index.Options{Source: "ibm-operator-catalog"})
	if err != nil {
		t.Fatal(err)
	}
	set := index.Set{}
	set.Add(idx)
	return set
}

func lintWith(t *testing.T, files map[string]string, opts Options) diag.Findings {
	t.Helper()
	c := catalog.FromTree(kustomize.NewTreeFromMap(files), catalog.Options{})
	f, err := Run(context.Background(), c, Config{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func with(overrides map[string]string) map[string]string {
	files := maps.Clone(cleanCatalog)
	for k, v := range overrides {
		if v == "" {
			delete(files, k)
			continue
		}
		files[k] = v
	}
	return files
}

func TestCleanCatalogHasNoFinding(t *testing.T) {
	if f := lintFiles(t, cleanCatalog); len(f) != 0 {
		t.Fatalf("the clean fixture has findings:\n%s", describe(f))
	}
	if f := lintWith(t, cleanCatalog, Options{Index: testIndex(t)}); len(f) != 0 {
		t.Fatalf("the clean fixture has findings against the index:\n%s", describe(f))
	}
}

// knativeSubscription is a Subscription of another API group with the
// name of the catalog's OLM Subscription.
const knativeSubscription = "apiVersion: messaging.knative.dev/v1\nkind: Subscription\nmetadata:\n  name: ibm-mq\n  namespace: events\n" +
	"spec:\n  channel: v1.8\n  startingCSV: none\n"

// withOperatorES adds to overrides a second operator, es, that follows the
// layout conventions: a default-overlay pointer, and an overlay folder
// named after the channel it sets.
func withOperatorES(overrides map[string]string) map[string]string {
	out := maps.Clone(overrides)
	out["es/operator/base/kustomization.yaml"] = "resources:\n  - subscription.yaml\n"
	out["es/operator/base/subscription.yaml"] = strings.ReplaceAll(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "ibm-mq", "ibm-eventstreams")
	out["es/operator/overlays/kustomization.yaml"] = "resources:\n  - v1.9\n"
	out["es/operator/overlays/v1.9/kustomization.yaml"] = strings.ReplaceAll(overlayKustomization(fullTarget), "ibm-mq", "ibm-eventstreams")
	out["es/operator/overlays/v1.9/patch-channel.yaml"] = overlayPatch("v1.9", "ibm-eventstreams.v1.9.0")
	return out
}

func describe(f diag.Findings) string {
	var b strings.Builder
	for _, x := range f {
		b.WriteString(x.Path + ":" + itoa(x.Line) + ":" + itoa(x.Column) + ": " + x.Message + " [" + x.Rule + "]\n")
	}
	return b.String()
}

// TestRules proves each rule on a fixture that triggers it (at the given
// position) and on a near-identical one that does not.
func TestRules(t *testing.T) {
	tests := []struct {
		rule    string
		trigger map[string]string
		at      string // path:line:col of the finding
		clean   map[string]string
		index   bool // check against testdata/index
		repo    bool // the catalog's repository is acmeRepo
	}{
		{
			rule:    "yaml-syntax",
			trigger: map[string]string{"mq/notes.yaml": "a: b: c\n"},
			at:      "mq/notes.yaml:1",
			clean:   map[string]string{"mq/notes.yaml": "a: b\n"},
		},
		{
			rule:    "yaml-duplicate-key",
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": "- op: replace\n  path: /spec/channel\n  value: v1.9\n  value: v1.9\n"},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:4:3",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": "- op: replace\n  path: /spec/channel\n  value: v1.9\n- op: replace\n  path: /spec/startingCSV\n  value: ibm-mq.v1.9.0\n"},
		},
		{
			rule:    "kustomization-invalid",
			trigger: map[string]string{"mq/operator/overlays/kustomization.yaml": "base:\n  - ./v1.9\n"},
			at:      "mq/operator/overlays/kustomization.yaml:1:1",
			clean:   map[string]string{"mq/operator/overlays/kustomization.yaml": "resources:\n  - ./v1.9\n"},
		},
		{
			rule: "kustomization-missing",
			trigger: map[string]string{
				"mq/extra/cm.yaml":                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
				"mq/operator/base/kustomization.yaml": "resources:\n  - subscription.yaml\n  - ../../extra\n",
			},
			at: "mq/operator/base/kustomization.yaml:3:5",
			clean: map[string]string{
				"mq/extra/cm.yaml":                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
				"mq/operator/base/kustomization.yaml": "resources:\n  - subscription.yaml\n  - ../../extra/cm.yaml\n",
			},
		},
		{
			rule:    "kustomize-missing-path",
			trigger: map[string]string{"mq/operator/overlays/v1.9/kustomization.yaml": strings.Replace(overlayKustomization(fullTarget), "patch-channel.yaml", "patch-chanel.yaml", 1)},
			at:      "mq/operator/overlays/v1.9/kustomization.yaml:4:11",
			clean:   map[string]string{"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization(fullTarget)},
		},
		{
			rule: "kustomize-build",
			trigger: map[string]string{"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization(fullTarget) +
				"  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: absent\n      data: {a: b}\n"},
			at: "mq/operator/overlays/v1.9/kustomization.yaml",
			clean: map[string]string{"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization(fullTarget) +
				"  - patch: |-\n      apiVersion: operators.coreos.com/v1alpha1\n      kind: Subscription\n      metadata:\n        name: ibm-mq\n        namespace: openshift-operators\n      spec: {config: {}}\n"},
		},
		{
			rule:    "kustomize-deprecated",
			trigger: map[string]string{"mq/operator/overlays/kustomization.yaml": "bases:\n  - ./v1.9\n"},
			at:      "mq/operator/overlays/kustomization.yaml:1:1",
			clean:   map[string]string{"mq/operator/overlays/kustomization.yaml": "resources:\n  - ./v1.9\n"},
		},
		{
			rule:    "kustomize-remote-unpinned",
			trigger: map[string]string{"remote/kustomization.yaml": "resources:\n  - github.com/org/repo//deploy?ref=main\n"},
			at:      "remote/kustomization.yaml:2:5",
			clean:   map[string]string{"remote/kustomization.yaml": "resources:\n  - github.com/org/repo//deploy?ref=v1.2.3\n"},
		},
		{
			rule:    "kustomize-remote",
			trigger: map[string]string{"remote/kustomization.yaml": "resources:\n  - github.com/org/repo//deploy?ref=v1.2.3\n"},
			at:      "remote/kustomization.yaml:2:5",
			clean:   map[string]string{"remote/kustomization.yaml": "resources:\n  - deploy.yaml\n", "remote/deploy.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"},
		},
		{
			rule:    "kustomize-helm",
			trigger: map[string]string{"chart/kustomization.yaml": "helmCharts:\n  - name: web\n    version: 1.0.0\n"},
			at:      "chart/kustomization.yaml:1:1",
			clean:   map[string]string{"chart/kustomization.yaml": "resources:\n  - web.yaml\n", "chart/web.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n"},
		},
		{
			rule:    "file-refused",
			trigger: map[string]string{"mq/kustomization.yaml/notes.txt": "a folder named like a kustomization file\n"},
			at:      "mq/kustomization.yaml",
			clean:   map[string]string{"mq/kustomizations/notes.txt": "a folder named otherwise\n"},
		},
		{
			rule:    "patch-invalid",
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": "- op: replase\n  path: /spec/channel\n  value: v1.9\n"},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:1:7",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0")},
		},
		{
			rule:    "patch-target-unmatched",
			trigger: map[string]string{"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization(strings.Replace(fullTarget, "name: ibm-mq", "name: ibm-mqq", 1))},
			at:      "mq/operator/overlays/v1.9/kustomization.yaml:4:5",
			clean:   map[string]string{"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization(fullTarget)},
		},
		{
			rule:    "patch-path-missing",
			trigger: map[string]string{"mq/operator/base/subscription.yaml": strings.Replace(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "  startingCSV: ibm-mq.v1.8.0\n", "", 1)},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:4:3",
			clean: map[string]string{
				"mq/operator/base/subscription.yaml":           strings.Replace(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "  startingCSV: ibm-mq.v1.8.0\n", "", 1),
				"mq/operator/overlays/v1.9/patch-channel.yaml": strings.Replace(overlayPatch("v1.9", "ibm-mq.v1.9.0"), "- op: replace\n  path: /spec/startingCSV", "- op: add\n  path: /spec/startingCSV", 1),
			},
		},
		{
			// Only where the build holds a Subscription of another group.
			rule: "patch-target-ambiguous",
			trigger: map[string]string{
				"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization("      kind: Subscription\n      name: ibm-mq\n"),
				"mq/operator/base/kustomization.yaml":          "resources:\n  - subscription.yaml\n  - knative.yaml\n",
				"mq/operator/base/knative.yaml":                knativeSubscription,
			},
			at: "mq/operator/overlays/v1.9/kustomization.yaml:4:5",
			clean: map[string]string{
				"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization("      kind: Subscription\n      name: ibm-mq\n"),
			},
		},
		{
			rule:    "subscription-schema",
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0") + "- op: add\n  path: /spec/chanel\n  value: v1.9\n"},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:7:3",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0") + "- op: add\n  path: /spec/config\n  value: {}\n"},
		},
		{
			rule:    "subscription-placeholder",
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "patch-me-see-overlays-dir")},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:6:10",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0")},
		},
		{
			rule:    "subscription-csv-format",
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq-1.9")},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:6:10",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.1")},
		},
		{
			rule:    "subscription-csv-channel-mismatch",
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.8.0")},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:6:10",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0")},
		},
		{
			rule:    "subscription-startingcsv-automatic",
			trigger: map[string]string{"mq/operator/base/subscription.yaml": strings.Replace(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "Manual", "Automatic", 1)},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:6:10",
			clean:   map[string]string{"mq/operator/base/subscription.yaml": strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1)},
		},
		{
			rule: "subscription-duplicate-package",
			trigger: map[string]string{
				"mq/operator/base/kustomization.yaml": "resources:\n  - subscription.yaml\n  - second.yaml\n",
				"mq/operator/base/second.yaml":        strings.Replace(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "name: ibm-mq\n  namespace", "name: ibm-mq-2\n  namespace", 1),
			},
			at: "mq/operator/base/second.yaml:2:7",
			clean: map[string]string{
				"mq/operator/base/kustomization.yaml": "resources:\n  - subscription.yaml\n  - second.yaml\n",
				"mq/operator/base/second.yaml": strings.Replace(strings.Replace(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "name: ibm-mq\n  namespace", "name: ibm-mq-2\n  namespace", 1),
					"  name: ibm-mq\n  source", "  name: ibm-mq-tools\n  source", 1),
			},
		},
		{
			rule: "subscription-approval-mixed",
			trigger: map[string]string{
				"es/base/kustomization.yaml": "resources:\n  - subscription.yaml\n",
				"es/base/subscription.yaml":  strings.ReplaceAll(strings.Replace(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "Manual", "Automatic", 1), "ibm-mq", "ibm-eventstreams"),
			},
			at: "mq/operator/base/subscription.yaml:2:7",
			clean: map[string]string{
				"es/base/kustomization.yaml": "resources:\n  - subscription.yaml\n",
				"es/base/subscription.yaml":  strings.ReplaceAll(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "ibm-mq", "ibm-eventstreams"),
			},
		},
		{
			// Only where the catalog names overlays after channels: es does,
			// so half of the operators do.
			rule:    "overlay-channel-mismatch",
			trigger: withOperatorES(map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v2.0", "ibm-mq.v2.0.0")}),
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:3:10",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v2.0", "ibm-mq.v2.0.0")},
		},
		{
			rule:    "operatorgroup-missing",
			trigger: map[string]string{"mq/operator/base/subscription.yaml": strings.Replace(subscriptionMQ, "NS", "mq", 1)},
			at:      "mq/operator/base/subscription.yaml:5:14",
			clean: map[string]string{
				"mq/operator/base/subscription.yaml":   strings.Replace(subscriptionMQ, "NS", "mq", 1),
				"mq/operator/base/kustomization.yaml":  "resources:\n  - subscription.yaml\n  - operator-group.yaml\n",
				"mq/operator/base/operator-group.yaml": operatorGroup("mq", "mq"),
			},
		},
		{
			rule: "operatorgroup-multiple",
			trigger: map[string]string{
				"mq/operator/base/subscription.yaml":     strings.Replace(subscriptionMQ, "NS", "mq", 1),
				"mq/operator/base/kustomization.yaml":    "resources:\n  - subscription.yaml\n  - operator-group.yaml\n  - operator-group-2.yaml\n",
				"mq/operator/base/operator-group.yaml":   operatorGroup("mq", "mq"),
				"mq/operator/base/operator-group-2.yaml": operatorGroup("mq-2", "mq"),
			},
			at: "mq/operator/base/operator-group-2.yaml:2:7",
			clean: map[string]string{
				"mq/operator/base/subscription.yaml":   strings.Replace(subscriptionMQ, "NS", "mq", 1),
				"mq/operator/base/kustomization.yaml":  "resources:\n  - subscription.yaml\n  - operator-group.yaml\n",
				"mq/operator/base/operator-group.yaml": operatorGroup("mq", "mq"),
			},
		},
		{
			// Only where the catalog uses pointers: es has one.
			rule:    "catalog-default-overlay",
			trigger: withOperatorES(map[string]string{"mq/operator/overlays/kustomization.yaml": ""}),
			at:      "mq/operator/overlays/v1.9/kustomization.yaml:1:1",
			clean:   map[string]string{"mq/operator/overlays/kustomization.yaml": ""},
		},
		{
			rule: "catalog-overlay-duplicate",
			trigger: map[string]string{
				"mq/extra/overlays/v1.9/kustomization.yaml": "resources:\n  - ../../../operator/base\npatches:\n  - path: patch.yaml\n    target:\n" + fullTarget,
				"mq/extra/overlays/v1.9/patch.yaml":         overlayPatch("v1.9", "ibm-mq.v1.9.0"),
			},
			at: "mq/operator/overlays/v1.9/kustomization.yaml:1:1",
			clean: map[string]string{
				"mq/extra/overlays/v1.9-extra/kustomization.yaml": "resources:\n  - ../../../operator/base\npatches:\n  - path: patch.yaml\n    target:\n" + fullTarget,
				"mq/extra/overlays/v1.9-extra/patch.yaml":         overlayPatch("v1.9", "ibm-mq.v1.9.0"),
			},
		},
		{
			rule:    "subscription-unused",
			trigger: map[string]string{"mq/old/subscription.yaml": strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1)},
			at:      "mq/old/subscription.yaml:2:7",
			clean: map[string]string{
				"mq/old/Chart.yaml":                  "apiVersion: v2\nname: old\nversion: 1.0.0\n",
				"mq/old/templates/subscription.yaml": strings.Replace(subscriptionMQ, "NS", "{{ .Values.namespace }}", 1),
			},
		},
		{
			rule:    "catalog-readme-stale",
			trigger: map[string]string{"mq/README.md": "# mq\n\n" + ReadmeStart + "\n- `v1.8`\n" + ReadmeEnd + "\n"},
			at:      "mq/README.md:3:1",
			clean:   map[string]string{"mq/README.md": "# mq\n\n" + ReadmeStart + "\n| Overlay | Channel |\n| --- | --- |\n| `v1.9` | v1.9 |\n" + ReadmeEnd + "\n"},
		},
		{
			rule:    "index-package-unknown",
			index:   true,
			trigger: map[string]string{"mq/operator/base/subscription.yaml": strings.Replace(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "  name: ibm-mq\n  source", "  name: ibm-mqq\n  source", 1)},
			at:      "mq/operator/base/subscription.yaml:9:9",
			// Served by another CatalogSource than the index given: not judged.
			clean: map[string]string{"mq/operator/base/subscription.yaml": strings.Replace(strings.Replace(strings.Replace(subscriptionMQ, "NS", "openshift-operators", 1), "  name: ibm-mq\n  source", "  name: ibm-mqq\n  source", 1), "ibm-operator-catalog", "community-operators", 1)},
		},
		{
			rule:    "index-channel-unknown",
			index:   true,
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9.x", "ibm-mq.v1.9.0")},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:3:10",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0")},
		},
		{
			rule:    "index-csv-unknown",
			index:   true,
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.9")},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:6:10",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0")},
		},
		{
			rule:    "index-csv-not-in-channel",
			index:   true,
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.8.0")},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:6:10",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.8.1")},
		},
		{
			rule:  "index-installmode-unsupported",
			index: true,
			trigger: map[string]string{
				"mq/operator/base/subscription.yaml":   strings.Replace(subscriptionMQ, "NS", "mq", 1),
				"mq/operator/base/kustomization.yaml":  "resources:\n  - subscription.yaml\n  - operator-group.yaml\n",
				"mq/operator/base/operator-group.yaml": strings.Replace(operatorGroup("mq", "mq"), "    - mq\n", "    - apps\n", 1),
			},
			at: "mq/operator/base/operator-group.yaml:2:7",
			clean: map[string]string{
				"mq/operator/base/subscription.yaml":   strings.Replace(subscriptionMQ, "NS", "mq", 1),
				"mq/operator/base/kustomization.yaml":  "resources:\n  - subscription.yaml\n  - operator-group.yaml\n",
				"mq/operator/base/operator-group.yaml": operatorGroup("mq", "mq"),
			},
		},
		{
			rule:  "index-upgrade-gap",
			index: true,
			trigger: map[string]string{
				"mq/operator/overlays/v1.8/kustomization.yaml": overlayKustomization(fullTarget),
				"mq/operator/overlays/v1.8/patch-channel.yaml": overlayPatch("v1.8", "ibm-mq.v1.8.0"),
			},
			at: "mq/operator/overlays/v1.9/patch-channel.yaml:6:10",
			clean: map[string]string{
				"mq/operator/overlays/v1.8/kustomization.yaml": overlayKustomization(fullTarget),
				"mq/operator/overlays/v1.8/patch-channel.yaml": overlayPatch("v1.8", "ibm-mq.v1.8.1"),
			},
		},
		{
			rule:  "index-deprecated",
			index: true,
			trigger: map[string]string{
				"mq/operator/overlays/v1.7/kustomization.yaml": overlayKustomization(fullTarget),
				"mq/operator/overlays/v1.7/patch-channel.yaml": overlayPatch("v1.7", "ibm-mq.v1.7.0"),
			},
			at: "mq/operator/overlays/v1.7/patch-channel.yaml:3:10",
			clean: map[string]string{
				"mq/operator/overlays/v1.8/kustomization.yaml": overlayKustomization(fullTarget),
				"mq/operator/overlays/v1.8/patch-channel.yaml": overlayPatch("v1.8", "ibm-mq.v1.8.1"),
			},
		},
		{
			rule:    "argocd-schema",
			trigger: map[string]string{"argocd/mq.yaml": argoApp(acmeRepo, "mq/operator/overlays/v1.9", "prune: \"yes\"")},
			at:      "argocd/mq.yaml:14:40",
			clean:   map[string]string{"argocd/mq.yaml": argoApp(acmeRepo, "mq/operator/overlays/v1.9", "prune: true")},
		},
		{
			rule:    "argocd-path",
			repo:    true,
			trigger: map[string]string{"argocd/mq.yaml": argoApp("git@github.com:acme/catalog.git", "mq/operator/overlays/v2.0", "prune: true")},
			at:      "argocd/mq.yaml:9:11",
			clean:   map[string]string{"argocd/mq.yaml": argoApp("git@github.com:acme/catalog.git", "mq/operator/overlays/v1.9", "prune: true")},
		},
		{
			rule:    "argocd-placeholder",
			trigger: map[string]string{"argocd/mq.yaml": argoApp("<this repository>", "mq/operator/overlays/v1.9", "prune: true")},
			at:      "argocd/mq.yaml:8:21",
			clean:   map[string]string{"argocd/mq.yaml": argoApp(acmeRepo, "mq/operator/overlays/v1.9", "prune: true")},
		},
		{
			rule:    "clusterextension-schema",
			trigger: extensionFiles("alpha", `"^0.15.0"`, "upgradeConstraintPolicy: Always"),
			at:      "argo/operator/base/clusterextension.yaml:13:32",
			clean:   extensionFiles("alpha", `"^0.15.0"`, "upgradeConstraintPolicy: CatalogProvided"),
		},
		{
			rule:    "clusterextension-version-invalid",
			trigger: extensionFiles("alpha", `"0.15.x.1"`, ""),
			at:      "argo/operator/base/clusterextension.yaml:12:16",
			clean:   extensionFiles("alpha", `"0.15.x"`, ""),
		},
		{
			rule:    "clusterextension-package-unknown",
			index:   true,
			trigger: withCatalogSelector(withExtensionPatch("alpha", `"^0.15.0"`, "- op: replace\n  path: /spec/source/catalog/packageName\n  value: argo-operator\n")),
			at:      "argo/operator/overlays/alpha/patch.yaml:3:10",
			clean:   withCatalogSelector(withExtensionPatch("alpha", `"^0.15.0"`, "- op: replace\n  path: /spec/source/catalog/packageName\n  value: argocd-operator\n")),
		},
		{
			rule:    "clusterextension-channel-unknown",
			index:   true,
			trigger: withExtensionPatch("alpha", `"^0.15.0"`, "- op: replace\n  path: /spec/source/catalog/channels\n  value: [gamma]\n"),
			at:      "argo/operator/overlays/alpha/patch.yaml:3:10",
			clean:   withExtensionPatch("alpha", `"^0.15.0"`, "- op: replace\n  path: /spec/source/catalog/channels\n  value: [alpha]\n"),
		},
		{
			rule:    "clusterextension-version-unmatched",
			index:   true,
			trigger: withExtensionPatch("alpha", `"^0.15.0"`, "- op: add\n  path: /spec/source/catalog/version\n  value: \">=0.15.2 <0.16.0\"\n"),
			at:      "argo/operator/overlays/alpha/patch.yaml:3:10",
			clean:   withExtensionPatch("alpha", `"^0.15.0"`, "- op: add\n  path: /spec/source/catalog/version\n  value: \">=0.15.1 <0.16.0\"\n"),
		},
		{
			rule:    "clusterextension-installmode-unsupported",
			index:   true,
			trigger: extensionFiles("alpha", `">=0.15.0"`, ""),
			at:      "argo/operator/base/clusterextension.yaml:10:20",
			clean:   extensionFiles("alpha", `"<0.16.0"`, ""),
		},
		{
			rule:    "clusterextension-dependencies",
			index:   true,
			trigger: extensionFiles("beta", `""`, ""),
			at:      "argo/operator/base/clusterextension.yaml:10:20",
			clean:   extensionFiles("alpha", `""`, "selector: {matchLabels: {olm.operatorframework.io/metadata.name: ibm-operator-catalog}}"),
		},
		{
			rule:    "index-channel-behind",
			index:   true,
			trigger: map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.8.1")},
			at:      "mq/operator/overlays/v1.9/patch-channel.yaml:6:10",
			clean:   map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0")},
		},
	}
	covered := map[ID]bool{}
	for _, tt := range tests {
		covered[ID(tt.rule)] = true
		t.Run(tt.rule, func(t *testing.T) {
			opts := Options{}
			if tt.index {
				opts.Index = testIndex(t)
			}
			if tt.repo {
				opts.RepoURLs = []string{acmeRepo}
			}
			got := lintWith(t, with(tt.trigger), opts)
			found := false
			for _, f := range got {
				if f.Rule != tt.rule {
					continue
				}
				at := f.Path
				if f.Line > 0 {
					at += ":" + itoa(f.Line)
				}
				if f.Column > 0 && strings.Count(tt.at, ":") == 2 {
					at += ":" + itoa(f.Column)
				}
				if at == tt.at {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s finding at %s; findings:\n%s", tt.rule, tt.at, describe(got))
			}
			for _, f := range lintWith(t, with(tt.clean), opts) {
				if f.Rule == tt.rule {
					t.Errorf("near-identical clean fixture still has %s at %s:%d:%d: %s", tt.rule, f.Path, f.Line, f.Column, f.Message)
				}
			}
		})
	}
	var missing []string
	for _, r := range Rules() {
		if !covered[r.ID] {
			missing = append(missing, string(r.ID))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("rules without a test case: %v", missing)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// A strategic-merge patch that starts with a document marker is not a JSON
// patch (it used to be taken for one because it starts with "-").
func TestStrategicMergeWithDocumentMarker(t *testing.T) {
	files := with(map[string]string{
		"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization(fullTarget) + "  - path: smp.yaml\n",
		"mq/operator/overlays/v1.9/smp.yaml":           "---\napiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: ibm-mq\n  namespace: openshift-operators\nspec:\n  config: {}\n",
	})
	if f := lintFiles(t, files); len(f) != 0 {
		t.Errorf("findings:\n%s", describe(f))
	}
}

// TestPointerSetInLists: replace on a list index overwrites the element,
// add inserts before it.
func TestPointerSetInLists(t *testing.T) {
	parse := func(s string) *yaml.Node {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(s), &n); err != nil {
			t.Fatal(err)
		}
		return n.Content[0]
	}
	doc := parse("env: [a, b]")
	pointerSet(doc, "/env/0", parse("x"), true)
	pointerSet(doc, "/env/0", parse("y"), false)
	pointerSet(doc, "/env/-", parse("z"), false)
	var got []string
	_, env := kustomize.Lookup(doc, "env")
	for _, e := range env.Content {
		got = append(got, e.Value)
	}
	if strings.Join(got, ",") != "y,x,b,z" {
		t.Errorf("env = %v, want [y x b z]", got)
	}
}

func TestMentionsSeries(t *testing.T) {
	tests := []struct {
		csv, channel string
		want         bool
	}{
		{"apicurio-registry-operator.v1.0.0-v2.0.0.final", "2.x", true},
		{"apicurio-registry-operator.v1.0.0-v2.0.0.final", "v2.x", true},
		{"apicurio-registry-operator.v1.0.0-v2.0.0.final", "v3.x", false},
		{"openshift-gitops-operator.v1.6.1-0.1666124167.p", "v1.6", false},
		{"ibm-apiconnect.v2.4.1", "v2.5", false},
	}
	for _, tt := range tests {
		csv, err := olm.ParseCSVName(tt.csv)
		if err != nil {
			t.Fatal(err)
		}
		series, ok := olm.ChannelSeries(tt.channel)
		if !ok {
			t.Fatalf("channel %s implies no series", tt.channel)
		}
		if got := mentionsSeries(csv.Version.Prerelease(), series); got != tt.want {
			t.Errorf("mentionsSeries(%s, %s) = %v, want %v", tt.csv, tt.channel, got, tt.want)
		}
	}
}

const acmeRepo = "https://github.com/acme/catalog.git"

// argoApp is an Argo CD Application deploying path of repo; automated is
// what its syncPolicy.automated holds.
func argoApp(repo, path, automated string) string {
	return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: mq
  namespace: openshift-gitops
spec:
  project: default
  source: {repoURL: "` + repo + `", targetRevision: main,
    path: ` + path + `}
  destination:
    server: https://kubernetes.default.svc
    namespace: openshift-operators
  syncPolicy:
    automated: {selfHeal: true, ` + automated + `}
`
}

// extensionFiles is an OLM v1 operator: a base with a ClusterExtension of
// argocd-operator in channel, with version (a YAML scalar) and an extra
// line under spec.source.catalog.
func extensionFiles(channel, version, extra string) map[string]string {
	if extra != "" {
		extra = "      " + extra + "\n"
	}
	return map[string]string{
		"argo/operator/base/kustomization.yaml": "resources:\n  - clusterextension.yaml\n",
		"argo/operator/base/clusterextension.yaml": `apiVersion: olm.operatorframework.io/v1
kind: ClusterExtension
metadata:
  name: argo
spec:
  namespace: argo
  source:
    sourceType: Catalog
    catalog:
      packageName: argocd-operator
      channels: [` + channel + `]
      version: ` + version + "\n" + extra,
	}
}

// withExtensionPatch adds an overlay alpha that applies patch to it.
func withExtensionPatch(channel, version, patch string) map[string]string {
	files := extensionFiles(channel, version, "")
	files["argo/operator/overlays/alpha/kustomization.yaml"] = `resources: [../../base]
patches:
  - path: patch.yaml
    target: {group: olm.operatorframework.io, version: v1, kind: ClusterExtension, name: argo}
`
	files["argo/operator/overlays/alpha/patch.yaml"] = patch
	return files
}

// withCatalogSelector makes the ClusterExtension select the ClusterCatalog
// ibm-operator-catalog, which the test index stands for.
func withCatalogSelector(files map[string]string) map[string]string {
	files["argo/operator/base/clusterextension.yaml"] += "      selector: {matchLabels: {olm.operatorframework.io/metadata.name: ibm-operator-catalog}}\n"
	return files
}
