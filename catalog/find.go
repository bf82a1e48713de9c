package catalog

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// How an operator is named, on the command line and in every output: by its
// folder relative to the catalog root, with / separators, as List prints
// it (cp4i-operators/event-streams). A name is resolved in this order:
//
//  1. the folder of an operator (installed with a Subscription or with an
//     OLM v1 ClusterExtension);
//  2. a path through folder links inside the catalog that leads to such a
//     folder (an alias): it names the operator of the canonical folder;
//  3. a name without a slash: the operator whose folder's last element it
//     is, when exactly one operator's is (event-streams); when several
//     are, the name is ambiguous and the error lists their folders.
//
// Anything else is unknown, and the error lists the operators there are.

// NameError is the error of a name that resolves to no single operator.
type NameError struct {
	// Name is the name as given.
	Name string
	// Ambiguous is true when the name is the last element of several
	// operators' folders; Candidates are then those folders. For an unknown
	// name Candidates are every operator's folder.
	Ambiguous  bool
	Candidates []string
}

// Error says whether the name is ambiguous or unknown, with the candidates.
func (e *NameError) Error() string {
	switch {
	case e.Ambiguous:
		return fmt.Sprintf("operator name %q is ambiguous: it names %s; give the folder", e.Name, strings.Join(e.Candidates, ", "))
	case len(e.Candidates) == 0:
		return fmt.Sprintf("unknown operator %q: the catalog has no operator", e.Name)
	default:
		return fmt.Sprintf("unknown operator %q; operators: %s", e.Name, strings.Join(e.Candidates, ", "))
	}
}

// ExtensionError is the error of FindOperator for an operator installed
// with OLM v1: it has no Subscription.
type ExtensionError struct {
	Extension *Extension
}

// Error names the operator and the folder of its ClusterExtension.
func (e *ExtensionError) Error() string {
	return fmt.Sprintf("operator %s is installed with OLM v1 (a ClusterExtension in %s), not with a Subscription", e.Extension.Dir, e.Extension.Base.Dir)
}

// OperatorDirs returns the folder of every operator, installed with a
// Subscription or an OLM v1 ClusterExtension, sorted.
func (c *Catalog) OperatorDirs() []string {
	seen := map[string]bool{}
	var out []string
	for _, op := range c.Operators {
		if !seen[op.Dir] {
			seen[op.Dir] = true
			out = append(out, op.Dir)
		}
	}
	for _, e := range c.Extensions() {
		if !seen[e.Dir] {
			seen[e.Dir] = true
			out = append(out, e.Dir)
		}
	}
	sort.Strings(out)
	return out
}

// ResolveOperator returns the folder of the operator that name names (see
// the naming rule above), or a *NameError.
func (c *Catalog) ResolveOperator(name string) (string, error) {
	dirs := c.OperatorDirs()
	unknown := &NameError{Name: name, Candidates: dirs}
	clean, ok := cleanName(name)
	if !ok {
		return "", unknown
	}
	isDir := make(map[string]bool, len(dirs))
	for _, d := range dirs {
		isDir[d] = true
	}
	if isDir[clean] {
		return clean, nil
	}
	if real := c.realPath(clean); isDir[real] {
		return real, nil
	}
	if strings.Contains(clean, "/") {
		return "", unknown
	}
	var matches []string
	for _, d := range dirs {
		if path.Base(d) == clean {
			matches = append(matches, d)
		}
	}
	switch len(matches) {
	case 0:
		return "", unknown
	case 1:
		return matches[0], nil
	}
	return "", &NameError{Name: name, Ambiguous: true, Candidates: matches}
}

// FindOperator returns the operator installed with a Subscription that name
// names: a *NameError when name resolves to no single operator, an
// *ExtensionError when it names an operator installed with OLM v1.
func (c *Catalog) FindOperator(name string) (*Operator, error) {
	dir, err := c.ResolveOperator(name)
	if err != nil {
		return nil, err
	}
	for _, op := range c.Operators {
		if op.Dir == dir {
			return op, nil
		}
	}
	for _, e := range c.Extensions() {
		if e.Dir == dir {
			return nil, &ExtensionError{Extension: e}
		}
	}
	return nil, &NameError{Name: name, Candidates: c.OperatorDirs()}
}

// FindExtension returns the operator installed with an OLM v1
// ClusterExtension that name names, or an error as FindOperator's; a name
// of an operator installed with a Subscription is a *NameError.
func (c *Catalog) FindExtension(name string) (*Extension, error) {
	dir, err := c.ResolveOperator(name)
	if err != nil {
		return nil, err
	}
	for _, e := range c.Extensions() {
		if e.Dir == dir {
			return e, nil
		}
	}
	return nil, &NameError{Name: name, Candidates: c.OperatorDirs()}
}

// cleanName turns a name into a clean slash path relative to the root;
// false for an empty name, an absolute one or one that climbs out (..).
func cleanName(name string) (string, bool) {
	n := name
	if n == "" || strings.HasPrefix(n, "/") {
		return "", false
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return "", false
		}
	}
	clean := path.Clean(n)
	if clean == "." {
		return "", false
	}
	return clean, true
}
