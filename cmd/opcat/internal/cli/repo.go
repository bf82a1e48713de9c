package cli

import (
	"os"
	"path/filepath"

	"github.com/opcat-dev/opcat/lib/argocd"
)

// repoURLs returns the remote URLs of the Git repository whose .git folder
// is at the catalog root: the catalog's own repository, which Argo CD
// objects name in repoURL. Only a real folder inside the root is read (not
// a link, not a folder above it); a catalog in a subfolder of its
// repository names the repository with repoURL: and repoPath: in
// .opcat.yaml.
func repoURLs(root string) []string {
	gitDir := filepath.Join(root, ".git")
	st, err := os.Lstat(gitDir)
	if err != nil || !st.IsDir() {
		return nil
	}
	cfg := filepath.Join(gitDir, "config")
	if st, err := os.Lstat(cfg); err != nil || !st.Mode().IsRegular() || st.Size() > 1<<20 {
		return nil
	}
	b, err := os.ReadFile(cfg)
	if err != nil {
		return nil
	}
	return argocd.RemoteURLs(b)
}
