package main

import (
	"os"
	"runtime/debug"
	"time"

	"context"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
)

// loadRun is one in-process load of a catalog.
type loadRun struct {
	Elapsed time.Duration
	// PeakRSS is VmHWM after the load, in bytes; PeakKnown says whether it
	// could be read, PeakReset whether it was reset before the load (when
	// not, it covers the whole process so far).
	PeakRSS              int64
	PeakKnown, PeakReset bool
	Catalog              *catalog.Catalog
}

// loadInProcess does what opcat validate does, in-process: it loads and
// builds the catalog at root with catalog.Load and runs every rule, timing
// it and measuring this process's peak memory while it runs.
func loadInProcess(root string, jobs int) (loadRun, error) {
	debug.FreeOSMemory() // what earlier runs left must not count
	var r loadRun
	r.PeakReset = resetPeakRSS()
	restore := quietStderr()
	start := time.Now()
	c, err := catalog.Load(context.Background(), root, catalog.Options{Jobs: jobs})
	if err == nil {
		_, err = lint.Run(context.Background(), c, lint.Config{}, lint.Options{})
	}
	r.Elapsed = time.Since(start)
	restore()
	r.PeakRSS, r.PeakKnown = peakRSS()
	r.Catalog = c
	return r, err
}

// quietStderr points os.Stderr at the null device until the returned
// function is called: the kustomize engine prints deprecation warnings
// there, which the opcat CLI silences too. Writers that hold the original
// *os.File are not affected.
func quietStderr() (restore func()) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return func() {}
	}
	saved := os.Stderr
	os.Stderr = devnull
	return func() { os.Stderr = saved; devnull.Close() }
}

// catalogVerdicts turns the builds of a loaded catalog into verdicts.
func catalogVerdicts(c *catalog.Catalog) map[string]verdict {
	out := make(map[string]verdict, len(c.Kustomizations))
	for dir, n := range c.Kustomizations {
		switch {
		case n.Role == catalog.RoleComponent:
			out[dir] = verdict{Component: true}
		case n.Result.Err != nil:
			out[dir] = verdict{Msg: n.Result.Err.Error()}
		default:
			out[dir] = verdict{OK: true, YAML: n.Result.YAML()}
		}
	}
	return out
}
