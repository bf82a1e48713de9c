//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
)

// childPeakRSS is the peak resident set size, in bytes, of a finished child
// process, and whether the system reports it.
func childPeakRSS(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0, false
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss), true // bytes
	}
	return int64(ru.Maxrss) << 10, true // KiB
}
