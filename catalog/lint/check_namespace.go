package lint

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/olm"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// member is a Subscription or OperatorGroup of a render unit.
type member struct {
	t   target
	obj *kyaml.RNode
	pos kustomize.Position
}

func (m member) namespace() string { return m.obj.GetNamespace() }

func (m member) spec(key string) string {
	v, _ := m.obj.GetString("spec." + key)
	return v
}

// checkNamespaces applies the rules about several objects in one
// namespace: inside each render unit (one oc apply -k), and across the
// default install targets of all operators.
func (p *pass) checkNamespaces() {
	var defaults []member
	for _, t := range p.targets() {
		if p.stopped() {
			return
		}
		if t.node.Result.Err != nil || t.idx > 0 {
			continue // a unit is checked once, not once per Subscription
		}
		unit := p.members(t)
		p.checkUnit(unit, false)
		if t.ov == nil || t.op.DefaultOverlay == t.ov.Name {
			defaults = append(defaults, unit...)
		}
	}
	p.checkUnit(defaults, true)
}

func (p *pass) members(t target) []member {
	if m, ok := p.unitMembers[t.node.Dir]; ok {
		return m
	}
	if p.unitMembers == nil {
		p.unitMembers = map[string][]member{}
	}
	m := p.findMembers(t)
	p.unitMembers[t.node.Dir] = m
	return m
}

// findMembers lists the Subscriptions and OperatorGroups a target renders,
// each with where it was written.
func (p *pass) findMembers(t target) []member {
	var out []member
	for _, r := range t.node.Result.Resources {
		if k := r.GetKind(); (k == "Subscription" || k == "OperatorGroup") && strings.HasPrefix(r.GetApiVersion(), olm.Group+"/") {
			out = append(out, member{t: t, obj: r, pos: p.unitPos(t, r)})
		}
	}
	return out
}

// checkUnit reports conflicts among members; across is true when they
// come from the default targets of several operators, and then only
// conflicts between different operators are reported.
func (p *pass) checkUnit(ms []member, across bool) {
	byNS := map[string][]member{}
	for _, m := range ms {
		byNS[m.namespace()] = append(byNS[m.namespace()], m)
	}
	namespaces := make([]string, 0, len(byNS))
	for ns := range byNS {
		namespaces = append(namespaces, ns)
	}
	sort.Strings(namespaces)
	scope := "this overlay"
	if across {
		scope = "the default overlays of the catalog"
	}
	for _, ns := range namespaces {
		if ns == "" {
			continue
		}
		var subs, groups []member
		for _, m := range byNS[ns] {
			if m.obj.GetKind() == "Subscription" {
				subs = append(subs, m)
			} else {
				groups = append(groups, m)
			}
		}
		// Duplicate packages.
		first := map[string]member{}
		for _, s := range subs {
			pkg := s.spec("name")
			if f, ok := first[pkg]; ok && (!across || f.t.op != s.t.op) {
				p.report(SubscriptionDuplicatePackage, s.pos, s.t.op.Dir, s.t.overlayName(), "",
					"a second Subscription for package %s in namespace %s (the first is %s in %s); OLM refuses to resolve the namespace", pkg, ns, f.obj.GetName(), f.pos.File)
			} else if !ok {
				first[pkg] = s
			}
		}
		// Mixed approvals.
		var manual, automatic []member
		for _, s := range subs {
			if s.spec("installPlanApproval") == "Manual" {
				manual = append(manual, s)
			} else {
				automatic = append(automatic, s)
			}
		}
		for _, m := range manual {
			for _, a := range automatic {
				if across && a.t.op == m.t.op {
					continue
				}
				p.report(SubscriptionApprovalMixed, m.pos, m.t.op.Dir, m.t.overlayName(), "use one installPlanApproval per namespace",
					"Subscription %s is Manual in namespace %s where %s (%s) is Automatic, across %s: the Manual approval holds the install plans of both", m.obj.GetName(), ns, a.obj.GetName(), a.t.op.Dir, scope)
				break
			}
		}
		// OperatorGroups.
		if ns == olm.GlobalOperatorsNamespace {
			for _, g := range groups {
				p.report(OperatorGroupMultiple, g.pos, g.t.op.Dir, g.t.overlayName(), "remove it: openshift-operators already has one",
					"OperatorGroup %s lands in %s, which already has the global-operators OperatorGroup; OLM stops installing there", g.obj.GetName(), ns)
			}
		} else if len(groups) > 1 {
			for _, g := range groups[1:] {
				if across && g.t.op == groups[0].t.op {
					continue
				}
				p.report(OperatorGroupMultiple, g.pos, g.t.op.Dir, g.t.overlayName(), "keep one OperatorGroup per namespace",
					"a second OperatorGroup %s in namespace %s (the first is %s in %s)", g.obj.GetName(), ns, groups[0].obj.GetName(), groups[0].pos.File)
			}
		}
		if !across && ns != olm.GlobalOperatorsNamespace && len(groups) == 0 && !p.hasGroup(ns) {
			for _, s := range subs {
				p.report(OperatorGroupMissing, p.namespacePos(s), s.t.op.Dir, s.t.overlayName(), "add an OperatorGroup for the namespace",
					"Subscription %s is in namespace %s, which has no OperatorGroup in this overlay nor in any kustomization of the catalog (%s); OLM installs nothing there", s.obj.GetName(), ns, p.groupSearch())
			}
		}
	}
}

