package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// namingCatalog writes a catalog whose operator folders exercise the naming
// rule: mq (a folder, and the last element of cp4i/mq too), cp4i/es (a
// unique last element), a/gitops and b/gitops (an ambiguous one), and
// links/es, a folder link to cp4i/es, when the system has links. Every
// operator has overlays v1 and v2, v2 the default; indexes/index.yaml gives
// each package a channel v3 more.
func namingCatalog(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{}
	var index strings.Builder
	for dir, pkg := range map[string]string{"mq": "ibm-mq", "cp4i/mq": "cp4i-mq", "cp4i/es": "ibm-es", "a/gitops": "gitops-a", "b/gitops": "gitops-b"} {
		files[dir+"/operator/base/kustomization.yaml"] = "resources:\n  - subscription.yaml\n"
		files[dir+"/operator/base/subscription.yaml"] = "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: " + pkg +
			"\n  namespace: openshift-operators\nspec:\n  channel: v1\n  installPlanApproval: Automatic\n  name: " + pkg +
			"\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n"
		files[dir+"/operator/overlays/kustomization.yaml"] = "resources:\n  - ./v2\n"
		for _, ch := range []string{"v1", "v2"} {
			files[dir+"/operator/overlays/"+ch+"/kustomization.yaml"] = "resources:\n  - ../../base\npatches:\n  - target:\n      group: operators.coreos.com\n      version: v1alpha1\n      kind: Subscription\n      name: " + pkg +
				"\n    patch: |-\n      - op: replace\n        path: /spec/channel\n        value: " + ch + "\n"
		}
		index.WriteString("---\nschema: olm.package\nname: " + pkg + "\ndefaultChannel: v3\n")
		for _, ch := range []string{"v1", "v2", "v3"} {
			index.WriteString("---\nschema: olm.channel\npackage: " + pkg + "\nname: " + ch + "\nentries:\n  - name: " + pkg + "." + ch + ".0.0\n")
			index.WriteString("---\nschema: olm.bundle\nname: " + pkg + "." + ch + ".0.0\npackage: " + pkg + "\nproperties:\n  - type: olm.package\n    value:\n      packageName: " + pkg + "\n      version: " + strings.TrimPrefix(ch, "v") + ".0.0\n")
		}
	}
	files["indexes/index.yaml"] = index.String()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "links"), 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.Symlink("../cp4i/es", filepath.Join(root, "links", "es"))
	return root
}

// hasLink reports whether namingCatalog could make its folder link.
func hasLink(root string) bool {
	st, err := os.Lstat(filepath.Join(root, "links", "es"))
	return err == nil && st.Mode()&os.ModeSymlink != 0
}

