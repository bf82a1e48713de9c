package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	operatorsv1 "github.com/operator-framework/api/pkg/operators/v1"
	"github.com/operator-framework/api/pkg/operators/v1alpha1"
	yaml "go.yaml.in/yaml/v3"
)

// Cluster is what a cluster has of OLM's objects.
type Cluster struct {
	Subscriptions  []v1alpha1.Subscription
	OperatorGroups []operatorsv1.OperatorGroup
	CSVs           []v1alpha1.ClusterServiceVersion
	InstallPlans   []v1alpha1.InstallPlan
	CatalogSources []v1alpha1.CatalogSource
}

// MaxDumpSize bounds the dump ParseDump reads.
const MaxDumpSize = 512 << 20

// ParseDump reads what `oc get subscriptions.operators.coreos.com,
// operatorgroups,clusterserviceversions,installplans,catalogsources -A
// -o yaml` (or -o json) prints: a List, a single object or a stream of
// either. Objects of other kinds are ignored. name is the file's name for
// messages, which give its line and column.
func ParseDump(name string, r io.Reader) (*Cluster, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDumpSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxDumpSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, MaxDumpSize)
	}
	cl := &Cluster{}
	var seen dumpSeen
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		if len(doc.Content) == 0 {
			continue
		}
		if err := cl.addNode(name, doc.Content[0], &seen); err != nil {
			return nil, err
		}
	}
	if !seen.list && seen.olm == 0 {
		return nil, fmt.Errorf("%s: neither a List nor an OLM object: not what `oc get subscriptions.operators.coreos.com,operatorgroups,clusterserviceversions,installplans,catalogsources -A -o yaml` prints", name)
	}
	cl.sort()
	return cl, nil
}

// dumpSeen tells a dump of an empty cluster (an empty List) from a file
// that is no dump at all.
type dumpSeen struct {
	list bool
	olm  int
}

// addNode adds an object or the items of a List.
func (cl *Cluster) addNode(name string, n *yaml.Node, seen *dumpSeen) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d:%d: not a Kubernetes object or List", name, n.Line, n.Column)
	}
	kind := scalar(n, "kind")
	if kind == "List" || (strings.HasSuffix(kind, "List") && lookup(n, "items") != nil) {
		seen.list = true
		items := lookup(n, "items")
		if items == nil || (items.Kind == yaml.ScalarNode && items.Tag == "!!null") {
			return nil
		}
		if items.Kind != yaml.SequenceNode {
			return fmt.Errorf("%s:%d:%d: items of a List must be a list", name, items.Line, items.Column)
		}
		for _, it := range items.Content {
			if err := cl.addNode(name, it, seen); err != nil {
				return err
			}
		}
		return nil
	}
	var m map[string]any
	if err := n.Decode(&m); err != nil {
		return fmt.Errorf("%s:%d:%d: %s", name, n.Line, n.Column, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	before := cl.count()
	if err := cl.Add(m); err != nil {
		return fmt.Errorf("%s:%d:%d: %v", name, n.Line, n.Column, err)
	}
	seen.olm += cl.count() - before
	return nil
}

// Add adds one object given as its JSON map (as a dump or the API returns
// it). Objects that are not one of the five OLM kinds are ignored.
func (cl *Cluster) Add(obj map[string]any) error {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	group, _, _ := strings.Cut(apiVersion, "/")
	if group != "operators.coreos.com" {
		return nil
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("%s: %v", kind, err)
	}
	var target any
	switch kind {
	case "Subscription":
		cl.Subscriptions = append(cl.Subscriptions, v1alpha1.Subscription{})
		target = &cl.Subscriptions[len(cl.Subscriptions)-1]
	case "OperatorGroup":
		cl.OperatorGroups = append(cl.OperatorGroups, operatorsv1.OperatorGroup{})
		target = &cl.OperatorGroups[len(cl.OperatorGroups)-1]
	case "ClusterServiceVersion":
		cl.CSVs = append(cl.CSVs, v1alpha1.ClusterServiceVersion{})
		target = &cl.CSVs[len(cl.CSVs)-1]
	case "InstallPlan":
		cl.InstallPlans = append(cl.InstallPlans, v1alpha1.InstallPlan{})
		target = &cl.InstallPlans[len(cl.InstallPlans)-1]
	case "CatalogSource":
		cl.CatalogSources = append(cl.CatalogSources, v1alpha1.CatalogSource{})
		target = &cl.CatalogSources[len(cl.CatalogSources)-1]
	default:
		return nil
	}
	if err := json.Unmarshal(data, target); err != nil {
		meta, _ := obj["metadata"].(map[string]any)
		ns, _ := meta["namespace"].(string)
		n, _ := meta["name"].(string)
		return fmt.Errorf("%s %s/%s is not what OLM writes: %v", kind, ns, n, err)
	}
	return nil
}

// sort orders every list by namespace and name, so that a dump and the
// live API give the same findings.
func (cl *Cluster) sort() {
	sortBy(cl.Subscriptions, func(s v1alpha1.Subscription) string { return s.Namespace + "/" + s.Name })
	sortBy(cl.OperatorGroups, func(s operatorsv1.OperatorGroup) string { return s.Namespace + "/" + s.Name })
	sortBy(cl.CSVs, func(s v1alpha1.ClusterServiceVersion) string { return s.Namespace + "/" + s.Name })
	sortBy(cl.InstallPlans, func(s v1alpha1.InstallPlan) string { return s.Namespace + "/" + s.Name })
	sortBy(cl.CatalogSources, func(s v1alpha1.CatalogSource) string { return s.Namespace + "/" + s.Name })
}

func (cl *Cluster) count() int {
	return len(cl.Subscriptions) + len(cl.OperatorGroups) + len(cl.CSVs) + len(cl.InstallPlans) + len(cl.CatalogSources)
}

// Sort orders the objects by namespace and name.
func (cl *Cluster) Sort() { cl.sort() }

func sortBy[T any](s []T, key func(T) string) {
	sort.SliceStable(s, func(i, j int) bool { return key(s[i]) < key(s[j]) })
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(m *yaml.Node, key string) string {
	if n := lookup(m, key); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}
