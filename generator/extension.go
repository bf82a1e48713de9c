package generator

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/olm"
	"github.com/opcat-dev/opcat/templates"
	"github.com/operator-framework/api/pkg/operators/v1alpha1"
)

// addExtension adds an operator installed by OLM v1: a base with its
// Namespace and a ClusterExtension (plus, with InstallerServiceAccount, the
// installer ServiceAccount and RBAC of operator-controller before v1.11),
// one overlay per channel that sets spec.source.catalog.channels and, where
// a CSV is pinned, a version range (olm.PinRange), the default pointer and
// the README. --source names the ClusterCatalog the selector picks.
func addExtension(p *Plan, r renderer, o OperatorOptions) (string, error) {
	if err := o.findPackage(); err != nil {
		return "", err
	}
	sourceGiven := o.Source // the index's source when the package comes from one
	notes, err := o.complete()
	if err != nil {
		return "", err
	}
	p.Notes = append(p.Notes, notes...)
	if o.Namespace == olm.GlobalOperatorsNamespace {
		return "", inputErrorf("--olm v1 installs into a namespace of its own; %s belongs to OLM v0 (give --namespace)", o.Namespace)
	}
	opDir := path.Join(o.Group, o.Name)
	base := path.Join(opDir, "operator", "base")
	overlays := path.Join(opDir, "operator", "overlays")
	wired := argoWired(p)
	if o.syncWave == "" && wired {
		o.syncWave = BaseSyncWave
	}
	sa := ""
	if o.InstallerServiceAccount {
		sa = o.Name + "-installer"
	}
	data := map[string]any{
		"SyncWave": o.syncWave, "Name": o.Name, "Path": opDir, "Package": o.Package, "Namespace": o.Namespace,
		"Channel": o.Default, "Default": o.Default, "ServiceAccount": sa, "Catalog": sourceGiven,
	}
	files := []struct{ file, tmpl string }{
		{path.Join(base, "kustomization.yaml"), templates.ExtensionBaseKustomization},
		{path.Join(base, "namespace.yaml"), templates.Namespace},
		{path.Join(base, "clusterextension.yaml"), templates.ClusterExtension},
		{path.Join(overlays, "kustomization.yaml"), templates.PointerKustomization},
		{path.Join(opDir, "README.md"), templates.ExtensionReadme},
	}
	if sa != "" {
		files = append(files, struct{ file, tmpl string }{path.Join(base, "installer-rbac.yaml"), templates.InstallerRBAC})
	}
	for _, f := range files {
		b, err := r.render(f.tmpl, data)
		if err != nil {
			return "", err
		}
		if err := addFile(p, f.file, b); err != nil {
			return "", err
		}
	}
	channels := append([]string(nil), o.Channels...)
	sort.Strings(channels)
	manual := o.Approval == v1alpha1.ApprovalManual
	for _, ch := range channels {
		version := ""
		if csv := o.CSVs[ch]; csv != "" {
			if version, err = olm.PinRange(csv, manual); err != nil {
				return "", inputErrorf("--csv %s=%s: %v", ch, csv, err)
			}
		}
		d := map[string]any{"Base": "../../base", "Target": o.Name, "Channel": ch, "Version": version}
		for _, f := range []struct{ file, tmpl string }{
			{path.Join(overlays, ch, "kustomization.yaml"), templates.ExtensionOverlayKustomization},
			{path.Join(overlays, ch, "patch-channel.yaml"), templates.ExtensionPatch},
		} {
			b, err := r.render(f.tmpl, d)
			if err != nil {
				return "", err
			}
			if err := p.Add(f.file, b, false); err != nil {
				return "", err
			}
		}
	}
	if wired {
		if err := wireOperator(p, argoOperator{Label: o.Name, Overlays: repoPath(configRepoPath(p), overlays)}); err != nil {
			return "", err
		}
	}
	return opDir, nil
}

