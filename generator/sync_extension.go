package generator

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/Masterminds/semver/v3"
	yaml "go.yaml.in/yaml/v3"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/templates"
)

// extensionPackage finds the package of an OLM v1 operator in set, or says
// why not.
func extensionPackage(e *catalog.Extension, set index.Set) (*index.Package, error) {
	spec := e.Effective()
	if spec.Package == "" {
		return nil, inputErrorf("operator %s's ClusterExtension names no package", e.Dir)
	}
	pkg, _, judged := catalog.IndexPackage(set, spec.Catalog, spec.Package)
	switch {
	case !judged && len(catalog.SourcesHolding(set, spec.Package)) > 1:
		return nil, inputErrorf("package %s of operator %s is in several indexes (%s) and its ClusterCatalog %q names none of them: give the index of that catalog as %s=PATH",
			spec.Package, e.Dir, strings.Join(catalog.SourcesHolding(set, spec.Package), ", "), spec.Catalog, spec.Catalog)
	case !judged || pkg == nil:
		return nil, inputErrorf("package %s of operator %s is in none of the indexes given", spec.Package, e.Dir)
	}
	return pkg, nil
}

// rangeCheck is a version range Sync moved, to check on the planned catalog.
type rangeCheck struct {
	operator, overlay, version string
}

// checkRanges renders the planned catalog and makes sure every edited
// version range renders as planned.
func checkRanges(p *Plan, ranges []rangeCheck) error {
	c, err := planned(p)
	if err != nil {
		return err
	}
	for _, rc := range ranges {
		var got *catalog.ExtensionOverlay
		if e, err := c.FindExtension(rc.operator); err == nil {
			for _, ov := range e.Overlays {
				if ov.Name == rc.overlay {
					got = ov
				}
			}
		}
		if got == nil || got.Spec.Version != rc.version {
			return fmt.Errorf("unable to move the version of %s/%s to %s: the edited overlay does not render it", rc.operator, rc.overlay, rc.version)
		}
	}
	return nil
}

