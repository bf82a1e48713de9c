package olm

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

// parseYAML parses one YAML document into its DocumentNode.
func parseYAML(t testing.TB, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("parse YAML: %v\n%s", err, src)
	}
	return &doc
}

func readSchemaFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "schema", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func errorStrings(errs []SchemaError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

const subHeader = `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: foo
  namespace: operators
`

// sub returns a Subscription whose spec has the required fields followed by
// extra, which is indented as spec's fields.
func sub(extra string) string {
	return subHeader + `spec:
  name: foo
  source: redhat-operators
  sourceNamespace: openshift-marketplace
` + extra
}

const ogHeader = `apiVersion: operators.coreos.com/v1
kind: OperatorGroup
metadata:
  name: og
  namespace: operators
`

func TestValidateObject(t *testing.T) {
	tests := []struct {
		name   string
		src    string // YAML source, or
		file   string // a fixture in testdata/schema
		want   []string
		wantOK bool
	}{
		{
			name:   "subscription minimal",
			src:    sub(""),
			wantOK: true,
		},
		{
			name:   "subscription full",
			file:   "subscription-full.yaml",
			wantOK: true,
		},
		{
			name: "subscription missing spec.name",
			src: subHeader + `spec:
  channel: stable
  source: redhat-operators
  sourceNamespace: openshift-marketplace
`,
			want:   []string{"spec.name: Required value"},
			wantOK: true,
		},
		{
			// The CRD requires name, source and sourceNamespace; channel,
			// startingCSV, installPlanApproval and config are optional.
			name: "subscription missing source and sourceNamespace",
			src: subHeader + `spec:
  name: foo
  channel: stable
`,
			want: []string{
				"spec.source: Required value",
				"spec.sourceNamespace: Required value",
			},
			wantOK: true,
		},
		{
			name:   "subscription missing spec",
			src:    subHeader,
			want:   []string{"spec: Required value"},
			wantOK: true,
		},
		{
			name:   "subscription unknown field spec.chanel",
			src:    sub("  chanel: stable\n"),
			want:   []string{"spec.chanel: unknown field"},
			wantOK: true,
		},
		{
			name:   "unknown top-level field",
			src:    sub("") + "specs: {}\n",
			want:   []string{"specs: unknown field"},
			wantOK: true,
		},
		{
			// The v0.45.0 Subscription CRD declares installPlanApproval as a
			// plain string (no enum), so the API server accepts "automatic";
			// ValidApproval is the check for the two values OLM knows.
			name:   "subscription installPlanApproval automatic passes the schema",
			src:    sub("  installPlanApproval: automatic\n"),
			wantOK: true,
		},
		{
			name:   "subscription channel as integer",
			src:    sub("  channel: 1\n"),
			want:   []string{`spec.channel: Invalid value: "integer": spec.channel in body must be of type string: "integer"`},
			wantOK: true,
		},
		{
			name:   "subscription channel as quoted number is a string",
			src:    sub("  channel: \"1.12\"\n"),
			wantOK: true,
		},
		{
			name: "subscription config.env valid",
			src: sub(`  config:
    env:
      - name: A
        value: "1"
      - name: B
      - name: C
        valueFrom:
          secretKeyRef:
            name: s
            key: k
            optional: true
`),
			wantOK: true,
		},
		{
			name: "subscription config.env invalid items",
			src: sub(`  config:
    env:
      - value: x
      - name: B
        value: 2
      - name: C
        valuFrom: {}
      - name: D
        valueFrom:
          configMapKeyRef:
            name: cm
      - just-a-string
`),
			want: []string{
				`spec.config.env[0].name: Required value`,
				`spec.config.env[1].value: Invalid value: "integer": spec.config.env[1].value in body must be of type string: "integer"`,
				`spec.config.env[2].valuFrom: unknown field`,
				`spec.config.env[3].valueFrom.configMapKeyRef.key: Required value`,
				`spec.config.env[4]: Invalid value: "string": spec.config.env[4] in body must be of type object: "string"`,
			},
			wantOK: true,
		},
		{
			name: "subscription config.env a mapping",
			src: sub(`  config:
    env:
      A: "1"
`),
			want:   []string{`spec.config.env: Invalid value: "object": spec.config.env in body must be of type array: "object"`},
			wantOK: true,
		},
		{
			name: "subscription resources int-or-string and pattern",
			src: sub(`  config:
    resources:
      limits:
        cpu: 2
        memory: 1Gx
      requests:
        cpu: true
        memory: 0.5
`),
			want: []string{
				`spec.config.resources.limits.memory: Invalid value: "1Gx": spec.config.resources.limits.memory in body should match '^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$'`,
				`spec.config.resources.requests.cpu: Invalid value: "boolean": spec.config.resources.requests.cpu in body must be of type integer or string: "boolean"`,
				`spec.config.resources.requests.memory: Invalid value: "number": spec.config.resources.requests.memory in body must be of type integer or string: "number"`,
			},
			wantOK: true,
		},
		{
			name:   "subscription null optional field is pruned",
			src:    sub("  channel: null\n  config: ~\n"),
			wantOK: true,
		},
		{
			name: "subscription null required field is missing",
			src: subHeader + `spec:
  name: ~
  source: redhat-operators
  sourceNamespace: openshift-marketplace
`,
			want:   []string{"spec.name: Required value"},
			wantOK: true,
		},
		{
			name: "subscription null env item",
			src: sub(`  config:
    env:
      - null
`),
			want:   []string{`spec.config.env[0]: Invalid value: "null": spec.config.env[0] in body must be of type object: "null"`},
			wantOK: true,
		},
		{
			name:   "subscription duplicate field",
			src:    sub("  channel: a\n  channel: b\n"),
			want:   []string{"spec.channel: duplicate field"},
			wantOK: true,
		},
		{
			name:   "subscription status is ignored",
			src:    sub("") + "status:\n  bogus: 1\n",
			wantOK: true,
		},
		{
			name: "subscription aliases are followed",
			src: `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: &n foo
spec:
  name: *n
  source: &src 7
  sourceNamespace: *src
`,
			want: []string{
				`spec.source: Invalid value: "integer": spec.source in body must be of type string: "integer"`,
				`spec.sourceNamespace: Invalid value: "integer": spec.sourceNamespace in body must be of type string: "integer"`,
			},
			wantOK: true,
		},
		{
			name: "metadata missing name",
			src: `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  namespace: operators
spec: {name: foo, source: s, sourceNamespace: ns}
`,
			want:   []string{"metadata.name: Required value: name or generateName is required"},
			wantOK: true,
		},
		{
			name: "metadata generateName",
			src: `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  generateName: foo-
spec: {name: foo, source: s, sourceNamespace: ns}
`,
			wantOK: true,
		},
		{
			name: "metadata missing",
			src: `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
spec: {name: foo, source: s, sourceNamespace: ns}
`,
			want:   []string{"metadata: Required value"},
			wantOK: true,
		},
		{
			name: "metadata bad types and unknown field",
			src: `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: 42
  namespace: [a]
  labels:
    version: 1.0
    ok: "yes"
  annotations: note
  finalizers: [a, 1]
  generation: 1
  lables: {}
spec: {name: foo, source: s, sourceNamespace: ns}
`,
			want: []string{
				`metadata.annotations: Invalid value: "string": metadata.annotations in body must be of type object: "string"`,
				`metadata.finalizers[1]: Invalid value: "integer": metadata.finalizers[1] in body must be of type string: "integer"`,
				`metadata.labels.version: Invalid value: "number": metadata.labels.version in body must be of type string: "number"`,
				`metadata.lables: unknown field`,
				`metadata.name: Invalid value: "integer": metadata.name in body must be of type string: "integer"`,
				`metadata.namespace: Invalid value: "array": metadata.namespace in body must be of type string: "array"`,
			},
			wantOK: true,
		},
		{
			name:   "operatorgroup valid with targetNamespaces",
			file:   "operatorgroup.yaml",
			wantOK: true,
		},
		{
			name:   "operatorgroup without spec",
			src:    ogHeader,
			wantOK: true,
		},
		{
			name: "operatorgroup targetNamespaces a string",
			src: ogHeader + `spec:
  targetNamespaces: kafka
`,
			want:   []string{`spec.targetNamespaces: Invalid value: "string": spec.targetNamespaces in body must be of type array: "string"`},
			wantOK: true,
		},
		{
			name: "operatorgroup upgradeStrategy not in enum",
			src: ogHeader + `spec:
  upgradeStrategy: default
`,
			want:   []string{`spec.upgradeStrategy: Unsupported value: "default": supported values: "Default", "TechPreviewUnsafeFailForward"`},
			wantOK: true,
		},
		{
			name: "operatorgroup selector",
			src: ogHeader + `spec:
  selector:
    matchLabels:
      team: a
      n: 1
    matchExpressions:
      - key: team
        operator: In
        values: [a, b]
      - key: x
`,
			want: []string{
				`spec.selector.matchExpressions[1].operator: Required value`,
				`spec.selector.matchLabels.n: Invalid value: "integer": spec.selector.matchLabels.n in body must be of type string: "integer"`,
			},
			wantOK: true,
		},
		{
			name: "operatorgroup v1alpha2 is served",
			src: `apiVersion: operators.coreos.com/v1alpha2
kind: OperatorGroup
metadata: {name: og}
spec:
  targetNamespaces: [a]
`,
			wantOK: true,
		},
		{
			// operators.coreos.com serves Subscription only as v1alpha1: the
			// group and kind are OLM's, so it is reported, not skipped.
			name:   "subscription apiVersion operators.coreos.com/v1",
			src:    strings.Replace(sub(""), "operators.coreos.com/v1alpha1", "operators.coreos.com/v1", 1),
			want:   []string{`apiVersion: Unsupported value: "operators.coreos.com/v1": supported values: "operators.coreos.com/v1alpha1"`},
			wantOK: true,
		},
		{
			name:   "operatorgroup apiVersion operators.coreos.com/v1alpha1",
			src:    strings.Replace(ogHeader, "operators.coreos.com/v1", "operators.coreos.com/v1alpha1", 1),
			want:   []string{`apiVersion: Unsupported value: "operators.coreos.com/v1alpha1": supported values: "operators.coreos.com/v1", "operators.coreos.com/v1alpha2"`},
			wantOK: true,
		},
		{
			// A bare "v1" is the core group, which has no Subscription.
			name: "subscription apiVersion v1 is not OLM's",
			src:  strings.Replace(sub(""), "operators.coreos.com/v1alpha1", "v1", 1),
		},
		{
			name: "unknown kind",
			src:  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n",
		},
		{
			name: "other OLM kind",
			src:  "apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nmetadata: {name: x}\n",
		},
		{
			name: "kind not a string",
			src:  "apiVersion: operators.coreos.com/v1alpha1\nkind: [Subscription]\n",
		},
		{
			name: "no kind",
			src:  "apiVersion: operators.coreos.com/v1alpha1\n",
		},
		{
			name: "not a mapping",
			src:  "- a\n- b\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if tt.file != "" {
				src = readSchemaFixture(t, tt.file)
			}
			doc := parseYAML(t, src)
			for _, node := range []*yaml.Node{doc, doc.Content[0]} {
				errs, ok := ValidateObject(node)
				if ok != tt.wantOK {
					t.Fatalf("ok = %v, want %v (errors %q)", ok, tt.wantOK, errorStrings(errs))
				}
				if got := errorStrings(errs); !slices.Equal(got, tt.want) {
					t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
				}
			}
		})
	}
}

