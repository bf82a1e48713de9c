package generator

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/olm"
	"github.com/opcat-dev/opcat/templates"
	"github.com/operator-framework/api/pkg/operators/v1alpha1"
)

// InitOptions configure Init.
type InitOptions struct {
	// Root is the catalog root to create or complete.
	Root string
	// Title is the catalog README's title.
	Title string
	// Example adds the Event Streams operator of the reference
	// architecture, with overlays v2.3, v2.4 and v2.5.
	Example bool
	// Templates is a folder of user templates overriding the built-in ones.
	Templates string
	// ArgoCD, when set, adds the Argo CD wiring (see AddArgoCD).
	ArgoCD *ArgoCDOptions
	// Version is the opcat release the CI workflow installs (the one that
	// writes it). Empty or a development build ("devel", "(devel)") writes
	// a clearly marked placeholder instead, and a note says so.
	Version string
}

// DevelVersion is what the workflow names when opcat was built from
// source: a placeholder to replace with a release tag.
const DevelVersion = "OPCAT_VERSION"

// workflowVersion returns the version the workflow pins, and whether it is
// the placeholder.
func workflowVersion(v string) (string, bool) {
	switch v {
	case "", "devel", "(devel)":
		return DevelVersion, true
	}
	return v, false
}

// ExampleOperator is what `opcat init --example` adds.
func ExampleOperator(root string) OperatorOptions {
	return OperatorOptions{
		Root:    root,
		Package: "ibm-eventstreams",
		Name:    "event-streams",
		Source:  "ibm-operator-catalog",
		// A namespace of its own: a Manual Subscription in the global
		// openshift-operators would hold the install plans of every
		// Automatic operator there (subscription-approval-mixed).
		Namespace: "event-streams",
		Channels:  []string{"v2.3", "v2.4", "v2.5"},
		CSVs: map[string]string{
			"v2.3": "ibm-eventstreams.v2.3.1",
			"v2.4": "ibm-eventstreams.v2.4.0",
			"v2.5": "ibm-eventstreams.v2.5.1",
		},
		Default: "v2.5",
		// The overlays pin a CSV each; with Automatic approval OLM would
		// upgrade past the pin at once.
		Approval: "Manual",
	}
}

// Init plans a catalog root: README, .opcat.yaml and a CI workflow that
// validates pull requests and uploads SARIF.
func Init(opts InitOptions) (*Plan, error) {
	if err := checkTemplatesDir(opts.Templates); err != nil {
		return nil, err
	}
	r := renderer{dir: opts.Templates}
	p := NewPlan(opts.Root)
	title := opts.Title
	if title == "" {
		title = "Operator catalog"
	}
	version, devel := workflowVersion(opts.Version)
	if devel {
		p.Notes = append(p.Notes, "this opcat was built from source and has no release version: .github/workflows/validate.yaml names the placeholder "+DevelVersion+"; replace it with a release tag")
	}
	for _, f := range []struct{ file, tmpl string }{
		{"README.md", templates.CatalogReadme},
		{".opcat.yaml", templates.CatalogConfig},
		{".github/workflows/validate.yaml", templates.CatalogWorkflow},
	} {
		b, err := r.render(f.tmpl, map[string]any{"Title": title, "Version": version, "Devel": devel})
		if err != nil {
			return nil, err
		}
		if err := addFile(p, f.file, b); err != nil {
			return nil, err
		}
	}
	var dirs []string
	if opts.Example {
		ex := ExampleOperator(opts.Root)
		ex.Templates = opts.Templates
		if opts.ArgoCD != nil {
			ex.syncWave = BaseSyncWave
		}
		dir, err := addOperator(p, r, ex)
		if err != nil {
			return nil, err
		}
		dirs = append(dirs, dir)
	}
	if opts.ArgoCD != nil {
		c, err := planned(p)
		if err != nil {
			return nil, err
		}
		if err := addArgoCD(p, r, c, *opts.ArgoCD); err != nil {
			return nil, err
		}
	}
	return p, refreshReadmes(p, r, dirs...)
}

