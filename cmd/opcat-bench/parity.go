package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/opcat-dev/opcat/lib/kustomize/kustomizetest"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// parityConfig is what `opcat-bench parity` compares.
type parityConfig struct {
	catalog, kustomize string
	jobs               int
	gitLinks           bool
	all                bool
}

// runParity is `opcat-bench parity`: in every kustomization folder of a
// catalog, including folders reached through folder links inside it, it
// runs the kustomize CLI offline and opcat's in-process build, and prints
// every folder where the verdict (builds or fails) or the bytes differ.
func runParity(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("parity", "[flags]", stderr)
	var cfg parityConfig
	fs.StringVar(&cfg.catalog, "catalog", defaultCatalog, "`DIR` of the catalog to compare on")
	fs.StringVar(&cfg.kustomize, "kustomize", "", "`PATH` of the kustomize CLI (default: kustomize on PATH, else $GOPATH/bin/kustomize)")
	fs.IntVar(&cfg.jobs, "jobs", 2, "kustomize CLI builds run at once")
	fs.BoolVar(&cfg.gitLinks, "git-links", true, "treat files that git writes for symbolic links in checkouts without symlink support (a small file holding the relative path of a folder beside it) as the links they stand for: compare on a copy of the catalog with real links")
	fs.BoolVar(&cfg.all, "v", false, "print every folder's verdict, not only the mismatches")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	if cfg.jobs < 1 {
		return usageErrorf(stderr, "parity: -jobs must be at least 1")
	}
	if st, err := os.Stat(cfg.catalog); err != nil || !st.IsDir() {
		return usageErrorf(stderr, "parity: catalog folder %s not found; pass -catalog DIR", cfg.catalog)
	}
	kz, err := resolveKustomize(cfg.kustomize)
	if err != nil {
		return usageErrorf(stderr, "parity: %v", err)
	}
	root, err := filepath.Abs(cfg.catalog)
	if err != nil {
		return failf(stderr, "parity: %v", err)
	}
	fmt.Fprintf(stdout, "catalog         %s\n", root)
	fmt.Fprintf(stdout, "kustomize       %s (%s)\n", kz, kustomizeVersion(kz))
	if cfg.gitLinks {
		links, err := kustomizetest.GitLinkFiles(root)
		if err != nil {
			return failf(stderr, "parity: %v", err)
		}
		if len(links) > 0 {
			tmp, err := os.MkdirTemp("", "opcat-parity-")
			if err != nil {
				return failf(stderr, "parity: %v", err)
			}
			defer os.RemoveAll(tmp)
			copyRoot := filepath.Join(tmp, filepath.Base(root))
			if err := kustomizetest.CopyWithLinks(root, copyRoot, links); err != nil {
				return failf(stderr, "parity: copying the catalog: %v", err)
			}
			fmt.Fprintf(stdout, "git link files  %d, compared on a copy with real links\n", len(links))
			root = copyRoot
		}
	}
	dirs, viaLink, err := kustomizationFolders(root)
	if err != nil {
		return failf(stderr, "parity: %v", err)
	}
	if len(dirs) == 0 {
		return usageErrorf(stderr, "parity: no kustomization file in %s", cfg.catalog)
	}
	fmt.Fprintf(stdout, "kustomizations  %d (%d through folder links)\n", len(dirs), len(viaLink))

	cli, err := cliVerdicts(kz, root, dirs, cfg.jobs)
	if err != nil {
		return failf(stderr, "parity: %v", err)
	}
	render, validate, err := opcatVerdicts(root, dirs)
	if err != nil {
		return failf(stderr, "parity: %v", err)
	}
	if cfg.all {
		for _, d := range dirs {
			v := cli[d]
			state := "fails: " + v.Msg
			if v.OK {
				state = "builds " + digest(v.YAML)
			}
			fmt.Fprintf(stdout, "  %s: %s\n", d, state)
		}
	}
	// validate covers the folders the catalog model loads; render all.
	cliLoaded := map[string]verdict{}
	for d := range validate {
		if v, ok := cli[d]; ok {
			cliLoaded[d] = v
		}
	}
	failed := false
	for _, m := range []struct {
		name string
		cli  map[string]verdict
		got  map[string]verdict
	}{
		{"render (opcat render: one full in-process build per folder)", cli, render},
		{"validate (catalog load: every folder it loads, reusing builds)", cliLoaded, validate},
	} {
		cmp := compareVerdicts(m.cli, m.got)
		fmt.Fprintf(stdout, "\n%s\n  %d build to the same bytes, %d fail in both, %d mismatches\n",
			m.name, cmp.Builds, cmp.Fails, len(cmp.Mismatches))
		for _, s := range cmp.Mismatches {
			fmt.Fprintf(stdout, "  MISMATCH %s\n", s)
		}
		failed = failed || len(cmp.Mismatches) > 0
	}
	if failed {
		return exitFailure
	}
	fmt.Fprintf(stdout, "\nno mismatch\n")
	return exitOK
}

