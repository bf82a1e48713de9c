package cli

import (
	"path/filepath"

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
