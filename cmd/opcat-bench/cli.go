package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

const usage = `opcat-bench measures opcat against the kustomize CLI on a catalog.

Usage:
  opcat-bench gen -out DIR [flags]   write a deterministic synthetic catalog
  opcat-bench run [flags]            time kustomize and opcat on a catalog, compare builds
  opcat-bench scale -opcat PATH      time a cold opcat validate on generated catalogs of growing size
  opcat-bench fuzz [-time 2m]        run every Fuzz target of the module for a while
  opcat-bench parity [flags]         compare kustomize build and opcat in every folder, links included
  opcat-bench oracle [flags]         check patch-target-unmatched against removing each patch
  opcat-bench help [gen|run|scale|fuzz|parity|oracle]  show this help or a command's flags

Exit codes: 0 success, 1 builds differ, the oracle disagrees or a run failed, 2 bad usage.
`

// run is the whole program: it parses args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "gen":
		return runGen(args[1:], stdout, stderr)
	case "run":
		return runBench(args[1:], stdout, stderr)
	case "scale":
		return runScale(args[1:], stdout, stderr)
	case "fuzz":
		return runFuzz(args[1:], stdout, stderr)
	case "parity":
		return runParity(args[1:], stdout, stderr)
	case "oracle":
		return runOracle(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run([]string{args[1], "-h"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "opcat-bench: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// newFlagSet returns a flag set for command name that reports to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("opcat-bench "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: opcat-bench %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs. It returns -1 when parsing succeeded and
// the command should go on, or the exit code to return: 0 for -h, 2 for a
// bad flag or a stray argument.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) int {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		return exitUsage
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	return -1
}

// usageErrorf reports a usage problem and returns exit code 2.
func usageErrorf(stderr io.Writer, format string, a ...any) int {
	fmt.Fprintf(stderr, "opcat-bench: "+format+"\n", a...)
	return exitUsage
}

// failf reports a failure and returns exit code 1.
func failf(stderr io.Writer, format string, a ...any) int {
	fmt.Fprintf(stderr, "opcat-bench: "+format+"\n", a...)
	return exitFailure
}
