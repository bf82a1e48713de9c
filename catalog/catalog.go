// Package catalog is the model of a GitOps operator catalog: a tree of
// kustomize bases that hold OLM Subscriptions and the overlays that pin a
// channel or a CSV. Load reads a catalog the way kustomize and OLM read it,
// and records for every rendered Subscription value where it was written.
package catalog

import (
	"path"
	"sort"
	"sync"

	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/readme"
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
	// Cache is the build cache the catalog was built with (Options.Cache);
	// nil when there is none. Later builds of the same tree (lint's probe
	// builds) use it too.
	Cache *kustomize.Cache
	// Operators are the operators found, sorted by path.
	Operators []*Operator
	// Problems are what could not be read, as data with positions.
	Problems []kustomize.Problem
	// Unused are the Subscriptions written in files that no kustomization
	// uses, sorted by file: they install nothing.
	Unused []UnusedSubscription

	byDirOnce sync.Once
	byDir     map[string]*Operator // operator folder -> operator
	uses      map[string][]string  // file -> kustomization folders naming it

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
	// RealDir is the folder's canonical path, without folder links; it is
	// Dir unless Dir is reached through a link inside the catalog. Only
	// the canonical path is classified: a link is another way to reach the
	// same operator, not another operator.
	RealDir string
}

// UnusedSubscription is a Subscription in a file no kustomization uses.
type UnusedSubscription struct {
	// File is the file, relative to the root.
	File string
	// Pos is where the Subscription's kind is written.
	Pos kustomize.Position
	// Name and Package are its metadata.name and spec.name.
	Name, Package string
}

// Operator is one operator: its base and the overlays that install it.
type Operator struct {
	// Name is the operator's folder name (event-streams).
	Name string
	// Dir is the operator's folder relative to the root.
	Dir string
	// Base is the kustomization that holds the Subscription.
	Base *Node
	// Subscription is the base's first Subscription as the base renders it.
	Subscription Subscription
	// Subscriptions are all Subscriptions the base lists, in the order it
	// lists them (Subscription is the first): a base may install several
	// packages together.
	Subscriptions []Subscription
	// Overlays are the channel overlays, sorted by name: the folders that
	// reach the base and set a channel or CSV themselves (or include the
	// base directly).
	Overlays []*Overlay
	// Variants are the other install targets inside the operator's folder:
	// aggregate, instance and example folders that include a channel
	// overlay without setting a channel or CSV of their own. Their name is
	// their folder relative to the operator's; sorted by name.
	Variants []*Overlay
	// Aliases are the paths through folder links inside the catalog that
	// reach the operator's kustomizations; Dir is the canonical path.
	Aliases []string
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
	// Subscription is the rendered Subscription with provenance (the
	// first of the base's).
	Subscription Subscription
	// Subscriptions are every Subscription of the base as the overlay
	// renders it, in the base's order.
	Subscriptions []Subscription
	// Variant is true for a variant (see Operator.Variants).
	Variant bool
}

// Value is a rendered value and where it was written: the base field or
// the patch operation that set it last.
type Value struct {
	Value string             `json:"value"`
	Set   bool               `json:"set"`
	Pos   kustomize.Position `json:"pos"`
	// By is the kustomization folder whose namespace field or patch set
	// the value last; "" when it is written in the resource file.
	By string `json:"-"`
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

// Operator returns the operator installed with a Subscription that name
// names, by the rule of FindOperator (its folder, a path to it through a
// folder link, or its folder's last element when that is unique); nil when
// there is none.
func (c *Catalog) Operator(name string) *Operator {
	op, _ := c.FindOperator(name)
	return op
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

// Overlay returns the overlay or variant named name; nil when there is
// none, or when several overlays share the name (a catalog defect that
// OverlaysNamed shows: no one of them is chosen silently).
func (op *Operator) Overlay(name string) *Overlay {
	if named := op.OverlaysNamed(name); len(named) == 1 {
		return named[0]
	}
	return nil
}

// OverlaysNamed returns the overlays and variants named name.
func (op *Operator) OverlaysNamed(name string) []*Overlay {
	var out []*Overlay
	for _, list := range [][]*Overlay{op.Overlays, op.Variants} {
		for _, ov := range list {
			if ov.Name == name {
				out = append(out, ov)
			}
		}
	}
	return out
}

// Packages returns the packages of the base's Subscriptions, in order,
// each once.
func (op *Operator) Packages() []string {
	out := []string{}
	seen := map[string]bool{}
	for _, s := range op.Subscriptions {
		if p := s.Package.Value; p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
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

// OperatorOf returns the operator whose folder holds dir, the deepest one;
// dir may run through a folder link.
func (c *Catalog) OperatorOf(dir string) *Operator {
	c.byDirOnce.Do(func() {
		c.byDir = make(map[string]*Operator, len(c.Operators))
		for _, op := range c.Operators {
			c.byDir[op.Dir] = op
		}
	})
	for d := c.realPath(path.Clean(dir)); ; d = path.Dir(d) {
		if op, ok := c.byDir[d]; ok {
			return op
		}
		if d == "." || d == "/" {
			return nil
		}
	}
}

// realPath returns the canonical, link-free path of rel: folder links
// inside the catalog are followed, so one folder may have several paths.
func (c *Catalog) realPath(rel string) string {
	if c.Tree == nil {
		return rel
	}
	if r := c.Tree.RealPath(rel); r != "" {
		return r
	}
	return rel
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
// rewrites what lies between them and checks it (package lib/readme reads
// and writes the list).
const (
	ReadmeStart = readme.OverlaysStart
	ReadmeEnd   = readme.OverlaysEnd
)
