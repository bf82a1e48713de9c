package olm

import (
	"bytes"
	"encoding/json"
	"fmt"

	sigsyaml "sigs.k8s.io/yaml"
)

// Marshal writes an object built here (NewSubscription, NewOperatorGroup)
// or any other Kubernetes object as a YAML manifest, as sigs.k8s.io/yaml
// does, without what the Go types add to an object nobody has applied: a
// status whose fields are all null or empty (the OLM types write
// `status: {lastUpdated: null}`), and a null metadata.creationTimestamp. A
// status that holds something is kept. Keys come sorted, as from
// sigs.k8s.io/yaml.
func Marshal(obj any) ([]byte, error) {
	j, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("unable to marshal %T: %w", obj, err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("unable to marshal %T: %w", obj, err)
	}
	if m, ok := v.(map[string]any); ok {
		if s, ok := m["status"]; ok && empty(s) {
			delete(m, "status")
		}
		if md, ok := m["metadata"].(map[string]any); ok {
			if ts, ok := md["creationTimestamp"]; ok && ts == nil {
				delete(md, "creationTimestamp")
			}
		}
		if j, err = json.Marshal(m); err != nil {
			return nil, fmt.Errorf("unable to marshal %T: %w", obj, err)
		}
	}
	return sigsyaml.JSONToYAML(j)
}

// empty reports whether a decoded JSON value holds nothing but nulls,
// empty objects and empty lists.
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case map[string]any:
		for _, x := range v {
			if !empty(x) {
				return false
			}
		}
		return true
	case []any:
		return len(v) == 0
	}
	return false
}
