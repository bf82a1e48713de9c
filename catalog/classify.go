package catalog

import (
	"path"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/lib/kustomize"
	yaml "go.yaml.in/yaml/v3"
)

// subscriptionSource is a Subscription written in a resource file.
type subscriptionSource struct {
	file string
	doc  *yaml.Node
}

// baseSubscriptions returns every Subscription a kustomization lists
// directly in its resource files, in the order it lists them.
func (c *Catalog) baseSubscriptions(n *Node) []subscriptionSource {
	var out []subscriptionSource
	for _, r := range n.Refs() {
		if r.Field == "components" {
			continue
		}
		file := path.Join(n.Dir, r.Value)
		docs, _, ok := c.Tree.ParseFile(file)
		if !ok {
			continue
		}
		for _, d := range docs {
			if isSubscription(d.Content[0]) {
				out = append(out, subscriptionSource{file: file, doc: d.Content[0]})
			}
		}
	}
	return out
}

func isSubscription(n *yaml.Node) bool {
	kind, _, _ := kustomize.ScalarAt(n, "kind")
	api, _, _ := kustomize.ScalarAt(n, "apiVersion")
	return kind == "Subscription" && strings.HasPrefix(api, "operators.coreos.com/")
}

// classify finds bases, overlays, variants and pointers, and groups them
// into operators. Every step is linear in the number of kustomizations
// (times the folder depth), not in kustomizations × operators.
func (c *Catalog) classify() {
	bases := map[string][]subscriptionSource{}
	byDir := map[string]*Operator{}
	aliases := map[string][]string{} // canonical folder -> link paths
	for _, dir := range c.Dirs() {
		n := c.Kustomizations[dir]
		n.RealDir = c.realPath(dir)
		if n.RealDir != dir {
			aliases[n.RealDir] = append(aliases[n.RealDir], dir)
			continue // the same kustomization as its canonical path
		}
		if n.Role == RoleComponent {
			continue
		}
		srcs := c.baseSubscriptions(n)
		if len(srcs) == 0 {
			continue
		}
		n.Role = RoleBase
		bases[dir] = srcs
		opDir := operatorDir(dir)
		// Another base took the folder (x/base and x/operator/base): this
		// one is the operator of the deepest free folder above it, so its
		// overlays, beside it, are still inside it.
		if byDir[opDir] != nil {
			free := dir
			for d := path.Dir(dir); d != opDir && d != "." && d != "/"; d = path.Dir(d) {
				if byDir[d] == nil {
					free = d
				}
			}
			opDir = free
		}
		op := &Operator{Name: path.Base(operatorDir(dir)), Dir: opDir, Base: n}
		byDir[opDir] = op
		c.Operators = append(c.Operators, op)
	}
	if len(c.Operators) == 0 {
		c.findUnused()
		return
	}
	// Each kustomization inside an operator's folder that reaches its base
	// belongs to the deepest such operator: walk up the folders.
	chains := map[[2]string][]string{}
	chainOf := func(from, to string) []string {
		k := [2]string{from, to}
		if ch, ok := chains[k]; ok {
			return ch
		}
		ch := c.chain(from, to)
		chains[k] = ch
		return ch
	}
	owner := map[string]*Operator{}
	for _, dir := range c.Dirs() {
		n := c.Kustomizations[dir]
		if n.Role != RoleOther || n.RealDir != dir {
			continue
		}
		for d := dir; ; d = path.Dir(d) {
			if op := byDir[d]; op != nil && chainOf(dir, op.Base.Dir) != nil {
				owner[dir] = op
				break
			}
			if d == "." || d == "/" {
				break
			}
		}
	}
	candidates := map[*Operator][]string{}
	for _, dir := range c.Dirs() {
		op, ok := owner[dir]
		if !ok {
			continue
		}
		n := c.Kustomizations[dir]
		if c.isPointer(n, op, owner) {
			n.Role = RolePointer
			if op.Pointer == nil {
				op.Pointer = n
			}
			continue
		}
		n.Role = RoleOverlay
		candidates[op] = append(candidates[op], dir)
	}
	for _, op := range c.Operators {
		srcs := bases[op.Base.Dir]
		for _, src := range srcs {
			op.Subscriptions = append(op.Subscriptions, c.trace([]string{op.Base.Dir}, src))
		}
		op.Subscription = op.Subscriptions[0]
		isCandidate := map[string]bool{}
		for _, dir := range candidates[op] {
			isCandidate[dir] = true
		}
		for _, dir := range candidates[op] {
			ov := &Overlay{Dir: dir, Node: c.Kustomizations[dir], Chain: chainOf(dir, op.Base.Dir)}
			for _, src := range srcs {
				ov.Subscriptions = append(ov.Subscriptions, c.trace(ov.Chain, src))
			}
			ov.Subscription = ov.Subscriptions[0]
			if setsChannel(ov, op.Base.Dir, isCandidate) || direct(ov.Chain, isCandidate) {
				ov.Name = overlayName(op.Dir, dir)
				op.Overlays = append(op.Overlays, ov)
			} else {
				ov.Name, ov.Variant = strings.TrimPrefix(dir, op.Dir+"/"), true
				op.Variants = append(op.Variants, ov)
			}
		}
		for _, list := range [][]*Overlay{op.Overlays, op.Variants} {
			sort.Slice(list, func(i, j int) bool {
				if list[i].Name != list[j].Name {
					return list[i].Name < list[j].Name
				}
				return list[i].Dir < list[j].Dir
			})
		}
		if op.Pointer != nil && len(op.Pointer.Children) == 1 {
			target := op.Pointer.Children[0]
			for _, list := range [][]*Overlay{op.Overlays, op.Variants} {
				for _, ov := range list {
					if ov.Dir == target && op.DefaultOverlay == "" {
						op.DefaultOverlay = ov.Name
					}
				}
			}
		}
		// The paths that reach the operator's folder through a link: a
		// link path of one of its kustomizations, less the part below the
		// operator's folder.
		seen := map[string]bool{}
		for real, links := range aliases {
			if real != op.Dir && !strings.HasPrefix(real, op.Dir+"/") {
				continue
			}
			below := strings.TrimPrefix(real, op.Dir)
			for _, l := range links {
				if a := strings.TrimSuffix(l, below); strings.HasSuffix(l, below) && a != "" && !seen[a] {
					seen[a] = true
					op.Aliases = append(op.Aliases, a)
				}
			}
		}
		sort.Strings(op.Aliases)
	}
	sort.Slice(c.Operators, func(i, j int) bool { return c.Operators[i].Dir < c.Operators[j].Dir })
	c.findUnused()
}

