package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fuzzTarget is one Fuzz function of a package.
type fuzzTarget struct{ pkg, name string }

// runFuzz runs every Fuzz target of the module (or those matching -match)
// for -time each, one after the other, with `go test -fuzz`, and reports
// for each how many inputs it ran, how fast, and how many new interesting
// inputs it found. A target that runs no input, or stops making progress,
// fails the run. New crashers land in the package's testdata/fuzz, where
// they become regression tests.
func runFuzz(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("fuzz", "[flags]", stderr)
	d := fs.Duration("time", 2*time.Minute, "how long each fuzz target runs")
	match := fs.String("match", "", "run only targets whose package or name contains this")
	list := fs.Bool("list", false, "list the targets and exit")
	minimize := fs.String("minimize", "0", "go test -fuzzminimizetime: time (or count, e.g. 100x) spent minimising each new input; 0 turns minimisation off, which keeps targets that run the kustomize engine fuzzing")
	parallel := fs.Int("parallel", 0, "fuzzing workers per target (go test -parallel); 0 uses GOMAXPROCS")
	stall := fs.Duration("stall", 30*time.Second, "fail a target whose exec count stays the same this long once fuzzing started (at most half of -time)")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	if *d <= 0 {
		fmt.Fprintf(stderr, "opcat-bench fuzz: -time must be positive\n")
		return exitUsage
	}
	targets, err := fuzzTargets()
	if err != nil {
		fmt.Fprintf(stderr, "opcat-bench: %v\n", err)
		return exitFailure
	}
	window := min(*stall, *d/2)
	failed, ran := 0, 0
	for _, t := range targets {
		if *match != "" && !strings.Contains(t.pkg+"."+t.name, *match) {
			continue
		}
		if *list {
			fmt.Fprintf(stdout, "%s %s\n", t.pkg, t.name)
			continue
		}
		ran++
		args := []string{"test", "-run", "^$", "-fuzz", "^" + t.name + "$", "-fuzztime", d.String(), "-fuzzminimizetime", *minimize}
		if *parallel > 0 {
			args = append(args, "-parallel", strconv.Itoa(*parallel))
		}
		start := time.Now()
		p, out, err := fuzzOnce(exec.Command("go", append(args, t.pkg)...), window)
		verdict, why := "ok", ""
		switch {
		case err != nil:
			verdict, why = "FAIL", err.Error()
		case p.fuzzed() == 0:
			verdict, why = "FAIL", "no progress: not one fuzzed input ran"
			if p.baselineTotal > 0 && p.baselineDone < p.baselineTotal {
				why += fmt.Sprintf(" (stuck in the seed corpus at %d/%d)", p.baselineDone, p.baselineTotal)
			}
		case p.stalled != "":
			verdict, why = "FAIL", p.stalled
		}
		if verdict != "ok" {
			failed++
		}
		fmt.Fprintf(stdout, "%-4s %s %s: %d execs, %d of them fuzzed (%.0f/s), %d new interesting (%s)\n",
			verdict, t.pkg, t.name, p.execs, p.fuzzed(), p.rate(), p.interesting, time.Since(start).Round(time.Second))
		if why != "" {
			fmt.Fprintf(stdout, "     %s\n", why)
			stdout.Write(out)
		}
	}
	if *match != "" && ran == 0 && !*list {
		fmt.Fprintf(stderr, "opcat-bench fuzz: no target matches %q\n", *match)
		return exitUsage
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "opcat-bench fuzz: %d of %d targets failed or made no progress\n", failed, ran)
		return exitFailure
	}
	return exitOK
}

// fuzzProgress is what `go test -fuzz` reported about one target.
type fuzzProgress struct {
	execs         int64         // inputs run, the seed corpus included
	interesting   int64         // new interesting inputs
	elapsed       time.Duration // at the last progress line
	fuzzStart     time.Duration // elapsed when the seed corpus was done
	baselineDone  int
	baselineTotal int
	stalled       string // why the target was stopped, or ""
}

