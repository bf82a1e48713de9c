package kustomize

import (
	"fmt"
	"math"
	"path"
)

// MaxBuildSize bounds the estimate of EstimateResources: a build estimated
// larger is refused before it starts, as the kustomize engine cannot be
// stopped once it runs. Real overlays count tens; the engine's time grows
// faster than linearly with the count (seconds for a thousand, minutes for
// five thousand); a diamond of bases with a namePrefix at each level
// doubles the count per level. A catalog can hold many kustomizations just
// under the limit, so it stays low.
const MaxBuildSize = 2000

// EstimateResources returns the size of a build of dir, counted from the
// kustomization graph without building: every kustomization file and every
// resource document reachable through resources, bases and components, and
// every configMapGenerator and secretGenerator entry, once along every path
// that reaches it, as the engine loads them. Folders named by generators,
// transformers and validators are counted too, as kustomize builds them.
// Cycles and entries that do not exist count nothing (Diagnose reports
// them). The count saturates at math.MaxInt64.
func (b *Builder) EstimateResources(dir string) int64 {
	memo := map[string]int64{}
	visiting := map[string]bool{}
	var count func(dir string) int64
	count = func(dir string) int64 {
		if n, ok := memo[dir]; ok {
			return n
		}
		files := b.tree.KustomizationFile(dir)
		if len(files) != 1 || visiting[dir] {
			return 0
		}
		k := b.tree.Kustomization(files[0])
		if k == nil || k.Node == nil {
			return 0
		}
		visiting[dir] = true
		n := int64(1) // the kustomization itself
		entries := k.Refs()
		for _, field := range []string{"generators", "transformers", "validators"} {
			entries = append(entries, k.refsOf(field)...)
		}
		for _, r := range entries {
			if r.Value == "" || IsRemote(r.Value) {
				continue
			}
			target := path.Join(dir, r.Value)
			if b.tree.IsDir(target) {
				n = addSat(n, count(target))
				continue
			}
			if r.Field == "generators" || r.Field == "transformers" || r.Field == "validators" {
				continue // a plugin configuration, not a resource
			}
			if docs, _, ok := b.tree.ParseFile(target); ok {
				n = addSat(n, int64(len(docs)))
			}
		}
		for _, field := range []string{"configMapGenerator", "secretGenerator"} {
			if v := k.FieldValue(field); v != nil {
				n = addSat(n, int64(len(v.Content)))
			}
		}
		visiting[dir] = false
		memo[dir] = n
		return n
	}
	return count(path.Clean(dir))
}

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// refuseLarge returns the error that keeps a build of dir from running
// when its estimated size is over MaxBuildSize, or nil.
func (b *Builder) refuseLarge(dir string) *BuildError {
	n := b.EstimateResources(dir)
	if n <= MaxBuildSize {
		return nil
	}
	file := dir
	if files := b.tree.KustomizationFile(dir); len(files) == 1 {
		file = files[0]
	}
	return &BuildError{Cause: CauseTooLarge, Pos: Position{File: file, Line: 1, Column: 1},
		Message: fmt.Sprintf("not built: %s would load about %d kustomizations and resources (counted along every path through its bases), more than the limit of %d; the kustomize engine cannot be stopped once it runs", file, n, MaxBuildSize)}
}
