package generator

import (
	"fmt"
	"path"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/argocd"
	"github.com/opcat-dev/opcat/templates"
	yaml "go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// The Argo CD wiring of a catalog, in folder argocd/.
const (
	ArgoCDDir              = "argocd"
	argoOperatorsClusters  = ArgoCDDir + "/operators-by-cluster-label.yaml"
	argoOperatorsGit       = ArgoCDDir + "/operators-default.yaml"
	argoInstances          = ArgoCDDir + "/instances.yaml"
	argoKustomization      = ArgoCDDir + "/kustomization.yaml"
	argoHealthConfigMap    = ArgoCDDir + "/health-argocd-cm.yaml"
	argoHealthOpenShift    = ArgoCDDir + "/health-openshift-gitops.yaml"
	argoReadme             = ArgoCDDir + "/README.md"
	argoSyncWaveAnnotation = "argocd.argoproj.io/sync-wave"
	// BaseSyncWave is the Argo CD sync wave of operator bases: before
	// instances, which stay in wave 0 or later.
	BaseSyncWave = "-1"
)

// PlaceholderRepoURL is written when the catalog's repository is not known;
// validate reports it (argocd-placeholder) until it is replaced.
const PlaceholderRepoURL = "https://github.com/CHANGE-ME/catalog.git"

// ArgoCDOptions configure the Argo CD wiring (AddArgoCD, InitOptions.ArgoCD).
type ArgoCDOptions struct {
	// RepoURL is the catalog's Git repository, as Argo CD fetches it;
	// PlaceholderRepoURL when empty.
	RepoURL string
	// Revision is the branch or tag Argo CD follows (default main).
	Revision string
	// Namespace is where Argo CD runs (default openshift-gitops).
	Namespace string
	// RepoPath is the catalog root's folder in the repository, "" for its
	// top: every path Argo CD reads is prefixed with it.
	RepoPath string
}

func (o *ArgoCDOptions) complete() error {
	if o.RepoURL == "" {
		o.RepoURL = PlaceholderRepoURL
	}
	if o.Revision == "" {
		o.Revision = "main"
	}
	if o.Namespace == "" {
		o.Namespace = "openshift-gitops"
	}
	o.RepoPath = strings.Trim(path.Clean("/"+o.RepoPath), "/")
	if strings.ContainsAny(o.RepoURL, " \t\n\"'") {
		return inputErrorf("--repo-url %q is not a Git URL", o.RepoURL)
	}
	if strings.ContainsAny(o.Revision, " \t\n\"'") {
		return inputErrorf("--revision %q is not a Git revision", o.Revision)
	}
	return checkNamespace("--argocd-namespace", o.Namespace)
}

// argoOperator is one operator as the ApplicationSets name it.
type argoOperator struct {
	// Label is the operator's name in the cluster label opcat.io/<Label>.
	Label string
	// Overlays is the folder of its overlays (and default pointer), from
	// the top of the repository.
	Overlays string
}

// AddArgoCD plans the Argo CD wiring of an existing catalog: ApplicationSets
// for its operators (by cluster label, and the default overlays by Git
// directory), one for the instance folders, the health checks of OLM
// resources as patches of Argo CD's configuration, and the sync wave of
// every operator's base.
func AddArgoCD(c *catalog.Catalog, root, templatesDir string, opts ArgoCDOptions) (*Plan, error) {
	if err := checkTemplatesDir(templatesDir); err != nil {
		return nil, err
	}
	r := renderer{dir: templatesDir}
	p := NewPlan(root)
	if err := addArgoCD(p, r, c, opts); err != nil {
		return nil, err
	}
	return p, nil
}

// addArgoCD plans the wiring for the operators of c.
func addArgoCD(p *Plan, r renderer, c *catalog.Catalog, opts ArgoCDOptions) error {
	if err := opts.complete(); err != nil {
		return err
	}
	var ops []argoOperator
	for _, op := range c.Operators {
		if op.Base == nil {
			continue
		}
		ops = append(ops, argoOperator{Label: op.Name, Overlays: repoPath(opts.RepoPath, overlaysDir(op))})
		if err := setBaseSyncWave(p, op.Base.File); err != nil {
			return err
		}
	}
	var checks []argocd.HealthCheck
	checks = append(checks, argocd.HealthChecks()...)
	data := map[string]any{"Operators": ops, "RepoURL": opts.RepoURL, "Revision": opts.Revision,
		"Namespace": opts.Namespace, "HealthChecks": checks}
	for _, f := range []struct{ file, tmpl string }{
		{argoOperatorsClusters, templates.ArgoCDOperatorsClusters},
		{argoOperatorsGit, templates.ArgoCDOperatorsGit},
		{argoInstances, templates.ArgoCDInstances},
		{argoKustomization, templates.ArgoCDKustomization},
		{argoHealthConfigMap, templates.ArgoCDHealthConfigMap},
		{argoHealthOpenShift, templates.ArgoCDHealthOpenShift},
		{argoReadme, templates.ArgoCDReadme},
	} {
		b, err := r.render(f.tmpl, data)
		if err != nil {
			return err
		}
		if existing, ok := p.Content(f.file); ok && f.file != argoReadme {
			// Already wired: keep the file, and add what it lacks.
			if f.file == argoOperatorsClusters || f.file == argoOperatorsGit {
				for _, op := range ops {
					if err := wireOperatorFile(p, f.file, existing, op); err != nil {
						return err
					}
					existing, _ = p.Content(f.file)
				}
			}
			continue
		}
		if err := addFile(p, f.file, b); err != nil {
			return err
		}
	}
	if opts.RepoURL != PlaceholderRepoURL {
		return setConfigRepo(p, opts)
	}
	p.Notes = append(p.Notes, fmt.Sprintf("the Argo CD objects name %s: replace it with this repository's URL (or run again with --repo-url URL --force)", PlaceholderRepoURL))
	return nil
}

// repoPath is a catalog folder as a path from the top of the repository.
func repoPath(prefix, dir string) string {
	if prefix == "" {
		return dir
	}
	return path.Join(prefix, dir)
}

// argoWired reports whether the catalog (with the plan) has Argo CD
// wiring that add operator keeps up to date.
func argoWired(p *Plan) bool {
	for _, f := range []string{argoOperatorsClusters, argoOperatorsGit} {
		if _, ok := p.Content(f); ok {
			return true
		}
	}
	return false
}

// wireOperator adds an operator to the ApplicationSets of a wired catalog.
func wireOperator(p *Plan, op argoOperator) error {
	for _, f := range []string{argoOperatorsClusters, argoOperatorsGit} {
		content, ok := p.Content(f)
		if !ok {
			continue
		}
		if err := wireOperatorFile(p, f, content, op); err != nil {
			return err
		}
	}
	return nil
}

// wireOperatorFile adds the operator to one ApplicationSet file through
// kyaml, keeping comments: a clusters generator in the by-label set, a
// directory in the git set. An operator already there is left alone.
func wireOperatorFile(p *Plan, file string, content []byte, op argoOperator) error {
	rn, err := kyaml.Parse(string(content))
	if err != nil {
		return fmt.Errorf("unable to edit %s: %w", file, err)
	}
	gens, err := rn.Pipe(kyaml.Lookup("spec", "generators"))
	if err != nil || gens == nil || gens.YNode().Kind != kyaml.SequenceNode {
		p.Notes = append(p.Notes, fmt.Sprintf("%s has no spec.generators list; add operator %s to it by hand", file, op.Label))
		return nil
	}
	var add *kyaml.Node
	if file == argoOperatorsClusters {
		for _, g := range gens.YNode().Content {
			if v, _ := kyaml.NewRNode(g).Pipe(kyaml.Lookup("clusters", "values", "operator")); v != nil && kyaml.GetValue(v) == op.Label {
				return nil
			}
		}
		snippet := fmt.Sprintf("clusters:\n  selector:\n    matchExpressions:\n      - key: opcat.io/%s\n        operator: Exists\n  values:\n    operator: %s\n    overlays: %s\n",
			op.Label, mustScalar(op.Label), mustScalar(op.Overlays))
		n, err := kyaml.Parse(snippet)
		if err != nil {
			return err
		}
		add = n.YNode()
		blockStyle(gens.YNode())
		gens.YNode().Content = append(gens.YNode().Content, add)
	} else {
		var dirs *kyaml.RNode
		for _, g := range gens.YNode().Content {
			if d, _ := kyaml.NewRNode(g).Pipe(kyaml.Lookup("git", "directories")); d != nil && d.YNode().Kind == kyaml.SequenceNode {
				dirs = d
				break
			}
		}
		if dirs == nil {
			p.Notes = append(p.Notes, fmt.Sprintf("%s has no git directories generator; add %s to it by hand", file, op.Overlays))
			return nil
		}
		for _, d := range dirs.YNode().Content {
			if v, _ := kyaml.NewRNode(d).Pipe(kyaml.Lookup("path")); v != nil && kyaml.GetValue(v) == op.Overlays {
				return nil
			}
		}
		n, err := kyaml.Parse("path: " + mustScalar(op.Overlays) + "\n")
		if err != nil {
			return err
		}
		blockStyle(dirs.YNode())
		dirs.YNode().Content = append(dirs.YNode().Content, n.YNode())
	}
	// opcat writes these files with indented lists; a file with no block
	// list yet (generators: []) would otherwise be taken for compact.
	style := kyaml.DeriveSeqIndentStyle(string(content))
	if !strings.Contains(string(content), "\n    - ") && !strings.Contains(string(content), "\n  - ") {
		style = string(kyaml.WideSequenceStyle)
	}
	out, err := kyaml.MarshalWithOptions(rn.Document(), &kyaml.EncoderOptions{SeqIndent: kyaml.SequenceIndentStyle(style)})
	if err != nil {
		return fmt.Errorf("unable to edit %s: %w", file, err)
	}
	return p.Add(file, out, true)
}

// configRepoPath is repoPath: from the catalog's .opcat.yaml, "" when it
// names none.
func configRepoPath(p *Plan) string {
	content, ok := p.Content(".opcat.yaml")
	if !ok {
		return ""
	}
	var cfg struct {
		RepoPath string `yaml:"repoPath"`
	}
	if yaml.Unmarshal(content, &cfg) != nil {
		return ""
	}
	return strings.Trim(path.Clean("/"+cfg.RepoPath), "/")
}

// blockStyle turns an empty flow list ([]) into a block list, so that the
// entries added to it are written one per line.
func blockStyle(n *kyaml.Node) {
	if len(n.Content) == 0 {
		n.Style &^= kyaml.FlowStyle
	}
}

func mustScalar(s string) string {
	out, err := yamlScalar(s)
	if err != nil {
		return s
	}
	return out
}

// setBaseSyncWave gives an operator's base kustomization the sync wave
// annotation of operator bases, through kyaml (comments stay), unless it
// sets a sync wave already.
func setBaseSyncWave(p *Plan, file string) error {
	content, ok := p.Content(file)
	if !ok {
		return nil
	}
	rn, err := kyaml.Parse(string(content))
	if err != nil {
		p.Notes = append(p.Notes, fmt.Sprintf("%s does not parse (%v); its sync wave was left alone", file, err))
		return nil
	}
	if v, _ := rn.Pipe(kyaml.Lookup("commonAnnotations", argoSyncWaveAnnotation)); v != nil {
		return nil
	}
	if err := rn.PipeE(kyaml.LookupCreate(kyaml.MappingNode, "commonAnnotations"), kyaml.SetField(argoSyncWaveAnnotation, kyaml.NewStringRNode(BaseSyncWave))); err != nil {
		return fmt.Errorf("unable to edit %s: %w", file, err)
	}
	style := kyaml.DeriveSeqIndentStyle(string(content))
	out, err := kyaml.MarshalWithOptions(rn.Document(), &kyaml.EncoderOptions{SeqIndent: kyaml.SequenceIndentStyle(style)})
	if err != nil {
		return fmt.Errorf("unable to edit %s: %w", file, err)
	}
	return p.Add(file, out, true)
}

// setConfigRepo names the repository in .opcat.yaml (repoURL, and repoPath
// when the catalog sits in a folder of it), so that validate checks the
// paths of the Argo CD objects. A config that names one already is kept.
func setConfigRepo(p *Plan, opts ArgoCDOptions) error {
	content, ok := p.Content(".opcat.yaml")
	if !ok {
		content = nil
	}
	for _, l := range strings.Split(string(content), "\n") {
		if strings.HasPrefix(l, "repoURL:") {
			return nil
		}
	}
	var b strings.Builder
	b.Write(content)
	if len(content) > 0 && !strings.HasSuffix(string(content), "\n") {
		b.WriteByte('\n')
	}
	b.WriteString("# the Git repository of this catalog, as Argo CD objects name it: validate checks their paths\n")
	b.WriteString("repoURL: " + mustScalar(opts.RepoURL) + "\n")
	if opts.RepoPath != "" {
		b.WriteString("repoPath: " + mustScalar(opts.RepoPath) + "\n")
	}
	return p.Add(".opcat.yaml", []byte(b.String()), true)
}
