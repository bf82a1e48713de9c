package argocd

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/template"
	"text/template/parse"

	yaml "go.yaml.in/yaml/v3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation"
	sigsyaml "sigs.k8s.io/yaml"
)

// ClusterSecretLabel marks the Secrets Argo CD reads as clusters.
const ClusterSecretLabel = "argocd.argoproj.io/secret-type"

// Cluster is a cluster as Argo CD's clusters generator sees it: the name,
// server and labels of its cluster Secret. Name and Server are "" when
// unknown; a template that reads them is then not evaluated.
type Cluster struct {
	Name   string            `json:"name,omitempty"`
	Server string            `json:"server,omitempty"`
	Labels map[string]string `json:"labels"`
}

// CheckLabels reports the first label whose key or value Kubernetes would
// refuse.
func CheckLabels(l map[string]string) error {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			return fmt.Errorf("label key %q: %s", k, strings.Join(errs, "; "))
		}
		if errs := validation.IsValidLabelValue(l[k]); len(errs) > 0 {
			return fmt.Errorf("label %s=%q: %s", k, l[k], strings.Join(errs, "; "))
		}
	}
	return nil
}

// maxClusterFile bounds the file ParseCluster reads.
const maxClusterFile = 1 << 20

// ParseCluster reads a cluster from a file: an Argo CD cluster Secret
// (labels from metadata.labels, name and server from stringData or
// base64 data), or a plain YAML map of labels. name is used in messages.
func ParseCluster(name string, data []byte) (Cluster, error) {
	if len(data) > maxClusterFile {
		return Cluster{}, fmt.Errorf("%s: larger than %d bytes", name, maxClusterFile)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return Cluster{}, fmt.Errorf("%s: %v", name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return Cluster{}, fmt.Errorf("%s:%d:%d: a second document; give one cluster Secret or one map of labels", name, extra.Line, extra.Column)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return Cluster{}, fmt.Errorf("%s:%d:%d: want a cluster Secret or a map of labels", name, root.Line, root.Column)
	}
	if kind := scalar(root, "kind"); kind != "" || scalar(root, "apiVersion") != "" {
		if kind != "Secret" {
			return Cluster{}, fmt.Errorf("%s:%d:%d: a %s, not a Secret; give Argo CD's cluster Secret or a map of labels", name, root.Line, root.Column, kind)
		}
		return parseClusterSecret(name, root)
	}
	l, err := stringMap(name, root)
	if err != nil {
		return Cluster{}, err
	}
	return Cluster{Labels: l}, nil
}

func parseClusterSecret(name string, root *yaml.Node) (Cluster, error) {
	cl := Cluster{Labels: map[string]string{}}
	md := mapping(root, "metadata")
	if md != nil {
		if ln := mapping(md, "labels"); ln != nil {
			l, err := stringMap(name, ln)
			if err != nil {
				return cl, err
			}
			cl.Labels = l
		}
	}
	if cl.Labels[ClusterSecretLabel] != "cluster" {
		return cl, fmt.Errorf("%s:%d:%d: the Secret has no label %s: cluster, so Argo CD does not read it as a cluster", name, root.Line, root.Column, ClusterSecretLabel)
	}
	if d := mapping(root, "data"); d != nil {
		for _, f := range []struct {
			key string
			to  *string
		}{{"name", &cl.Name}, {"server", &cl.Server}} {
			if v, n := scalarNode(d, f.key); n != nil {
				b, err := base64.StdEncoding.DecodeString(v)
				if err != nil {
					return cl, fmt.Errorf("%s:%d:%d: data.%s is not base64: %v", name, n.Line, n.Column, f.key, err)
				}
				*f.to = string(b)
			}
		}
	}
	if d := mapping(root, "stringData"); d != nil {
		if v, n := scalarNode(d, "name"); n != nil {
			cl.Name = v
		}
		if v, n := scalarNode(d, "server"); n != nil {
			cl.Server = v
		}
	}
	return cl, nil
}

func stringMap(name string, m *yaml.Node) (map[string]string, error) {
	out := map[string]string{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return nil, fmt.Errorf("%s:%d:%d: label %q: want a string value", name, k.Line, k.Column, k.Value)
		}
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Errorf("%s:%d:%d: label %q given twice", name, k.Line, k.Column, k.Value)
		}
		out[k.Value] = v.Value
	}
	if err := CheckLabels(out); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return out, nil
}

