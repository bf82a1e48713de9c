package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"

	"github.com/opcat-dev/opcat/lib/diag"
)

// SARIF constants.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	sarifInfoURI = "https://github.com/opcat-dev/opcat"
	sarifBaseID  = "%SRCROOT%"
)

// sarifWriter renders a SARIF 2.1.0 log with a single run.
//
// driver.rules lists Report.Rules in the given order, followed by a
// synthesised entry for every rule a finding uses that Report.Rules lacks,
// so that each result's ruleId and ruleIndex resolve. Results without a
// path have no location; results with an unknown line have no region.
type sarifWriter struct{}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	ShortDescription     sarifMessage       `json:"shortDescription"`
	FullDescription      sarifMessage       `json:"fullDescription"`
	Help                 sarifMessage       `json:"help"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string            `json:"ruleId,omitempty"`
	RuleIndex  *int              `json:"ruleIndex,omitempty"`
	Level      string            `json:"level"`
	Message    sarifMessage      `json:"message"`
	Locations  []sarifLocation   `json:"locations,omitempty"`
	Properties map[string]string `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// Write implements Writer.
func (sarifWriter) Write(w io.Writer, r Report) error {
	findings := sortedFindings(r)

	rules := make([]sarifRule, 0, len(r.Rules))
	index := make(map[string]int, len(r.Rules))
	addRule := func(ri diag.RuleInfo) {
		if _, ok := index[ri.ID]; ok {
			return
		}
		index[ri.ID] = len(rules)
		rules = append(rules, newSARIFRule(ri))
	}
	for _, ri := range r.Rules {
		addRule(ri)
	}
	for _, f := range findings {
		if f.Rule != "" {
			addRule(diag.RuleInfo{ID: f.Rule, Severity: f.Severity})
		}
	}

	results := make([]sarifResult, 0, len(findings))
	for _, f := range findings {
		res := sarifResult{
			Level:   sarifLevel(f.Severity),
			Message: sarifMessage{Text: f.Message},
		}
		if res.Message.Text == "" {
			res.Message.Text = f.Rule // SARIF requires a non-empty message
		}
		if f.Rule != "" {
			i := index[f.Rule]
			res.RuleID, res.RuleIndex = f.Rule, &i
		}
		if f.Path != "" {
			loc := sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: sarifURI(f.Path), URIBaseID: sarifBaseID},
			}
			if f.Line > 0 {
				loc.Region = &sarifRegion{StartLine: f.Line}
				if f.Column > 0 {
					loc.Region.StartColumn = f.Column
				}
			}
			res.Locations = []sarifLocation{{PhysicalLocation: loc}}
		}
		props := map[string]string{}
		for k, v := range map[string]string{"operator": f.Operator, "overlay": f.Overlay, "fix": f.Fix} {
			if v != "" {
				props[k] = v
			}
		}
		if len(props) > 0 {
			res.Properties = props
		}
		results = append(results, res)
	}

	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           toolName(r),
				Version:        r.Version,
				InformationURI: sarifInfoURI,
				Rules:          rules,
			}},
			Results: results,
		}},
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("unable to write SARIF: %w", err)
	}
	return flush(w, bytes.NewBuffer(jsonSafe(buf.Bytes())), "SARIF")
}

// newSARIFRule converts rule metadata, falling back to the ID and short
// description where texts are missing (SARIF requires non-empty texts).
func newSARIFRule(ri diag.RuleInfo) sarifRule {
	short := ri.Short
	if short == "" {
		short = ri.ID
	}
	help := ri.Help
	if help == "" {
		help = short
	}
	return sarifRule{
		ID:                   ri.ID,
		Name:                 camelCase(ri.ID),
		ShortDescription:     sarifMessage{Text: short},
		FullDescription:      sarifMessage{Text: help},
		Help:                 sarifMessage{Text: help},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(ri.Severity)},
	}
}

// sarifLevel maps a severity to a SARIF level: error, warning or note.
func sarifLevel(s diag.Severity) string {
	switch {
	case s >= diag.Error:
		return "error"
	case s == diag.Warning:
		return "warning"
	default:
		return "note"
	}
}

// sarifURI turns a '/'-separated relative path into a relative URI
// reference, percent-encoding what needs it.
func sarifURI(p string) string {
	return (&url.URL{Path: p}).String()
}

// camelCase turns a rule ID such as "channel-missing" into "ChannelMissing":
// it splits at every rune that is neither a letter nor a digit and upper-cases
// the first rune of each part.
func camelCase(id string) string {
	var b strings.Builder
	upper := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
