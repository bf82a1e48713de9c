package lint

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/opcat-dev/opcat/lib/fsroot"
	"github.com/opcat-dev/opcat/lib/index"
)

// IndexSet reads the operator indexes the configuration names (Indexes,
// each [SOURCE=]PATH with PATH relative to root) into one Set, the indexes
// of one source merged. The catalog names these paths, so each must stay
// inside root, symbolic links resolved (a pull request must not make CI
// read elsewhere); every path is checked before any index is read. opts
// bounds each index (its Source is set from the spec). ctx is checked
// before each index is read. An index that cannot be read is an error.
func (c Config) IndexSet(ctx context.Context, root string, opts index.Options) (index.Set, error) {
	paths := make([]string, len(c.Indexes))
	for i, s := range c.Indexes {
		_, p := index.ParseSpec(s)
		if err := fsroot.Check(root, p); err != nil {
			return nil, fmt.Errorf("index %q in %s: %v", s, ConfigFile, err)
		}
		paths[i] = filepath.Join(root, p)
	}
	set := index.Set{}
	for i, s := range c.Indexes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		source, _ := index.ParseSpec(s)
		o := opts
		o.Source = source
		idx, err := index.Load(ctx, paths[i], o)
		if err != nil {
			return nil, err
		}
		set.Add(idx)
	}
	return set, nil
}
