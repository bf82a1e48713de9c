package kustomize

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

const cmYAML = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  k: v\n"

func cm(name string) string { return strings.ReplaceAll(cmYAML, "%s", name) }

// TestSnapshotFSNames reads and builds files whose names kustomize's
// in-memory filesystem refuses.
func TestSnapshotFSNames(t *testing.T) {
	names := []string{
		"docs/Business Automation Insights.drawio",
		"docs/a+b.md",
		"docs/café.md",
		"docs/notes..md",
		"docs/x(1)@2x.png",
		"My Docs/readme.md",
		"app/config map.yaml",
		"app/ünïcödé.yaml",
		"app/a+b@c(1).yaml",
		"app/v1..2.yaml",
	}
	files := map[string]string{
		"app/kustomization.yaml":     "resources:\n- config map.yaml\n- ünïcödé.yaml\n- a+b@c(1).yaml\n- v1..2.yaml\n- ../My Docs\n",
		"My Docs/kustomization.yaml": "resources:\n- cm.yaml\n",
		"My Docs/cm.yaml":            cm("my-docs"),
	}
	for i, n := range names {
		if _, ok := files[n]; !ok {
			files[n] = cm("cm-" + string(rune('a'+i)))
		}
	}
	for _, source := range []string{"map", "disk"} {
		t.Run(source, func(t *testing.T) {
			var tree *Tree
			if source == "map" {
				tree = NewTreeFromMap(files)
			} else {
				root := t.TempDir()
				writeFiles(t, root, files)
				var err error
				if tree, err = ReadTree(root, TreeOptions{}); err != nil {
					t.Fatal(err)
				}
				if len(tree.Problems) != 0 {
					t.Fatalf("problems: %v", tree.Problems)
				}
			}
			for _, n := range names {
				if data, ok := tree.ReadFile(n); !ok || len(data) == 0 {
					t.Errorf("%s not read", n)
				}
				if b, err := tree.fs.ReadFile("/" + n); err != nil || len(b) == 0 {
					t.Errorf("fs.ReadFile(%s): %v", n, err)
				}
			}
			res := NewBuilder(tree).Build("app")
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if got := strings.Count(string(res.YAML()), "kind: ConfigMap"); got != 5 {
				t.Errorf("built %d objects, want 5:\n%s", got, res.YAML())
			}
		})
	}
}

// TestSnapshotFSReadOnly checks that nothing can be written through the
// filesystem krusty is given.
func TestSnapshotFSReadOnly(t *testing.T) {
	tree := NewTreeFromMap(map[string]string{"a/f.yaml": "x: 1\n"})
	fs := tree.fs
	writes := map[string]error{
		"WriteFile": fs.WriteFile("/a/f.yaml", []byte("y: 2\n")),
		"MkdirAll":  fs.MkdirAll("/b/c"),
		"Mkdir":     fs.Mkdir("/b"),
		"RemoveAll": fs.RemoveAll("/a"),
	}
	if _, err := fs.Create("/a/g.yaml"); err != nil {
		writes["Create"] = err
	}
	f, err := fs.Open("/a/f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("z")); err != nil {
		writes["File.Write"] = err
	}
	for name, err := range writes {
		if !errors.Is(err, errReadOnly) {
			t.Errorf("%s: got %v, want a read-only error", name, err)
		}
	}
	if len(writes) != 6 {
		t.Errorf("only %d of 6 writes failed", len(writes))
	}
	if b, _ := tree.ReadFile("a/f.yaml"); string(b) != "x: 1\n" {
		t.Errorf("content changed: %q", b)
	}
	if fs.Exists("/b") || fs.Exists("/a/g.yaml") {
		t.Error("a write created something")
	}
}

