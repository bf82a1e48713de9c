package lint

import (
	"path"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/olm"
	yaml "go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// target is one install target: an overlay, or the base of an operator
// that has no overlay.
type target struct {
	op   *catalog.Operator
	ov   *catalog.Overlay // nil for a base
	node *catalog.Node
	sub  catalog.Subscription
	// chain lists the folders from the target down to the base.
	chain []string
}

func (t target) overlayName() string {
	if t.ov == nil {
		return ""
	}
	return t.ov.Name
}

// targets returns every install target of the catalog, operator by
// operator; they are computed once per run.
func (p *pass) targets() []target {
	if p.installTargets == nil {
		p.installTargets = p.findTargets()
	}
	return p.installTargets
}

func (p *pass) findTargets() []target {
	out := []target{}
	for _, op := range p.c.Operators {
		if len(op.Overlays) == 0 {
			out = append(out, target{op: op, node: op.Base, sub: op.Subscription, chain: []string{op.Base.Dir}})
			continue
		}
		for _, ov := range op.Overlays {
			out = append(out, target{op: op, ov: ov, node: ov.Node, sub: ov.Subscription, chain: ov.Chain})
		}
	}
	return out
}

var placeholderRE = regexp.MustCompile(`(?i)patch-?me|to-?be-?changed|change-?me|\btodo\b|fixme|replace-?me|placeholder|^<.*>$|\$\{.*\}|^x{3,}$|^tbd$`)

// isPlaceholder reports whether a value is evidently left unfilled.
func isPlaceholder(v string) bool { return placeholderRE.MatchString(v) }

// checkSubscriptions checks the rendered Subscription of every install
// target, reporting at the text that set each value.
func (p *pass) checkSubscriptions() {
	for _, t := range p.targets() {
		if t.node.Result.Err != nil || t.sub.Object == nil {
			continue
		}
		s := t.sub
		op, ov := t.op.Name, t.overlayName()
		p.checkSchema(t)
		if a := s.InstallPlanApproval; a.Set && !olm.ValidApproval(a.Value) {
			p.report("subscription-schema", a.Pos, op, ov, "use Automatic or Manual",
				"spec.installPlanApproval: Unsupported value: %q: supported values: \"Automatic\", \"Manual\"", a.Value)
		}
		for _, f := range []struct {
			name string
			v    catalog.Value
		}{{"channel", s.Channel}, {"startingCSV", s.StartingCSV}} {
			if f.v.Set && isPlaceholder(f.v.Value) {
				p.report("subscription-placeholder", f.v.Pos, op, ov, "",
					"%s %q is a placeholder left unfilled in the rendered %s; set the real value", f.name, f.v.Value, what(t))
			}
		}
		var csv olm.CSVName
		csvOK := false
		if s.StartingCSV.Set && !isPlaceholder(s.StartingCSV.Value) {
			var err error
			csv, err = olm.ParseCSVName(s.StartingCSV.Value)
			if err != nil {
				p.report("subscription-csv-format", s.StartingCSV.Pos, op, ov, "",
					"startingCSV %q is not <name>.v<semver> (e.g. %s.v1.2.3)", s.StartingCSV.Value, orDefault(s.Package.Value, "operator"))
			} else {
				csvOK = true
			}
		}
		if csvOK && s.Channel.Set {
			if series, ok := olm.ChannelSeries(s.Channel.Value); ok && !series.Contains(csv.Version) && !mentionsSeries(csv.Version.Prerelease(), series) {
				p.report("subscription-csv-channel-mismatch", s.StartingCSV.Pos, op, ov, "",
					"startingCSV %s is version %s, outside the %s series of channel %q", csv.Raw, csv.Version, series, s.Channel.Value)
			}
		}
		if s.StartingCSV.Set && s.StartingCSV.Value != "" {
			approval := s.InstallPlanApproval.Value
			if approval == "" || approval == "Automatic" {
				pos := s.StartingCSV.Pos
				p.report("subscription-startingcsv-automatic", pos, op, ov, "set installPlanApproval: Manual to hold the version",
					"startingCSV %s with installPlanApproval %s pins nothing: OLM upgrades past it at once", s.StartingCSV.Value, orDefault(approval, "unset (Automatic)"))
			}
		}
		p.checkOverlayName(t)
	}
}

func what(t target) string {
	if t.ov == nil {
		return "base (no overlay patches it)"
	}
	return "overlay"
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// checkOverlayName compares an overlay's folder with the channel it sets.
func (p *pass) checkOverlayName(t target) {
	if t.ov == nil || !t.sub.Channel.Set {
		return
	}
	ch := t.sub.Channel
	// Only an overlay that sets the channel itself names it.
	if !inChain(ch.Pos.File, t.chain[:len(t.chain)-1]) {
		return
	}
	name := path.Base(t.ov.Name)
	if name == ch.Value || strings.HasPrefix(name, ch.Value+".") || strings.HasPrefix(name, ch.Value+"-") {
		return
	}
	p.report("overlay-channel-mismatch", ch.Pos, t.op.Name, t.ov.Name, "rename the folder to "+ch.Value,
		"overlay %s sets channel %q; its folder name says otherwise", t.ov.Name, ch.Value)
}

// inChain reports whether file lies in one of the folders (not below a
// deeper kustomization of another chain).
func inChain(file string, dirs []string) bool {
	for _, d := range dirs {
		if path.Dir(file) == d || strings.HasPrefix(file, d+"/") {
			return true
		}
	}
	return false
}

// checkSchema validates the target's rendered Subscriptions and
// OperatorGroups against the OLM CRD schemas.
func (p *pass) checkSchema(t target) {
	for _, r := range t.node.Result.Resources {
		errs, ok := olm.ValidateObject(r.YNode())
		if !ok {
			continue
		}
		for _, e := range errs {
			pos := p.fieldPos(t, r, e.Path)
			p.report("subscription-schema", pos, t.op.Name, t.overlayName(), "",
				"%s %s: %s: %s", r.GetKind(), r.GetName(), e.Field(), e.Message)
		}
	}
}

// fieldPos finds where a field of a rendered object was written: the
// traced value, or the deepest part of the path present in the object's
// source file.
func (p *pass) fieldPos(t target, r *kyaml.RNode, keys []string) kustomize.Position {
	field := strings.Join(keys, ".")
	if r.GetKind() == "Subscription" {
		for _, tv := range []struct {
			f string
			v catalog.Value
		}{{"spec.channel", t.sub.Channel}, {"spec.startingCSV", t.sub.StartingCSV}, {"spec.installPlanApproval", t.sub.InstallPlanApproval},
			{"spec.name", t.sub.Package}, {"spec.source", t.sub.Source}, {"spec.sourceNamespace", t.sub.SourceNamespace}} {
			if field == tv.f && tv.v.Set {
				return tv.v.Pos
			}
		}
	}
	if pos, ok := p.patchOpFor(t, keys); ok {
		return pos
	}
	file, doc := p.sourceOf(t.chain, r.GetKind(), r.GetName())
	if doc == nil {
		return kustomize.Position{File: t.node.File}
	}
	best := doc
	cur := doc
	for _, k := range keys {
		_, v := kustomize.Lookup(cur, k)
		if v == nil {
			break
		}
		best, cur = v, v
	}
	if best == doc && len(doc.Content) > 0 {
		best = doc.Content[0]
	}
	return kustomize.At(file, best)
}

// sourceOf finds the resource file among the kustomizations of dirs that
// writes the object kind/name, and the object's node in it.
func (p *pass) sourceOf(dirs []string, kind, name string) (string, *yaml.Node) {
	for i := len(dirs) - 1; i >= 0; i-- {
		n, ok := p.c.Kustomizations[dirs[i]]
		if !ok || n.Node == nil {
			continue
		}
		for _, r := range n.Refs() {
			file := path.Join(n.Dir, r.Value)
			docs, _, ok := p.c.Tree.ParseFile(file)
			if !ok {
				continue
			}
			for _, d := range docs {
				k, _, _ := kustomize.ScalarAt(d.Content[0], "kind")
				nm, _, _ := kustomize.ScalarAt(d.Content[0], "metadata", "name")
				if k == kind && nm == name {
					return file, d.Content[0]
				}
			}
		}
	}
	return "", nil
}

// unitPos is where a resource of a target was written, for findings about
// several objects.
func (p *pass) unitPos(t target, r *kyaml.RNode) kustomize.Position {
	if file, doc := p.sourceOf(t.chain, r.GetKind(), r.GetName()); doc != nil {
		_, kn := kustomize.Lookup(doc, "kind")
		return kustomize.At(file, kn)
	}
	return kustomize.Position{File: t.node.File}
}

// patchOpFor finds the last JSON patch operation in the target's chain
// that writes the field at keys (or one of its parents).
func (p *pass) patchOpFor(t target, keys []string) (kustomize.Position, bool) {
	for _, dir := range t.chain {
		n := p.c.Kustomizations[dir]
		if n == nil || n.Node == nil {
			continue
		}
		var found kustomize.Position
		ok := false
		for _, pr := range n.Patches() {
			ops, _, isJSON := p.c.Tree.JSONPatch(n.Kustomization, pr)
			if !isJSON || pr.Target == nil {
				continue
			}
			for _, o := range ops {
				if o.Op != "add" && o.Op != "replace" && o.Op != "copy" && o.Op != "move" {
					continue
				}
				toks := kustomize.SplitPointer(o.Path)
				if len(toks) <= len(keys) && strings.Join(toks, "/") == strings.Join(keys[:len(toks)], "/") && len(toks) > 1 {
					found, ok = o.Pos, true
				}
			}
		}
		if ok {
			return found, true
		}
	}
	return kustomize.Position{}, false
}

// mentionsSeries reports whether a CSV's prerelease names a version of the
// series, as operators that version themselves apart from their operand do
// (apicurio-registry-operator.v1.0.0-v2.0.0.final is in channel 2.x).
func mentionsSeries(prerelease string, series olm.Series) bool {
	for _, part := range strings.FieldsFunc(prerelease, func(r rune) bool { return r == '-' || r == '+' }) {
		m := leadingVersionRE.FindStringSubmatch(part)
		if m == nil {
			continue
		}
		v, err := semver.NewVersion(m[1] + "." + orDefault(m[2], "0") + ".0")
		if err == nil && series.Contains(v) {
			return true
		}
	}
	return false
}

// leadingVersionRE takes the major and minor that start a prerelease part
// such as v2.0.0.final.
var leadingVersionRE = regexp.MustCompile(`^v?(\d+)(?:\.(\d+))?`)
