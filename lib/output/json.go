package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/opcat-dev/opcat/lib/diag"
)

// jsonWriter renders
//
//	{"findings": [...], "summary": {...}}
//
// indented by two spaces, with a trailing newline. Findings is [] when there
// are none.
type jsonWriter struct{}

// jsonReport is the document the JSON format writes.
type jsonReport struct {
	Findings diag.Findings `json:"findings"`
	Summary  diag.Summary  `json:"summary"`
}

// Write implements Writer.
func (jsonWriter) Write(w io.Writer, r Report) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jsonReport{Findings: sortedFindings(r), Summary: r.Summary}); err != nil {
		return fmt.Errorf("unable to write JSON: %w", err)
	}
	return flush(w, bytes.NewBuffer(jsonSafe(buf.Bytes())), "JSON")
}
