package drift

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/olm"
	operatorsv1 "github.com/operator-framework/api/pkg/operators/v1"
	"github.com/operator-framework/api/pkg/operators/v1alpha1"
)

// Rule ids.
const (
	RuleSubscriptionMissing  = "drift-subscription-missing"
	RuleSubscriptionExtra    = "drift-subscription-extra"
	RuleChannel              = "drift-channel"
	RuleSource               = "drift-source"
	RuleApproval             = "drift-approval"
	RuleStartingCSV          = "drift-startingcsv"
	RuleCSVBehindHead        = "drift-csv-behind-head"
	RuleCSVBehindPin         = "drift-csv-behind-pin"
	RuleInstallPlanPending   = "drift-installplan-pending"
	RuleCSVFailed            = "drift-csv-failed"
	RuleOperatorGroupMissing = "drift-operatorgroup-missing"
	RuleOperatorGroupTargets = "drift-operatorgroup-targets"
	RuleOperatorGroupMulti   = "drift-operatorgroup-multiple"
)

// Rules lists the drift rules with their severities.
func Rules() []diag.RuleInfo {
	return []diag.RuleInfo{
		{ID: RuleSubscriptionMissing, Severity: diag.Error, Short: "a Subscription the catalog installs is not on the cluster"},
		{ID: RuleSubscriptionExtra, Severity: diag.Error, Short: "a Subscription on the cluster, in a namespace the catalog installs into, that the catalog does not install"},
		{ID: RuleChannel, Severity: diag.Error, Short: "the cluster's Subscription follows another channel"},
		{ID: RuleSource, Severity: diag.Error, Short: "the cluster's Subscription uses another CatalogSource or source namespace"},
		{ID: RuleApproval, Severity: diag.Error, Short: "the cluster's Subscription has another installPlanApproval"},
		{ID: RuleStartingCSV, Severity: diag.Error, Short: "the cluster's Subscription has another startingCSV"},
		{ID: RuleCSVBehindHead, Severity: diag.Warning, Short: "with an index: the installed CSV is older than the head of the channel"},
		{ID: RuleCSVBehindPin, Severity: diag.Error, Short: "the installed CSV is older than the startingCSV the catalog pins"},
		{ID: RuleInstallPlanPending, Severity: diag.Error, Short: "a Manual InstallPlan waits for approval (the message names the CSV it would install)"},
		{ID: RuleCSVFailed, Severity: diag.Error, Short: "the CSV is in phase Failed, or the Subscription reports ResolutionFailed, CatalogSourcesUnhealthy, InstallPlanFailed or InstallPlanMissing"},
		{ID: RuleOperatorGroupMissing, Severity: diag.Error, Short: "an OperatorGroup the catalog installs is not on the cluster"},
		{ID: RuleOperatorGroupTargets, Severity: diag.Error, Short: "the cluster's OperatorGroup targets other namespaces"},
		{ID: RuleOperatorGroupMulti, Severity: diag.Error, Short: "more than one OperatorGroup in a namespace the catalog installs into (OLM installs nothing there)"},
	}
}

var severities = func() map[string]diag.Severity {
	m := map[string]diag.Severity{}
	for _, r := range Rules() {
		m[r.ID] = r.Severity
	}
	return m
}()

