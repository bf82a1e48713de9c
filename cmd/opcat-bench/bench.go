package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// defaultCatalog is the reference corpus, beside the project in development
// checkouts.
const defaultCatalog = "../shared/corpus/eda-gitops-catalog"

// maxShownMismatches bounds the mismatches printed.
const maxShownMismatches = 20

// benchConfig is what `opcat-bench run` measures.
type benchConfig struct {
	catalog, kustomize, opcat string
	runs, jobs                int
}

// runBench is `opcat-bench run`.
func runBench(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("run", "[flags]", stderr)
	var cfg benchConfig
	fs.StringVar(&cfg.catalog, "catalog", defaultCatalog, "`DIR` of the catalog to measure")
	fs.StringVar(&cfg.kustomize, "kustomize", "", "`PATH` of the kustomize CLI (default: kustomize on PATH, else $GOPATH/bin/kustomize)")
	fs.StringVar(&cfg.opcat, "opcat", "", "`PATH` of an opcat binary to time as well, running opcat validate on a copy of the catalog: cold (--no-cache), warm with nothing changed, warm with one file changed")
	fs.IntVar(&cfg.runs, "runs", 3, "runs of each measure; the best is reported")
	fs.IntVar(&cfg.jobs, "jobs", 0, "kustomizations opcat builds at once in-process (0: one per CPU)")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	if cfg.runs < 1 || cfg.jobs < 0 {
		return usageErrorf(stderr, "run: -runs must be at least 1 and -jobs at least 0")
	}
	if st, err := os.Stat(cfg.catalog); err != nil || !st.IsDir() {
		hint := ""
		if cfg.catalog == defaultCatalog {
			hint = " (the reference corpus sits beside the project in development checkouts; run from the project root)"
		}
		return usageErrorf(stderr, "run: catalog folder %s not found%s; pass -catalog DIR, or make one with `opcat-bench gen -out DIR`", cfg.catalog, hint)
	}
	kustomize, err := resolveKustomize(cfg.kustomize)
	if err != nil {
		return usageErrorf(stderr, "run: %v", err)
	}
	cfg.kustomize = kustomize
	if cfg.opcat != "" {
		if cfg.opcat, err = resolveBinary(cfg.opcat); err != nil {
			return usageErrorf(stderr, "run: -opcat: %v", err)
		}
	}
	root, err := filepath.Abs(cfg.catalog)
	if err != nil {
		return failf(stderr, "run: %v", err)
	}
	dirs, err := findKustomizations(root)
	if err != nil {
		return failf(stderr, "run: %v", err)
	}
	if len(dirs) == 0 {
		return usageErrorf(stderr, "run: no kustomization file in %s", cfg.catalog)
	}
	return measure(cfg, root, dirs, stdout, stderr)
}

func resolveBinary(p string) (string, error) {
	if filepath.Base(p) == p {
		return p, nil // looked up on PATH when run
	}
	return filepath.Abs(p)
}

// best keeps the shortest of several durations.
type best struct{ d time.Duration }

func (b *best) add(d time.Duration) {
	if b.d == 0 || d < b.d {
		b.d = d
	}
}

