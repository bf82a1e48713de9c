package catalog

import (
	"path"
	"regexp"

	"github.com/opcat-dev/opcat/lib/kustomize"
	yaml "go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// subscriptionFields lists each traced field with its place in the object.
var subscriptionFields = []struct {
	keys  []string
	field func(*Subscription) *Value
}{
	{[]string{"metadata", "name"}, func(s *Subscription) *Value { return &s.Name }},
	{[]string{"metadata", "namespace"}, func(s *Subscription) *Value { return &s.Namespace }},
	{[]string{"spec", "name"}, func(s *Subscription) *Value { return &s.Package }},
	{[]string{"spec", "channel"}, func(s *Subscription) *Value { return &s.Channel }},
	{[]string{"spec", "startingCSV"}, func(s *Subscription) *Value { return &s.StartingCSV }},
	{[]string{"spec", "installPlanApproval"}, func(s *Subscription) *Value { return &s.InstallPlanApproval }},
	{[]string{"spec", "source"}, func(s *Subscription) *Value { return &s.Source }},
	{[]string{"spec", "sourceNamespace"}, func(s *Subscription) *Value { return &s.SourceNamespace }},
}

// trace computes the Subscription that chain renders (chain runs from the
// install target down to the base) and, for each field, the position of
// the text that set it last: the field in the base file, a namespace
// field of a kustomization, or a patch operation.
func (c *Catalog) trace(chain []string, src subscriptionSource) Subscription {
	var s Subscription
	// Written values, in application order.
	for _, f := range subscriptionFields {
		v := f.field(&s)
		if val, n, ok := kustomize.ScalarAt(src.doc, f.keys...); ok {
			*v = Value{Value: val, Set: true, Pos: kustomize.At(src.file, n)}
		}
	}
	name := s.Name.Value
	for i := len(chain) - 1; i >= 0; i-- {
		n, ok := c.Kustomizations[chain[i]]
		if !ok || n.Node == nil {
			continue
		}
		if ns, pos, ok := n.Namespace(); ok {
			s.Namespace = Value{Value: ns, Set: true, Pos: pos, By: n.Dir}
		}
		for _, p := range n.Patches() {
			c.tracePatch(&s, n, p, name)
		}
	}
	// The rendered object is the truth for values; positions stay those of
	// the writers found above.
	top := c.Kustomizations[chain[0]]
	if top == nil || top.Result.Err != nil {
		return s
	}
	for _, r := range top.Result.Resources {
		if r.GetKind() != "Subscription" {
			continue
		}
		if s.Object == nil || r.GetName() == name {
			s.Object = r
		}
	}
	if s.Object == nil {
		return s
	}
	for _, f := range subscriptionFields {
		v := f.field(&s)
		node, err := s.Object.Pipe(kyaml.Lookup(f.keys...))
		if err != nil || node == nil || node.YNode().Kind != yaml.ScalarNode {
			if v.Set {
				v.Set, v.Value = false, ""
			}
			continue
		}
		v.Value, v.Set = node.YNode().Value, true
	}
	return s
}

// tracePatch records the fields a patch of kustomization n writes on the
// Subscription named name.
func (c *Catalog) tracePatch(s *Subscription, n *Node, p kustomize.PatchRef, name string) {
	if p.Target != nil && !selectsSubscription(p.Target.Kind, p.Target.Name, name) {
		return
	}
	if ops, _, isJSON := c.Tree.JSONPatch(n.Kustomization, p); isJSON {
		if p.Target == nil {
			return
		}
		for _, op := range ops {
			for _, f := range subscriptionFields {
				if op.Path != "/"+f.keys[0]+"/"+f.keys[1] {
					continue
				}
				v := f.field(s)
				switch op.Op {
				case "add", "replace":
					val, _ := op.ValueString()
					*v = Value{Value: val, Set: true, Pos: op.ValuePos, By: n.Dir}
				case "remove":
					*v = Value{Pos: op.Pos, By: n.Dir}
				}
			}
		}
		return
	}
	file := p.InlinePos.File
	if p.Path != "" {
		file = path.Join(n.Dir, p.Path)
	}
	// A strategic-merge patch: a resource naming its target.
	var docs []*yaml.Node
	if p.Path != "" {
		docs, _, _ = c.Tree.ParseFile(file)
	} else {
		docs, _ = kustomize.ParseYAML(file, []byte(p.Inline))
	}
	for _, d := range docs {
		obj := d.Content[0]
		kind, _, _ := kustomize.ScalarAt(obj, "kind")
		objName, _, _ := kustomize.ScalarAt(obj, "metadata", "name")
		if kind != "Subscription" || (p.Target == nil && objName != name) {
			continue
		}
		for _, f := range subscriptionFields {
			if f.keys[0] == "metadata" {
				continue
			}
			if val, vn, ok := kustomize.ScalarAt(obj, f.keys...); ok {
				pos := kustomize.At(file, vn)
				if p.Path == "" {
					pos = p.InlineLine(vn.Line, vn.Column)
				}
				*f.field(s) = Value{Value: val, Set: true, Pos: pos, By: n.Dir}
			}
		}
	}
}

// selectsSubscription reports whether a patch target with this kind and
// name (a regular expression, as kustomize reads it) can select the
// Subscription called name.
func selectsSubscription(kind, targetName, name string) bool {
	if kind != "" && kind != "Subscription" {
		return false
	}
	if targetName == "" {
		return true
	}
	re, err := regexp.Compile("^(?:" + targetName + ")$")
	if err != nil {
		return targetName == name
	}
	return re.MatchString(name)
}

// Field returns the traced value of a spec field of the Subscription (keys
// as in the object: "spec", "channel"), and whether the field is traced
// and set.
func (s *Subscription) Field(keys []string) (Value, bool) {
	if len(keys) != 2 || keys[0] != "spec" {
		return Value{}, false
	}
	for _, f := range subscriptionFields {
		if f.keys[0] == keys[0] && f.keys[1] == keys[1] {
			v := *f.field(s)
			return v, v.Set
		}
	}
	return Value{}, false
}

// FieldPos returns where the field at keys of the rendered object obj, one
// of the objects the kustomizations of chain render (chain runs from the
// install target down to the base, as Overlay.Chain), was written: for
// the Subscription sub (the traced one; nil for none), its traced value;
// else the last JSON patch operation of the first kustomization in chain
// that writes the field or one of its parents; else the deepest part of
// keys present in the file that holds the object (its kind, when none is);
// else the kustomization file of chain[0].
func (c *Catalog) FieldPos(chain []string, sub *Subscription, obj *kyaml.RNode, keys []string) kustomize.Position {
	if sub != nil && obj.GetKind() == "Subscription" && obj.GetName() == sub.Name.Value {
		if v, ok := sub.Field(keys); ok {
			return v.Pos
		}
	}
	for _, dir := range chain {
		n := c.Kustomizations[dir]
		if n == nil || n.Node == nil {
			continue
		}
		var found *kustomize.WrittenOp
		for _, o := range c.Tree.PatchOps(n.Kustomization) {
			if o.Patch.Target != nil && o.Writes(keys) {
				found = &o
			}
		}
		if found != nil {
			return found.Pos
		}
	}
	file, doc := c.SourceOf(chain, obj.GetKind(), obj.GetName())
	if doc == nil {
		return kustomize.Position{File: c.topFile(chain)}
	}
	best := doc
	cur := doc
	for _, k := range keys {
		_, v := kustomize.Lookup(cur, k)
		if v == nil {
			break
		}
		best, cur = v, v
	}
	if best == doc && len(doc.Content) > 0 {
		best = doc.Content[0]
	}
	return kustomize.At(file, best)
}

// topFile is the kustomization file of chain[0], "" when there is none.
func (c *Catalog) topFile(chain []string) string {
	if len(chain) == 0 {
		return ""
	}
	if n := c.Kustomizations[chain[0]]; n != nil && n.Kustomization != nil {
		return n.File
	}
	return ""
}

// SourceOf finds the resource file, among those the kustomizations of chain
// list (the base's first), that writes the object kind/name, and the
// object's node in it; "" and nil when none does.
func (c *Catalog) SourceOf(chain []string, kind, name string) (string, *yaml.Node) {
	for i := len(chain) - 1; i >= 0; i-- {
		n, ok := c.Kustomizations[chain[i]]
		if !ok || n.Node == nil {
			continue
		}
		for _, r := range n.Refs() {
			file := path.Join(n.Dir, r.Value)
			docs, _, ok := c.Tree.ParseFile(file)
			if !ok {
				continue
			}
			for _, d := range docs {
				k, _, _ := kustomize.ScalarAt(d.Content[0], "kind")
				nm, _, _ := kustomize.ScalarAt(d.Content[0], "metadata", "name")
				if k == kind && nm == name {
					return file, d.Content[0]
				}
			}
		}
	}
	return "", nil
}
