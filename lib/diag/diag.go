// Package diag defines the findings that opcat reports while validating a
// GitOps catalog of OLM operator subscriptions.
//
// A finding is a value, not an error: the validator collects findings, the
// output writers render them, and ExitCode turns them into a process exit
// status.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity ranks a finding. The values are ordered: Info < Warning < Error.
type Severity int

const (
	// Info marks a finding that is purely informational.
	Info Severity = iota
	// Warning marks a finding that should be fixed but does not fail
	// validation unless strict mode is on.
	Warning
	// Error marks a finding that fails validation.
	Error
)

// String returns "info", "warning" or "error", or "Severity(N)" for a value
// outside the known range.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	default:
		return fmt.Sprintf("Severity(%d)", int(s))
	}
}

// valid reports whether s is one of the declared severities.
func (s Severity) valid() bool {
	return s >= Info && s <= Error
}

// ParseSeverity parses "info", "warning" or "error" (case-insensitive,
// surrounding white space ignored). Any other input is an error.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "error":
		return Error, nil
	default:
		return 0, fmt.Errorf("unknown severity %q (valid: info, warning, error)", s)
	}
}

// MarshalText implements encoding.TextMarshaler. It fails for a value
// outside the known range so that such a value never reaches a report.
func (s Severity) MarshalText() ([]byte, error) {
	if !s.valid() {
		return nil, fmt.Errorf("invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler using ParseSeverity.
func (s *Severity) UnmarshalText(text []byte) error {
	v, err := ParseSeverity(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Finding is one problem (or observation) reported about a catalog.
type Finding struct {
	// Rule is the identifier of the rule that produced the finding.
	Rule string `json:"rule"`
	// Severity is the effective severity of the finding.
	Severity Severity `json:"severity"`
	// Path is the file the finding is about, relative to the catalog root,
	// with '/' separators. It is empty for catalog-wide findings.
	Path string `json:"path"`
	// Line is the 1-based line in Path; 0 means unknown.
	Line int `json:"line"`
	// Column is the 1-based column in Line; 0 means unknown.
	Column int `json:"column"`
	// Operator is the operator the finding concerns, if any, named by its
	// folder relative to the catalog root with '/' separators, as
	// "opcat list" prints it (cp4i-operators/event-streams); it is not the
	// OLM package, which one operator may hold several of.
	Operator string `json:"operator"`
	// Overlay is the overlay the finding concerns, if any.
	Overlay string `json:"overlay"`
	// Message describes the problem.
	Message string `json:"message"`
	// Fix is a suggested fix, one sentence, if known.
	Fix string `json:"fix,omitempty"`
}

// Findings is a list of findings.
type Findings []Finding

// Sort sorts the findings in place by Path, Line, Column, Rule and Message.
// The sort is stable: findings equal on all those keys keep their order.
func (f Findings) Sort() {
	slices.SortStableFunc(f, compare)
}

// compare orders two findings by Path, Line, Column, Rule and Message.
func compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Count returns the number of findings at each severity. Findings with a
// severity above Error count as errors; findings below Info count as infos.
func (f Findings) Count() (errors, warnings, infos int) {
	for _, x := range f {
		switch {
		case x.Severity >= Error:
			errors++
		case x.Severity == Warning:
			warnings++
		default:
			infos++
		}
	}
	return errors, warnings, infos
}

// Summary gives the totals of a validation run.
type Summary struct {
	// Errors is the number of error findings.
	Errors int `json:"errors"`
	// Warnings is the number of warning findings.
	Warnings int `json:"warnings"`
	// Infos is the number of info findings.
	Infos int `json:"infos"`
	// Operators is the number of operators checked.
	Operators int `json:"operators"`
	// Kustomizations is the number of kustomizations (bases and overlays)
	// checked.
	Kustomizations int `json:"kustomizations"`
}

// ExitCode returns the process exit status for the findings: 1 if any
// finding is an error, or if strict is set and any finding is a warning;
// 0 otherwise.
func ExitCode(f Findings, strict bool) int {
	errors, warnings, _ := f.Count()
	if errors > 0 || (strict && warnings > 0) {
		return 1
	}
	return 0
}

// RuleInfo describes a rule, as output writers need it (for example for the
// SARIF driver.rules list).
type RuleInfo struct {
	// ID is the rule identifier, as used in Finding.Rule.
	ID string `json:"id"`
	// Severity is the rule's default severity.
	Severity Severity `json:"severity"`
	// Short is a one-line description of the rule.
	Short string `json:"short"`
	// Help explains the rule and how to satisfy it.
	Help string `json:"help,omitempty"`
}

// Report is the whole result of one check of a catalog (opcat validate,
// opcat drift): the findings, their totals, what was checked and the rules
// that ran. The library builds it in one call (lint.Validate,
// drift.Check); output writers render it and ExitCode grades it, so every
// format describes the same run.
type Report struct {
	// Findings are the findings, sorted.
	Findings Findings
	// Summary holds the totals; Summary.Operators is len(Scope).
	Summary Summary
	// Scope lists the operators checked (those in scope, not every
	// operator of the catalog), each named by its folder as
	// Finding.Operator names it, with the overlays checked for it.
	Scope []Scope
	// Rules describes every rule of the check, in documentation order.
	Rules []RuleInfo
}

// Scope is one operator a Report covers.
type Scope struct {
	// Operator is the operator's folder, relative to the catalog root.
	Operator string
	// Overlays names the overlays checked for the operator.
	Overlays []string
}

// ExitCode returns the process exit status for the report's findings, as
// the package function ExitCode does.
func (r *Report) ExitCode(strict bool) int {
	return ExitCode(r.Findings, strict)
}
