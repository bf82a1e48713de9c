package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// fuzzTarget is one Fuzz function of a package.
type fuzzTarget struct{ pkg, name string }

// runFuzz runs every Fuzz target of the module (or those matching -match)
// for -time each, one after the other, with `go test -fuzz`. New crashers
// land in the package's testdata/fuzz, where they become regression tests.
func runFuzz(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("fuzz", "[flags]", stderr)
	d := fs.Duration("time", 2*time.Minute, "how long each fuzz target runs")
	match := fs.String("match", "", "run only targets whose package or name contains this")
	list := fs.Bool("list", false, "list the targets and exit")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	targets, err := fuzzTargets()
	if err != nil {
		fmt.Fprintf(stderr, "opcat-bench: %v\n", err)
		return exitFailure
	}
	failed := 0
	for _, t := range targets {
		if *match != "" && !strings.Contains(t.pkg+"."+t.name, *match) {
			continue
		}
		if *list {
			fmt.Fprintf(stdout, "%s %s\n", t.pkg, t.name)
			continue
		}
		start := time.Now()
		// A short minimization: the default (a minute per new input) stalls
		// targets whose inputs run the kustomize engine.
		cmd := exec.Command("go", "test", "-run", "^$", "-fuzz", "^"+t.name+"$", "-fuzztime", d.String(), "-fuzzminimizetime", "2s", t.pkg)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		verdict := "ok"
		if err != nil {
			verdict = "FAIL"
			failed++
		}
		fmt.Fprintf(stdout, "%-4s %s %s (%s)\n", verdict, t.pkg, t.name, time.Since(start).Round(time.Second))
		if err != nil {
			stdout.Write(out.Bytes())
		}
	}
	if failed > 0 {
		return exitFailure
	}
	return exitOK
}

// fuzzTargets lists the module's Fuzz functions with `go test -list`.
func fuzzTargets() ([]fuzzTarget, error) {
	out, err := exec.Command("go", "test", "-list", "^Fuzz", "./...").Output()
	if err != nil {
		return nil, fmt.Errorf("unable to list fuzz targets (run from the module root): %w", err)
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
