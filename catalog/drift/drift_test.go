package drift

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	goldenfile "github.com/opcat-dev/opcat/lib/golden"
	"github.com/opcat-dev/opcat/lib/index"
)

// fixture is the catalog of the export package: gitops (default overlay
// gitops-1.15, Manual, pinned) and mq (no default; v3.0 chosen here).
const fixture = "../export/testdata/catalog"

var chosen = map[string]string{"mq": "v3.0"}

func desired(t testing.TB) *Desired {
	t.Helper()
	c, err := catalog.Load(context.Background(), fixture, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := DesiredState(c, chosen)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func dump(t testing.TB, name string) *Cluster {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cl, err := ParseDump(name, f)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func render(f diag.Findings) string {
	var b strings.Builder
	for _, x := range f {
		fmt.Fprintf(&b, "%s:%d:%d %s %s [%s/%s] %s\n", x.Path, x.Line, x.Column, x.Severity, x.Rule, x.Operator, x.Overlay, x.Message)
	}
	return b.String()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

func TestCompare(t *testing.T) {
	idx, err := index.Load(context.Background(), "testdata/index", index.Options{Source: "redhat-operators"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dump  string
		index bool
		rules []string // sorted, with repeats
	}{
		{dump: "clean.yaml"},
		{dump: "clean.yaml", index: true, rules: []string{RuleCSVBehindHead}},
		{dump: "edited.yaml", rules: []string{RuleApproval, RuleChannel, RuleOperatorGroupMulti, RuleOperatorGroupTargets, RuleSource, RuleStartingCSV, RuleSubscriptionExtra}},
		{dump: "trouble.yaml", rules: []string{RuleCSVBehindPin, RuleCSVFailed, RuleCSVFailed, RuleInstallPlanPending, RuleOperatorGroupMissing}},
		{dump: "missing.json", rules: []string{RuleOperatorGroupMissing, RuleSubscriptionMissing}},
	}
	d := desired(t)
	for _, tt := range tests {
		name := strings.TrimSuffix(tt.dump, filepath.Ext(tt.dump))
		if tt.index {
			name += "-index"
		}
		t.Run(name, func(t *testing.T) {
			set := index.Set{}
			if tt.index {
				set.Add(idx)
			}
			f := Compare(d, dump(t, tt.dump), set)
			var rules []string
			for _, x := range f {
				rules = append(rules, x.Rule)
				if x.Path == "" || x.Line == 0 {
					t.Errorf("finding without a catalog position: %+v", x)
				}
			}
			slices.Sort(rules)
			if !slices.Equal(rules, tt.rules) {
				t.Errorf("rules %v, want %v\n%s", rules, tt.rules, render(f))
			}
			golden(t, "compare-"+name+".golden", []byte(render(f)))
		})
	}
}

// The desired values carry the catalog positions that set them.
func TestDesiredState(t *testing.T) {
	d := desired(t)
	var got []string
	for _, s := range d.Subscriptions {
		got = append(got, fmt.Sprintf("Subscription %s/%s channel %s at %s", s.Namespace.Value, s.Name.Value, s.Channel.Value, s.Channel.Pos))
	}
	for _, g := range d.OperatorGroups {
		got = append(got, fmt.Sprintf("OperatorGroup %s/%s targets %v at %s", g.Namespace, g.Name, g.Targets, g.Pos))
	}
	want := []string{
		"Subscription openshift-gitops-operator/openshift-gitops-operator channel gitops-1.15 at gitops/operator/overlays/gitops-1.15/patch-channel.yaml:3:10",
		"Subscription mq/ibm-mq channel v3.0 at mq/operator/base/subscription.yaml:7:12",
		"OperatorGroup openshift-gitops-operator/openshift-gitops-operator targets [] at gitops/operator/base/operator-group.yaml:4:9",
		"OperatorGroup mq/mq targets [mq] at mq/operator/base/operator-group.yaml:8:5",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ns := d.Namespaces(); !slices.Equal(ns, []string{"mq", "openshift-gitops-operator"}) {
		t.Errorf("namespaces %v", ns)
	}
}

func TestParseDump(t *testing.T) {
	tests := []struct {
		name, in string
		subs     int
		err      string
	}{
		{name: "stream", in: "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: a, namespace: n}\nspec: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n", subs: 1},
		{name: "json list", in: `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"operators.coreos.com/v1alpha1","kind":"Subscription","metadata":{"name":"a","namespace":"n"}}]}`, subs: 1},
		{name: "typed list", in: "apiVersion: operators.coreos.com/v1alpha1\nkind: SubscriptionList\nitems:\n- apiVersion: operators.coreos.com/v1alpha1\n  kind: Subscription\n  metadata: {name: a, namespace: n}\n", subs: 1},
		{name: "empty", in: "", err: "neither a List nor an OLM object"},
		{name: "not a dump", in: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", err: "dump: neither a List nor an OLM object"},
		{name: "empty list", in: "apiVersion: v1\nkind: List\nitems: []\n", subs: 0},
		{name: "syntax", in: "kind: List\nitems: [\n", err: "dump: line 2"},
		{name: "scalar", in: "hello\n", err: "dump:1:1: not a Kubernetes object"},
		{name: "items not a list", in: "kind: List\nitems: 3\n", err: "dump:2:8: items of a List must be a list"},
		{name: "wrong type", in: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: operators.coreos.com/v1alpha1\n  kind: Subscription\n  metadata: {name: a, namespace: n}\n  spec: {channel: [x]}\n", err: "dump:4:3: Subscription n/a is not what OLM writes"},
	}
	bomb := "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i < 9; i++ {
		bomb += fmt.Sprintf("a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	tests = append(tests, struct {
		name, in string
		subs     int
		err      string
	}{name: "alias bomb", in: bomb + "kind: Subscription\napiVersion: operators.coreos.com/v1alpha1\n", err: "dump:1:1: document contains excessive aliasing"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl, err := ParseDump("dump", strings.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cl.Subscriptions) != tt.subs {
				t.Errorf("%d Subscriptions, want %d", len(cl.Subscriptions), tt.subs)
			}
		})
	}
}

// The YAML dump and the JSON one of the same objects give the same
// cluster.
func TestDumpFormats(t *testing.T) {
	a := dump(t, "clean.yaml")
	if len(a.Subscriptions) != 2 || len(a.OperatorGroups) != 2 || len(a.CSVs) != 2 || len(a.InstallPlans) != 1 || len(a.CatalogSources) != 1 {
		t.Fatalf("clean.yaml: %d subs %d groups %d csvs %d plans %d sources", len(a.Subscriptions), len(a.OperatorGroups), len(a.CSVs), len(a.InstallPlans), len(a.CatalogSources))
	}
	if a.Subscriptions[1].Status.InstalledCSV != "openshift-gitops-operator.v1.15.1" {
		t.Errorf("status not read: %+v", a.Subscriptions[1].Status)
	}
}

func FuzzParseDump(f *testing.F) {
	// Small seeds: the fuzzer minimizes what it finds interesting, and a
	// whole dump makes that slow.
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: operators.coreos.com/v1alpha1\n  kind: Subscription\n" +
		"  metadata: {name: ibm-mq, namespace: mq}\n  spec: {channel: v3.0, name: ibm-mq, startingCSV: ibm-mq.v3.0.1}\n" +
		"  status: {installedCSV: ibm-mq.v3.0.0, state: UpgradePending, installPlanRef: {name: p, namespace: mq}, conditions: [{type: ResolutionFailed, status: \"True\"}]}\n" +
		"- apiVersion: operators.coreos.com/v1\n  kind: OperatorGroup\n  metadata: {name: g, namespace: mq}\n  spec: {targetNamespaces: [mq]}\n" +
		"- apiVersion: operators.coreos.com/v1alpha1\n  kind: InstallPlan\n  metadata: {name: p, namespace: mq}\n  spec: {approval: Manual, approved: false, clusterServiceVersionNames: [ibm-mq.v3.0.1]}\n"))
	f.Add([]byte(`{"kind":"List","items":[{"apiVersion":"operators.coreos.com/v1alpha1","kind":"ClusterServiceVersion","metadata":{"name":"ibm-mq.v3.0.1","namespace":"mq"},"status":{"phase":"Failed"}}]}`))
	f.Add([]byte("kind: List\nitems: [{kind: Subscription, apiVersion: operators.coreos.com/v1alpha1}]"))
	d := desired(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		cl, err := ParseDump("fuzz", bytes.NewReader(data))
		if err != nil {
			return
		}
		Compare(d, cl, nil)
	})
}
