package lint

import (
	"bytes"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/argocd"
	"github.com/opcat-dev/opcat/lib/kustomize"
	yaml "go.yaml.in/yaml/v3"
)

// checkArgoCD checks the Argo CD Applications and ApplicationSets of the
// catalog, as written in its files and as its kustomizations render them
// (an ApplicationSet assembled by patches): against Argo CD's CRD schemas,
// and every literal path they deploy from this repository against the
// folders of the catalog. The schemas are parsed only when such an object
// is present.
func (p *pass) checkArgoCD() {
	fromFiles := map[string]bool{} // kind/name/error already reported from a file
	// Placeholders are judged as rendered (a base may hold one that its
	// overlays patch); where the file holds the same value, the finding
	// points there. A file no kustomization renders is judged as written.
	placeholderAt := map[string]kustomize.Position{}
	type pending struct {
		key              string
		pos              kustomize.Position
		op, ov, kind, nm string
		ref              deployRef
	}
	var filePlaceholders []pending
	rendered := map[string]bool{} // kind/name of every rendered Argo CD object
	p.eachWrittenObject(argocd.Group, func(file string, obj *yaml.Node) {
		kind, name, ok := argoObject(obj)
		if !ok {
			return
		}
		op, ov := p.owner(path.Dir(file))
		errs, _ := argocd.ValidateObject(obj)
		for _, e := range errs {
			fromFiles[kind+"/"+name+"/"+e.Error()] = true
			p.report(ArgoCDSchema, kustomize.At(file, nodeAtPath(obj, e.Path)), op, ov, "",
				"%s %s: %s", kind, name, e.Error())
		}
		for _, ref := range p.deployPaths(obj) {
			if placeholderRepo(ref.repoURL) {
				key := kind + "/" + name + "/" + ref.where + "/" + ref.repoURL
				placeholderAt[key] = kustomize.At(file, ref.repoNode)
				filePlaceholders = append(filePlaceholders, pending{key, kustomize.At(file, ref.repoNode), op, ov, kind, name, ref})
				continue
			}
			if !ref.literal || ref.node == nil || ref.path == "" && ref.where != "" && ref.node == ref.repoNode {
				continue
			}
			fromFiles[kind+"/"+name+"/path/"+ref.repoURL+"/"+ref.path] = true
			p.checkDeployPath(kustomize.At(file, ref.node), op, ov, kind, name, ref)
		}
	})
	// As rendered: what patches and generators of a kustomization make.
	checked := map[string]bool{}
	for _, dir := range p.c.Dirs() {
		n := p.c.Kustomizations[dir]
		if n.Result.Err != nil {
			continue
		}
		for _, r := range n.Result.Resources {
			if !argocd.IsArgoCD(r.GetApiVersion(), r.GetKind()) {
				continue
			}
			obj := r.YNode()
			text, err := r.String()
			if err != nil || checked[text] {
				continue
			}
			checked[text] = true
			kind, name := r.GetKind(), r.GetName()
			rendered[kind+"/"+name] = true
			op, ov := p.owner(dir)
			pos := kustomize.Position{File: n.File}
			errs, _ := argocd.ValidateObject(obj)
			for _, e := range errs {
				if fromFiles[kind+"/"+name+"/"+e.Error()] {
					continue
				}
				p.report(ArgoCDSchema, p.renderedFieldPos(n, e.Path, pos), op, ov, "",
					"%s %s as %s renders it: %s", kind, name, dir, e.Error())
			}
			for _, ref := range p.deployPaths(obj) {
				if placeholderRepo(ref.repoURL) {
					at, ok := placeholderAt[kind+"/"+name+"/"+ref.where+"/"+ref.repoURL]
					if !ok {
						at = p.renderedValuePos(n, ref.repoURL, pos)
					}
					p.reportPlaceholder(at, op, ov, kind, name, ref)
					continue
				}
				if !ref.literal || ref.node == ref.repoNode || fromFiles[kind+"/"+name+"/path/"+ref.repoURL+"/"+ref.path] {
					continue
				}
				p.checkDeployPath(p.renderedValuePos(n, ref.path, pos), op, ov, kind, name+" as "+dir+" renders it", ref)
			}
		}
	}
	for _, f := range filePlaceholders {
		if !rendered[f.kind+"/"+f.nm] {
			p.reportPlaceholder(f.pos, f.op, f.ov, f.kind, f.nm, f.ref)
		}
	}
}

// placeholderRepo reports whether a repoURL was evidently left unfilled.
func placeholderRepo(u string) bool {
	return isPlaceholder(u) || strings.Contains(strings.ToUpper(u), "CHANGE-ME")
}

func (p *pass) reportPlaceholder(pos kustomize.Position, op, ov, kind, name string, ref deployRef) {
	p.report(ArgoCDPlaceholder, pos, op, ov, "set repoURL to the Git URL of this repository (and repoURL: in .opcat.yaml)",
		"%s %s: repoURL %q is a placeholder; Argo CD cannot fetch it", kind, name, ref.repoURL)
}

