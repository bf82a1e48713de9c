package main

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// binaryRun is one run of the opcat binary.
type binaryRun struct {
	Elapsed   time.Duration
	PeakRSS   int64
	PeakKnown bool
}

// runOpcatBinary times `opcat -C root list` and reads its peak memory.
func runOpcatBinary(opcat, root string) (binaryRun, error) {
	var errOut bytes.Buffer
	cmd := exec.Command(opcat, "-C", root, "list")
	cmd.Stdout, cmd.Stderr = io.Discard, &errOut
	start := time.Now()
	err := cmd.Run()
	r := binaryRun{Elapsed: time.Since(start)}
	if err != nil {
		return r, fmt.Errorf("%s -C %s list: %v: %s", opcat, root, err, lastLine(errOut.String()))
	}
	r.PeakRSS, r.PeakKnown = childPeakRSS(cmd.ProcessState)
	return r, nil
}
