package olm

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/operator-framework/api/crds"
	"go.yaml.in/yaml/v3"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

// The CRDs are embedded in github.com/operator-framework/api/crds and parsed
// on first use only: nothing is decoded at package initialisation, and an
// OperatorGroup check never parses the (much larger) Subscription CRD.
var (
	subscriptionCRD  = sync.OnceValue(crds.Subscription)
	operatorGroupCRD = sync.OnceValue(crds.OperatorGroup)
)

// maxVisits bounds the number of YAML nodes one ValidateObject call walks, so
// that a document whose aliases expand exponentially cannot stall it.
const maxVisits = 1 << 20

// SchemaError is one violation, with the path of the offending field as a
// list of keys/indices.
//
// Path holds object keys as they are and array indices as "[i]" (for
// example "spec", "config", "env", "[0]", "name"); it is empty for an error
// about the object as a whole. Message is what the Kubernetes API server
// says after the field path, for example "Required value" or
// `Unsupported value: "default": supported values: "Default", "TechPreviewUnsafeFailForward"`.
type SchemaError struct {
	Path    []string
	Message string
}

// Field returns the path as the API server prints it: keys joined by dots,
// indices in brackets, for example "spec.channel" or
// "spec.config.env[0].name". It is empty when Path is.
func (e SchemaError) Field() string {
	var b strings.Builder
	for i, p := range e.Path {
		if i > 0 && !isIndexElem(p) {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// Error returns "field: message", the way the API server reports a field
// error, or just the message when the error has no path.
func (e SchemaError) Error() string {
	if f := e.Field(); f != "" {
		return f + ": " + e.Message
	}
	return e.Message
}

// ValidateObject validates obj (a go.yaml.in/yaml/v3 *yaml.Node mapping, as
// rendered by kustomize) against the CRD schema of its apiVersion/kind when
// it is a Subscription or OperatorGroup served by that CRD version; ok=false
// when opcat has no schema for it (other kinds).
//
// The schemas are the OpenAPI v3 schemas of the CRDs shipped in
// github.com/operator-framework/api/crds. ok is true exactly when kind is
// Subscription or OperatorGroup and the apiVersion's group is
// operators.coreos.com; an apiVersion of that group whose version the CRD
// does not serve (such as operators.coreos.com/v1 for a Subscription) gives
// ok=true and a single "Unsupported value" error on apiVersion listing the
// served versions. Any other group (including the core group of a bare
// "v1"), a missing or non-string apiVersion or kind, and a non-mapping obj
// give ok=false and no errors. A *yaml.Node DocumentNode is unwrapped.
//
// The check is structural and mirrors what an API server with strict field
// validation does on create:
//   - type (object, array, string, integer, number, boolean) from the YAML
//     tag of scalars (!!str, !!timestamp and !!binary count as string; an
//     integer is valid for number, a whole float for integer); nullable;
//     x-kubernetes-int-or-string;
//   - required (a missing field with a schema default is not an error, as
//     the server defaults it), enum, minLength, maxLength, pattern,
//     minimum, maximum, minItems, maxItems; format is ignored, and so are
//     anyOf, allOf, oneOf, not and x-kubernetes-validations rules;
//   - fields not in properties are reported as "unknown field" unless the
//     schema has x-kubernetes-preserve-unknown-fields or
//     additionalProperties (whose schema then validates the values);
//     a key given twice is a "duplicate field";
//   - a null value of an object field whose schema is not nullable counts
//     as absent, as the server prunes it; a null array item is a type error;
//   - metadata is checked by hand, as the CRD schema only says it is an
//     object: name is required unless generateName is set, the string,
//     integer and list fields of ObjectMeta must have that type, labels and
//     annotations must map to strings, and other keys are unknown fields;
//   - status is skipped when the CRD version has the status subresource,
//     as the server then ignores it on create.
//
// YAML aliases are followed; merge keys ("<<") are not expanded and so are
// unknown fields. Errors are sorted by path (indices numerically) and then
// by message. ValidateObject does not modify obj and is safe for concurrent
// use.
func ValidateObject(obj *yaml.Node) (errs []SchemaError, ok bool) {
	v := &validator{budget: maxVisits}
	root := v.resolve(obj)
	if root != nil && root.Kind == yaml.DocumentNode {
		if len(root.Content) != 1 {
			return nil, false
		}
		root = v.resolve(root.Content[0])
	}
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, false
	}
	apiVersion, okV := v.stringField(root, "apiVersion")
	kind, okK := v.stringField(root, "kind")
	if !okV || !okK {
		return nil, false
	}
	group, version, found := strings.Cut(apiVersion, "/")
	if !found || group != Group {
		return nil, false
	}
	var crd *apiextensionsv1.CustomResourceDefinition
	switch kind {
	case "Subscription":
		crd = subscriptionCRD()
	case "OperatorGroup":
		crd = operatorGroupCRD()
	default:
		return nil, false
	}
	return v.validateCRD(root, apiVersion, version, crd), true
}

// ValidateCRD validates obj against crd the way ValidateObject validates
// Subscriptions (see there for what is checked), for any CustomResource
// Definition: ok is false when obj is not a mapping with string apiVersion
// and kind of crd's group and kind. An apiVersion of the group that crd
// does not serve is one "Unsupported value" error on apiVersion.
func ValidateCRD(obj *yaml.Node, crd *apiextensionsv1.CustomResourceDefinition) (errs []SchemaError, ok bool) {
	v := &validator{budget: maxVisits}
	root := v.resolve(obj)
	if root != nil && root.Kind == yaml.DocumentNode {
		if len(root.Content) != 1 {
			return nil, false
		}
		root = v.resolve(root.Content[0])
	}
	if root == nil || root.Kind != yaml.MappingNode || crd == nil {
		return nil, false
	}
	apiVersion, okV := v.stringField(root, "apiVersion")
	kind, okK := v.stringField(root, "kind")
	if !okV || !okK {
		return nil, false
	}
	group, version, found := strings.Cut(apiVersion, "/")
	if !found || group != crd.Spec.Group || kind != crd.Spec.Names.Kind {
		return nil, false
	}
	return v.validateCRD(root, apiVersion, version, crd), true
}

// validateCRD checks root against the schema of the version of crd that
// apiVersion names.
func (v *validator) validateCRD(root *yaml.Node, apiVersion, version string, crd *apiextensionsv1.CustomResourceDefinition) []SchemaError {
	var served []string
	var ver *apiextensionsv1.CustomResourceDefinitionVersion
	for i := range crd.Spec.Versions {
		cv := &crd.Spec.Versions[i]
		if !cv.Served {
			continue
		}
		served = append(served, crd.Spec.Group+"/"+cv.Name)
		if cv.Name == version {
			ver = cv
		}
	}
	if ver == nil || ver.Schema == nil || ver.Schema.OpenAPIV3Schema == nil {
		return []SchemaError{{
			Path:    []string{"apiVersion"},
			Message: unsupported(strconv.Quote(apiVersion), served),
		}}
	}
	v.skipStatus = ver.Subresources != nil && ver.Subresources.Status != nil
	v.validate(root, ver.Schema.OpenAPIV3Schema, nil)

	slices.SortFunc(v.errs, compareSchemaErrors)
	v.errs = slices.CompactFunc(v.errs, func(a, b SchemaError) bool { return compareSchemaErrors(a, b) == 0 })
	return v.errs
}

// validator holds the state of one ValidateObject call.
type validator struct {
	errs       []SchemaError
	budget     int
	exhausted  bool
	skipStatus bool
	patterns   map[string]*regexp.Regexp
}

// resolve follows aliases and charges one visit against the budget; it
// returns nil for a nil node or once the budget is spent.
func (v *validator) resolve(n *yaml.Node) *yaml.Node {
	for hops := 0; n != nil && n.Kind == yaml.AliasNode; hops++ {
		if hops > 64 {
			return nil
		}
		n = n.Alias
	}
	if n == nil {
		return nil
	}
	if v.budget <= 0 {
		if !v.exhausted {
			v.exhausted = true
			v.errs = append(v.errs, SchemaError{Message: fmt.Sprintf("Too many: more than %d YAML nodes after alias expansion", maxVisits)})
		}
		return nil
	}
	v.budget--
	return n
}

// stringField returns the value of key in mapping m when it is a string
// scalar; the last occurrence wins, as in a lenient JSON decoder.
func (v *validator) stringField(m *yaml.Node, key string) (string, bool) {
	var val *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := v.resolve(m.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
			val = m.Content[i+1]
		}
	}
	val = v.resolve(val)
	if val == nil || nodeType(val) != "string" {
		return "", false
	}
	return val.Value, true
}

func (v *validator) add(path []string, msg string) {
	v.errs = append(v.errs, SchemaError{Path: path, Message: msg})
}

// validate checks node n against schema s; path is where n sits.
func (v *validator) validate(n *yaml.Node, s *apiextensionsv1.JSONSchemaProps, path []string) {
	n = v.resolve(n)
	if n == nil {
		return
	}
	got := nodeType(n)
	if got == "null" && (s.Nullable || (s.Type == "" && !s.XIntOrString)) {
		return
	}
	switch {
	case s.XIntOrString:
		if got != "integer" && got != "string" {
			v.add(path, typeInvalid(path, "integer or string", got))
			return
		}
	case s.Type != "":
		if !typeMatches(s.Type, got, n) {
			v.add(path, typeInvalid(path, s.Type, got))
			return
		}
	}

	switch n.Kind {
	case yaml.MappingNode:
		v.validateObject(n, s, path)
	case yaml.SequenceNode:
		v.validateArray(n, s, path)
	case yaml.ScalarNode:
		v.validateScalar(n, got, s, path)
	}
}

// validateObject checks the fields of mapping n against s.
func (v *validator) validateObject(n *yaml.Node, s *apiextensionsv1.JSONSchemaProps, path []string) {
	preserve := s.XPreserveUnknownFields != nil && *s.XPreserveUnknownFields
	var additional *apiextensionsv1.JSONSchemaProps
	allowAdditional := false
	if ap := s.AdditionalProperties; ap != nil {
		additional = ap.Schema
		allowAdditional = ap.Allows || ap.Schema != nil
	}
	present := make(map[string]bool, len(n.Content)/2)
	complete := v.eachField(n, path, func(key string, p []string, val *yaml.Node) bool {
		if len(path) == 0 {
			switch key {
			case "metadata":
				if r := v.resolve(val); r != nil && nodeType(r) != "null" {
					present[key] = true
					v.validateMetadata(r, p)
				}
				return true
			case "status":
				if v.skipStatus {
					present[key] = true
					return true
				}
			}
		}

		var ps *apiextensionsv1.JSONSchemaProps
		if prop, ok := s.Properties[key]; ok {
			ps = &prop
		} else if additional != nil {
			ps = additional
		}
		switch {
		case ps != nil:
			if r := v.resolve(val); r != nil && nodeType(r) == "null" && !ps.Nullable {
				// The API server prunes nulls of non-nullable fields.
				return true
			}
			present[key] = true
			v.validate(val, ps, p)
		case preserve || allowAdditional:
			present[key] = true
		default:
			v.add(p, "unknown field")
		}
		return true
	})
	if !complete {
		return
	}
	for _, r := range s.Required {
		if present[r] {
			continue
		}
		if prop, ok := s.Properties[r]; ok && prop.Default != nil {
			continue
		}
		v.add(appendPath(path, r), "Required value")
	}
}

// validateArray checks the items of sequence n against s.
func (v *validator) validateArray(n *yaml.Node, s *apiextensionsv1.JSONSchemaProps, path []string) {
	size := int64(len(n.Content))
	if s.MinItems != nil && size < *s.MinItems {
		v.add(path, fmt.Sprintf("Invalid value: %d: %s in body should have at least %d items", size, fieldOf(path), *s.MinItems))
	}
	if s.MaxItems != nil && size > *s.MaxItems {
		v.add(path, fmt.Sprintf("Too many: %d: must have at most %d %s", size, *s.MaxItems, plural(*s.MaxItems, "item", "items")))
	}
	if s.Items == nil {
		return
	}
	for i, item := range n.Content {
		var is *apiextensionsv1.JSONSchemaProps
		switch {
		case s.Items.Schema != nil:
			is = s.Items.Schema
		case i < len(s.Items.JSONSchemas):
			is = &s.Items.JSONSchemas[i]
		default:
			continue
		}
		v.validate(item, is, appendPath(path, "["+strconv.Itoa(i)+"]"))
	}
}

// validateScalar checks enum, string and number constraints of scalar n,
// whose JSON type is got.
func (v *validator) validateScalar(n *yaml.Node, got string, s *apiextensionsv1.JSONSchemaProps, path []string) {
	val, bad := scalarValue(n, got)
	if len(s.Enum) > 0 && !enumContains(s.Enum, val) {
		values := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			var ev any
			if json.Unmarshal(e.Raw, &ev) == nil {
				if str, ok := ev.(string); ok {
					values[i] = strconv.Quote(str)
					continue
				}
			}
			values[i] = strconv.Quote(string(e.Raw))
		}
		v.add(path, "Unsupported value: "+bad+": supported values: "+strings.Join(values, ", "))
	}
	switch val := val.(type) {
	case string:
		length := int64(utf8.RuneCountInString(val))
		if s.MinLength != nil && length < *s.MinLength {
			v.add(path, fmt.Sprintf("Invalid value: %s: %s in body should be at least %d chars long", bad, fieldOf(path), *s.MinLength))
		}
		if s.MaxLength != nil && length > *s.MaxLength {
			v.add(path, fmt.Sprintf("Too long: may not be more than %d %s", *s.MaxLength, plural(*s.MaxLength, "byte", "bytes")))
		}
		if s.Pattern != "" {
			if re := v.pattern(s.Pattern); re != nil && !re.MatchString(val) {
				v.add(path, fmt.Sprintf("Invalid value: %s: %s in body should match '%s'", bad, fieldOf(path), s.Pattern))
			}
		}
	case float64:
		if s.Minimum != nil {
			if s.ExclusiveMinimum && val <= *s.Minimum {
				v.add(path, fmt.Sprintf("Invalid value: %s: %s in body should be greater than %v", bad, fieldOf(path), *s.Minimum))
			} else if !s.ExclusiveMinimum && val < *s.Minimum {
				v.add(path, fmt.Sprintf("Invalid value: %s: %s in body should be greater than or equal to %v", bad, fieldOf(path), *s.Minimum))
			}
		}
		if s.Maximum != nil {
			if s.ExclusiveMaximum && val >= *s.Maximum {
				v.add(path, fmt.Sprintf("Invalid value: %s: %s in body should be less than %v", bad, fieldOf(path), *s.Maximum))
			} else if !s.ExclusiveMaximum && val > *s.Maximum {
				v.add(path, fmt.Sprintf("Invalid value: %s: %s in body should be less than or equal to %v", bad, fieldOf(path), *s.Maximum))
			}
		}
	}
}

