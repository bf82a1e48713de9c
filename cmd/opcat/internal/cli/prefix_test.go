package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A catalog in a subfolder of its repository: sarif and github paths are
// relative to the repository's top, found from .git or given.
func TestPathPrefix(t *testing.T) {
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(repo, "catalogs", "ops")
	if r := run(t, "-C", dir, "init", "--example"); r.code != 0 {
		t.Fatal(r)
	}
	// A finding to report: a CSV outside its channel.
	patch := filepath.Join(dir, "event-streams/operator/overlays/v2.5/patch-channel.yaml")
	b, _ := os.ReadFile(patch)
	if err := os.WriteFile(patch, []byte(strings.Replace(string(b), "ibm-eventstreams.v2.5.1", "ibm-eventstreams.v2.4.0", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "github"}, "file=catalogs/ops/event-streams/operator/overlays/v2.5/patch-channel.yaml,"},
		{[]string{"--format", "sarif"}, `"uri": "catalogs/ops/event-streams/operator/overlays/v2.5/patch-channel.yaml"`},
		{[]string{"--format", "github", "--path-prefix", "."}, "file=event-streams/operator/overlays/v2.5/patch-channel.yaml,"},
		{[]string{"--format", "github", "--path-prefix", "deploy/ops"}, "file=deploy/ops/event-streams/"},
		{[]string{"--format", "json"}, `"path": "event-streams/operator/overlays/v2.5/patch-channel.yaml"`},
	}
	for _, tt := range tests {
		r := run(t, append([]string{"-C", dir, "validate"}, tt.args...)...)
		if !strings.Contains(r.stdout, tt.want) {
			t.Errorf("%v: stdout lacks %q: %s", tt.args, tt.want, r)
		}
	}
}
