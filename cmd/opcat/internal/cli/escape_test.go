package cli

import (
	"strings"
	"testing"
)

// TestOutputEscapesControls runs commands on a catalog whose YAML values
// and entries hold ESC[2J (clear the screen), CR and BEL: no output may
// carry them raw. (A folder name that holds them stops the catalog from
// loading, with an error that is escaped too.)
func TestOutputEscapesControls(t *testing.T) {
	const raw = "\x1b[2J\r\a"
	const escaped = `\x1b[2J\r\x07`
	dir := writeCatalog(t, map[string]string{
		"evil/operator/base/kustomization.yaml":       "resources:\n- subscription.yaml\n",
		"evil/operator/overlays/a/kustomization.yaml": "resources:\n- ../../base\n- \"missing\\e[2J\\r\\a.yaml\"\n",
		"evil/operator/base/subscription.yaml": "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\n" +
			"metadata:\n  name: x\n  namespace: openshift-operators\n" +
			"spec:\n  channel: \"stable\\e[2J\\r\\a\"\n  name: \"pkg\\e[2J\\r\\a\"\n  source: s\n  sourceNamespace: openshift-marketplace\n",
	})
	bad := writeCatalog(t, map[string]string{"evil" + raw + "/kustomization.yaml": "resources: []\n"})
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"list table", []string{"-C", dir, "list"}, []string{"pkg" + escaped}},
		{"validate text", []string{"-C", dir, "validate"}, []string{"looked for evil/operator/overlays/a/missing" + escaped + ".yaml) [kustomize-missing-path]"}},
		{"validate github", []string{"-C", dir, "validate", "--format", "github"}, []string{"looked for evil/operator/overlays/a/missing" + escaped + ".yaml)\n"}},
		{"render error", []string{"-C", dir, "render", "evil/operator/overlays/a"}, []string{"missing" + escaped}},
		{"load error", []string{"-C", bad, "list"}, []string{"evil" + escaped}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.args...)
			out := r.stdout + r.stderr
			if strings.ContainsAny(out, "\x1b\r\a") {
				t.Errorf("output holds raw control characters:\n%q", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, r)
				}
			}
		})
	}
}
