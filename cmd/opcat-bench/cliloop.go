package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// resolveKustomize returns the kustomize CLI to run: path when given, else
// kustomize on PATH, else $GOPATH/bin/kustomize.
func resolveKustomize(path string) (string, error) {
	if path != "" {
		return exec.LookPath(path)
	}
	if p, err := exec.LookPath("kustomize"); err == nil {
		return p, nil
	}
	p := filepath.Join(build.Default.GOPATH, "bin", "kustomize")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return "", errors.New("kustomize CLI not found on PATH nor in $GOPATH/bin; pass -kustomize PATH")
}

// kustomizeVersion is what `kustomize version` prints, or "unknown version".
func kustomizeVersion(kustomize string) string {
	out, err := exec.Command(kustomize, "version").Output()
	if err != nil {
		return "unknown version"
	}
	return strings.TrimSpace(string(out))
}

// runCLILoop runs `kustomize build` in every folder of dirs, one after the
// other, as a CI script does, and returns how long the loop took and what
// each build gave, and the CPU time (user and system) the builds used.
func runCLILoop(kustomize, root string, dirs []string) (time.Duration, time.Duration, map[string]verdict, error) {
	verdicts := make(map[string]verdict, len(dirs))
	var cpu time.Duration
	start := time.Now()
	for _, dir := range dirs {
		var out, errOut bytes.Buffer
		cmd := exec.Command(kustomize, "build", filepath.Join(root, filepath.FromSlash(dir)))
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		if cmd.ProcessState != nil {
			cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		var exit *exec.ExitError
		switch {
		case err == nil:
			verdicts[dir] = verdict{OK: true, YAML: out.Bytes()}
		case errors.As(err, &exit):
			verdicts[dir] = verdict{Msg: lastLine(errOut.String())}
		default:
			return 0, 0, nil, fmt.Errorf("unable to run %s: %w", kustomize, err)
		}
	}
	return time.Since(start), cpu, verdicts, nil
}

// lastLine is the last non-empty line of s: kustomize prints its error there.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