// pattern compiles an ECMA-262 pattern as a Go regexp, caching it for the
// call; a pattern RE2 cannot compile is not checked.
func (v *validator) pattern(p string) *regexp.Regexp {
	if re, ok := v.patterns[p]; ok {
		return re
	}
	if v.patterns == nil {
		v.patterns = make(map[string]*regexp.Regexp)
	}
	re, err := regexp.Compile(p)
	if err != nil {
		re = nil
	}
	v.patterns[p] = re
	return re
}

// metadataFieldType gives the JSON type of ObjectMeta field key, and
// whether key is an ObjectMeta field at all.
func metadataFieldType(key string) (string, bool) {
	switch key {
	case "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp":
		return "string", true
	case "generation", "deletionGracePeriodSeconds":
		return "integer", true
	case "labels", "annotations":
		return "object", true
	case "finalizers", "ownerReferences", "managedFields":
		return "array", true
	}
	return "", false
}

// validateMetadata checks metadata node n (already resolved, not null) the
// way decoding into ObjectMeta would.
func (v *validator) validateMetadata(n *yaml.Node, path []string) {
	if n.Kind != yaml.MappingNode {
		v.add(path, typeInvalid(path, "object", nodeType(n)))
		return
	}
	hasName := false
	complete := v.eachField(n, path, func(key string, p []string, raw *yaml.Node) bool {
		want, known := metadataFieldType(key)
		if !known {
			v.add(p, "unknown field")
			return true
		}
		val := v.resolve(raw)
		if val == nil {
			return false
		}
		got := nodeType(val)
		if got == "null" {
			// Decoding null into ObjectMeta leaves the field unset.
			return true
		}
		if !typeMatches(want, got, val) {
			// A name of the wrong type is reported as such, not as missing.
			hasName = hasName || key == "name" || key == "generateName"
			v.add(p, typeInvalid(p, want, got))
			return true
		}
		switch key {
		case "name", "generateName":
			hasName = hasName || val.Value != ""
		case "labels", "annotations":
			v.validateStringMap(val, p)
		case "finalizers":
			for j, item := range val.Content {
				item = v.resolve(item)
				if item == nil {
					return false
				}
				if t := nodeType(item); t != "string" {
					ip := appendPath(p, "["+strconv.Itoa(j)+"]")
					v.add(ip, typeInvalid(ip, "string", t))
				}
			}
		}
		return true
	})
	if !complete {
		return
	}
	if !hasName {
		v.add(appendPath(path, "name"), "Required value: name or generateName is required")
	}
}

