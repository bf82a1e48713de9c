package guard

import (
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakePrograms are the programs a build could run by name: each is a
// script on PATH that records its call and fails.
var fakePrograms = []string{
	"git", "ssh", "scp", "curl", "wget", "helm", "kubectl", "oc", "kustomize",
	"docker", "podman", "nerdctl", "buildah", "skopeo", "crane", "sh", "bash",
	"env", "go", "python", "python3", "starlark", "kpt", "opm",
}

// pluginKinds are the apiVersion/kind pairs of the hostile legacy plugins
// and KRM functions: an exec plugin for each sits in KUSTOMIZE_PLUGIN_HOME,
// where kustomize would look for it, and records a call if it runs.
var pluginKinds = [][2]string{
	{"someteam.example.com/v1", "ChartInflator"},
	{"example.com/v1", "Evil"},
}

// requiredEnv, when set (as .ci/run does), turns the guard's skips on
// systems without /bin/sh into failures.
const requiredEnv = "OPCAT_GUARD_REQUIRED"

// sandbox is the world a guarded run lives in: fake programs, marker
// folder, recording listeners, an empty TMPDIR and HOME.
type sandbox struct {
	dir     string
	bin     string // PATH
	markers string // where fake programs and plugins leave a trace
	tmp     string // TMPDIR
	home    string // HOME, XDG_*
	plugins string // KUSTOMIZE_PLUGIN_HOME
	loop    *recorder
	proxy   *recorder
}

// newSandbox builds a sandbox in a fresh folder. Its listeners are closed
// when the test ends.
func newSandbox(t testing.TB) *sandbox {
	t.Helper()
	skip := t.Skip
	if os.Getenv(requiredEnv) != "" {
		skip = t.Fatal // CI: the guard must run
	}
	if runtime.GOOS == "windows" {
		skip("the guard's fake programs are shell scripts: no /bin/sh on Windows")
	}
	if _, err := os.Stat("/bin/sh"); err != nil {
		skip("the guard's fake programs need /bin/sh:", err)
	}
	dir := t.TempDir()
	s := &sandbox{
		dir:     dir,
		bin:     filepath.Join(dir, "bin"),
		markers: filepath.Join(dir, "markers"),
		tmp:     filepath.Join(dir, "tmp"),
		home:    filepath.Join(dir, "home"),
		plugins: filepath.Join(dir, "plugins"),
	}
	for _, d := range []string{s.bin, s.markers, s.tmp, s.home, s.plugins} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range fakePrograms {
		s.writeRecorderScript(t, filepath.Join(s.bin, name), name)
	}
	for _, pk := range pluginKinds {
		// kustomize's exec plugin location: <home>/<group>/<version>/<lower kind>/<Kind>.
		p := filepath.Join(s.plugins, filepath.FromSlash(pk[0]), strings.ToLower(pk[1]), pk[1])
		s.writeRecorderScript(t, p, "plugin "+pk[0]+" "+pk[1])
	}
	s.loop = newRecorder(t, "127.0.0.1 listener")
	s.proxy = newRecorder(t, "proxy")
	return s
}

// writeRecorderScript writes an executable script that records its call
// to the marker folder and fails.
func (s *sandbox) writeRecorderScript(t testing.TB, file, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf("#!/bin/sh\nprintf '%%s\\t%%s\\n' \"$%s\" %s\" $*\" >> %s\nexit 1\n",
		cmdEnv, shellQuote(name), shellQuote(filepath.Join(s.markers, "calls")))
	if err := os.WriteFile(file, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// markerScript is the absolute path of a script, outside PATH, that
// records a call when run: catalogs name it as an exec KRM function.
func (s *sandbox) markerScript(t testing.TB) string {
	p := filepath.Join(s.dir, "fn", "exec-function")
	if _, err := os.Stat(p); err != nil {
		s.writeRecorderScript(t, p, "exec-function")
	}
	return p
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// env is the whole environment of a guarded child: nothing is inherited.
func (s *sandbox) env(extra ...string) []string {
	proxy := "http://" + s.proxy.addr
	env := []string{
		"PATH=" + s.bin,
		"HOME=" + s.home,
		"XDG_CONFIG_HOME=" + filepath.Join(s.home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(s.home, ".cache"),
		"XDG_DATA_HOME=" + filepath.Join(s.home, ".local", "share"),
		"TMPDIR=" + s.tmp,
		"KUSTOMIZE_PLUGIN_HOME=" + s.plugins,
		"HTTP_PROXY=" + proxy, "http_proxy=" + proxy,
		"HTTPS_PROXY=" + proxy, "https_proxy=" + proxy,
		"ALL_PROXY=" + proxy, "all_proxy=" + proxy,
		"NO_PROXY=", "no_proxy=",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
		"NO_COLOR=1",
	}
	return append(env, extra...)
}

// cmdEnv names, in a guarded child, the opcat command running: the fake
// programs record it with their call.
const cmdEnv = "OPCAT_GUARD_CMD"

// violations lists everything a guarded run must not have done: calls of
// programs and plugins, files in the marker folder, connections to either
// listener, files left in TMPDIR. Each says during which of outs (the
// child's commands) it happened, and how many times.
func (s *sandbox) violations(outs []outcome) []string {
	var v []string
	during := map[string][]string{}
	var order []string
	note := func(what, cmd string) {
		if _, ok := during[what]; !ok {
			order = append(order, what)
		}
		during[what] = append(during[what], cmd)
	}
	entries, _ := os.ReadDir(s.markers)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(s.markers, e.Name()))
		if e.Name() == "calls" {
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				cmd, what, ok := strings.Cut(line, "\t")
				if !ok {
					cmd, what = "", line
				}
				note("ran a program: "+what, cmd)
			}
			continue
		}
		v = append(v, "a program created "+filepath.Join("markers", e.Name()))
	}
	for _, ev := range append(s.loop.seen(), s.proxy.seen()...) {
		cmd := ""
		for _, o := range outs {
			if ev.at >= o.Start && ev.at <= o.End {
				cmd = show(o.Args)
			}
		}
		note(ev.what, cmd)
	}
	for _, what := range order {
		cmds := during[what]
		line := fmt.Sprintf("%s (%d×", what, len(cmds))
		seen := map[string]bool{}
		var list []string
		for _, c := range cmds {
			if c != "" && !seen[c] {
				seen[c] = true
				list = append(list, c)
			}
		}
		if len(list) > 0 {
			line += ", during: " + strings.Join(list, "; ")
		}
		v = append(v, line+")")
	}
	return append(v, leftovers(s.tmp)...)
}

// show prints a child's command without -C and with INDEX for the index.
func show(args []string) string {
	var out []string
	for i, a := range args {
		switch {
		case i < 2 && len(args) > 2 && args[0] == "-C":
		case i > 0 && args[i-1] == "--index":
			out = append(out, "INDEX")
		default:
			out = append(out, a)
		}
	}
	return strings.Join(out, " ")
}

// reset forgets what was recorded, for a sandbox reused across runs.
func (s *sandbox) reset() {
	entries, _ := os.ReadDir(s.markers)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(s.markers, e.Name()))
	}
	entries, _ = os.ReadDir(s.tmp)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(s.tmp, e.Name()))
	}
	s.loop.reset()
	s.proxy.reset()
}

