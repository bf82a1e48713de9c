package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/opcat-dev/opcat/catalog/export"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/argocd"
	"github.com/spf13/pflag"
)

// clusterFlags choose overlays by a cluster's labels, as the catalog's
// ApplicationSets would (export and drift).
type clusterFlags struct {
	labels []string
	file   string
}

func (c *clusterFlags) register(f *pflag.FlagSet, verb string) {
	f.StringArrayVar(&c.labels, "cluster-label", nil, verb+" the overlays the catalog's ApplicationSets deploy to a cluster with label KEY=VALUE (repeatable)")
	f.StringVar(&c.file, "cluster-labels-file", "", "the cluster's labels: its Argo CD cluster Secret (YAML or JSON), or a YAML map of labels")
}

func (c *clusterFlags) set() bool { return len(c.labels) > 0 || c.file != "" }

// maxClusterFile bounds --cluster-labels-file.
const maxClusterFile = 1 << 20

// options reads the cluster (the file, then the flags over it) and the
// catalog's repository (.opcat.yaml, the remotes of .git in the root);
// nil when no cluster flag is given.
func (c *clusterFlags) options(dir string) (*export.ClusterOptions, error) {
	if !c.set() {
		return nil, nil
	}
	var cl argocd.Cluster
	if c.file != "" {
		f, err := os.Open(c.file)
		if err != nil {
			return nil, usageError("--cluster-labels-file: %v", err)
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, maxClusterFile+1))
		if err != nil {
			return nil, usageError("--cluster-labels-file: %v", err)
		}
		if cl, err = argocd.ParseCluster(c.file, data); err != nil {
			return nil, usageError("--cluster-labels-file %v", err)
		}
	}
	if cl.Labels == nil {
		cl.Labels = map[string]string{}
	}
	given := map[string]string{}
	for _, s := range c.labels {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return nil, usageError("--cluster-label %q: want KEY=VALUE", s)
		}
		if prev, dup := given[k]; dup && prev != v {
			return nil, usageError("--cluster-label %s given twice (%q and %q)", k, prev, v)
		}
		given[k] = v
		cl.Labels[k] = v
	}
	if err := argocd.CheckLabels(cl.Labels); err != nil {
		return nil, usageError("--cluster-label: %v", err)
	}
	cfg, err := lint.LoadConfig(filepath.Join(dir, lint.ConfigFile), true)
	if err != nil {
		return nil, usageError("%v", err)
	}
	opts := &export.ClusterOptions{Cluster: cl, RepoPath: cfg.RepoPath, RepoURLs: repoURLs(dir)}
	if cfg.RepoURL != "" {
		opts.RepoURLs = append([]string{cfg.RepoURL}, opts.RepoURLs...)
	}
	return opts, nil
}

// reportCluster names on stderr what cluster labels selected and every
// ApplicationSet or source that was skipped.
func reportCluster(w io.Writer, rec *export.ClusterRecord) {
	if rec == nil {
		return
	}
	for _, a := range rec.ApplicationSets {
		for _, s := range a.Skipped {
			fmt.Fprintf(w, "opcat: ApplicationSet %s (%s) skipped: %s\n", a.Name, a.File, s)
		}
	}
}