// OperatorOptions configure AddOperator.
type OperatorOptions struct {
	Root string
	// Package is the OLM package name.
	Package string
	// Name is the operator's folder (default: the package).
	Name string
	// Group is a grouping folder, e.g. cp4i-operators.
	Group string
	// Source and SourceNamespace name the CatalogSource (default
	// redhat-operators in openshift-marketplace).
	Source, SourceNamespace string
	// Namespace is where the Subscription lives (default openshift-operators).
	Namespace string
	// Channels get one overlay each; CSVs pins startingCSV per channel.
	Channels []string
	CSVs     map[string]string
	// Default is the default overlay (default: the last channel).
	Default string
	// InstallMode decides the OperatorGroup's targets (default:
	// AllNamespaces in openshift-operators, OwnNamespace elsewhere).
	InstallMode      v1alpha1.InstallModeType
	TargetNamespaces []string
	// Approval is Automatic (default) or Manual.
	Approval v1alpha1.Approval
	// Templates is a folder of user templates overriding the built-in ones.
	Templates string
	// Index, when not empty, holds operator indexes by CatalogSource, as
	// for AddOverlay. The package is found as catalog.IndexPackage finds
	// it: in the index of Source when Source names one, else in the one
	// index that holds it (Source then defaults to that index's source);
	// a package found in none is a *PackageNotFoundError. The package
	// fills what the options leave out. Channels defaults to every channel
	// of the package (the channels given must be in it), Default to the
	// package's default channel, InstallMode to what the head of the
	// default channel supports (AllNamespaces in openshift-operators;
	// elsewhere OwnNamespace, else SingleNamespace, else AllNamespaces,
	// else MultiNamespace), and with Manual approval each channel without
	// a CSV is pinned to its head. With Automatic approval nothing is
	// pinned: OLM would upgrade past the pin at once.
	Index index.Set
	// OLM is v0 (default: a Subscription) or v1 (a ClusterExtension, see
	// addExtension); InstallerServiceAccount adds, for v1, the installer
	// ServiceAccount and RBAC that operator-controller before v1.11 needs.
	OLM                     string
	InstallerServiceAccount bool

	// syncWave is the Argo CD sync wave of the base; a catalog with Argo CD
	// wiring gets BaseSyncWave.
	syncWave string
	// pkg is the package found in Index.
	pkg *index.Package
}

// PackageNotFoundError is the error of AddOperator when the package is in
// none of the indexes given (or not in the index of the source named).
type PackageNotFoundError struct {
	// Package is the package looked for; Source the CatalogSource named,
	// or "".
	Package, Source string
}

// Error names the package and, when one was named, the source.
func (e *PackageNotFoundError) Error() string {
	if e.Source != "" {
		return fmt.Sprintf("package %s is not in the index of %s", e.Package, e.Source)
	}
	return fmt.Sprintf("package %s is not in the indexes given", e.Package)
}

// AddOperator plans an operator: its base (Subscription, and Namespace and
// OperatorGroup outside the global operators namespace), one overlay per
// channel, the default pointer and the operator README; it updates the
// catalog README's operator table.
func AddOperator(opts OperatorOptions) (*Plan, error) {
	if err := checkTemplatesDir(opts.Templates); err != nil {
		return nil, err
	}
	r := renderer{dir: opts.Templates}
	p := NewPlan(opts.Root)
	dir, err := addOperator(p, r, opts)
	if err != nil {
		return nil, err
	}
	return p, refreshReadmes(p, r, dir)
}

