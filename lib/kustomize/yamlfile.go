package kustomize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// ParseYAML parses a YAML stream (one or more documents) into nodes that
// keep line and column. Syntax errors and duplicate mapping keys come back
// as Problems with cause CauseYAMLSyntax and CauseDuplicateKey; documents before
// a syntax error are still returned. Empty documents are skipped.
func ParseYAML(file string, data []byte) ([]*yaml.Node, []Problem) {
	data = trimBOM(data)
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return nil, []Problem{{Cause: CauseYAMLSyntax, Pos: Position{File: file, Line: 1, Column: 1},
			Message: "file is encoded as UTF-16; save it as UTF-8, which kustomize and opcat read"}}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := posAt(data, i)
		return nil, []Problem{{Cause: CauseYAMLSyntax, Pos: Position{File: file, Line: line, Column: col},
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
			problems = append(problems, yamlErrorProblem(file, data, err))
			break
		}
		if len(doc.Content) == 0 || isNull(doc.Content[0]) {
			continue
		}
		problems = append(problems, duplicateKeys(file, &doc)...)
		docs = append(docs, &doc)
	}
	return docs, problems
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

var yamlLineRE = regexp.MustCompile(`line (\d+)(?::(\d+))?`)

// yamlParserMessages are the errors of go-yaml's parser (as opposed to its
// scanner). go-yaml reports them on the 0-based line of their mark, and
// leaves the line out when that is 0.
var yamlParserMessages = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected key":              true,
	"did not find expected '-' indicator":    true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// yamlScannerPrefixes start the errors of go-yaml's scanner, which leaves
// the line out when it is the first one.
var yamlScannerPrefixes = []string{"found ", "did not find ", "could not find ", "mapping ", "block sequence ", "exceeded max depth"}

// yamlErrorProblem turns a YAML decoder error into a Problem with the line
// (and column when it can be told) where it happened.
func yamlErrorProblem(file string, data []byte, err error) Problem {
	msg := err.Error()
	p := Problem{Cause: CauseYAMLSyntax, Pos: Position{File: file}}
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
	switch {
	case yamlParserMessages[msg]:
		p.Pos.Line++
	case p.Pos.Line == 0 && hasAnyPrefix(msg, yamlScannerPrefixes):
		p.Pos.Line = 1
	case p.Pos.Line == 0:
		// Reader errors (bad UTF-8, control characters) come without a line.
		p.Pos.Line, p.Pos.Column = badCharPos(data)
	}
	if strings.Contains(msg, "tab character") {
		// The scanner names the line where the scalar started; point at the tab.
		p.Pos.Line, p.Pos.Column = indentTabPos(data, p.Pos.Line, p.Pos.Column)
	}
	// Marks at the end of the stream sit past the last line.
	if n := lineCount(data); p.Pos.Line > n {
		p.Pos.Line, p.Pos.Column = n, 0
	}
	p.Message = "YAML does not parse: " + msg
	if l := splitLines(data); p.Pos.Line >= 1 && p.Pos.Line <= len(l) && !strings.Contains(msg, "tab") {
		line := l[p.Pos.Line-1]
		if indent := len(line) - len(strings.TrimLeft(string(line), " \t")); strings.Contains(string(line[:indent]), "\t") {
			p.Message += " (a tab in the indentation: YAML indents with spaces only)"
		}
	}
	return p
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, pre := range prefixes {
		if strings.HasPrefix(s, pre) {
			return true
		}
	}
	return false
}

// breakLen returns the length of the line break at data[i:], or 0. YAML
// breaks lines at CRLF, CR and LF, and go-yaml at NEL, LS and PS as well.
func breakLen(data []byte, i int) int {
	switch {
	case data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n':
		return 2
	case data[i] == '\r' || data[i] == '\n':
		return 1
	case bytes.HasPrefix(data[i:], []byte("\u0085")):
		return 2
	case bytes.HasPrefix(data[i:], []byte("\u2028")) || bytes.HasPrefix(data[i:], []byte("\u2029")):
		return 3
	}
	return 0
}

// splitLines splits data into lines as the YAML parser counts them.
func splitLines(data []byte) [][]byte {
	var out [][]byte
	start := 0
	for i := 0; i < len(data); {
		if n := breakLen(data, i); n > 0 {
			out = append(out, data[start:i])
			i += n
			start = i
			continue
		}
		i++
	}
	if start < len(data) {
		out = append(out, data[start:])
	}
	return out
}

func lineCount(data []byte) int { return len(splitLines(data)) }

// Lines splits data into lines as the YAML parser counts them (at LF, CR,
// CRLF, NEL, LS and PS), each keeping its line break, so that joining them
// gives data back and line N of a node is Lines(data)[N-1].
func Lines(data []byte) [][]byte {
	var out [][]byte
	start := 0
	for i := 0; i < len(data); {
		if n := breakLen(data, i); n > 0 {
			i += n
			out = append(out, data[start:i])
			start = i
			continue
		}
		i++
	}
	if start < len(data) {
		out = append(out, data[start:])
	}
	return out
}

// posAt returns the 1-based line and column (in characters) of byte offset
// at of data, counting as the YAML parser does.
func posAt(data []byte, at int) (int, int) {
	line, col := 1, 1
	for i := 0; i < at && i < len(data); {
		if n := breakLen(data, i); n > 0 {
			line, col = line+1, 1
			i += n
			continue
		}
		_, size := utf8.DecodeRune(data[i:])
		col++
		i += size
	}
	return line, col
}

// indentTabPos finds the first tab in the indentation of a line at or after
// line; it returns line and col unchanged when there is none.
func indentTabPos(data []byte, line, col int) (int, int) {
	for i, l := range splitLines(data) {
		if i+1 < line {
			continue
		}
		indent := len(l) - len(bytes.TrimLeft(l, " \t"))
		if j := bytes.IndexByte(l[:indent], '\t'); j >= 0 {
			return i + 1, j + 1
		}
	}
	return line, col
}

// badCharPos returns the line and column of the first byte sequence that is
// not UTF-8 or is a character YAML does not allow, or 0, 0.
func badCharPos(data []byte) (int, int) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if (r == utf8.RuneError && size == 1) || !yamlPrintable(r) {
			return posAt(data, i)
		}
		i += size
	}
	return 0, 0
}

