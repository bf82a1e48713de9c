package main

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// verdict is how one kustomization folder built.
type verdict struct {
	// OK is true when the build succeeded; YAML is then its output.
	OK   bool
	YAML []byte
	// Msg says why the build failed.
	Msg string
	// Component marks a kustomize Component, which opcat does not build on
	// its own (neither does kustomize: it only builds as part of another).
	Component bool
}

// comparison is the outcome of comparing the verdicts of the kustomize CLI
// with opcat's.
type comparison struct {
	Builds, Fails, Components int
	Mismatches                []string
}

// compareVerdicts compares, folder by folder, what the kustomize CLI did
// (cli) with what opcat did (opcat).
func compareVerdicts(cli, opcat map[string]verdict) comparison {
	var cmp comparison
	for _, dir := range unionKeys(cli, opcat) {
		c, inCLI := cli[dir]
		o, inOpcat := opcat[dir]
		switch {
		case !inOpcat:
			cmp.Mismatches = append(cmp.Mismatches, dir+": found on disk, but opcat did not load it")
		case !inCLI:
			cmp.Mismatches = append(cmp.Mismatches, dir+": loaded by opcat, but not found on disk")
		case o.Component:
			cmp.Components++
		case c.OK && o.OK && bytes.Equal(c.YAML, o.YAML):
			cmp.Builds++
		case c.OK && o.OK:
			cmp.Mismatches = append(cmp.Mismatches, dir+": both build, output differs: "+firstDifference(c.YAML, o.YAML))
		case !c.OK && !o.OK:
			cmp.Fails++
		case c.OK:
			cmp.Mismatches = append(cmp.Mismatches, dir+": kustomize builds it, opcat fails: "+o.Msg)
		default:
			cmp.Mismatches = append(cmp.Mismatches, dir+": opcat builds it, kustomize fails: "+c.Msg)
		}
	}
	return cmp
}

func unionKeys(a, b map[string]verdict) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// firstDifference names the first line where the kustomize CLI's output
// (want) and opcat's (got) differ.
func firstDifference(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if i >= len(w) || i >= len(g) || wl != gl {
			return fmt.Sprintf("line %d: kustomize %q, opcat %q", i+1, wl, gl)
		}
	}
	return "same lines, different bytes"
}
