package cli

import (
	"fmt"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// buildCache opens the build cache once per run: --no-cache turns it off;
// a folder that cannot be created or written turns it off with a note,
// never failing the command.
func (g *globalOptions) buildCache() *kustomize.Cache {
	if g.cacheOpened || g.noCache {
		return g.cache
	}
	g.cacheOpened = true
	dir := g.cacheDir
	if dir == "" {
		d, err := kustomize.DefaultCacheDir()
		if err != nil {
			fmt.Fprintf(g.stderr, "opcat: note: build cache off: no cache folder (%v); set --cache-dir or OPCAT_CACHE_DIR\n", err)
			return nil
		}
		dir = d
	}
	c, err := kustomize.OpenCache(dir, kustomize.CacheOptions{})
	if err != nil {
		fmt.Fprintf(g.stderr, "opcat: note: build cache off: %v\n", err)
		return nil
	}
	g.cache = c
	return c
}

// loadCatalog loads the catalog at -C with the build cache, or returns an
// exit-2 error.
func (g *globalOptions) loadCatalog(opts catalog.Options) (*catalog.Catalog, error) {
	opts.Cache = g.buildCache()
	return loadCatalog(g.context(), g.dir, opts)
}
