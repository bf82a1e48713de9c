package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratorsValidateWhatTheyWrite runs generating commands on a
// catalog made by init --example: each checks the catalog it would write,
// refuses an error-level finding (exit 1, nothing written) unless --force,
// and prints warnings and infos while succeeding.
func TestGeneratorsValidateWhatTheyWrite(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		// want must be in stderr; absent must not.
		want, absent []string
		// written is a file that must exist afterwards (or not, when code is 1).
		written string
	}{
		{name: "another operator beside the example stays clean",
			args:   []string{"add", "operator", "openshift-gitops-operator", "--channel", "latest"},
			absent: []string{"warning", "error", "subscription-approval-mixed"}, written: "openshift-gitops-operator/operator/base/subscription.yaml"},
		{name: "a CSV outside the channel's series is a warning",
			args:    []string{"add", "overlay", "event-streams", "v2.6", "--csv", "ibm-eventstreams.v2.5.0"},
			want:    []string{"event-streams/operator/overlays/v2.6/patch-channel.yaml:6:10: warning: startingCSV ibm-eventstreams.v2.5.0 is version 2.5.0, outside the 2.6 series", "[subscription-csv-channel-mismatch]", "create event-streams/operator/overlays/v2.6/kustomization.yaml"},
			written: "event-streams/operator/overlays/v2.6/patch-channel.yaml"},
		{name: "a CSV with Automatic approval is an info",
			args:    []string{"add", "operator", "ibm-mq", "--namespace", "mq", "--channel", "v3.0", "--csv", "v3.0=ibm-mq.v3.0.0"},
			want:    []string{"info: startingCSV ibm-mq.v3.0.0 with installPlanApproval Automatic pins nothing", "[subscription-startingcsv-automatic]"},
			written: "ibm-mq/operator/overlays/v3.0/patch-channel.yaml"},
		{name: "a second Subscription for one package in one namespace is refused",
			args: []string{"add", "operator", "ibm-eventstreams", "--name", "es-again", "--namespace", "event-streams", "--channel", "v2.5"},
			code: 1, want: []string{"[subscription-duplicate-package]", "refusing the change: the catalog it writes would have"},
			written: "es-again/operator/base/subscription.yaml"},
		{name: "--dry-run shows the diff and refuses too",
			args: []string{"add", "operator", "ibm-eventstreams", "--name", "es-again", "--namespace", "event-streams", "--channel", "v2.5", "--dry-run"},
			code: 1, want: []string{"[subscription-duplicate-package]"}, written: "es-again/operator/base/subscription.yaml"},
		{name: "--force writes it all the same",
			args: []string{"add", "operator", "ibm-eventstreams", "--name", "es-again", "--namespace", "event-streams", "--channel", "v2.5", "--force"},
			want: []string{"[subscription-duplicate-package]", "writing it anyway (--force)"}, written: "es-again/operator/base/subscription.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if r := run(t, "-C", dir, "init", "--example"); r.code != 0 || strings.Contains(r.stderr, "warning") {
				t.Fatalf("init --example: %s", r)
			}
			r := run(t, append([]string{"-C", dir}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("want exit %d, got %s", tt.code, r)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q: %s", w, r)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(r.stderr, a) {
					t.Errorf("stderr has %q: %s", a, r)
				}
			}
			_, err := os.Stat(filepath.Join(dir, tt.written))
			if exists := err == nil; exists != (tt.code == 0 && !strings.Contains(strings.Join(tt.args, " "), "--dry-run")) {
				t.Errorf("%s exists: %v, want the opposite (exit %d)", tt.written, exists, r.code)
			}
			if tt.code == 0 {
				if v := run(t, "-C", dir, "validate"); strings.Contains(v.stdout, "error:") != strings.Contains(strings.Join(tt.args, " "), "--force") {
					t.Errorf("validate after the change: %s", v)
				}
			}
		})
	}
}

// TestReadmeOverlaysInVersionOrder: the README tables list overlays as
// versions, gitops-1.6 before gitops-1.10.
func TestReadmeOverlaysInVersionOrder(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, "-C", dir, "init"); r.code != 0 {
		t.Fatal(r)
	}
	r := run(t, "-C", dir, "add", "operator", "openshift-gitops-operator", "--channel", "gitops-1.10", "--channel", "gitops-1.6", "--channel", "latest", "--channel", "gitops-1.9")
	if r.code != 0 {
		t.Fatal(r)
	}
	b, err := os.ReadFile(filepath.Join(dir, "openshift-gitops-operator", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "| `") {
			order = append(order, strings.Trim(strings.Fields(l)[1], "`"))
		}
	}
	if got := strings.Join(order, ","); got != "latest,gitops-1.6,gitops-1.9,gitops-1.10" {
		t.Errorf("operator README order: %s", got)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "README.md"))
	if !strings.Contains(string(b), "latest, gitops-1.6, gitops-1.9, gitops-1.10") {
		t.Errorf("catalog README:\n%s", b)
	}
}