// findPackage finds the package in o.Index, once, and fills Source from
// the index it is in when Source is empty.
func (o *OperatorOptions) findPackage() error {
	if len(o.Index) == 0 || o.pkg != nil {
		return nil
	}
	pkg, from, judged := catalog.IndexPackage(o.Index, o.Source, o.Package)
	if !judged || pkg == nil {
		return &PackageNotFoundError{Package: o.Package, Source: o.Source}
	}
	o.pkg = pkg
	if o.Source == "" {
		o.Source = from
	}
	return nil
}

func (o *OperatorOptions) complete() ([]string, error) {
	var notes []string
	if err := o.findPackage(); err != nil {
		return nil, err
	}
	if o.pkg != nil {
		var err error
		if notes, err = o.applyIndex(); err != nil {
			return nil, err
		}
	}
	if o.Name == "" {
		o.Name = o.Package
	}
	if o.Source == "" {
		o.Source = "redhat-operators"
	}
	if o.SourceNamespace == "" {
		o.SourceNamespace = olm.DefaultSourceNamespace
	}
	if o.Namespace == "" {
		o.Namespace = olm.GlobalOperatorsNamespace
		if o.OLM == "v1" {
			o.Namespace = o.Name // OLM v1 installs into a namespace of its own
		}
	}
	if o.Approval == "" {
		o.Approval = v1alpha1.ApprovalAutomatic
	}
	if o.InstallMode == "" {
		o.InstallMode = v1alpha1.InstallModeTypeOwnNamespace
		if o.Namespace == olm.GlobalOperatorsNamespace {
			o.InstallMode = v1alpha1.InstallModeTypeAllNamespaces
		}
	}
	if len(o.Channels) > 0 && o.Default == "" {
		o.Default = o.Channels[len(o.Channels)-1]
	}
	more, err := o.check()
	return append(notes, more...), err
}

// installModeOrder is the order in which install modes are named.
var installModeOrder = []string{
	string(v1alpha1.InstallModeTypeOwnNamespace), string(v1alpha1.InstallModeTypeSingleNamespace),
	string(v1alpha1.InstallModeTypeMultiNamespace), string(v1alpha1.InstallModeTypeAllNamespaces),
}

// applyIndex fills channels, default, pins and install mode from the
// package found in o.Index.
func (o *OperatorOptions) applyIndex() ([]string, error) {
	pkg := o.pkg
	if pkg.Name != o.Package {
		return nil, inputErrorf("the index package is %s, not %s", pkg.Name, o.Package)
	}
	names := pkg.ChannelNames()
	if len(names) == 0 {
		return nil, inputErrorf("package %s has no channel in the index", pkg.Name)
	}
	var notes []string
	if len(o.Channels) == 0 {
		// Every channel the vendor still supports; deprecated ones only when
		// asked for with --channel.
		for _, ch := range names {
			if c := pkg.Channels[ch]; c.Deprecated != nil && ch != pkg.DefaultChannel {
				notes = append(notes, fmt.Sprintf("channel %s is deprecated in the index (%s); no overlay for it (give --channel %s to add one)", ch, c.Deprecated.Message, ch))
				continue
			}
			o.Channels = append(o.Channels, ch)
		}
		if len(o.Channels) == 0 {
			return nil, inputErrorf("every channel of %s is deprecated in the index (%s); name the ones you want with --channel", pkg.Name, strings.Join(names, ", "))
		}
	}
	for _, ch := range o.Channels {
		if pkg.Channels[ch] == nil {
			return nil, inputErrorf("channel %s is not in package %s; it has %s", ch, pkg.Name, strings.Join(names, ", "))
		}
	}
	if o.Default == "" {
		o.Default = o.Channels[len(o.Channels)-1]
		for _, ch := range o.Channels {
			if ch == pkg.DefaultChannel {
				o.Default = ch
			}
		}
	}
	for ch, csv := range o.CSVs {
		if c := pkg.Channels[ch]; c != nil && !c.Contains(csv) {
			head, _ := c.Head()
			return nil, inputErrorf("--csv %s=%s: %s is not in channel %s of %s; its head is %s", ch, csv, csv, ch, pkg.Name, head)
		}
	}
	if o.Approval == v1alpha1.ApprovalManual {
		csvs := make(map[string]string, len(o.Channels))
		for ch, csv := range o.CSVs {
			csvs[ch] = csv
		}
		for _, ch := range o.Channels {
			if csvs[ch] != "" {
				continue
			}
			head, err := pkg.Channels[ch].Head()
			if err != nil {
				return nil, inputErrorf("cannot pin channel %s to its head: %v; give --csv %s=CSV", ch, err, ch)
			}
			csvs[ch] = head
		}
		o.CSVs = csvs
	}
	if o.OLM == "v1" {
		return notes, o.extensionFromIndex()
	}
	more, err := o.installModeFromIndex()
	return append(notes, more...), err
}

