package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
)

// TestYAMLSyntaxCulprit points a YAML error at the invisible character
// that causes it, named, at its own line: the fixture indents line 19
// with U+00A0 and the parser stops at line 20.
func TestYAMLSyntaxCulprit(t *testing.T) {
	c, err := catalog.Load(context.Background(), "testdata/nbsp", catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := runCatalog(t, c, Config{}, Options{})
	var got []string
	for _, x := range f {
		if x.Rule == "yaml-syntax" {
			got = append(got, where(diag.Findings{x})[0]+" "+x.Message)
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "deployment.yaml:19:1 [yaml-syntax]") ||
		!strings.Contains(got[0], "U+00A0 (non-breaking space) in the indentation of line 19") {
		t.Errorf("yaml-syntax findings:\n%s\nwant one at deployment.yaml:19:1 naming U+00A0 (non-breaking space)", strings.Join(got, "\n"))
	}

	tests := []struct {
		name, text, at, says string
	}{
		{"after a colon", "a:\u00a0b\nc: [\n", "x.yaml:1:3", "U+00A0 (non-breaking space) after the :"},
		{"narrow no-break space indenting", "spec:\n  containers:\n\u202f\u202f\u202f\u202f- name: web\n      image: x\n", "x.yaml:3:1", "U+202F (narrow non-breaking space) in the indentation"},
		// A non-breaking space inside a value is text, not the culprit.
		{"in a value", "a: \"x\u00a0y\"\nb: [\n", "x.yaml:2", "did not find expected node content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lintFiles(t, map[string]string{"x.yaml": tt.text})
			if len(f) != 1 || f[0].Rule != "yaml-syntax" {
				t.Fatalf("findings:\n%s", describe(f))
			}
			at := f[0].Path + ":" + itoa(f[0].Line)
			if strings.Count(tt.at, ":") == 2 {
				at += ":" + itoa(f[0].Column)
			}
			if at != tt.at || !strings.Contains(f[0].Message, tt.says) {
				t.Errorf("got %s: %s\nwant %s saying %q", at, f[0].Message, tt.at, tt.says)
			}
		})
	}
}

func TestRemotePin(t *testing.T) {
	tests := []struct {
		entry  string
		pinned bool
		fix    string // part of the fix, for an unpinned entry
	}{
		{"github.com/org/repo//deploy?ref=v1.2.0", true, ""},
		{"github.com/org/repo//deploy?ref=main", false, "?ref="},
		{"https://github.com/org/repo/deploy", false, "add ?ref="},
		{"https://github.com/org/repo/deploy?ref=0123456789abcdef0123456789abcdef01234567", true, ""},
		{"https://github.com/kubernetes-sigs/nfs-subdir-external-provisioner/deploy", false, "add ?ref="},
		// Release assets are pinned by their tag; latest is not.
		{"https://github.com/org/repo/releases/download/v0.17.5/controller.yaml", true, ""},
		{"https://github.com/org/repo/releases/latest/download/controller.yaml", false, "download/<tag>"},
		// Raw files: the ref is in the path.
		{"https://raw.githubusercontent.com/kubeflow/mpi-operator/v0.4.0/deploy/v2beta1/mpi-operator.yaml", true, ""},
		{"https://raw.githubusercontent.com/aws-controllers-k8s/runtime/fb8736c08b8552183210437648af1876dea81faf/config/crd/x.yaml", true, ""},
		{"https://raw.githubusercontent.com/squat/generic-device-plugin/main/manifests/generic-device-plugin.yaml", false, "replace the branch main"},
		{"https://raw.githubusercontent.com/rook/rook/refs/heads/release-1.17/deploy/examples/crds.yaml", false, "refs/heads/release-1.17"},
		{"https://raw.githubusercontent.com/rook/rook/refs/tags/v1.17.0/deploy/examples/crds.yaml", true, ""},
		{"https://github.com/NVIDIA/dcgm-exporter/raw/main/grafana/dashboard.json", false, "replace the branch main"},
		{"https://gitlab.com/group/repo/-/raw/v2.1.0/manifest.yaml", true, ""},
		// Plain HTTP files: a version in the path pins them; no ?ref= fix.
		{"https://example.com/downloads/v1.4.2/bundle.yaml", true, ""},
		{"https://example.com/downloads/bundle.yaml", false, "vendor the file"},
	}
	for _, tt := range tests {
		got := remotePin(tt.entry)
		if got.pinned != tt.pinned {
			t.Errorf("%s: pinned %v, want %v (%s)", tt.entry, got.pinned, tt.pinned, got.why)
			continue
		}
		if !tt.pinned && !strings.Contains(got.fix, tt.fix) {
			t.Errorf("%s: fix %q, want it to mention %q", tt.entry, got.fix, tt.fix)
		}
		if !tt.pinned && !strings.Contains(tt.entry, "github.com/org/repo/deploy") && strings.Contains(tt.fix, "?ref=") != strings.Contains(got.fix, "?ref=") {
			t.Errorf("%s: fix %q offers ?ref= where it cannot apply", tt.entry, got.fix)
		}
	}
}

// TestBuildMessageKeepsPaths keeps a JSON pointer in kustomize's message
// whole: only the in-memory root of catalog paths is taken off.
func TestBuildMessageKeepsPaths(t *testing.T) {
	f := lintFiles(t, with(map[string]string{
		"mq/operator/overlays/v1.9/patch-channel.yaml": "- op: remove\n  path: /spec/config\n",
	}))
	for _, x := range f {
		if x.Rule == "kustomize-build" {
			t.Logf("%s", x.Message)
			if strings.Contains(x.Message, "'spec/config'") || strings.Contains(x.Message, " spec/config") {
				t.Errorf("the pointer lost its slash: %s", x.Message)
			}
			return
		}
	}
	// kustomize may report the operation otherwise; then a patch finding
	// must name the path whole.
	for _, x := range f {
		if strings.Contains(x.Message, "spec/config") && !strings.Contains(x.Message, "/spec/config") {
			t.Errorf("the pointer lost its slash: %s", x.Message)
		}
	}
}

// TestFileRefusedNeeded makes a refused file an error when a kustomization
// needs it, and leaves it a warning otherwise.
func TestFileRefusedNeeded(t *testing.T) {
	root := t.TempDir()
	write := func(rel, data string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	big := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: " + strings.Repeat("x", 2000) + "\n"
	write("a/kustomization.yaml", "resources:\n  - big.yaml\n")
	write("a/big.yaml", big)
	write("b/unused.yaml", big)
	c, err := catalog.Load(context.Background(), root, catalog.Options{MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]diag.Severity{}
	for _, x := range runCatalog(t, c, Config{}, Options{}) {
		if x.Rule == "file-refused" {
			got[x.Path] = x.Severity
		}
	}
	if got["a/big.yaml"] != diag.Error || got["b/unused.yaml"] != diag.Warning || len(got) != 2 {
		t.Errorf("file-refused severities %v, want a/big.yaml error (a needs it) and b/unused.yaml warning", got)
	}
}

// TestVariantsAreNotChannelOverlays: an aggregate that includes a channel
// overlay and sets no channel of its own is not checked against its folder
// name, and the channel overlay it includes is reported once, at its own
// folder and the file that sets the channel.
func TestVariantsAreNotChannelOverlays(t *testing.T) {
	files := withOperatorES(with(map[string]string{
		"mq/operator/overlays/v1.9/patch-channel.yaml":       overlayPatch("v2.0", "ibm-mq.v2.0.0"),
		"mq/aggregate/overlays/kata/kustomization.yaml":      "resources:\n  - ../../../operator/overlays/v1.9\n  - ../../../instance\n",
		"mq/instance/kustomization.yaml":                     "resources:\n  - cm.yaml\n",
		"mq/instance/cm.yaml":                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: openshift-operators\n",
		"mq/examples/basic/kustomization.yaml":               "resources:\n  - ../../operator/overlays/v1.9\n",
		"mq/operator/overlays/v1.9-debug/kustomization.yaml": "resources:\n  - ../v1.9\nlabels:\n  - pairs:\n      debug: \"true\"\n",
	}))
	c := fixtureCatalog(t, files)
	op := c.Operator("mq")
	var variants []string
	for _, v := range op.Variants {
		variants = append(variants, v.Name)
	}
	if got := strings.Join(variants, ","); got != "aggregate/overlays/kata,examples/basic,operator/overlays/v1.9-debug" {
		t.Errorf("variants %s", got)
	}
	var mismatches []string
	for _, f := range runCatalog(t, c, Config{}, Options{}) {
		if f.Rule == "overlay-channel-mismatch" {
			mismatches = append(mismatches, where(diag.Findings{f})[0]+" "+f.Message)
		}
	}
	want := `mq/operator/overlays/v1.9/patch-channel.yaml:3:10 [overlay-channel-mismatch] overlay folder mq/operator/overlays/v1.9 sets channel "v2.0" in mq/operator/overlays/v1.9/patch-channel.yaml; its name says otherwise`
	if len(mismatches) != 1 || mismatches[0] != want {
		t.Errorf("overlay-channel-mismatch:\n%s\nwant:\n%s", strings.Join(mismatches, "\n"), want)
	}
}

// TestConventionsConfig: a convention set on applies to a catalog that
// does not follow it, and set off silences a catalog that does.
func TestConventionsConfig(t *testing.T) {
	noPointer := with(map[string]string{"mq/operator/overlays/kustomization.yaml": ""})
	tests := []struct {
		name  string
		files map[string]string
		cfg   string
		want  int
	}{
		{"inferred: no operator has a pointer", noPointer, "", 0},
		{"inferred: half of the operators have one", withOperatorES(noPointer), "", 1},
		{"set on", noPointer, "conventions:\n  default-overlay: on\n", 1},
		{"set off", withOperatorES(noPointer), "conventions:\n  default-overlay: off\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig(".opcat.yaml", []byte(tt.cfg))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			f, err := Run(context.Background(), fixtureCatalog(t, tt.files), cfg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range f {
				if x.Rule == "catalog-default-overlay" {
					n++
				}
			}
			if n != tt.want {
				t.Errorf("%d catalog-default-overlay findings, want %d:\n%s", n, tt.want, describe(f))
			}
		})
	}
	if _, err := ParseConfig(".opcat.yaml", []byte("conventions:\n  pointers: on\n")); err == nil || !strings.Contains(err.Error(), "channel-folders, default-overlay, readme-overlays") {
		t.Errorf("an unknown convention must be refused, listing the known ones: %v", err)
	}
	if _, err := ParseConfig(".opcat.yaml", []byte("conventions:\n  default-overlay: maybe\n")); err == nil {
		t.Errorf("a convention value other than auto, on, off must be refused")
	}
}

// TestModelRuleScopes: rules apply where they say, and no further.
func TestModelRuleScopes(t *testing.T) {
	mqIn := func(ns string) string { return strings.Replace(subscriptionMQ, "NS", ns, 1) }
	tests := []struct {
		name  string
		files map[string]string
		rule  string
		want  int
	}{
		{
			// The OperatorGroup is in a kustomization that does not build
			// (a missing file): its files are read.
			name: "operatorgroup in a folder that does not build",
			files: with(map[string]string{
				"mq/operator/base/subscription.yaml":  mqIn("mq"),
				"mq/setup/kustomization.yaml":         "resources:\n  - operator-group.yaml\n  - missing.yaml\n",
				"mq/setup/operator-group.yaml":        operatorGroup("mq", "mq"),
				"mq/operator/base/kustomization.yaml": "resources:\n  - subscription.yaml\n",
			}),
			rule: "operatorgroup-missing", want: 0,
		},
		{
			name: "operatorgroup nowhere",
			files: with(map[string]string{
				"mq/operator/base/subscription.yaml": mqIn("mq"),
				"mq/setup/kustomization.yaml":        "resources:\n  - missing.yaml\n",
			}),
			rule: "operatorgroup-missing", want: 1,
		},
		{
			// The namespace field of the kustomization that does not build
			// puts its OperatorGroup in mq.
			name: "operatorgroup put in the namespace by a folder that does not build",
			files: with(map[string]string{
				"mq/operator/base/subscription.yaml": mqIn("mq"),
				"mq/setup/kustomization.yaml":        "namespace: mq\nresources:\n  - operator-group.yaml\n  - missing.yaml\n",
				"mq/setup/operator-group.yaml":       operatorGroup("mq", "elsewhere"),
			}),
			rule: "operatorgroup-missing", want: 0,
		},
		{
			name: "chart templates are not manifests",
			files: with(map[string]string{
				"charts/op/Chart.yaml":                "apiVersion: v2\nname: op\nversion: 1.0.0\n",
				"charts/op/templates/namespace.yaml":  "{{- if .Values.create }}\napiVersion: v1\nkind: Namespace\n{{- end }}\n",
				"charts/op/templates/sub/deploy.yaml": "a: {{ .Values.x | quote }\n",
			}),
			rule: "yaml-syntax", want: 0,
		},
		{
			name:  "a template outside a chart is YAML",
			files: with(map[string]string{"charts/op/templates/namespace.yaml": "{{- if .Values.create }}\napiVersion: v1\n"}),
			rule:  "yaml-syntax", want: 1,
		},
		{
			// A component's group-less target, in a build that holds a
			// Knative Subscription named like the OLM one.
			name: "ambiguous target in a component",
			files: with(map[string]string{
				"mq/operator/base/kustomization.yaml":          "resources:\n  - subscription.yaml\n  - knative.yaml\n",
				"mq/operator/base/knative.yaml":                knativeSubscription,
				"components/approval/kustomization.yaml":       "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - target:\n      kind: Subscription\n      name: ibm-mq\n    patch: |-\n      - op: add\n        path: /spec/config\n        value: {}\n",
				"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization(fullTarget) + "components:\n  - ../../../../components/approval\n",
			}),
			rule: "patch-target-ambiguous", want: 1,
		},
		{
			name: "group-less target in a component, no other API's Subscription",
			files: with(map[string]string{
				"components/approval/kustomization.yaml":       "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - target:\n      kind: Subscription\n      name: ibm-mq\n    patch: |-\n      - op: add\n        path: /spec/config\n        value: {}\n",
				"mq/operator/overlays/v1.9/kustomization.yaml": overlayKustomization(fullTarget) + "components:\n  - ../../../../components/approval\n",
			}),
			rule: "patch-target-ambiguous", want: 0,
		},
		{
			// servicemeshoperator.v2.0.5.2 is a real CSV: a warning, and
			// none when an index serves the package.
			name:  "csv off the convention",
			files: with(map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0.1")}),
			rule:  "subscription-csv-format", want: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			f := lintFiles(t, tt.files)
			for _, x := range f {
				if x.Rule == tt.rule {
					n++
					if x.Rule == "subscription-csv-format" && x.Severity != diag.Warning {
						t.Errorf("subscription-csv-format is a %s, want a warning", x.Severity)
					}
				}
			}
			if n != tt.want {
				t.Errorf("%d %s findings, want %d:\n%s", n, tt.rule, tt.want, describe(f))
			}
		})
	}
}

// TestCSVFormatIndexDecides: with an index that serves the package, a CSV
// off the <name>.v<semver> convention is judged by the index alone.
func TestCSVFormatIndexDecides(t *testing.T) {
	files := with(map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": overlayPatch("v1.9", "ibm-mq.v1.9.0.1")})
	var rules []string
	for _, x := range lintWith(t, files, Options{Index: testIndex(t)}) {
		rules = append(rules, x.Rule)
	}
	got := strings.Join(rules, ",")
	if strings.Contains(got, "subscription-csv-format") || !strings.Contains(got, "index-csv-unknown") {
		t.Errorf("rules %s; want index-csv-unknown and no subscription-csv-format", got)
	}
}

// TestReadmeConvention: a README without the overlay list is reported only
// when the configuration asks for the list; one with a stale list always,
// unless the convention is off.
func TestReadmeConvention(t *testing.T) {
	bare := with(map[string]string{"mq/README.md": "# mq\n"})
	stale := with(map[string]string{"mq/README.md": "# mq\n\n" + ReadmeStart + "\n- `v1.8`\n" + ReadmeEnd + "\n"})
	tests := []struct {
		name  string
		files map[string]string
		cfg   string
		want  int
	}{
		{"no list, inferred", bare, "", 0},
		{"no list, on", bare, "conventions:\n  readme-overlays: on\n", 1},
		{"stale list, inferred", stale, "", 1},
		{"stale list, off", stale, "conventions:\n  readme-overlays: off\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig(".opcat.yaml", []byte(tt.cfg))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range runCatalog(t, fixtureCatalog(t, tt.files), cfg, Options{}) {
				if x.Rule == "catalog-readme-stale" {
					n++
				}
			}
			if n != tt.want {
				t.Errorf("%d catalog-readme-stale findings, want %d", n, tt.want)
			}
		})
	}
}