// validateStringMap checks that mapping n maps keys to strings (or null).
func (v *validator) validateStringMap(n *yaml.Node, path []string) {
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := v.resolve(n.Content[i])
		if k == nil {
			return
		}
		if k.Kind != yaml.ScalarNode {
			v.add(path, fmt.Sprintf("Invalid value: %q: object keys must be strings", nodeType(k)))
			continue
		}
		p := appendPath(path, k.Value)
		if seen[k.Value] {
			v.add(p, "duplicate field")
			continue
		}
		seen[k.Value] = true
		val := v.resolve(n.Content[i+1])
		if val == nil {
			return
		}
		if t := nodeType(val); t != "string" && t != "null" {
			v.add(p, typeInvalid(p, "string", t))
		}
	}
}

// nodeType returns the JSON type of resolved node n: object, array, string,
// integer, number, boolean or null.
func nodeType(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int":
			return "integer"
		case "!!float":
			return "number"
		case "!!bool":
			return "boolean"
		case "!!null":
			return "null"
		}
		return "string"
	}
	return "null"
}

// typeMatches reports whether a node of JSON type got is valid for schema
// type want.
func typeMatches(want, got string, n *yaml.Node) bool {
	switch {
	case want == got:
		return true
	case want == "number" && got == "integer":
		return true
	case want == "integer" && got == "number":
		var f float64
		return n.Decode(&f) == nil && !math.IsInf(f, 0) && f == math.Trunc(f)
	}
	return false
}