func TestValidateObjectNil(t *testing.T) {
	if errs, ok := ValidateObject(nil); ok || errs != nil {
		t.Errorf("ValidateObject(nil) = %v, %v", errs, ok)
	}
	if errs, ok := ValidateObject(&yaml.Node{Kind: yaml.DocumentNode}); ok || errs != nil {
		t.Errorf("ValidateObject(empty document) = %v, %v", errs, ok)
	}
}

func TestValidateObjectSorted(t *testing.T) {
	var env strings.Builder
	env.WriteString("  config:\n    env:\n")
	for i := range 12 {
		if i%5 == 0 {
			fmt.Fprintf(&env, "      - {name: n%d, value: %d}\n", i, i)
		} else {
			fmt.Fprintf(&env, "      - {name: n%d}\n", i)
		}
	}
	src := strings.Replace(sub(env.String()+"  zzz: 1\n  aaa: 1\n"), "name: foo\n  namespace", "name: foo\n  zone: x\n  namespace", 1)
	errs, ok := ValidateObject(parseYAML(t, src))
	if !ok {
		t.Fatal("ok = false")
	}
	want := []string{
		"metadata.zone: unknown field",
		"spec.aaa: unknown field",
		`spec.config.env[0].value: Invalid value: "integer": spec.config.env[0].value in body must be of type string: "integer"`,
		`spec.config.env[5].value: Invalid value: "integer": spec.config.env[5].value in body must be of type string: "integer"`,
		`spec.config.env[10].value: Invalid value: "integer": spec.config.env[10].value in body must be of type string: "integer"`,
		"spec.zzz: unknown field",
	}
	if got := errorStrings(errs); !slices.Equal(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

func TestValidateObjectAliasBomb(t *testing.T) {
	// Three nested lists of 200 aliases each: 8 million nodes if fully
	// walked, from a few kilobytes of YAML.
	rep := func(s string) string { return "[" + strings.Repeat(s+", ", 199) + s + "]" }
	src := "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: x}\n" +
		"v: &v " + rep("x") + "\n" +
		"e: &e {key: k, operator: In, values: *v}\n" +
		"es: &es " + rep("*e") + "\n" +
		"term: &term {matchExpressions: *es}\n" +
		"spec:\n  name: foo\n  source: s\n  sourceNamespace: ns\n" +
		"  config:\n    affinity:\n      nodeAffinity:\n        requiredDuringSchedulingIgnoredDuringExecution:\n" +
		"          nodeSelectorTerms: " + rep("*term") + "\n"
	errs, ok := ValidateObject(parseYAML(t, src))
	if !ok {
		t.Fatal("ok = false")
	}
	if len(errs) == 0 || errs[0].Field() != "" || !strings.HasPrefix(errs[0].Message, "Too many:") {
		t.Errorf("want a budget error first, got %q", errorStrings(errs[:min(len(errs), 3)]))
	}
}

func TestValidateObjectConcurrent(t *testing.T) {
	srcs := []string{readSchemaFixture(t, "subscription-full.yaml"), readSchemaFixture(t, "operatorgroup.yaml"), sub("  chanel: x\n")}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			node := parseYAML(t, srcs[i%len(srcs)])
			for range 5 {
				if _, ok := ValidateObject(node); !ok {
					t.Error("ok = false")
				}
			}
		})
	}
	wg.Wait()
}

