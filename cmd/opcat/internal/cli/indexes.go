package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/opcat-dev/opcat/lib/index"
)

// loadIndexes reads every --index [SOURCE=]PATH (and those that
// .opcat.yaml names, relative to the catalog root) into one Set; an index
// that cannot be read is exit 2.
func loadIndexes(g *globalOptions, flags, fromConfig []string) (index.Set, error) {
	set := index.Set{}
	specs := make([]string, 0, len(flags)+len(fromConfig))
	specs = append(specs, flags...)
	for _, s := range fromConfig {
		source, p := index.ParseSpec(s)
		// The catalog names these, so they stay inside it: a pull request
		// must not make CI read elsewhere.
		if err := insideRoot(g.dir, p); err != nil {
			return nil, usageError("index %q in %s: %v", s, lintConfigName, err)
		}
		p = filepath.Join(g.dir, p)
		if source != "" {
			p = source + "=" + p
		}
		specs = append(specs, p)
	}
	for _, spec := range specs {
		source, p := index.ParseSpec(spec)
		idx, err := index.Load(p, index.Options{Source: source, MaxSize: g.maxIndexSize})
		if err != nil {
			return nil, usageError("%v", err)
		}
		set.Add(idx)
	}
	return set, nil
}

// addIndexFlags adds --index, bound to indexes, and --max-index-size.
func addIndexFlags(f *pflag.FlagSet, g *globalOptions, indexes *[]string) {
	f.StringArrayVar(indexes, "index", nil, "operator index as [SOURCE=]PATH (repeatable)")
	f.Int64Var(&g.maxIndexSize, "max-index-size", index.DefaultMaxSize, "most bytes read from one --index, all its files together (-1: no limit)")
}

// catalogPaths checks PATH arguments: each is relative to the catalog root
// (-C), stays inside it and exists. They come back cleaned, with /.
func catalogPaths(root string, args []string) ([]string, error) {
	out := make([]string, 0, len(args))
	for _, a := range args {
		p := filepath.ToSlash(filepath.Clean(a))
		if filepath.IsAbs(a) || p == ".." || strings.HasPrefix(p, "../") {
			return nil, usageError("%s is outside the catalog root %s: give paths relative to -C", a, root)
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err != nil {
			return nil, usageError("%s: no such file or folder under %s", a, root)
		}
		out = append(out, p)
	}
	return out, nil
}

// lintConfigName is the configuration file's name, for messages.
const lintConfigName = ".opcat.yaml"

// insideRoot checks that rel, a path the catalog itself names, is relative
// and stays inside root, symbolic links resolved.
func insideRoot(root, rel string) error {
	if filepath.IsAbs(rel) {
		return fmt.Errorf("an absolute path; give a path inside the catalog")
	}
	clean := filepath.Clean(rel)
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return fmt.Errorf("it leaves the catalog root")
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, clean))
	if err != nil {
		return nil // a missing file is reported when it is read
	}
	if r, err := filepath.Rel(realRoot, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return fmt.Errorf("it leads outside the catalog root through a symbolic link")
	}
	return nil
}
