package lint

import (
	"fmt"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/diag"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/opcat-dev/opcat/lib/kustomize"
)

// checkFiles reports YAML files that do not parse or repeat a key (Helm
// chart files are templates, not YAML manifests, and are left alone), the
// problems found while loading, the Helm charts kustomizations inflate and
// the Subscriptions no kustomization uses.
func (p *pass) checkFiles() {
	for _, f := range p.c.Tree.Files() {
		ext := path.Ext(f)
		if ext != ".yaml" && ext != ".yml" && path.Base(f) != "Kustomization" {
			continue
		}
		if p.c.ChartDir(f) != "" {
			continue
		}
		_, problems, _ := p.c.Tree.ParseFile(f)
		for _, pr := range problems {
			op, ov := p.owner(path.Dir(f))
			if pr.Cause == kustomize.CauseYAMLSyntax {
				pr = p.culprit(pr)
			}
			p.report(RuleFor(pr.Cause), pr.Pos, op, ov, "", "%s", pr.Message)
		}
	}
	for _, pr := range p.c.Problems {
		op, ov := p.owner(path.Dir(pr.Pos.File))
		if pr.Cause == kustomize.CauseYAMLSyntax {
			pr = p.culprit(pr)
		}
		rule := RuleFor(pr.Cause)
		if rule == FileRefused {
			if users := p.c.UsedBy(pr.Pos.File); len(users) > 0 {
				p.reportAtLeast(diag.Error, rule, pr.Pos, op, ov, "", "%s; %s needs it, so it does not build", pr.Message, strings.Join(users, ", "))
				continue
			}
		}
		p.report(rule, pr.Pos, op, ov, "", "%s", pr.Message)
	}
	for _, dir := range p.c.Dirs() {
		// Components are not built on their own: their charts are
		// reported here, with the words of the build's finding.
		n := p.c.Kustomizations[dir]
		if key := n.FieldKey("helmCharts"); key != nil && n.Node != nil && n.Role == catalog.RoleComponent {
			op, ov := p.owner(dir)
			p.report(KustomizeHelm, kustomize.At(n.File, key), op, ov, helmFix, "%s", helmMessage)
		}
	}
	for _, u := range p.c.Unused {
		op, ov := p.owner(path.Dir(u.File))
		p.report(SubscriptionUnused, u.Pos, op, ov, "list the file in a kustomization's resources, or delete it",
			"Subscription %s (package %s) is in a file no kustomization uses: oc apply -k and kustomize-based Argo CD apps never apply it", orDefault(u.Name, "without a name"), orDefault(u.Package, "unset"))
	}
}

// invisibles are characters that look like a space but are not YAML
// whitespace: a file indented with them does not parse, and the parser's
// message names neither the character nor, often, its line.
var invisibles = map[rune]string{
	'\u00a0': "U+00A0 (non-breaking space)",
	'\u2007': "U+2007 (figure space)",
	'\u202f': "U+202F (narrow non-breaking space)",
	'\u200b': "U+200B (zero-width space)",
	'\u3000': "U+3000 (ideographic space)",
	'\ufeff': "U+FEFF (byte order mark inside the file)",
}

// culprit points a YAML syntax problem at the first invisible character
// used where YAML wants whitespace (indentation, after a colon or a dash),
// when the file has one: that line is the one to fix, whatever line the
// parser stopped at.
func (p *pass) culprit(pr kustomize.Problem) kustomize.Problem {
	data, ok := p.c.Tree.ReadFile(pr.Pos.File)
	if !ok {
		return pr
	}
	for i, line := range strings.Split(string(data), "\n") {
		col := 0
		prev := ' '
		leading := true
		for j, r := range line {
			col++
			name, bad := invisibles[r]
			if r == '\ufeff' && i == 0 && j == 0 {
				bad = false // a byte order mark at the start is allowed
			}
			if bad && (leading || prev == ':' || prev == '-') {
				where := "in the indentation"
				if !leading {
					where = "after the " + string(prev)
				}
				return kustomize.Problem{Cause: pr.Cause, Pos: kustomize.Position{File: pr.Pos.File, Line: i + 1, Column: col},
					Message: fmt.Sprintf("YAML does not parse: %s %s of line %d, where YAML takes only spaces; replace it with a space (the parser stops at line %d: %s)",
						name, where, i+1, pr.Pos.Line, strings.TrimPrefix(pr.Message, "YAML does not parse: "))}
			}
			if r != ' ' && r != '\t' && !bad {
				leading = false
			}
			prev = r
		}
	}
	return pr
}