// installModeFromIndex chooses or checks the install mode against what the
// head of the default channel supports.
func (o *OperatorOptions) installModeFromIndex() ([]string, error) {
	pkg := o.pkg
	var bundle *index.Bundle
	for _, ch := range []string{o.Default, pkg.DefaultChannel} {
		if c := pkg.Channels[ch]; c != nil {
			if head, err := c.Head(); err == nil && pkg.Bundles[head] != nil && pkg.Bundles[head].InstallModes != nil {
				bundle = pkg.Bundles[head]
				break
			}
		}
	}
	ns := o.Namespace
	if ns == "" {
		ns = olm.GlobalOperatorsNamespace
	}
	if bundle == nil {
		if ns != olm.GlobalOperatorsNamespace && o.InstallMode == "" {
			return []string{fmt.Sprintf("the index does not tell which install modes %s supports; the OperatorGroup follows --install-mode (default OwnNamespace)", pkg.Name)}, nil
		}
		return nil, nil
	}
	var supported []string
	for _, m := range installModeOrder {
		if bundle.InstallModes[m] {
			supported = append(supported, m)
		}
	}
	list := strings.Join(supported, ", ")
	if list == "" {
		list = "none"
	}
	ok := func(m v1alpha1.InstallModeType) bool { return bundle.InstallModes[string(m)] }
	switch {
	case o.InstallMode != "":
		if !ok(o.InstallMode) {
			return nil, inputErrorf("--install-mode %s: %s does not support it; it supports %s", o.InstallMode, bundle.Name, list)
		}
	case ns == olm.GlobalOperatorsNamespace:
		if !ok(v1alpha1.InstallModeTypeAllNamespaces) {
			return nil, inputErrorf("%s does not support AllNamespaces, which %s needs; it supports %s: give --namespace to install it in a namespace of its own", bundle.Name, ns, list)
		}
	case len(o.TargetNamespaces) > 1 && ok(v1alpha1.InstallModeTypeMultiNamespace):
		o.InstallMode = v1alpha1.InstallModeTypeMultiNamespace
	case ok(v1alpha1.InstallModeTypeOwnNamespace):
		o.InstallMode = v1alpha1.InstallModeTypeOwnNamespace
	case ok(v1alpha1.InstallModeTypeSingleNamespace) && len(o.TargetNamespaces) == 1:
		o.InstallMode = v1alpha1.InstallModeTypeSingleNamespace
	case ok(v1alpha1.InstallModeTypeSingleNamespace) && !ok(v1alpha1.InstallModeTypeAllNamespaces):
		return nil, inputErrorf("%s supports %s but not OwnNamespace: give --install-mode SingleNamespace --target-namespaces NS (one namespace other than %s)", bundle.Name, list, ns)
	case ok(v1alpha1.InstallModeTypeAllNamespaces):
		o.InstallMode = v1alpha1.InstallModeTypeAllNamespaces
	case ok(v1alpha1.InstallModeTypeMultiNamespace):
		if len(o.TargetNamespaces) == 0 {
			return nil, inputErrorf("%s supports only MultiNamespace: give --target-namespaces", bundle.Name)
		}
		o.InstallMode = v1alpha1.InstallModeTypeMultiNamespace
	default:
		return nil, inputErrorf("%s supports no install mode", bundle.Name)
	}
	return nil, nil
}

