package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// labelsCatalog is init --argocd --example (event-streams v2.3, v2.4,
// v2.5) plus amq-streams (stable, amq-streams-2.7.x), with the repository
// URL named.
func labelsCatalog(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, args := range [][]string{
		{"init", "--argocd", "--example", "--repo-url", "https://git.example.com/ops/catalog.git"},
		{"add", "operator", "amq-streams", "--namespace", "amq-streams", "--channel", "stable", "--channel", "amq-streams-2.7.x", "--default", "stable"},
	} {
		if r := run(t, append([]string{"-C", root, "-q"}, args...)...); r.code != 0 {
			t.Fatalf("%v: %s", args, r)
		}
	}
	return root
}

const labelsDump = driftData + "labels-event-streams-v2.4.yaml"

// export selects the overlays the ApplicationSet deploys to a cluster with
// the labels, from flags or from its cluster Secret, and records them.
func TestExportClusterLabels(t *testing.T) {
	root := labelsCatalog(t)
	secret := filepath.Join(t.TempDir(), "east.yaml")
	os.WriteFile(secret, []byte(`apiVersion: v1
kind: Secret
metadata:
  name: east
  namespace: openshift-gitops
  labels:
    argocd.argoproj.io/secret-type: cluster
    opcat.io/event-streams: v2.3
    opcat.io/amq-streams: amq-streams-2.7.x
stringData:
  name: east
  server: https://api.east.example.com:6443
`), 0o644)
	out := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		code     int
		manifest []string
		err      string
	}{
		{name: "one label", args: []string{"--cluster-label", "opcat.io/event-streams=v2.4"}, manifest: []string{"event-streams/v2.4.yaml"}, err: "amq-streams left out: no ApplicationSet deploys it"},
		{name: "secret", args: []string{"--cluster-labels-file", secret}, manifest: []string{"amq-streams/amq-streams-2.7.x.yaml", "event-streams/v2.3.yaml"}},
		{name: "flag over secret", args: []string{"--cluster-labels-file", secret, "--cluster-label", "opcat.io/amq-streams=stable"}, manifest: []string{"amq-streams/stable.yaml", "event-streams/v2.3.yaml"}},
		{name: "no overlay", args: []string{"--cluster-label", "opcat.io/event-streams=v9"}, code: 2, err: "check the cluster label opcat.io/event-streams=v9"},
		{name: "nothing selected", args: []string{"--cluster-label", "env=prod"}, code: 2, err: "nothing to export"},
		{name: "bad flag", args: []string{"--cluster-label", "=x"}, code: 2, err: "want KEY=VALUE"},
		{name: "bad value", args: []string{"--cluster-label", "opcat.io/event-streams=v 2"}, code: 2, err: "opcat.io/event-streams=\"v 2\""},
		{name: "with overlay", args: []string{"--cluster-label", "a=b", "--overlay", "event-streams=v2.3"}, code: 2, err: "two ways to choose overlays"},
		{name: "missing file", args: []string{"--cluster-labels-file", filepath.Join(out, "none.yaml")}, code: 2, err: "--cluster-labels-file"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(out, itoa(i))
			r := run(t, append([]string{"-C", root, "export", "-o", dir, "--source-commit", strings.Repeat("cd", 20)}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.err) {
				t.Fatalf("%s\nwant exit %d and %q", r, tt.code, tt.err)
			}
			if tt.code != 0 {
				return
			}
			var m struct {
				Cluster struct {
					Name   string
					Labels map[string]string
				}
				Selection []struct{ Manifest string }
			}
			data, err := os.ReadFile(filepath.Join(dir, "export.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range m.Selection {
				got = append(got, strings.TrimPrefix(s.Manifest, "manifests/"))
				if _, err := os.Stat(filepath.Join(dir, s.Manifest)); err != nil {
					t.Error(err)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.manifest, " ") || len(m.Cluster.Labels) == 0 {
				t.Errorf("selected %q, want %q\n%s", got, tt.manifest, data)
			}
			if v := run(t, "export", "--verify", dir); v.code != 0 {
				t.Errorf("verify: %s", v)
			}
		})
	}
}

// drift compares the same selection: the cluster runs event-streams v2.4;
// labels choosing v2.4 find no drift, labels choosing v2.3 find the
// channel, and the default overlays find amq-streams missing too.
func TestDriftClusterLabels(t *testing.T) {
	root := labelsCatalog(t)
	tests := []struct {
		name  string
		args  []string
		code  int
		rules []string
	}{
		{name: "labels match the cluster", args: []string{"--cluster-label", "opcat.io/event-streams=v2.4"}},
		{name: "labels choose another overlay", args: []string{"--cluster-label", "opcat.io/event-streams=v2.3"}, code: 1, rules: []string{"drift-channel", "drift-startingcsv"}},
		{name: "labels choose both", args: []string{"--cluster-label", "opcat.io/event-streams=v2.4", "--cluster-label", "opcat.io/amq-streams=stable"}, code: 1, rules: []string{"drift-operatorgroup-missing", "drift-subscription-missing"}},
		{name: "default overlays", code: 1, rules: []string{"drift-operatorgroup-missing", "drift-subscription-missing", "drift-channel", "drift-csv-behind-pin", "drift-startingcsv"}},
		{name: "no overlay", args: []string{"--cluster-label", "opcat.io/event-streams=v9"}, code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, append([]string{"-C", root, "drift", labelsDump, "--format", "json"}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("%s\nwant exit %d", r, tt.code)
			}
			if tt.code == 2 {
				return
			}
			var rep struct {
				Findings []struct{ Rule string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, f := range rep.Findings {
				rules = append(rules, f.Rule)
			}
			if strings.Join(rules, " ") != strings.Join(tt.rules, " ") {
				t.Errorf("rules %q, want %q\n%s", rules, tt.rules, r)
			}
		})
	}
}
