package readme

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestOverlays(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string
		line       int
		ok         bool
	}{
		{"table", "# mq\n\n" + OverlaysStart + "\n| Overlay | Channel |\n| --- | --- |\n| `v1.9` | v1.9 |\n| v2.0 | v2.0 |\n" + OverlaysEnd + "\n", []string{"v1.9", "v2.0"}, 3, true},
		{"list", OverlaysStart + "\n- `v1.8`\n* v1.9 (default)\n- [**v2.0**] notes\n" + OverlaysEnd, []string{"v1.8", "v1.9", "v2.0"}, 1, true},
		{"indented markers", "  " + OverlaysStart + "\n  - a\n  " + OverlaysEnd + "\n", []string{"a"}, 1, true},
		{"empty list", OverlaysStart + "\n" + OverlaysEnd + "\n", nil, 1, true},
		{"rule rows", OverlaysStart + "\n|---|\n| - |\n| :-: |\n" + OverlaysEnd, nil, 1, true},
		{"prose ignored", OverlaysStart + "\nsome text\n- x\n" + OverlaysEnd, []string{"x"}, 1, true},
		{"no end", OverlaysStart + "\n- x\n", nil, 0, false},
		{"end before start", OverlaysEnd + "\n" + OverlaysStart + "\n- x\n", nil, 0, false},
		{"no markers", "- x\n", nil, 0, false},
		{"catalog markers", CatalogStart + "\n- x\n" + CatalogEnd, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, line, ok := Overlays([]byte(tt.data))
			if !slices.Equal(got, tt.want) || line != tt.line || ok != tt.ok {
				t.Errorf("Overlays = %q, %d, %v; want %q, %d, %v", got, line, ok, tt.want, tt.line, tt.ok)
			}
		})
	}
}

func TestReplace(t *testing.T) {
	tests := []struct {
		name, content, body, want string
		ok                        bool
	}{
		{"replaces", "# x\n" + OverlaysStart + "\n- old\n" + OverlaysEnd + "\ntail\n", "- new\n",
			"# x\n" + OverlaysStart + "\n- new\n" + OverlaysEnd + "\ntail\n", true},
		{"empty list", OverlaysStart + "\n" + OverlaysEnd + "\n", "- a\n- b\n",
			OverlaysStart + "\n- a\n- b\n" + OverlaysEnd + "\n", true},
		{"keeps end indentation", "  " + OverlaysStart + "\n  - old\n  " + OverlaysEnd + "\n", "  - new\n",
			"  " + OverlaysStart + "\n  - new\n  " + OverlaysEnd + "\n", true},
		{"start without newline", "x " + OverlaysStart, "- a\n", "x " + OverlaysStart, false},
		{"no end", OverlaysStart + "\n- old\n", "- a\n", OverlaysStart + "\n- old\n", false},
		{"no markers", "text\n", "- a\n", "text\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ReplaceOverlays([]byte(tt.content), []byte(tt.body))
			if string(got) != tt.want || ok != tt.ok {
				t.Errorf("ReplaceOverlays = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	got, ok := ReplaceCatalog([]byte(CatalogStart+"\n|a|\n"+CatalogEnd+"\n"), []byte("|b|\n"))
	if want := CatalogStart + "\n|b|\n" + CatalogEnd + "\n"; !ok || string(got) != want {
		t.Errorf("ReplaceCatalog = %q, %v; want %q", got, ok, want)
	}
}

// TestRoundTrip writes a list with ReplaceOverlays and reads it back.
func TestRoundTrip(t *testing.T) {
	content := []byte("# op\n\nintro\n\n" + OverlaysStart + "\n" + OverlaysEnd + "\n\nmore\n")
	body := []byte("| Overlay | Channel |\n| --- | --- |\n| `v2.3` | v2.3 |\n| `v2.4` | v2.4 |\n")
	updated, ok := ReplaceOverlays(content, body)
	if !ok {
		t.Fatal("markers not found")
	}
	names, line, ok := Overlays(updated)
	if !ok || line != 5 || !slices.Equal(names, []string{"v2.3", "v2.4"}) {
		t.Errorf("Overlays = %q, %d, %v", names, line, ok)
	}
}

// FuzzOverlays feeds README text to the reader and the rewriter: neither
// panics, the start line is inside the text, a rewrite keeps everything
// outside the markers and doing it twice changes nothing more.
func FuzzOverlays(f *testing.F) {
	f.Add("# mq\n"+OverlaysStart+"\n| Overlay | Channel |\n| --- | --- |\n| `v1.9` | v1.9 |\n"+OverlaysEnd+"\n", "- `v2.0`\n")
	f.Add(OverlaysStart+"\n- `v1.8`\n* v1.9 (default)\n"+OverlaysEnd, "")
	f.Add("  "+OverlaysStart+"\n\t"+OverlaysEnd+OverlaysStart+"\n", "x")
	f.Fuzz(func(t *testing.T, data, body string) {
		_, line, ok := Overlays([]byte(data))
		if ok && (line < 1 || line > strings.Count(data, "\n")+1) {
			t.Errorf("start marker line %d outside the text", line)
		}
		once, ok := ReplaceOverlays([]byte(data), []byte(body))
		if !ok {
			if string(once) != data {
				t.Fatalf("content changed without markers")
			}
			return
		}
		s := strings.Index(data, OverlaysStart)
		head := data[:s+strings.IndexByte(data[s:], '\n')+1]
		if !bytes.HasPrefix(once, []byte(head+body)) {
			t.Fatalf("the text before the list is not kept: %q", once)
		}
		if strings.Contains(body, OverlaysStart) || strings.Contains(body, OverlaysEnd) || strings.Contains(body, "\n"+" ") || strings.Contains(body, "\n\t") {
			return
		}
		if !strings.HasSuffix(body, "\n") && body != "" {
			return
		}
		twice, _ := ReplaceOverlays(once, []byte(body))
		if !bytes.Equal(once, twice) {
			t.Fatalf("a second rewrite changed the text:\n%q\n%q", once, twice)
		}
	})
}
