package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opcat-dev/opcat/catalog"
)

// TestHostileCatalogs loads broken and malicious catalogs from disk: each
// gets a finding that names the file, nothing hangs, nothing runs, nothing
// is read outside the root or fetched.
func TestHostileCatalogs(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 0, "a"; i < 12; i++ {
		name := string(rune('b' + i))
		bomb += name + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = name
	}
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
	tests := []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, root string)
		rule  string
		file  string
		msg   string
	}{
		{name: "alias bomb", files: map[string]string{"a/kustomization.yaml": "resources:\n  - bomb.yaml\n", "a/bomb.yaml": bomb},
			rule: "kustomize-build", file: "a/kustomization.yaml"},
		{name: "alias bomb in a kustomization", files: map[string]string{"a/kustomization.yaml": bomb + "resources:\n  - cm.yaml\n", "a/cm.yaml": cm},
			rule: "kustomization-invalid", file: "a/kustomization.yaml"},
		{name: "alias bomb in a patch", files: map[string]string{"a/kustomization.yaml": "resources:\n  - cm.yaml\npatches:\n  - path: bomb.yaml\n", "a/cm.yaml": cm, "a/bomb.yaml": cm + bomb},
			rule: "kustomize-build", file: "a/kustomization.yaml"},
		{name: "nesting 100000 deep", files: map[string]string{"a/kustomization.yaml": "resources:\n  - deep.yaml\n", "a/deep.yaml": "x: " + deep + "\n"},
			rule: "yaml-syntax", file: "a/deep.yaml", msg: "depth"},
		{name: "file over the size limit", files: map[string]string{"a/kustomization.yaml": "resources:\n  - big.yaml\n", "a/big.yaml": cm + "data:\n  x: \"" + strings.Repeat("x", 11<<20) + "\"\n"},
			rule: "kustomize-build", file: "a/kustomization.yaml", msg: "raise the limit"},
		{name: "binary file", files: map[string]string{"a/kustomization.yaml": "resources:\n  - bin.yaml\n", "a/bin.yaml": "\x7fELF\x00\x01\x02"},
			rule: "yaml-syntax", file: "a/bin.yaml", msg: "NUL"},
		{name: "tabs in indentation", files: map[string]string{"a/kustomization.yaml": "resources:\n\t- cm.yaml\n", "a/cm.yaml": cm},
			rule: "yaml-syntax", file: "a/kustomization.yaml", msg: "tab"},
		{name: "duplicate keys", files: map[string]string{"a/kustomization.yaml": "resources:\n  - cm.yaml\nresources:\n  - cm.yaml\n", "a/cm.yaml": cm},
			rule: "yaml-duplicate-key", file: "a/kustomization.yaml", msg: "resources"},
		{name: "empty kustomization", files: map[string]string{"a/kustomization.yaml": ""},
			rule: "kustomization-invalid", file: "a/kustomization.yaml"},
		{name: "kustomization.yaml that is a folder", files: map[string]string{"a/kustomization.yaml/x.txt": "x"},
			rule: "file-refused", file: "a/kustomization.yaml"},
		{name: "symbolic link leaving the root", files: map[string]string{"a/kustomization.yaml": "resources:\n  - leak.yaml\n"},
			setup: func(t *testing.T, root string) {
				outside := filepath.Join(t.TempDir(), "secret.yaml")
				if err := os.WriteFile(outside, []byte(cm), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(outside, filepath.Join(root, "a", "leak.yaml")); err != nil {
					t.Skip("no symbolic links here:", err)
				}
			},
			rule: "file-refused", file: "a/leak.yaml", msg: "leaves the catalog root"},
		{name: "symbolic link loop", files: map[string]string{"a/kustomization.yaml": "resources:\n  - cm.yaml\n", "a/cm.yaml": cm},
			setup: func(t *testing.T, root string) {
				if err := os.Symlink("loop-b", filepath.Join(root, "a", "loop-a")); err != nil {
					t.Skip("no symbolic links here:", err)
				}
				if err := os.Symlink("loop-a", filepath.Join(root, "a", "loop-b")); err != nil {
					t.Fatal(err)
				}
			},
			rule: "file-refused", file: "a/loop-a"},
		{name: "symbolic link to a pipe", files: map[string]string{"a/kustomization.yaml": "resources:\n  - cm.yaml\n", "a/cm.yaml": cm},
			setup: func(t *testing.T, root string) {
				fifo := filepath.Join(root, "a", "pipe")
				if err := syscall.Mkfifo(fifo, 0o644); err != nil {
					t.Skip("no named pipes here:", err)
				}
				if err := os.Symlink("pipe", filepath.Join(root, "a", "pipe.yaml")); err != nil {
					t.Skip("no symbolic links here:", err)
				}
			},
			rule: "file-refused", file: "a/pipe.yaml", msg: "not a regular file"},
		{name: "path leaving the root", files: map[string]string{"a/kustomization.yaml": "resources:\n  - ../../../etc\n"},
			rule: "kustomize-missing-path", file: "a/kustomization.yaml", msg: "leaves the catalog root"},
		{name: "cycle", files: map[string]string{"a/kustomization.yaml": "resources:\n  - ../b\n", "b/kustomization.yaml": "resources:\n  - ../a\n"},
			rule: "kustomize-build", file: "a/kustomization.yaml", msg: "cycle"},
		{name: "exec KRM function", files: map[string]string{
			"a/kustomization.yaml": "resources:\n  - cm.yaml\ntransformers:\n  - fn.yaml\n", "a/cm.yaml": cm,
			"a/fn.yaml": "apiVersion: example.com/v1\nkind: Evil\nmetadata:\n  name: evil\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: /bin/sh\n"},
			rule: "kustomize-build", file: "a/kustomization.yaml"},
		{name: "container KRM function", files: map[string]string{
			"a/kustomization.yaml": "resources:\n  - cm.yaml\ngenerators:\n  - fn.yaml\n", "a/cm.yaml": cm,
			"a/fn.yaml": "apiVersion: example.com/v1\nkind: Evil\nmetadata:\n  name: evil\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: evil:latest\n"},
			rule: "kustomize-build", file: "a/kustomization.yaml"},
		{name: "legacy plugin", files: map[string]string{
			"a/kustomization.yaml": "resources:\n  - cm.yaml\ntransformers:\n  - plugin.yaml\n", "a/cm.yaml": cm,
			"a/plugin.yaml": "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: evil\n"},
			rule: "kustomize-build", file: "a/kustomization.yaml"},
		{name: "helm chart", files: map[string]string{
			"a/kustomization.yaml": "helmCharts:\n  - name: evil\n    repo: https://example.com/charts\n    version: 1.0.0\n"},
			rule: "kustomize-helm", file: "a/kustomization.yaml", msg: "helm"},
		{name: "remote resource", files: map[string]string{"a/kustomization.yaml": "resources:\n  - https://example.com/x.yaml\n"},
			rule: "kustomize-remote-unpinned", file: "a/kustomization.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for name, content := range tt.files {
				f := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.setup != nil {
				tt.setup(t, root)
			}
			before := snapshot(t, root)
			done := make(chan struct{})
			var got []string
			var found bool
			go func() {
				defer close(done)
				c, err := catalog.Load(context.Background(), root, catalog.Options{})
				if err != nil {
					got = append(got, "load error: "+err.Error())
					return
				}
				fs, err := Run(context.Background(), c, Config{}, Options{})
				if err != nil {
					got = append(got, "run error: "+err.Error())
					return
				}
				for _, f := range fs {
					got = append(got, f.Path+": "+f.Message+" ["+f.Rule+"]")
					if f.Rule == tt.rule && f.Path == tt.file && strings.Contains(strings.ToLower(f.Message), strings.ToLower(tt.msg)) {
						found = true
					}
				}
			}()
			select {
			case <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("validation did not finish: a hang")
			}
			if !found {
				t.Errorf("no %s finding on %s mentioning %q; findings:\n%s", tt.rule, tt.file, tt.msg, strings.Join(got, "\n"))
			}
			if after := snapshot(t, root); after != before {
				t.Errorf("the catalog changed on disk:\n%s\n---\n%s", before, after)
			}
		})
	}
}

// snapshot lists every path under root with its size, to see that
// validation wrote nothing.
func snapshot(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	_ = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		b.WriteString(rel)
		b.WriteString(" ")
		b.WriteString(info.Mode().String())
		b.WriteString("\n")
		return nil
	})
	return b.String()
}
