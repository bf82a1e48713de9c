package output

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/opcat-dev/opcat/lib/diag"
)

// githubWriter renders GitHub Actions workflow commands, one per finding:
//
//	::error file=PATH,line=L,col=C,title=RULE::MESSAGE
//
// using "warning" and "notice" for the lower severities. Control
// characters are escaped (see Escape), then the data and properties as the
// workflow command syntax requires. Unknown parts
// (empty path, line or column 0, empty rule) are left out. A suggested fix
// is appended to the message on its own line.
type githubWriter struct{}

// Write implements Writer.
func (githubWriter) Write(w io.Writer, r Report) error {
	var buf bytes.Buffer
	for _, f := range sortedFindings(r) {
		buf.WriteString("::" + githubCommand(f.Severity))
		var props []string
		if f.Path != "" {
			props = append(props, "file="+escapeGitHubProperty(EscapeLine(f.Path)))
			if f.Line > 0 {
				props = append(props, "line="+strconv.Itoa(f.Line))
				if f.Column > 0 {
					props = append(props, "col="+strconv.Itoa(f.Column))
				}
			}
		}
		if f.Rule != "" {
			props = append(props, "title="+escapeGitHubProperty(EscapeLine(f.Rule)))
		}
		if len(props) > 0 {
			buf.WriteString(" " + strings.Join(props, ","))
		}
		msg := Escape(f.Message)
		if f.Fix != "" {
			msg += "\nfix: " + Escape(f.Fix)
		}
		buf.WriteString("::" + escapeGitHubData(msg) + "\n")
	}
	return flush(w, &buf, "GitHub annotations")
}

// githubCommand maps a severity to the workflow command name.
func githubCommand(s diag.Severity) string {
	switch {
	case s >= diag.Error:
		return "error"
	case s == diag.Warning:
		return "warning"
	default:
		return "notice"
	}
}

// escapeGitHubData escapes a workflow command's message, as the runner
// reads it (%, CR and LF); control characters are escaped before.
func escapeGitHubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeGitHubProperty escapes a workflow command's property value, as the
// runner reads it (%, CR, LF, : and ,).
func escapeGitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
