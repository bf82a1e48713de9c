package kustomize

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/openapi"
)

// TestOpenAPIDoesNotLeak builds a folder whose kustomization sets its own
// OpenAPI schema, which kyaml keeps in process-wide state: a folder built
// after it, in the same process, must render exactly as it renders alone
// (as the kustomize CLI renders it, one process per build).
func TestOpenAPIDoesNotLeak(t *testing.T) {
	const deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: a\n      - name: b\n        image: b\n"
	files := map[string]string{
		"a/kustomization.yaml": "resources:\n- d.yaml\nopenapi:\n  path: schema.json\n",
		"a/d.yaml":             deploy,
		"a/schema.json":        `{"definitions": {"io.k8s.api.apps.v1.Deployment": {"type": "object", "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "Deployment", "version": "v1"}], "properties": {"spec": {"$ref": "#/definitions/io.k8s.api.apps.v1.DeploymentSpec"}}}, "io.k8s.api.apps.v1.DeploymentSpec": {"type": "object", "properties": {"template": {"$ref": "#/definitions/io.k8s.api.core.v1.PodTemplateSpec"}}}, "io.k8s.api.core.v1.PodTemplateSpec": {"type": "object", "properties": {"spec": {"$ref": "#/definitions/io.k8s.api.core.v1.PodSpec"}}}, "io.k8s.api.core.v1.PodSpec": {"type": "object", "properties": {"containers": {"type": "array", "items": {"$ref": "#/definitions/io.k8s.api.core.v1.Container"}, "x-kubernetes-patch-merge-key": "image", "x-kubernetes-patch-strategy": "merge"}}}, "io.k8s.api.core.v1.Container": {"type": "object", "properties": {"name": {"type": "string"}, "image": {"type": "string"}}}}}`,
		"b/kustomization.yaml": "resources:\n- d.yaml\npatches:\n- patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: d\n    spec:\n      template:\n        spec:\n          containers:\n          - name: b\n            image: b2\n",
		"b/d.yaml":             deploy,
	}
	alone := NewBuilder(NewTreeFromMap(files)).Build("b")
	if alone.Err != nil {
		t.Fatal(alone.Err)
	}
	for _, order := range [][]string{{"a", "b"}, {"b", "a", "b"}} {
		tree := NewTreeFromMap(files)
		var last Result
		for _, dir := range order {
			last = NewBuilder(tree).Build(dir)
			if last.Err != nil {
				t.Fatal(last.Err)
			}
		}
		if string(last.YAML()) != string(alone.YAML()) {
			t.Errorf("after building a, b renders\n%s\nalone\n%s", last.YAML(), alone.YAML())
		}
	}
	// A later build of another catalog, too.
	if got := NewBuilder(NewTreeFromMap(files)).Build("b"); string(got.YAML()) != string(alone.YAML()) {
		t.Errorf("another tree's b renders\n%s\nalone\n%s", got.YAML(), alone.YAML())
	}
	if v := openapi.GetSchemaVersion(); v != openapi.GetSchemaVersion() || v == "using custom schema from file provided" {
		t.Errorf("the process keeps the catalog's schema: %s", v)
	}
}
