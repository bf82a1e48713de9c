package output

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/opcat-dev/opcat/lib/diag"
)

// Names of the JUnit suites and test cases that hold findings not tied to
// an operator or an overlay.
const (
	junitCatalog  = "(catalog)"
	junitOperator = "(operator)"
)

// junitWriter renders JUnit XML:
//
//   - a test suite "(catalog)" with one test case "(catalog)" for findings
//     without an operator, always first;
//   - one test suite per operator (Report.Operators plus any operator named
//     by a finding, sorted; both name an operator by its folder, so a
//     report scoped to some operators lists those only), each with a test
//     case "(operator)" for
//     findings without an overlay followed by one test case per overlay
//     (Report.Overlays plus any overlay named by a finding, sorted).
//
// Each error finding becomes a <failure type=RULE>; warnings and infos go to
// the test case's <system-out>. A test case fails when it has a failure.
type junitWriter struct{}

type junitTestsuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Suites   []junitTestsuite `xml:"testsuite"`
}

type junitTestsuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Cases    []junitTestcase `xml:"testcase"`
}

type junitTestcase struct {
	Classname string         `xml:"classname,attr"`
	Name      string         `xml:"name,attr"`
	Failures  []junitFailure `xml:"failure"`
	SystemOut *junitText     `xml:"system-out"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

// junitKey identifies the test case a finding belongs to.
type junitKey struct{ operator, overlay string }

// Write implements Writer.
func (junitWriter) Write(w io.Writer, r Report) error {
	tool := toolName(r)
	byCase := map[junitKey]diag.Findings{}
	operators := slices.Clone(r.Operators)
	overlays := map[string][]string{}
	for op, ovs := range r.Overlays {
		operators = append(operators, op)
		overlays[op] = append(overlays[op], ovs...)
	}
	for _, f := range sortedFindings(r) {
		k := junitKey{operator: f.Operator, overlay: f.Overlay}
		switch {
		case f.Operator == "":
			k = junitKey{operator: junitCatalog, overlay: junitCatalog}
		case f.Overlay == "":
			k.overlay = junitOperator
		default:
			overlays[f.Operator] = append(overlays[f.Operator], f.Overlay)
		}
		operators = append(operators, f.Operator)
		byCase[k] = append(byCase[k], f)
	}

	doc := junitTestsuites{Name: tool}
	addSuite := func(name string, cases []string) {
		suite := junitTestsuite{Name: EscapeLine(name)}
		for _, c := range cases {
			tc := newJUnitTestcase(name, c, byCase[junitKey{operator: name, overlay: c}], tool)
			suite.Tests++
			if len(tc.Failures) > 0 {
				suite.Failures++
			}
			suite.Cases = append(suite.Cases, tc)
		}
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Suites = append(doc.Suites, suite)
	}
	addSuite(junitCatalog, []string{junitCatalog})
	for _, op := range sortedUnique(operators) {
		addSuite(op, append([]string{junitOperator}, sortedUnique(overlays[op])...))
	}

	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("unable to write JUnit XML: %w", err)
	}
	buf.WriteByte('\n')
	return flush(w, &buf, "JUnit XML")
}

// newJUnitTestcase builds a test case from its (sorted) findings.
func newJUnitTestcase(classname, name string, findings diag.Findings, tool string) junitTestcase {
	tc := junitTestcase{Classname: EscapeLine(classname), Name: EscapeLine(name)}
	var out []string
	for _, f := range findings {
		text := xmlSafe(formatFinding(f, tool, false))
		if f.Severity >= diag.Error {
			tc.Failures = append(tc.Failures, junitFailure{Message: Escape(f.Message), Type: f.Rule, Text: text})
			continue
		}
		out = append(out, text)
	}
	if len(out) > 0 {
		tc.SystemOut = &junitText{Text: strings.Join(out, "\n")}
	}
	return tc
}

// xmlSafe replaces the runes that XML 1.0 does not allow in character data
// (encoding/xml does not filter CDATA sections) with U+FFFD.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= utf8.MaxRune:
			return r
		default:
			return utf8.RuneError
		}
	}, s)
}
