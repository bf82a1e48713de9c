package lint

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// An ApplicationSet assembled by a kustomization: the file is valid, the
// rendered object is not, and its path is checked as rendered too.
const appSetBase = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: operators
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: https://github.com/acme/catalog.git
        revision: main
        directories:
          - path: mq/operator/overlays
          - path: '*/operator/overlays'
          - path: gone/operator/overlays
            exclude: true
  template:
    metadata:
      name: '{{ .path.basename }}'
    spec:
      project: default
      source:
        repoURL: https://github.com/acme/catalog.git
        targetRevision: main
        path: '{{ .path.path }}'
      destination:
        server: https://kubernetes.default.svc
`

func TestArgoCDChecks(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		cfg   Config
		want  []string
	}{
		{name: "clean ApplicationSet, literal and glob and excluded paths",
			files: map[string]string{"argocd/appset.yaml": appSetBase},
			cfg:   Config{RepoURL: acmeRepo}},
		{name: "a patch breaks the rendered ApplicationSet and names a folder that is not there",
			files: map[string]string{
				"argocd/appset.yaml": appSetBase,
				"argocd/kustomization.yaml": `resources: [appset.yaml]
patches:
  - target: {group: argoproj.io, kind: ApplicationSet, name: operators}
    patch: |-
      - op: add
        path: /spec/syncPolicy
        value: {preserveResourcesOnDeletion: "yes"}
      - op: replace
        path: /spec/generators/0/git/directories/0/path
        value: mq/operator/overlay
`},
			cfg: Config{RepoURL: acmeRepo},
			want: []string{
				`argocd/kustomization.yaml:5:9: ApplicationSet operators as argocd renders it: spec.syncPolicy.preserveResourcesOnDeletion: Invalid value: "string": spec.syncPolicy.preserveResourcesOnDeletion in body must be of type boolean: "string" [argocd-schema]`,
				`argocd/kustomization.yaml:10:16: ApplicationSet operators as argocd renders it: spec.generators[0].git.directories[0].path "mq/operator/overlay" names no folder of the catalog; Argo CD reports the application as ComparisonError [argocd-path]`,
			}},
		{name: "a path to a folder that does not build",
			files: map[string]string{
				"argocd/app.yaml":           argoApp(acmeRepo, "broken", "prune: true"),
				"broken/kustomization.yaml": "resources: [missing.yaml]\n",
			},
			cfg:  Config{RepoURL: acmeRepo},
			want: []string{`argocd/app.yaml:9:11: Application mq: spec.source.path "broken" is a kustomization that does not build`},
		},
		{name: "the catalog in a folder of its repository",
			files: map[string]string{"argocd/app.yaml": argoApp(acmeRepo, "catalogs/ops/mq/operator/overlays/v1.9", "prune: true")},
			cfg:   Config{RepoURL: acmeRepo, RepoPath: "catalogs/ops"}},
		{name: "a path outside the catalog's folder",
			files: map[string]string{"argocd/app.yaml": argoApp(acmeRepo, "mq/operator/overlays/v1.9", "prune: true")},
			cfg:   Config{RepoURL: acmeRepo, RepoPath: "catalogs/ops"},
			want:  []string{`argocd/app.yaml:9:11: Application mq: spec.source.path "mq/operator/overlays/v1.9" is outside the catalog, which sits in folder catalogs/ops`}},
		{name: "another repository's paths are not checked",
			files: map[string]string{"argocd/app.yaml": argoApp("https://github.com/other/repo.git", "nowhere", "prune: true")},
			cfg:   Config{RepoURL: acmeRepo}},
		{name: "no repository known: paths are not checked",
			files: map[string]string{"argocd/app.yaml": argoApp(acmeRepo, "nowhere", "prune: true")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := catalog.FromTree(kustomize.NewTreeFromMap(with(tt.files)), catalog.Options{})
			findings, err := Run(context.Background(), c, tt.cfg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range findings {
				if strings.HasPrefix(f.Rule, "argocd-") {
					got = append(got, fmt.Sprintf("%s:%d:%d: %s [%s]", f.Path, f.Line, f.Column, f.Message, f.Rule))
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("finding %d:\n%s\nwant:\n%s", i, got[i], tt.want[i])
				}
			}
		})
	}
}
