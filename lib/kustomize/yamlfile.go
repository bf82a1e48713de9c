package kustomize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// ParseYAML parses a YAML stream (one or more documents) into nodes that
// keep line and column. Syntax errors and duplicate mapping keys come back
// as Problems of kind yaml-syntax and yaml-duplicate-key; documents before
// a syntax error are still returned. Empty documents are skipped.
func ParseYAML(file string, data []byte) ([]*yaml.Node, []Problem) {
	data = trimBOM(data)
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line := bytes.Count(data[:i], []byte("\n")) + 1
		return nil, []Problem{{Kind: "yaml-syntax", Pos: Position{File: file, Line: line, Column: 1},
			Message: "file holds a NUL byte: it is binary, not YAML"}}
	}
	var docs []*yaml.Node
	var problems []Problem
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, yamlErrorProblem(file, err))
			break
		}
		if len(doc.Content) == 0 || isNull(doc.Content[0]) {
			continue
		}
		problems = append(problems, DuplicateKeys(file, &doc)...)
		docs = append(docs, &doc)
	}
	return docs, problems
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

var yamlLineRE = regexp.MustCompile(`line (\d+)(?::(\d+))?`)

// yamlErrorProblem turns a YAML decoder error into a Problem with the line
// (and column when the decoder gives it) where it happened.
func yamlErrorProblem(file string, err error) Problem {
	msg := err.Error()
	p := Problem{Kind: "yaml-syntax", Pos: Position{File: file}}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		p.Pos.Line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			p.Pos.Column, _ = strconv.Atoi(m[2])
		}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = yamlLineRE.ReplaceAllString(msg, "")
	msg = strings.TrimLeft(msg, ": ")
	msg = strings.Join(strings.Fields(msg), " ")
	p.Message = "YAML does not parse: " + msg
	return p
}

// DuplicateKeys reports every mapping key given twice under n.
func DuplicateKeys(file string, n *yaml.Node) []Problem {
	var out []Problem
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 10000 {
			return
		}
		if n.Kind == yaml.MappingNode {
			seen := map[string]*yaml.Node{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind != yaml.ScalarNode || k.Value == "<<" {
					continue
				}
				if first, ok := seen[k.Value]; ok {
					out = append(out, Problem{Kind: "yaml-duplicate-key", Pos: At(file, k),
						Message: fmt.Sprintf("key %q is given twice (first on line %d); YAML parsers keep one of them silently", k.Value, first.Line)})
					continue
				}
				seen[k.Value] = k
			}
		}
		if n.Kind == yaml.AliasNode {
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return out
}

// Lookup returns the key and value nodes of key in mapping m, or nils.
func Lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil {
		return nil, nil
	}
	if m.Kind == yaml.DocumentNode && len(m.Content) > 0 {
		m = m.Content[0]
	}
	if m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// LookupPath follows keys through nested mappings.
func LookupPath(m *yaml.Node, keys ...string) (k, v *yaml.Node) {
	v = m
	for _, key := range keys {
		k, v = Lookup(v, key)
		if v == nil {
			return nil, nil
		}
	}
	return k, v
}

// ScalarAt returns the string value at keys, and whether it is a scalar.
func ScalarAt(m *yaml.Node, keys ...string) (string, *yaml.Node, bool) {
	_, v := LookupPath(m, keys...)
	if v == nil || v.Kind != yaml.ScalarNode {
		return "", v, false
	}
	return v.Value, v, true
}