func (o *OperatorOptions) check() ([]string, error) {
	notes, err := o.checkValues()
	if err != nil {
		return nil, err
	}
	sort.Strings(notes) // the CSVs come from a map
	return notes, nil
}

func (o *OperatorOptions) checkValues() (notes []string, err error) {
	if err := checkPackage(o.Package); err != nil {
		return nil, err
	}
	if err := checkFolderName("operator name", o.Name); err != nil {
		return nil, err
	}
	if err := checkGroup(o.Group); err != nil {
		return nil, err
	}
	if len(o.Source) > 253 || !dns1123Subdomain.MatchString(o.Source) {
		return nil, inputErrorf("--source %q is not a valid CatalogSource name", o.Source)
	}
	if err := checkNamespace("--source-namespace", o.SourceNamespace); err != nil {
		return nil, err
	}
	if err := checkNamespace("--namespace", o.Namespace); err != nil {
		return nil, err
	}
	if !olm.ValidApproval(string(o.Approval)) {
		return nil, inputErrorf("--approval %q: use Automatic or Manual", o.Approval)
	}
	if len(o.Channels) == 0 {
		return nil, inputErrorf("give at least one --channel (or --index to read the channels from an operator index)")
	}
	seen := map[string]bool{}
	for _, ch := range o.Channels {
		if err := checkChannel(ch); err != nil {
			return nil, err
		}
		if why := folderNameProblem(ch); why != "" {
			return nil, inputErrorf("channel %q cannot name an overlay folder (%s): add the operator with other channels, then this one with opcat add overlay OPERATOR CHANNEL --name DIR", ch, why)
		}
		if seen[ch] {
			return nil, inputErrorf("--channel %s is given twice", ch)
		}
		seen[ch] = true
	}
	for ch, csv := range o.CSVs {
		if !seen[ch] {
			return nil, inputErrorf("--csv %s=%s names channel %s, which is not among the --channel values (%s)", ch, csv, ch, strings.Join(o.Channels, ", "))
		}
		note, err := checkCSV(csv)
		if err != nil {
			return nil, err
		}
		if note != "" {
			notes = append(notes, note)
		}
	}
	if !seen[o.Default] {
		return nil, inputErrorf("--default %s is not among the --channel values (%s)", o.Default, strings.Join(o.Channels, ", "))
	}
	mode := o.InstallMode
	switch mode {
	case v1alpha1.InstallModeTypeAllNamespaces, v1alpha1.InstallModeTypeOwnNamespace,
		v1alpha1.InstallModeTypeSingleNamespace, v1alpha1.InstallModeTypeMultiNamespace:
	default:
		return nil, inputErrorf("--install-mode %q: use AllNamespaces, OwnNamespace, SingleNamespace or MultiNamespace", o.InstallMode)
	}
	if o.Namespace == olm.GlobalOperatorsNamespace && mode != v1alpha1.InstallModeTypeAllNamespaces {
		return nil, inputErrorf("--install-mode %s needs its own --namespace: %s is the global operators namespace, which takes AllNamespaces only", mode, o.Namespace)
	}
	if mode != v1alpha1.InstallModeTypeMultiNamespace && mode != v1alpha1.InstallModeTypeSingleNamespace && len(o.TargetNamespaces) > 0 {
		return nil, inputErrorf("--target-namespaces is for --install-mode SingleNamespace or MultiNamespace")
	}
	for _, ns := range o.TargetNamespaces {
		if err := checkNamespace("--target-namespaces", ns); err != nil {
			return nil, err
		}
	}
	if _, err := olm.TargetNamespacesFor(mode, o.Namespace, o.TargetNamespaces); err != nil {
		return nil, inputErrorf("%v", err)
	}
	return notes, nil
}