// extensionFromIndex checks what OLM v1 needs of the bundle the default
// channel's head is: AllNamespaces, and no dependencies.
func (o *OperatorOptions) extensionFromIndex() error {
	pkg := o.pkg
	c := pkg.Channels[o.Default]
	if c == nil {
		return nil
	}
	head, err := c.Head()
	if err != nil {
		return nil
	}
	b := pkg.Bundles[head]
	if b == nil {
		return nil
	}
	if b.InstallModes != nil && !b.InstallModes[string(v1alpha1.InstallModeTypeAllNamespaces)] {
		var modes []string
		for _, m := range installModeOrder {
			if b.InstallModes[m] {
				modes = append(modes, m)
			}
		}
		return inputErrorf("%s does not support AllNamespaces, which OLM v1 requires (it supports %s): install it with --olm v0", head, orNone(strings.Join(modes, ", ")))
	}
	if len(b.Dependencies) > 0 {
		return inputErrorf("%s declares dependencies OLM v1 does not resolve (%s): install it with --olm v0", head, strings.Join(b.Dependencies, "; "))
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// extensionNamed returns the OLM v1 operator that name names
// (catalog.FindExtension), or nil.
func extensionNamed(c *catalog.Catalog, name string) *catalog.Extension {
	e, err := c.FindExtension(name)
	if err != nil {
		return nil
	}
	return e
}

// addExtensionOverlay plans a new overlay of an OLM v1 operator: channels
// set to the channel and, with a CSV, the version range from that version
// on; the default pointer (with Default, or when there is none) and the
// READMEs are updated in place. With an index, the channel must be in the
// package and the CSV in the channel.
func addExtensionOverlay(c *catalog.Catalog, e *catalog.Extension, opts OverlayOptions) (*Plan, error) {
	spec := e.Effective()
	if len(opts.Index) > 0 {
		pkg, _, judged := catalog.IndexPackage(opts.Index, spec.Catalog, spec.Package)
		if !judged || pkg == nil {
			return nil, inputErrorf("package %s of operator %s is in none of the indexes given", spec.Package, e.Dir)
		}
		ch := pkg.Channels[opts.Channel]
		if ch == nil {
			return nil, inputErrorf("channel %s is not in package %s; it has %s", opts.Channel, pkg.Name, strings.Join(pkg.ChannelNames(), ", "))
		}
		if opts.CSV != "" && !ch.Contains(opts.CSV) {
			head, _ := ch.Head()
			return nil, inputErrorf("CSV %s is not in channel %s of %s; its head is %s", opts.CSV, opts.Channel, pkg.Name, head)
		}
	}
	version := ""
	if opts.CSV != "" {
		var err error
		if version, err = olm.PinRange(opts.CSV, false); err != nil {
			return nil, inputErrorf("--csv %s: %v", opts.CSV, err)
		}
	}
	r := renderer{dir: opts.Templates}
	p := NewPlan(opts.Root)
	overlays := path.Join(path.Dir(e.Base.Dir), "overlays")
	if e.Pointer != nil {
		overlays = e.Pointer.Dir
	}
	for _, ov := range e.Overlays {
		if d := path.Dir(ov.Dir); path.Base(d) == "overlays" {
			overlays = d
			break
		}
	}
	dir := path.Join(overlays, opts.Channel)
	base, err := filepath.Rel(filepath.FromSlash(dir), filepath.FromSlash(e.Base.Dir))
	if err != nil {
		return nil, fmt.Errorf("unable to place overlay %s: %w", dir, err)
	}
	d := map[string]any{"Base": filepath.ToSlash(base), "Target": spec.Name, "Channel": opts.Channel, "Version": version}
	for _, f := range []struct{ file, tmpl string }{
		{path.Join(dir, "kustomization.yaml"), templates.ExtensionOverlayKustomization},
		{path.Join(dir, "patch-channel.yaml"), templates.ExtensionPatch},
	} {
		b, err := r.render(f.tmpl, d)
		if err != nil {
			return nil, err
		}
		if err := p.Add(f.file, b, false); err != nil {
			return nil, err
		}
	}
	if opts.Default || e.Pointer == nil {
		if content, ok := p.Content(path.Join(overlays, "kustomization.yaml")); ok && e.Pointer != nil {
			edited, err := editPointer(content, "./"+opts.Channel)
			if err != nil {
				return nil, fmt.Errorf("unable to edit %s: %w", e.Pointer.File, err)
			}
			if err := p.Add(e.Pointer.File, edited, true); err != nil {
				return nil, err
			}
		} else {
			b, err := r.render(templates.PointerKustomization, map[string]any{"Default": opts.Channel})
			if err != nil {
				return nil, err
			}
			if err := p.Add(path.Join(overlays, "kustomization.yaml"), b, false); err != nil {
				return nil, err
			}
		}
	}
	return p, refreshReadmes(p, r, e.Dir)
}