// measure runs every measure cfg.runs times, prints the report and returns
// the exit code.
func measure(cfg benchConfig, root string, dirs []string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "catalog         %s\n", root)
	fmt.Fprintf(stdout, "kustomizations  %d\n", len(dirs))
	fmt.Fprintf(stdout, "kustomize       %s (%s)\n", cfg.kustomize, kustomizeVersion(cfg.kustomize))
	var cliBest, opBest best
	var cliCPU time.Duration
	var cold, warm, changed bestRun
	var cliVerdicts, opVerdicts map[string]verdict
	var peak int64
	peakKnown, peakReset := true, true
	var operators, overlays, problems int
	var bin binarySetup
	if cfg.opcat != "" {
		var err error
		if bin, err = setupBinary(cfg.opcat, root, dirs); err != nil {
			return failf(stderr, "run: %v", err)
		}
		defer os.RemoveAll(bin.tmp)
	}
	for i := 1; i <= cfg.runs; i++ {
		cliTime, cpu, v, err := runCLILoop(cfg.kustomize, root, dirs)
		if err != nil {
			return failf(stderr, "run: %v", err)
		}
		cliBest.add(cliTime)
		if cliCPU == 0 || cpu < cliCPU {
			cliCPU = cpu
		}
		if cliVerdicts == nil {
			cliVerdicts = v
		}
		lr, err := loadInProcess(root, cfg.jobs)
		if err != nil {
			return failf(stderr, "run: %v", err)
		}
		opBest.add(lr.Elapsed)
		peak = max(peak, lr.PeakRSS)
		peakKnown, peakReset = peakKnown && lr.PeakKnown, peakReset && lr.PeakReset
		if opVerdicts == nil {
			opVerdicts = catalogVerdicts(lr.Catalog)
			operators, problems = len(lr.Catalog.Operators), len(lr.Catalog.Problems)
			for _, op := range lr.Catalog.Operators {
				overlays += len(op.Overlays)
			}
		}
		lr.Catalog = nil
		line := fmt.Sprintf("run %d/%d: kustomize loop %s, opcat in-process %s", i, cfg.runs, seconds(cliTime), seconds(lr.Elapsed))
		if cfg.opcat != "" {
			c, w, ch, err := bin.runs(cfg.opcat, i)
			if err != nil {
				return failf(stderr, "run: %v", err)
			}
			cold.add(c)
			warm.add(w)
			changed.add(ch)
			line += fmt.Sprintf(", opcat validate cold %s, warm %s, one file changed %s", seconds(c.Elapsed), seconds(w.Elapsed), seconds(ch.Elapsed))
		}
		fmt.Fprintln(stdout, line)
	}
	cmp := compareVerdicts(cliVerdicts, opVerdicts)

	fmt.Fprintf(stdout, "\nbest of %d runs\n", cfg.runs)
	fmt.Fprintf(stdout, "  operators               %d (%d overlays, %d problems reported)\n", operators, overlays, problems)
	fmt.Fprintf(stdout, "  kustomize build loop    %s  (%d sequential `kustomize build`; CPU %s)\n", seconds(cliBest.d), len(dirs), seconds(cliCPU))
	fmt.Fprintf(stdout, "  opcat in-process        %s  (opcat validate: load, build all, classify, every rule; jobs=%s)\n", seconds(opBest.d), jobsLabel(cfg.jobs))
	fmt.Fprintf(stdout, "  ratio                   %.1fx (kustomize loop / opcat in-process)\n", float64(cliBest.d)/float64(opBest.d))
	switch {
	case !peakKnown:
		fmt.Fprintf(stdout, "  peak RSS in-process     unknown (no /proc/self/status)\n")
	case peakReset:
		fmt.Fprintf(stdout, "  peak RSS in-process     %s (VmHWM during the load, whole bench process)\n", mib(peak))
	default:
		fmt.Fprintf(stdout, "  peak RSS in-process     %s (VmHWM since the bench started: it could not be reset)\n", mib(peak))
	}
	if cfg.opcat != "" {
		fmt.Fprintf(stdout, "  opcat validate binary, on a copy of the catalog (ratio: wall time; CPU: user + system, and its ratio; RSS: peak of all runs)\n")
		for _, m := range []struct {
			name string
			r    bestRun
		}{{"cold, --no-cache", cold}, {"warm, nothing changed", warm}, {"warm, one file changed", changed}} {
			mem := "unknown"
			if m.r.PeakKnown {
				mem = mib(m.r.PeakRSS)
			}
			fmt.Fprintf(stdout, "    %-24s %s  ratio %6.1fx  CPU %s (%6.1fx)  RSS %s\n", m.name, seconds(m.r.Elapsed),
				float64(cliBest.d)/float64(m.r.Elapsed), seconds(m.r.CPU), float64(cliCPU)/float64(max(m.r.CPU, time.Millisecond)), mem)
		}
		fmt.Fprintf(stdout, "    (the file changed: %s)\n", bin.editRel)
	}
	if len(cmp.Mismatches) == 0 {
		fmt.Fprintf(stdout, "\nverdicts identical: %d build to the same bytes, %d fail in both, %d components not built alone\n",
			cmp.Builds, cmp.Fails, cmp.Components)
		return exitOK
	}
	fmt.Fprintf(stdout, "\nverdicts DIFFER in %d folders (%d build to the same bytes, %d fail in both):\n",
		len(cmp.Mismatches), cmp.Builds, cmp.Fails)
	for i, m := range cmp.Mismatches {
		if i == maxShownMismatches {
			fmt.Fprintf(stdout, "  ... and %d more\n", len(cmp.Mismatches)-i)
			break
		}
		fmt.Fprintf(stdout, "  %s\n", m)
	}
	return exitFailure
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }

func jobsLabel(jobs int) string {
	if jobs == 0 {
		return "CPUs"
	}
	return fmt.Sprint(jobs)
}
