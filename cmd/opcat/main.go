// Command opcat scaffolds, validates and renders GitOps catalogs of OLM
// operators.
package main

import (
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/opcat-dev/opcat/cmd/opcat/internal/cli"
)

// gcPercent is the garbage collector's target for a run: a run is short
// and most of what it allocates dies with the build that allocated it, so
// collecting a third as often saves a fifth of the CPU time, for a peak
// memory that still grows with the catalog (about 270 MB for 900
// kustomizations). GOGC, when set, wins.
const gcPercent = 200

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run())
}

// run runs the command line; with OPCAT_CPUPROFILE set it writes a CPU
// profile of the run to that file, for `go tool pprof`.
func run() int {
	if p := os.Getenv("OPCAT_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	return cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}