// yamlPrintable reports whether YAML 1.1 allows r in a stream.
func yamlPrintable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7e) || r == 0x85 ||
		(r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) || (r >= 0x10000 && r <= 0x10ffff)
}

// duplicateKeys reports every mapping key given twice under n.
func duplicateKeys(file string, n *yaml.Node) []Problem {
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
					out = append(out, Problem{Cause: CauseDuplicateKey, Pos: At(file, k),
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

// maxAliasExpansion bounds how many nodes a YAML document may stand for
// once its aliases are expanded. kustomize expands aliases when it turns
// objects into JSON; a "billion laughs" document would exhaust memory.
const maxAliasExpansion = 1 << 20

// aliasExpansion returns how many nodes n stands for with its aliases
// expanded, counting no further than limit+1.
func aliasExpansion(n *yaml.Node, limit int) int {
	memo := map[*yaml.Node]int{}
	var count func(n *yaml.Node, depth int) int
	count = func(n *yaml.Node, depth int) int {
		if n == nil || depth > 10000 {
			return 0
		}
		if c, ok := memo[n]; ok {
			return c
		}
		memo[n] = limit + 1 // a cycle counts as too much
		total := 1
		if n.Kind == yaml.AliasNode {
			total += count(n.Alias, depth+1)
		}
		for _, ch := range n.Content {
			total += count(ch, depth+1)
			if total > limit {
				total = limit + 1
				break
			}
		}
		memo[n] = total
		return total
	}
	return count(n, 0)
}
