package lint

import (
	"path"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/olm"
	yaml "go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// checkClusterExtensions checks the OLM v1 ClusterExtensions of the
// catalog, as written and as rendered: against operator-controller's CRD
// schema, that the version range parses, and with an index that the
// package and channels exist, that the range selects a bundle of them, and
// that this bundle supports AllNamespaces and declares no dependency (OLM
// v1 installs neither).
func (p *pass) checkClusterExtensions() {
	type written struct {
		file string
		obj  *yaml.Node
	}
	byName := map[string][]written{}
	fromFiles := map[string]bool{}
	p.eachWrittenObject(olm.V1Group, func(file string, obj *yaml.Node) {
		api, _, _ := kustomize.ScalarAt(obj, "apiVersion")
		kind, _, _ := kustomize.ScalarAt(obj, "kind")
		if !olm.IsClusterExtension(api, kind) {
			return
		}
		name, _, _ := kustomize.ScalarAt(obj, "metadata", "name")
		byName[name] = append(byName[name], written{file, obj})
		op, ov := p.owner(path.Dir(file))
		errs, _ := olm.ValidateClusterExtension(obj)
		for _, e := range errs {
			fromFiles[name+"/"+e.Error()] = true
			p.report(ClusterExtensionSchema, kustomize.At(file, nodeAtPath(obj, e.Path)), op, ov, "",
				"ClusterExtension %s: %s", name, e.Error())
		}
	})
	// posOf finds where a rendered field was written: the patch operation of
	// the kustomization (or of one it includes) that sets it, else the file
	// that holds the ClusterExtension.
	posOf := func(n *catalog.Node, name string, keys []string, def kustomize.Position) kustomize.Position {
		for _, dir := range append([]string{n.Dir}, n.Children...) {
			if m := p.c.Kustomizations[dir]; m != nil {
				if pos := p.renderedFieldPos(m, keys, kustomize.Position{}); pos.File != "" {
					return pos
				}
			}
		}
		for _, w := range byName[name] {
			_, v := kustomize.LookupPath(w.obj, keys...)
			if v != nil {
				return kustomize.At(w.file, v)
			}
		}
		if ws := byName[name]; len(ws) > 0 {
			return kustomize.At(ws[0].file, nodeAtPath(ws[0].obj, keys))
		}
		return def
	}
	// A base that has overlays is not an install target: its index checks
	// are its overlays'.
	baseWithOverlays := map[string]bool{}
	for _, e := range p.c.Extensions() {
		if len(e.Overlays) > 0 {
			baseWithOverlays[e.Base.Dir] = true
		}
	}
	checked := map[string]bool{}
	for _, dir := range p.c.Dirs() {
		n := p.c.Kustomizations[dir]
		if n.Result.Err != nil {
			continue
		}
		for _, r := range n.Result.Resources {
			if !olm.IsClusterExtension(r.GetApiVersion(), r.GetKind()) {
				continue
			}
			text, err := r.String()
			if err != nil || checked[text] {
				continue
			}
			checked[text] = true
			name := r.GetName()
			op, ov := p.owner(dir)
			def := kustomize.Position{File: n.File}
			errs, _ := olm.ValidateClusterExtension(r.YNode())
			for _, e := range errs {
				if fromFiles[name+"/"+e.Error()] {
					continue
				}
				p.report(ClusterExtensionSchema, p.renderedFieldPos(n, e.Path, def), op, ov, "",
					"ClusterExtension %s as %s renders it: %s", name, dir, e.Error())
			}
			if baseWithOverlays[dir] {
				checked[text] = false // an overlay rendering the same object is checked
				continue
			}
			p.checkExtensionIndex(n, r, op, ov, func(keys ...string) kustomize.Position { return posOf(n, name, keys, def) })
		}
	}
}

// checkExtensionIndex checks a rendered ClusterExtension's version range,
// and with an index what it resolves to.
func (p *pass) checkExtensionIndex(n *catalog.Node, r *kyaml.RNode, op, ov string, at func(keys ...string) kustomize.Position) {
	s := catalog.ReadExtensionSpec(r)
	versionKeys := []string{"spec", "source", "catalog", "version"}
	channelKeys := []string{"spec", "source", "catalog", "channels"}
	rng, err := olm.ExtensionRange(s.Version)
	if err != nil {
		p.report(ClusterExtensionVersionInvalid, at(versionKeys...), op, ov, "use a range such as 1.2.3, >=1.2.0 <1.3.0, ~1.2.0 or ^1.2.0",
			"ClusterExtension %s: %v; operator-controller refuses it", s.Name, err)
		return
	}
	if len(p.opts.Index) == 0 || s.Package == "" {
		return
	}
	pkg, from, judged := catalog.IndexPackage(p.opts.Index, s.Catalog, s.Package)
	if !judged {
		return
	}
	if pkg == nil {
		p.report(ClusterExtensionPackageUnknown, at("spec", "source", "catalog", "packageName"), op, ov, "",
			"ClusterExtension %s: package %s is not in the index of %s", s.Name, s.Package, from)
		return
	}
	for _, ch := range s.Channels {
		if pkg.Channels[ch] == nil {
			pos := at(channelKeys...)
			p.report(ClusterExtensionChannelUnknown, pos, op, ov, "",
				"ClusterExtension %s: channel %s is not in package %s; it has %s", s.Name, ch, pkg.Name, strings.Join(pkg.ChannelNames(), ", "))
			return
		}
	}
	name, _ := catalog.ResolveExtension(pkg, s.Channels, rng)
	if name == "" {
		where := "any channel"
		if len(s.Channels) > 0 {
			where = "channel " + strings.Join(s.Channels, ", ")
		}
		pos := at(versionKeys...)
		if s.Version == "" {
			pos = at(channelKeys...)
		}
		p.report(ClusterExtensionVersionUnmatched, pos, op, ov, "widen the range or change the channels (opcat index bundles PACKAGE lists the versions)",
			"ClusterExtension %s: version %q selects no bundle of %s in %s", s.Name, s.Version, pkg.Name, where)
		return
	}
	b := pkg.Bundles[name]
	if b == nil {
		return
	}
	if b.InstallModes != nil && !b.InstallModes["AllNamespaces"] {
		p.report(ClusterExtensionInstallModeUnsupported, at("spec", "source", "catalog", "packageName"), op, ov, "install it with OLM v0 (a Subscription and an OperatorGroup)",
			"ClusterExtension %s resolves to %s, which does not support AllNamespaces; OLM v1 installs only AllNamespaces operators", s.Name, name)
	}
	if len(b.Dependencies) > 0 {
		p.report(ClusterExtensionDependencies, at("spec", "source", "catalog", "packageName"), op, ov, "install the dependencies yourself, or install it with OLM v0",
			"ClusterExtension %s resolves to %s, which declares dependencies OLM v1 does not resolve: %s", s.Name, name, strings.Join(b.Dependencies, "; "))
	}
}
