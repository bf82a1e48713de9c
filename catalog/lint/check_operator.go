package lint

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/readme"
)

// README markers between which opcat keeps the overlay list.
const (
	ReadmeStart = catalog.ReadmeStart
	ReadmeEnd   = catalog.ReadmeEnd
)

// checkOperators checks each operator's default pointer and README, where
// the catalog follows those conventions, and that no two overlays of an
// operator share a name.
func (p *pass) checkOperators() {
	var candidates, pointers, readmes int
	for _, op := range p.c.Operators {
		p.checkDuplicates(op)
		if len(op.Overlays) == 0 && op.Pointer == nil {
			continue
		}
		candidates++
		if op.Pointer != nil {
			pointers++
		}
		if _, _, ok := p.readmeList(op); ok {
			readmes++
		}
	}
	usePointers := p.follows("default-overlay", pointers, candidates)
	useReadmes := p.follows("readme-overlays", readmes, candidates)
	for _, op := range p.c.Operators {
		if len(op.Overlays) == 0 && op.Pointer == nil {
			continue
		}
		if p.cfg.Conventions["default-overlay"] != ConventionOff && (op.Pointer != nil || usePointers) {
			p.checkPointer(op)
		}
		if p.cfg.Conventions["readme-overlays"] != ConventionOff {
			p.checkReadme(op, useReadmes && p.cfg.Conventions["readme-overlays"] == ConventionOn)
		}
	}
}

// follows reports whether the catalog follows a convention: as the
// configuration says, or, by default, when at least half of the
// candidates (operators, overlays) follow it.
func (p *pass) follows(convention string, following, candidates int) bool {
	switch p.cfg.Conventions[convention] {
	case ConventionOn:
		return true
	case ConventionOff:
		return false
	}
	return candidates > 0 && 2*following >= candidates
}

// checkDuplicates reports channel overlays of one operator that resolve
// to the same name, naming every folder.
func (p *pass) checkDuplicates(op *catalog.Operator) {
	byName := map[string][]*catalog.Overlay{}
	for _, ov := range op.Overlays {
		byName[ov.Name] = append(byName[ov.Name], ov)
	}
	for _, ov := range op.Overlays {
		same := byName[ov.Name]
		if len(same) < 2 || same[0] == ov {
			continue
		}
		var dirs []string
		for _, o := range same {
			dirs = append(dirs, o.Dir)
		}
		p.report(CatalogOverlayDuplicate, kustomize.Position{File: ov.Node.File, Line: 1, Column: 1}, op.Dir, ov.Name, "rename one of the folders",
			"operator %s has %d overlays named %s: %s; a tool that picks an overlay by name cannot tell them apart", op.Dir, len(same), ov.Name, strings.Join(dirs, " and "))
	}
}

func (p *pass) checkPointer(op *catalog.Operator) {
	names := overlayList(op)
	if len(op.Overlays) == 0 && op.Pointer == nil {
		return
	}
	if op.Pointer == nil {
		// A kustomization where the pointer belongs that is not one.
		for _, ov := range op.Overlays {
			dir := path.Dir(ov.Dir)
			if path.Base(dir) != "overlays" {
				continue
			}
			if n, ok := p.c.Kustomizations[dir]; ok && n.Role != catalog.RoleOverlay {
				p.report(CatalogDefaultOverlay, kustomize.Position{File: n.File, Line: 1, Column: 1}, op.Dir, "", "list one overlay folder under resources",
					"%s is not a default-overlay pointer: it lists no overlay folder (overlays: %s)", n.File, names)
				return
			}
		}
		dir := path.Join(op.Dir, "overlays")
		if strings.Contains(op.Overlays[0].Dir, "/operator/overlays/") {
			dir = path.Join(op.Dir, "operator", "overlays")
		}
		p.report(CatalogDefaultOverlay, kustomize.Position{File: op.Overlays[0].Node.File, Line: 1, Column: 1}, op.Dir, "", "add "+dir+"/kustomization.yaml with resources: [./"+op.Overlays[len(op.Overlays)-1].Name+"]",
			"operator %s has no default-overlay pointer (%s/kustomization.yaml) to choose among %s", op.Dir, dir, names)
		return
	}
	n := op.Pointer
	pos := kustomize.Position{File: n.File, Line: 1, Column: 1}
	if refs := n.Refs(); len(refs) > 0 {
		pos = refs[0].Pos
	}
	switch {
	case n.Result.Err != nil && op.DefaultOverlay != "":
		p.report(CatalogDefaultOverlay, pos, op.Dir, "", "", "default-overlay pointer does not build, so overlay %s cannot be applied through it", op.DefaultOverlay)
	case op.DefaultOverlay == "" && len(op.Overlays) == 0:
		p.report(CatalogDefaultOverlay, pos, op.Dir, "", "add an overlay and point at it",
			"default-overlay pointer points at %s, which is not an overlay; the operator has no overlay", orDefault(strings.Join(n.Children, ", "), "nothing"))
	case op.DefaultOverlay == "":
		p.report(CatalogDefaultOverlay, pos, op.Dir, "", "list one of: "+names,
			"default-overlay pointer selects no overlay (it points at %s); overlays are %s", orDefault(strings.Join(n.Children, ", "), "nothing"), names)
	}
}

func overlayList(op *catalog.Operator) string {
	var names []string
	for _, ov := range op.Overlays {
		names = append(names, ov.Name)
	}
	return strings.Join(names, ", ")
}

// readmeList returns the overlays listed in the operator's README, the
// line of the start marker, and whether it has the list.
func (p *pass) readmeList(op *catalog.Operator) ([]string, int, bool) {
	data, ok := p.c.Tree.ReadFile(path.Join(op.Dir, "README.md"))
	if !ok {
		return nil, 0, false
	}
	return readme.Overlays(data)
}

// checkReadme compares the overlay list between the opcat markers of the
// operator's README with the overlays. A README without the list is
// reported only when required (the catalog sets the convention on).
func (p *pass) checkReadme(op *catalog.Operator, required bool) {
	file := path.Join(op.Dir, "README.md")
	listed, line, ok := p.readmeList(op)
	if !ok {
		if _, exists := p.c.Tree.ReadFile(file); exists && required {
			p.report(CatalogReadmeStale, kustomize.Position{File: file, Line: 1, Column: 1}, op.Dir, "", "add the list between "+ReadmeStart+" and "+ReadmeEnd,
				"README has no overlay list between the opcat markers; the operator has %s", overlayList(op))
		}
		return
	}
	var have []string
	for _, ov := range op.Overlays {
		have = append(have, ov.Name)
	}
	sort.Strings(listed)
	if strings.Join(listed, ",") != strings.Join(have, ",") {
		p.report(CatalogReadmeStale, kustomize.Position{File: file, Line: line, Column: 1}, op.Dir, "", "regenerate the list",
			"README lists overlays %s; the operator has %s", fmt.Sprint(listed), fmt.Sprint(have))
	}
}

// ReadmeOverlays returns the overlay names listed between the markers of a
// README, the line of the start marker, and whether the markers are there.
//
// Deprecated: use readme.Overlays (package lib/readme), which this calls.
func ReadmeOverlays(data []byte) ([]string, int, bool) { return readme.Overlays(data) }
