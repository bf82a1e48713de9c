package kustomize

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// parityCatalogs are the corpus catalogs whose every kustomization folder
// is held to the kustomize CLI's verdict and bytes.
var parityCatalogs = []struct {
	name string
	root func(t testing.TB) string
}{
	{"eda-gitops-catalog", plainCorpus("eda-gitops-catalog")},
	{"multi-tenancy-gitops-services", plainCorpus("multi-tenancy-gitops-services")},
	{"demo-ai-gitops-catalog", linkedCorpus},
}

func plainCorpus(name string) func(t testing.TB) string {
	return func(t testing.TB) string {
		t.Helper()
		root := "../../../shared/corpus/" + name
		if _, err := os.Stat(root); err != nil {
			t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", root, err)
		}
		return root
	}
}

// cliVerdict is what the kustomize CLI did in one folder: built, with a
// digest of its output, or failed.
type cliVerdict struct {
	builds bool
	digest string
}

func (v cliVerdict) String() string {
	if v.builds {
		return "builds " + v.digest
	}
	return "fails"
}

func outputDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// offlineCLIEnv is the environment the kustomize CLI records goldens in:
// no program on PATH (it clones with git) and an HTTP proxy that refuses
// every connection, so it fails on remote resources without the network.
func offlineCLIEnv() []string {
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

func readParityGolden(file string) (map[string]cliVerdict, []string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	out := map[string]cliVerdict{}
	var order []string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Split(sc.Text(), "\t")
		switch {
		case len(fields) == 3 && fields[1] == "builds":
			out[fields[0]] = cliVerdict{builds: true, digest: fields[2]}
		case len(fields) == 2 && fields[1] == "fails":
			out[fields[0]] = cliVerdict{}
		default:
			return nil, nil, fmt.Errorf("%s:%d: want DIR<TAB>builds<TAB>DIGEST or DIR<TAB>fails", file, line)
		}
		order = append(order, fields[0])
	}
	return out, order, sc.Err()
}

// TestCorpusParityWithCLI holds opcat's in-process builds to the verdict
// (builds or fails) and the exact bytes of the kustomize CLI v5.8.2, run
// offline, in every kustomization folder of every corpus catalog, folders
// reached through folder links included. The CLI's verdicts and output
// digests are recorded in testdata/parity by
//
//	go test ./lib/kustomize -run TestCorpusParity -kustomize-cli=$(go env GOPATH)/bin/kustomize
//
// Every folder is built twice: as opcat render builds it (a full build),
// and by one Builder that reuses what it built, as validate does.
func TestCorpusParityWithCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every folder of every corpus catalog three times; skipped with -short")
	}
	for _, cat := range parityCatalogs {
		t.Run(cat.name, func(t *testing.T) {
			root := cat.root(t)
			tree, err := ReadTree(root, TreeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			dirs := tree.KustomizationDirs()
			golden := filepath.Join("testdata", "parity", cat.name+".txt")
			if *kustomizeCLI != "" {
				recordParity(t, root, dirs, golden)
			}
			want, order, err := readParityGolden(golden)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(order, "\n") != strings.Join(dirs, "\n") {
				t.Errorf("kustomization folders differ from the recorded ones: %d here, %d recorded", len(dirs), len(order))
			}
			check := func(how string, dir string, res Result) {
				w, ok := want[dir]
				switch {
				case !ok:
					t.Errorf("%s: not recorded from the kustomize CLI", dir)
				case w.builds && res.Err != nil:
					t.Errorf("%s (%s): the kustomize CLI builds it, opcat fails: %v", dir, how, res.Err)
				case !w.builds && res.Err == nil:
					t.Errorf("%s (%s): opcat builds it, the kustomize CLI fails", dir, how)
				case w.builds && outputDigest(res.YAML()) != w.digest:
					t.Errorf("%s (%s): output differs from the kustomize CLI's", dir, how)
				}
			}
			reusing := NewBuilder(tree)
			for _, dir := range dirs {
				full := NewBuilder(tree)
				full.NoReuse = true
				check("full build", dir, full.Build(dir))
				reusing.Build(dir) // first round: fills what the second reuses
			}
			for _, dir := range dirs {
				check("reusing build", dir, reusing.Build(dir))
			}
		})
	}
}

// recordParity runs the kustomize CLI offline in every folder of dirs
// under root and writes its verdicts and output digests to golden.
func recordParity(t *testing.T, root string, dirs []string, golden string) {
	t.Helper()
	env := offlineCLIEnv()
	var buf bytes.Buffer
	for _, dir := range dirs {
		var out bytes.Buffer
		cmd := exec.Command(*kustomizeCLI, "build", filepath.Join(root, filepath.FromSlash(dir)))
		cmd.Env, cmd.Stdout = env, &out
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			fmt.Fprintf(&buf, "%s\tbuilds\t%s\n", dir, outputDigest(out.Bytes()))
		case errors.As(err, &exit):
			fmt.Fprintf(&buf, "%s\tfails\n", dir)
		default:
			t.Fatalf("running %s: %v", *kustomizeCLI, err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
