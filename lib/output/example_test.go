package output_test

import (
	"fmt"
	"os"

	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/output"
)

func ExampleNew() {
	w, err := output.New("json", output.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	findings := diag.Findings{{
		Rule:     "channel-missing",
		Severity: diag.Warning,
		Path:     "operators/foo/overlays/prod/subscription.yaml",
		Line:     7,
		Operator: "foo",
		Overlay:  "prod",
		Message:  "spec.channel is not set",
	}}
	errs, warns, infos := findings.Count()
	r := output.Report{
		Findings: findings,
		Summary:  diag.Summary{Errors: errs, Warnings: warns, Infos: infos, Operators: 1, Kustomizations: 4},
	}
	if err := w.Write(os.Stdout, r); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "findings": [
	//     {
	//       "rule": "channel-missing",
	//       "severity": "warning",
	//       "path": "operators/foo/overlays/prod/subscription.yaml",
	//       "line": 7,
	//       "column": 0,
	//       "operator": "foo",
	//       "overlay": "prod",
	//       "message": "spec.channel is not set"
	//     }
	//   ],
	//   "summary": {
	//     "errors": 0,
	//     "warnings": 1,
	//     "infos": 0,
	//     "operators": 1,
	//     "kustomizations": 4
	//   }
	// }
}

func ExampleNew_unknownFormat() {
	_, err := output.New("yaml", output.Options{})
	fmt.Println(err)
	// Output:
	// unknown output format "yaml" (valid: text, json, sarif, github, junit)
}

func ExampleEscape() {
	// A value read from a file that would clear the screen and ring the bell.
	fmt.Println(output.Escape("channel \x1b[2J\a\r\nnext line"))
	fmt.Println(output.EscapeLine("a\tcell\nwith\u0085 controls"))
	// Output:
	// channel \x1b[2J\x07\r
	// next line
	// a\tcell\nwith\u0085 controls
}
