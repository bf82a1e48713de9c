package lint

import (
	"fmt"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/resid"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// checkPatches checks every patch entry of every kustomization: that JSON
// patches are valid, that targets select something, that the paths of
// replace, remove and test exist, and that Subscription targets name
// their group.
func (p *pass) checkPatches() {
	verdicts := p.probePatches()
	for _, dir := range p.c.Dirs() {
		if p.stopped() {
			return
		}
		n := p.c.Kustomizations[dir]
		if n.Node == nil {
			continue
		}
		op, ov := p.owner(dir)
		// What the patches apply to, computed for the first patch with a
		// target: most kustomizations (bases, pointers) have none.
		var inputs []*kyaml.RNode
		known, computed := false, false
		for _, pr := range n.Patches() {
			if pr.Target != nil && pr.Target.Kind == "Subscription" && pr.Target.Group == "" {
				if other := p.foreignSubscription(n, pr); other != "" {
					p.report(PatchTargetAmbiguous, pr.Pos, op, ov, "add group: operators.coreos.com and version: v1alpha1 to the target",
						"target kind: Subscription has no group, so it also selects %s; add group: operators.coreos.com", other)
				}
			}
			data, file, ok := p.patchText(n, pr)
			if !ok {
				continue // a missing patch file is a build failure, reported there
			}
			isJSON := pr.Field == "patchesJson6902" || (pr.Field == "patches" && pr.Target != nil && kustomize.IsJSON6902(data))
			var ops []kustomize.Op
			if isJSON {
				var problems []kustomize.Problem
				if pr.Path != "" {
					ops, problems = kustomize.ParseJSON6902(file, data)
				} else {
					ops, problems = kustomize.ParseInlineJSON6902(pr)
				}
				for _, prob := range problems {
					p.report(PatchInvalid, prob.Pos, op, ov, "", "%s", prob.Message)
				}
			} else if strings.TrimSpace(string(data)) == "" {
				p.report(PatchInvalid, pr.Pos, op, ov, "", "patch %s is empty: it changes nothing", file)
			}
			if pr.Target == nil {
				continue
			}
			if v, ok := verdicts[patchKey{p.c.Tree.RealPath(dir), pr.Field, pr.Index}]; ok && v.verdict == kustomize.PatchUnmatched {
				if n.Role == catalog.RoleComponent {
					p.report(PatchTargetUnmatched, pr.Pos, op, ov, "",
						"patch target %s applies to no resource in any kustomization that includes this component (%s); kustomize drops the patch silently",
						describeSelector(pr.Target), describeDirs(v.builds))
					continue
				}
				if !computed {
					inputs, known = p.inputs(n)
					computed = true
				}
				has := ""
				if known && !hasComponents(n) { // inputs leave out what components add
					has = " (it has " + describeResources(inputs) + ")"
				}
				fix, hint := "", ""
				if ns, _, ok := n.Namespace(); ok && pr.Field != "patchesJson6902" && pr.Target.Namespace == ns {
					fix = "remove namespace from the target, or name the namespace the resource has before this kustomization sets " + ns
					hint = "; patches run before the kustomization's own namespace: " + ns + " is set"
				}
				p.report(PatchTargetUnmatched, pr.Pos, op, ov, fix,
					"patch target %s applies to no resource of this kustomization%s; kustomize drops the patch silently%s",
					describeSelector(pr.Target), has, hint)
				continue
			}
			if n.Role == catalog.RoleComponent {
				continue
			}
			if !computed {
				inputs, known = p.inputs(n)
				computed = true
			}
			if !known {
				continue
			}
			for _, r := range p.selected(n, pr, inputs) {
				p.checkOps(r, ops, op, ov)
			}
		}
	}
}

// foreignSubscription names a Subscription of another API group than
// OLM's that a group-less Subscription target of n selects in a build: n's
// own build, or for a component the builds that include it; "" when there
// is none.
func (p *pass) foreignSubscription(n *catalog.Node, pr kustomize.PatchRef) string {
	var builds []*catalog.Node
	if n.Role == catalog.RoleComponent {
		builds = p.includersOf(n.Dir)
	} else {
		builds = []*catalog.Node{n}
	}
	for _, b := range builds {
		resources := b.Result.Resources
		if b.Result.Err != nil && b == n {
			resources, _ = p.inputs(n)
		}
		for _, r := range p.selected(b, pr, resources) {
			if r.GetKind() == "Subscription" && !strings.HasPrefix(r.GetApiVersion(), "operators.coreos.com/") {
				return fmt.Sprintf("Subscription %s (%s) in %s", r.GetName(), r.GetApiVersion(), b.Dir)
			}
		}
	}
	return ""
}

// includersOf returns the kustomizations that include dir directly, in
// folder order. The index is built once: a catalog with a component in
// every operator would otherwise walk every kustomization per patch.
func (p *pass) includersOf(dir string) []*catalog.Node {
	if p.includers == nil {
		p.includers = map[string][]*catalog.Node{}
		for _, d := range p.c.Dirs() {
			n := p.c.Kustomizations[d]
			seen := map[string]bool{}
			for _, ch := range n.Children {
				if !seen[ch] {
					seen[ch] = true
					p.includers[ch] = append(p.includers[ch], n)
				}
			}
		}
	}
	return p.includers[dir]
}

// patchKey names one patch entry: its kustomization's folder, field and
// index in the field.
type patchKey struct {
	dir, field string
	index      int
}

// probed is what probe builds told about one patch entry.
type probed struct {
	verdict kustomize.PatchVerdict
	// builds are the kustomizations built to tell (for a component, those
	// that include it).
	builds []string
}

// probePatches asks kustomize, by probe builds run in parallel, whether
// each patch entry with a target applies to any resource. A patch of a
// non-component kustomization is probed in the kustomization's own build
// (an included kustomization is built on its own, whatever includes it). A
// patch of a Component runs in every kustomization that includes it,
// directly or through other components: it is unmatched only when it is
// unmatched in all of them, and unknown when one of them does not build.
func (p *pass) probePatches() map[patchKey]probed {
	if p.cfg.Off[PatchTargetUnmatched] {
		return nil
	}
	includers := p.componentIncluders()
	type task struct {
		key    patchKey
		k      *kustomize.Kustomization
		pr     kustomize.PatchRef
		builds []string
	}
	var tasks []task
	for _, dir := range p.c.Dirs() {
		n := p.c.Kustomizations[dir]
		if n.Node == nil || p.c.Tree.RealPath(dir) != dir {
			continue // a folder reached through a link builds as its real folder
		}
		builds := []string{dir}
		if n.Role == catalog.RoleComponent {
			builds = includers[dir]
		} else if n.Result.Err != nil {
			continue
		}
		if len(builds) == 0 {
			continue
		}
		for _, pr := range n.Patches() {
			if pr.Target == nil || !p.inScope(pr.Pos.File) || ignored(p.cfg.Ignore, pr.Pos.File) {
				continue
			}
			tasks = append(tasks, task{patchKey{dir, pr.Field, pr.Index}, n.Kustomization, pr, builds})
		}
	}
	out := make([]probed, len(tasks))
	b := kustomize.NewBuilder(p.c.Tree)
	b.Cache = p.c.Cache
	for dir, n := range p.c.Kustomizations {
		b.Remember(dir, n.Result) // probes reuse what the catalog built, where that is exact
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0) && w < len(tasks); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if p.stopped() {
					continue // drain: the run is abandoned
				}
				t := tasks[i]
				v := kustomize.PatchUnmatched
				for _, d := range t.builds {
					if p.c.Kustomizations[d].Result.Err != nil {
						v = kustomize.PatchUnknown
						break
					}
					switch b.PatchApplies(d, t.k, t.pr) {
					case kustomize.PatchApplied:
						v = kustomize.PatchApplied
					case kustomize.PatchUnknown:
						v = kustomize.PatchUnknown
					}
					if v != kustomize.PatchUnmatched {
						break
					}
				}
				out[i] = probed{verdict: v, builds: t.builds}
			}
		}()
	}
	for i := range tasks {
		work <- i
	}
	close(work)
	wg.Wait()
	m := make(map[patchKey]probed, len(tasks))
	for i, t := range tasks {
		m[t.key] = out[i]
	}
	return m
}

