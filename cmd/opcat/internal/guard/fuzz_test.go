package guard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// treeFromFuzz turns fuzz input into catalog files: files separated by
// "\n=== name\n" headers, the first part being the hostile overlay's
// kustomization. Names are cleaned so that every file stays in the
// catalog.
func treeFromFuzz(data string) map[string]string {
	files := map[string]string{}
	for i, p := range strings.Split(data, "\n=== ") {
		name, content, _ := strings.Cut(p, "\n")
		if i == 0 {
			name, content = evil, p
		}
		name = path.Clean("/" + strings.TrimSpace(name))[1:]
		if name == "" || strings.Contains(name, "..") || strings.ContainsAny(name, "\x00\\") {
			continue
		}
		files[name] = content
	}
	return files
}

// fuzzSeed encodes files in treeFromFuzz's format.
func fuzzSeed(files map[string]string) string {
	var b strings.Builder
	b.WriteString(files[evil])
	names := make([]string, 0, len(files))
	for name := range files {
		if name != evil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		b.WriteString("\n=== " + name + "\n" + files[name])
	}
	return b.String()
}

// loopbackRE finds host names that Go never sends through a proxy
// (localhost, 127.0.0.0/8, ::1 and its spellings) and absolute program
// folders: fuzzed input must not reach a local service other than the
// recording listener, nor name a real program.
var loopbackRE = regexp.MustCompile(`(?i)localhost|127\.|::|7f[0-9a-f]{2}:|0:0:0:0:0:0:0:1|0:0:0:0:0:0:0:[0-9a-f]+|/(usr|bin|sbin|lib|etc|proc|dev|sys|opt|root|home|var)\b`)

// neutralise rewrites what loopbackRE finds so that it names nothing real.
func neutralise(data string) string {
	return loopbackRE.ReplaceAllStringFunc(data, func(s string) string { return "x-" + strings.ReplaceAll(s, ":", "-") })
}

var fuzzDial struct {
	once sync.Once
	mu   sync.Mutex
	ok   map[string]bool // addresses a dial may reach: the recorders
	log  []string
}

// guardDials makes http.DefaultTransport refuse, and record, a dial to
// any address but the sandbox's listeners: a second net under the
// recorders in the fuzzing process, where inputs are not hand-written.
func guardDials(sb *sandbox) {
	fuzzDial.mu.Lock()
	fuzzDial.ok = map[string]bool{sb.loop.addr: true, sb.proxy.addr: true}
	fuzzDial.log = nil
	fuzzDial.mu.Unlock()
	fuzzDial.once.Do(func() {
		tr, ok := http.DefaultTransport.(*http.Transport)
		if !ok {
			return
		}
		var d net.Dialer
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			fuzzDial.mu.Lock()
			allowed := fuzzDial.ok[addr]
			if !allowed {
				fuzzDial.log = append(fuzzDial.log, "dial refused: "+network+" "+addr)
			}
			fuzzDial.mu.Unlock()
			if !allowed {
				return nil, errors.New("opcat's guard: dial refused")
			}
			return d.DialContext(ctx, network, addr)
		}
	})
}

func dialViolations() []string {
	fuzzDial.mu.Lock()
	defer fuzzDial.mu.Unlock()
	v := fuzzDial.log
	fuzzDial.log = nil
	return v
}

// fuzzProxy is the one recording proxy of a process: Go reads the proxy
// variables once per process, so every FuzzGuard run of a process (with
// -count) must use the same.
var fuzzProxy struct {
	once sync.Once
	r    *recorder
}

// fuzzSeeds names the hostile cases FuzzGuard starts from.
var fuzzSeeds = map[string]bool{
	"exploit Bases":                                    true,
	"exploit merge key":                                true,
	"binary value":                                     true,
	"letter case Resources":                            true,
	"letter case ConfigMapGenerator":                   true,
	"patches path https":                               true,
	"configMapGenerator envs http":                     true,
	"helmCharts valuesFile http":                       true,
	"generators folder holding remote":                 true,
	"transformers folder holding exploit":              true,
	"PatchTransformer path inline":                     true,
	"ReplacementTransformer path in a second document": true,
	"git URL github.com/org/repo//x?ref=v1":            true,
	"git URL git@github.com:org/repo//x?ref=v1":        true,
	"exec function in transformers":                    true,
	"container function in generators":                 true,
	"legacy plugin ChartInflator in validators":        true,
	"helm local chart":                                 true,
}

// FuzzGuard runs validate, list and render in-process on fuzzed catalogs
// under the guard's conditions (fake programs first on PATH, a recording
// proxy for every host but loopback, a fresh TMPDIR): no input may make
// opcat run a program, open a connection or leave a temporary file. The
// environment is set before the first input, in every fuzzing worker,
// before anything in the process made a request.
func FuzzGuard(f *testing.F) {
	sb := newSandbox(f)
	fuzzProxy.once.Do(func() { fuzzProxy.r, _ = startRecorder("proxy") }) // open until the process ends
	sb.proxy = fuzzProxy.r
	for _, kv := range sb.env() {
		k, v, _ := strings.Cut(kv, "=")
		f.Setenv(k, v)
	}
	if err := checkGuardInPlace(sb.bin, sb.tmp, sb.proxy.addr); err != nil {
		f.Fatalf("the guard is not in place: %v", err)
	}
	guardDials(sb)
	// One seed per family of hostile cases: TestGuardHostile runs them
	// all; the seeds only give the fuzzer somewhere to start, and each
	// costs a few builds before fuzzing begins.
	for _, hc := range hostileCases(f) {
		if fuzzSeeds[hc.name] {
			f.Add(fuzzSeed(hc.files))
		}
	}
	n := 0
	f.Fuzz(func(t *testing.T, data string) {
		n++
		root := filepath.Join(sb.dir, fmt.Sprintf("fuzz-%d", n))
		defer os.RemoveAll(root)
		files := map[string]string{}
		for k, v := range miniCatalog {
			files[k] = v
		}
		for k, v := range treeFromFuzz(neutralise(data)) {
			files[k] = sb.expand(t, v)
		}
		for name, content := range files {
			file := filepath.Join(root, filepath.FromSlash(name))
			if os.MkdirAll(filepath.Dir(file), 0o755) != nil || os.WriteFile(file, []byte(content), 0o644) != nil {
				continue // a name that is also a folder: the input has no such catalog
			}
		}
		cmds := [][]string{{"validate"}, {"list"}}
		for _, d := range kustomizationDirs(root) {
			cmds = append(cmds, []string{"render", d})
		}
		for _, args := range cmds {
			done := make(chan outcome, 1)
			go func() { done <- runMain(append([]string{"-C", root}, args...)) }()
			select {
			case o := <-done:
				if o.Panic != "" {
					t.Fatalf("opcat %s panicked on %q: %s", strings.Join(args, " "), data, o.Panic)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("opcat %s did not finish in 30s on %q", strings.Join(args, " "), data)
			}
		}
		v := append(sb.violations(nil), dialViolations()...)
		sb.reset()
		if len(v) > 0 {
			t.Fatalf("on %q:\n%s", data, strings.Join(v, "\n"))
		}
	})
}

// TestFuzzSeedsExist keeps FuzzGuard's seed list in step with the cases.
func TestFuzzSeedsExist(t *testing.T) {
	names := map[string]bool{}
	for _, hc := range hostileCases(t) {
		names[hc.name] = true
	}
	for name := range fuzzSeeds {
		if !names[name] {
			t.Errorf("FuzzGuard seed %q names no hostile case", name)
		}
	}
}
