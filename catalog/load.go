package catalog

import (
	"context"
	"fmt"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/opcat-dev/opcat/lib/kustomize"
)

// Options tune Load. The zero value works.
type Options struct {
	// Jobs is how many kustomizations are built at once; zero means the
	// number of CPUs.
	Jobs int
	// MaxFileSize is the largest file read; zero means 10 MB.
	MaxFileSize int64
	// NoBuild classifies the catalog without building it: Node.Result is
	// empty and Subscription values are those written, with no rendered
	// object. It is enough to find operators and overlays by name.
	NoBuild bool
	// Cache, when set, keeps builds across runs (kustomize.OpenCache).
	Cache *kustomize.Cache
}

// Load reads the catalog at root: every kustomization, built in-process,
// classified and grouped into operators. A broken file does not stop the
// load; what is wrong is in Catalog.Problems and in each Node's Result.
// Load returns an error only when root cannot be read at all, or when ctx
// is done before the catalog is read and built (its error, wrapped: test
// it with errors.Is). Builds run in-process and take no context, so a
// cancelled load stops between builds.
func Load(ctx context.Context, root string, opts Options) (*Catalog, error) {
	tree, err := kustomize.ReadTree(root, kustomize.TreeOptions{MaxFileSize: opts.MaxFileSize, Context: ctx})
	if err != nil {
		return nil, fmt.Errorf("unable to load catalog: %w", err)
	}
	c := fromTree(ctx, tree, opts)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("unable to load catalog %s: %w", root, err)
	}
	c.Root = root
	return c, nil
}

// FromTree builds the catalog model from a Tree already read.
func FromTree(tree *kustomize.Tree, opts Options) *Catalog {
	return fromTree(context.Background(), tree, opts)
}

// fromTree is FromTree that stops building once ctx is done: the catalog
// it then returns is incomplete, and the caller drops it.
func fromTree(ctx context.Context, tree *kustomize.Tree, opts Options) *Catalog {
	c := &Catalog{Root: tree.Root(), Tree: tree, Kustomizations: map[string]*Node{}}
	c.Problems = append(c.Problems, tree.Problems...)
	for _, dir := range tree.KustomizationDirs() {
		files := tree.KustomizationFile(dir)
		k := tree.Kustomization(files[0])
		c.Problems = append(c.Problems, k.Problems...)
		n := &Node{Kustomization: k}
		if k.IsComponent() {
			n.Role = RoleComponent
		}
		for _, r := range k.Refs() {
			target := path.Join(dir, r.Value)
			if !kustomize.IsRemote(r.Value) && tree.IsDir(target) {
				n.Children = append(n.Children, target)
			}
		}
		c.Kustomizations[dir] = n
	}
	c.Cache = opts.Cache
	if !opts.NoBuild {
		c.build(ctx, opts.Jobs, opts.Cache)
	}
	c.classify()
	return c
}

// build renders every kustomization but components, in parallel, the
// kustomizations a folder includes before the folder: the builder then
// reuses what it built. Once ctx is done no further build starts (a build
// under way runs to its end: krusty takes no context).
func (c *Catalog) build(ctx context.Context, jobs int, cache *kustomize.Cache) {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	b := kustomize.NewBuilder(c.Tree)
	b.Cache = cache
	for _, level := range c.levels() {
		if ctx.Err() != nil {
			return
		}
		work := make(chan *Node)
		var wg sync.WaitGroup
		for i := 0; i < jobs && i < len(level); i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range work {
					if ctx.Err() != nil {
						continue // drain: the load is abandoned
					}
					n.Result = b.Build(n.Dir)
				}
			}()
		}
		for _, n := range level {
			work <- n
		}
		close(work)
		wg.Wait()
	}
}

// levels groups the kustomizations to build so that each one comes after
// the kustomizations it includes; members of a cycle go last.
func (c *Catalog) levels() [][]*Node {
	depth := map[string]int{}
	const visiting = -1
	var walk func(dir string) int
	walk = func(dir string) int {
		if d, ok := depth[dir]; ok {
			if d == visiting {
				return len(c.Kustomizations) // a cycle
			}
			return d
		}
		depth[dir] = visiting
		d := 0
		if n, ok := c.Kustomizations[dir]; ok {
			for _, ch := range n.Children {
				if _, ok := c.Kustomizations[ch]; ok {
					d = max(d, walk(ch)+1)
				}
			}
		}
		d = min(d, len(c.Kustomizations))
		depth[dir] = d
		return d
	}
	var out [][]*Node
	for _, dir := range c.Dirs() {
		n := c.Kustomizations[dir]
		if n.Role == RoleComponent {
			continue
		}
		d := walk(dir)
		for len(out) <= d {
			out = append(out, nil)
		}
		out[d] = append(out[d], n)
	}
	return out
}

// overlayName is the overlay's folder below the last overlays/ folder, or
// its folder relative to the operator when there is none.
func overlayName(opDir, dir string) string {
	rel := strings.TrimPrefix(dir, opDir+"/")
	if i := strings.LastIndex("/"+rel, "/overlays/"); i >= 0 {
		return ("/" + rel)[i+len("/overlays/"):]
	}
	return rel
}

// reaches reports whether the kustomization in from includes target,
// directly or through other kustomizations.
func (c *Catalog) reaches(from, target string) bool {
	return c.chain(from, target) != nil
}

// chain returns the folders from from down to target, following local
// folder references breadth first, or nil when target is not reached.
func (c *Catalog) chain(from, target string) []string {
	parent := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		if d == target {
			var out []string
			for x := d; x != ""; x = parent[x] {
				out = append(out, x)
			}
			// out runs target..from; callers want from..target.
			for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
				out[i], out[j] = out[j], out[i]
			}
			return out
		}
		n, ok := c.Kustomizations[d]
		if !ok {
			continue
		}
		for _, ch := range n.Children {
			if _, seen := parent[ch]; !seen {
				parent[ch] = d
				queue = append(queue, ch)
			}
		}
	}
	return nil
}