// leftovers lists what is in dir, which should be empty; names that
// differ only in digits are counted together.
func leftovers(dir string) []string {
	count := map[string]int{}
	var order []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		name := strings.TrimRight(filepath.ToSlash(rel), "0123456789") + "*"
		if count[name] == 0 {
			order = append(order, name)
		}
		count[name]++
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
	var v []string
	for _, name := range order {
		v = append(v, fmt.Sprintf("left in TMPDIR: %s (%d×)", name, count[name]))
	}
	return v
}

// recorder is a listener on 127.0.0.1 that records every connection and
// every request (CONNECT included) it gets, and answers 403.
type recorder struct {
	name string
	addr string
	mu   sync.Mutex
	log  []event
}

// event is something a recorder saw, at a time in Unix nanoseconds.
type event struct {
	at   int64
	what string
}

func newRecorder(t testing.TB, name string) *recorder {
	t.Helper()
	r, stop := startRecorder(name)
	t.Cleanup(stop)
	return r
}

// startRecorder starts a recorder; stop closes it.
func startRecorder(name string) (r *recorder, stop func()) {
	r = &recorder{name: name}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.add(fmt.Sprintf("%s request: %s %s (Host %s)", r.name, req.Method, req.RequestURI, req.Host))
		http.Error(w, "opcat's guard: no request may reach this listener", http.StatusForbidden)
	}))
	srv.Listener = &recordingListener{Listener: srv.Listener, r: r}
	// A TLS client hello on a plain listener never reaches the handler;
	// the connection is recorded all the same.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	r.addr = srv.Listener.Addr().String()
	return r, srv.Close
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.log = append(r.log, event{at: time.Now().UnixNano(), what: s})
	r.mu.Unlock()
}

func (r *recorder) seen() []event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.log)
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.log = nil
	r.mu.Unlock()
}

type recordingListener struct {
	net.Listener
	r *recorder
}

func (l *recordingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.r.add(l.r.name + ": a connection")
	}
	return c, err
}

// writeFiles writes files (slash paths relative to root); a name ending
// in "+x" is written executable, without the suffix.
func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		mode := fs.FileMode(0o644)
		if n, ok := strings.CutSuffix(name, "+x"); ok {
			name, mode = n, 0o755
		}
		f := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
}

// copyTree copies the regular files and folders of src into dst.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// kustomizationDirs lists the folders under root (slash paths, "." for
// the root) that hold a kustomization file, without following links.
func kustomizationDirs(root string) []string {
	seen := map[string]bool{}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ".git" {
			return fs.SkipDir
		}
		switch d.Name() {
		case "kustomization.yaml", "kustomization.yml", "Kustomization":
			rel, _ := filepath.Rel(root, filepath.Dir(p))
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	dirs := make([]string, 0, len(seen))
	for d := range seen {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs
}

// fingerprint describes every path under root with its mode, size and
// modification time, to tell that a run wrote nothing.
func fingerprint(root string) string {
	var b strings.Builder
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", p, err)
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		fmt.Fprintf(&b, "%s %s %d %d\n", filepath.ToSlash(rel), info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return b.String()
}