// TestOperatorNames: every command that takes an operator takes the same
// names (folder, alias through a folder link, unique last element) and
// refuses an ambiguous or unknown one with exit 2, naming the candidates.
func TestOperatorNames(t *testing.T) {
	root := namingCatalog(t)
	idx := "redhat-operators=indexes/index.yaml" // relative to -C
	tests := []struct {
		name string
		args []string
		code int
		want []string // in stdout
		err  []string // in stderr
		link bool
	}{
		{name: "validate folder", args: []string{"validate", "cp4i/es"}, want: []string{"in 1 operator"}},
		{name: "validate last element", args: []string{"validate", "es"}, want: []string{"in 1 operator"}},
		{name: "validate group path", args: []string{"validate", "cp4i"}, want: []string{"in 2 operators"}},
		{name: "validate alias", args: []string{"validate", "links/es"}, want: []string{"in 1 operator"}, link: true},
		{name: "validate folder over last element", args: []string{"validate", "mq", "--format", "json"}, want: []string{`"operators": 1`}},
		{name: "validate ambiguous", args: []string{"validate", "gitops"}, code: 2, err: []string{`operator name "gitops" is ambiguous: it names a/gitops, b/gitops; give the folder`}},
		{name: "validate unknown", args: []string{"validate", "nope"}, code: 2, err: []string{`unknown operator "nope"; operators: a/gitops, b/gitops, cp4i/es, cp4i/mq, mq`}},
		{name: "render last element", args: []string{"render", "es"}, want: []string{"channel: v2", "name: ibm-es"}},
		{name: "render last element and overlay", args: []string{"render", "es/v1"}, want: []string{"channel: v1", "name: ibm-es"}},
		{name: "render folder and overlay", args: []string{"render", "cp4i/mq/v1"}, want: []string{"name: cp4i-mq"}},
		{name: "render alias", args: []string{"render", "links/es/v1"}, want: []string{"channel: v1", "name: ibm-es"}, link: true},
		{name: "render ambiguous", args: []string{"render", "gitops/v1"}, code: 2, err: []string{"a/gitops, b/gitops"}},
		{name: "render unknown", args: []string{"render", "nope/v1"}, code: 2, err: []string{`unknown operator "nope/v1"`}},
		{name: "list", args: []string{"list"}, want: []string{"cp4i/es ", "a/gitops "}},
		{name: "list names", args: []string{"list", "es", "a/gitops", "-o", "json"}, want: []string{`"path": "a/gitops"`, `"path": "cp4i/es"`}},
		{name: "list ambiguous", args: []string{"list", "gitops"}, code: 2, err: []string{"a/gitops, b/gitops"}},
		{name: "outdated names", args: []string{"outdated", "es", "--index", idx, "-o", "json"}, code: 1, want: []string{`"operator": "cp4i/es"`}},
		{name: "outdated unknown", args: []string{"outdated", "nope", "--index", idx}, code: 2, err: []string{`unknown operator "nope"`}},
		{name: "sync last element", args: []string{"sync", "es", "--index", idx, "--dry-run"}, want: []string{"+++ b/cp4i/es/operator/overlays/v3/kustomization.yaml"}},
		{name: "sync alias", args: []string{"sync", "links/es", "--index", idx, "--dry-run"}, want: []string{"+++ b/cp4i/es/operator/overlays/v3/kustomization.yaml"}, link: true},
		{name: "sync ambiguous", args: []string{"sync", "gitops", "--index", idx, "--dry-run"}, code: 2, err: []string{"a/gitops, b/gitops"}},
		{name: "add overlay last element", args: []string{"add", "overlay", "es", "v3", "--dry-run"}, want: []string{"+++ b/cp4i/es/operator/overlays/v3/kustomization.yaml"}},
		{name: "add overlay ambiguous", args: []string{"add", "overlay", "gitops", "v3", "--dry-run"}, code: 2, err: []string{"a/gitops, b/gitops"}},
		{name: "export overlay last element", args: []string{"export", "-o", "OUT", "--overlay", "es=v1"}, err: []string{"exported 5 overlays"}},
		{name: "export overlay ambiguous", args: []string{"export", "-o", "OUT", "--overlay", "gitops=v1"}, code: 2, err: []string{"a/gitops, b/gitops"}},
		{name: "drift overlay ambiguous", args: []string{"drift", "DUMP", "--overlay", "gitops=v1"}, code: 2, err: []string{"a/gitops, b/gitops"}},
		{name: "drift overlay unknown", args: []string{"drift", "DUMP", "--overlay", "nope=v1"}, code: 2, err: []string{`unknown operator "nope"`}},
	}
	dump := filepath.Join(t.TempDir(), "dump.yaml")
	if err := os.WriteFile(dump, []byte("apiVersion: v1\nkind: List\nitems: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.link && !hasLink(root) {
				t.Skip("symbolic links unavailable")
			}
			args := []string{"-C", root, "--no-cache"}
			for _, a := range tt.args {
				switch a {
				case "OUT":
					a = filepath.Join(t.TempDir(), "export")
				case "DUMP":
					a = dump
				}
				args = append(args, a)
			}
			r := run(t, args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tt.code, r)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q\n%s", w, r)
				}
			}
			for _, w := range tt.err {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q\n%s", w, r)
				}
			}
		})
	}
}

// TestJUnitSuitesInScope: validate OPERATOR --format junit writes a suite
// for that operator only (and the catalog's), named by its folder as
// findings and list name it.
func TestJUnitSuitesInScope(t *testing.T) {
	root := namingCatalog(t)
	r := run(t, "-C", root, "--no-cache", "validate", "--format", "junit", "es")
	if r.code != 0 {
		t.Fatalf("%s", r)
	}
	if got := junitSuites(r.stdout); strings.Join(got, ",") != "(catalog),cp4i/es" {
		t.Errorf("suites %v, want (catalog) and cp4i/es", got)
	}
	r = run(t, "-C", root, "--no-cache", "validate", "--format", "junit", "cp4i")
	if got := junitSuites(r.stdout); strings.Join(got, ",") != "(catalog),cp4i/es,cp4i/mq" {
		t.Errorf("suites %v, want (catalog), cp4i/es and cp4i/mq", got)
	}
	r = run(t, "-C", root, "--no-cache", "validate", "--format", "junit")
	if got := junitSuites(r.stdout); len(got) != 6 {
		t.Errorf("suites %v, want (catalog) and the 5 operators", got)
	}
}

