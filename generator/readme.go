package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/readme"
	"github.com/opcat-dev/opcat/templates"
)

// planned returns the catalog as it will be once the plan is applied, by
// reading the disk and laying the plan over it.
func planned(p *Plan) (*catalog.Catalog, error) {
	files := map[string]string{}
	tree, err := kustomize.ReadTree(p.Root, kustomize.TreeOptions{})
	switch {
	case err == nil:
		for _, f := range tree.Files() {
			b, _ := tree.ReadFile(f)
			files[f] = string(b)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err // a root that is not there yet is an empty catalog
	}
	for _, c := range p.Changes {
		if c.Delete {
			delete(files, c.Path)
			continue
		}
		files[c.Path] = string(c.New)
	}
	return catalog.FromTree(kustomize.NewTreeFromMap(files), catalog.Options{}), nil
}

// sortedOverlays returns an operator's overlays in version order, as
// people read them: gitops-1.6 before gitops-1.10.
func sortedOverlays(op *catalog.Operator) []*catalog.Overlay {
	names := make([]string, 0, len(op.Overlays))
	for _, ov := range op.Overlays {
		names = append(names, ov.Name)
	}
	index.SortVersionNames(names)
	rank := make(map[string]int, len(names))
	for i, n := range names {
		rank[n] = i
	}
	out := append([]*catalog.Overlay(nil), op.Overlays...)
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Name] < rank[out[j].Name] })
	return out
}

// overlayNames lists an operator's overlay names in version order.
func overlayNames(op *catalog.Operator) []string {
	var names []string
	for _, ov := range sortedOverlays(op) {
		names = append(names, ov.Name)
	}
	return names
}

type overlayRow struct {
	Name, Channel, CSV string
	Default            bool
}

type operatorRow struct {
	Name, Path, Package, Namespace, Overlays, Default string
}

// refreshReadmes rewrites the lists between opcat's markers in the
// operator's README and the catalog README, after the plan's other changes.
func refreshReadmes(p *Plan, r renderer, operatorDirs ...string) error {
	c, err := planned(p)
	if err != nil {
		return err
	}
	for _, operatorDir := range operatorDirs {
		if err := refreshOperatorReadme(p, r, c, operatorDir); err != nil {
			return err
		}
	}
	return refreshCatalogReadme(p, r, c)
}

// refreshOperatorReadme rewrites the overlay list of one operator's README.
func refreshOperatorReadme(p *Plan, r renderer, c *catalog.Catalog, operatorDir string) error {
	if e := extensionAt(c, operatorDir); e != nil {
		return refreshExtensionReadme(p, r, e)
	}
	if op := c.Operator(operatorDir); op != nil {
		file := path.Join(op.Dir, "README.md")
		if content, ok := p.Content(file); ok {
			var rows []overlayRow
			for _, ov := range sortedOverlays(op) {
				rows = append(rows, overlayRow{Name: ov.Name, Channel: ov.Subscription.Channel.Value,
					CSV: ov.Subscription.StartingCSV.Value, Default: ov.Name == op.DefaultOverlay})
			}
			body, err := r.render(templates.OverlayTable, map[string]any{"Overlays": rows})
			if err != nil {
				return err
			}
			if updated, ok := readme.ReplaceOverlays(content, body); ok {
				if err := p.Add(file, updated, true); err != nil {
					return err
				}
			} else {
				p.Notes = append(p.Notes, fmt.Sprintf("%s has no %s … %s markers; its overlay list was left alone", file, readme.OverlaysStart, readme.OverlaysEnd))
			}
		}
	}
	return nil
}

// refreshCatalogReadme rewrites the operator table of the catalog README.
func refreshCatalogReadme(p *Plan, r renderer, c *catalog.Catalog) error {
	content, ok := p.Content("README.md")
	if !ok {
		return nil
	}
	var rows []operatorRow
	for _, op := range c.Operators {
		l := op.EffectiveSubscription()
		rows = append(rows, operatorRow{Name: op.Name, Path: op.Dir, Package: l.Package.Value, Namespace: l.Namespace.Value,
			Overlays: strings.Join(overlayNames(op), ", "), Default: op.DefaultOverlay})
	}
	for _, e := range c.Extensions() {
		s := e.Effective()
		rows = append(rows, operatorRow{Name: e.Name, Path: e.Dir, Package: s.Package, Namespace: s.Namespace,
			Overlays: strings.Join(extensionOverlayNames(e), ", "), Default: e.DefaultOverlay})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Path < rows[j].Path })
	body, err := r.render(templates.CatalogOperatorsTable, map[string]any{"Operators": rows})
	if err != nil {
		return err
	}
	if updated, ok := readme.ReplaceCatalog(content, body); ok {
		return p.Add("README.md", updated, true)
	}
	return nil
}

// extensionAt returns the OLM v1 operator in folder dir, or nil.
func extensionAt(c *catalog.Catalog, dir string) *catalog.Extension {
	for _, e := range c.Extensions() {
		if e.Dir == dir {
			return e
		}
	}
	return nil
}

// extensionOverlayNames lists an OLM v1 operator's overlays in version order.
func extensionOverlayNames(e *catalog.Extension) []string {
	names := make([]string, 0, len(e.Overlays))
	for _, ov := range e.Overlays {
		names = append(names, ov.Name)
	}
	index.SortVersionNames(names)
	return names
}

// refreshExtensionReadme rewrites the overlay list of an OLM v1 operator's
// README: the channels and version range of each overlay.
func refreshExtensionReadme(p *Plan, r renderer, e *catalog.Extension) error {
	file := path.Join(e.Dir, "README.md")
	content, ok := p.Content(file)
	if !ok {
		return nil
	}
	var rows []overlayRow
	for _, name := range extensionOverlayNames(e) {
		for _, ov := range e.Overlays {
			if ov.Name == name {
				rows = append(rows, overlayRow{Name: ov.Name, Channel: strings.Join(ov.Spec.Channels, ", "), CSV: ov.Spec.Version, Default: ov.Name == e.DefaultOverlay})
			}
		}
	}
	body, err := r.render(templates.OverlayTable, map[string]any{"Overlays": rows})
	if err != nil {
		return err
	}
	if updated, ok := readme.ReplaceOverlays(content, body); ok {
		return p.Add(file, updated, true)
	}
	return nil
}
