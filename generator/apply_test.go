package generator

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/opcat-dev/opcat/catalog"
)

// snapshot returns everything under root: each file's mode and content,
// each folder and each link, by slash path.
func snapshot(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out[rel] = "link " + target
		case d.IsDir():
			out[rel] = "folder " + info.Mode().Perm().String()
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = info.Mode().Perm().String() + " " + string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTree reports the first difference between two snapshots.
func sameTree(want, got map[string]string) error {
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		w, wok := want[k]
		g, gok := got[k]
		switch {
		case !wok:
			return fmt.Errorf("%s appeared (%.60q)", k, g)
		case !gok:
			return fmt.Errorf("%s disappeared", k)
		case w != g:
			return fmt.Errorf("%s changed:\nwant %.200q\n got %.200q", k, w, g)
		}
	}
	return nil
}

// planScenarios are plans that create folders and files, edit files in
// place and delete files: every kind of step Apply takes.
var planScenarios = []struct {
	name string
	plan func(t *testing.T, root string) *Plan
}{
	{"add overlay --default", func(t *testing.T, root string) *Plan {
		initExample(t, root)
		p, err := AddOverlay(load(t, root), OverlayOptions{Root: root, Operator: "event-streams", Channel: "v3.0", CSV: "ibm-eventstreams.v3.0.0", Default: true})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}},
	{"sync --prune", func(t *testing.T, root string) *Plan {
		if err := os.CopyFS(root, os.DirFS(simpleCatalog)); err != nil {
			t.Fatal(err)
		}
		p, err := Sync(load(t, root), SyncOptions{Root: root, Operators: []string{"mq"}, Index: mqSet(t, ""), Prune: true})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}},
	{"init into a new folder tree", func(t *testing.T, root string) *Plan {
		p, err := Init(InitOptions{Root: filepath.Join(root, "new", "catalog"), Example: true})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}},
}

// TestApplyFailsAtEveryStep makes step i of Apply fail, for every i, and
// checks that the tree is byte for byte what it was; with no failure the
// plan is applied in full and leaves no temporary file behind.
func TestApplyFailsAtEveryStep(t *testing.T) {
	for _, sc := range planScenarios {
		t.Run(sc.name, func(t *testing.T) {
			// The plan applied in full, for the expected tree and N.
			root := t.TempDir()
			p := sc.plan(t, root)
			hasDelete, hasEdit := false, false
			for _, c := range p.Changes {
				hasDelete = hasDelete || c.Delete
				hasEdit = hasEdit || (c.Exists() && !c.Delete)
			}
			n := 0
			p.fault = func(i, total int) error { n = total; return nil }
			if err := p.Apply(false); err != nil {
				t.Fatal(err)
			}
			want := snapshot(t, root)
			for f := range want {
				if leftover.MatchString(filepath.Base(f)) || filepath.Base(f) == LockFile {
					t.Errorf("Apply left %s behind", f)
				}
			}
			if n < 3 {
				t.Fatalf("only %d steps", n)
			}
			if sc.name == "sync --prune" && !hasDelete || sc.name == "add overlay --default" && !hasEdit {
				t.Fatalf("the scenario lost its point: deletes %v, edits %v", hasDelete, hasEdit)
			}
			for i := 0; i < n; i++ {
				root := t.TempDir()
				p := sc.plan(t, root)
				before := snapshot(t, root)
				injected := errors.New("injected failure")
				p.fault = func(step, total int) error {
					if total != n {
						t.Fatalf("the plan has %d steps, then %d", n, total)
					}
					if step == i {
						return injected
					}
					return nil
				}
				err := p.Apply(false)
				if !errors.Is(err, injected) {
					t.Fatalf("step %d of %d: Apply returned %v", i, n, err)
				}
				if !strings.Contains(err.Error(), "nothing was changed") {
					t.Errorf("step %d: the error does not say the tree is unchanged: %v", i, err)
				}
				if err := sameTree(before, snapshot(t, root)); err != nil {
					t.Errorf("failure at step %d of %d left the tree changed: %v", i, n, err)
				}
			}
		})
	}
}

