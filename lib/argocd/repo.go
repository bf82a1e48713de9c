package argocd

import (
	"bufio"
	"bytes"
	"strings"
)

// RemoteURLs returns the URLs of the remotes a Git config file names
// ([remote "origin"] url = ...), in the order written.
func RemoteURLs(gitConfig []byte) []string {
	var out []string
	inRemote := false
	sc := bufio.NewScanner(bytes.NewReader(gitConfig))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			inRemote = strings.HasPrefix(line, "[remote ")
			continue
		}
		if !inRemote {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == "url" {
			if v = strings.Trim(strings.TrimSpace(v), `"`); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// NormalizeRepoURL reduces the ways one Git repository is written to one:
// https://github.com/acme/catalog.git, git@github.com:acme/catalog and
// ssh://git@github.com/acme/catalog/ all give github.com/acme/catalog.
func NormalizeRepoURL(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	} else if at := strings.Index(u, "@"); at >= 0 && strings.Contains(u[at:], ":") {
		// scp-like: git@host:org/repo
		u = u[at+1:]
		u = strings.Replace(u, ":", "/", 1)
	}
	if at := strings.Index(u, "@"); at >= 0 && at < strings.Index(u+"/", "/") {
		u = u[at+1:]
	}
	u = strings.TrimRight(u, "/")
	u = strings.TrimSuffix(u, ".git")
	host, rest, _ := strings.Cut(u, "/")
	if h, port, ok := strings.Cut(host, ":"); ok && (port == "22" || port == "443") {
		host = h
	}
	return strings.ToLower(host) + "/" + rest
}

// SameRepo reports whether two repository URLs name the same repository.
func SameRepo(a, b string) bool {
	return a != "" && b != "" && NormalizeRepoURL(a) == NormalizeRepoURL(b)
}