// Compare returns the differences between what the catalog installs and
// what the cluster has, sorted. idx, when not empty, tells the channel
// heads.
func Compare(d *Desired, cl *Cluster, idx index.Set) diag.Findings {
	var out diag.Findings
	add := func(rule string, pos kustomize.Position, op, overlay, format string, a ...any) {
		out = append(out, diag.Finding{
			Rule: rule, Severity: severities[rule], Path: pos.File, Line: pos.Line, Column: pos.Column,
			Operator: op, Overlay: overlay, Message: fmt.Sprintf(format, a...),
		})
	}
	matched := map[*v1alpha1.Subscription]bool{}
	for _, want := range d.Subscriptions {
		at := func(v catalog.Value) kustomize.Position {
			switch {
			case !v.Pos.IsZero():
				return v.Pos
			case !want.Name.Pos.IsZero():
				return want.Name.Pos
			}
			return want.Where
		}
		say := func(rule string, v catalog.Value, format string, a ...any) {
			add(rule, at(v), want.Operator, want.Overlay, format, a...)
		}
		ns, name := want.Namespace.Value, want.Name.Value
		got := findSubscription(cl, ns, name, want.Package.Value)
		if got == nil {
			say(RuleSubscriptionMissing, want.Name, "Subscription %s/%s (package %s) is not on the cluster", ns, name, want.Package.Value)
			continue
		}
		matched[got] = true
		id := "Subscription " + ns + "/" + got.Name
		spec := got.Spec
		if spec == nil {
			spec = &v1alpha1.SubscriptionSpec{}
		}
		if want.Channel.Value != spec.Channel {
			say(RuleChannel, want.Channel, "%s follows channel %s on the cluster; the catalog sets %s", id, orNone(spec.Channel), orNone(want.Channel.Value))
		}
		if want.Source.Value != spec.CatalogSource {
			say(RuleSource, want.Source, "%s uses CatalogSource %s on the cluster; the catalog sets %s", id, orNone(spec.CatalogSource), orNone(want.Source.Value))
		}
		if want.SourceNamespace.Value != spec.CatalogSourceNamespace {
			say(RuleSource, want.SourceNamespace, "%s takes its CatalogSource from namespace %s on the cluster; the catalog sets %s", id, orNone(spec.CatalogSourceNamespace), orNone(want.SourceNamespace.Value))
		}
		if a, b := approval(want.InstallPlanApproval.Value), approval(string(spec.InstallPlanApproval)); a != b {
			say(RuleApproval, want.InstallPlanApproval, "%s has installPlanApproval %s on the cluster; the catalog sets %s", id, b, a)
		}
		if want.StartingCSV.Value != spec.StartingCSV {
			say(RuleStartingCSV, want.StartingCSV, "%s has startingCSV %s on the cluster; the catalog sets %s", id, orNone(spec.StartingCSV), orNone(want.StartingCSV.Value))
		}
		st := got.Status
		installed := st.InstalledCSV
		if pin := want.StartingCSV.Value; pin != "" && installed != "" && olderThan(installed, pin) {
			say(RuleCSVBehindPin, want.StartingCSV, "%s has %s installed, older than the pinned startingCSV %s", id, installed, pin)
		}
		if installed != "" && len(idx) > 0 {
			behindHead(idx, want, installed, func(format string, a ...any) { say(RuleCSVBehindHead, want.Channel, id+" "+format, a...) })
		}
		if csvs, plan, ok := pendingPlan(cl, got); ok {
			say(RuleInstallPlanPending, want.InstallPlanApproval, "%s: InstallPlan %s waits for manual approval to install %s", id, plan, strings.Join(csvs, ", "))
		}
		for _, msg := range failures(cl, got) {
			say(RuleCSVFailed, want.Name, "%s: %s", id, msg)
		}
	}
	// Subscriptions the catalog does not install, in its namespaces.
	nsPos := map[string]kustomize.Position{}
	nsOwner := map[string][2]string{}
	for _, s := range d.Subscriptions {
		if _, ok := nsPos[s.Namespace.Value]; !ok {
			p := s.Namespace.Pos
			if p.IsZero() {
				p = s.Where
			}
			nsPos[s.Namespace.Value] = p
			nsOwner[s.Namespace.Value] = [2]string{s.Operator, s.Overlay}
		}
	}
	for _, g := range d.OperatorGroups {
		if _, ok := nsPos[g.Namespace]; !ok {
			nsPos[g.Namespace], nsOwner[g.Namespace] = g.Pos, [2]string{g.Operator, g.Overlay}
		}
	}
	for i := range cl.Subscriptions {
		s := &cl.Subscriptions[i]
		pos, ours := nsPos[s.Namespace]
		if !ours || matched[s] {
			continue
		}
		pkg := ""
		if s.Spec != nil {
			pkg = s.Spec.Package
		}
		add(RuleSubscriptionExtra, pos, nsOwner[s.Namespace][0], nsOwner[s.Namespace][1],
			"Subscription %s/%s (package %s) is on the cluster in a namespace the catalog installs into, but the catalog does not install it", s.Namespace, s.Name, orNone(pkg))
	}
	// OperatorGroups.
	for _, want := range d.OperatorGroups {
		got := findGroup(cl, want.Namespace, want.Name)
		if got == nil {
			add(RuleOperatorGroupMissing, want.Pos, want.Operator, want.Overlay, "OperatorGroup %s/%s is not on the cluster", want.Namespace, want.Name)
			continue
		}
		targets := slices.Clone(got.Spec.TargetNamespaces)
		sort.Strings(targets)
		selector := got.Spec.Selector != nil
		if !slices.Equal(targets, want.Targets) || selector != want.Selector {
			add(RuleOperatorGroupTargets, want.Pos, want.Operator, want.Overlay, "OperatorGroup %s/%s targets %s on the cluster; the catalog sets %s",
				want.Namespace, got.Name, describeTargets(targets, selector), describeTargets(want.Targets, want.Selector))
		}
	}
	for _, ns := range sortedKeys(nsPos) {
		var names []string
		for _, g := range cl.OperatorGroups {
			if g.Namespace == ns {
				names = append(names, g.Name)
			}
		}
		if len(names) > 1 {
			add(RuleOperatorGroupMulti, nsPos[ns], nsOwner[ns][0], nsOwner[ns][1],
				"namespace %s has %d OperatorGroups on the cluster (%s): OLM installs nothing there until one is left", ns, len(names), strings.Join(names, ", "))
		}
	}
	out.Sort()
	return out
}

