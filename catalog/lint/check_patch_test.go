package lint

import (
	"strings"
	"testing"
)

// TestPatchTargetUnmatchedAsKustomize holds patch-target-unmatched to
// kustomize's own selection, on the cases where selecting by hand goes
// wrong: resources from components, original names before an included
// prefix, namespaces, and patches written in components.
func TestPatchTargetUnmatchedAsKustomize(t *testing.T) {
	const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata: {a: \"1\"}\n"
	const component = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
	patch := func(target string) string {
		return "patches:\n  - target: " + target + "\n    patch: '[{\"op\": \"add\", \"path\": \"/data/b\", \"value\": \"2\"}]'\n"
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string // path:line of each patch-target-unmatched finding
		msg   string   // in every such finding's message
	}{
		{
			name: "target from a component",
			files: map[string]string{
				"c/kustomization.yaml": component + "resources: [cm.yaml]\n",
				"c/cm.yaml":            cm,
				"o/kustomization.yaml": "components: [../c]\n" + patch("{kind: ConfigMap, name: cm}"),
			},
		},
		{
			name: "original name before an included prefix",
			files: map[string]string{
				"b/kustomization.yaml": "namePrefix: x-\nresources: [cm.yaml]\n",
				"b/cm.yaml":            cm,
				"o/kustomization.yaml": "resources: [../b]\n" + patch("{kind: ConfigMap, name: cm}"),
			},
		},
		{
			name: "wrong name",
			files: map[string]string{
				"b/kustomization.yaml": "resources: [cm.yaml]\n",
				"b/cm.yaml":            cm,
				"o/kustomization.yaml": "resources: [../b]\n" + patch("{kind: ConfigMap, name: other}"),
			},
			want: []string{"o/kustomization.yaml:3"},
		},
		{
			name: "namespace the kustomization sets after its patches",
			files: map[string]string{
				"b/kustomization.yaml": "resources: [cm.yaml]\n",
				"b/cm.yaml":            cm,
				"o/kustomization.yaml": "namespace: prod\nresources: [../b]\n" + patch("{kind: ConfigMap, namespace: prod}"),
			},
			want: []string{"o/kustomization.yaml:4"},
			msg:  "patches run before the kustomization's own namespace: prod is set",
		},
		{
			name: "component patch applied by one includer of two",
			files: map[string]string{
				"c/kustomization.yaml":  component + patch("{kind: ConfigMap, name: cm}"),
				"b/kustomization.yaml":  "resources: [cm.yaml]\n",
				"b/cm.yaml":             cm,
				"o1/kustomization.yaml": "resources: [../b]\ncomponents: [../c]\n",
				"o2/kustomization.yaml": "resources: [cm2.yaml]\ncomponents: [../c]\n",
				"o2/cm2.yaml":           strings.Replace(cm, "name: cm", "name: other", 1),
			},
		},
		{
			name: "component patch unmatched in every includer, through another component",
			files: map[string]string{
				"c/kustomization.yaml":  component + patch("{kind: ConfigMap, name: nope}"),
				"c2/kustomization.yaml": component + "components: [../c]\n",
				"b/kustomization.yaml":  "resources: [cm.yaml]\n",
				"b/cm.yaml":             cm,
				"o1/kustomization.yaml": "resources: [../b]\ncomponents: [../c]\n",
				"o2/kustomization.yaml": "resources: [../b]\ncomponents: [../c2]\n",
			},
			want: []string{"c/kustomization.yaml:4"},
		},
		{
			name: "component included by nothing is not judged",
			files: map[string]string{
				"c/kustomization.yaml": component + patch("{kind: ConfigMap, name: nope}"),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range lintFiles(t, tc.files) {
				if f.Rule == "patch-target-unmatched" {
					got = append(got, f.Path+":"+itoa(f.Line))
					if !strings.Contains(f.Message, tc.msg) {
						t.Errorf("message %q lacks %q", f.Message, tc.msg)
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("patch-target-unmatched at %v, want %v", got, tc.want)
			}
		})
	}
}