// syncExtension does for an OLM v1 operator what syncOperator does for a
// Subscription: an overlay per new channel, version ranges moved to the
// channel head, and with Prune the overlays of gone channels deleted.
func syncExtension(p *Plan, r renderer, c *catalog.Catalog, e *catalog.Extension, opts SyncOptions) ([]rangeCheck, error) {
	pkg, err := extensionPackage(e, opts.Index)
	if err != nil {
		return nil, err
	}
	items, _ := catalog.ExtensionsOutdated(c, opts.Index)
	var mine []catalog.OutdatedItem
	for _, it := range items {
		if it.Operator == e.Dir {
			mine = append(mine, it)
		}
	}
	overlays := extensionOverlaysDir(e)
	owner := pruneOwner{base: e.Base.Dir, pointer: e.Pointer, overlays: map[string]bool{}}
	for _, ov := range e.Overlays {
		owner.overlays[ov.Dir] = false
	}
	for _, it := range mine {
		if ov := extensionOverlay(e, it.Overlay); it.Kind == catalog.OutdatedChannelMissing && ov != nil && opts.Prune && goneOnly(ov, pkg) {
			owner.overlays[ov.Dir] = true
		}
	}
	exact := exactVersion(e.Effective().Version)
	var moved []rangeCheck
	pruned, movedOv := map[string]bool{}, map[string]bool{}
	added := map[string]string{}
	for _, it := range mine {
		ov := extensionOverlay(e, it.Overlay)
		switch it.Kind {
		case catalog.OutdatedChannelMissing:
			if ov == nil {
				p.Notes = append(p.Notes, fmt.Sprintf("the base of %s installs channel %s, which package %s no longer has; change it by hand", e.Dir, it.Channel, it.Package))
				continue
			}
			if !opts.Prune {
				p.Notes = append(p.Notes, fmt.Sprintf("overlay %s installs channel %s, which package %s no longer has; --prune removes it", ov.Dir, it.Channel, it.Package))
				continue
			}
			if pruned[ov.Name] {
				continue
			}
			if !goneOnly(ov, pkg) {
				p.Notes = append(p.Notes, fmt.Sprintf("overlay %s also installs channels package %s still has; not pruned", ov.Dir, it.Package))
				continue
			}
			deleted, err := pruneFolder(p, c, owner, ov.Dir)
			if err != nil {
				return nil, err
			}
			if deleted {
				pruned[ov.Name] = true
			}
		case catalog.OutdatedRangeBehind:
			if ov == nil {
				p.Notes = append(p.Notes, fmt.Sprintf("the base of %s sets version %q, below the head %s of channel %s; change it by hand", e.Dir, it.StartingCSV, it.Head, it.Channel))
				continue
			}
			if movedOv[ov.Name] {
				continue
			}
			movedOv[ov.Name] = true
			if len(ov.Spec.Channels) > 1 {
				// One range for several heads: moving it to one head may
				// leave another behind, and the next sync would move it back.
				p.Notes = append(p.Notes, fmt.Sprintf("overlay %s installs several channels (%s) with one version %q; set it by hand", ov.Dir, strings.Join(ov.Spec.Channels, ", "), it.StartingCSV))
				continue
			}
			version, ok, err := moveRange(p, pkg, ov, it)
			if err != nil {
				return nil, err
			}
			if ok {
				moved = append(moved, rangeCheck{e.Dir, ov.Name, version})
			}
		case catalog.OutdatedChannelNew:
			dir := path.Join(overlays, it.Channel)
			if checkChannel(it.Channel) != nil || folderNameProblem(it.Channel) != "" {
				p.Notes = append(p.Notes, fmt.Sprintf("channel %s of %s cannot name an overlay folder; add its overlay by hand", it.Channel, it.Package))
				continue
			}
			if _, err := os.Stat(filepath.Join(p.Root, filepath.FromSlash(dir))); err == nil {
				p.Notes = append(p.Notes, fmt.Sprintf("%s exists but is no overlay of channel %s; left alone", dir, it.Channel))
				continue
			}
			version := ""
			if exact {
				v := headVersion(pkg, it.Head)
				if v == nil {
					p.Notes = append(p.Notes, fmt.Sprintf("channel %s of %s has no single head with a version; its overlay sets no version", it.Channel, it.Package))
				} else {
					version = v.Original()
				}
			}
			if err := planExtensionOverlay(p, r, e, overlays, it.Channel, version); err != nil {
				return nil, err
			}
			added[it.Channel] = it.Channel
		}
	}
	if e.DefaultOverlay != "" && pruned[e.DefaultOverlay] {
		next := extensionDefault(e, pkg, pruned, added)
		if next == "" {
			return nil, inputErrorf("pruning would remove every overlay of operator %s, the default one included; remove the operator by hand", e.Dir)
		}
		if err := setExtensionPointer(p, r, e, overlays, next); err != nil {
			return nil, err
		}
	}
	return moved, nil
}

// extensionOverlay returns e's overlay named name, or nil.
func extensionOverlay(e *catalog.Extension, name string) *catalog.ExtensionOverlay {
	if name == "" {
		return nil
	}
	for _, ov := range e.Overlays {
		if ov.Name == name {
			return ov
		}
	}
	return nil
}

// goneOnly reports whether every channel ov installs is gone from pkg.
func goneOnly(ov *catalog.ExtensionOverlay, pkg *index.Package) bool {
	for _, ch := range ov.Spec.Channels {
		if pkg.Channels[ch] != nil {
			return false
		}
	}
	return len(ov.Spec.Channels) > 0
}

// extensionOverlaysDir is the folder new overlays of e go in: the folder of
// its pointer, else the parent of an overlay in an "overlays" folder, else
// "overlays" beside the base.
func extensionOverlaysDir(e *catalog.Extension) string {
	if e.Pointer != nil {
		return e.Pointer.Dir
	}
	for _, ov := range e.Overlays {
		if d := path.Dir(ov.Dir); path.Base(d) == "overlays" {
			return d
		}
	}
	return path.Join(path.Dir(e.Base.Dir), "overlays")
}

