package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// runGen is `opcat-bench gen`.
func runGen(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gen", "-out DIR [flags]", stderr)
	cfg := genConfig{Overlays: span{2, 6}, Instances: span{0, 2}}
	out := fs.String("out", "", "`DIR` to write the catalog into (required)")
	fs.IntVar(&cfg.Operators, "operators", 30, "number of operators")
	fs.Var(&cfg.Overlays, "overlays", "`N|MIN-MAX` version overlays per operator")
	fs.Var(&cfg.Instances, "instances", "`N|MIN-MAX` operand folders per operator; with one or more the operator also gets instance/")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed; the same flags give the same bytes")
	force := fs.Bool("force", false, "write into a non-empty -out: a previous gen output is removed first, other files are kept and overwritten by name")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	switch {
	case *out == "":
		fs.Usage()
		return usageErrorf(stderr, "gen: -out DIR is required")
	case cfg.Operators < 1:
		return usageErrorf(stderr, "gen: -operators must be at least 1, got %d", cfg.Operators)
	}
	files := generate(cfg)
	if code := prepareOut(*out, *force, stderr); code >= 0 {
		return code
	}
	if err := writeFiles(*out, files); err != nil {
		return failf(stderr, "gen: %v", err)
	}
	fmt.Fprintf(stdout, "wrote %d files, %d operators, to %s\n", len(files), cfg.Operators, *out)
	return exitOK
}

// prepareOut checks that dir may be written. It returns -1 to go on, or
// the exit code. With force, a folder that holds a previous gen output is
// emptied; any other non-empty folder is written over in place.
func prepareOut(dir string, force bool, stderr io.Writer) int {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return -1
	case err != nil:
		return usageErrorf(stderr, "gen: %v", err)
	case len(entries) == 0:
		return -1
	case !force:
		return usageErrorf(stderr, "gen: %s is not empty; choose an empty folder or pass -force", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, markerFile)); err != nil {
		fmt.Fprintf(stderr, "opcat-bench: gen: %s was not written by opcat-bench gen; writing over it, other files are kept\n", dir)
		return -1
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return failf(stderr, "gen: unable to empty %s: %v", dir, err)
		}
	}
	return -1
}

// writeFiles writes files (slash paths relative to dir) below dir.
func writeFiles(dir string, files map[string]string) error {
	for _, p := range sortedPaths(files) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if target, ok := strings.CutPrefix(files[p], linkPrefix); ok {
			if err := os.Symlink(filepath.FromSlash(target), full); err != nil {
				return err
			}
			continue
		}
		if err := os.WriteFile(full, []byte(files[p]), 0o644); err != nil {
			return err
		}
	}
	return nil
}
