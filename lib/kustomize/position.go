package kustomize

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Position is where a value was written: a file relative to the catalog
// root (with / separators) and a 1-based line and column. A zero Line means
// the position within the file is unknown.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// String formats the position as file:line:col, leaving out what is unknown.
func (p Position) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	}
}

// IsZero reports whether the position names no file.
func (p Position) IsZero() bool { return p.File == "" }

// At returns the position of node n in file.
func At(file string, n *yaml.Node) Position {
	if n == nil {
		return Position{File: file}
	}
	return Position{File: file, Line: n.Line, Column: n.Column}
}

// Problem is something wrong with an input file, found while reading it.
// Problems are data: a broken file never stops a load.
type Problem struct {
	// Cause says what the problem is.
	Cause Cause
	// Pos is where the problem was written.
	Pos Position
	// Message says what is wrong, and how to fix it when that can be told.
	Message string
	// stop marks a problem that must keep the build from running:
	// something the engine would fetch, or must not be given.
	stop bool
}

// Error writes the problem as FILE:LINE:COLUMN: MESSAGE.
func (p Problem) Error() string { return p.Pos.String() + ": " + p.Message }
