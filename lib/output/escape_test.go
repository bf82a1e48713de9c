package output

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/opcat-dev/opcat/lib/diag"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		in, want, wantLine string
	}{
		{"plain text: a/b.yaml", "plain text: a/b.yaml", "plain text: a/b.yaml"},
		{"clear \x1b[2J screen", `clear \x1b[2J screen`, `clear \x1b[2J screen`},
		{"over\rwrite", `over\rwrite`, `over\rwrite`},
		{"bell\a", `bell\x07`, `bell\x07`},
		{"nul\x00 del\x7f", `nul\x00 del\x7f`, `nul\x00 del\x7f`},
		{"two\nlines\tand tab", "two\nlines\tand tab", `two\nlines\tand tab`},
		{"c1 \u0085 csi \u009b1m", `c1 \u0085 csi \u009b1m`, `c1 \u0085 csi \u009b1m`},
		{"raw byte \x9b and \xff", `raw byte \x9b and \xff`, `raw byte \x9b and \xff`},
		{"bidi \u202eevil\u2069", `bidi \u202eevil\u2069`, `bidi \u202eevil\u2069`},
		{"unicode é ü 日本 ✓", "unicode é ü 日本 ✓", "unicode é ü 日本 ✓"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := EscapeLine(tt.in); got != tt.wantLine {
			t.Errorf("EscapeLine(%q) = %q, want %q", tt.in, got, tt.wantLine)
		}
	}
}

// hostile is a finding whose every text field holds what would drive a
// terminal: clear the screen, return to the line start, ring the bell, a
// C1 control.
func hostile() Report {
	const bad = "\x1b[2J\r\a\u0085\x7f"
	return Report{
		Tool: "opcat",
		Findings: diag.Findings{{
			Rule: "yaml-syntax", Severity: diag.Error,
			Path: "ops/" + bad + "/kustomization.yaml", Line: 3, Column: 1,
			Operator: "op" + bad, Overlay: "v1" + bad,
			Message: "value " + bad + " is wrong\nsecond line " + bad,
			Fix:     "remove " + bad,
		}},
		Summary:   diag.Summary{Errors: 1, Operators: 1},
		Operators: []string{"op" + bad},
	}
}

// rawControls lists the control characters left raw in out, newline and
// tab aside.
func rawControls(out []byte) []rune {
	var found []rune
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRune(out[i:])
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f) {
			found = append(found, r)
		}
		i += size
	}
	return found
}

func TestWritersEscapeControls(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			w, err := New(format, Options{Color: format == FormatText})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := w.Write(&buf, hostile()); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()
			if format == FormatText {
				// The colour codes opcat writes itself are the only ESC.
				for _, c := range []string{ansiRed, ansiReset} {
					out = bytes.ReplaceAll(out, []byte(c), nil)
				}
			}
			if raw := rawControls(out); len(raw) > 0 {
				t.Errorf("%s output holds raw control characters %q:\n%s", format, raw, buf.String())
			}
			switch format {
			case FormatJSON, FormatSARIF:
				// The data survives: the escapes are JSON's own.
				var doc any
				if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(buf.String(), `\u001b[2J\r\u0007\u0085\u007f`) {
					t.Errorf("%s output lacks the escaped message:\n%s", format, buf.String())
				}
				if data, _ := json.Marshal(doc); !strings.Contains(string(data), `\u001b[2J\r\u0007`) {
					t.Errorf("%s: the message does not decode to its control characters", format)
				}
			case FormatJUnit:
				if err := xml.Unmarshal(buf.Bytes(), new(junitTestsuites)); err != nil {
					t.Fatal(err)
				}
			case FormatText:
				want := `ops/\x1b[2J\r\x07\u0085\x7f/kustomization.yaml:3:1: ` + ansiRed + "error" + ansiReset +
					`: value \x1b[2J\r\x07\u0085\x7f is wrong` + "\n" + `  second line \x1b[2J\r\x07\u0085\x7f [yaml-syntax]` + "\n" +
					`  fix: remove \x1b[2J\r\x07\u0085\x7f` + "\n"
				if !strings.HasPrefix(buf.String(), want) {
					t.Errorf("text output\n%q\nwant prefix\n%q", buf.String(), want)
				}
			case FormatGitHub:
				want := `::error file=ops/\x1b[2J\r\x07\u0085\x7f/kustomization.yaml,line=3,col=1,title=yaml-syntax::` +
					`value \x1b[2J\r\x07\u0085\x7f is wrong%0Asecond line \x1b[2J\r\x07\u0085\x7f%0Afix: remove \x1b[2J\r\x07\u0085\x7f` + "\n"
				if buf.String() != want {
					t.Errorf("github output\n%q\nwant\n%q", buf.String(), want)
				}
			}
		})
	}
}

func TestGitHubEscapesItsSyntax(t *testing.T) {
	r := Report{Findings: diag.Findings{{Rule: "r", Severity: diag.Warning, Path: "a,b:c%d.yaml",
		Message: "100% sure\r\nnext::line"}}}
	var buf bytes.Buffer
	if err := (githubWriter{}).Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := `::warning file=a%2Cb%3Ac%25d.yaml,title=r::100%25 sure\r%0Anext::line` + "\n"
	if buf.String() != want {
		t.Errorf("got  %q\nwant %q", buf.String(), want)
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J\r\a", "\u0085\u009b\x7f", "\xff\xfe", "a\nb\tc", "\u202eabc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, l := Escape(s), EscapeLine(s)
		if raw := rawControls([]byte(e)); len(raw) > 0 || !utf8.ValidString(e) {
			t.Fatalf("Escape(%q) = %q holds %q", s, e, raw)
		}
		if strings.ContainsAny(l, "\n\t") || !utf8.ValidString(l) {
			t.Fatalf("EscapeLine(%q) = %q", s, l)
		}
		if Escape(e) != e || EscapeLine(l) != l {
			t.Fatalf("escaping %q twice changes it", s)
		}
		if !strings.ContainsAny(s, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f") && utf8.ValidString(s) && e != s && !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x80 && r <= 0x9f || isBidiControl(r) }) {
			t.Fatalf("Escape(%q) = %q changed a string without controls", s, e)
		}
	})
}
