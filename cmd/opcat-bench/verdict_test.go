package main

import (
	"strings"
	"testing"
)

func TestCompareVerdicts(t *testing.T) {
	cli := map[string]verdict{
		"a": {OK: true, YAML: []byte("x: 1\n")},
		"b": {Msg: "Error: missing"},
		"c": {OK: true, YAML: []byte("x: 1\ny: 2\n")},
		"d": {OK: true, YAML: []byte("x: 1\n")},
		"e": {Msg: "Error: remote"},
		"f": {OK: true},
	}
	opcat := map[string]verdict{
		"a": {OK: true, YAML: []byte("x: 1\n")},
		"b": {Msg: "missing"},
		"c": {OK: true, YAML: []byte("x: 1\ny: 3\n")},
		"d": {Msg: "boom"},
		"e": {OK: true},
		"g": {Component: true},
	}
	cmp := compareVerdicts(cli, opcat)
	if cmp.Builds != 1 || cmp.Fails != 1 || len(cmp.Mismatches) != 5 {
		t.Fatalf("got %+v", cmp)
	}
	for i, want := range []string{"c: both build, output differs: line 2", "d: kustomize builds it, opcat fails", "e: opcat builds it", "f: found on disk", "g: loaded by opcat"} {
		if !strings.HasPrefix(cmp.Mismatches[i], want) {
			t.Errorf("mismatch %d: %q, want prefix %q", i, cmp.Mismatches[i], want)
		}
	}
}
