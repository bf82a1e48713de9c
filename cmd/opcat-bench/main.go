// Command opcat-bench generates large GitOps operator catalogs and measures
// how long opcat takes to load and render one in-process, against running
// the kustomize CLI in every kustomization folder as CI scripts do. It also
// checks that both give the same build verdicts, byte for byte.
//
// Usage:
//
//	opcat-bench gen -out DIR [-operators N] [-overlays M|MIN-MAX] [-instances K|MIN-MAX] [-seed S] [-force]
//	opcat-bench run [-catalog DIR] [-kustomize PATH] [-opcat PATH] [-runs N] [-jobs J]
//	opcat-bench scale -opcat PATH [-operators N] [-factors 1,10] [-runs N] [-overlays M|MIN-MAX] [-instances K|MIN-MAX] [-seed S] [-keep DIR]
//	opcat-bench parity [-catalog DIR] [-kustomize PATH] [-jobs J] [-git-links=false] [-v]
//	opcat-bench oracle [-catalog DIR] [-v]
//
// Exit codes: 0 success; 1 the verdicts differ, the patch oracle disagrees
// or something failed while running; 2 bad usage (unknown command, bad flag, missing catalog or
// kustomize, non-empty -out).
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
