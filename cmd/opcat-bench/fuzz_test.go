package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestFuzzProgressParse(t *testing.T) {
	tests := []struct {
		name        string
		lines       []string
		execs, news int64
		rate        float64
		done, total int
	}{
		{name: "fuzzing", lines: []string{
			"fuzz: elapsed: 0s, gathering baseline coverage: 0/12 completed",
			"fuzz: elapsed: 2s, gathering baseline coverage: 12/12 completed, now fuzzing with 2 workers",
			"fuzz: elapsed: 3s, execs: 150 (50/sec), new interesting: 3 (total: 15)",
			"fuzz: elapsed: 12s, execs: 1000 (94/sec), new interesting: 7 (total: 19)",
			"PASS",
		}, execs: 1000, news: 7, rate: 98.8, done: 12, total: 12},
		{name: "stuck in the seed corpus", lines: []string{
			"fuzz: elapsed: 0s, gathering baseline coverage: 0/40 completed",
			"fuzz: elapsed: 3s, gathering baseline coverage: 7/40 completed",
		}, done: 7, total: 40},
		{name: "no coverage instrumentation", lines: []string{
			"fuzz: elapsed: 0s, testing seed corpus: 3/3 completed, now fuzzing with 1 workers",
			"fuzz: elapsed: 4s, execs: 80 (20/sec)",
		}, execs: 80, rate: 19.25, done: 3, total: 3},
		{name: "minimizing", lines: []string{
			"fuzz: elapsed: 0s, gathering baseline coverage: 1/1 completed, now fuzzing with 1 workers",
			"fuzz: elapsed: 3s, minimizing",
		}, done: 1, total: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p fuzzProgress
			for _, l := range tt.lines {
				p.parseLine(l)
			}
			if p.execs != tt.execs || p.interesting != tt.news || p.baselineDone != tt.done || p.baselineTotal != tt.total || math.Abs(p.rate()-tt.rate) > 1e-9 {
				t.Errorf("got execs %d, new %d, rate %.1f, baseline %d/%d; want %d, %d, %.1f, %d/%d",
					p.execs, p.interesting, p.rate(), p.baselineDone, p.baselineTotal, tt.execs, tt.news, tt.rate, tt.done, tt.total)
			}
		})
	}
}

// fakeFuzzEnv makes the test binary print fake `go test -fuzz` output
// (see TestFakeFuzz) instead of running tests.
const fakeFuzzEnv = "OPCAT_BENCH_FAKE_FUZZ"

// TestFakeFuzz is the fake `go test -fuzz` that TestFuzzOnce runs: it
// prints progress lines whose exec count grows ("progress"), stops
// growing ("stall"), or never leaves the seed corpus ("seeds").
func TestFakeFuzz(t *testing.T) {
	mode := os.Getenv(fakeFuzzEnv)
	if mode == "" {
		t.Skip("runs only as the fake go test of TestFuzzOnce")
	}
	fmt.Println("fuzz: elapsed: 0s, gathering baseline coverage: 2/2 completed, now fuzzing with 1 workers")
	for i := 1; i <= 6; i++ {
		time.Sleep(300 * time.Millisecond)
		switch mode {
		case "progress":
			fmt.Printf("fuzz: elapsed: %ds, execs: %d (100/sec), new interesting: %d (total: 5)\n", i, 100*i, i)
		case "stall":
			fmt.Printf("fuzz: elapsed: %ds, execs: 7 (0/sec), new interesting: 0 (total: 2)\n", i)
		}
	}
	if mode == "stall" {
		time.Sleep(time.Minute) // stopped by fuzzOnce
	}
}

func TestFuzzOnce(t *testing.T) {
	for _, tt := range []struct {
		mode    string
		execs   int64
		stalled bool
	}{
		{"progress", 600, false},
		{"stall", 7, true},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestFakeFuzz$", "-test.count=1")
			cmd.Env = append(os.Environ(), fakeFuzzEnv+"="+tt.mode)
			start := time.Now()
			p, out, err := fuzzOnce(cmd, time.Second)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if p.execs != tt.execs || (p.stalled != "") != tt.stalled {
				t.Errorf("execs %d, stalled %q; want %d, stalled %v\n%s", p.execs, p.stalled, tt.execs, tt.stalled, out)
			}
			if tt.stalled && !strings.Contains(p.stalled, "no progress") {
				t.Errorf("stall message %q", p.stalled)
			}
			if time.Since(start) > 20*time.Second {
				t.Errorf("a stalled target was not stopped: %s", time.Since(start))
			}
		})
	}
}
