package lint

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/opcat-dev/opcat/lib/kustomize"
)

// checkFiles reports YAML files that do not parse or repeat a key, and
// the problems found while loading.
func (p *pass) checkFiles() {
	for _, f := range p.c.Tree.Files() {
		ext := path.Ext(f)
		if ext != ".yaml" && ext != ".yml" && path.Base(f) != "Kustomization" {
			continue
		}
		_, problems, _ := p.c.Tree.ParseFile(f)
		for _, pr := range problems {
			op, ov := p.owner(path.Dir(f))
			p.report(pr.Kind, pr.Pos, op, ov, "", "%s", pr.Message)
		}
	}
	for _, pr := range p.c.Problems {
		if _, ok := Lookup(pr.Kind); ok {
			op, ov := p.owner(path.Dir(pr.Pos.File))
			p.report(pr.Kind, pr.Pos, op, ov, "", "%s", pr.Message)
		}
	}
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
		if err.Kind == "kustomize-remote" {
			// An unpinned remote entry is reported by kustomize-remote-unpinned
			// already, at the same place.
			if entry := p.entryAt(err.Pos); entry == "" || isPin(remoteRef(entry)) {
				p.report("kustomize-remote", err.Pos, op, ov, "vendor the remote base into the catalog",
					"%s; the kustomizations that include it are not built or checked", err.Message)
			}
			continue
		}
		msg := err.Message
		if err.Pos.File != n.File && !strings.HasPrefix(err.Pos.File, dir+"/") {
			msg = fmt.Sprintf("%s (needed by %s)", msg, dir)
		}
		p.report(err.Kind, err.Pos, op, ov, "", "%s", msg)
		for _, more := range err.More {
			if more.Kind == "kustomize-missing-path" {
				p.report(more.Kind, more.Pos, op, ov, "", "%s", more.Message)
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
				p.report("kustomize-deprecated", kustomize.At(n.File, key), op, ov, "run opcat fix",
					"%s is deprecated; use %s", key.Value, repl)
			}
		}
		for _, r := range n.Refs() {
			if !kustomize.IsRemote(r.Value) {
				continue
			}
			switch ref := remoteRef(r.Value); {
			case ref == "":
				p.report("kustomize-remote-unpinned", r.Pos, op, ov, "add ?ref=<tag or commit>",
					"remote %s %q has no ref: it follows the default branch", r.Field, r.Value)
			case !isPin(ref):
				p.report("kustomize-remote-unpinned", r.Pos, op, ov, "use ?ref=<tag or commit>",
					"remote %s %q follows branch %q; pin a tag or a commit", r.Field, r.Value, ref)
			}
		}
	}
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