// fuzzed is how many generated inputs ran, after the seed corpus.
func (p fuzzProgress) fuzzed() int64 {
	return max(0, p.execs-int64(p.baselineTotal))
}

// rate is the average fuzzed inputs per second once the seed corpus was
// done.
func (p fuzzProgress) rate() float64 {
	if d := p.elapsed - p.fuzzStart; d > 0 {
		return float64(p.fuzzed()) / d.Seconds()
	}
	return 0
}

var (
	execsRE    = regexp.MustCompile(`^fuzz: elapsed: (\S+), execs: (\d+) \(\d+/sec\)(?:, new interesting: (\d+) \(total: \d+\))?`)
	baselineRE = regexp.MustCompile(`^fuzz: elapsed: (\S+), (?:gathering baseline coverage|testing seed corpus): (\d+)/(\d+) completed`)
)

// parseFuzzLine updates p from one line of `go test -fuzz` output and
// tells whether the line was a progress line.
func (p *fuzzProgress) parseLine(line string) bool {
	if m := baselineRE.FindStringSubmatch(line); m != nil {
		p.baselineDone, _ = strconv.Atoi(m[2])
		p.baselineTotal, _ = strconv.Atoi(m[3])
		if p.baselineDone >= p.baselineTotal {
			p.fuzzStart, _ = time.ParseDuration(m[1])
		}
		return true
	}
	m := execsRE.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	elapsed, err := time.ParseDuration(m[1])
	if err != nil {
		return false
	}
	p.execs, _ = strconv.ParseInt(m[2], 10, 64)
	p.elapsed = elapsed
	if m[3] != "" {
		p.interesting, _ = strconv.ParseInt(m[3], 10, 64)
	}
	return true
}

// fuzzOnce runs cmd, reading its progress as it comes; when the exec
// count stays the same for window once fuzzing started, it stops cmd and
// says so in stalled. It returns the progress and the whole output.
func fuzzOnce(cmd *exec.Cmd, window time.Duration) (fuzzProgress, []byte, error) {
	var p fuzzProgress
	var out bytes.Buffer
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	cmd.WaitDelay = 5 * time.Second
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return p, nil, err
	}
	var mu sync.Mutex
	lastExecs, lastChange := int64(-1), time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			out.WriteString(line + "\n")
			if p.parseLine(line) && p.baselineDone >= p.baselineTotal && p.execs != lastExecs {
				lastExecs, lastChange = p.execs, time.Now()
			}
			mu.Unlock()
		}
		io.Copy(io.Discard, pr)
	}()
	waitErr := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		pw.Close()
		waitErr <- err
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case err := <-waitErr:
			<-done
			mu.Lock()
			defer mu.Unlock()
			if err != nil && p.stalled == "" {
				err = fmt.Errorf("go test failed: %v", err)
			} else if p.stalled != "" {
				err = nil
			}
			return p, out.Bytes(), err
		case <-tick.C:
			mu.Lock()
			if lastExecs >= 0 && p.stalled == "" && time.Since(lastChange) > window {
				p.stalled = fmt.Sprintf("no progress: stuck at %d execs for %s; stopped", p.execs, window)
				killProcessGroup(cmd)
			}
			mu.Unlock()
		}
	}
}

// fuzzTargets lists the module's Fuzz functions with `go test -list`.
func fuzzTargets() ([]fuzzTarget, error) {
	out, err := exec.Command("go", "test", "-list", "^Fuzz", "./...").Output()
	if err != nil {
		var msg []byte
		if ee, ok := err.(*exec.ExitError); ok {
			msg = bytes.TrimSpace(ee.Stderr)
		}
		return nil, fmt.Errorf("unable to list fuzz targets (run from the module root): %w\n%s", err, msg)
	}
	var targets []fuzzTarget
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Fuzz"):
			names = append(names, line)
		case strings.HasPrefix(line, "ok "):
			fields := strings.Fields(line)
			for _, n := range names {
				targets = append(targets, fuzzTarget{pkg: fields[1], name: n})
			}
			names = nil
		}
	}
	return targets, nil
}
