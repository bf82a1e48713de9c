package cli

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/pflag"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/fsroot"
	"github.com/opcat-dev/opcat/lib/index"
)

// loadIndexes reads every --index [SOURCE=]PATH (relative to the catalog
// root, -C, as PATH arguments are) and those that .opcat.yaml names
// (relative to the catalog root too, and never leaving it) into one Set;
// an index that cannot be read is exit 2.
func loadIndexes(g *globalOptions, flags, fromConfig []string) (index.Set, error) {
	set := index.Set{}
	specs := make([]string, 0, len(flags))
	for _, s := range flags {
		source, p := index.ParseSpec(s)
		if p != "" && !filepath.IsAbs(p) {
			in := filepath.Join(g.dir, p)
			if _, err := os.Stat(in); err != nil && filepath.Clean(g.dir) != "." {
				if _, here := os.Stat(p); here == nil {
					return nil, usageError("--index %s: no such file or folder under %s: index paths are relative to -C, like PATH arguments (give %s, or an absolute path)", s, g.dir, relTo(g.dir, p))
				}
			}
			p = in
		}
		if source != "" {
			p = source + "=" + p
		}
		specs = append(specs, p)
	}
	for _, spec := range specs {
		source, p := index.ParseSpec(spec)
		idx, err := index.Load(g.context(), p, index.Options{Source: source, MaxSize: g.maxIndexSize})
		if err != nil {
			return nil, usageError("%v", err)
		}
		set.Add(idx)
	}
	// The catalog names these, so they stay inside it (lint.Config.IndexSet
	// checks): a pull request must not make CI read elsewhere.
	fromCatalog, err := lint.Config{Indexes: fromConfig}.IndexSet(context.Background(), g.dir, index.Options{MaxSize: g.maxIndexSize})
	if err != nil {
		return nil, usageError("%v", err)
	}
	for _, source := range slices.Sorted(maps.Keys(fromCatalog)) {
		set.Add(fromCatalog[source])
	}
	return set, nil
}

// relTo returns p, a path relative to the current folder, relative to dir
// instead (absolute when it cannot be).
func relTo(dir, p string) string {
	absDir, err1 := filepath.Abs(dir)
	absP, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return p
	}
	if r, err := filepath.Rel(absDir, absP); err == nil {
		return r
	}
	return absP
}

// addIndexFlags adds --index, bound to indexes, and --max-index-size.
func addIndexFlags(f *pflag.FlagSet, g *globalOptions, indexes *[]string) {
	f.StringArrayVar(indexes, "index", nil, "operator index as [SOURCE=]PATH, PATH relative to -C (repeatable)")
	f.Int64Var(&g.maxIndexSize, "max-index-size", index.DefaultMaxSize, "most bytes read from one --index, all its files together (-1: no limit)")
}

// catalogPaths checks PATH arguments: each is relative to the catalog root
// (-C), stays inside it and exists. They come back cleaned, with /.
func catalogPaths(root string, args []string) ([]string, error) {
	out, err := argPaths(root, args)
	if err != nil {
		return nil, err
	}
	for i, a := range out {
		if !a.exists {
			return nil, usageError("%s: no such file or folder under %s", args[i], root)
		}
	}
	paths := make([]string, len(out))
	for i, a := range out {
		paths[i] = a.path
	}
	return paths, nil
}

// argPath is a PATH|OPERATOR argument: a cleaned slash path relative to the
// catalog root, and whether a file or folder is there.
type argPath struct {
	arg, path string
	exists    bool
}

// argPaths reads PATH|OPERATOR arguments: each is relative to the catalog
// root (-C) and stays inside it; one that names no file or folder there
// may still name an operator (scopePaths resolves it).
func argPaths(root string, args []string) ([]argPath, error) {
	out := make([]argPath, 0, len(args))
	for _, a := range args {
		p := filepath.ToSlash(filepath.Clean(a))
		if !fsroot.Local(a) {
			return nil, usageError("%s is outside the catalog root %s: give paths relative to -C", a, root)
		}
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
		out = append(out, argPath{arg: a, path: p, exists: err == nil})
	}
	return out, nil
}

// scopePaths turns PATH|OPERATOR arguments into the folders they select: a
// path that exists under the root is itself, anything else must name an
// operator (catalog.ResolveOperator: its folder, a path to it through a
// folder link, or its folder's last element when that is unique).
func scopePaths(c *catalog.Catalog, args []argPath) ([]string, error) {
	out := make([]string, 0, len(args))
	for _, a := range args {
		if a.exists {
			out = append(out, a.path)
			continue
		}
		dir, err := c.ResolveOperator(a.path)
		var ne *catalog.NameError
		if errors.As(err, &ne) && ne.Ambiguous {
			return nil, usageError("%v", err)
		}
		if err != nil {
			return nil, usageError("%s is no file or folder under %s, nor an operator: %v", a.arg, c.Root, err)
		}
		out = append(out, dir)
	}
	return out, nil
}