// namespacePos is where the namespace of a member Subscription was set.
func (p *pass) namespacePos(m member) kustomize.Position {
	subs := m.t.op.Subscriptions
	if m.t.ov != nil {
		subs = m.t.ov.Subscriptions
	}
	for _, s := range subs {
		if s.Name.Value == m.obj.GetName() && s.Namespace.Set {
			return s.Namespace.Pos
		}
	}
	return m.pos
}

// hasGroup reports whether any kustomization of the catalog declares an
// OperatorGroup in namespace ns: in what it renders, or, for one that does
// not build, in the resource files it lists (in their namespace, or in the
// kustomization's namespace field).
func (p *pass) hasGroup(ns string) bool {
	if p.groupNamespaces == nil {
		p.groupNamespaces = map[string]bool{}
		for _, dir := range p.c.Dirs() {
			n := p.c.Kustomizations[dir]
			if n.Role == catalog.RoleComponent {
				continue
			}
			if n.Result.Err == nil && n.Result.Resources != nil {
				p.groupsBuilt++
				for _, r := range n.Result.Resources {
					if r.GetKind() == "OperatorGroup" {
						p.groupNamespaces[r.GetNamespace()] = true
					}
				}
				continue
			}
			p.groupsRead++
			kns, _, setsNS := n.Namespace()
			for _, r := range n.Refs() {
				docs, _, ok := p.c.Tree.ParseFile(path.Join(dir, r.Value))
				if !ok {
					continue
				}
				for _, d := range docs {
					if len(d.Content) == 0 {
						continue
					}
					if kind, _, _ := kustomize.ScalarAt(d.Content[0], "kind"); kind != "OperatorGroup" {
						continue
					}
					gns, _, _ := kustomize.ScalarAt(d.Content[0], "metadata", "namespace")
					if setsNS {
						gns = kns
					}
					p.groupNamespaces[gns] = true
				}
			}
		}
	}
	return p.groupNamespaces[ns]
}

// groupSearch says where hasGroup looked: how many kustomizations, and how
// many of them were read from their files as they do not build.
func (p *pass) groupSearch() string {
	n := p.groupsBuilt + p.groupsRead
	what := fmt.Sprintf("looked in all %d kustomizations", n)
	if n == 1 {
		what = "looked in its one kustomization"
	}
	if p.groupsRead > 0 {
		what += fmt.Sprintf(", %d of them read from their files as they do not build", p.groupsRead)
	}
	return what
}
