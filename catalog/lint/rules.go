// Package lint holds opcat's validation rules over a loaded catalog: what
// `kustomize build` checks, plus what kustomize and OLM only find out on a
// cluster. Run returns findings as data, sorted, each at the source text
// that is wrong; Validate returns the whole report a command prints.
//
// Every rule has a typed [ID] constant and one entry in the registry
// ([Rules]) with its severity, its text and the pass that reports it. This
// package alone turns facts into findings: [RuleFor] names the rule for a
// kustomize.Cause, and the index-* rules word the drifts of
// catalog.CompareSubscription.
package lint

import (
	"github.com/opcat-dev/opcat/lib/diag"
)

// Rule describes one check.
type Rule struct {
	// ID is the stable kebab-case identifier used in output and config.
	ID ID
	// Severity is the default severity.
	Severity diag.Severity
	// Short is a one-line description.
	Short string
	// Help explains why it matters and how to fix it.
	Help string
	// check is the pass of Run that reports the rule.
	check check
}

// Info returns the rule's metadata for output writers.
func (r Rule) Info() diag.RuleInfo {
	return diag.RuleInfo{ID: string(r.ID), Severity: r.Severity, Short: r.Short, Help: r.Help}
}

var rules = []Rule{
	{YAMLSyntax, diag.Error, "a YAML file that does not parse",
		"kustomize and Argo CD fail on the whole folder. Fix the line shown; a tab in indentation and a missing space after a colon are the usual causes. A character that looks like a space but is not one (U+00A0 non-breaking space and kin) is named, at its own line, whatever line the parser stopped at.", filesCheck},
	{YAMLDuplicateKey, diag.Error, "a mapping key given twice",
		"YAML parsers keep one of the values silently, so what is applied is not what is read. Remove one of the keys.", filesCheck},
	{KustomizationInvalid, diag.Error, "a kustomization that kustomize would not decode (unknown field, wrong type)",
		"kustomize refuses the file. Use the fields of kustomize v5 (resources, patches, ...) with the types they take; a single resource must still be a list.", buildsCheck},
	{KustomizationMissing, diag.Error, "a directory used as a base or resource without a kustomization file",
		"kustomize can only include a folder that holds a kustomization.yaml. Add one listing the folder's files, or list the files themselves.", buildsCheck},
	{KustomizeMissingPath, diag.Error, "a resource, base, patch or component path that does not exist",
		"The build fails. Correct the path (it is relative to the kustomization's folder) or create the file.", buildsCheck},
	{KustomizeBuild, diag.Error, "any other failure of the kustomize engine",
		"The overlay cannot be deployed. The message is kustomize's own; fix what it names.", buildsCheck},
	{KustomizeDeprecated, diag.Warning, "bases, patchesJson6902, patchesStrategicMerge, commonLabels, vars... ; fixable",
		"kustomize v5 warns on these fields and will drop them. Run `opcat fix` (or `kustomize edit fix`) to move them to resources, patches, labels and replacements.", kustomizationsCheck},
	{KustomizeRemote, diag.Info, "a remote base or resource: never fetched, so what includes it is not checked",
		"opcat never uses the network, so the kustomizations that include a remote base are not built or checked (their build fails, as kustomize's does offline). Vendor the base into the catalog to have them checked.", buildsCheck},
	{KustomizeRemoteUnpinned, diag.Warning, "a remote base or resource without a pinned tag or commit (a version or commit in a release or raw URL's path pins it)",
		"A remote base that follows a branch changes under you and cannot be reviewed. Pin a Git base with ?ref=<tag> or ?ref=<commit>; for a raw or plain HTTP URL, name a tag or a commit in its path (raw.githubusercontent.com/<owner>/<repo>/<tag>/..., .../releases/download/<tag>/...), or vendor the file.", kustomizationsCheck},
	{KustomizeHelm, diag.Info, "helmCharts: never run, so what includes it is not checked",
		"opcat runs no external program, Helm included, so a kustomization with helmCharts and the kustomizations that include it are not built or checked. Render the chart into the catalog (helm template) to have them checked.", buildsCheck},
	{FileRefused, diag.Warning, "a file opcat does not read: over --max-file-size, a symbolic link leaving the catalog root or looping, not a regular file; an error when a kustomization needs it",
		"opcat reads only regular files inside the catalog root, up to a size limit, so a catalog cannot make it read elsewhere or exhaust memory. A kustomization that needs such a file does not build: that is an error. Raise --max-file-size, or replace the link by the file.", filesCheck},
	{PatchInvalid, diag.Error, "a JSON6902 patch that is not a list of valid operations, or an empty patch file",
		"kustomize fails, or applies nothing. A JSON patch is a list of {op, path, value} with op one of add, remove, replace, move, copy, test.", patchesCheck},
	{PatchTargetUnmatched, diag.Error, "a patch that kustomize applies to no resource (it drops it silently)",
		"kustomize applies a patch only to resources its target selects and says nothing when none is selected, so the overlay deploys the base unchanged. opcat asks kustomize itself with a probe build, so components, original and current names, namespaces, selectors and generated resources count exactly as kustomize counts them; a patch in a component is reported only when it applies to nothing in every kustomization that includes it. Correct the target's kind, name, group, version or namespace.", patchesCheck},
	{PatchPathMissing, diag.Warning, "replace/remove/test on a path the target lacks (kustomize silently adds for replace)",
		"RFC 6902 requires the path of replace, remove and test to exist; kustomize adds the value for replace instead of failing, which hides a base that differs from what the patch expects. Use op: add, or add the field to the base.", patchesCheck},
	{PatchTargetAmbiguous, diag.Warning, "a target kind: Subscription without a group where that build holds Subscriptions of another API group",
		"Other APIs define Subscription kinds too (Knative, ACM): a target without a group patches them as well when the build holds them. Add group: operators.coreos.com and version: v1alpha1 to the target.", patchesCheck},
	{SubscriptionSchema, diag.Error, "a Subscription or OperatorGroup that violates the OLM CRD schema (required fields, types, unknown fields)",
		"The API server rejects the object (with strict field validation) or drops the unknown field. Fix the field named.", subscriptionsCheck},
	{SubscriptionPlaceholder, diag.Error, "a placeholder channel or CSV left in a rendered overlay",
		"OLM looks for a channel or CSV of that name and never finds it. Set the real value in the overlay's patch.", subscriptionsCheck},
	{SubscriptionCSVFormat, diag.Warning, "a startingCSV that is not <name>.v<semver> (a convention, not an OLM rule); with an index, the index decides",
		"OLM matches startingCSV against bundle names exactly and does not require <name>.v<semver> (servicemeshoperator.v2.0.5.2 is real), but a name off the convention is often a typo. Check it against the index (opcat index bundles PACKAGE, or validate --index, which then decides).", subscriptionsCheck},
	{SubscriptionCSVChannelMismatch, diag.Warning, "a version-like channel whose series does not contain the startingCSV version",
		"A startingCSV outside its channel leaves the Subscription unresolvable (constraints not satisfiable). Pin a CSV of the channel's series, or correct the channel.", subscriptionsCheck},
	{SubscriptionStartingCSVAutomatic, diag.Info, "startingCSV with installPlanApproval: Automatic (it pins nothing)",
		"With Automatic approval OLM upgrades past the startingCSV at once; the pin only chooses where the upgrade starts. Use Manual approval to hold a version, or drop the pin.", subscriptionsCheck},
	{SubscriptionDuplicatePackage, diag.Error, "two Subscriptions for one package in one namespace",
		"OLM refuses to resolve the namespace. Keep one Subscription per package per namespace.", namespacesCheck},
	{SubscriptionApprovalMixed, diag.Warning, "Manual and Automatic Subscriptions in one namespace (Manual spreads)",
		"OLM resolves a namespace's Subscriptions together: one Manual Subscription makes the install plans of all of them wait for approval. Use one approval per namespace.", namespacesCheck},
	{OverlayChannelMismatch, diag.Warning, "a channel overlay folder named differently from the channel it sets (where the catalog names overlays after channels)",
		"Overlays are chosen by folder name; one that sets another channel installs something else than its name says. Rename the folder or correct the channel.", subscriptionsCheck},
	{OperatorGroupMissing, diag.Warning, "a Subscription outside the global operators namespace with no OperatorGroup in the overlay or any kustomization of the catalog",
		"OLM installs nothing into a namespace without an OperatorGroup. Add one (opcat add operator does) or install into openshift-operators.", namespacesCheck},
	{OperatorGroupMultiple, diag.Error, "more than one OperatorGroup in a namespace",
		"OLM stops installing into a namespace with several OperatorGroups (TooManyOperatorGroups). openshift-operators already has global-operators. Keep one.", namespacesCheck},
	{CatalogDefaultOverlay, diag.Warning, "an overlays pointer that is missing (where the catalog uses pointers) or points at no overlay",
		"oc apply -k <operator>/operator/overlays and Argo CD apps use the pointer to pick the default version. Make overlays/kustomization.yaml list exactly one overlay folder.", operatorsCheck},
	{CatalogReadmeStale, diag.Warning, "a README overlay list that disagrees with the overlays",
		"The README tells users which overlays exist. Regenerate the list between the opcat markers (opcat add overlay does).", operatorsCheck},
	{CatalogOverlayDuplicate, diag.Error, "two overlays of one operator that resolve to the same name",
		"render, sync and Argo CD name an overlay by its folder below overlays/; two folders with one name make that name ambiguous, and which one is installed depends on the tool. Rename one of them.", operatorsCheck},
	{SubscriptionUnused, diag.Info, "a Subscription in a file no kustomization uses",
		"No kustomization lists the file, so oc apply -k and Argo CD apps built with kustomize never apply it (only a plain-directory source or oc apply -f would). List it in a kustomization's resources, or delete it.", filesCheck},
	{ArgoCDSchema, diag.Error, "an Argo CD Application or ApplicationSet that violates Argo CD's CRD schema (as written or as a kustomization renders it)",
		"The API server rejects the object, or drops the unknown field, and nothing is deployed. Fix the field named; argocd app create --dry-run shows the same error.", argoCDCheck},
	{ArgoCDPath, diag.Error, "an Argo CD source path or git generator directory of this repository that names no folder of the catalog, or one that does not build",
		"Argo CD fails to generate manifests (ComparisonError) and the application stays OutOfSync. Paths are relative to the top of the repository; correct the path or fix the folder's build.", argoCDCheck},
	{ArgoCDPlaceholder, diag.Warning, "an Argo CD object whose repoURL is a placeholder",
		"Argo CD cannot fetch a placeholder repository. Set repoURL to this repository's Git URL (opcat init --argocd --repo-url URL writes it), and name it under repoURL: in .opcat.yaml so opcat checks the paths.", argoCDCheck},
	{ClusterExtensionSchema, diag.Error, "an OLM v1 ClusterExtension that violates operator-controller's CRD schema",
		"The API server rejects the object and nothing is installed. Fix the field named (the CRD's CEL rules are not checked).", clusterExtensionsCheck},
	{ClusterExtensionVersionInvalid, diag.Error, "a ClusterExtension version that is not a semver range",
		"operator-controller refuses it and installs nothing. Use a range such as 1.2.3, >=1.2.0 <1.3.0, ~1.2.0 or ^1.2.0.", clusterExtensionsCheck},
	{ClusterExtensionPackageUnknown, diag.Error, "with an index: the ClusterExtension's package is not in it",
		"operator-controller reports that no bundle was found. Check packageName against the index (opcat index channels PACKAGE) and the catalog selector.", clusterExtensionsCheck},
	{ClusterExtensionChannelUnknown, diag.Error, "with an index: a channel of the ClusterExtension is not in the package",
		"operator-controller finds no bundle in that channel. Use one of the channels the message lists.", clusterExtensionsCheck},
	{ClusterExtensionVersionUnmatched, diag.Error, "with an index: the version range selects no bundle in the named channels",
		"operator-controller installs nothing. Widen the range or change the channels; opcat index bundles PACKAGE lists the versions of each channel.", clusterExtensionsCheck},
	{ClusterExtensionInstallModeUnsupported, diag.Error, "with an index: the bundle the range selects does not support AllNamespaces",
		"OLM v1 installs only operators that support the AllNamespaces install mode. Install this one with OLM v0 (Subscription and OperatorGroup).", clusterExtensionsCheck},
	{ClusterExtensionDependencies, diag.Error, "with an index: the bundle the range selects declares dependencies",
		"OLM v1 does not resolve dependencies (olm.package.required, olm.gvk.required): the install fails. Install the dependencies first, or use OLM v0.", clusterExtensionsCheck},
	{IndexPackageUnknown, diag.Error, "with an index: the package is not in it",
		"OLM fails with \"no operators found in package\". Check spec.name against the index (opcat index channels PACKAGE) and spec.source against the CatalogSource that serves it.", indexCheck},
	{IndexChannelUnknown, diag.Error, "the channel is not in the package (the message lists the channels that are)",
		"The Subscription never resolves. Use one of the channels listed; vendors retire channels, so opcat outdated shows the ones that went away.", indexCheck},
	{IndexCSVUnknown, diag.Error, "the startingCSV is no bundle of the package",
		"OLM cannot find the CSV to start from. Use a bundle name from the index (opcat index bundles PACKAGE).", indexCheck},
	{IndexCSVNotInChannel, diag.Error, "the startingCSV exists but not in that channel",
		"OLM fails with \"constraints not satisfiable\". Pin a CSV of the channel (opcat index channels PACKAGE shows its head) or change the channel.", indexCheck},
	{IndexInstallModeUnsupported, diag.Error, "the OperatorGroup's targets need an install mode the CSV does not support",
		"OLM refuses the CSV in that OperatorGroup (UnsupportedOperatorGroup). Install into openshift-operators for AllNamespaces, or give the namespace its own OperatorGroup targeting itself.", indexCheck},
	{IndexUpgradeGap, diag.Warning, "no upgrade path between the CSVs of consecutive overlays",
		"Moving a cluster from one overlay to the next cannot upgrade in place. Add an intermediate overlay, or pin CSVs that the channel connects.", indexCheck},
	{IndexDeprecated, diag.Warning, "the index marks the package, channel or bundle deprecated",
		"The vendor has retired it; it may stop receiving fixes or disappear. Move to the channel or bundle the message names.", indexCheck},
	{IndexChannelBehind, diag.Info, "the startingCSV is older than the channel head",
		"New installs start from an old version and upgrade step by step. Run opcat sync to move the pin to the head.", indexCheck},
}

// Rules returns every rule, in documentation order.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// Lookup returns the rule with id.
func Lookup(id ID) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
