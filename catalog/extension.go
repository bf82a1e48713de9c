package catalog

import (
	"path"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/olm"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// Extension is an operator installed by OLM v1: a base kustomization that
// holds a ClusterExtension, and the overlays that reach it (one per channel
// or version, as for Subscriptions).
type Extension struct {
	// Name is the operator's folder name; Dir the folder.
	Name, Dir string
	// Base holds the ClusterExtension file.
	Base *Node
	// Spec is the ClusterExtension as the base renders it.
	Spec ExtensionSpec
	// Overlays are the install targets, sorted by name.
	Overlays []*ExtensionOverlay
	// Pointer is the default-overlay pointer, if any; DefaultOverlay the
	// overlay it selects.
	Pointer        *Node
	DefaultOverlay string
}

// ExtensionOverlay is one install target of an Extension.
type ExtensionOverlay struct {
	Name, Dir string
	Node      *Node
	// Spec is the rendered ClusterExtension.
	Spec ExtensionSpec
}

// ExtensionSpec is what a rendered ClusterExtension installs.
type ExtensionSpec struct {
	Name, Namespace, Package, Version, UpgradeConstraintPolicy string
	Channels                                                   []string
	// Catalog is the ClusterCatalog its selector names by
	// olm.operatorframework.io/metadata.name, "" when it names none.
	Catalog string
	// Object is the rendered object (shared with the build).
	Object *kyaml.RNode
}

// ReadExtensionSpec reads a rendered ClusterExtension.
func ReadExtensionSpec(r *kyaml.RNode) ExtensionSpec {
	s := ExtensionSpec{Name: r.GetName(), Object: r}
	get := func(fields ...string) string {
		v, err := r.Pipe(kyaml.Lookup(fields...))
		if err != nil || v == nil || v.YNode().Kind != kyaml.ScalarNode {
			return ""
		}
		return v.YNode().Value
	}
	s.Namespace = get("spec", "namespace")
	s.Package = get("spec", "source", "catalog", "packageName")
	s.Version = get("spec", "source", "catalog", "version")
	s.UpgradeConstraintPolicy = get("spec", "source", "catalog", "upgradeConstraintPolicy")
	s.Catalog = get("spec", "source", "catalog", "selector", "matchLabels", olm.CatalogNameLabel)
	if ch, err := r.Pipe(kyaml.Lookup("spec", "source", "catalog", "channels")); err == nil && ch != nil && ch.YNode().Kind == kyaml.SequenceNode {
		for _, c := range ch.YNode().Content {
			s.Channels = append(s.Channels, c.Value)
		}
	}
	return s
}

// Extensions returns the operators the catalog installs with OLM v1
// ClusterExtensions, sorted by folder. A base is a kustomization that lists
// a file holding a ClusterExtension; its overlays are the kustomizations
// inside the operator folder that reach it, and a pointer is one whose
// only content is one of those overlays.
func (c *Catalog) Extensions() []*Extension {
	c.extOnce.Do(func() { c.extensions = c.findExtensions() })
	return c.extensions
}

func (c *Catalog) findExtensions() []*Extension {
	var out []*Extension
	for _, dir := range c.Dirs() {
		n := c.Kustomizations[dir]
		if n.Role == RoleComponent || n.Kustomization == nil || !c.listsClusterExtension(n) {
			continue
		}
		e := &Extension{Dir: operatorDir(dir), Base: n}
		e.Name = path.Base(e.Dir)
		e.Spec = renderedExtension(n, "")
		out = append(out, e)
	}
	for _, e := range out {
		var candidates []string
		for _, dir := range c.Dirs() {
			n := c.Kustomizations[dir]
			if dir == e.Base.Dir || n.Role == RoleComponent || !within(e.Dir, dir) || !c.reaches(dir, e.Base.Dir) {
				continue
			}
			candidates = append(candidates, dir)
		}
		isCandidate := map[string]bool{}
		for _, d := range candidates {
			isCandidate[d] = true
		}
		for _, dir := range candidates {
			n := c.Kustomizations[dir]
			if len(n.Children) == 1 && isCandidate[n.Children[0]] && len(n.Refs()) == 1 && len(n.Patches()) == 0 {
				if e.Pointer == nil || path.Base(dir) == "overlays" {
					e.Pointer = n
				}
				continue
			}
			e.Overlays = append(e.Overlays, &ExtensionOverlay{Name: overlayName(e.Dir, dir), Dir: dir, Node: n,
				Spec: renderedExtension(n, e.Spec.Name)})
		}
		sort.Slice(e.Overlays, func(i, j int) bool { return e.Overlays[i].Name < e.Overlays[j].Name })
		if e.Pointer != nil {
			for _, ov := range e.Overlays {
				if ov.Dir == e.Pointer.Children[0] {
					e.DefaultOverlay = ov.Name
				}
			}
		}
	}
	return out
}

// listsClusterExtension reports whether one of n's own resource files
// holds a ClusterExtension.
func (c *Catalog) listsClusterExtension(n *Node) bool {
	for _, r := range n.Refs() {
		file := path.Join(n.Dir, r.Value)
		data, ok := c.Tree.ReadFile(file)
		if !ok || !strings.Contains(string(data), olm.ClusterExtensionKind) {
			continue
		}
		docs, _, ok := c.Tree.ParseFile(file)
		if !ok {
			continue
		}
		for _, d := range docs {
			if len(d.Content) == 0 {
				continue
			}
			api, _, _ := kustomize.ScalarAt(d.Content[0], "apiVersion")
			kind, _, _ := kustomize.ScalarAt(d.Content[0], "kind")
			if olm.IsClusterExtension(api, kind) {
				return true
			}
		}
	}
	return false
}

// renderedExtension reads the ClusterExtension n renders (named name, or
// the first one); empty when the build failed.
func renderedExtension(n *Node, name string) ExtensionSpec {
	for _, r := range n.Result.Resources {
		if olm.IsClusterExtension(r.GetApiVersion(), r.GetKind()) && (name == "" || r.GetName() == name) {
			return ReadExtensionSpec(r)
		}
	}
	return ExtensionSpec{}
}

// Effective returns the spec of the default overlay, else the base's.
func (e *Extension) Effective() ExtensionSpec {
	for _, ov := range e.Overlays {
		if ov.Name == e.DefaultOverlay {
			return ov.Spec
		}
	}
	return e.Spec
}

// ResolveExtension returns the bundle operator-controller installs for a
// ClusterExtension from pkg: the highest version, among the entries of the
// named channels (of every channel when none is named), that the range
// accepts (every version when rng is nil). name is "" when none does. A
// bundle's version is the index's, else the one its CSV name carries.
func ResolveExtension(pkg *index.Package, channels []string, rng *semver.Constraints) (name string, version *semver.Version) {
	if len(channels) == 0 {
		channels = pkg.ChannelNames()
	}
	for _, ch := range channels {
		c := pkg.Channels[ch]
		if c == nil {
			continue
		}
		for _, e := range c.Entries {
			v := bundleVersion(pkg, e.Name)
			if v == nil || (rng != nil && !rng.Check(v)) {
				continue
			}
			if version == nil || v.GreaterThan(version) || (v.Equal(version) && e.Name < name) {
				name, version = e.Name, v
			}
		}
	}
	return name, version
}

func bundleVersion(pkg *index.Package, name string) *semver.Version {
	if b := pkg.Bundles[name]; b != nil && b.Version != nil {
		return b.Version
	}
	if n, err := olm.ParseCSVName(name); err == nil {
		return n.Version
	}
	return nil
}

// ExtensionSummaries summarises the OLM v1 operators the way List does
// Subscriptions: channels joined by commas, the version range in Version.
func (c *Catalog) ExtensionSummaries() []OperatorSummary {
	var out []OperatorSummary
	for _, e := range c.Extensions() {
		s := e.Effective()
		os := OperatorSummary{Name: e.Name, Path: e.Dir, Package: s.Package, Namespace: s.Namespace, Source: s.Catalog,
			DefaultOverlay: e.DefaultOverlay, Overlays: []OverlaySummary{}, OLM: "v1"}
		for _, ov := range e.Overlays {
			os.Overlays = append(os.Overlays, OverlaySummary{Name: ov.Name, Path: ov.Dir,
				Channel: strings.Join(ov.Spec.Channels, ","), Version: ov.Spec.Version})
		}
		out = append(out, os)
	}
	return out
}

// within reports whether p is dir or below it (slash paths).
func within(dir, p string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}
