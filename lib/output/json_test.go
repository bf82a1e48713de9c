package output

import (
	"encoding/json"
	"testing"

	"github.com/opcat-dev/opcat/lib/diag"
)

func TestJSONGolden(t *testing.T) {
	out := render(t, "json", Options{}, fixture())
	checkGolden(t, "json.golden", out)

	var back struct {
		Findings diag.Findings `json:"findings"`
		Summary  diag.Summary  `json:"summary"`
	}
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if len(back.Findings) != len(fixture().Findings) || back.Summary != fixture().Summary {
		t.Errorf("decoded %d findings and summary %+v", len(back.Findings), back.Summary)
	}
}
