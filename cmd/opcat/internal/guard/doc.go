// Package guard holds no code of its own, only tests: they prove that no
// catalog can make opcat run a program, reach the network or leave
// temporary files behind.
//
// Each case runs opcat's commands (list, validate, render on every
// kustomization folder, fix --dry-run, outdated) in a child process, a
// re-run of the test binary, whose environment is fixed before anything
// runs:
//
//   - PATH holds only a folder of fake programs (git, ssh, helm, kubectl,
//     kustomize, docker, podman, sh, ...) that record every call;
//     KUSTOMIZE_PLUGIN_HOME holds exec plugins that record theirs;
//   - the catalogs' URLs point at a recording listener on 127.0.0.1, and
//     HTTP_PROXY/HTTPS_PROXY (NO_PROXY empty) at a second one, so that a
//     request to any other host is caught without leaving the machine;
//   - TMPDIR is a fresh folder that must be empty afterwards.
//
// A case fails on any recorded call, connection or leftover file, and when
// the catalog changed on disk. FuzzGuard runs the same checks in-process on
// fuzzed catalogs.
package guard