// TestJUnitSuitesInScopeCorpus: on a real catalog, the suites of a scoped
// run are the operators the summary counts, named as list names them.
func TestJUnitSuitesInScopeCorpus(t *testing.T) {
	root := "../../../../../shared/corpus/eda-gitops-catalog"
	if _, err := os.Stat(root); err != nil {
		t.Skipf("corpus not found at %s (it sits beside the project in development checkouts): %v", root, err)
	}
	for _, arg := range []string{"cp4i-operators/apic-connect", "apic-connect"} {
		r := run(t, "-C", root, "--no-cache", "validate", "--format", "junit", arg)
		if got := junitSuites(r.stdout); strings.Join(got, ",") != "(catalog),cp4i-operators/apic-connect" {
			t.Errorf("validate --format junit %s: suites %v, want (catalog) and cp4i-operators/apic-connect\n%s", arg, got, r.stderr)
		}
		r = run(t, "-C", root, "--no-cache", "validate", "--format", "json", arg)
		var doc struct {
			Findings []struct{ Operator string }
			Summary  struct{ Operators int }
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("%v\n%s", err, r)
		}
		if doc.Summary.Operators != 1 || len(doc.Findings) == 0 {
			t.Fatalf("summary %+v, %d findings; want 1 operator and its findings", doc.Summary, len(doc.Findings))
		}
		for _, f := range doc.Findings {
			if f.Operator != "cp4i-operators/apic-connect" {
				t.Errorf("finding operator %q, want the folder cp4i-operators/apic-connect", f.Operator)
			}
		}
	}
}

// junitSuites returns the names of the test suites of a JUnit report.
func junitSuites(xml string) []string {
	var out []string
	for _, line := range strings.Split(xml, "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, `<testsuite name="`); ok {
			out = append(out, rest[:strings.IndexByte(rest, '"')])
		}
	}
	return out
}

// TestIndexRelativeToDir: --index paths resolve from -C, as PATH arguments
// do; a path that exists only from the current folder is refused with the
// path to give instead.
func TestIndexRelativeToDir(t *testing.T) {
	root := namingCatalog(t)
	if r := run(t, "-C", root, "--no-cache", "validate", "--index", "redhat-operators=indexes/index.yaml"); r.code != 0 {
		t.Errorf("an index relative to -C: %s", r)
	}
	if r := run(t, "-C", root, "index", "channels", "ibm-es", "--index", "indexes/index.yaml"); r.code != 0 || !strings.Contains(r.stdout, "v3") {
		t.Errorf("index channels with an index relative to -C: %s", r)
	}
	if r := run(t, "-C", root, "--no-cache", "validate", "--index", filepath.Join(root, "indexes", "index.yaml")); r.code != 0 {
		t.Errorf("an absolute index: %s", r)
	}
	// From the current folder (the package's), cmd/opcat/internal/cli's
	// own index exists here but not under -C.
	r := run(t, "-C", root, "--no-cache", "validate", "--index", "ibm-operator-catalog="+mqIndex)
	if r.code != 2 || !strings.Contains(r.stderr, "index paths are relative to -C") {
		t.Errorf("an index relative to the current folder only: %s", r)
	}
}

// TestConfigIndexFolderLinkNotFollowed: an index folder that .opcat.yaml
// names may sit in the catalog, but a link inside it that leads out is not
// read.
func TestConfigIndexFolderLinkNotFollowed(t *testing.T) {
	root := namingCatalog(t)
	outside := filepath.Join(t.TempDir(), "index.yaml")
	data, err := os.ReadFile(filepath.Join(root, "indexes", "index.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(outside, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, ".opcat.yaml"), []byte("indexes:\n  - redhat-operators=indexes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "-C", root, "--no-cache", "outdated", "es"); r.code != 1 || !strings.Contains(r.stdout, "channel-new") {
		t.Fatalf("an index folder inside the catalog: %s", r)
	}
	if err := os.Remove(filepath.Join(root, "indexes", "index.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "indexes", "index.yaml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if r := run(t, "-C", root, "--no-cache", "outdated", "es"); r.code != 2 || !strings.Contains(r.stderr, "no OLM package found") {
		t.Errorf("a link out of the catalog inside the index folder: %s", r)
	}
}
