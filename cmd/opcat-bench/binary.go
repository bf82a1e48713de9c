package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// binaryRun is one run of the opcat binary.
type binaryRun struct {
	Elapsed   time.Duration
	CPU       time.Duration // user and system time
	PeakRSS   int64
	PeakKnown bool
}

// runOpcatBinary times `opcat -C root validate ARGS` and reads its CPU time
// and peak memory. Exit code 1 (findings) is a run like any other.
func runOpcatBinary(opcat, root string, args ...string) (binaryRun, error) {
	var errOut bytes.Buffer
	cmd := exec.Command(opcat, append([]string{"-C", root, "validate", "-q"}, args...)...)
	cmd.Stdout, cmd.Stderr = io.Discard, &errOut
	start := time.Now()
	err := cmd.Run()
	r := binaryRun{Elapsed: time.Since(start)}
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		return r, fmt.Errorf("%s -C %s validate %s: %v: %s", opcat, root, strings.Join(args, " "), err, lastLine(errOut.String()))
	}
	r.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	r.PeakRSS, r.PeakKnown = childPeakRSS(cmd.ProcessState)
	return r, nil
}

// bestRun keeps the fastest run of a measure, and the highest peak memory
// of all.
type bestRun struct {
	binaryRun
	n int
}

func (b *bestRun) add(r binaryRun) {
	peak, known := max(b.PeakRSS, r.PeakRSS), (b.n == 0 || b.PeakKnown) && r.PeakKnown
	if b.n == 0 || r.Elapsed < b.Elapsed {
		b.binaryRun = r
	}
	b.PeakRSS, b.PeakKnown = peak, known
	b.n++
}

// copyCatalog copies a catalog into dst, links kept as links, so that a
// file can be changed without touching the catalog measured.
func copyCatalog(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			if d.Name() == ".git" && rel != "." {
				return filepath.SkipDir
			}
			return os.MkdirAll(out, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, out)
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(out, data, 0o644)
		}
		return nil
	})
}

// editTarget picks the file a "one file changed" run changes: the first
// Subscription file of a base, as an operator upgrade would, else the
// first resource YAML file.
func editTarget(root string, dirs []string) (string, error) {
	var fallback string
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(root, d))
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() || isKustomizationFile(name) || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
				continue
			}
			p := filepath.Join(root, d, name)
			data, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			if strings.Contains(string(data), "kind: Subscription") {
				return p, nil
			}
			if fallback == "" {
				fallback = p
			}
		}
	}
	if fallback == "" {
		return "", errors.New("no resource file to change")
	}
	return fallback, nil
}

func isKustomizationFile(name string) bool {
	return name == "kustomization.yaml" || name == "kustomization.yml" || name == "Kustomization"
}

// binarySetup is the copy of the catalog the binary runs on, its cache,
// and the file a run changes.
type binarySetup struct {
	tmp, root, cache, edit, editRel string
}

func setupBinary(opcat, src string, dirs []string) (binarySetup, error) {
	tmp, err := os.MkdirTemp("", "opcat-bench-")
	if err != nil {
		return binarySetup{}, err
	}
	s := binarySetup{tmp: tmp, root: filepath.Join(tmp, "catalog"), cache: filepath.Join(tmp, "cache")}
	if err := copyCatalog(src, s.root); err != nil {
		os.RemoveAll(tmp)
		return s, fmt.Errorf("copying the catalog: %w", err)
	}
	if s.edit, err = editTarget(s.root, dirs); err != nil {
		os.RemoveAll(tmp)
		return s, err
	}
	s.editRel, _ = filepath.Rel(s.root, s.edit)
	// A first run fills the cache.
	if _, err := runOpcatBinary(opcat, s.root, "--cache-dir", s.cache); err != nil {
		os.RemoveAll(tmp)
		return s, err
	}
	return s, nil
}

// runs times a cold run, a warm run with nothing changed since the last
// one, and a warm run after one file changed.
func (s binarySetup) runs(opcat string, i int) (cold, warm, changed binaryRun, err error) {
	if cold, err = runOpcatBinary(opcat, s.root, "--no-cache"); err != nil {
		return
	}
	if warm, err = runOpcatBinary(opcat, s.root, "--cache-dir", s.cache); err != nil {
		return
	}
	f, err := os.OpenFile(s.edit, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return
	}
	_, err = fmt.Fprintf(f, "\n# opcat-bench change %d\n", i)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return
	}
	changed, err = runOpcatBinary(opcat, s.root, "--cache-dir", s.cache)
	return
}
