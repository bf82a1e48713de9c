package export

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/argocd"
	"github.com/opcat-dev/opcat/lib/kustomize"
	yaml "go.yaml.in/yaml/v3"
)

// ClusterOptions select overlays as the catalog's ApplicationSets deploy
// them to one cluster.
type ClusterOptions struct {
	// Cluster is the cluster: its labels, and its name and server when
	// known (from its Argo CD cluster Secret).
	Cluster argocd.Cluster
	// RepoURLs are the URLs of the catalog's Git repository (repoURL: in
	// .opcat.yaml, the remotes of the .git folder in the root): only
	// sources of these repositories, or a placeholder repository, are
	// looked up in the catalog.
	RepoURLs []string
	// RepoPath is the catalog root's folder in the repository, "" for its
	// top.
	RepoPath string
}

// ClusterRecord is the cluster of a selection by labels, in export.json.
type ClusterRecord struct {
	argocd.Cluster
	// ApplicationSets are the ApplicationSets with a clusters generator,
	// each with what it deployed to the cluster or why it was skipped.
	ApplicationSets []AppSetResult `json:"applicationSets"`
}

// AppSetRef names an ApplicationSet of the catalog.
type AppSetRef struct {
	// File is the file it is written in, relative to the catalog root.
	File string `json:"file"`
	Name string `json:"name"`
}

// AppSetResult is what an ApplicationSet deploys to the cluster.
type AppSetResult struct {
	AppSetRef
	// Paths are the folders it deploys, relative to the repository.
	Paths []string `json:"paths,omitempty"`
	// Skipped says why an ApplicationSet, or one of its sources, was not
	// used: it could not be evaluated, or deploys what the export does not
	// hold.
	Skipped []string `json:"skipped,omitempty"`
}

// Choice is what an export or a drift check covers.
type Choice struct {
	Selection []Selected
	Skipped   []Skipped
	// Overlays are the selected overlays, in the order of Selection.
	Overlays []*catalog.Overlay
	// Cluster is set for a selection by cluster labels.
	Cluster *ClusterRecord
}

// Choose returns the selection of the options: by the cluster's labels
// when opts.Cluster is set (see ClusterSelection), else by default overlay
// and opts.Overlays (see Selection).
func Choose(c *catalog.Catalog, opts Options) (*Choice, error) {
	if opts.Cluster == nil {
		sel, skipped, ovs, err := Selection(c, opts.Overlays)
		if err != nil {
			return nil, err
		}
		return &Choice{Selection: sel, Skipped: skipped, Overlays: ovs}, nil
	}
	if len(opts.Overlays) > 0 {
		return nil, fmt.Errorf("overlays named and cluster labels are two ways to choose overlays; give one")
	}
	return ClusterSelection(c, *opts.Cluster)
}

// target is an overlay an ApplicationSet deploys.
type target struct {
	ov  *catalog.Overlay
	ref AppSetRef
	// path is the path as the ApplicationSet renders it.
	path string
}

