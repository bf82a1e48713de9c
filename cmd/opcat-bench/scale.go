package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// scaleConfig is what `opcat-bench scale` measures.
type scaleConfig struct {
	opcat     string
	operators int
	factors   []int
	runs      int
	gen       genConfig
	keep      string
}

// runScale is `opcat-bench scale`: it generates the same kind of catalog
// at several sizes and times a cold `opcat validate` on each, to show how
// the time per kustomization and the peak memory grow with the catalog.
func runScale(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("scale", "-opcat PATH [flags]", stderr)
	cfg := scaleConfig{gen: genConfig{Overlays: span{2, 6}, Instances: span{0, 2}}}
	factors := fs.String("factors", "1,10", "`LIST` of sizes, as multiples of -operators, comma-separated")
	fs.StringVar(&cfg.opcat, "opcat", "", "`PATH` of the opcat binary to time (required)")
	fs.IntVar(&cfg.operators, "operators", 150, "operators of the catalog at size 1")
	fs.Var(&cfg.gen.Overlays, "overlays", "`N|MIN-MAX` version overlays per operator")
	fs.Var(&cfg.gen.Instances, "instances", "`N|MIN-MAX` operand folders per operator")
	fs.Uint64Var(&cfg.gen.Seed, "seed", 1, "seed of the generated catalogs")
	fs.IntVar(&cfg.runs, "runs", 3, "runs at each size; the median is reported")
	fs.StringVar(&cfg.keep, "keep", "", "`DIR` to write the catalogs into and keep (default: a temporary folder, removed)")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	if cfg.opcat == "" {
		fs.Usage()
		return usageErrorf(stderr, "scale: -opcat PATH is required")
	}
	for _, f := range strings.Split(*factors, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return usageErrorf(stderr, "scale: -factors: %q is not a positive whole number", f)
		}
		cfg.factors = append(cfg.factors, n)
	}
	if cfg.operators < 1 || cfg.runs < 1 {
		return usageErrorf(stderr, "scale: -operators and -runs must be at least 1")
	}
	var err error
	if cfg.opcat, err = resolveBinary(cfg.opcat); err != nil {
		return usageErrorf(stderr, "scale: -opcat: %v", err)
	}
	dir := cfg.keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "opcat-scale-"); err != nil {
			return failf(stderr, "scale: %v", err)
		}
		defer os.RemoveAll(dir)
	}
	return measureScale(cfg, dir, stdout, stderr)
}

// scalePoint is what one size measured.
type scalePoint struct {
	factor, kustomizations int
	wall, cpu              time.Duration // medians
	peak                   int64
	peakKnown              bool
}

// rssBound is the peak memory allowed for n kustomizations: 60 MB and
// 300 MB per 1,000 kustomizations.
func rssBound(n int) int64 { return 60<<20 + int64(n)*300<<20/1000 }

func measureScale(cfg scaleConfig, dir string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "opcat validate --no-cache, median of %d runs at each size (wall and CPU: user + system)\n", cfg.runs)
	var points []scalePoint
	for _, f := range cfg.factors {
		gc := cfg.gen
		gc.Operators = cfg.operators * f
		root := filepath.Join(dir, fmt.Sprintf("x%d", f))
		if err := os.RemoveAll(root); err != nil {
			return failf(stderr, "scale: %v", err)
		}
		if err := writeFiles(root, generate(gc)); err != nil {
			return failf(stderr, "scale: %v", err)
		}
		dirs, err := findKustomizations(root)
		if err != nil {
			return failf(stderr, "scale: %v", err)
		}
		p := scalePoint{factor: f, kustomizations: len(dirs), peakKnown: true}
		var walls, cpus []time.Duration
		for range cfg.runs {
			r, err := runOpcatBinary(cfg.opcat, root, "--no-cache")
			if err != nil {
				return failf(stderr, "scale: %v", err)
			}
			walls, cpus = append(walls, r.Elapsed), append(cpus, r.CPU)
			fmt.Fprintf(stdout, "  x%-3d run %d/%d: wall %s, CPU %s, peak RSS %s\n", f, len(walls), cfg.runs, seconds(r.Elapsed), seconds(r.CPU), mib(r.PeakRSS))
			p.peak, p.peakKnown = max(p.peak, r.PeakRSS), p.peakKnown && r.PeakKnown
		}
		p.wall, p.cpu = median(walls), median(cpus)
		points = append(points, p)
		fmt.Fprintf(stdout, "  x%-3d %6d operators %7d kustomizations  wall %9s (%6.3f ms each)  CPU %9s (%6.3f ms each)  peak RSS %s (bound %s)\n",
			f, gc.Operators, p.kustomizations, seconds(p.wall), perKust(p.wall, p.kustomizations),
			seconds(p.cpu), perKust(p.cpu, p.kustomizations), peakLabel(p), mib(rssBound(p.kustomizations)))
		if cfg.keep == "" {
			os.RemoveAll(root)
		}
	}
	code := exitOK
	base := points[0]
	for _, p := range points[1:] {
		w := perKust(p.wall, p.kustomizations) / perKust(base.wall, base.kustomizations)
		c := perKust(p.cpu, p.kustomizations) / perKust(base.cpu, base.kustomizations)
		fmt.Fprintf(stdout, "x%d against x%d: time per kustomization %.2fx wall, %.2fx CPU\n", p.factor, base.factor, w, c)
	}
	for _, p := range points {
		if p.peakKnown && p.peak > rssBound(p.kustomizations) {
			fmt.Fprintf(stdout, "x%d: peak RSS %s is over the bound %s\n", p.factor, mib(p.peak), mib(rssBound(p.kustomizations)))
			code = exitFailure
		}
	}
	return code
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func perKust(d time.Duration, n int) float64 {
	return float64(d.Microseconds()) / 1000 / float64(max(n, 1))
}

func peakLabel(p scalePoint) string {
	if !p.peakKnown {
		return "unknown"
	}
	return mib(p.peak)
}