// checkBuilds reports every kustomization that does not build, under the
// rule that names the cause, at the entry that causes it.
func (p *pass) checkBuilds() {
	for _, dir := range p.c.Dirs() {
		n := p.c.Kustomizations[dir]
		err := n.Result.Err
		if err == nil {
			continue
		}
		op, ov := p.owner(dir)
		rule := RuleFor(err.Cause)
		if rule == KustomizeRemote {
			// An unpinned remote entry is reported by kustomize-remote-unpinned
			// already, at the same place.
			if entry := p.entryAt(err.Pos); entry == "" || remotePin(entry).pinned {
				p.report(KustomizeRemote, err.Pos, op, ov, "vendor the remote base into the catalog",
					"%s; the kustomizations that include it are not built or checked", err.Message)
			}
			continue
		}
		if rule == KustomizeHelm {
			// Reported once, at the chart entry, whoever includes it.
			hop, hov := p.owner(path.Dir(err.Pos.File))
			p.report(rule, err.Pos, hop, hov, helmFix, "%s", err.Message)
			continue
		}
		msg := err.Message
		if err.Pos.File != n.File && !strings.HasPrefix(err.Pos.File, dir+"/") {
			msg = fmt.Sprintf("%s (needed by %s)", msg, dir)
		}
		p.report(rule, err.Pos, op, ov, "", "%s", msg)
		for _, more := range err.More {
			if RuleFor(more.Cause) == KustomizeMissingPath {
				p.report(KustomizeMissingPath, more.Pos, op, ov, "", "%s", more.Message)
			}
		}
	}
}

// checkKustomizations reports deprecated fields and unpinned remote bases.
func (p *pass) checkKustomizations() {
	for _, dir := range p.c.Dirs() {
		n := p.c.Kustomizations[dir]
		if n.Node == nil {
			continue
		}
		op, ov := p.owner(dir)
		for i := 0; i+1 < len(n.Node.Content); i += 2 {
			key := n.Node.Content[i]
			if repl, ok := kustomize.DeprecatedFieldReplacement(key.Value); ok {
				p.report(KustomizeDeprecated, kustomize.At(n.File, key), op, ov, "run opcat fix",
					"%s is deprecated; use %s", key.Value, repl)
			}
		}
		for _, r := range n.Refs() {
			if !kustomize.IsRemote(r.Value) {
				continue
			}
			pin := remotePin(r.Value)
			if pin.pinned {
				continue
			}
			p.report(KustomizeRemoteUnpinned, r.Pos, op, ov, pin.fix, "remote %s entry %q %s", r.Field, r.Value, pin.why)
		}
	}
}

// pin says whether a remote entry pins what it fetches, and if not why
// and how to pin it, in the terms of the URL's kind.
type pin struct {
	pinned   bool
	why, fix string
}

var (
	// rawRE matches the URLs that serve a file of a Git repository at a
	// ref named in the path: raw.githubusercontent.com/<owner>/<repo>/<ref>/...,
	// github.com/<owner>/<repo>/{raw,blob}/<ref>/...,
	// gitlab.com/<group>/<repo>/-/{raw,blob}/<ref>/...; a ref may be
	// refs/heads/<branch> or refs/tags/<tag>.
	rawRE = regexp.MustCompile(`^(?:https?://)?(?:raw\.githubusercontent\.com/[^/]+/[^/]+/|(?:www\.)?github\.com/[^/]+/[^/]+/(?:raw|blob)/|[^/]+/.+?/-/(?:raw|blob)/)((?:refs/(?:heads|tags)/)?[^/]+)/`)
	// releaseRE matches a release asset at a tag:
	// github.com/<owner>/<repo>/releases/download/<tag>/<file>.
	releaseRE = regexp.MustCompile(`^(?:https?://)?[^/]+/[^/]+/[^/]+/(?:-/)?releases/download/([^/]+)/`)
	// latestRE matches a release asset that follows the latest release.
	latestRE = regexp.MustCompile(`/releases/latest/download/`)
)

