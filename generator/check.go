package generator

import (
	"errors"
	"io/fs"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// Catalogs returns the catalog as it is on disk and as it will be once the
// plan is applied, both built in memory from one reading of the root, so
// that a caller can check what a plan would write before writing it. A root
// that does not exist yet is an empty catalog before the plan.
func (p *Plan) Catalogs() (before, after *catalog.Catalog, err error) {
	files := map[string]string{}
	tree, err := kustomize.ReadTree(p.Root, kustomize.TreeOptions{})
	switch {
	case err == nil:
		for _, f := range tree.Files() {
			b, _ := tree.ReadFile(f)
			files[f] = string(b)
		}
		before = catalog.FromTree(tree, catalog.Options{})
	case errors.Is(err, fs.ErrNotExist):
		before = catalog.FromTree(kustomize.NewTreeFromMap(nil), catalog.Options{})
	default:
		return nil, nil, err
	}
	for _, c := range p.Changes {
		if c.Delete {
			delete(files, c.Path)
			continue
		}
		files[c.Path] = string(c.New)
	}
	return before, catalog.FromTree(kustomize.NewTreeFromMap(files), catalog.Options{}), nil
}
