package cli

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runContext calls MainContext as main does, under ctx.
func runContext(ctx context.Context, args ...string) result {
	var stdout, stderr bytes.Buffer
	code := MainContext(ctx, args, strings.NewReader(""), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// TestInterrupted: a run whose context is cancelled (main cancels it on
// SIGINT and SIGTERM) prints "interrupted", with the signal when the
// context names it, writes no report and exits 130, whatever the command.
func TestInterrupted(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	signalled, cancelCause := context.WithCancelCause(context.Background())
	cancelCause(errors.New("interrupt signal received"))
	fresh := filepath.Join(t.TempDir(), "new")
	tests := []struct {
		name   string
		ctx    context.Context
		args   []string
		stderr string
	}{
		{"validate", cancelled, []string{"-C", simple, "--no-cache", "validate"}, "opcat: interrupted\n"},
		{"validate junit", cancelled, []string{"-C", simple, "--no-cache", "validate", "--format", "junit"}, "opcat: interrupted\n"},
		{"validate by signal", signalled, []string{"-C", simple, "--no-cache", "validate"}, "opcat: interrupted: interrupt signal received\n"},
		{"list", cancelled, []string{"-C", simple, "--no-cache", "list"}, "opcat: interrupted\n"},
		{"render", cancelled, []string{"-C", simple, "--no-cache", "render", "mq"}, "opcat: interrupted\n"},
		{"init", cancelled, []string{"-C", fresh, "init", "--example"}, "opcat: interrupted\n"},
		{"export", cancelled, []string{"-C", simple, "--no-cache", "export", "-o", t.TempDir() + "/out"}, "opcat: interrupted\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runContext(tt.ctx, tt.args...)
			// Notes printed before the interruption may come first.
			if r.code != exitInterrupted || !strings.HasSuffix(r.stderr, tt.stderr) || r.stdout != "" {
				t.Errorf("got %v\nwant exit %d, stderr ending in %q and no output", r, exitInterrupted, tt.stderr)
			}
			// An interrupted generator writes nothing.
			if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s exists after an interrupted run (%v)", fresh, err)
			}
		})
	}
}

// TestInterruptedMidRun: validate stops when its context is cancelled
// while it runs, sooner than a full run ends, and exits 130.
func TestInterruptedMidRun(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", corpus, err)
	}
	args := []string{"-C", corpus, "--no-cache", "validate", "--format", "junit"}
	start := time.Now()
	if r := runContext(context.Background(), args...); r.code == exitInterrupted {
		t.Fatalf("a full run was interrupted: %v", r)
	}
	full := time.Since(start)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const after = 50 * time.Millisecond
	time.AfterFunc(after, cancel)
	start = time.Now()
	r := runContext(ctx, args...)
	took := time.Since(start)
	t.Logf("full run %v; cancelled after %v, ended after %v", full, after, took)
	if r.code != exitInterrupted || r.stderr != "opcat: interrupted\n" || r.stdout != "" {
		t.Errorf("got %v\nwant exit %d, opcat: interrupted and no output", r, exitInterrupted)
	}
	if full > 4*after && took >= full/2 {
		t.Errorf("the interrupted run took %v, a full one %v", took, full)
	}
}
