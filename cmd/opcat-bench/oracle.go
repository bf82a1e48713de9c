package main

import (
	"context"
	"fmt"
	"github.com/opcat-dev/opcat/lib/kustomize/kustomizetest"
	"io"
	"os"
	"path/filepath"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// runOracle is `opcat-bench oracle`: for every patch of every kustomization
// that builds, it removes the patch and builds again, and checks the
// verdict of patch-target-unmatched against what that changes. A patch
// whose removal changes the build is applied: a finding on it is false. A
// patch whose removal changes nothing is either unmatched (a finding is
// expected) or applied without effect (no finding is right); the probe
// build tells which.
func runOracle(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("oracle", "[flags]", stderr)
	dir := fs.String("catalog", defaultCatalog, "`DIR` of the catalog to check")
	verbose := fs.Bool("v", false, "print every patch, not only the unmatched ones and the disagreements")
	gitLinks := fs.Bool("git-links", true, "treat files that git writes for symbolic links in checkouts without symlink support as the links they stand for: check a copy of the catalog with real links")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		return usageErrorf(stderr, "oracle: catalog folder %s not found; pass -catalog DIR", *dir)
	}
	root, err := filepath.Abs(*dir)
	if err != nil {
		return failf(stderr, "oracle: %v", err)
	}
	if *gitLinks {
		links, err := kustomizetest.GitLinkFiles(root)
		if err != nil {
			return failf(stderr, "oracle: %v", err)
		}
		if len(links) > 0 {
			tmp, err := os.MkdirTemp("", "opcat-oracle-")
			if err != nil {
				return failf(stderr, "oracle: %v", err)
			}
			defer os.RemoveAll(tmp)
			copyRoot := filepath.Join(tmp, filepath.Base(root))
			if err := kustomizetest.CopyWithLinks(root, copyRoot, links); err != nil {
				return failf(stderr, "oracle: copying the catalog: %v", err)
			}
			fmt.Fprintf(stdout, "git link files %d, checked on a copy with real links\n", len(links))
			root = copyRoot
		}
	}
	restore := quietStderr()
	c, err := catalog.Load(context.Background(), root, catalog.Options{})
	if err != nil {
		restore()
		return failf(stderr, "oracle: %v", err)
	}
	findings, err := lint.Run(context.Background(), c, lint.Config{}, lint.Options{})
	if err != nil {
		restore()
		return failf(stderr, "oracle: %v", err)
	}
	rows := lint.PatchOracle(c, findings)
	restore()
	var n oracleCounts
	fmt.Fprintf(stdout, "catalog  %s\n", root)
	for _, r := range rows {
		n.add(r)
		if *verbose || r.Finding || r.Disagrees() {
			fmt.Fprintf(stdout, "  %s\n", r)
		}
	}
	fmt.Fprintf(stdout, "\npatches %d: %d not judged (no build of theirs succeeds); %d change the build, %d with a finding (false); %d change nothing: %d with a finding (unmatched), %d without (applied, no effect: probe %s)\n",
		n.total, n.unknown, n.changed, n.falseFindings, n.unchanged, n.unmatched, n.noop, n.noopProbes())
	if n.falseFindings > 0 || n.missed > 0 {
		fmt.Fprintf(stdout, "oracle DISAGREES on %d patches\n", n.falseFindings+n.missed)
		return exitFailure
	}
	fmt.Fprintf(stdout, "oracle agrees with patch-target-unmatched on every patch\n")
	return exitOK
}

type oracleCounts struct {
	total, unknown, changed, falseFindings, unchanged, unmatched, noop, missed int
	noopBy                                                                     map[kustomize.PatchVerdict]int
}

func (n *oracleCounts) add(r lint.PatchOracleRow) {
	n.total++
	switch {
	case !r.Known:
		n.unknown++
	case r.Changed:
		n.changed++
		if r.Finding {
			n.falseFindings++
		}
	default:
		n.unchanged++
		if r.Finding {
			n.unmatched++
			return
		}
		n.noop++
		if n.noopBy == nil {
			n.noopBy = map[kustomize.PatchVerdict]int{}
		}
		n.noopBy[r.Probe]++
		if r.Probe == kustomize.PatchUnmatched {
			n.missed++
		}
	}
}

func (n *oracleCounts) noopProbes() string {
	return fmt.Sprintf("%d applied, %d unmatched, %d without target", n.noopBy[kustomize.PatchApplied], n.noopBy[kustomize.PatchUnmatched], n.noopBy[kustomize.PatchUnknown])
}
