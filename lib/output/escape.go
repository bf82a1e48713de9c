package output

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every character that could drive a terminal
// written as a Go escape, so that file content, file names and engine
// messages print as text: C0 controls (ESC, CR, BEL, ...) other than
// newline and tab, DEL, C1 controls (U+0080 to U+009F, such as U+009B, a
// one-character CSI), the bidirectional overrides and isolates that reorder
// what is shown, and bytes that are not UTF-8. CR is written \r, the others
// \xHH (bytes) or \uHHHH (runes): "\x1b[2J" prints as \x1b[2J. A string
// without such characters comes back unchanged.
func Escape(s string) string { return escape(s, false) }

// EscapeLine is Escape for text that must stay on one line, such as a
// table cell or a path: newline and tab are escaped too (\n, \t).
func EscapeLine(s string) string { return escape(s, true) }

func escape(s string, line bool) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size, line) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !needsEscape(r, size, line) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// needsEscape tells whether rune r, of size bytes, must be escaped.
func needsEscape(r rune, size int, line bool) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r == '\n' || r == '\t':
		return line
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	}
	return isBidiControl(r)
}

// isBidiControl tells whether r is a bidirectional embedding, override or
// isolate control.
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// jsonSafe rewrites the runes of a JSON document that encoding/json leaves
// raw although a terminal may act on them (DEL, C1 controls, bidirectional
// controls) as \u escapes. They can occur only inside strings, where the
// escape means the same character: the document's data is unchanged.
func jsonSafe(b []byte) []byte {
	i := 0
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || r >= 0x80 && r <= 0x9f || isBidiControl(r) {
			break
		}
		i += size
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || r >= 0x80 && r <= 0x9f || isBidiControl(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
