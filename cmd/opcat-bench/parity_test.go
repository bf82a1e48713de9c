package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// fakeKustomizeEnv makes the test binary act as the kustomize CLI: it
// builds with the same engine on disk. fakeKustomizeAlter names a folder
// whose output it alters, to check that parity reports a mismatch.
const (
	fakeKustomizeEnv   = "OPCAT_BENCH_FAKE_KUSTOMIZE"
	fakeKustomizeAlter = "OPCAT_BENCH_FAKE_ALTER"
)

func TestMain(m *testing.M) {
	if os.Getenv(fakeKustomizeEnv) == "1" {
		os.Exit(fakeKustomize(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func fakeKustomize(args []string) int {
	if len(args) == 1 && args[0] == "version" {
		fmt.Println("v5.8.2")
		return 0
	}
	if len(args) != 2 || args[0] != "build" {
		fmt.Fprintln(os.Stderr, "Error: unknown command")
		return 1
	}
	opts := krusty.MakeDefaultOptions()
	opts.Reorder = krusty.ReorderOptionUnspecified
	opts.LoadRestrictions = types.LoadRestrictionsRootOnly
	m, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		return 1
	}
	out, err := m.AsYaml()
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		return 1
	}
	if alter := os.Getenv(fakeKustomizeAlter); alter != "" && strings.HasSuffix(args[1], alter) {
		out = append(out, "# altered\n"...)
	}
	os.Stdout.Write(out)
	return 0
}

// writeTree writes files (slash paths to contents) under root; a content
// starting with "-> " makes a symbolic link to the rest.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "-> "); ok {
			if err := os.Symlink(filepath.FromSlash(target), p); err != nil {
				t.Skipf("symbolic links unavailable: %v", err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const cmYAML = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"

func TestKustomizationFolders(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"ext/kustomization.yaml": "resources: [cm.yaml]\n", "ext/cm.yaml": cmYAML})
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"ops/real/kustomization.yaml":      "resources: [cm.yaml]\n",
		"ops/real/cm.yaml":                 cmYAML,
		"ops/real/sub/Kustomization":       "resources: [../cm.yaml]\n",
		"ops/alias":                        "-> real",
		"ops/real/loop":                    "-> ..",
		"ops/leave":                        "-> " + filepath.ToSlash(filepath.Join(outside, "ext")),
		"ops/dangling":                     "-> nowhere",
		".git/kustomization.yaml":          "resources: []\n",
		"node_modules/x/kustomization.yml": "resources: []\n",
		"other/kustomization.yml":          "resources: []\n",
	})
	dirs, viaLink, err := kustomizationFolders(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ops/alias", "ops/alias/sub", "ops/real", "ops/real/sub", "other"}
	if strings.Join(dirs, " ") != strings.Join(want, " ") {
		t.Errorf("folders %v, want %v", dirs, want)
	}
	var linked []string
	for d := range viaLink {
		linked = append(linked, d)
	}
	sort.Strings(linked)
	if strings.Join(linked, " ") != "ops/alias ops/alias/sub" {
		t.Errorf("through links %v, want [ops/alias ops/alias/sub]", linked)
	}
}

// runParityWithFake runs `opcat-bench parity` on files with the test
// binary standing in for the kustomize CLI.
func runParityWithFake(t *testing.T, files map[string]string, alter string) (int, string) {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, files)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(fakeKustomizeEnv, "1")
	t.Setenv(fakeKustomizeAlter, alter)
	var stdout, stderr bytes.Buffer
	code := run([]string{"parity", "-catalog", root, "-kustomize", exe, "-jobs", "2"}, &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

func TestParity(t *testing.T) {
	files := map[string]string{
		"op/base/kustomization.yaml":    "resources: [cm.yaml]\n",
		"op/base/cm.yaml":               cmYAML,
		"op/overlay/kustomization.yaml": "resources: [../base]\nnamePrefix: x-\n",
		"op/alias":                      "overlay", // a git link file: parity restores the link
		"broken/kustomization.yaml":     "resources: [missing.yaml]\n",
		"comp/kustomization.yaml":       "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n",
		"comp/cm.yaml":                  cmYAML,
	}
	tests := []struct {
		name   string
		alter  string
		code   int
		output []string
	}{
		{"same verdicts and bytes", "", exitOK, []string{"kustomizations  5 (1 through folder links)", "4 build to the same bytes, 1 fail in both, 0 mismatches", "no mismatch"}},
		{"output differs in a folder through a link", "op/alias", exitFailure, []string{"MISMATCH op/alias: both build, output differs"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := runParityWithFake(t, files, tc.alter)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, out)
			}
			for _, w := range tc.output {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestParityUsage(t *testing.T) {
	for _, args := range [][]string{
		{"parity", "-catalog", filepath.Join(t.TempDir(), "none")},
		{"parity", "-jobs", "0"},
		{"parity", "stray"},
		{"oracle", "-catalog", filepath.Join(t.TempDir(), "none")},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestOracle(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"base/kustomization.yaml": "resources: [cm.yaml]\n",
		"base/cm.yaml":            cmYAML,
		"ov/kustomization.yaml": "resources: [../base]\npatches:\n" +
			"  - target: {kind: ConfigMap, name: cm}\n    patch: '[{\"op\": \"add\", \"path\": \"/data\", \"value\": {\"a\": \"1\"}}]'\n" +
			"  - target: {kind: ConfigMap, name: nope}\n    patch: '[{\"op\": \"add\", \"path\": \"/data\", \"value\": {\"b\": \"2\"}}]'\n",
	})
	var stdout, stderr bytes.Buffer
	code := run([]string{"oracle", "-catalog", root, "-v"}, &stdout, &stderr)
	out := stdout.String()
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, stderr.String())
	}
	for _, w := range []string{
		"ov/kustomization.yaml:3:5: changes the build; no finding",
		"ov/kustomization.yaml:5:5: changes nothing (probe: unmatched); patch-target-unmatched",
		"patches 2: 0 not judged",
		"oracle agrees",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}
