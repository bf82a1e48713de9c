package lint

import (
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// TestFindingsNameOperatorsByFolder: Finding.Operator is the operator's
// folder, as list prints it, for operators installed with a Subscription
// or a ClusterExtension, at the top or in a group.
func TestFindingsNameOperatorsByFolder(t *testing.T) {
	grouped := map[string]string{}
	for k, v := range with(nil) {
		grouped["grp/"+k] = v
	}
	// A Subscription field that the schema refuses, in the grouped copy.
	grouped["grp/mq/operator/base/subscription.yaml"] = strings.Replace(grouped["grp/mq/operator/base/subscription.yaml"], "installPlanApproval: Manual", "installPlanApproval: Sometimes", 1)
	for k, v := range extensionFiles("alpha", `"0.15.x.1"`, "") {
		grouped["grp/"+k] = v
	}
	tests := []struct {
		name  string
		files map[string]string
		rule  string
		want  string
	}{
		{"OLM v1 at the top", extensionFiles("alpha", `"0.15.x.1"`, ""), "clusterextension-version-invalid", "argo"},
		{"OLM v1 in a group", grouped, "clusterextension-version-invalid", "grp/argo"},
		{"Subscription in a group", grouped, "subscription-schema", "grp/mq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := false
			for _, f := range lintWith(t, tt.files, Options{}) {
				if f.Rule != tt.rule {
					continue
				}
				found = true
				if f.Operator != tt.want {
					t.Errorf("%s at %s:%d: operator %q, want %q", f.Rule, f.Path, f.Line, f.Operator, tt.want)
				}
			}
			if !found {
				t.Fatalf("no %s finding", tt.rule)
			}
		})
	}
}

// TestOperatorsInScope: a path selects the operators under it, and a path
// inside an operator's folder the whole operator, of either kind.
func TestOperatorsInScope(t *testing.T) {
	files := with(nil)
	for k, v := range extensionFiles("alpha", `"^0.15.0"`, "") {
		files["grp/"+k] = v
	}
	c := catalog.FromTree(kustomize.NewTreeFromMap(files), catalog.Options{})
	tests := []struct {
		paths []string
		want  string
	}{
		{nil, "mq,grp/argo"},
		{[]string{"mq"}, "mq"},
		{[]string{"mq/operator/overlays/v1.9"}, "mq"},
		{[]string{"grp"}, "grp/argo"},
		{[]string{"grp/argo/operator/base"}, "grp/argo"},
		{[]string{"grp/argo", "mq"}, "mq,grp/argo"},
	}
	for _, tt := range tests {
		var got []string
		for _, op := range OperatorsInScope(c, Options{Paths: tt.paths}) {
			got = append(got, op.Dir)
		}
		for _, e := range ExtensionsInScope(c, Options{Paths: tt.paths}) {
			got = append(got, e.Dir)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("paths %v: operators in scope %v, want %s", tt.paths, got, tt.want)
		}
		if s := Summary(c, nil, Options{Paths: tt.paths}); s.Operators != len(got) {
			t.Errorf("paths %v: summary counts %d operators, want %d", tt.paths, s.Operators, len(got))
		}
	}
}
