package lint

import (
	"context"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// treeFromFuzz turns fuzz input into a small catalog: files separated by
// "\n=== name\n" headers; names are mapped into a few folders so that
// kustomizations reach one another.
func treeFromFuzz(data string) map[string]string {
	files := map[string]string{}
	parts := strings.Split(data, "\n=== ")
	for i, p := range parts {
		name, content, _ := strings.Cut(p, "\n")
		if i == 0 {
			name, content = "op/operator/base/kustomization.yaml", p
		}
		name = path.Clean("/" + strings.TrimSpace(name))[1:]
		if name == "" || strings.Contains(name, "..") {
			continue
		}
		files[name] = content
	}
	return files
}

func fuzzSeed(files map[string]string) string {
	var b strings.Builder
	b.WriteString(files["mq/operator/base/kustomization.yaml"])
	for name, content := range files {
		b.WriteString("\n=== " + name + "\n" + content)
	}
	return b.String()
}

// FuzzValidate loads generated catalogs and runs every rule: no panic, no
// hang, and every finding names a file and a known rule.
func FuzzValidate(f *testing.F) {
	f.Add(fuzzSeed(cleanCatalog))
	f.Add(fuzzSeed(with(map[string]string{"mq/operator/overlays/v1.9/patch-channel.yaml": "- op: replase\n  path: spec\n"})))
	f.Add(fuzzSeed(with(map[string]string{"mq/operator/overlays/kustomization.yaml": "bases: ./v1.9\n"})))
	f.Add("resources:\n  - ../../overlays\n=== op/operator/overlays/kustomization.yaml\nresources:\n  - ../base\n")
	f.Fuzz(func(t *testing.T, data string) {
		done := make(chan struct{})
		var findings diag.Findings
		var err error
		go func() {
			defer close(done)
			c := catalog.FromTree(kustomize.NewTreeFromMap(treeFromFuzz(data)), catalog.Options{Jobs: 1})
			findings, err = Run(context.Background(), c, Config{}, Options{})
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("validation did not finish in 20s on %q", data)
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range findings {
			if f.Path == "" {
				t.Errorf("finding without a file: %+v", f)
			}
			if _, ok := Lookup(ID(f.Rule)); !ok {
				t.Errorf("unknown rule %q", f.Rule)
			}
		}
	})
}

// FuzzParseConfig feeds .opcat.yaml content to the config parser.
func FuzzParseConfig(f *testing.F) {
	f.Add("rules:\n  kustomize-deprecated: off\n  patch-path-missing: error\nignore:\n  - legacy/**\nindexes:\n  - redhat-operators=idx\n")
	f.Add("rules: []\n")
	f.Add("ignore:\n  - '['\n")
	f.Fuzz(func(t *testing.T, data string) {
		cfg, err := ParseConfig(".opcat.yaml", []byte(data))
		if err != nil {
			return
		}
		for id := range cfg.Off {
			if _, ok := Lookup(id); !ok {
				t.Errorf("unknown rule %q accepted", id)
			}
		}
		for _, g := range cfg.Ignore {
			globMatch(g, "a/b/c.yaml") // must not panic
		}
	})
}

// FuzzRemotePin feeds remote entries to the URL classifier: it never
// panics, an unpinned entry always says why and how to pin, and a Git-base
// fix is never offered for a plain HTTP file.
func FuzzRemotePin(f *testing.F) {
	for _, s := range []string{
		"github.com/org/repo//deploy?ref=main",
		"https://raw.githubusercontent.com/o/r/refs/heads/release-1.17/x.yaml",
		"https://github.com/o/r/releases/download/v0.17.5/x.yaml",
		"https://example.com/x.yaml",
		"https://gitlab.com/g/r/-/raw/v1/x.yaml?x=%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, entry string) {
		p := remotePin(entry)
		if !p.pinned && (p.why == "" || p.fix == "") {
			t.Errorf("%q: unpinned without a reason or a fix: %+v", entry, p)
		}
	})
}

// FuzzYAMLCulprit feeds broken YAML with invisible characters to the
// culprit finder: it never panics and points inside the file.
func FuzzYAMLCulprit(f *testing.F) {
	f.Add("a:\n\u00a0\u00a0b: 1\n")
	f.Add("a:\u00a0b\nc: [\n")
	f.Add("\ufeffa: [\n")
	f.Fuzz(func(t *testing.T, data string) {
		files := map[string]string{"x.yaml": data}
		for _, x := range lintFiles(t, files) {
			// YAML breaks lines at \n, \r, U+0085, U+2028 and U+2029.
			breaks := strings.Count(data, "\n") + strings.Count(data, "\r") + strings.Count(data, "\u0085") + strings.Count(data, "\u2028") + strings.Count(data, "\u2029")
			if x.Rule == "yaml-syntax" && x.Line > breaks+1 {
				t.Errorf("finding at line %d outside the file:\n%q", x.Line, data)
			}
		}
	})
}
