package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAddOverlayChannelThatYAMLReadsOtherwise runs the commands of a user
// adding channel yes: the rendered overlay installs the channel "yes".
func TestAddOverlayChannelThatYAMLReadsOtherwise(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, "-C", dir, "init", "--example"); r.code != 0 {
		t.Fatal(r)
	}
	tests := []struct {
		args    []string
		code    int
		overlay string
		want    string // in the render, or in stderr when code is not 0
	}{
		{[]string{"yes"}, 0, "yes", `channel: "yes"`},
		{[]string{"on", "--csv", "on"}, 0, "on", `startingCSV: "on"`},
		{[]string{"1.10"}, 0, "1.10", `channel: "1.10"`},
		{[]string{"a: b"}, 2, "", `channel "a: b" cannot name the overlay's folder`},
		{[]string{"a: b", "--name", "a-b"}, 0, "a-b", `channel: 'a: b'`},
		{[]string{"v9", "--name", "../x"}, 2, "", `overlay name "../x" cannot be a folder name: it holds ".."`},
		{[]string{"v9", "--name", "x\x1by"}, 2, "", "control character"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := run(t, append([]string{"-C", dir, "add", "overlay", "event-streams"}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tt.code, r)
			}
			if tt.code != 0 {
				if !strings.Contains(r.stderr, tt.want) {
					t.Errorf("stderr lacks %q: %s", tt.want, r.stderr)
				}
				return
			}
			r = run(t, "-C", dir, "render", "event-streams/"+tt.overlay)
			if r.code != 0 || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("render: %s\nwant %q", r, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("a refused name created a folder")
	}
}