// componentIncluders maps each Component's folder to the kustomizations,
// not components themselves, whose build runs it: those that list it under
// components, directly or through other components. Sorted.
func (p *pass) componentIncluders() map[string][]string {
	out := map[string][]string{}
	for _, dir := range p.c.Dirs() {
		n := p.c.Kustomizations[dir]
		if n.Node == nil || n.Role == catalog.RoleComponent || p.c.Tree.RealPath(dir) != dir {
			continue
		}
		seen := map[string]bool{}
		var walk func(k *catalog.Node)
		walk = func(k *catalog.Node) {
			for _, r := range k.Refs() {
				if r.Field != "components" || kustomize.IsRemote(r.Value) {
					continue
				}
				c, ok := p.c.Kustomizations[p.c.Tree.RealPath(path.Join(k.Dir, r.Value))]
				if !ok || c.Node == nil || seen[c.Dir] {
					continue
				}
				seen[c.Dir] = true
				if c.Role == catalog.RoleComponent {
					out[c.Dir] = append(out[c.Dir], dir)
					walk(c)
				}
			}
		}
		walk(n)
	}
	return out
}

// patchText returns a patch's text and the file it was written in.
func (p *pass) patchText(n *catalog.Node, pr kustomize.PatchRef) ([]byte, string, bool) {
	if pr.Path == "" {
		return []byte(pr.Inline), pr.InlinePos.File, pr.InlineNode != nil
	}
	file := path.Join(n.Dir, pr.Path)
	data, ok := p.c.Tree.ReadFile(file)
	return data, file, ok
}

