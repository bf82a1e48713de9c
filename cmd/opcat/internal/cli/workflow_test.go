package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkflowFromNothing drives every generating command to build a
// catalog from nothing, as an architect would, and checks the result builds
// and validates with nothing to report even with --strict; every command
// run a second time changes nothing.
func TestWorkflowFromNothing(t *testing.T) {
	root := t.TempDir()
	idx := "ibm-operator-catalog=" + abs(t, "testdata/index/ibm-mq.yaml") // --index is relative to -C
	steps := [][]string{
		{"init", "--title", "Platform operators"},
		{"add", "operator", "ibm-eventstreams", "--name", "event-streams", "--group", "cp4i-operators", "--source", "ibm-operator-catalog",
			"--channel", "v3.0", "--channel", "v3.1", "--csv", "v3.1=ibm-eventstreams.v3.1.0", "--approval", "Manual"},
		{"add", "operator", "strimzi-kafka-operator", "--namespace", "kafka", "--source", "community-operators",
			"--channel", "strimzi-0.38.x", "--approval", "Manual", "--csv", "strimzi-0.38.x=strimzi-cluster-operator.v0.38.0"},
		{"add", "operator", "ibm-mq", "--index", idx, "--namespace", "mq"},
		{"add", "overlay", "event-streams", "v3.2", "--csv", "ibm-eventstreams.v3.2.0", "--default"},
		{"fix"},
	}
	for _, args := range steps {
		full := append([]string{"-C", root}, args...)
		if r := run(t, full...); r.code != 0 {
			t.Fatalf("opcat %s: %s", strings.Join(args, " "), r)
		}
		r := run(t, full...)
		if r.code != 0 || (args[0] != "fix" && !strings.Contains(r.stderr, "nothing to change")) {
			t.Errorf("second opcat %s: %s", strings.Join(args, " "), r)
		}
	}
	r := run(t, "-C", root, "validate", "--strict")
	if r.code != 0 || !strings.Contains(r.stdout, "0 errors, 0 warnings") {
		t.Errorf("validate --strict: %s", r)
	}
	r = run(t, "-C", root, "validate", "--strict", "--index", idx, "ibm-mq")
	if r.code != 0 || !strings.Contains(r.stdout, "0 errors, 0 warnings") {
		t.Errorf("validate --strict --index on the operator added from the index: %s", r)
	}
	r = run(t, "-C", root, "list", "-o", "json")
	for _, want := range []string{`"name": "event-streams"`, `"defaultOverlay": "v3.2"`, `"name": "strimzi-kafka-operator"`, `"namespace": "kafka"`, `"package": "ibm-mq"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("list -o json lacks %s:\n%s", want, r.stdout)
		}
	}
	for _, f := range []string{"README.md", ".opcat.yaml", ".github/workflows/validate.yaml", "kafka/README.md",
		"strimzi-kafka-operator/operator/base/operator-group.yaml", "cp4i-operators/event-streams/operator/overlays/v3.2/patch-channel.yaml"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil && f != "kafka/README.md" {
			t.Errorf("%s was not written: %v", f, err)
		}
	}
}

// TestConfigCannotReadOutsideTheCatalog: indexes that .opcat.yaml names,
// and .opcat.yaml itself, stay inside the catalog root, so a pull request
// cannot make CI read other files.
func TestConfigCannotReadOutsideTheCatalog(t *testing.T) {
	outside := t.TempDir()
	idx := filepath.Join(outside, "index.yaml")
	data, err := os.ReadFile("testdata/index/ibm-mq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(idx, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, indexes := range map[string]string{
		"absolute": idx,
		"dot-dot":  "../" + filepath.Base(outside) + "/index.yaml",
		"a device": "x=/dev/zero",
		"via link": "link/index.yaml",
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
				t.Skip("no symbolic links here:", err)
			}
			if err := os.WriteFile(filepath.Join(root, ".opcat.yaml"), []byte("indexes:\n  - "+indexes+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := run(t, "-C", root, "validate")
			if r.code != 2 || !strings.Contains(r.stderr, ".opcat.yaml") {
				t.Errorf("got %s", r)
			}
		})
	}
	root := t.TempDir()
	if err := os.Symlink(idx, filepath.Join(root, ".opcat.yaml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if r := run(t, "-C", root, "validate"); r.code != 2 || !strings.Contains(r.stderr, "outside the catalog root") {
		t.Errorf(".opcat.yaml linking outside the root: %s", r)
	}
}
