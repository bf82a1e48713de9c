// Package output renders the findings of an opcat run in one of several
// formats: plain text for terminals, JSON, SARIF for code scanning, GitHub
// Actions workflow commands, and JUnit XML for CI test reports.
//
// Every format is a Writer obtained from New. Writers do not modify the
// Report they are given; they render its findings in the order of
// diag.Findings.Sort so that output is deterministic.
package output

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/opcat-dev/opcat/lib/diag"
)

// defaultTool is the tool name used when Report.Tool is empty.
const defaultTool = "opcat"

// Report is everything a writer needs to render one validation run.
type Report struct {
	// Findings are the findings to render, in any order.
	Findings diag.Findings
	// Summary holds the totals; writers print it as given, so callers
	// fill Errors, Warnings and Infos from Findings.Count.
	Summary diag.Summary
	// Rules lists all known rules; the SARIF writer lists them as
	// driver.rules in the given order.
	Rules []diag.RuleInfo
	// Tool is the tool name, normally "opcat".
	Tool string
	// Version is the tool version; it may be empty.
	Version string
	// Operators lists the operators checked (those in scope, not every
	// operator of the catalog), named as diag.Finding.Operator names them:
	// by folder. The JUnit writer emits one test suite per operator, even
	// one without findings.
	Operators []string
	// Overlays maps an operator to the overlays checked for it. The JUnit
	// writer emits one test case per overlay.
	Overlays map[string][]string
}

// FromDiag returns the Report that renders r, a check as the library built
// it (lint.Validate, drift.Check), as tool at version: its operators and
// overlays are r.Scope.
func FromDiag(r *diag.Report, tool, version string) Report {
	out := Report{
		Findings: r.Findings,
		Summary:  r.Summary,
		Rules:    r.Rules,
		Tool:     tool,
		Version:  version,
		Overlays: map[string][]string{},
	}
	for _, s := range r.Scope {
		out.Operators = append(out.Operators, s.Operator)
		out.Overlays[s.Operator] = append(out.Overlays[s.Operator], s.Overlays...)
	}
	return out
}

// Writer renders a Report in one format.
type Writer interface {
	// Write renders r to w.
	Write(w io.Writer, r Report) error
}

// Options tunes the writers that New returns.
type Options struct {
	// Color enables ANSI colours in the text format; other formats
	// ignore it.
	Color bool
	// PathPrefix, a slash path, is put before every finding's path in the
	// formats a code host reads relative to the top of the Git repository
	// (sarif, github): the folder of the catalog root in its repository.
	// Other formats keep paths relative to the catalog root.
	PathPrefix string
}

// Format names accepted by New.
const (
	// FormatText is a human-readable line per finding plus a summary.
	FormatText = "text"
	// FormatJSON is a JSON document with findings and summary.
	FormatJSON = "json"
	// FormatSARIF is a SARIF 2.1.0 log.
	FormatSARIF = "sarif"
	// FormatGitHub is GitHub Actions workflow commands (annotations).
	FormatGitHub = "github"
	// FormatJUnit is JUnit XML.
	FormatJUnit = "junit"
)

// Formats returns the format names accepted by New, in documentation order.
// The caller may modify the returned slice.
func Formats() []string {
	return []string{FormatText, FormatJSON, FormatSARIF, FormatGitHub, FormatJUnit}
}

// New returns the writer for format (one of Formats). An unknown format is
// an error that lists the valid ones.
func New(format string, opts Options) (Writer, error) {
	switch format {
	case FormatText:
		return textWriter{color: opts.Color}, nil
	case FormatJSON:
		return jsonWriter{}, nil
	case FormatSARIF:
		return prefixed(sarifWriter{}, opts.PathPrefix), nil
	case FormatGitHub:
		return prefixed(githubWriter{}, opts.PathPrefix), nil
	case FormatJUnit:
		return junitWriter{}, nil
	default:
		return nil, fmt.Errorf("unknown output format %q (valid: %s)", format, strings.Join(Formats(), ", "))
	}
}

// prefixWriter is a Writer that puts prefix before every finding's path.
type prefixWriter struct {
	w      Writer
	prefix string
}

// prefixed returns w, putting prefix (cleaned; none when "" or ".")
// before the path of every finding it writes.
func prefixed(w Writer, prefix string) Writer {
	prefix = strings.Trim(path.Clean(prefix), "/")
	if prefix == "" || prefix == "." {
		return w
	}
	return prefixWriter{w: w, prefix: prefix}
}

// Write implements Writer.
func (p prefixWriter) Write(w io.Writer, r Report) error {
	findings := make(diag.Findings, len(r.Findings))
	for i, f := range r.Findings {
		f.Path = p.prefix + "/" + f.Path
		findings[i] = f
	}
	r.Findings = findings
	return p.w.Write(w, r)
}

// sortedFindings returns a sorted copy of the report's findings, never nil.
func sortedFindings(r Report) diag.Findings {
	f := make(diag.Findings, len(r.Findings))
	copy(f, r.Findings)
	f.Sort()
	return f
}

// toolName returns the report's tool name, defaulting to "opcat".
func toolName(r Report) string {
	if r.Tool == "" {
		return defaultTool
	}
	return r.Tool
}

// location renders "path:line:col", dropping the parts that are unknown.
// A finding without a path is attributed to tool.
func location(f diag.Finding, tool string) string {
	if f.Path == "" {
		return tool
	}
	var b strings.Builder
	b.WriteString(f.Path)
	if f.Line > 0 {
		b.WriteString(":" + strconv.Itoa(f.Line))
		if f.Column > 0 {
			b.WriteString(":" + strconv.Itoa(f.Column))
		}
	}
	return b.String()
}

// flush writes the rendered buffer to w, wrapping a failure with what.
func flush(w io.Writer, buf *bytes.Buffer, what string) error {
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("unable to write %s: %w", what, err)
	}
	return nil
}

// sortedUnique returns the sorted, de-duplicated non-empty strings of s.
func sortedUnique(s []string) []string {
	out := slices.DeleteFunc(slices.Clone(s), func(x string) bool { return x == "" })
	slices.Sort(out)
	return slices.Compact(out)
}