// scalarValue returns the JSON value of scalar n (string, float64, bool or
// nil) and how the API server prints it in a message.
func scalarValue(n *yaml.Node, typ string) (any, string) {
	switch typ {
	case "integer", "number":
		var f float64
		if err := n.Decode(&f); err != nil {
			return n.Value, strconv.Quote(n.Value)
		}
		if typ == "integer" {
			var i int64
			if n.Decode(&i) == nil {
				return f, strconv.FormatInt(i, 10)
			}
		}
		return f, strconv.FormatFloat(f, 'g', -1, 64)
	case "boolean":
		var b bool
		if err := n.Decode(&b); err != nil {
			return n.Value, strconv.Quote(n.Value)
		}
		return b, strconv.FormatBool(b)
	case "null":
		return nil, "null"
	}
	return n.Value, strconv.Quote(n.Value)
}

// enumContains reports whether val is one of the JSON values in enum.
func enumContains(enum []apiextensionsv1.JSON, val any) bool {
	for _, e := range enum {
		var ev any
		if err := json.Unmarshal(e.Raw, &ev); err != nil {
			continue
		}
		if ev == val {
			return true
		}
	}
	return false
}

// typeInvalid is the API server's message for a value of the wrong type.
func typeInvalid(path []string, want, got string) string {
	return fmt.Sprintf("Invalid value: %q: %s in body must be of type %s: %q", got, fieldOf(path), want, got)
}