// planExtensionOverlay plans the files of a new ClusterExtension overlay
// of e in overlays/channel: channels set to channel and, when version is
// set, that version range.
func planExtensionOverlay(p *Plan, r renderer, e *catalog.Extension, overlays, channel, version string) error {
	dir := path.Join(overlays, channel)
	base, err := filepath.Rel(filepath.FromSlash(dir), filepath.FromSlash(e.Base.Dir))
	if err != nil {
		return fmt.Errorf("unable to place overlay %s: %w", dir, err)
	}
	d := map[string]any{"Base": filepath.ToSlash(base), "Target": e.Effective().Name, "Channel": channel, "Version": version}
	for _, f := range []struct{ file, tmpl string }{
		{path.Join(dir, "kustomization.yaml"), templates.ExtensionOverlayKustomization},
		{path.Join(dir, "patch-channel.yaml"), templates.ExtensionPatch},
	} {
		b, err := r.render(f.tmpl, d)
		if err != nil {
			return err
		}
		if err := p.Add(f.file, b, false); err != nil {
			return err
		}
	}
	return nil
}

// setExtensionPointer points e's default pointer at overlay name, in place.
func setExtensionPointer(p *Plan, r renderer, e *catalog.Extension, overlays, name string) error {
	if e.Pointer != nil {
		if content, ok := p.Content(e.Pointer.File); ok {
			edited, err := editPointer(content, "./"+name)
			if err != nil {
				return fmt.Errorf("unable to edit %s: %w", e.Pointer.File, err)
			}
			return p.Add(e.Pointer.File, edited, true)
		}
	}
	b, err := r.render(templates.PointerKustomization, map[string]any{"Default": name})
	if err != nil {
		return err
	}
	return p.Add(path.Join(overlays, "kustomization.yaml"), b, false)
}

// extensionDefault picks the overlay a pointer selects once its overlay is
// pruned, as newDefault does for Subscriptions.
func extensionDefault(e *catalog.Extension, pkg *index.Package, pruned map[string]bool, added map[string]string) string {
	byChannel := map[string]string{}
	var kept []string
	for _, ov := range e.Overlays {
		if pruned[ov.Name] {
			continue
		}
		kept = append(kept, ov.Name)
		if len(ov.Spec.Channels) == 1 && pkg.Channels[ov.Spec.Channels[0]] != nil {
			byChannel[ov.Spec.Channels[0]] = ov.Name
		}
	}
	return pickDefault(pkg, byChannel, added, kept)
}

// exactVersion reports whether a version range is one exact version.
func exactVersion(rng string) bool {
	_, err := semver.StrictNewVersion(strings.TrimPrefix(strings.TrimSpace(rng), "v"))
	return err == nil
}

// headVersion returns the version of bundle head of pkg, or nil.
func headVersion(pkg *index.Package, head string) *semver.Version {
	if head == "" {
		return nil
	}
	if b := pkg.Bundles[head]; b != nil && b.Version != nil {
		return b.Version
	}
	return nil
}

// newRange moves a version range to head, keeping its form: an exact
// version becomes head, ">=X" becomes ">=head". ok is false for any other
// form, which only a person can move.
func newRange(rng string, head *semver.Version) (string, bool) {
	t := strings.TrimSpace(rng)
	if exactVersion(t) {
		return head.Original(), true
	}
	if rest, found := strings.CutPrefix(t, ">="); found && exactVersion(strings.TrimSpace(rest)) {
		return ">=" + head.Original(), true
	}
	return "", false
}

