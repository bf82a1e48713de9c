//go:build !unix

package main

import "os/exec"

func ownProcessGroup(cmd *exec.Cmd) {}

// killProcessGroup kills cmd; the test binary it started ends when its
// output pipe closes.
func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