func mapping(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.MappingNode {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(m *yaml.Node, key string) string {
	v, _ := scalarNode(m, key)
	return v
}

func scalarNode(m *yaml.Node, key string) (string, *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.ScalarNode {
			return m.Content[i+1].Value, m.Content[i+1]
		}
	}
	return "", nil
}

// GeneratedSource is a source of an Application that an ApplicationSet
// generates for a cluster.
type GeneratedSource struct {
	// Generator is the index of the clusters generator in spec.generators.
	Generator int
	// Where names the source field (spec.template.spec.source).
	Where string
	// RepoURL, Path and Chart are the source's values, rendered for the
	// cluster.
	RepoURL, Path, Chart string
}

// ErrNotEvaluated is wrapped by the errors of an ApplicationSet that
// ClusterSources cannot evaluate.
var ErrNotEvaluated = errors.New("not evaluated")

// notEvaluated returns an error wrapping ErrNotEvaluated.
func notEvaluated(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrNotEvaluated}, args...)...)
}

// HasClustersGenerator reports whether an ApplicationSet (a yaml.v3
// mapping) has a clusters generator, at the top or inside a matrix or merge
// generator: whether what it deploys depends on the clusters' labels.
func HasClustersGenerator(obj *yaml.Node) bool {
	obj = docRoot(obj)
	if obj == nil || obj.Kind != yaml.MappingNode || scalar(obj, "kind") != KindApplicationSet {
		return false
	}
	spec := mapping(obj, "spec")
	if spec == nil {
		return false
	}
	_, gens := lookup(spec, "generators")
	return clustersIn(gens, 0)
}

// clustersIn reports whether a list of generators holds a clusters
// generator, at its top or in a matrix or merge generator.
func clustersIn(gens *yaml.Node, depth int) bool {
	if gens == nil || gens.Kind != yaml.SequenceNode || depth > 3 {
		return false
	}
	for _, g := range gens.Content {
		if _, n := lookup(g, "clusters"); n != nil {
			return true
		}
		if nestedClusters(g, depth) {
			return true
		}
	}
	return false
}

// nestedClusters reports whether a generator is a matrix or merge of
// generators holding a clusters generator.
func nestedClusters(g *yaml.Node, depth int) bool {
	for _, combo := range []string{"matrix", "merge"} {
		if c := mapping(g, combo); c != nil {
			if _, inner := lookup(c, "generators"); clustersIn(inner, depth+1) {
				return true
			}
		}
	}
	return false
}

func docRoot(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return n.Content[0]
	}
	return n
}