// moveRange sets the version range an overlay writes to the channel head,
// editing the value where the overlay's folder writes it (a JSON patch
// value for /spec/source/catalog/version, or a version field). It returns
// false, with a note, when that is not possible.
func moveRange(p *Plan, pkg *index.Package, ov *catalog.ExtensionOverlay, it catalog.OutdatedItem) (string, bool, error) {
	head := headVersion(pkg, it.Head)
	if head == nil {
		return "", false, nil
	}
	version, ok := newRange(it.StartingCSV, head)
	if !ok {
		p.Notes = append(p.Notes, fmt.Sprintf("overlay %s sets version %q, which keeps channel %s below its head %s; only an exact version or >=VERSION is moved: change it by hand", ov.Dir, it.StartingCSV, it.Channel, it.Head))
		return "", false, nil
	}
	// The files of the overlay's folder its kustomization reads: a file it
	// does not use may hold the old value too, and is no site.
	fsys, closeFS, err := rootFS(p.Root)
	if err != nil {
		return "", false, err
	}
	refs, err := kustomize.ReferencedPaths(fsys, ov.Node.File)
	closeFS()
	if err != nil {
		p.Notes = append(p.Notes, fmt.Sprintf("%s cannot be read (%v); set the version of overlay %s to %q by hand", ov.Node.File, err, ov.Dir, version))
		return "", false, nil
	}
	var found []versionSite
	seen := map[string]bool{}
	for _, ref := range refs {
		file := ref.Path
		if seen[file] || !strings.HasPrefix(file, ov.Dir+"/") || (!strings.HasSuffix(file, ".yaml") && !strings.HasSuffix(file, ".yml")) {
			continue
		}
		seen[file] = true
		content, ok := p.Content(file)
		if !ok {
			continue
		}
		found = append(found, versionSites(file, content, it.StartingCSV)...)
	}
	if len(found) != 1 {
		p.Notes = append(p.Notes, fmt.Sprintf("overlay %s sets version %q outside its folder or in several places; set it to %q by hand", ov.Dir, it.StartingCSV, version))
		return "", false, nil
	}
	site := found[0]
	content, _ := p.Content(site.file)
	edited, ok := replaceScalarAt(content, site.line, site.column, it.StartingCSV, version)
	if !ok {
		p.Notes = append(p.Notes, fmt.Sprintf("%s:%d:%d: the version %q is not written as a plain value; set it to %q by hand", site.file, site.line, site.column, it.StartingCSV, version))
		return "", false, nil
	}
	return version, true, p.Add(site.file, edited, true)
}

// versionSite is where a file writes a ClusterExtension's version range.
type versionSite struct {
	file         string
	line, column int
}

// versionSites finds where content writes the version range value: as the
// value of a JSON patch operation on /spec/source/catalog/version, or as
// spec.source.catalog.version of a ClusterExtension (a strategic merge
// patch or a whole object).
func versionSites(file string, content []byte, value string) []versionSite {
	var out []versionSite
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			// io.EOF, or a document that cannot be read: what was read
			// stands, and the planned catalog is checked afterwards.
			return out
		}
		out = append(out, sitesIn(file, &doc, value)...)
	}
}

// sitesIn walks n for the version range value.
func sitesIn(file string, n *yaml.Node, value string) []versionSite {
	var out []versionSite
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			out = append(out, sitesIn(file, c, value)...)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind == yaml.MappingNode && isVersionOp(c) {
				if v := mapValue(c, "value"); v != nil && v.Kind == yaml.ScalarNode && v.Value == value {
					out = append(out, versionSite{file, v.Line, v.Column})
				}
			}
		}
	case yaml.MappingNode:
		if v := mapValue(mapValue(mapValue(mapValue(n, "spec"), "source"), "catalog"), "version"); v != nil && v.Kind == yaml.ScalarNode && v.Value == value {
			out = append(out, versionSite{file, v.Line, v.Column})
		}
	}
	return out
}

// isVersionOp reports whether a JSON patch operation sets the version.
func isVersionOp(n *yaml.Node) bool {
	op, p := mapValue(n, "op"), mapValue(n, "path")
	return op != nil && (op.Value == "add" || op.Value == "replace") && p != nil && p.Value == "/spec/source/catalog/version"
}

// mapValue returns the value of key in mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
