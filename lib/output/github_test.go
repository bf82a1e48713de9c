package output

import "testing"

func TestGitHubGolden(t *testing.T) {
	checkGolden(t, "github.golden", render(t, "github", Options{}, fixture()))
}

func TestGitHubEscape(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		data     string
		property string
	}{
		{name: "plain", in: "abc", data: "abc", property: "abc"},
		{name: "percent first", in: "100%0A", data: "100%250A", property: "100%250A"},
		{name: "newlines", in: "a\r\nb", data: "a%0D%0Ab", property: "a%0D%0Ab"},
		{name: "colon and comma", in: "a:b,c", data: "a:b,c", property: "a%3Ab%2Cc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeGitHubData(tt.in); got != tt.data {
				t.Errorf("escapeGitHubData(%q) = %q, want %q", tt.in, got, tt.data)
			}
			if got := escapeGitHubProperty(tt.in); got != tt.property {
				t.Errorf("escapeGitHubProperty(%q) = %q, want %q", tt.in, got, tt.property)
			}
		})
	}
}