// remotePin classifies a remote entry: a Git base (pinned by ?ref= or
// ?version=), a raw file of a repository (pinned by the tag or commit in
// its path), a release asset (pinned by its tag), or another HTTP URL
// (pinned when its path names a version).
func remotePin(entry string) pin {
	if ref := remoteRef(entry); ref != "" {
		if isPin(ref) {
			return pin{pinned: true}
		}
		return pin{why: fmt.Sprintf("follows branch %q; pin a tag or a commit", ref), fix: "use ?ref=<tag or commit>"}
	}
	u := strings.SplitN(entry, "?", 2)[0]
	if latestRE.MatchString(u) {
		return pin{why: "follows the latest release; name a release tag", fix: "replace latest/download with download/<tag>"}
	}
	if m := releaseRE.FindStringSubmatch(u); m != nil {
		return pin{pinned: true}
	}
	if m := rawRE.FindStringSubmatch(u); m != nil {
		ref := m[1]
		switch {
		case strings.HasPrefix(ref, "refs/tags/"):
			return pin{pinned: true}
		case strings.HasPrefix(ref, "refs/heads/"):
			branch := strings.TrimPrefix(ref, "refs/heads/")
			return pin{why: fmt.Sprintf("follows branch %q (refs/heads/ in its path); name a tag or a commit", branch), fix: "replace " + ref + " in the URL with a tag or a commit"}
		case isPin(ref):
			return pin{pinned: true}
		}
		return pin{why: fmt.Sprintf("follows branch %q (in its path); name a tag or a commit", ref), fix: "replace the branch " + ref + " in the URL with a tag or a commit"}
	}
	if strings.HasPrefix(strings.ToLower(u), "http://") || strings.HasPrefix(strings.ToLower(u), "https://") {
		if !looksLikeRepo(u) {
			if versionRE.MatchString(u) {
				return pin{pinned: true}
			}
			return pin{why: "names no version or commit: what it serves can change", fix: "vendor the file into the catalog, or use a URL that names a release or a commit"}
		}
	}
	return pin{why: "has no ref: it follows the default branch", fix: "add ?ref=<tag or commit>"}
}

// versionRE finds a version or a commit in a URL path: /v1.2/, /1.2.3/,
// -1.2.3.yaml, a 40-hex commit.
var versionRE = regexp.MustCompile(`(?:^|[/_-])v?\d+\.\d+(?:\.\d+)?(?:[/_.-]|$)|/[0-9a-f]{40}(?:/|$)`)

// looksLikeRepo reports whether an HTTP URL names a Git repository (a
// kustomize base) rather than a file: its last segment has no extension.
func looksLikeRepo(u string) bool {
	last := path.Base(strings.TrimSuffix(u, "/"))
	ext := path.Ext(last)
	return ext == "" || ext == ".git"
}

// remoteRef returns the ref (or version) a remote entry pins, or "".
func remoteRef(entry string) string {
	if i := strings.Index(entry, "?"); i >= 0 {
		q, err := url.ParseQuery(entry[i+1:])
		if err == nil {
			if r := q.Get("ref"); r != "" {
				return r
			}
			return q.Get("version")
		}
	}
	return ""
}

var (
	commitRE = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
	tagRE    = regexp.MustCompile(`\d`)
	branches = map[string]bool{"main": true, "master": true, "develop": true, "development": true, "dev": true, "trunk": true, "head": true}
)

// isPin reports whether a ref pins a tag or a commit: a commit is 7 to 40
// hex digits; a tag names a version, so it holds a digit. Branch names
// such as main and master do not pin.
func isPin(ref string) bool {
	if branches[strings.ToLower(ref)] {
		return false
	}
	return commitRE.MatchString(ref) || tagRE.MatchString(ref)
}

// What kustomize-helm says and suggests.
const (
	helmMessage = "helmCharts run the helm program, which opcat never runs; the folder is not built or checked"
	helmFix     = "render the chart into the catalog (helm template) to have it checked"
)

// entryAt returns the resources, bases or components entry written at pos.
func (p *pass) entryAt(pos kustomize.Position) string {
	n, ok := p.c.Kustomizations[path.Dir(pos.File)]
	if !ok || n.Node == nil {
		return ""
	}
	for _, r := range n.Refs() {
		if r.Pos == pos {
			return r.Value
		}
	}
	return ""
}