// TestValidateConstraints exercises the keywords the OLM CRDs use only in
// status (which ValidateObject skips) on hand-written schemas.
func TestValidateConstraints(t *testing.T) {
	i64 := func(n int64) *int64 { return &n }
	f64 := func(f float64) *float64 { return &f }
	tr := true
	tests := []struct {
		name   string
		schema apiextensionsv1.JSONSchemaProps
		src    string
		want   []string
	}{
		{
			name:   "minLength",
			schema: apiextensionsv1.JSONSchemaProps{Type: "string", MinLength: i64(1)},
			src:    `""`,
			want:   []string{`x: Invalid value: "": x in body should be at least 1 chars long`},
		},
		{
			name:   "maxLength counts characters",
			schema: apiextensionsv1.JSONSchemaProps{Type: "string", MaxLength: i64(3)},
			src:    "äöü",
		},
		{
			name:   "maxLength",
			schema: apiextensionsv1.JSONSchemaProps{Type: "string", MaxLength: i64(3)},
			src:    "abcd",
			want:   []string{`x: Too long: may not be more than 3 bytes`},
		},
		{
			name:   "pattern",
			schema: apiextensionsv1.JSONSchemaProps{Type: "string", Pattern: `^[a-z]+$`},
			src:    "Abc",
			want:   []string{`x: Invalid value: "Abc": x in body should match '^[a-z]+$'`},
		},
		{
			name:   "minimum",
			schema: apiextensionsv1.JSONSchemaProps{Type: "integer", Minimum: f64(0)},
			src:    "-1",
			want:   []string{`x: Invalid value: -1: x in body should be greater than or equal to 0`},
		},
		{
			name:   "exclusive maximum",
			schema: apiextensionsv1.JSONSchemaProps{Type: "number", Maximum: f64(1.5), ExclusiveMaximum: true},
			src:    "1.5",
			want:   []string{`x: Invalid value: 1.5: x in body should be less than 1.5`},
		},
		{
			name:   "integer is a number",
			schema: apiextensionsv1.JSONSchemaProps{Type: "number", Maximum: f64(10)},
			src:    "0x0A",
		},
		{
			name:   "whole float is an integer",
			schema: apiextensionsv1.JSONSchemaProps{Type: "integer"},
			src:    "3.0",
		},
		{
			name:   "fraction is not an integer",
			schema: apiextensionsv1.JSONSchemaProps{Type: "integer"},
			src:    "3.5",
			want:   []string{`x: Invalid value: "number": x in body must be of type integer: "number"`},
		},
		{
			name:   "timestamp is a string",
			schema: apiextensionsv1.JSONSchemaProps{Type: "string"},
			src:    "2024-01-02T03:04:05Z",
		},
		{
			name:   "boolean",
			schema: apiextensionsv1.JSONSchemaProps{Type: "boolean"},
			src:    `"true"`,
			want:   []string{`x: Invalid value: "string": x in body must be of type boolean: "string"`},
		},
		{
			name:   "nullable",
			schema: apiextensionsv1.JSONSchemaProps{Type: "string", Nullable: true},
			src:    "null",
		},
		{
			name:   "integer enum",
			schema: apiextensionsv1.JSONSchemaProps{Type: "integer", Enum: []apiextensionsv1.JSON{{Raw: []byte("1")}, {Raw: []byte("2")}}},
			src:    "3",
			want:   []string{`x: Unsupported value: 3: supported values: "1", "2"`},
		},
		{
			name:   "minItems and maxItems",
			schema: apiextensionsv1.JSONSchemaProps{Type: "array", MinItems: i64(2), Items: &apiextensionsv1.JSONSchemaPropsOrArray{Schema: &apiextensionsv1.JSONSchemaProps{Type: "string"}}},
			src:    "[a]",
			want:   []string{`x: Invalid value: 1: x in body should have at least 2 items`},
		},
		{
			name:   "maxItems",
			schema: apiextensionsv1.JSONSchemaProps{Type: "array", MaxItems: i64(1)},
			src:    "[a, b]",
			want:   []string{`x: Too many: 2: must have at most 1 item`},
		},
		{
			name:   "preserve unknown fields",
			schema: apiextensionsv1.JSONSchemaProps{Type: "object", XPreserveUnknownFields: &tr, Properties: map[string]apiextensionsv1.JSONSchemaProps{"a": {Type: "string"}}},
			src:    "{a: 1, b: {c: d}}",
			want:   []string{`x.a: Invalid value: "integer": x.a in body must be of type string: "integer"`},
		},
		{
			name:   "additionalProperties true",
			schema: apiextensionsv1.JSONSchemaProps{Type: "object", AdditionalProperties: &apiextensionsv1.JSONSchemaPropsOrBool{Allows: true}},
			src:    "{a: 1, b: [c]}",
		},
		{
			name: "required with default",
			schema: apiextensionsv1.JSONSchemaProps{
				Type:       "object",
				Required:   []string{"a", "b"},
				Properties: map[string]apiextensionsv1.JSONSchemaProps{"a": {Type: "string", Default: &apiextensionsv1.JSON{Raw: []byte(`"x"`)}}, "b": {Type: "string"}},
			},
			src:  "{}",
			want: []string{`x.b: Required value`},
		},
		{
			name:   "untyped accepts anything",
			schema: apiextensionsv1.JSONSchemaProps{},
			src:    "[1, {a: b}]",
		},
		{
			name:   "object keys must be strings",
			schema: apiextensionsv1.JSONSchemaProps{Type: "object", XPreserveUnknownFields: &tr},
			src:    "? [a]\n: b\n",
			want:   []string{`x: Invalid value: "array": object keys must be strings`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseYAML(t, tt.src)
			v := &validator{budget: maxVisits}
			v.validate(doc.Content[0], &tt.schema, []string{"x"})
			if got := errorStrings(v.errs); !slices.Equal(got, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSchemaErrorField(t *testing.T) {
	tests := []struct {
		name      string
		err       SchemaError
		wantField string
		wantError string
	}{
		{name: "key", err: SchemaError{Path: []string{"spec", "channel"}, Message: "Required value"}, wantField: "spec.channel", wantError: "spec.channel: Required value"},
		{name: "index", err: SchemaError{Path: []string{"spec", "config", "env", "[0]", "name"}, Message: "m"}, wantField: "spec.config.env[0].name", wantError: "spec.config.env[0].name: m"},
		{name: "root", err: SchemaError{Message: "m"}, wantField: "", wantError: "m"},
		{name: "key like an index", err: SchemaError{Path: []string{"a", "[x]"}, Message: "m"}, wantField: "a.[x]", wantError: "a.[x]: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Field(); got != tt.wantField {
				t.Errorf("Field() = %q, want %q", got, tt.wantField)
			}
			if got := tt.err.Error(); got != tt.wantError {
				t.Errorf("Error() = %q, want %q", got, tt.wantError)
			}
		})
	}
}

func FuzzValidateObject(f *testing.F) {
	for _, s := range []string{
		sub(""),
		sub("  chanel: x\n  channel: 1\n  installPlanApproval: automatic\n"),
		sub("  config:\n    env:\n      - {name: a, value: 1}\n      - b\n    resources: {limits: {cpu: true}}\n"),
		ogHeader + "spec:\n  targetNamespaces: kafka\n  upgradeStrategy: default\n",
		"apiVersion: operators.coreos.com/v1alpha2\nkind: OperatorGroup\nmetadata: &m {name: a}\nspec: {selector: *m}\n",
		"apiVersion: operators.coreos.com/v1\nkind: Subscription\n",
		"apiVersion: v1\nkind: ConfigMap\n",
		"[a]\n",
		"",
	} {
		f.Add([]byte(s))
	}
	for _, name := range []string{"subscription-full.yaml", "operatorgroup.yaml"} {
		f.Add([]byte(readSchemaFixture(f, name)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return
		}
		errs, ok := ValidateObject(&doc)
		if !ok && errs != nil {
			t.Fatalf("ok = false with errors %q", errorStrings(errs))
		}
		for i, e := range errs {
			if e.Message == "" {
				t.Fatalf("error %d has no message: %+v", i, e)
			}
			if i > 0 && compareSchemaErrors(errs[i-1], e) >= 0 {
				t.Fatalf("errors not sorted and unique at %d: %q", i, errorStrings(errs))
			}
		}
		again, ok2 := ValidateObject(&doc)
		if ok2 != ok || !slices.Equal(errorStrings(again), errorStrings(errs)) {
			t.Fatalf("not deterministic: %v %q then %v %q", ok, errorStrings(errs), ok2, errorStrings(again))
		}
	})
}

func ExampleValidateObject() {
	const src = `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: openshift-gitops-operator
  namespace: openshift-operators
spec:
  chanel: gitops-1.12
  name: openshift-gitops-operator
  source: redhat-operators
`
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		panic(err)
	}
	errs, ok := ValidateObject(&doc)
	fmt.Println("has schema:", ok)
	for _, e := range errs {
		fmt.Println(e.Error())
	}

	var cm yaml.Node
	_ = yaml.Unmarshal([]byte("apiVersion: v1\nkind: ConfigMap\n"), &cm)
	_, ok = ValidateObject(&cm)
	fmt.Println("ConfigMap has schema:", ok)
	// Output:
	// has schema: true
	// spec.chanel: unknown field
	// spec.sourceNamespace: Required value
	// ConfigMap has schema: false
}
