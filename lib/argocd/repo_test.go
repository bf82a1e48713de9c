package argocd

import (
	"strings"
	"testing"
)

func TestRemoteURLs(t *testing.T) {
	cfg := `[core]
	repositoryformatversion = 0
[remote "origin"]
	url = git@github.com:acme/catalog.git
	fetch = +refs/heads/*:refs/remotes/origin/*
[branch "main"]
	url = not-a-remote
[remote "mirror"]
	url = "https://gitlab.example.com/acme/catalog"
`
	if got := strings.Join(RemoteURLs([]byte(cfg)), ","); got != "git@github.com:acme/catalog.git,https://gitlab.example.com/acme/catalog" {
		t.Errorf("got %s", got)
	}
}

func TestSameRepo(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"https://github.com/acme/catalog.git", "git@github.com:acme/catalog", true},
		{"https://github.com/acme/catalog", "ssh://git@github.com/acme/catalog/", true},
		{"https://GitHub.com/acme/catalog", "https://github.com/acme/catalog.git", true},
		{"https://user@github.com/acme/catalog", "https://github.com/acme/catalog", true},
		{"https://github.com/acme/catalog", "https://github.com/acme/other", false},
		{"https://github.com/acme/catalog", "https://gitlab.com/acme/catalog", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := SameRepo(tt.a, tt.b); got != tt.same {
			t.Errorf("SameRepo(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
