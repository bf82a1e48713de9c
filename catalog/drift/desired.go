// Package drift compares what a catalog installs (its export selection)
// with what a cluster has, the way OLM sees it: Subscriptions missing,
// extra or changed, CSVs behind the pin or the channel head, InstallPlans
// waiting for approval, failed CSVs and resolution, OperatorGroups whose
// targets changed or that are too many. Every finding names the catalog
// file, line and column that set the desired value.
//
// The cluster's objects come from a dump (ParseDump) or from the API; see
// the live subpackage.
package drift

import (
	"path"
	"slices"
	"sort"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/export"
	"github.com/opcat-dev/opcat/lib/kustomize"
	yaml "go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// Desired is what the selected overlays install.
type Desired struct {
	Subscriptions  []DesiredSubscription
	OperatorGroups []DesiredOperatorGroup
	// Selection is the export selection it was computed from.
	Selection []export.Selected
	// Skipped are the operators without an overlay to install.
	Skipped []export.Skipped
	// Cluster is set when cluster labels chose the selection.
	Cluster *export.ClusterRecord
}

// DesiredSubscription is a Subscription an overlay renders, each value
// with the position that set it.
type DesiredSubscription struct {
	Operator, Overlay string
	catalog.Subscription
	// Where is the overlay's kustomization, the fallback position.
	Where kustomize.Position
}

// DesiredOperatorGroup is an OperatorGroup an overlay renders.
type DesiredOperatorGroup struct {
	Operator, Overlay string
	Namespace, Name   string
	// Targets are spec.targetNamespaces, sorted; Selector is true when the
	// group selects namespaces by label instead.
	Targets  []string
	Selector bool
	// Pos is where the group (its targetNamespaces, else its name) is written.
	Pos kustomize.Position
}

// Namespaces returns the namespaces of the desired objects, sorted.
func (d *Desired) Namespaces() []string {
	var ns []string
	for _, s := range d.Subscriptions {
		ns = append(ns, s.Namespace.Value)
	}
	for _, g := range d.OperatorGroups {
		ns = append(ns, g.Namespace)
	}
	sort.Strings(ns)
	return slices.Compact(ns)
}

// SourceNamespaces returns the namespaces of the desired Subscriptions'
// CatalogSources, sorted.
func (d *Desired) SourceNamespaces() []string {
	var ns []string
	for _, s := range d.Subscriptions {
		if s.SourceNamespace.Value != "" {
			ns = append(ns, s.SourceNamespace.Value)
		}
	}
	sort.Strings(ns)
	return slices.Compact(ns)
}

// DesiredState computes what the export selection (the default overlays,
// or those overlays chooses) installs, from a catalog loaded with its
// builds. An overlay that does not build is an *export.BuildError, as for
// an export.
func DesiredState(c *catalog.Catalog, overlays map[string]string) (*Desired, error) {
	return DesiredStateFor(c, export.Options{Overlays: overlays})
}

// DesiredStateFor computes what the selection of opts installs, as
// export.Choose selects it: by default overlay and opts.Overlays, or by
// the labels of opts.Cluster as the catalog's ApplicationSets would deploy
// the overlays.
func DesiredStateFor(c *catalog.Catalog, opts export.Options) (*Desired, error) {
	ch, err := export.Choose(c, opts)
	if err != nil {
		return nil, err
	}
	sel, ovs := ch.Selection, ch.Overlays
	d := &Desired{Selection: sel, Skipped: ch.Skipped, Cluster: ch.Cluster}
	for i, ov := range ovs {
		res := ov.Node.Result
		if res.Err != nil {
			return nil, &export.BuildError{Overlay: ov.Dir, Err: res.Err}
		}
		where := kustomize.Position{File: ov.Node.File, Line: 1, Column: 1}
		op := sel[i].Operator
		for _, r := range res.Resources {
			switch r.GetKind() {
			case "Subscription":
				d.Subscriptions = append(d.Subscriptions, desiredSubscription(op, ov, r, where))
			case "OperatorGroup":
				d.OperatorGroups = append(d.OperatorGroups, desiredGroup(c, op, ov, r, where))
			}
		}
	}
	return d, nil
}

func desiredSubscription(op string, ov *catalog.Overlay, r *kyaml.RNode, where kustomize.Position) DesiredSubscription {
	s := ov.Subscription
	if s.Object == nil || s.Object.GetName() != r.GetName() || s.Object.GetNamespace() != r.GetNamespace() {
		// Another Subscription of the same build: its values as rendered,
		// at the overlay's kustomization.
		s = catalog.Subscription{Object: r}
		for _, f := range []struct {
			v    *catalog.Value
			keys []string
		}{
			{&s.Name, []string{"metadata", "name"}}, {&s.Namespace, []string{"metadata", "namespace"}},
			{&s.Package, []string{"spec", "name"}}, {&s.Channel, []string{"spec", "channel"}},
			{&s.StartingCSV, []string{"spec", "startingCSV"}}, {&s.InstallPlanApproval, []string{"spec", "installPlanApproval"}},
			{&s.Source, []string{"spec", "source"}}, {&s.SourceNamespace, []string{"spec", "sourceNamespace"}},
		} {
			if n, err := r.Pipe(kyaml.Lookup(f.keys...)); err == nil && n != nil && n.YNode().Kind == yaml.ScalarNode {
				*f.v = catalog.Value{Value: n.YNode().Value, Set: true, Pos: where}
			}
		}
	}
	return DesiredSubscription{Operator: op, Overlay: ov.Name, Subscription: s, Where: where}
}

func desiredGroup(c *catalog.Catalog, op string, ov *catalog.Overlay, r *kyaml.RNode, where kustomize.Position) DesiredOperatorGroup {
	g := DesiredOperatorGroup{Operator: op, Overlay: ov.Name, Namespace: r.GetNamespace(), Name: r.GetName(), Pos: where}
	if n, err := r.Pipe(kyaml.Lookup("spec", "targetNamespaces")); err == nil && n != nil {
		for _, e := range n.YNode().Content {
			g.Targets = append(g.Targets, e.Value)
		}
		sort.Strings(g.Targets)
	}
	if n, err := r.Pipe(kyaml.Lookup("spec", "selector")); err == nil && n != nil {
		g.Selector = true
	}
	if pos, ok := findWritten(c, ov.Chain, "OperatorGroup", g.Name); ok {
		g.Pos = pos
	}
	return g
}

// findWritten finds the file of the overlay's chain where an object of
// kind named name is written, and the position of its targetNamespaces
// (or of its name).
func findWritten(c *catalog.Catalog, chain []string, kind, name string) (kustomize.Position, bool) {
	files := c.Tree.Files()
	for i := len(chain) - 1; i >= 0; i-- {
		dir := chain[i]
		for _, f := range files {
			if !within(dir, f) || (path.Ext(f) != ".yaml" && path.Ext(f) != ".yml") {
				continue
			}
			docs, _, ok := c.Tree.ParseFile(f)
			if !ok {
				continue
			}
			for _, d := range docs {
				if len(d.Content) == 0 {
					continue
				}
				obj := d.Content[0]
				k, _, _ := kustomize.ScalarAt(obj, "kind")
				n, nameNode, _ := kustomize.ScalarAt(obj, "metadata", "name")
				if k != kind || n != name {
					continue
				}
				if _, v := kustomize.LookupPath(obj, "spec", "targetNamespaces"); v != nil {
					return kustomize.At(f, v), true
				}
				return kustomize.At(f, nameNode), true
			}
		}
	}
	return kustomize.Position{}, false
}

func within(dir, p string) bool {
	return dir == "." || len(p) > len(dir) && p[:len(dir)] == dir && p[len(dir)] == '/'
}
