package cli

import (
	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/generator"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// argoFlags are the flags of the Argo CD wiring.
type argoFlags struct {
	repoURL, revision, namespace, repoPath string
}

func (a *argoFlags) register(f *pflag.FlagSet) {
	f.StringVar(&a.repoURL, "repo-url", "", "Git URL of the catalog's repository for Argo CD (default: the remote of .git/config at the root)")
	f.StringVar(&a.revision, "revision", "", "branch or tag Argo CD follows (default main)")
	f.StringVar(&a.namespace, "argocd-namespace", "", "namespace of Argo CD (default openshift-gitops)")
	f.StringVar(&a.repoPath, "repo-path", "", "folder of the catalog in its repository, when it is not at the top")
}

// options fills the generator's options; the repository defaults to the
// first remote of the Git repository at the root.
func (a *argoFlags) options(root string) generator.ArgoCDOptions {
	o := generator.ArgoCDOptions{RepoURL: a.repoURL, Revision: a.revision, Namespace: a.namespace, RepoPath: a.repoPath}
	if o.RepoURL == "" {
		if urls := repoURLs(root); len(urls) > 0 {
			o.RepoURL = urls[0]
		}
	}
	return o
}

type addArgoCDOptions struct {
	*globalOptions
	planFlags
	argo      argoFlags
	templates string
}

func newAddArgoCDCmd(g *globalOptions) *cobra.Command {
	o := &addArgoCDOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "argocd",
		Short: "Add the Argo CD wiring: ApplicationSets, health checks, sync waves",
		Long: `Add folder argocd/ to the catalog:

  operators-by-cluster-label.yaml  ApplicationSet (goTemplate): overlay <overlay> of
                                   operator <operator> on every cluster whose Argo CD
                                   cluster secret is labelled opcat.io/<operator>=<overlay>
  operators-default.yaml           the alternative: a git directories generator deploying
                                   every operator's default overlay in-cluster
  instances.yaml                   instance/ and operands/ folders, with
                                   SkipDryRunOnMissingResource=true and retries
  health-argocd-cm.yaml            health checks (Lua) for Subscription, InstallPlan and
  health-openshift-gitops.yaml     ClusterServiceVersion, for argocd-cm or the ArgoCD resource
  kustomization.yaml, README.md

Every operator's base gets the sync wave annotation argocd.argoproj.io/sync-wave: "-1";
opcat add operator keeps both up to date. The repository URL (--repo-url, by default
the remote of .git/config at the root) is written to .opcat.yaml as repoURL, so that
validate checks that every path the Argo CD objects name is a folder that builds.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := loadCatalog(o.context(), o.dir, catalog.Options{})
			if err != nil {
				return err
			}
			p, err := generator.AddArgoCD(c, o.dir, o.templates, o.argo.options(o.dir))
			if err != nil {
				return planError(err)
			}
			return finish(g, p, o.planFlags)
		},
	}
	f := cmd.Flags()
	o.argo.register(f)
	f.StringVar(&o.templates, "templates", "", "folder of templates overriding the built-in ones")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the changes as a unified diff and write nothing")
	f.BoolVar(&o.force, "force", false, "overwrite existing files that would change")
	return cmd
}
