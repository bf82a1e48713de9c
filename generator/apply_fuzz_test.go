package generator

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzNames are the files FuzzPlanApply plays with: some at the root, some
// in folders that exist or not.
var fuzzNames = []string{"a.yaml", "d/b.yaml", "d/e/c.yaml", "d/e/y.yaml", "n/m/x.yaml", "z.yaml"}

// FuzzPlanApply builds a random tree and a random plan (creations, edits,
// deletions), fails Apply at a random step or not at all, and checks that
// the tree is then exactly as before, or exactly as planned, with no
// temporary file or lock left.
func FuzzPlanApply(f *testing.F) {
	f.Add([]byte{0x13, 0x25, 0x31, 0x42}, []byte{0x00, 0x11, 0x22, 0x35, 0x44}, uint16(3))
	f.Add([]byte{0xff}, []byte{0x01, 0x02, 0x03}, uint16(0))
	f.Add([]byte{}, []byte{0x10, 0x20, 0x30, 0x40, 0x50}, uint16(999))
	f.Fuzz(func(t *testing.T, tree, ops []byte, failAt uint16) {
		if len(tree) > 16 || len(ops) > 16 {
			return
		}
		root := t.TempDir()
		files := map[string]string{}
		for _, b := range tree {
			name := fuzzNames[int(b)%len(fuzzNames)]
			files[name] = strings.Repeat(string(rune('a'+b%26)), int(b>>4))
		}
		for name, content := range files {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p := NewPlan(root)
		want := map[string]string{}
		for k, v := range files {
			want[k] = v
		}
		for _, b := range ops {
			name := fuzzNames[int(b)%len(fuzzNames)]
			if b>>6 == 3 {
				if err := p.Delete(name); err != nil {
					t.Fatal(err)
				}
				delete(want, name)
				continue
			}
			content := strings.Repeat(string(rune('A'+b%26)), int(b>>3)&7)
			if err := p.Add(name, []byte(content), b&0x20 != 0); err != nil {
				t.Fatal(err)
			}
			want[name] = content
		}
		before := snapshot(t, root)
		injected := errors.New("injected")
		steps := 0
		p.fault = func(i, n int) error {
			steps = n
			if i == int(failAt)%(n+1) {
				return injected
			}
			return nil
		}
		err := p.Apply(true)
		switch {
		case errors.Is(err, injected):
			if err := sameTree(before, snapshot(t, root)); err != nil {
				t.Fatalf("failed at step %d of %d, the tree changed: %v", int(failAt)%(steps+1), steps, err)
			}
		case err != nil:
			t.Fatal(err)
		default:
			got := readTree(t, root)
			for name, content := range want {
				if got[name] != content {
					t.Errorf("%s: got %q, want %q", name, got[name], content)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s is left in the tree", name)
				}
			}
		}
	})
}
