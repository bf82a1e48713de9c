package cli

import (
	"os"
	"path/filepath"
	"strings"

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
		if !filepath.IsAbs(p) {
			p = filepath.Join(g.dir, p)
		}
		if source != "" {
			p = source + "=" + p
		}
		specs = append(specs, p)
	}
	for _, spec := range specs {
		source, p := index.ParseSpec(spec)
		idx, err := index.Load(p, index.Options{Source: source})
		if err != nil {
			return nil, usageError("%v", err)
		}
		set.Add(idx)
	}
	return set, nil
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
