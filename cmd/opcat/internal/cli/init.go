package cli

import (
	"github.com/opcat-dev/opcat/generator"
	"github.com/spf13/cobra"
)

type initOptions struct {
	*globalOptions
	planFlags
	example   bool
	title     string
	templates string
	argocd    bool
	argo      argoFlags
}

func newInitCmd(g *globalOptions) *cobra.Command {
	o := &initOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Start a catalog: README, .opcat.yaml and a CI workflow",
		Long: `Create a catalog root in -C: a README explaining how to use the catalog with
oc apply -k and Argo CD, .opcat.yaml, and .github/workflows/validate.yaml, which
runs opcat validate on pull requests and uploads SARIF to code scanning.
--example adds the Event Streams operator with overlays v2.3, v2.4 and v2.5.
--argocd adds the Argo CD wiring (see opcat add argocd --help).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := generator.InitOptions{Root: o.dir, Title: o.title, Example: o.example, Templates: o.templates, Version: version()}
			if o.argocd {
				a := o.argo.options(o.dir)
				opts.ArgoCD = &a
			}
			p, err := generator.Init(opts)
			if err != nil {
				return planError(err)
			}
			return finish(g, p, o.planFlags)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.example, "example", false, "add the Event Streams example operator")
	f.StringVar(&o.title, "title", "", "title of the catalog README")
	f.StringVar(&o.templates, "templates", "", "folder of templates overriding the built-in ones")
	f.BoolVar(&o.argocd, "argocd", false, "add Argo CD ApplicationSets and health checks (folder argocd/)")
	o.argo.register(f)
	f.BoolVar(&o.dryRun, "dry-run", false, "print the changes as a unified diff and write nothing")
	f.BoolVar(&o.force, "force", false, "overwrite existing files that would change")
	return cmd
}