// ClusterSelection selects, per operator, the overlay that the catalog's
// ApplicationSets would deploy to the cluster: every ApplicationSet written
// in the catalog's files with a clusters generator is evaluated for the
// cluster (argocd.ClusterSources), and each source path of the catalog's
// repository that names an overlay (or an overlays pointer: its default
// overlay) selects it. Operators no ApplicationSet deploys to the cluster
// are left out. An ApplicationSet that cannot be evaluated is recorded as
// skipped, never guessed. A path into an operator's folder that names no
// folder (a label value naming no overlay), or two overlays of one
// operator, is an error.
func ClusterSelection(c *catalog.Catalog, opts ClusterOptions) (*Choice, error) {
	if err := argocd.CheckLabels(opts.Cluster.Labels); err != nil {
		return nil, err
	}
	repoPath := strings.Trim(path.Clean("/"+opts.RepoPath), "/")
	byDir := map[string]*catalog.Overlay{}
	pointer := map[string]*catalog.Operator{}
	for _, op := range c.Operators {
		for _, list := range [][]*catalog.Overlay{op.Overlays, op.Variants} {
			for _, ov := range list {
				byDir[ov.Dir] = ov
			}
		}
		if op.Pointer != nil {
			pointer[op.Pointer.Dir] = op
		}
	}
	rec := &ClusterRecord{Cluster: opts.Cluster}
	if rec.Labels == nil {
		rec.Labels = map[string]string{}
	}
	chosen := map[*catalog.Operator]target{}
	for _, file := range c.Tree.Files() {
		if ext := path.Ext(file); ext != ".yaml" && ext != ".yml" {
			continue
		}
		data, _ := c.Tree.ReadFile(file)
		if !bytes.Contains(data, []byte(argocd.KindApplicationSet)) {
			continue
		}
		docs, _, ok := c.Tree.ParseFile(file)
		if !ok {
			continue
		}
		for _, d := range docs {
			if len(d.Content) == 0 || !argocd.HasClustersGenerator(d.Content[0]) {
				continue
			}
			obj := d.Content[0]
			res := AppSetResult{AppSetRef: AppSetRef{File: file, Name: metadataName(obj)}}
			srcs, err := argocd.ClusterSources(obj, opts.Cluster)
			if err != nil {
				res.Skipped = append(res.Skipped, err.Error())
				rec.ApplicationSets = append(rec.ApplicationSets, res)
				continue
			}
			for _, src := range srcs {
				if src.Chart != "" || src.Path == "" {
					res.Skipped = append(res.Skipped, fmt.Sprintf("%s deploys no folder (chart %q of %s)", src.Where, src.Chart, src.RepoURL))
					continue
				}
				if !thisRepo(src.RepoURL, opts.RepoURLs) {
					res.Skipped = append(res.Skipped, fmt.Sprintf("%s deploys %s from %s, which is not known as this catalog's repository (name it under repoURL: in .opcat.yaml)", src.Where, src.Path, src.RepoURL))
					continue
				}
				res.Paths = append(res.Paths, src.Path)
				rel := strings.Trim(path.Clean("/"+src.Path), "/")
				if repoPath != "" {
					if rel != repoPath && !strings.HasPrefix(rel, repoPath+"/") {
						res.Skipped = append(res.Skipped, fmt.Sprintf("%s deploys %s, outside the catalog (folder %s of the repository)", src.Where, src.Path, repoPath))
						continue
					}
					rel = strings.TrimPrefix(strings.TrimPrefix(rel, repoPath), "/")
				}
				if rel == "" {
					rel = "."
				}
				if c.Tree.IsDir(rel) {
					rel = c.Tree.RealPath(rel)
				}
				ov := byDir[rel]
				if op := pointer[rel]; ov == nil && op != nil {
					ov = op.Default()
					if ov == nil {
						return nil, fmt.Errorf("ApplicationSet %s (%s) deploys %s to the cluster, the overlays pointer of %s, which selects no overlay", res.Name, file, src.Path, op.Dir)
					}
				}
				if ov == nil {
					op := c.OperatorOf(rel)
					switch {
					case !c.Tree.IsDir(rel) && op != nil:
						return nil, fmt.Errorf("ApplicationSet %s (%s) deploys %s to the cluster, which names no folder of the catalog (operator %s has overlays %s)%s", res.Name, file, src.Path, op.Dir, overlayNames(op), labelHint(opts.Cluster.Labels, src.Path))
					case !c.Tree.IsDir(rel):
						res.Skipped = append(res.Skipped, fmt.Sprintf("%s deploys %s, which names no folder of the catalog", src.Where, src.Path))
					default:
						res.Skipped = append(res.Skipped, fmt.Sprintf("%s deploys %s, which is no operator overlay: not exported", src.Where, src.Path))
					}
					continue
				}
				op := c.OperatorOf(ov.Dir)
				if op == nil {
					continue
				}
				t := target{ov: ov, ref: res.AppSetRef, path: src.Path}
				if prev, dup := chosen[op]; dup && prev.ov != ov {
					return nil, fmt.Errorf("two overlays of operator %s would be deployed to the cluster: %s (ApplicationSet %s in %s) and %s (ApplicationSet %s in %s)",
						op.Dir, prev.ov.Name, prev.ref.Name, prev.ref.File, ov.Name, t.ref.Name, t.ref.File)
				} else if !dup {
					chosen[op] = t
				}
			}
			rec.ApplicationSets = append(rec.ApplicationSets, res)
		}
	}
	if len(rec.ApplicationSets) == 0 {
		return nil, fmt.Errorf("no ApplicationSet of the catalog has a clusters generator, so cluster labels select nothing (opcat add argocd writes one)")
	}
	ch := &Choice{Cluster: rec}
	seen := map[string]string{}
	for _, op := range c.Operators {
		t, ok := chosen[op]
		if !ok {
			ch.Skipped = append(ch.Skipped, Skipped{Operator: op.Dir, Reason: "no ApplicationSet deploys it to a cluster with these labels"})
			continue
		}
		manifest := path.Join(ManifestDir, op.Dir, t.ov.Name+".yaml")
		if other, dup := seen[manifest]; dup {
			return nil, fmt.Errorf("operators %s and %s would both export %s", other, op.Dir, manifest)
		}
		seen[manifest] = op.Dir
		ref := t.ref
		ch.Selection = append(ch.Selection, Selected{Operator: op.Dir, Overlay: t.ov.Name, Path: t.ov.Dir, Manifest: manifest, ApplicationSet: &ref})
		ch.Overlays = append(ch.Overlays, t.ov)
	}
	return ch, nil
}

// labelHint names the cluster labels whose value ends the path, the usual
// cause of a path to nowhere.
func labelHint(l map[string]string, p string) string {
	var hits []string
	for _, k := range sortedKeys(l) {
		if v := l[k]; v != "" && (p == v || strings.HasSuffix(p, "/"+v)) {
			hits = append(hits, k+"="+v)
		}
	}
	if len(hits) == 0 {
		return ""
	}
	return "; check the cluster label " + strings.Join(hits, ", ")
}

// thisRepo reports whether a source's repoURL is the catalog's repository,
// or a placeholder left for it.
func thisRepo(u string, repos []string) bool {
	if strings.Contains(strings.ToUpper(u), "CHANGE-ME") {
		return true
	}
	for _, r := range repos {
		if argocd.SameRepo(u, r) {
			return true
		}
	}
	return false
}

func metadataName(obj *yaml.Node) string {
	name, _, _ := kustomize.ScalarAt(obj, "metadata", "name")
	return name
}
