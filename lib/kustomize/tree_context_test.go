package kustomize

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestReadTreeCancelled: the walk stops under a done context and ReadTree
// returns its error; without one, or with a live one, the tree is read.
func TestReadTreeCancelled(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "kustomization.yaml"), []byte("resources: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"no context", nil, nil},
		{"live", context.Background(), nil},
		{"cancelled", cancelled, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := ReadTree(root, TreeOptions{Context: tt.ctx})
			if !errors.Is(err, tt.want) || (err == nil) != (tree != nil) {
				t.Fatalf("ReadTree = %v, %v; want error %v", tree, err, tt.want)
			}
			if tree != nil && len(tree.KustomizationDirs()) != 1 {
				t.Errorf("read %v, want the root kustomization", tree.KustomizationDirs())
			}
		})
	}
}
