package output

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/opcat-dev/opcat/lib/diag"
)

// ANSI escape sequences used by the text format.
const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiCyan   = "\x1b[1;36m"
)

// textWriter renders one line per finding followed by a summary line:
//
//	path:line:col: severity: message [rule]
//	  fix: suggested fix
//	3 errors, 1 warning, 0 infos in 2 operators (14 kustomizations)
type textWriter struct {
	color bool
}

// Write implements Writer.
func (t textWriter) Write(w io.Writer, r Report) error {
	var buf bytes.Buffer
	tool := toolName(r)
	for _, f := range sortedFindings(r) {
		buf.WriteString(formatFinding(f, tool, t.color))
		buf.WriteByte('\n')
	}
	s := r.Summary
	fmt.Fprintf(&buf, "%s, %s, %s in %s (%s)\n",
		plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Infos, "info"),
		plural(s.Operators, "operator"), plural(s.Kustomizations, "kustomization"))
	return flush(w, &buf, "text output")
}

// formatFinding renders f as "location: severity: message [rule]", with an
// indented "fix:" line when f.Fix is set. Continuation lines of a
// multi-line message are indented by two spaces.
// Control characters in any part are escaped (see Escape).
func formatFinding(f diag.Finding, tool string, color bool) string {
	var b strings.Builder
	b.WriteString(EscapeLine(location(f, tool)))
	b.WriteString(": ")
	b.WriteString(severityWord(f.Severity, color))
	b.WriteString(": ")
	b.WriteString(indentContinuation(textOf(f.Message)))
	if f.Rule != "" {
		b.WriteString(" [" + EscapeLine(f.Rule) + "]")
	}
	if f.Fix != "" {
		b.WriteString("\n  fix: " + indentContinuation(textOf(f.Fix)))
	}
	return b.String()
}

// severityWord returns the severity name, coloured when color is set.
func severityWord(s diag.Severity, color bool) string {
	if !color {
		return s.String()
	}
	code := ansiCyan
	switch {
	case s >= diag.Error:
		code = ansiRed
	case s == diag.Warning:
		code = ansiYellow
	}
	return code + s.String() + ansiReset
}

// indentContinuation indents every line after the first by two spaces.
func indentContinuation(s string) string {
	return strings.ReplaceAll(s, "\n", "\n  ")
}

// textOf escapes a message or fix for the text format: Windows line ends
// become newlines, other control characters are escaped.
func textOf(s string) string {
	return Escape(strings.ReplaceAll(s, "\r\n", "\n"))
}

// plural renders "n word" or "n words".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