// argoObject returns the kind and name of an Application or ApplicationSet.
func argoObject(obj *yaml.Node) (kind, name string, ok bool) {
	if obj.Kind != yaml.MappingNode {
		return "", "", false
	}
	apiVersion, _, _ := kustomize.ScalarAt(obj, "apiVersion")
	kind, _, _ = kustomize.ScalarAt(obj, "kind")
	if !argocd.IsArgoCD(apiVersion, kind) {
		return "", "", false
	}
	name, _, _ = kustomize.ScalarAt(obj, "metadata", "name")
	return kind, name, true
}

// nodeAtPath returns the deepest node of obj on a schema error's path.
func nodeAtPath(obj *yaml.Node, keys []string) *yaml.Node {
	best, cur := obj, obj
	for _, k := range keys {
		var next *yaml.Node
		switch {
		case cur.Kind == yaml.MappingNode:
			_, next = kustomize.Lookup(cur, k)
		case cur.Kind == yaml.SequenceNode && strings.HasPrefix(k, "["):
			if i, err := strconv.Atoi(strings.Trim(k, "[]")); err == nil && i >= 0 && i < len(cur.Content) {
				next = cur.Content[i]
			}
		}
		if next == nil {
			break
		}
		best, cur = next, next
	}
	if best.Kind == yaml.MappingNode && best == obj && len(obj.Content) > 0 {
		return obj.Content[0]
	}
	return best
}

// deployRef is a path an Argo CD object deploys from, with the repository
// it names.
type deployRef struct {
	repoURL, path, where string
	// node is the path's value, repoNode the repoURL's (nil when absent).
	node, repoNode *yaml.Node
	// literal is false for a path holding a template expression or a glob,
	// which is not checked.
	literal bool
}

// deployPaths lists the paths an object deploys from: an Application's
// spec.source.path and spec.sources[].path, and an ApplicationSet's
// template sources and git generator directories (in matrix and merge
// generators too).
func (p *pass) deployPaths(obj *yaml.Node) []deployRef {
	var out []deployRef
	add := func(src *yaml.Node, where string) {
		if src == nil || src.Kind != yaml.MappingNode {
			return
		}
		repo, rn, _ := kustomize.ScalarAt(src, "repoURL")
		pth, n, _ := kustomize.ScalarAt(src, "path")
		if n == nil {
			n = rn
		}
		out = append(out, deployRef{repoURL: repo, path: pth, where: where + ".path", node: n, repoNode: rn})
	}
	sources := func(spec *yaml.Node, where string) {
		if spec == nil {
			return
		}
		_, src := kustomize.Lookup(spec, "source")
		add(src, where+".source")
		if _, list := kustomize.Lookup(spec, "sources"); list != nil && list.Kind == yaml.SequenceNode {
			for i, s := range list.Content {
				add(s, fmt.Sprintf("%s.sources[%d]", where, i))
			}
		}
	}
	kind, _, _ := kustomize.ScalarAt(obj, "kind")
	_, spec := kustomize.Lookup(obj, "spec")
	if spec == nil || spec.Kind != yaml.MappingNode {
		return nil
	}
	if kind == argocd.KindApplication {
		sources(spec, "spec")
	} else {
		_, tmpl := kustomize.LookupPath(spec, "template", "spec")
		sources(tmpl, "spec.template.spec")
		_, gens := kustomize.Lookup(spec, "generators")
		p.generatorPaths(gens, "spec.generators", &out, 0)
	}
	for i := range out {
		out[i].literal = !strings.Contains(out[i].path, "{{") && !strings.ContainsAny(out[i].path, "*?[")
	}
	return out
}

// generatorPaths collects git directory paths of a list of generators.
func (p *pass) generatorPaths(gens *yaml.Node, where string, out *[]deployRef, depth int) {
	if gens == nil || gens.Kind != yaml.SequenceNode || depth > 3 {
		return
	}
	for i, g := range gens.Content {
		at := fmt.Sprintf("%s[%d]", where, i)
		if _, git := kustomize.Lookup(g, "git"); git != nil && git.Kind == yaml.MappingNode {
			repo, rn, _ := kustomize.ScalarAt(git, "repoURL")
			if _, dirs := kustomize.Lookup(git, "directories"); dirs != nil && dirs.Kind == yaml.SequenceNode {
				for j, d := range dirs.Content {
					if ex, _, _ := kustomize.ScalarAt(d, "exclude"); ex == "true" {
						continue
					}
					if pth, n, ok := kustomize.ScalarAt(d, "path"); ok {
						*out = append(*out, deployRef{repoURL: repo, path: pth, where: fmt.Sprintf("%s.git.directories[%d].path", at, j), node: n, repoNode: rn})
					}
				}
			}
		}
		for _, combo := range []string{"matrix", "merge"} {
			if _, inner := kustomize.LookupPath(g, combo, "generators"); inner != nil {
				p.generatorPaths(inner, at+"."+combo+".generators", out, depth+1)
			}
		}
	}
}

