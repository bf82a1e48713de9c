// Package kustomize reads kustomization files and patches the way kustomize
// reads them, keeping the line and column of every value, and builds a
// kustomization in-process with kustomize's own engine (krusty).
//
// Everything here works on a [Tree]: a read-only snapshot of a catalog's files
// taken once, so that a build never reads outside the catalog root, never
// touches the network and never runs a plugin.
//
// What is wrong with a catalog comes back as facts, not verdicts: a [Problem]
// or a [BuildError] carries a typed [Cause] and the positions it concerns.
// This package names no validation rule; catalog/lint maps causes to rules.
package kustomize