// TestSnapshotFSMatchesDisk builds catalogs with symbolic links both on
// kustomize's own on-disk filesystem and on the snapshot, and requires the
// same verdict and the same bytes: links resolve as filepath.EvalSymlinks
// resolves them, and the loader's root-only restriction refuses the same
// files.
func TestSnapshotFSMatchesDisk(t *testing.T) {
	type link struct{ target, at string }
	cases := []struct {
		name  string
		files map[string]string
		links []link
		dirs  []string // folders to build
		fails []string // the folders that must fail
	}{
		{
			name: "file link inside the kustomization",
			files: map[string]string{
				"app/kustomization.yaml": "resources:\n- alias.yaml\n",
				"app/real/cm.yaml":       cm("a"),
			},
			links: []link{{"real/cm.yaml", "app/alias.yaml"}},
			dirs:  []string{"app"},
		},
		{
			name: "file link leaving the kustomization's tree but inside the root",
			files: map[string]string{
				"app/kustomization.yaml": "resources:\n- alias.yaml\n",
				"shared/cm.yaml":         cm("a"),
			},
			links: []link{{"../shared/cm.yaml", "app/alias.yaml"}},
			dirs:  []string{"app"},
			fails: []string{"app"},
		},
		{
			name: "folder link",
			files: map[string]string{
				"ops/real/base/kustomization.yaml":     "resources:\n- cm.yaml\n",
				"ops/real/base/cm.yaml":                cm("base"),
				"ops/real/overlay/kustomization.yaml":  "resources:\n- ../base\n- ../../common\nnamePrefix: x-\n",
				"ops/common/kustomization.yaml":        "resources:\n- cm.yaml\n",
				"ops/common/cm.yaml":                   cm("common"),
				"top/kustomization.yaml":               "resources:\n- ../ops/alias/overlay\n",
				"deep/a/b/kustomization.yaml":          "resources:\n- ../../../ops/alias/base\n",
				"ops/real/overlay/kustomization.yml.x": "not a kustomization\n",
			},
			links: []link{{"real", "ops/alias"}},
			dirs:  []string{"ops/alias/overlay", "ops/alias/base", "top", "deep/a/b", "ops/real/overlay"},
		},
		{
			name: "folder link whose target reaches up past the link",
			files: map[string]string{
				"x/y/kustomization.yaml": "resources:\n- ../../z\n",
				"z/kustomization.yaml":   "resources:\n- cm.yaml\n",
				"z/cm.yaml":              cm("z"),
				"w/placeholder.md":       "",
			},
			// w/l/y is x/y: ../../z from x/y is z, not w/z.
			links: []link{{"../x", "w/l"}},
			dirs:  []string{"w/l/y", "x/y"},
		},
		{
			name: "kustomization file that is a link",
			files: map[string]string{
				"app/k.yaml":  "resources:\n- cm.yaml\n",
				"app/cm.yaml": cm("a"),
			},
			links: []link{{"k.yaml", "app/kustomization.yaml"}},
			dirs:  []string{"app"},
		},
		{
			name: "generator configuration built from a folder",
			files: map[string]string{
				"app/kustomization.yaml": "resources:\n- cm.yaml\ngenerators:\n- ../gen\ntransformers:\n- t.yaml\n",
				"app/cm.yaml":            cm("a"),
				"app/t.yaml":             "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: p.yaml\ntarget:\n  kind: ConfigMap\n",
				"app/p.yaml":             "- op: add\n  path: /data/patched\n  value: \"yes\"\n",
				"gen/kustomization.yaml": "resources:\n- g.yaml\nnamePrefix: p-\n",
				"gen/g.yaml":             "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: g\nliterals:\n- a=b\n",
			},
			dirs: []string{"app"},
		},
		{
			name: "dangling link",
			files: map[string]string{
				"app/kustomization.yaml": "resources:\n- gone.yaml\n",
			},
			links: []link{{"nowhere.yaml", "app/gone.yaml"}},
			dirs:  []string{"app"},
			fails: []string{"app"},
		},
		{
			name: "link loop",
			files: map[string]string{
				"app/kustomization.yaml": "resources:\n- a.yaml\n",
			},
			links: []link{{"b.yaml", "app/a.yaml"}, {"a.yaml", "app/b.yaml"}},
			dirs:  []string{"app"},
			fails: []string{"app"},
		},
		{
			name: "two kustomization files",
			files: map[string]string{
				"app/kustomization.yaml": "resources:\n- cm.yaml\n",
				"app/kustomization.yml":  "resources:\n- cm.yaml\n",
				"app/cm.yaml":            cm("a"),
				"b/Kustomization":        "resources:\n- cm.yaml\n",
				"b/cm.yaml":              cm("b"),
			},
			dirs:  []string{"app", "b"},
			fails: []string{"app"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, c.files)
			for _, l := range c.links {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(root, l.at)), 0o755); err != nil {
					t.Fatal(err)
				}
				symlink(t, l.target, filepath.Join(root, l.at))
			}
			root, _ = filepath.EvalSymlinks(root)
			tree, err := ReadTree(root, TreeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			b := NewBuilder(tree)
			var failed []string
			for _, dir := range c.dirs {
				want, werr := krusty.MakeKustomizer(krustyOptions()).Run(filesys.MakeFsOnDisk(), filepath.Join(root, dir))
				got := b.Build(dir)
				switch {
				case werr != nil && got.Err == nil:
					t.Errorf("%s: builds here, fails on disk: %v", dir, werr)
				case werr == nil && got.Err != nil:
					t.Errorf("%s: fails here (%v), builds on disk", dir, got.Err)
				case werr == nil:
					out, _ := want.AsYaml()
					if string(out) != string(got.YAML()) {
						t.Errorf("%s: got\n%s\nwant\n%s", dir, got.YAML(), out)
					}
				}
				if got.Err != nil {
					failed = append(failed, dir)
				}
			}
			sort.Strings(failed)
			sort.Strings(c.fails)
			if strings.Join(failed, " ") != strings.Join(c.fails, " ") {
				t.Errorf("failed %v, want %v", failed, c.fails)
			}
		})
	}
}

