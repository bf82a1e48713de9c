package output

import (
	"fmt"
	"io"
	"testing"

	"github.com/opcat-dev/opcat/lib/diag"
)

// BenchmarkWriters measures each format on a report of 5,000 findings.
func BenchmarkWriters(b *testing.B) {
	r := Report{Tool: "opcat", Version: "bench", Overlays: map[string][]string{}}
	for i := 0; i < 5000; i++ {
		op := fmt.Sprintf("op%d", i%150)
		r.Findings = append(r.Findings, diag.Finding{Rule: "patch-path-missing", Severity: diag.Warning,
			Path: op + "/operator/overlays/v1/patch-channel.yaml", Line: 4, Column: 3, Operator: op, Overlay: "v1",
			Message: "replace of /spec/startingCSV: Subscription has no /spec/startingCSV", Fix: "use op: add"})
	}
	r.Summary.Warnings = 5000
	for _, format := range Formats() {
		b.Run(format, func(b *testing.B) {
			w, err := New(format, Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := w.Write(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