// setsChannel reports whether an overlay sets a channel or CSV itself: a
// value of one of its Subscriptions was last written by a kustomization of
// its chain that is neither the base nor another overlay candidate (its
// own patches and the components it includes).
func setsChannel(ov *Overlay, base string, isCandidate map[string]bool) bool {
	for _, s := range ov.Subscriptions {
		for _, v := range []Value{s.Channel, s.StartingCSV} {
			if v.By != "" && v.By != base && (v.By == ov.Dir || !isCandidate[v.By]) {
				return true
			}
		}
	}
	return false
}

// direct reports whether a chain reaches the base without passing through
// another overlay candidate.
func direct(chain []string, isCandidate map[string]bool) bool {
	for _, d := range chain[1 : len(chain)-1] {
		if isCandidate[d] {
			return false
		}
	}
	return true
}

// isPointer reports whether n is a default-overlay pointer of op: a folder
// named overlays that only selects one overlay (or the base) of op — one
// local folder and nothing else that changes what it renders.
func (c *Catalog) isPointer(n *Node, op *Operator, owner map[string]*Operator) bool {
	if path.Base(n.Dir) != "overlays" {
		return false
	}
	if n.Node == nil {
		return true
	}
	refs := n.Refs()
	if len(refs) != 1 {
		return false
	}
	for i := 0; i+1 < len(n.Node.Content); i += 2 {
		switch n.Node.Content[i].Value {
		case "apiVersion", "kind", "resources", "bases":
		default:
			return false
		}
	}
	target := path.Join(n.Dir, refs[0].Value)
	if target == op.Base.Dir {
		return true
	}
	return owner[target] == op
}

