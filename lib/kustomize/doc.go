// Package kustomize reads kustomization files and patches the way kustomize
// reads them, keeping the line and column of every value, and builds a
// kustomization in-process with kustomize's own engine (krusty).
//
// Everything here works on a [Tree]: a read-only snapshot of a catalog's files
// taken once, so that a build never reads outside the catalog root, never
// touches the network and never runs a plugin.
package kustomize
