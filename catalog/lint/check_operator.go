package lint

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// README markers between which opcat keeps the overlay list.
const (
	ReadmeStart = catalog.ReadmeStart
	ReadmeEnd   = catalog.ReadmeEnd
)

// checkOperators checks each operator's default pointer and README.
func (p *pass) checkOperators() {
	for _, op := range p.c.Operators {
		if len(op.Overlays) == 0 && op.Pointer == nil {
			continue
		}
		p.checkPointer(op)
		p.checkReadme(op)
	}
}

func (p *pass) checkPointer(op *catalog.Operator) {
	names := overlayList(op)
	if op.Pointer == nil {
		// A kustomization where the pointer belongs that is not one.
		for _, ov := range op.Overlays {
			dir := path.Dir(ov.Dir)
			if path.Base(dir) != "overlays" {
				continue
			}
			if n, ok := p.c.Kustomizations[dir]; ok && n.Role != catalog.RoleOverlay {
				p.report("catalog-default-overlay", kustomize.Position{File: n.File, Line: 1, Column: 1}, op.Name, "", "list one overlay folder under resources",
					"%s is not a default-overlay pointer: it lists no overlay folder (overlays: %s)", n.File, names)
				return
			}
		}
		dir := path.Join(op.Dir, "overlays")
		if strings.Contains(op.Overlays[0].Dir, "/operator/overlays/") {
			dir = path.Join(op.Dir, "operator", "overlays")
		}
		p.report("catalog-default-overlay", kustomize.Position{File: op.Overlays[0].Node.File, Line: 1, Column: 1}, op.Name, "", "add "+dir+"/kustomization.yaml with resources: [./"+op.Overlays[len(op.Overlays)-1].Name+"]",
			"operator %s has no default-overlay pointer (%s/kustomization.yaml) to choose among %s", op.Name, dir, names)
		return
	}
	n := op.Pointer
	pos := kustomize.Position{File: n.File, Line: 1, Column: 1}
	if refs := n.Refs(); len(refs) > 0 {
		pos = refs[0].Pos
	}
	switch {
	case n.Result.Err != nil && op.DefaultOverlay != "":
		p.report("catalog-default-overlay", pos, op.Name, "", "", "default-overlay pointer does not build, so overlay %s cannot be applied through it", op.DefaultOverlay)
	case op.DefaultOverlay == "" && len(op.Overlays) == 0:
		p.report("catalog-default-overlay", pos, op.Name, "", "add an overlay and point at it",
			"default-overlay pointer points at %s, which is not an overlay; the operator has no overlay", orDefault(strings.Join(n.Children, ", "), "nothing"))
	case op.DefaultOverlay == "":
		p.report("catalog-default-overlay", pos, op.Name, "", "list one of: "+names,
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

// checkReadme compares the overlay list between the opcat markers of the
// operator's README with the overlays.
func (p *pass) checkReadme(op *catalog.Operator) {
	file := path.Join(op.Dir, "README.md")
	data, ok := p.c.Tree.ReadFile(file)
	if !ok {
		return
	}
	listed, line, ok := ReadmeOverlays(data)
	if !ok {
		return
	}
	var have []string
	for _, ov := range op.Overlays {
		have = append(have, ov.Name)
	}
	sort.Strings(listed)
	if strings.Join(listed, ",") != strings.Join(have, ",") {
		p.report("catalog-readme-stale", kustomize.Position{File: file, Line: line, Column: 1}, op.Name, "", "regenerate the list",
			"README lists overlays %s; the operator has %s", fmt.Sprint(listed), fmt.Sprint(have))
	}
}

// ReadmeOverlays returns the overlay names listed between the markers of a
// README (the first `code span` or word of each list item or table row),
// the line of the start marker, and whether the markers are there.
func ReadmeOverlays(data []byte) ([]string, int, bool) {
	lines := strings.Split(string(data), "\n")
	start := -1
	var out []string
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.Contains(t, ReadmeStart):
			start = i
		case strings.Contains(t, ReadmeEnd) && start >= 0:
			return out, start + 1, true
		case start >= 0:
			if name := itemName(t); name != "" {
				out = append(out, name)
			}
		}
	}
	return nil, 0, false
}

func itemName(t string) string {
	switch {
	case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
		t = strings.TrimSpace(t[2:])
	case strings.HasPrefix(t, "|") && !strings.HasPrefix(t, "|-") && !strings.HasPrefix(t, "| -"):
		cells := strings.Split(strings.Trim(t, "|"), "|")
		t = strings.TrimSpace(cells[0])
		if strings.EqualFold(t, "overlay") || strings.Trim(t, "-: ") == "" {
			return ""
		}
	default:
		return ""
	}
	if i := strings.Index(t, "`"); i >= 0 {
		if j := strings.Index(t[i+1:], "`"); j >= 0 {
			return t[i+1 : i+1+j]
		}
	}
	if f := strings.Fields(t); len(f) > 0 {
		return strings.Trim(f[0], "[]*")
	}
	return ""
}
