package lint

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
)

// TestCorpusArgoCD checks the Argo CD objects of two real catalogs, each
// told its own repository URL, so that their literal paths are checked
// against their folders. Every finding was reviewed against the files.
func TestCorpusArgoCD(t *testing.T) {
	tests := []struct {
		dir, repo string
		want      []string
	}{
		{"../../../shared/corpus/multi-tenancy-gitops-services", "https://github.com/cloud-native-toolkit/multi-tenancy-gitops-services.git", nil},
		{"../../../shared/corpus/demo-ai-gitops-catalog", "https://github.com/redhat-na-ssa/demo-ai-gitops-catalog.git", []string{
			// The base's repoURLs are placeholders that the base itself and
			// overlays/default of components/argocd/apps render as they are.
			`components/argocd/apps/base/cluster-automation-applicationset.yaml:38:18: ApplicationSet cluster-automation-applicationset: repoURL "patch-me-see-clusters-overlays" is a placeholder; Argo CD cannot fetch it [argocd-placeholder]`,
			`components/argocd/apps/base/cluster-config-app-of-apps.yaml:15:14: Application cluster-config-app-of-apps: repoURL "patch-me-see-clusters-overlays" is a placeholder; Argo CD cannot fetch it [argocd-placeholder]`,
			`components/argocd/apps/base/cluster-configs-applicationset.yaml:33:18: ApplicationSet cluster-configs-applicationset: repoURL "patch-me-see-clusters-overlays" is a placeholder; Argo CD cannot fetch it [argocd-placeholder]`,
			`components/argocd/apps/base/cluster-operators-applicationset.yaml:33:18: ApplicationSet cluster-operators-applicationset: repoURL "patch-me-see-clusters-overlays" is a placeholder; Argo CD cannot fetch it [argocd-placeholder]`,
			// The repository has no clusters/ folder at its top: the folder
			// is demos/components/clusters/argo-managed/overlays/default.
			`demos/components/clusters/argo-managed/overlays/default/kustomization.yaml:16:16: Application cluster-config-app-of-apps as demos/components/clusters/argo-managed/overlays/default renders it: spec.source.path "clusters/argo-managed/overlays/default" names no folder of the catalog; Argo CD reports the application as ComparisonError [argocd-path]`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			if _, err := os.Stat(tt.dir); err != nil {
				t.Skipf("reference corpus not found at %s (it sits beside the project in development checkouts): %v", tt.dir, err)
			}
			c, err := catalog.Load(context.Background(), tt.dir, catalog.Options{})
			if err != nil {
				t.Fatal(err)
			}
			findings, err := Run(context.Background(), c, Config{RepoURL: tt.repo}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range findings {
				if strings.HasPrefix(f.Rule, "argocd-") {
					got = append(got, fmt.Sprintf("%s:%d:%d: %s [%s]", f.Path, f.Line, f.Column, f.Message, f.Rule))
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