// ChartDir returns the Helm chart folder that holds file (the nearest
// folder above it with a Chart.yaml), or "" when file is in no chart.
// Chart files are templates, not manifests: kustomize reads them only
// through helmCharts, which opcat never runs.
func (c *Catalog) ChartDir(file string) string {
	for d := path.Dir(file); ; d = path.Dir(d) {
		if _, ok := c.Tree.ReadFile(path.Join(d, "Chart.yaml")); ok {
			return d
		}
		if d == "." || d == "/" {
			return ""
		}
	}
}

// findUnused records the Subscriptions written in YAML files that no
// kustomization refers to (by any field), outside Helm charts.
func (c *Catalog) findUnused() {
	c.uses = map[string][]string{}
	use := func(file, dir string) {
		if l := c.uses[file]; len(l) == 0 || l[len(l)-1] != dir {
			c.uses[file] = append(l, dir)
		}
	}
	var mark func(dir string, n *yaml.Node)
	mark = func(dir string, n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.ScalarNode {
			v := strings.TrimSpace(n.Value)
			if v != "" && !strings.Contains(v, "\n") && !kustomize.IsRemote(v) {
				if i := strings.Index(v, "="); i >= 0 && !strings.HasPrefix(v, "/") {
					// configMapGenerator files: key=path
					use(c.realPath(path.Join(dir, v[i+1:])), dir)
				}
				use(c.realPath(path.Join(dir, v)), dir)
			}
			return
		}
		for _, ch := range n.Content {
			mark(dir, ch)
		}
	}
	unknown := map[string]bool{} // folders whose kustomization cannot be read
	for _, dir := range c.Dirs() {
		n := c.Kustomizations[dir]
		if n.Node == nil {
			unknown[c.realPath(dir)] = true
			continue
		}
		mark(dir, n.Node)
	}
	for _, f := range c.Tree.Files() {
		ext := path.Ext(f)
		if ext != ".yaml" && ext != ".yml" {
			continue
		}
		rf := c.realPath(f)
		if rf != f || len(c.uses[rf]) > 0 || unknown[path.Dir(rf)] || len(c.Tree.KustomizationFile(path.Dir(f))) > 0 && isKustomizationFile(f) || c.ChartDir(f) != "" {
			continue
		}
		docs, _, ok := c.Tree.ParseFile(f)
		if !ok {
			continue
		}
		for _, d := range docs {
			if len(d.Content) == 0 || !isSubscription(d.Content[0]) {
				continue
			}
			name, _, _ := kustomize.ScalarAt(d.Content[0], "metadata", "name")
			pkg, _, _ := kustomize.ScalarAt(d.Content[0], "spec", "name")
			_, kn := kustomize.Lookup(d.Content[0], "kind")
			pos := kustomize.Position{File: f, Line: 1, Column: 1}
			if kn != nil {
				pos = kustomize.At(f, kn)
			}
			c.Unused = append(c.Unused, UnusedSubscription{File: f, Pos: pos, Name: name, Package: pkg})
		}
	}
}

// UsedBy returns the kustomization folders whose kustomization names file
// (relative to the root) in any field — resources, patches, generators —
// sorted.
func (c *Catalog) UsedBy(file string) []string {
	return c.uses[c.realPath(path.Clean(file))]
}

func isKustomizationFile(f string) bool {
	switch path.Base(f) {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return true
	}
	return false
}