// addOperator adds an operator's files to p and returns its folder.
func addOperator(p *Plan, r renderer, o OperatorOptions) (string, error) {
	switch o.OLM {
	case "", "v0":
	case "v1":
		return addExtension(p, r, o)
	default:
		return "", inputErrorf("--olm %q: use v0 (a Subscription) or v1 (a ClusterExtension)", o.OLM)
	}
	notes, err := o.complete()
	if err != nil {
		return "", err
	}
	p.Notes = append(p.Notes, notes...)
	mode := o.InstallMode
	targets, _ := olm.TargetNamespacesFor(mode, o.Namespace, o.TargetNamespaces)
	opDir := path.Join(o.Group, o.Name)
	base := path.Join(opDir, "operator", "base")
	overlays := path.Join(opDir, "operator", "overlays")
	ownNamespace := o.Namespace != olm.GlobalOperatorsNamespace
	wired := argoWired(p)
	if o.syncWave == "" && wired {
		o.syncWave = BaseSyncWave
	}
	data := map[string]any{
		"SyncWave": o.syncWave,
		"Name":     o.Name, "Path": opDir, "Package": o.Package, "Namespace": o.Namespace,
		"Source": o.Source, "SourceNamespace": o.SourceNamespace, "Channel": o.Default,
		"Approval": string(o.Approval), "OwnNamespace": ownNamespace, "TargetNamespaces": targets,
		"Default": o.Default,
	}
	files := []struct{ file, tmpl string }{
		{path.Join(base, "kustomization.yaml"), templates.BaseKustomization},
		{path.Join(base, "subscription.yaml"), templates.Subscription},
		{path.Join(overlays, "kustomization.yaml"), templates.PointerKustomization},
		{path.Join(opDir, "README.md"), templates.OperatorReadme},
	}
	if ownNamespace {
		files = append(files,
			struct{ file, tmpl string }{path.Join(base, "namespace.yaml"), templates.Namespace},
			struct{ file, tmpl string }{path.Join(base, "operator-group.yaml"), templates.OperatorGroup})
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
	for _, ch := range channels {
		// The base sets a channel but no startingCSV: the channel patch
		// replaces, the CSV patch adds (RFC 6902 needs the path to exist for
		// replace).
		if err := addOverlayFiles(p, r, overlayFiles{dir: path.Join(overlays, ch), base: "../../base", pkg: o.Package, target: o.Package,
			channel: ch, channelOp: "replace", csv: o.CSVs[ch], csvOp: "add"}); err != nil {
			return "", err
		}
	}
	if wired {
		if err := wireOperator(p, argoOperator{Label: o.Name, Overlays: repoPath(configRepoPath(p), overlays)}); err != nil {
			return "", err
		}
	}
	return opDir, nil
}

// overlayFiles describes an overlay folder to plan.
type overlayFiles struct {
	dir, base string
	// pkg is the package; target the Subscription's metadata.name, which
	// the patch selects.
	pkg, target string
	// channelOp and csvOp are add or replace: RFC 6902 replace needs the
	// field to exist in the base.
	channel, channelOp string
	csv, csvOp         string
}

func addOverlayFiles(p *Plan, r renderer, o overlayFiles) error {
	data := map[string]any{"Package": o.pkg, "Target": o.target, "Channel": o.channel, "ChannelOp": o.channelOp,
		"CSV": o.csv, "CSVOp": o.csvOp, "Base": o.base}
	for _, f := range []struct{ file, tmpl string }{
		{path.Join(o.dir, "kustomization.yaml"), templates.OverlayKustomization},
		{path.Join(o.dir, "patch-channel.yaml"), templates.ChannelPatch},
	} {
		b, err := r.render(f.tmpl, data)
		if err != nil {
			return err
		}
		if err := p.Add(f.file, b, false); err != nil {
			return err
		}
	}
	return nil
}

// OverlayOptions configure AddOverlay.
type OverlayOptions struct {
	Root string
	// Operator is the operator's name or folder.
	Operator string
	// Channel is the channel the overlay installs, written exactly as
	// given; it names the overlay's folder unless Name is set.
	Channel string
	// Name is the overlay's folder, when it is not the channel.
	Name string
	// CSV pins startingCSV, when given.
	CSV string
	// Default makes the new overlay the default one.
	Default bool
	// Templates is a folder of user templates overriding the built-in ones.
	Templates string
	// Index, when not empty, holds operator indexes by CatalogSource. The
	// operator's package is found through its Subscription's source (see
	// catalog.IndexPackage); the channel must be in it, a CSV given must be
	// in the channel, and when the operator's installPlanApproval is Manual
	// and no CSV is given the overlay pins the channel head.
	Index index.Set
}

// AddOverlay plans a new overlay for an existing operator, and updates the
// default pointer (with Default, or when there is none) and the READMEs in
// place, keeping comments.
func AddOverlay(c *catalog.Catalog, opts OverlayOptions) (*Plan, error) {
	if err := checkTemplatesDir(opts.Templates); err != nil {
		return nil, err
	}
	if err := checkChannel(opts.Channel); err != nil {
		return nil, err
	}
	if err := checkOverlayFolder(opts.Channel, opts.Name); err != nil {
		return nil, err
	}
	var notes []string
	if opts.CSV != "" {
		note, err := checkCSV(opts.CSV)
		if err != nil {
			return nil, err
		}
		if note != "" {
			notes = append(notes, note)
		}
	}
	if e := extensionNamed(c, opts.Operator); e != nil {
		return addExtensionOverlay(c, e, opts)
	}
	op, err := findOperator(c, opts.Operator)
	if err != nil {
		return nil, err
	}
	if len(opts.Index) > 0 {
		if opts.CSV, err = overlayFromIndex(op, opts.Index, opts.Channel, opts.CSV); err != nil {
			return nil, err
		}
	}
	r := renderer{dir: opts.Templates}
	p := NewPlan(opts.Root)
	p.Notes = notes
	overlays := overlaysDir(op)
	name := opts.Name
	if name == "" {
		name = opts.Channel
	}
	if err := planOverlay(p, r, op, overlays, name, opts.Channel, opts.CSV); err != nil {
		return nil, err
	}
	if opts.Default || op.Pointer == nil {
		if err := setPointer(p, r, op, overlays, name); err != nil {
			return nil, err
		}
	}
	return p, refreshReadmes(p, r, op.Dir)
}

// findOperator returns the operator named name, or an input error listing
// the operators there are.
func findOperator(c *catalog.Catalog, name string) (*catalog.Operator, error) {
	op, err := c.FindOperator(name)
	if err == nil {
		return op, nil
	}
	var ee *catalog.ExtensionError
	if errors.As(err, &ee) {
		return nil, inputErrorf("operator %s is installed with OLM v1 (a ClusterExtension in %s); this command edits Subscription overlays only: edit its overlays by hand, and run opcat outdated and opcat validate --index", ee.Extension.Dir, ee.Extension.Base.Dir)
	}
	var ne *catalog.NameError
	if errors.As(err, &ne) && !ne.Ambiguous && len(ne.Candidates) == 0 {
		return nil, inputErrorf("unknown operator %q: the catalog has none; add one with opcat add operator", name)
	}
	return nil, inputErrorf("%v", err)
}

// indexPackage finds the operator's package in set, or says why not.
func indexPackage(op *catalog.Operator, set index.Set) (*index.Package, error) {
	s := op.EffectiveSubscription()
	pkg, _, judged := catalog.IndexPackage(set, s.Source.Value, s.Package.Value)
	switch {
	case s.Package.Value == "":
		return nil, inputErrorf("operator %s's Subscription names no package", op.Dir)
	case !judged && len(catalog.SourcesHolding(set, s.Package.Value)) > 1:
		return nil, inputErrorf("package %s of operator %s is in several indexes (%s) and its source %q names none of them: give the index of that source as %s=PATH",
			s.Package.Value, op.Dir, strings.Join(catalog.SourcesHolding(set, s.Package.Value), ", "), s.Source.Value, s.Source.Value)
	case !judged:
		return nil, inputErrorf("package %s of operator %s is in none of the indexes given, and its source %q names none of them", s.Package.Value, op.Dir, s.Source.Value)
	case pkg == nil:
		return nil, inputErrorf("package %s of operator %s is not in the index of %s", s.Package.Value, op.Dir, s.Source.Value)
	}
	return pkg, nil
}

// overlayFromIndex checks a new overlay's channel and CSV against the
// operator's package in set and returns the CSV to pin: csv, or the
// channel head when csv is empty and the operator's approval is Manual.
func overlayFromIndex(op *catalog.Operator, set index.Set, channel, csv string) (string, error) {
	pkg, err := indexPackage(op, set)
	if err != nil {
		return "", err
	}
	ch := pkg.Channels[channel]
	if ch == nil {
		return "", inputErrorf("channel %s is not in package %s; it has %s", channel, pkg.Name, strings.Join(pkg.ChannelNames(), ", "))
	}
	head, headErr := ch.Head()
	if csv != "" {
		if !ch.Contains(csv) {
			return "", inputErrorf("CSV %s is not in channel %s of %s; its head is %s", csv, channel, pkg.Name, head)
		}
		return csv, nil
	}
	if op.EffectiveSubscription().InstallPlanApproval.Value != string(v1alpha1.ApprovalManual) {
		return "", nil
	}
	if headErr != nil {
		return "", inputErrorf("cannot pin channel %s to its head: %v; give --csv", channel, headErr)
	}
	return head, nil
}

// planOverlay plans the folder name of a new overlay of op installing
// channel (and pinning csv when not empty), below overlays.
func planOverlay(p *Plan, r renderer, op *catalog.Operator, overlays, name, channel, csv string) error {
	dir := path.Join(overlays, name)
	rel, err := filepath.Rel(filepath.FromSlash(dir), filepath.FromSlash(op.Base.Dir))
	if err != nil {
		return fmt.Errorf("unable to place overlay %s: %w", dir, err)
	}
	channelOp, csvOp := "replace", "add"
	if !op.Subscription.Channel.Set {
		channelOp = "add"
	}
	if op.Subscription.StartingCSV.Set {
		csvOp = "replace"
	}
	target := op.Subscription.Name.Value
	if target == "" {
		target = op.Subscription.Package.Value
	}
	return addOverlayFiles(p, r, overlayFiles{dir: dir, base: filepath.ToSlash(rel), pkg: op.Subscription.Package.Value, target: target,
		channel: channel, channelOp: channelOp, csv: csv, csvOp: csvOp})
}

// overlaysDir is the folder that holds the operator's overlays.
func overlaysDir(op *catalog.Operator) string {
	for _, ov := range op.Overlays {
		if d := path.Dir(ov.Dir); path.Base(d) == "overlays" {
			return d
		}
	}
	if op.Pointer != nil {
		return op.Pointer.Dir
	}
	if path.Base(path.Dir(op.Base.Dir)) == "operator" {
		return path.Join(path.Dir(op.Base.Dir), "overlays")
	}
	return path.Join(op.Dir, "overlays")
}

// addFile plans a scaffolded file. READMEs are people's documents: an
// existing one is kept and only its marked lists are refreshed.
func addFile(p *Plan, file string, content []byte) error {
	if path.Base(file) == "README.md" {
		return p.AddIfMissing(file, content)
	}
	return p.Add(file, content, false)
}
