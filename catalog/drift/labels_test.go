package drift

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/export"
	"github.com/opcat-dev/opcat/generator"
	"github.com/opcat-dev/opcat/lib/argocd"
)

// The desired state by cluster labels is the export's selection: the
// overlay each label names, and nothing of the operators no label names.
func TestDesiredStateByClusterLabels(t *testing.T) {
	root := t.TempDir()
	p, err := generator.Init(generator.InitOptions{Root: root, Example: true, Version: "v1.0.0", ArgoCD: &generator.ArgoCDOptions{}})
	if err == nil {
		err = p.Apply(false)
	}
	if err != nil {
		t.Fatal(err)
	}
	p, err = generator.AddOperator(generator.OperatorOptions{Root: root, Package: "amq-streams", Namespace: "amq-streams", Channels: []string{"stable", "amq-streams-2.7.x"}, Default: "stable"})
	if err == nil {
		err = p.Apply(false)
	}
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		labels   map[string]string
		channels string // namespace/channel of the desired Subscriptions
		skipped  int
	}{
		{labels: map[string]string{"opcat.io/event-streams": "v2.3"}, channels: "event-streams/v2.3", skipped: 1},
		{labels: map[string]string{"opcat.io/event-streams": "v2.4", "opcat.io/amq-streams": "amq-streams-2.7.x"}, channels: "amq-streams/amq-streams-2.7.x event-streams/v2.4"},
		{labels: map[string]string{"opcat.io/amq-streams": "stable"}, channels: "amq-streams/stable", skipped: 1},
	}
	for _, tt := range tests {
		d, err := DesiredStateFor(c, export.Options{Cluster: &export.ClusterOptions{Cluster: argocd.Cluster{Labels: tt.labels}}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range d.Subscriptions {
			got = append(got, s.Namespace.Value+"/"+s.Channel.Value)
		}
		if strings.Join(got, " ") != tt.channels || len(d.Skipped) != tt.skipped || d.Cluster == nil {
			t.Errorf("%v: subscriptions %q, %d skipped; want %q, %d", tt.labels, got, len(d.Skipped), tt.channels, tt.skipped)
		}
		// The cluster runs event-streams v2.4 only: its findings are about
		// what the labels select.
		f, err := os.Open("testdata/labels-event-streams-v2.4.yaml")
		if err != nil {
			t.Fatal(err)
		}
		cl, err := ParseDump("dump", f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		for _, x := range Compare(d, cl, nil) {
			rules = append(rules, x.Rule)
		}
		want := map[string]string{
			"event-streams/v2.3": "drift-channel drift-startingcsv",
			"amq-streams/amq-streams-2.7.x event-streams/v2.4": "drift-operatorgroup-missing drift-subscription-missing",
			"amq-streams/stable": "drift-operatorgroup-missing drift-subscription-missing",
		}[tt.channels]
		if strings.Join(rules, " ") != want {
			t.Errorf("%v: rules %q, want %q", tt.labels, rules, want)
		}
	}
}
