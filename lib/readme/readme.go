// Package readme reads and rewrites the lists opcat keeps in README files
// between its markers: an operator README lists the operator's overlays
// between OverlaysStart and OverlaysEnd, the catalog README lists the
// operators between CatalogStart and CatalogEnd. Everything outside the
// markers is the author's and is never touched.
package readme

import (
	"bytes"
	"strings"
)

// Markers opcat writes and reads, each on a line of its own.
const (
	// OverlaysStart and OverlaysEnd enclose an operator README's overlay
	// list.
	OverlaysStart = "<!-- opcat:overlays:start -->"
	OverlaysEnd   = "<!-- opcat:overlays:end -->"
	// CatalogStart and CatalogEnd enclose the catalog README's operator
	// table.
	CatalogStart = "<!-- opcat:catalog:start -->"
	CatalogEnd   = "<!-- opcat:catalog:end -->"
)

// Overlays returns the overlay names listed between OverlaysStart and
// OverlaysEnd (the first `code span` or word of each list item or table
// row, a table's header and rule left out), the line of the start marker
// (1-based), and whether both markers are there.
func Overlays(data []byte) (names []string, line int, ok bool) {
	lines := strings.Split(string(data), "\n")
	start := -1
	var out []string
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.Contains(t, OverlaysStart):
			start = i
		case strings.Contains(t, OverlaysEnd) && start >= 0:
			return out, start + 1, true
		case start >= 0:
			if name := itemName(t); name != "" {
				out = append(out, name)
			}
		}
	}
	return nil, 0, false
}

// itemName returns the name a list item or table row starts with.
func itemName(t string) string {
	switch {
	case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
		t = strings.TrimSpace(t[2:])
	case strings.HasPrefix(t, "|") && !strings.HasPrefix(t, "|-") && !strings.HasPrefix(t, "| -"):
		cells := strings.Split(strings.Trim(t, "|"), "|")
		t = strings.TrimSpace(cells[0])
		if strings.EqualFold(t, "overlay") || strings.Trim(t, "-: ") == "" {
			return ""
		}
	default:
		return ""
	}
	if i := strings.Index(t, "`"); i >= 0 {
		if j := strings.Index(t[i+1:], "`"); j >= 0 {
			return t[i+1 : i+1+j]
		}
	}
	if f := strings.Fields(t); len(f) > 0 {
		return strings.Trim(f[0], "[]*")
	}
	return ""
}

// Replace returns content with what lies between the line holding start
// and the end marker after it replaced by body; the marker lines, and the
// indentation before the end marker, are kept. ok is false, and content
// returned as it is, when the markers are not there.
func Replace(content []byte, start, end string, body []byte) (updated []byte, ok bool) {
	s := bytes.Index(content, []byte(start))
	if s < 0 {
		return content, false
	}
	lineEnd := bytes.IndexByte(content[s:], '\n')
	if lineEnd < 0 {
		return content, false
	}
	from := s + lineEnd + 1
	e := bytes.Index(content[from:], []byte(end))
	if e < 0 {
		return content, false
	}
	to := from + e
	// Keep the end marker's indentation.
	for to > from && (content[to-1] == ' ' || content[to-1] == '\t') {
		to--
	}
	var out bytes.Buffer
	out.Write(content[:from])
	out.Write(body)
	out.Write(content[to:])
	return out.Bytes(), true
}

// ReplaceOverlays replaces an operator README's overlay list with body.
func ReplaceOverlays(content, body []byte) ([]byte, bool) {
	return Replace(content, OverlaysStart, OverlaysEnd, body)
}

// ReplaceCatalog replaces the catalog README's operator table with body.
func ReplaceCatalog(content, body []byte) ([]byte, bool) {
	return Replace(content, CatalogStart, CatalogEnd, body)
}
