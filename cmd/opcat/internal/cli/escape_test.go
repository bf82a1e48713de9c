package cli

import (
	"strings"
	"testing"
)

// TestOutputEscapesControls runs commands on a catalog whose YAML values
// and entries hold ESC[2J (clear the screen), CR and BEL: no output may
// carry them raw. A folder name may hold them too: the catalog loads, and
// the paths printed are escaped.
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
	bad := writeCatalog(t, map[string]string{"evil" + raw + "/kustomization.yaml": "resources:\n- missing.yaml\n"})
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"list table", []string{"-C", dir, "list"}, []string{"pkg" + escaped}},
		{"validate text", []string{"-C", dir, "validate"}, []string{"looked for evil/operator/overlays/a/missing" + escaped + ".yaml) [kustomize-missing-path]"}},
		{"validate github", []string{"-C", dir, "validate", "--format", "github"}, []string{"looked for evil/operator/overlays/a/missing" + escaped + ".yaml)\n"}},
		{"render error", []string{"-C", dir, "render", "evil/operator/overlays/a"}, []string{"missing" + escaped}},
		{"folder name", []string{"-C", bad, "validate"}, []string{"evil" + escaped + "/kustomization.yaml:2:3"}},
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

// TestValidateRefusesExplodingBuild checks that a diamond of bases 30
// levels deep is reported instead of built: each level includes both
// kustomizations of the level below, 2^30 resources at the top. (Without
// a namePrefix per level the lower levels fail fast on duplicate names,
// which keeps the test quick; the estimate does not depend on it.)
func TestValidateRefusesExplodingBuild(t *testing.T) {
	files := map[string]string{
		"l0/a/kustomization.yaml": "resources:\n- cm.yaml\n",
		"l0/a/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"l0/b/kustomization.yaml": "resources:\n- cm.yaml\n",
		"l0/b/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
	}
	for i := 1; i <= 30; i++ {
		for _, side := range []string{"a", "b"} {
			files["l"+itoa(i)+"/"+side+"/kustomization.yaml"] = "resources:\n" +
				"- ../../l" + itoa(i-1) + "/a\n- ../../l" + itoa(i-1) + "/b\n"
		}
	}
	r := run(t, "-C", writeCatalog(t, files), "validate", "l30/a")
	want := "l30/a/kustomization.yaml:1:1: error: not built: l30/a/kustomization.yaml would load about 3221225471 kustomizations and resources"
	if r.code != 1 || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "[kustomize-build]") {
		t.Errorf("want exit 1 and %q, got %s", want, r)
	}
}
