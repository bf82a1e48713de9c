package kustomize

import (
	"fmt"
	"testing"
)

// provenanceTree is an overlay with an inline JSON patch that includes a
// base with a patch file.
var provenanceTree = map[string]string{
	"base/kustomization.yaml": `resources:
- sub.yaml
patches:
- path: p.yaml
  target: {kind: Subscription}
`,
	"base/sub.yaml": "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: s}\nspec: {channel: a}\n",
	"base/p.yaml":   "- op: replace\n  path: /spec/channel\n  value: b\n- op: remove\n  path: /spec/startingCSV\n",
	"ov/kustomization.yaml": `resources:
- ../base
patches:
- target: {kind: Subscription}
  patch: |-
    - op: add
      path: /spec/config
      value: {}
    - op: replace
      path: /spec/channel
      value: c
`,
}

func TestPatchOps(t *testing.T) {
	tree := NewTreeFromMap(provenanceTree)
	var got []string
	for _, o := range tree.PatchOps(tree.Kustomization("ov/kustomization.yaml")) {
		got = append(got, fmt.Sprintf("%s %s %s", o.Op.Op, o.Path, o.Pos))
	}
	want := []string{"add /spec/config ov/kustomization.yaml:6:7", "replace /spec/channel ov/kustomization.yaml:9:7"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("PatchOps = %q, want %q", got, want)
	}
	if ops := tree.PatchOps(nil); ops != nil {
		t.Errorf("PatchOps(nil) = %v", ops)
	}
}

func TestFindPatchOp(t *testing.T) {
	tree := NewTreeFromMap(provenanceTree)
	tests := []struct {
		dir, op, path string
		want          string // "" for none
	}{
		{"ov", "replace", "/spec/channel", "ov/kustomization.yaml:9:7"},
		{"ov", "remove", "/spec/startingCSV", "base/p.yaml:4:3"}, // in what ov includes
		{"base", "replace", "/spec/channel", "base/p.yaml:1:3"},
		{"base", "add", "/spec/config", ""}, // only ov writes it
		{"missing", "add", "/spec/config", ""},
	}
	for _, tt := range tests {
		o, ok := tree.FindPatchOp(tt.dir, func(o WrittenOp) bool { return o.Op.Op == tt.op && o.Path == tt.path })
		got := ""
		if ok {
			got = o.Pos.String()
		}
		if got != tt.want {
			t.Errorf("FindPatchOp(%s, %s %s) = %q, want %q", tt.dir, tt.op, tt.path, got, tt.want)
		}
	}
}

func TestWrittenOpWrites(t *testing.T) {
	tests := []struct {
		op, path string
		keys     []string
		want     bool
	}{
		{"replace", "/spec/channel", []string{"spec", "channel"}, true},
		{"add", "/spec/config", []string{"spec", "config", "env"}, true}, // a parent
		{"copy", "/spec/config/env", []string{"spec", "config", "env"}, true},
		{"move", "/spec/config/env", []string{"spec", "config", "env"}, true},
		{"add", "/spec", []string{"spec", "channel"}, false}, // the top level says nothing
		{"remove", "/spec/channel", []string{"spec", "channel"}, false},
		{"test", "/spec/channel", []string{"spec", "channel"}, false},
		{"replace", "/spec/channel/x", []string{"spec", "channel"}, false}, // a child
		{"replace", "/spec/source", []string{"spec", "channel"}, false},
	}
	for _, tt := range tests {
		o := WrittenOp{Op: Op{Op: tt.op, Path: tt.path}}
		if got := o.Writes(tt.keys); got != tt.want {
			t.Errorf("%s %s Writes(%v) = %v, want %v", tt.op, tt.path, tt.keys, got, tt.want)
		}
	}
}