// TestApplyTwice applies one plan twice: the second time changes nothing.
func TestApplyTwice(t *testing.T) {
	for _, sc := range planScenarios {
		t.Run(sc.name, func(t *testing.T) {
			root := t.TempDir()
			p := sc.plan(t, root)
			if err := p.Apply(false); err != nil {
				t.Fatal(err)
			}
			after := snapshot(t, root)
			steps := -1
			p.fault = func(i, n int) error { steps = n; return nil }
			if err := p.Apply(false); err != nil {
				t.Fatalf("the second Apply: %v", err)
			}
			if steps > 0 {
				t.Errorf("the second Apply took %d steps", steps)
			}
			if err := sameTree(after, snapshot(t, root)); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestApplyNeverLosesAnEdit computes two plans from one tree, applies the
// first, and checks that the second refuses to write over it.
func TestApplyNeverLosesAnEdit(t *testing.T) {
	root := t.TempDir()
	initExample(t, root)
	c := load(t, root)
	a, err := AddOverlay(c, OverlayOptions{Root: root, Operator: "event-streams", Channel: "v3.0", Default: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := AddOverlay(c, OverlayOptions{Root: root, Operator: "event-streams", Channel: "v3.1", Default: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Apply(false); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, root)
	err = b.Apply(false)
	var se *StaleError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "run the command again") {
		t.Fatalf("the second plan: %v; want a StaleError", err)
	}
	if err := sameTree(before, snapshot(t, root)); err != nil {
		t.Errorf("the stale plan changed the tree: %v", err)
	}
	// Planned again, it keeps the first edit.
	p, err := AddOverlay(load(t, root), OverlayOptions{Root: root, Operator: "event-streams", Channel: "v3.1"})
	apply(t, p, err)
	readme, _ := os.ReadFile(filepath.Join(root, "event-streams", "README.md"))
	if !strings.Contains(string(readme), "`v3.0`") || !strings.Contains(string(readme), "`v3.1`") {
		t.Errorf("an overlay is missing from the README:\n%s", readme)
	}
}

// TestApplyWaitsForTheLock holds the lock in the test: Apply waits for it,
// and fails naming the lock and its holder when it is not released.
func TestApplyWaitsForTheLock(t *testing.T) {
	root := t.TempDir()
	p, err := Init(InitOptions{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	l, err := acquireLock(root, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, root)
	// A dry run takes no lock: it shows the diff at once.
	if d := diffOf(t, p); !strings.Contains(d, "+++ b/README.md") {
		t.Errorf("the dry run under another's lock shows:\n%s", d)
	}
	p.wait = 200 * time.Millisecond
	err = p.Apply(false)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != os.Getpid() || !strings.Contains(err.Error(), filepath.Join(root, LockFile)) ||
		!strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("Apply under another's lock: %v", err)
	}
	if err := sameTree(before, snapshot(t, root)); err != nil {
		t.Errorf("Apply wrote without the lock: %v", err)
	}
	// Released while Apply waits: Apply goes on.
	go func() {
		time.Sleep(100 * time.Millisecond)
		if err := l.release(); err != nil {
			t.Error(err)
		}
	}()
	p.wait = 5 * time.Second
	if err := p.Apply(false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, LockFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock file stays after Apply: %v", err)
	}
}

// TestApplyTwoWritersTakeTurns runs two Applies at once on one catalog:
// both complete, one after the other, and neither loses the other's file.
func TestApplyTwoWritersTakeTurns(t *testing.T) {
	root := t.TempDir()
	errs := make(chan error, 2)
	for _, name := range []string{"a.txt", "b.txt"} {
		go func() {
			p := NewPlan(root)
			if err := p.Add(name, []byte(name), false); err != nil {
				errs <- err
				return
			}
			p.fault = func(i, n int) error { time.Sleep(20 * time.Millisecond); return nil }
			errs <- p.Apply(false)
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	got := readTree(t, root)
	if got["a.txt"] != "a.txt" || got["b.txt"] != "b.txt" || len(got) != 2 {
		t.Errorf("tree after two writers: %v", got)
	}
}

// holdLockEnv makes the test binary, re-executed, hold a catalog's lock
// until its standard input closes.
const holdLockEnv = "OPCAT_TEST_HOLD_LOCK"

// killedApplyEnv makes the test binary, re-executed, plan an overlay for
// the catalog it names and stop Apply before its last step, waiting to
// be killed.
const killedApplyEnv = "OPCAT_TEST_KILLED_APPLY"

func TestMain(m *testing.M) {
	if root := os.Getenv(killedApplyEnv); root != "" {
		c, err := catalog.Load(context.Background(), root, catalog.Options{})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		p, err := AddOverlay(c, OverlayOptions{Root: root, Operator: "event-streams", Channel: "v3.0", Default: true})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		p.fault = func(i, n int) error {
			if i == n-1 {
				fmt.Println("stopped")
				_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
			}
			return nil
		}
		_ = p.Apply(false)
		os.Exit(0)
	}
	if root := os.Getenv(holdLockEnv); root != "" {
		l, err := acquireLock(root, time.Second)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("locked")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		if err := l.release(); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestApplyLockAcrossProcesses holds the lock in another process: Apply
// names that process; once it is killed, the next Apply takes the lock.
func TestApplyLockAcrossProcesses(t *testing.T) {
	root := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdLockEnv+"="+root)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("the child did not lock: %q", line)
	}
	p, err := Init(InitOptions{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	p.wait = 300 * time.Millisecond
	err = p.Apply(false)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != cmd.Process.Pid {
		t.Fatalf("Apply while pid %d holds the lock: %v", cmd.Process.Pid, err)
	}
	// Killed, the child leaves its lock file; the kernel's lock is gone.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if lockIsKernel {
		if _, err := os.Stat(filepath.Join(root, LockFile)); err != nil {
			t.Fatalf("the killed run's lock file: %v", err)
		}
		if err := p.Apply(false); err != nil {
			t.Fatalf("Apply after the holder died: %v", err)
		}
	}
}

// TestApplyCleansLeftovers puts the temporary files of an interrupted run
// in the tree: the staged ones are removed, the former contents kept and
// reported.
func TestApplyCleansLeftovers(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"a/.kustomization.yaml.opcat-new.0123456789ab": "half",
		"a/.kustomization.yaml.opcat-old.0123456789ab": "former",
		"a/.patch.yaml.opcat-123456":                   "staged by an earlier version",
		"a/kustomization.yaml":                         "resources: []\n",
		"a/.hidden.yaml":                               "a person's file",
	})
	p := NewPlan(root)
	if err := p.Add("b.txt", []byte("b"), false); err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(false); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, root)
	for _, gone := range []string{"a/.kustomization.yaml.opcat-new.0123456789ab", "a/.patch.yaml.opcat-123456"} {
		if _, ok := got[gone]; ok {
			t.Errorf("%s is still there", gone)
		}
	}
	for _, kept := range []string{"a/.kustomization.yaml.opcat-old.0123456789ab", "a/.hidden.yaml", "b.txt"} {
		if _, ok := got[kept]; !ok {
			t.Errorf("%s is gone", kept)
		}
	}
	notes := strings.Join(p.Notes, "\n")
	for _, want := range []string{
		"removed a/.kustomization.yaml.opcat-new.0123456789ab, left by an interrupted opcat run",
		"a/.kustomization.yaml.opcat-old.0123456789ab holds what a/kustomization.yaml held before an interrupted opcat run",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

// TestApplyRealFailures fails Apply the way a file system does, after the
// plan was made: a folder where a file is to go, a file where a folder is
// to go, a folder that cannot be written.
func TestApplyRealFailures(t *testing.T) {
	const overlays = "event-streams/operator/overlays"
	tests := []struct {
		name  string
		spoil func(t *testing.T, root string)
	}{
		{"a folder in the way", func(t *testing.T, root string) {
			if err := os.MkdirAll(filepath.Join(root, overlays, "v3.0", "patch-channel.yaml"), 0o755); err != nil {
				t.Fatal(err)
			}
		}},
		{"a parent that is a file", func(t *testing.T, root string) {
			if err := os.WriteFile(filepath.Join(root, overlays, "v3.0"), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"a read-only folder", func(t *testing.T, root string) {
			if os.Geteuid() == 0 {
				t.Skip("permissions do not bind root")
			}
			// The operator README's folder: Apply fails once it has made
			// the overlay's folder and staged files elsewhere.
			dir := filepath.Join(root, "event-streams")
			if err := os.Chmod(dir, 0o555); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			initExample(t, root)
			p, err := AddOverlay(load(t, root), OverlayOptions{Root: root, Operator: "event-streams", Channel: "v3.0", Default: true})
			if err != nil {
				t.Fatal(err)
			}
			tt.spoil(t, root)
			before := snapshot(t, root)
			err = p.Apply(false)
			if err == nil {
				t.Fatal("Apply succeeded")
			}
			t.Log(err)
			if err := sameTree(before, snapshot(t, root)); err != nil {
				t.Errorf("a failed Apply changed the tree: %v", err)
			}
		})
	}
}

// initExample writes the example catalog in root.
func initExample(t *testing.T, root string) {
	t.Helper()
	p, err := Init(InitOptions{Root: root, Example: true})
	apply(t, p, err)
}

// TestApplyAfterAKilledRun kills a run in the middle of Apply: the next
// run takes the lock, removes the staged files and reports the former
// contents kept.
func TestApplyAfterAKilledRun(t *testing.T) {
	root := t.TempDir()
	initExample(t, root)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killedApplyEnv+"="+root)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "stopped\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the child did not stop in Apply: %q", line)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	var staged, kept []string
	for f := range readTree(t, root) {
		switch {
		case strings.Contains(f, ".opcat-new."):
			staged = append(staged, f)
		case strings.Contains(f, ".opcat-old."):
			kept = append(kept, f)
		}
	}
	if len(staged) == 0 || len(kept) == 0 {
		t.Fatalf("the killed run left no staged file (%v) or no former content (%v)", staged, kept)
	}
	p, err := AddOperator(OperatorOptions{Root: root, Package: "ibm-mq", Channels: []string{"v3.0"}})
	if err != nil {
		t.Fatal(err)
	}
	p.wait = 2 * time.Second
	if err := p.Apply(false); err != nil {
		t.Fatalf("Apply after a killed run: %v", err)
	}
	after := readTree(t, root)
	notes := strings.Join(p.Notes, "\n")
	for _, f := range staged {
		if _, ok := after[f]; ok {
			t.Errorf("staged file %s is still there", f)
		}
		if !strings.Contains(notes, "removed "+f) {
			t.Errorf("no note says %s was removed:\n%s", f, notes)
		}
	}
	for _, f := range kept {
		if _, ok := after[f]; !ok {
			t.Errorf("former content %s was removed", f)
		}
		if !strings.Contains(notes, f+" holds what") {
			t.Errorf("no note reports %s:\n%s", f, notes)
		}
	}
}