// unsupported is the API server's message for a value outside an enum.
func unsupported(bad string, supported []string) string {
	quoted := make([]string, len(supported))
	for i, s := range supported {
		quoted[i] = strconv.Quote(s)
	}
	return "Unsupported value: " + bad + ": supported values: " + strings.Join(quoted, ", ")
}

func fieldOf(path []string) string {
	return SchemaError{Path: path}.Field()
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// appendPath returns a new path: path followed by elem.
func appendPath(path []string, elem string) []string {
	return append(path[:len(path):len(path)], elem)
}

// isIndexElem reports whether path element p is an array index "[i]".
func isIndexElem(p string) bool {
	_, ok := indexOf(p)
	return ok
}

// indexOf parses path element "[i]".
func indexOf(p string) (int, bool) {
	if len(p) < 3 || p[0] != '[' || p[len(p)-1] != ']' {
		return 0, false
	}
	i, err := strconv.Atoi(p[1 : len(p)-1])
	if err != nil || i < 0 {
		return 0, false
	}
	return i, true
}

// compareSchemaErrors orders errors by path, element by element with
// indices compared as numbers and a prefix first, and then by message.
func compareSchemaErrors(a, b SchemaError) int {
	for i := 0; i < len(a.Path) && i < len(b.Path); i++ {
		ai, aok := indexOf(a.Path[i])
		bi, bok := indexOf(b.Path[i])
		var c int
		switch {
		case aok && bok:
			c = cmp.Compare(ai, bi)
		case aok != bok:
			// An index sorts before a key at the same depth.
			if aok {
				c = -1
			} else {
				c = 1
			}
		default:
			c = strings.Compare(a.Path[i], b.Path[i])
		}
		if c != 0 {
			return c
		}
	}
	if c := cmp.Compare(len(a.Path), len(b.Path)); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

// eachField walks the keys of mapping n as the API server decodes them: it
// reports keys that are not strings and keys given twice, and calls fn with
// each other key, its path and its value. It returns false, having stopped,
// at an alias it cannot resolve or when fn returns false.
func (v *validator) eachField(n *yaml.Node, path []string, fn func(key string, p []string, val *yaml.Node) bool) bool {
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := v.resolve(n.Content[i])
		if k == nil {
			return false
		}
		if k.Kind != yaml.ScalarNode {
			v.add(path, fmt.Sprintf("Invalid value: %q: object keys must be strings", nodeType(k)))
			continue
		}
		p := appendPath(path, k.Value)
		if seen[k.Value] {
			v.add(p, "duplicate field")
			continue
		}
		seen[k.Value] = true
		if !fn(k.Value, p, n.Content[i+1]) {
			return false
		}
	}
	return true
}