func lookup(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// ClusterSources evaluates an ApplicationSet (a yaml.v3 mapping, as
// written) for one cluster, as Argo CD's clusters generator does: each
// clusters generator whose label selector (matchLabels and
// matchExpressions, with Kubernetes' own selector code) matches the
// cluster's labels gives one Application, whose template sources are
// rendered with Go's text/template and Argo CD's goTemplate parameters
// (.name, .nameNormalized, .server, .metadata.labels, .metadata.annotations,
// .values). Only the functions index, printf, print, len, eq, ne, lt, le,
// gt, ge, and, or and not are evaluated; range, template and Sprig
// functions are not.
//
// An ApplicationSet it cannot evaluate (fasttemplate syntax, a matrix or
// merge of clusters generators, a templatePatch, a generator template, a
// function or parameter it does not know) returns an error wrapping
// ErrNotEvaluated, which says why; nothing is guessed.
func ClusterSources(obj *yaml.Node, cl Cluster) ([]GeneratedSource, error) {
	obj = docRoot(obj)
	if obj == nil || obj.Kind != yaml.MappingNode || scalar(obj, "kind") != KindApplicationSet {
		return nil, notEvaluated("not an ApplicationSet")
	}
	spec := mapping(obj, "spec")
	if spec == nil {
		return nil, notEvaluated("no spec")
	}
	if v, _ := scalarNode(spec, "goTemplate"); v != "true" {
		return nil, notEvaluated("goTemplate is not true: Argo CD's fasttemplate syntax is not evaluated")
	}
	if _, n := lookup(spec, "templatePatch"); n != nil {
		return nil, notEvaluated("spec.templatePatch is not evaluated")
	}
	if _, opts := lookup(spec, "goTemplateOptions"); opts != nil {
		if opts.Kind != yaml.SequenceNode {
			return nil, notEvaluated("spec.goTemplateOptions is not a list")
		}
		for _, o := range opts.Content {
			switch o.Value {
			case "missingkey=error", "missingkey=zero", "missingkey=default", "missingkey=invalid":
				// A missing key is never rendered: "" or "<no value>" in
				// a path would be a guess.
			default:
				return nil, notEvaluated("goTemplateOptions %q is not evaluated", o.Value)
			}
		}
	}
	tmplSpec := mapping(mapping(spec, "template"), "spec")
	if tmplSpec == nil {
		return nil, notEvaluated("no spec.template.spec")
	}
	_, gens := lookup(spec, "generators")
	if gens == nil || gens.Kind != yaml.SequenceNode {
		return nil, notEvaluated("spec.generators is not a list")
	}
	var out []GeneratedSource
	for i, g := range gens.Content {
		if g.Kind != yaml.MappingNode {
			continue
		}
		if nestedClusters(g, 0) {
			return nil, notEvaluated("spec.generators[%d]: a matrix or merge generator of clusters is not evaluated", i)
		}
		_, clusters := lookup(g, "clusters")
		if clusters == nil {
			continue
		}
		where := fmt.Sprintf("spec.generators[%d].clusters", i)
		if clusters.Kind != yaml.MappingNode {
			if clusters.Tag == "!!null" {
				clusters = &yaml.Node{Kind: yaml.MappingNode}
			} else {
				return nil, notEvaluated("%s is not a mapping", where)
			}
		}
		if _, t := lookup(clusters, "template"); t != nil && !(t.Kind == yaml.MappingNode && len(t.Content) == 0) {
			return nil, notEvaluated("%s.template is not evaluated", where)
		}
		if v := scalar(clusters, "flatList"); v == "true" {
			return nil, notEvaluated("%s.flatList is not evaluated", where)
		}
		ok, err := selectorMatches(clusters, cl.Labels)
		if err != nil {
			return nil, notEvaluated("%s.selector: %v", where, err)
		}
		if !ok {
			continue
		}
		params, err := clusterParams(clusters, cl)
		if err != nil {
			return nil, notEvaluated("%s.values: %v", where, err)
		}
		srcs, err := templateSources(tmplSpec, params)
		if err != nil {
			return nil, notEvaluated("%v", err)
		}
		for j := range srcs {
			srcs[j].Generator = i
		}
		out = append(out, srcs...)
	}
	return out, nil
}

// selectorMatches evaluates a clusters generator's selector with
// Kubernetes' label selector code: no selector selects every cluster.
func selectorMatches(clusters *yaml.Node, l map[string]string) (bool, error) {
	_, sn := lookup(clusters, "selector")
	var sel metav1.LabelSelector
	if sn != nil && sn.Tag != "!!null" {
		b, err := yaml.Marshal(sn)
		if err != nil {
			return false, err
		}
		if err := sigsyaml.UnmarshalStrict(b, &sel); err != nil {
			return false, err
		}
	}
	s, err := metav1.LabelSelectorAsSelector(&sel)
	if err != nil {
		return false, err
	}
	return s.Matches(labels.Set(l)), nil
}

// clusterParams are the goTemplate parameters of a cluster: name and
// server only when known, so that a template reading an unknown one fails.
func clusterParams(clusters *yaml.Node, cl Cluster) (map[string]any, error) {
	// As Argo CD: maps of strings, so that index of a missing label is "".
	lm := map[string]string{}
	for k, v := range cl.Labels {
		lm[k] = v
	}
	params := map[string]any{
		"metadata": map[string]any{"labels": lm, "annotations": map[string]string{}},
	}
	if cl.Name != "" {
		params["name"] = cl.Name
		params["nameNormalized"] = normalizeName(cl.Name)
	}
	if cl.Server != "" {
		params["server"] = cl.Server
	}
	values := map[string]any{}
	if vn := mapping(clusters, "values"); vn != nil {
		for i := 0; i+1 < len(vn.Content); i += 2 {
			k, v := vn.Content[i], vn.Content[i+1]
			if v.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("%s is not a string", k.Value)
			}
			// Argo CD renders the values with the cluster's parameters.
			s, err := render("values."+k.Value, v.Value, params)
			if err != nil {
				return nil, err
			}
			values[k.Value] = s
		}
	}
	params["values"] = values
	return params, nil
}

