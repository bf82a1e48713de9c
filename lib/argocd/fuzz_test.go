package argocd

import (
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// FuzzRemoteURLs: any Git config gives URLs that are in it, never a panic.
func FuzzRemoteURLs(f *testing.F) {
	f.Add("[remote \"origin\"]\n\turl = git@github.com:acme/catalog.git\n")
	f.Add("[remote]\nurl=\"x\"\n[core]\nurl = y\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, cfg string) {
		for _, u := range RemoteURLs([]byte(cfg)) {
			if u == "" || !strings.Contains(cfg, u) {
				t.Fatalf("url %q is not in the config", u)
			}
			if !SameRepo(u, u) {
				t.Fatalf("%q is not the same repository as itself", u)
			}
		}
	})
}

// FuzzValidateObject: any YAML document is validated or refused, never a
// panic or a hang.
func FuzzValidateObject(f *testing.F) {
	f.Add("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec: {project: default, destination: {}}\n")
	f.Add("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec: {generators: [{git: {directories: [{path: a}]}}], template: {}}\n")
	f.Add("apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec: &a {x: *a}\n")
	f.Fuzz(func(t *testing.T, doc string) {
		var n yaml.Node
		if yaml.Unmarshal([]byte(doc), &n) != nil {
			return
		}
		errs, ok := ValidateObject(&n)
		if !ok && len(errs) > 0 {
			t.Fatalf("errors for an object that is not checked: %v", errs)
		}
	})
}