// inputs returns the resources a kustomization's patches apply to: what
// its resources, bases and components render to, before its own
// transformations. known is false when one of them did not build.
func (p *pass) inputs(n *catalog.Node) (out []*kyaml.RNode, known bool) {
	if n.Result.Err != nil {
		return nil, false // what it renders is not known
	}
	for _, r := range n.Refs() {
		target := path.Join(n.Dir, r.Value)
		if child, ok := p.c.Kustomizations[target]; ok {
			if child.Role == catalog.RoleComponent {
				continue // components patch the accumulated resources; skip
			}
			if child.Result.Err != nil {
				return nil, false
			}
			out = append(out, child.Result.Resources...) // only read; checkOps copies
			continue
		}
		if p.c.Tree.IsDir(target) || kustomize.IsRemote(r.Value) {
			return nil, false
		}
		docs, problems, ok := p.c.Tree.ParseFile(target)
		if !ok {
			return nil, false
		}
		if len(problems) > 0 {
			return nil, false
		}
		for _, d := range docs {
			out = append(out, kyaml.NewRNode(d.Content[0])) // only read; checkOps copies
		}
	}
	return out, true
}

// selected returns the inputs a patch's target selects, as kustomize
// selects them. patchesJson6902 runs after the kustomization's namespace
// is set; patches and patchesStrategicMerge run before.
func (p *pass) selected(n *catalog.Node, pr kustomize.PatchRef, inputs []*kyaml.RNode) []*kyaml.RNode {
	sr, err := types.NewSelectorRegex(pr.Target)
	if err != nil {
		return inputs // a bad regex fails the build; do not report twice
	}
	ns, _, setsNS := n.Namespace()
	var out []*kyaml.RNode
	for _, r := range inputs {
		gvk := resid.GvkFromNode(r)
		if !sr.MatchGvk(gvk) || !sr.MatchName(r.GetName()) {
			continue
		}
		rns := r.GetNamespace()
		if setsNS && pr.Field == "patchesJson6902" && !gvk.IsClusterScoped() {
			rns = ns
		}
		if !sr.MatchNamespace(rns) {
			continue
		}
		if pr.Target.LabelSelector != "" {
			if ok, err := r.MatchesLabelSelector(pr.Target.LabelSelector); err != nil || !ok {
				continue
			}
		}
		if pr.Target.AnnotationSelector != "" {
			if ok, err := r.MatchesAnnotationSelector(pr.Target.AnnotationSelector); err != nil || !ok {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

func describeSelector(s *types.Selector) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("group", s.Group)
	add("version", s.Version)
	add("kind", s.Kind)
	add("name", s.Name)
	add("namespace", s.Namespace)
	add("labelSelector", s.LabelSelector)
	add("annotationSelector", s.AnnotationSelector)
	if len(parts) == 0 {
		return "{}"
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func hasComponents(n *catalog.Node) bool {
	for _, r := range n.Refs() {
		if r.Field == "components" {
			return true
		}
	}
	return false
}

func describeDirs(dirs []string) string {
	if len(dirs) > 3 {
		return fmt.Sprintf("%s and %d more", strings.Join(dirs[:3], ", "), len(dirs)-3)
	}
	return strings.Join(dirs, ", ")
}

func describeResources(rs []*kyaml.RNode) string {
	if len(rs) == 0 {
		return "no resource"
	}
	var parts []string
	for i, r := range rs {
		if i == 4 {
			parts = append(parts, fmt.Sprintf("and %d more", len(rs)-4))
			break
		}
		id := r.GetKind() + " " + r.GetName()
		if ns := r.GetNamespace(); ns != "" {
			id += " in " + ns
		}
		parts = append(parts, id)
	}
	return strings.Join(parts, ", ")
}

// checkOps applies a JSON patch to a copy of resource r as RFC 6902 says,
// reporting operations whose path (or from) does not exist.
func (p *pass) checkOps(r *kyaml.RNode, ops []kustomize.Op, operator, overlay string) {
	doc := r.Copy().YNode()
	for _, o := range ops {
		where := fmt.Sprintf("%s %s", r.GetKind(), r.GetName())
		switch o.Op {
		case "replace", "remove", "test":
			if _, ok := pointerGet(doc, o.Path); !ok {
				fix := ""
				msg := fmt.Sprintf("%s of %s: %s has no %s, so RFC 6902 fails", o.Op, o.Path, where, o.Path)
				if o.Op == "replace" {
					fix = "use op: add"
					msg += "; kustomize adds the value silently instead — use op: add"
				} else if o.Op == "remove" {
					msg += "; kustomize fails or ignores it"
				}
				p.report(PatchPathMissing, o.Pos, operator, overlay, fix, "%s", msg)
				if o.Op == "replace" {
					pointerSet(doc, o.Path, copyValue(o.Value), false)
				}
				continue
			}
		case "move", "copy":
			if _, ok := pointerGet(doc, o.From); !ok {
				p.report(PatchPathMissing, o.Pos, operator, overlay, "",
					"%s from %s: %s has no %s, so the operation fails", o.Op, o.From, where, o.From)
				continue
			}
		}
		switch o.Op {
		case "add":
			pointerSet(doc, o.Path, copyValue(o.Value), false)
		case "replace":
			pointerSet(doc, o.Path, copyValue(o.Value), true)
		case "remove":
			pointerDelete(doc, o.Path)
		case "copy", "move":
			v, _ := pointerGet(doc, o.From)
			if o.Op == "move" {
				pointerDelete(doc, o.From)
			}
			pointerSet(doc, o.Path, copyValue(v), false)
		}
	}
}

// pointerGet returns the node at a JSON pointer.
func pointerGet(n *yaml.Node, ptr string) (*yaml.Node, bool) {
	cur := n
	for _, tok := range kustomize.SplitPointer(ptr) {
		next, ok := child(cur, tok)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

func child(n *yaml.Node, tok string) (*yaml.Node, bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				return n.Content[i+1], true
			}
		}
	case yaml.SequenceNode:
		i, err := strconv.Atoi(tok)
		if err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i], true
		}
	}
	return nil, false
}

// copyValue copies a patch value so that later operations on the target
// never change the patch's own nodes.
func copyValue(v *yaml.Node) *yaml.Node {
	if v == nil {
		return nil
	}
	return kyaml.NewRNode(v).Copy().YNode()
}

// pointerSet sets the value at a JSON pointer whose parent exists, and does
// nothing otherwise. In a list, add inserts at the index while replace
// overwrites the element there.
func pointerSet(n *yaml.Node, ptr string, v *yaml.Node, replace bool) {
	toks := kustomize.SplitPointer(ptr)
	if len(toks) == 0 || v == nil {
		return
	}
	parent, ok := pointerGet(n, "/"+strings.Join(escape(toks[:len(toks)-1]), "/"))
	if len(toks) == 1 {
		parent, ok = n, true
	}
	if !ok {
		return
	}
	last := toks[len(toks)-1]
	switch parent.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(parent.Content); i += 2 {
			if parent.Content[i].Value == last {
				parent.Content[i+1] = v
				return
			}
		}
		parent.Content = append(parent.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: last}, v)
	case yaml.SequenceNode:
		i, err := strconv.Atoi(last)
		switch {
		case last == "-":
			parent.Content = append(parent.Content, v)
		case err != nil || i < 0:
		case replace && i < len(parent.Content):
			parent.Content[i] = v
		case !replace && i <= len(parent.Content):
			parent.Content = append(parent.Content[:i], append([]*yaml.Node{v}, parent.Content[i:]...)...)
		}
	}
}

// pointerDelete removes the value at a JSON pointer, if present.
func pointerDelete(n *yaml.Node, ptr string) {
	toks := kustomize.SplitPointer(ptr)
	if len(toks) == 0 {
		return
	}
	parent := n
	if len(toks) > 1 {
		var ok bool
		if parent, ok = pointerGet(n, "/"+strings.Join(escape(toks[:len(toks)-1]), "/")); !ok {
			return
		}
	}
	last := toks[len(toks)-1]
	switch parent.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(parent.Content); i += 2 {
			if parent.Content[i].Value == last {
				parent.Content = append(parent.Content[:i], parent.Content[i+2:]...)
				return
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(last); err == nil && i >= 0 && i < len(parent.Content) {
			parent.Content = append(parent.Content[:i], parent.Content[i+1:]...)
		}
	}
}

func escape(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return out
}