// thisRepo reports whether repoURL names the catalog's own repository.
func (p *pass) thisRepo(repoURL string) bool {
	if argocd.SameRepo(repoURL, p.cfg.RepoURL) {
		return true
	}
	for _, u := range p.opts.RepoURLs {
		if argocd.SameRepo(repoURL, u) {
			return true
		}
	}
	return false
}

// checkDeployPath reports a path of this repository that names no folder
// of the catalog, or one that does not build.
func (p *pass) checkDeployPath(pos kustomize.Position, op, ov, kind, name string, ref deployRef) {
	if !p.thisRepo(ref.repoURL) {
		return
	}
	rel := strings.Trim(path.Clean("/"+ref.path), "/")
	if p.cfg.RepoPath != "" {
		if rel != p.cfg.RepoPath && !strings.HasPrefix(rel, p.cfg.RepoPath+"/") {
			p.report(ArgoCDPath, pos, op, ov, "correct the path, relative to the top of the repository",
				"%s %s: %s %q is outside the catalog, which sits in folder %s of %s", kind, name, ref.where, ref.path, p.cfg.RepoPath, ref.repoURL)
			return
		}
		rel = strings.TrimPrefix(strings.TrimPrefix(rel, p.cfg.RepoPath), "/")
	}
	if rel == "" {
		rel = "."
	}
	if !p.c.Tree.IsDir(rel) {
		p.report(ArgoCDPath, pos, op, ov, "correct the path (relative to the top of the repository) or add the folder",
			"%s %s: %s %q names no folder of the catalog; Argo CD reports the application as ComparisonError", kind, name, ref.where, ref.path)
		return
	}
	if n, ok := p.c.Kustomizations[rel]; ok && n.Result.Err != nil {
		p.report(ArgoCDPath, pos, op, ov, "fix the kustomization's build (opcat validate reports why)",
			"%s %s: %s %q is a kustomization that does not build: %s", kind, name, ref.where, ref.path, firstLine(n.Result.Err.Error()))
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// renderedValuePos finds the JSON patch operation of the kustomization n
// that writes value, for a finding on a rendered object; def otherwise.
func (p *pass) renderedValuePos(n *catalog.Node, value string, def kustomize.Position) kustomize.Position {
	if n.Kustomization == nil || n.Node == nil {
		return def
	}
	for _, pr := range n.Patches() {
		ops, _, ok := p.c.Tree.JSONPatch(n.Kustomization, pr)
		if !ok {
			continue
		}
		for _, o := range ops {
			if v, ok := o.ValueString(); ok && v == value && (o.Op == "add" || o.Op == "replace") {
				return o.ValuePos
			}
		}
	}
	return def
}

// renderedFieldPos finds the last JSON patch operation of the kustomization
// n that writes the field at keys or one of its parents; def otherwise.
func (p *pass) renderedFieldPos(n *catalog.Node, keys []string, def kustomize.Position) kustomize.Position {
	if n.Kustomization == nil || n.Node == nil {
		return def
	}
	want := make([]string, len(keys))
	for i, k := range keys {
		want[i] = strings.Trim(k, "[]")
	}
	found := def
	for _, pr := range n.Patches() {
		ops, _, ok := p.c.Tree.JSONPatch(n.Kustomization, pr)
		if !ok {
			continue
		}
		for _, o := range ops {
			if o.Op != "add" && o.Op != "replace" && o.Op != "copy" && o.Op != "move" {
				continue
			}
			toks := kustomize.SplitPointer(o.Path)
			if len(toks) > 1 && len(toks) <= len(want) && strings.Join(toks, "/") == strings.Join(want[:len(toks)], "/") {
				found = o.Pos
				if len(toks) == len(want) && o.ValuePos.File != "" {
					found = o.ValuePos
				}
			}
		}
	}
	return found
}

// eachWrittenObject calls fn with every top-level object written in a YAML
// file of the catalog that mentions marker (an API group): files that
// cannot hold such an object are not parsed.
func (p *pass) eachWrittenObject(marker string, fn func(file string, obj *yaml.Node)) {
	for _, file := range p.c.Tree.Files() {
		if ext := path.Ext(file); ext != ".yaml" && ext != ".yml" {
			continue
		}
		data, _ := p.c.Tree.ReadFile(file)
		if !bytes.Contains(data, []byte(marker)) {
			continue
		}
		docs, _, ok := p.c.Tree.ParseFile(file)
		if !ok {
			continue
		}
		for _, d := range docs {
			if len(d.Content) > 0 {
				fn(file, d.Content[0])
			}
		}
	}
}