// offlineEnv is the environment the kustomize CLI runs in: no program on
// PATH (kustomize clones remote bases with git) and an HTTP proxy that
// refuses every connection, so that it fails on remote resources as opcat
// does, without touching the network.
func offlineEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "PATH", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY":
			continue
		}
		env = append(env, kv)
	}
	const refused = "http://127.0.0.1:9"
	return append(env, "PATH=", "HTTP_PROXY="+refused, "HTTPS_PROXY="+refused, "http_proxy="+refused, "https_proxy="+refused,
		"NO_PROXY=", "no_proxy=", "GIT_TERMINAL_PROMPT=0")
}

// cliVerdicts runs `kustomize build` offline in every folder of dirs, jobs
// at a time.
func cliVerdicts(kz, root string, dirs []string, jobs int) (map[string]verdict, error) {
	out := make([]verdict, len(dirs))
	errs := make([]error, len(dirs))
	env := offlineEnv()
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				var stdout, stderr bytes.Buffer
				cmd := exec.Command(kz, "build", filepath.Join(root, filepath.FromSlash(dirs[i])))
				cmd.Env, cmd.Dir = env, root
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				var exit *exec.ExitError
				switch {
				case err == nil:
					out[i] = verdict{OK: true, YAML: stdout.Bytes()}
				case errors.As(err, &exit):
					out[i] = verdict{Msg: strings.ReplaceAll(lastLine(stderr.String()), root+"/", "")}
				default:
					errs[i] = fmt.Errorf("unable to run %s: %w", kz, err)
				}
			}
		}()
	}
	for i := range dirs {
		work <- i
	}
	close(work)
	wg.Wait()
	m := make(map[string]verdict, len(dirs))
	for i, d := range dirs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		m[d] = out[i]
	}
	return m, nil
}

// opcatVerdicts builds every folder of dirs in-process twice: as opcat
// render does (a fresh full build of the folder), and as validate and list
// do (catalog.Load, which builds every folder it loads and reuses what it
// built for the folders that include it).
func opcatVerdicts(root string, dirs []string) (render, validate map[string]verdict, err error) {
	restore := quietStderr()
	defer restore()
	tree, err := kustomize.ReadTree(root, kustomize.TreeOptions{})
	if err != nil {
		return nil, nil, err
	}
	render = make(map[string]verdict, len(dirs))
	for _, d := range dirs {
		b := kustomize.NewBuilder(tree)
		b.NoReuse = true
		render[d] = resultVerdict(b.Build(d))
	}
	c := catalog.FromTree(tree, catalog.Options{})
	validate = make(map[string]verdict, len(c.Kustomizations))
	for dir, n := range c.Kustomizations {
		if n.Role == catalog.RoleComponent {
			// The catalog does not build components on their own.
			validate[dir] = render[dir]
			continue
		}
		validate[dir] = resultVerdict(n.Result)
	}
	return render, validate, nil
}

func resultVerdict(r kustomize.Result) verdict {
	if r.Err != nil {
		return verdict{Msg: r.Err.Error()}
	}
	return verdict{OK: true, YAML: r.YAML()}
}

// digest names output bytes in a short, stable way.
func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