// TestKustomizationDirsThroughLinks lists folders reached through links
// at their link paths, once, and never loops.
func TestKustomizationDirsThroughLinks(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"ops/real/kustomization.yaml":      "resources:\n- cm.yaml\n",
		"ops/real/cm.yaml":                 cm("a"),
		"ops/real/sub/kustomization.yaml":  "resources:\n- ../cm.yaml\n",
		"other/kustomization.yaml":         "resources:\n- cm.yaml\n",
		"other/cm.yaml":                    cm("b"),
		"ops/real/inner/placeholder.md":    "",
		"ops/real/inner/deeper/readme.txt": "",
	})
	symlink(t, "real", filepath.Join(root, "ops", "alias"))
	symlink(t, "../../../other", filepath.Join(root, "ops", "real", "inner", "other"))
	symlink(t, "../../real", filepath.Join(root, "ops", "real", "inner", "back")) // leads back: not listed again
	tree, err := ReadTree(root, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := "ops/alias ops/alias/inner/other ops/alias/sub ops/real ops/real/inner/other ops/real/sub other"
	if got := strings.Join(tree.KustomizationDirs(), " "); got != want {
		t.Errorf("KustomizationDirs() =\n%s\nwant\n%s", got, want)
	}
	for virt, real := range map[string]string{
		"ops/alias":                     "ops/real",
		"ops/alias/sub/../cm.yaml":      "ops/real/cm.yaml",
		"ops/alias/inner/other":         "other",
		"ops/alias/inner/other/cm.yaml": "other/cm.yaml",
		"ops/real/missing/x.yaml":       "ops/real/missing/x.yaml",
		"ops/alias/missing":             "ops/real/missing",
	} {
		if got := tree.RealPath(virt); got != real {
			t.Errorf("RealPath(%s) = %s, want %s", virt, got, real)
		}
	}
}
