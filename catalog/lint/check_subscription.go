package lint

import (
	"path"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/olm"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// target is one Subscription of one install target: an overlay, a variant,
// or the base of an operator that has no overlay. A base with several
// Subscriptions gives one target per Subscription; idx is its place.
type target struct {
	op   *catalog.Operator
	ov   *catalog.Overlay // nil for a base
	node *catalog.Node
	sub  catalog.Subscription
	idx  int
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
		if len(op.Overlays) == 0 && len(op.Variants) == 0 {
			for i, s := range op.Subscriptions {
				out = append(out, target{op: op, node: op.Base, sub: s, idx: i, chain: []string{op.Base.Dir}})
			}
			continue
		}
		for _, list := range [][]*catalog.Overlay{op.Overlays, op.Variants} {
			for _, ov := range list {
				for i, s := range ov.Subscriptions {
					out = append(out, target{op: op, ov: ov, node: ov.Node, sub: s, idx: i, chain: ov.Chain})
				}
			}
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
		if p.stopped() {
			return
		}
		if t.node.Result.Err != nil || t.sub.Object == nil {
			continue
		}
		s := t.sub
		op, ov := t.op.Dir, t.overlayName()
		if t.idx == 0 {
			p.checkSchema(t)
		}
		if a := s.InstallPlanApproval; a.Set && !olm.ValidApproval(a.Value) {
			p.report(SubscriptionSchema, a.Pos, op, ov, "use Automatic or Manual",
				"spec.installPlanApproval: Unsupported value: %q: supported values: \"Automatic\", \"Manual\"", a.Value)
		}
		for _, f := range []struct {
			name string
			v    catalog.Value
		}{{"channel", s.Channel}, {"startingCSV", s.StartingCSV}} {
			if f.v.Set && isPlaceholder(f.v.Value) {
				p.report(SubscriptionPlaceholder, f.v.Pos, op, ov, "",
					"%s %q is a placeholder left unfilled in the rendered %s; set the real value", f.name, f.v.Value, what(t))
			}
		}
		var csv olm.CSVName
		csvOK := false
		if s.StartingCSV.Set && !isPlaceholder(s.StartingCSV.Value) {
			var err error
			csv, err = olm.ParseCSVName(s.StartingCSV.Value)
			csvOK = err == nil
			if _, judged := resolvePackage(p.opts.Index, s.Source.Value, s.Package.Value); err != nil && !judged {
				// An index that serves the package decides (index-csv-*).
				p.report(SubscriptionCSVFormat, s.StartingCSV.Pos, op, ov, "check the name against the operator index",
					"startingCSV %q is not <name>.v<semver> (e.g. %s.v1.2.3), the form bundles usually take; OLM accepts any bundle name, so check it against the index", s.StartingCSV.Value, orDefault(s.Package.Value, "operator"))
			}
		}
		if csvOK && s.Channel.Set {
			if series, ok := olm.ChannelSeries(s.Channel.Value); ok && !series.Contains(csv.Version) && !mentionsSeries(csv.Version.Prerelease(), series) {
				p.report(SubscriptionCSVChannelMismatch, s.StartingCSV.Pos, op, ov, "",
					"startingCSV %s is version %s, outside the %s series of channel %q", csv.Raw, csv.Version, series, s.Channel.Value)
			}
		}
		if s.StartingCSV.Set && s.StartingCSV.Value != "" {
			approval := s.InstallPlanApproval.Value
			if approval == "" || approval == "Automatic" {
				pos := s.StartingCSV.Pos
				p.report(SubscriptionStartingCSVAutomatic, pos, op, ov, "set installPlanApproval: Manual to hold the version",
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

// checkOverlayName compares a channel overlay's folder with the channel it
// sets itself, where the catalog names overlay folders after channels.
func (p *pass) checkOverlayName(t target) {
	ch, ok := ownChannel(t)
	if !ok || !p.channelFolders() || namedAfter(t.ov.Name, ch.Value) {
		return
	}
	p.report(OverlayChannelMismatch, ch.Pos, t.op.Dir, t.ov.Name, "rename the folder to "+ch.Value+" or correct the channel",
		"overlay folder %s sets channel %q in %s; its name says otherwise", t.ov.Dir, ch.Value, ch.Pos.File)
}

// ownChannel returns the channel a channel overlay sets itself (in its own
// kustomization, its patches or the components it includes), not one it
// takes from the base or from another overlay it includes.
func ownChannel(t target) (catalog.Value, bool) {
	if t.ov == nil || t.ov.Variant || !t.sub.Channel.Set || t.sub.Channel.Value == "" || isPlaceholder(t.sub.Channel.Value) {
		return catalog.Value{}, false
	}
	ch := t.sub.Channel
	if ch.By == "" || ch.By == t.op.Base.Dir {
		return catalog.Value{}, false
	}
	if ch.By != t.ov.Dir {
		for _, list := range [][]*catalog.Overlay{t.op.Overlays, t.op.Variants} {
			for _, o := range list {
				if o.Dir == ch.By {
					return catalog.Value{}, false
				}
			}
		}
	}
	return ch, true
}

// namedAfter reports whether an overlay's folder names the channel.
func namedAfter(overlay, channel string) bool {
	name := path.Base(overlay)
	return name == channel || strings.HasPrefix(name, channel+".") || strings.HasPrefix(name, channel+"-")
}

// channelFolders reports whether the catalog names channel overlay
// folders after their channel: set in the configuration, or followed by at
// least half of the operators whose overlays set a channel (an operator
// follows it when one of its overlays is named after its channel).
func (p *pass) channelFolders() bool {
	if p.namedChannels == nil {
		var candidates, following int
		for _, op := range p.c.Operators {
			sets, named := false, false
			for _, ov := range op.Overlays {
				ch, ok := ownChannel(target{op: op, ov: ov, sub: ov.Subscription})
				if !ok {
					continue
				}
				sets = true
				named = named || namedAfter(ov.Name, ch.Value)
			}
			if sets {
				candidates++
			}
			if named {
				following++
			}
		}
		v := p.follows("channel-folders", following, candidates)
		p.namedChannels = &v
	}
	return *p.namedChannels
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
			pos := p.c.FieldPos(t.chain, &t.sub, r, e.Path)
			p.report(SubscriptionSchema, pos, t.op.Dir, t.overlayName(), "",
				"%s %s: %s: %s", r.GetKind(), r.GetName(), e.Field(), e.Message)
		}
	}
}

// unitPos is where a resource of a target was written, for findings about
// several objects.
func (p *pass) unitPos(t target, r *kyaml.RNode) kustomize.Position {
	if file, doc := p.c.SourceOf(t.chain, r.GetKind(), r.GetName()); doc != nil {
		_, kn := kustomize.Lookup(doc, "kind")
		return kustomize.At(file, kn)
	}
	return kustomize.Position{File: t.node.File}
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
