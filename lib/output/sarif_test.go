package output

import (
	"encoding/json"
	"testing"

	"github.com/opcat-dev/opcat/lib/diag"
)

func TestSARIFGolden(t *testing.T) {
	checkGolden(t, "sarif.golden", render(t, "sarif", Options{}, fixture()))
}

// TestSARIFRequiredFields checks the fields SARIF 2.1.0 and GitHub code
// scanning require, on the shared fixture and on a report whose findings use
// rules that Report.Rules does not list.
func TestSARIFRequiredFields(t *testing.T) {
	tests := []struct {
		name   string
		report Report
	}{
		{name: "fixture", report: fixture()},
		{name: "no rule metadata", report: Report{Findings: diag.Findings{
			{Rule: "b-rule", Severity: diag.Warning, Path: "x.yaml", Line: 1, Message: "m1"},
			{Rule: "a-rule", Severity: diag.Error, Message: "m2"},
			{Rule: "b-rule", Severity: diag.Info, Path: "y.yaml", Message: "m3"},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log struct {
				Schema  string `json:"$schema"`
				Version string `json:"version"`
				Runs    []struct {
					Tool struct {
						Driver struct {
							Name  string `json:"name"`
							Rules []struct {
								ID               string `json:"id"`
								ShortDescription struct {
									Text string `json:"text"`
								} `json:"shortDescription"`
							} `json:"rules"`
						} `json:"driver"`
					} `json:"tool"`
					Results []struct {
						RuleID    string `json:"ruleId"`
						RuleIndex *int   `json:"ruleIndex"`
						Level     string `json:"level"`
						Message   struct {
							Text string `json:"text"`
						} `json:"message"`
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct {
									URI string `json:"uri"`
								} `json:"artifactLocation"`
								Region *struct {
									StartLine int `json:"startLine"`
								} `json:"region"`
							} `json:"physicalLocation"`
						} `json:"locations"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(render(t, "sarif", Options{}, tt.report), &log); err != nil {
				t.Fatalf("invalid JSON: %v", err)
			}
			if log.Version != "2.1.0" || log.Schema == "" {
				t.Errorf("version = %q, $schema = %q", log.Version, log.Schema)
			}
			if len(log.Runs) != 1 {
				t.Fatalf("got %d runs, want 1", len(log.Runs))
			}
			run := log.Runs[0]
			if run.Tool.Driver.Name == "" {
				t.Error("runs[0].tool.driver.name is empty")
			}
			ids := map[string]int{}
			for i, r := range run.Tool.Driver.Rules {
				if _, dup := ids[r.ID]; dup {
					t.Errorf("rule %q listed twice", r.ID)
				}
				ids[r.ID] = i
				if r.ShortDescription.Text == "" {
					t.Errorf("rule %q has no shortDescription.text", r.ID)
				}
			}
			if len(run.Results) != len(tt.report.Findings) {
				t.Fatalf("got %d results, want %d", len(run.Results), len(tt.report.Findings))
			}
			for i, res := range run.Results {
				if res.Message.Text == "" {
					t.Errorf("results[%d].message.text is empty", i)
				}
				idx, ok := ids[res.RuleID]
				if !ok {
					t.Errorf("results[%d].ruleId %q not in driver.rules", i, res.RuleID)
				} else if res.RuleIndex == nil || *res.RuleIndex != idx {
					t.Errorf("results[%d].ruleIndex = %v, want %d", i, res.RuleIndex, idx)
				}
				switch res.Level {
				case "error", "warning", "note":
				default:
					t.Errorf("results[%d].level = %q", i, res.Level)
				}
				for _, loc := range res.Locations {
					if loc.PhysicalLocation.ArtifactLocation.URI == "" {
						t.Errorf("results[%d] has a location without uri", i)
					}
					if reg := loc.PhysicalLocation.Region; reg != nil && reg.StartLine < 1 {
						t.Errorf("results[%d].region.startLine = %d", i, reg.StartLine)
					}
				}
			}
		})
	}
}

func TestCamelCase(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "kebab", in: "channel-missing", want: "ChannelMissing"},
		{name: "snake and dots", in: "no_latest.tag", want: "NoLatestTag"},
		{name: "already camel", in: "semverRange", want: "SemverRange"},
		{name: "code", in: "OPC001", want: "OPC001"},
		{name: "leading separator", in: "-x--y-", want: "XY"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := camelCase(tt.in); got != tt.want {
				t.Errorf("camelCase(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSARIFURI(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain", in: "operators/foo/base/kustomization.yaml", want: "operators/foo/base/kustomization.yaml"},
		{name: "space", in: "a b/k.yaml", want: "a%20b/k.yaml"},
		{name: "colon in first segment", in: "a:b/k.yaml", want: "./a:b/k.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sarifURI(tt.in); got != tt.want {
				t.Errorf("sarifURI(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
