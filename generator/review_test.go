package generator

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opcat-dev/opcat/lib/index"
)

func TestEveryChannelDeprecated(t *testing.T) {
	pkg := demoPackage(everyMode)
	pkg.DefaultChannel = ""
	for _, ch := range pkg.Channels {
		ch.Deprecated = &index.Deprecation{Message: "gone"}
	}
	_, err := AddOperator(OperatorOptions{Root: t.TempDir(), Package: "demo", Index: setOf(pkg)})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Msg, "every channel of demo is deprecated") {
		t.Errorf("got %v, want an input error, not a panic", err)
	}
}

func TestOneTargetIsSingleNamespace(t *testing.T) {
	ownAndMulti := map[string]bool{"OwnNamespace": true, "MultiNamespace": true}
	_, err := AddOperator(OperatorOptions{Root: t.TempDir(), Package: "demo", Index: setOf(demoPackage(ownAndMulti)), Namespace: "demo", TargetNamespaces: []string{"apps"}})
	if err == nil {
		t.Error("one target namespace is SingleNamespace, which the operator does not support: want an error")
	}
	root := t.TempDir()
	p, err := AddOperator(OperatorOptions{Root: root, Package: "demo", Index: setOf(demoPackage(ownAndMulti)), Namespace: "demo", TargetNamespaces: []string{"apps", "web"}})
	apply(t, p, err)
	b, _ := os.ReadFile(filepath.Join(root, "demo/operator/base/operator-group.yaml"))
	if !strings.Contains(string(b), "- apps\n    - web\n") {
		t.Errorf("two targets are MultiNamespace:\n%s", b)
	}
}

// TestRemoveEmptyFoldersFromDotRoot: deleting with the root given as "."
// still removes the folders left empty.
func TestRemoveEmptyFoldersFromDotRoot(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "op/overlays/v1"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "op/overlays/v1/kustomization.yaml"), []byte("resources: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(root); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	p := NewPlan(".")
	if err := p.Delete("op/overlays/v1/kustomization.yaml"); err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "op")); !os.IsNotExist(err) {
		t.Errorf("empty folders left behind: %v", err)
	}
}

// TestDiffOfALargeFile stays quick and small: only what changed is compared.
func TestDiffOfALargeFile(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 50000; i++ {
		b.WriteString("line ")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString("\n")
	}
	a := b.String()
	changed := strings.Replace(a, "line xxx\n", "line yyy\n", 1)
	done := make(chan string, 1)
	go func() { done <- UnifiedDiff("a", "b", a, changed) }()
	select {
	case d := <-done:
		if !strings.Contains(d, "-line xxx\n+line yyy\n") {
			t.Errorf("diff:\n%s", d)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a one-line change in a large file took too long to diff")
	}
}
