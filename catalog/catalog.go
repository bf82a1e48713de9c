// Package catalog is the model of a GitOps operator catalog: a tree of
// kustomize bases that hold OLM Subscriptions and the overlays that pin a
// channel or a CSV. Load reads a catalog the way kustomize and OLM read it,
// and records for every rendered Subscription value where it was written.
package catalog

import (
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/opcat-dev/opcat/lib/kustomize"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// Role is what a kustomization is for in a catalog.
type Role int

// The roles of a kustomization.
const (
	// RoleOther is a kustomization that is not part of an operator's
	// install: instances, operands, catalog sources, aggregations.
	RoleOther Role = iota
	// RoleBase holds an operator's Subscription.
	RoleBase
	// RoleOverlay reaches a base and is an install target for it.
	RoleOverlay
	// RolePointer is a default-overlay pointer: its only resource is one
	// overlay (or, wrongly, the base).
	RolePointer
	// RoleComponent is a kustomize Component; it is not built on its own.
	RoleComponent
)

// String names the role.
func (r Role) String() string {
	return [...]string{"other", "base", "overlay", "pointer", "component"}[r]
}

// Catalog is a loaded catalog.
type Catalog struct {
	// Root is the catalog root on disk.
	Root string
	// Tree is the snapshot of the catalog's files that everything was read from.
	Tree *kustomize.Tree
	// Kustomizations are all kustomizations, by folder relative to Root.
	Kustomizations map[string]*Node
	// Operators are the operators found, sorted by path.
	Operators []*Operator
	// Problems are what could not be read, as data with positions.
	Problems []kustomize.Problem

	byDirOnce sync.Once
	byDir     map[string]*Operator // operator folder -> operator

	extOnce    sync.Once
	extensions []*Extension
}

// Node is one kustomization of the catalog and its build.
type Node struct {
	*kustomize.Kustomization
	// Role says what the kustomization is for.
	Role Role
	// Result is the in-process build; components are not built.
	Result kustomize.Result
	// Children are the local folders it includes (resources, bases,
	// components), relative to the root, in order.
	Children []string
}

// Operator is one operator: its base and the overlays that install it.
type Operator struct {
	// Name is the operator's folder name (event-streams).
	Name string
	// Dir is the operator's folder relative to the root.
	Dir string
	// Base is the kustomization that holds the Subscription.
	Base *Node
	// Subscription is the base's Subscription as the base renders it.
	Subscription Subscription
	// Overlays are the install targets, sorted by name.
	Overlays []*Overlay
	// Pointer is the default-overlay pointer, if any.
	Pointer *Node
	// DefaultOverlay is the overlay the pointer selects, or "".
	DefaultOverlay string
}

// Overlay is one install target of an operator.
type Overlay struct {
	// Name is the overlay's folder below overlays/ (v2.5).
	Name string
	// Dir is the overlay's folder relative to the root.
	Dir string
	// Node is the overlay's kustomization.
	Node *Node
	// Chain lists the folders from the overlay down to the base.
	Chain []string
	// Subscription is the rendered Subscription with provenance.
	Subscription Subscription
}

// Value is a rendered value and where it was written: the base field or
// the patch operation that set it last.
type Value struct {
	Value string             `json:"value"`
	Set   bool               `json:"set"`
	Pos   kustomize.Position `json:"pos"`
}

// Subscription is a rendered Subscription, each field with provenance.
type Subscription struct {
	Name                Value
	Namespace           Value
	Package             Value
	Channel             Value
	StartingCSV         Value
	InstallPlanApproval Value
	Source              Value
	SourceNamespace     Value
	// Object is the rendered object; nil when the build failed. It is
	// shared with the build (later builds reuse it): copy it before
	// changing it.
	Object *kyaml.RNode
}

// Operator returns the operator whose folder is name, or else the one
// operator called name; nil when there is none, or when several operators
// in different folders share the name (OperatorsNamed lists them).
func (c *Catalog) Operator(name string) *Operator {
	dir := strings.Trim(path.Clean("/"+name), "/")
	for _, op := range c.Operators {
		if op.Dir == dir {
			return op
		}
	}
	if named := c.OperatorsNamed(name); len(named) == 1 {
		return named[0]
	}
	return nil
}

// OperatorsNamed returns the operators whose folder name is name.
func (c *Catalog) OperatorsNamed(name string) []*Operator {
	var out []*Operator
	for _, op := range c.Operators {
		if op.Name == name {
			out = append(out, op)
		}
	}
	return out
}

// Overlay returns the overlay named name.
func (op *Operator) Overlay(name string) *Overlay {
	for _, ov := range op.Overlays {
		if ov.Name == name {
			return ov
		}
	}
	return nil
}

// Default returns the default overlay, or nil.
func (op *Operator) Default() *Overlay {
	if op.DefaultOverlay == "" {
		return nil
	}
	return op.Overlay(op.DefaultOverlay)
}

// Dirs returns every kustomization folder, sorted.
func (c *Catalog) Dirs() []string {
	out := make([]string, 0, len(c.Kustomizations))
	for d := range c.Kustomizations {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// OperatorOf returns the operator whose folder holds dir, the deepest one.
func (c *Catalog) OperatorOf(dir string) *Operator {
	c.byDirOnce.Do(func() {
		c.byDir = make(map[string]*Operator, len(c.Operators))
		for _, op := range c.Operators {
			c.byDir[op.Dir] = op
		}
	})
	for d := path.Clean(dir); ; d = path.Dir(d) {
		if op, ok := c.byDir[d]; ok {
			return op
		}
		if d == "." || d == "/" {
			return nil
		}
	}
}

// within reports whether p is dir or below it (slash paths).
func within(dir, p string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}

// operatorDir is the operator folder of a base folder: base and operator
// components at the end are conventions, not the operator's name.
func operatorDir(baseDir string) string {
	d := baseDir
	for d != "." {
		b := path.Base(d)
		if b != "base" && b != "operator" && b != "bases" {
			break
		}
		d = path.Dir(d)
	}
	if d == "." {
		return baseDir
	}
	return d
}

// Markers between which an operator's README lists its overlays; opcat
// rewrites what lies between them and checks it.
const (
	ReadmeStart = "<!-- opcat:overlays:start -->"
	ReadmeEnd   = "<!-- opcat:overlays:end -->"
)
