// Package templates holds the files opcat writes when it scaffolds a
// catalog, an operator or an overlay, embedded in the binary. They are
// text/template files; a user can point --templates at a folder holding
// their own copies of any of them.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed files
var files embed.FS

// FS returns the built-in templates, by name (catalog-readme.md.tmpl, ...).
func FS() fs.FS {
	sub, err := fs.Sub(files, "files")
	if err != nil {
		panic(err) // the folder is embedded above; this cannot fail
	}
	return sub
}

// Names of the templates.
const (
	CatalogReadme         = "catalog-readme.md.tmpl"
	CatalogConfig         = "opcat.yaml.tmpl"
	CatalogWorkflow       = "validate-workflow.yaml.tmpl"
	OperatorReadme        = "operator-readme.md.tmpl"
	BaseKustomization     = "base-kustomization.yaml.tmpl"
	Subscription          = "subscription.yaml.tmpl"
	Namespace             = "namespace.yaml.tmpl"
	OperatorGroup         = "operator-group.yaml.tmpl"
	OverlayKustomization  = "overlay-kustomization.yaml.tmpl"
	ChannelPatch          = "patch-channel.yaml.tmpl"
	PointerKustomization  = "pointer-kustomization.yaml.tmpl"
	OverlayTable          = "overlay-table.md.tmpl"
	CatalogOperatorsTable = "catalog-operators-table.md.tmpl"

	ArgoCDOperatorsClusters = "argocd-operators-clusters.yaml.tmpl"
	ArgoCDOperatorsGit      = "argocd-operators-git.yaml.tmpl"
	ArgoCDInstances         = "argocd-instances.yaml.tmpl"
	ArgoCDKustomization     = "argocd-kustomization.yaml.tmpl"
	ArgoCDHealthConfigMap   = "argocd-health-argocd-cm.yaml.tmpl"
	ArgoCDHealthOpenShift   = "argocd-health-openshift-gitops.yaml.tmpl"
	ArgoCDReadme            = "argocd-readme.md.tmpl"

	ClusterExtension              = "clusterextension.yaml.tmpl"
	ExtensionBaseKustomization    = "extension-base-kustomization.yaml.tmpl"
	ExtensionOverlayKustomization = "extension-overlay-kustomization.yaml.tmpl"
	ExtensionPatch                = "extension-patch.yaml.tmpl"
	InstallerRBAC                 = "installer-rbac.yaml.tmpl"
	ExtensionReadme               = "extension-readme.md.tmpl"
)

// Names lists every template.
func Names() []string {
	return []string{CatalogReadme, CatalogConfig, CatalogWorkflow, OperatorReadme, BaseKustomization,
		Subscription, Namespace, OperatorGroup, OverlayKustomization, ChannelPatch, PointerKustomization,
		OverlayTable, CatalogOperatorsTable, ArgoCDOperatorsClusters, ArgoCDOperatorsGit, ArgoCDInstances,
		ArgoCDKustomization, ArgoCDHealthConfigMap, ArgoCDHealthOpenShift, ArgoCDReadme,
		ClusterExtension, ExtensionBaseKustomization, ExtensionOverlayKustomization, ExtensionPatch, InstallerRBAC, ExtensionReadme}
}