func findSubscription(cl *Cluster, ns, name, pkg string) *v1alpha1.Subscription {
	var byPkg *v1alpha1.Subscription
	for i := range cl.Subscriptions {
		s := &cl.Subscriptions[i]
		if s.Namespace != ns {
			continue
		}
		if s.Name == name {
			return s
		}
		if byPkg == nil && s.Spec != nil && pkg != "" && s.Spec.Package == pkg {
			byPkg = s
		}
	}
	return byPkg
}

func findGroup(cl *Cluster, ns, name string) *operatorsv1.OperatorGroup {
	var only *operatorsv1.OperatorGroup
	n := 0
	for i := range cl.OperatorGroups {
		g := &cl.OperatorGroups[i]
		if g.Namespace != ns {
			continue
		}
		if g.Name == name {
			return g
		}
		only = g
		n++
	}
	if n == 1 {
		return only
	}
	return nil
}

func describeTargets(t []string, selector bool) string {
	switch {
	case selector:
		return "namespaces by label selector"
	case len(t) == 0:
		return "all namespaces"
	}
	return "[" + strings.Join(t, ", ") + "]"
}

func approval(v string) string {
	if v == "" {
		return string(v1alpha1.ApprovalAutomatic)
	}
	return v
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// olderThan reports whether CSV a has a lower version than CSV b, both of
// one operator.
func olderThan(a, b string) bool {
	ca, err1 := olm.ParseCSVName(a)
	cb, err2 := olm.ParseCSVName(b)
	if err1 != nil || err2 != nil || ca.Name != cb.Name {
		return false
	}
	return ca.Version.LessThan(cb.Version)
}

// behindHead reports an installed CSV older than its channel's head.
func behindHead(idx index.Set, want DesiredSubscription, installed string, say func(string, ...any)) {
	pkg, _, ok := idx.Lookup(want.Source.Value, want.Package.Value)
	if !ok {
		pkg, _, ok = idx.Lookup("", want.Package.Value)
	}
	if !ok {
		return
	}
	chName := want.Channel.Value
	if chName == "" {
		chName = pkg.DefaultChannel
	}
	ch := pkg.Channels[chName]
	if ch == nil {
		return
	}
	head, err := ch.Head()
	if err != nil || head == installed {
		return
	}
	if steps, ok := ch.Behind(installed); ok && steps > 0 {
		say("has %s installed, %d upgrade(s) behind %s, the head of channel %s", installed, steps, head, chName)
		return
	}
	if olderThan(installed, head) {
		say("has %s installed, older than %s, the head of channel %s", installed, head, chName)
	}
}

// pendingPlan finds a Manual InstallPlan of the Subscription that waits
// for approval, and the CSVs it would install.
func pendingPlan(cl *Cluster, s *v1alpha1.Subscription) ([]string, string, bool) {
	st := s.Status
	var ref string
	if st.InstallPlanRef != nil {
		ref = st.InstallPlanRef.Name
	} else if st.Install != nil {
		ref = st.Install.Name
	}
	for _, ip := range cl.InstallPlans {
		if ip.Namespace != s.Namespace || ip.Name != ref {
			continue
		}
		if ip.Spec.Approval == v1alpha1.ApprovalManual && !ip.Spec.Approved &&
			(ip.Status.Phase == v1alpha1.InstallPlanPhaseRequiresApproval || ip.Status.Phase == "") {
			csvs := ip.Spec.ClusterServiceVersionNames
			if len(csvs) == 0 && st.CurrentCSV != "" {
				csvs = []string{st.CurrentCSV}
			}
			return csvs, ip.Name, true
		}
		return nil, "", false
	}
	// No InstallPlan in the input: the Subscription's own status tells.
	// UpgradePending alone is also an Automatic plan being installed.
	pending := st.State == v1alpha1.SubscriptionStateUpgradePending && s.Spec != nil && s.Spec.InstallPlanApproval == v1alpha1.ApprovalManual
	for _, c := range st.Conditions {
		if c.Type == v1alpha1.SubscriptionInstallPlanPending && c.Status == "True" && c.Reason == "RequiresApproval" {
			pending = true
		}
	}
	if !pending || ref == "" {
		return nil, "", false
	}
	csv := st.CurrentCSV
	if csv == "" {
		csv = "(unknown CSV)"
	}
	return []string{csv}, ref, true
}

// failures lists what OLM reports as failed for the Subscription.
func failures(cl *Cluster, s *v1alpha1.Subscription) []string {
	var out []string
	for _, c := range s.Status.Conditions {
		if c.Status != "True" {
			continue
		}
		switch c.Type {
		case v1alpha1.SubscriptionResolutionFailed, v1alpha1.SubscriptionCatalogSourcesUnhealthy, v1alpha1.SubscriptionInstallPlanFailed, v1alpha1.SubscriptionInstallPlanMissing:
			msg := string(c.Type)
			if c.Reason != "" {
				msg += " (" + c.Reason + ")"
			}
			if c.Message != "" {
				msg += ": " + oneLine(c.Message)
			}
			out = append(out, msg)
		}
	}
	for _, name := range []string{s.Status.InstalledCSV, s.Status.CurrentCSV} {
		if name == "" {
			continue
		}
		for _, csv := range cl.CSVs {
			if csv.Namespace == s.Namespace && csv.Name == name && csv.Status.Phase == v1alpha1.CSVPhaseFailed {
				msg := "CSV " + name + " is in phase Failed"
				if csv.Status.Reason != "" {
					msg += " (" + string(csv.Status.Reason) + ")"
				}
				if csv.Status.Message != "" {
					msg += ": " + oneLine(csv.Status.Message)
				}
				out = append(out, msg)
			}
		}
		if s.Status.InstalledCSV == s.Status.CurrentCSV {
			break
		}
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