// normalizeName is Argo CD's nameNormalized: lower case, every character
// that is not alphanumeric, '-' or '.' replaced by '-'.
func normalizeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// templateSources renders the sources of a template's spec.
func templateSources(spec *yaml.Node, params map[string]any) ([]GeneratedSource, error) {
	var out []GeneratedSource
	one := func(src *yaml.Node, where string) error {
		if src.Kind != yaml.MappingNode {
			return fmt.Errorf("%s is not a mapping", where)
		}
		g := GeneratedSource{Where: where}
		for _, f := range []struct {
			key string
			to  *string
		}{{"repoURL", &g.RepoURL}, {"path", &g.Path}, {"chart", &g.Chart}} {
			v, n := scalarNode(src, f.key)
			if n == nil {
				continue
			}
			s, err := render(where+"."+f.key, v, params)
			if err != nil {
				return err
			}
			*f.to = s
		}
		out = append(out, g)
		return nil
	}
	if _, src := lookup(spec, "source"); src != nil {
		if err := one(src, "spec.template.spec.source"); err != nil {
			return nil, err
		}
	}
	if _, list := lookup(spec, "sources"); list != nil {
		if list.Kind != yaml.SequenceNode {
			return nil, errors.New("spec.template.spec.sources is not a list")
		}
		for i, s := range list.Content {
			if err := one(s, fmt.Sprintf("spec.template.spec.sources[%d]", i)); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("spec.template.spec has no source")
	}
	return out, nil
}

// Bounds of template evaluation: a template is short, and nothing it
// renders grows past maxRendered.
const (
	maxTemplate = 4096
	maxRendered = 4096
)

// allowedFuncs are the functions a template may call: text/template's
// simple built-ins, with printf and print bounded.
var allowedFuncs = map[string]bool{
	"index": true, "printf": true, "print": true, "len": true,
	"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
	"and": true, "or": true, "not": true,
}

var boundedFuncs = template.FuncMap{
	"printf": func(format string, args ...any) (string, error) {
		for i := 0; i < len(format); i++ {
			if format[i] != '%' {
				continue
			}
			i++
			if i >= len(format) || !strings.ContainsRune("svdq%", rune(format[i])) {
				return "", fmt.Errorf("printf format %q: only %%s, %%v, %%d, %%q and %%%% are evaluated", format)
			}
		}
		return bounded(fmt.Sprintf(format, args...))
	},
	"print": func(args ...any) (string, error) { return bounded(fmt.Sprint(args...)) },
}

func bounded(s string) (string, error) {
	if len(s) > maxRendered {
		return "", fmt.Errorf("renders more than %d bytes", maxRendered)
	}
	return s, nil
}

// render evaluates one template string with the parameters, refusing
// every construct outside the simple subset (see ClusterSources) and any
// missing key.
func render(where, text string, params map[string]any) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	if len(text) > maxTemplate {
		return "", fmt.Errorf("%s: a template longer than %d bytes", where, maxTemplate)
	}
	t, err := template.New(where).Funcs(boundedFuncs).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("%s: %v", where, err)
	}
	if len(t.Templates()) != 1 {
		return "", fmt.Errorf("%s: template definitions are not evaluated", where)
	}
	if err := checkTree(t.Tree.Root); err != nil {
		return "", fmt.Errorf("%s: %v", where, err)
	}
	var b limitedBuffer
	if err := t.Execute(&b, params); err != nil {
		return "", fmt.Errorf("%s: %v", where, err)
	}
	return b.String(), nil
}

// checkTree refuses every node outside the simple subset.
func checkTree(n parse.Node) error {
	switch n := n.(type) {
	case nil:
		return nil
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := checkTree(c); err != nil {
				return err
			}
		}
		return nil
	case *parse.TextNode, *parse.FieldNode, *parse.DotNode, *parse.StringNode, *parse.NumberNode,
		*parse.BoolNode, *parse.NilNode, *parse.VariableNode:
		return nil
	case *parse.ActionNode:
		return checkTree(n.Pipe)
	case *parse.IfNode:
		for _, c := range []parse.Node{n.Pipe, n.List, n.ElseList} {
			if err := checkTree(c); err != nil {
				return err
			}
		}
		return nil
	case *parse.PipeNode:
		if n == nil {
			return nil
		}
		if len(n.Decl) > 0 {
			return errors.New("variables are not evaluated")
		}
		for _, c := range n.Cmds {
			if err := checkTree(c); err != nil {
				return err
			}
		}
		return nil
	case *parse.CommandNode:
		for _, a := range n.Args {
			if err := checkTree(a); err != nil {
				return err
			}
		}
		return nil
	case *parse.IdentifierNode:
		if !allowedFuncs[n.Ident] {
			return fmt.Errorf("function %q is not evaluated (only %s)", n.Ident, "index, printf, print, len, eq, ne, lt, le, gt, ge, and, or, not")
		}
		return nil
	case *parse.ChainNode:
		return checkTree(n.Node)
	}
	return fmt.Errorf("%q is not evaluated", n.String())
}

// limitedBuffer fails a write past maxRendered bytes.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > maxRendered {
		return 0, fmt.Errorf("renders more than %d bytes", maxRendered)
	}
	return b.Buffer.Write(p)
}
