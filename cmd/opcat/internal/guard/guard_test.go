package guard

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/opcat-dev/opcat/cmd/opcat/internal/cli"
)

// jobEnv names the job file of a guarded child; without it TestGuardChild
// skips.
const jobEnv = "OPCAT_GUARD_JOB"

// job is what a guarded child runs, and what it checks before running.
type job struct {
	Root     string     `json:"root"`
	Commands [][]string `json:"commands"`
	Result   string     `json:"result"`
	Bin      string     `json:"bin"`
	Tmp      string     `json:"tmp"`
	Proxy    string     `json:"proxy"`
	Loop     string     `json:"loop"`
	// Canary makes the child do what the guard must catch, to prove the
	// guard catches it.
	Canary string `json:"canary,omitempty"`
}

// outcome is one command's run in the child.
type outcome struct {
	Args   []string `json:"args"`
	Code   int      `json:"code"`
	Stdout string   `json:"stdout"`
	Stderr string   `json:"stderr"`
	Panic  string   `json:"panic,omitempty"`
	Start  int64    `json:"start"` // Unix nanoseconds
	End    int64    `json:"end"`
}

type report struct {
	SetupError string    `json:"setupError,omitempty"`
	Outcomes   []outcome `json:"outcomes"`
}

// TestGuardChild is the guarded child: it runs only when TestGuard starts
// the test binary again with a job.
func TestGuardChild(t *testing.T) {
	file := os.Getenv(jobEnv)
	if file == "" {
		t.Skip("runs only as the child process of the guard tests")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var j job
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := checkGuardInPlace(j.Bin, j.Tmp, j.Proxy); err != nil {
		rep.SetupError = err.Error()
	} else {
		if j.Canary != "" {
			canary(j.Canary, j.Loop)
		}
		for _, args := range j.Commands {
			full := append([]string{"-C", j.Root}, args...)
			os.Setenv(cmdEnv, show(full))
			rep.Outcomes = append(rep.Outcomes, runMain(full))
		}
	}
	out, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(j.Result, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkGuardInPlace tells whether this process runs under the guard: git
// is the fake one, every request to a host other than loopback goes to the
// recording proxy, loopback is never proxied, TMPDIR is the sandbox's.
func checkGuardInPlace(bin, tmp, proxy string) error {
	if p, err := exec.LookPath("git"); err != nil || p != filepath.Join(bin, "git") {
		return fmt.Errorf("git resolves to %q (%v), not the fake %s", p, err, filepath.Join(bin, "git"))
	}
	for _, u := range []string{"http://example.com/x", "https://example.com/x", "http://github.com/x"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		p, err := http.ProxyFromEnvironment(req)
		if err != nil || p == nil || p.Host != proxy {
			return fmt.Errorf("a request to %s goes through %v (%v), not the recording proxy %s", u, p, err, proxy)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/x", nil)
	if p, _ := http.ProxyFromEnvironment(req); p != nil {
		return fmt.Errorf("a request to 127.0.0.1 goes through the proxy %v", p)
	}
	if os.TempDir() != tmp {
		return fmt.Errorf("TMPDIR is %s, not %s", os.TempDir(), tmp)
	}
	return nil
}

// runMain runs opcat as the shell would, turning a panic into an outcome.
func runMain(args []string) (o outcome) {
	o.Args = args
	o.Start = time.Now().UnixNano()
	var stdout, stderr bytes.Buffer
	defer func() {
		if r := recover(); r != nil {
			o.Panic = fmt.Sprintf("%v\n%s", r, debug.Stack())
			o.Code = -1
		}
		o.Stdout, o.Stderr = clip(stdout.String()), clip(stderr.String())
		o.End = time.Now().UnixNano()
	}()
	o.Code = cli.Main(args, strings.NewReader(""), &stdout, &stderr)
	return o
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "\n[...]"
	}
	return s
}

// canary does, on purpose, what the guard must catch.
func canary(what, loop string) {
	switch what {
	case "loop":
		if resp, err := http.Get("http://" + loop + "/guard-canary"); err == nil {
			resp.Body.Close()
		}
	case "plugin":
		_ = exec.Command(filepath.Join(os.Getenv("KUSTOMIZE_PLUGIN_HOME"), "example.com", "v1", "evil", "Evil")).Run()
	case "git":
		_ = exec.Command("git", "fetch", "--upload-pack=touch x").Run()
	case "proxy":
		if resp, err := http.Get("http://example.com/guard-canary"); err == nil {
			resp.Body.Close()
		}
	case "proxy-tls":
		if resp, err := http.Get("https://example.com/guard-canary"); err == nil {
			resp.Body.Close()
		}
	case "tmp":
		if f, err := os.CreateTemp("", "kustomize-"); err == nil {
			f.Close()
		}
	}
}

// guardedRun is one run of opcat's commands on a catalog in a guarded
// child.
type guardedRun struct {
	root     string        // the catalog root
	commands [][]string    // without -C
	timeout  time.Duration // for the whole child
	canary   string
}

// run starts the child, waits for it and returns its report and the
// violations seen; it fails t when the child could not run.
func (sb *sandbox) run(t testing.TB, g guardedRun) (report, []string) {
	t.Helper()
	j := job{
		Root: g.root, Commands: g.commands, Result: filepath.Join(sb.dir, "result.json"),
		Bin: sb.bin, Tmp: sb.tmp, Proxy: sb.proxy.addr, Loop: sb.loop.addr, Canary: g.canary,
	}
	jobFile := filepath.Join(sb.dir, "job.json")
	data, _ := json.Marshal(j)
	if err := os.WriteFile(jobFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(j.Result)
	if g.timeout == 0 {
		g.timeout = 2 * time.Minute
	}
	// End before go test's own -timeout would, so that a slow run fails
	// with this test's message rather than a panic of the whole binary.
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if dl, ok := d.Deadline(); ok {
			g.timeout = min(g.timeout, time.Until(dl)-10*time.Second)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), g.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestGuardChild$", "-test.count=1", "-test.timeout=0")
	cmd.Env = sb.env(jobEnv + "=" + jobFile)
	cmd.Dir = sb.dir
	cmd.WaitDelay = 10 * time.Second // a program the child left running must not hold the test
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the guarded run did not finish in %s: a hang\n%s", g.timeout, out)
	}
	if err != nil {
		t.Fatalf("the guarded child failed (%v): a crash?\n%s", err, out)
	}
	var rep report
	data, err = os.ReadFile(j.Result)
	if err == nil {
		err = json.Unmarshal(data, &rep)
	}
	if err != nil {
		t.Fatalf("the guarded child left no report (%v):\n%s", err, out)
	}
	if rep.SetupError != "" {
		t.Fatalf("the guard is not in place in the child: %s", rep.SetupError)
	}
	return rep, sb.violations(rep.Outcomes)
}

// TestGuardDetects proves that the guard sees what it must: a run of git
// or of a plugin, a request to the 127.0.0.1 listener or through the proxy
// (plain and TLS), a file left in TMPDIR.
func TestGuardDetects(t *testing.T) {
	for _, c := range []struct{ canary, want string }{
		{"git", "ran a program: git fetch --upload-pack=touch x"},
		{"plugin", "ran a program: plugin example.com/v1 Evil"},
		{"loop", "127.0.0.1 listener request: GET /guard-canary"},
		{"proxy", "proxy request: GET http://example.com/guard-canary"},
		{"proxy-tls", "proxy request: CONNECT example.com:443"},
		{"tmp", "left in TMPDIR: kustomize-"},
	} {
		t.Run(c.canary, func(t *testing.T) {
			sb := newSandbox(t)
			_, v := sb.run(t, guardedRun{root: sb.dir, canary: c.canary, timeout: time.Minute})
			if !strings.Contains(strings.Join(v, "\n"), c.want) {
				t.Errorf("the guard missed the canary %q: want %q among %q", c.canary, c.want, v)
			}
		})
	}
}

// commandsFor lists what a guarded run does on a catalog: every read-only
// command, and render on every kustomization folder (with -short, on one
// folder in ten of a catalog that has more than 100).
func commandsFor(root, index string) [][]string {
	cmds := [][]string{
		{"list"},
		{"list", "-o", "json"},
		{"validate"},
		{"validate", "--format", "json"},
		{"validate", "--index", index},
		{"fix", "--dry-run"},
		{"outdated", "--index", index},
	}
	dirs := kustomizationDirs(root)
	for i, d := range dirs {
		if testing.Short() && len(dirs) > 100 && i%10 != 0 {
			continue
		}
		cmds = append(cmds, []string{"render", d})
	}
	return cmds
}

// checkRun fails t for every violation, panic, strange exit code or change
// on disk, and logs the exit codes.
func checkRun(t *testing.T, rep report, violations []string, before, after string) {
	t.Helper()
	for _, v := range violations {
		t.Errorf("guard: %s", v)
	}
	codes := map[string][]int{}
	for _, o := range rep.Outcomes {
		name := show(o.Args)
		if o.Panic != "" {
			t.Errorf("opcat %s panicked: %s", name, o.Panic)
		}
		if o.Code < 0 || o.Code > 2 {
			t.Errorf("opcat %s exited %d:\n%s%s", name, o.Code, o.Stdout, o.Stderr)
		}
		if o.Args[2] == "render" {
			name = "render"
		}
		codes[name] = append(codes[name], o.Code)
	}
	names := make([]string, 0, len(codes))
	for n := range codes {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, " [%s]=%v", n, summarise(codes[n]))
	}
	t.Logf("exit codes:%s", b.String())
	if before != after {
		t.Errorf("the catalog changed on disk")
	}
}

// summarise prints exit codes, counting them when there are many.
func summarise(codes []int) string {
	if len(codes) <= 3 {
		return fmt.Sprint(codes)
	}
	n := map[int]int{}
	for _, c := range codes {
		n[c]++
	}
	var parts []string
	for c := 0; c <= 2; c++ {
		if n[c] > 0 {
			parts = append(parts, fmt.Sprintf("%d×%d", n[c], c))
		}
	}
	return strings.Join(parts, ",")
}

// indexFile is the small index outdated and validate --index read.
func indexFile(t testing.TB) string {
	abs, err := filepath.Abs(filepath.Join("testdata", "index", "ibm-mq.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// corpusRoot is the reference corpus beside the repository.
const corpusRoot = "../../../../../shared/corpus"

// TestGuardCorpus runs every command on the real catalogs of the corpus.
func TestGuardCorpus(t *testing.T) {
	for _, name := range []string{"eda-gitops-catalog", "demo-ai-gitops-catalog", "multi-tenancy-gitops-services"} {
		t.Run(name, func(t *testing.T) {
			root, err := filepath.Abs(filepath.Join(corpusRoot, name))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(root); err != nil {
				t.Skipf("the reference corpus is absent (%v): it lives in ../shared/corpus beside the repository", err)
			}
			sb := newSandbox(t)
			before := fingerprint(root)
			rep, v := sb.run(t, guardedRun{root: root, commands: commandsFor(root, indexFile(t)), timeout: 8 * time.Minute})
			checkRun(t, rep, v, before, fingerprint(root))
		})
	}
}

// TestGuardHostile runs every command on the hostile catalogs.
func TestGuardHostile(t *testing.T) {
	for _, hc := range hostileCases(t) {
		t.Run(hc.name, func(t *testing.T) {
			sb := newSandbox(t)
			root := filepath.Join(sb.dir, "catalog")
			files := map[string]string{}
			if !hc.alone {
				for k, v := range miniCatalog {
					files[k] = v
				}
			}
			for k, v := range hc.files {
				files[k] = sb.expand(t, v)
			}
			writeFiles(t, root, files)
			if hc.setup != nil {
				hc.setup(t, sb, root)
			}
			before := fingerprint(root)
			rep, v := sb.run(t, guardedRun{root: root, commands: commandsFor(root, indexFile(t)), timeout: 2 * time.Minute})
			checkRun(t, rep, v, before, fingerprint(root))
		})
	}
}

// expand fills the placeholders of a hostile file: {{LOOP}} is the
// recording listener's host:port, {{MARKERS}} the marker folder, {{FN}} a
// script that records a call when run, {{BASE64 text}} the base64 of text
// (placeholders in it filled first).
func (sb *sandbox) expand(t testing.TB, s string) string {
	s = strings.ReplaceAll(s, "{{LOOP}}", sb.loop.addr)
	s = strings.ReplaceAll(s, "{{MARKERS}}", sb.markers)
	if strings.Contains(s, "{{FN}}") {
		s = strings.ReplaceAll(s, "{{FN}}", sb.markerScript(t))
	}
	return base64RE.ReplaceAllStringFunc(s, func(m string) string {
		return base64.StdEncoding.EncodeToString([]byte(base64RE.FindStringSubmatch(m)[1]))
	})
}

var base64RE = regexp.MustCompile(`\{\{BASE64 ([^}]*)\}\}`)
