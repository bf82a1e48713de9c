package lint

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/kustomize"
	yaml "go.yaml.in/yaml/v3"
)

// ConfigFile is the name of the configuration file at the catalog root.
const ConfigFile = ".opcat.yaml"

// Config switches rules off, changes severities and ignores paths. The zero
// value runs every rule at its default severity.
type Config struct {
	// Off lists the rules that do not run.
	Off map[ID]bool
	// Severity overrides the default severity of rules.
	Severity map[ID]diag.Severity
	// Ignore lists path globs (relative to the root, ** for any folders)
	// whose findings are dropped.
	Ignore []string
	// Indexes lists operator indexes as [SOURCE=]PATH.
	Indexes []string
	// Conventions says which layout conventions the catalog follows, by
	// name (see Conventions); a convention not listed is inferred.
	Conventions map[string]Convention
	// RepoURL is the Git repository the catalog is in, as Argo CD objects
	// name it in repoURL; RepoPath is the catalog root's folder in it ("" for
	// its top). The argocd-path rule checks the paths of objects that
	// deploy from this repository.
	RepoURL, RepoPath string
}

// Convention says whether a catalog follows a layout convention.
type Convention int

// The settings of a convention.
const (
	// ConventionAuto infers it: the convention applies when at least half
	// of the operators that could follow it do.
	ConventionAuto Convention = iota
	// ConventionOn applies it to every operator.
	ConventionOn
	// ConventionOff applies it to none.
	ConventionOff
)

// The layout conventions opcat checks only where a catalog follows them,
// with the rules that check each.
var conventions = map[string]ID{
	// An overlays/kustomization.yaml that selects the default overlay.
	"default-overlay": CatalogDefaultOverlay,
	// The overlay list between the opcat markers of each operator README.
	"readme-overlays": CatalogReadmeStale,
	// Channel overlay folders named after the channel they set.
	"channel-folders": OverlayChannelMismatch,
}

// Conventions returns the names of the layout conventions, sorted.
func Conventions() []string {
	out := make([]string, 0, len(conventions))
	for k := range conventions {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// LoadConfig reads a configuration file. A missing file gives the zero
// Config when optional is true.
func LoadConfig(file string, optional bool) (Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		if optional && os.IsNotExist(err) {
			return Config{}, nil
		}
		return Config{}, fmt.Errorf("unable to read config: %w", err)
	}
	return ParseConfig(file, data)
}

// ParseConfig parses the content of a configuration file:
//
//	rules:
//	  kustomize-deprecated: off
//	  patch-path-missing: error
//	ignore:
//	  - legacy/**
//	indexes:
//	  - redhat-operators=indexes/v4.18
//	conventions:
//	  default-overlay: auto   # or on, off
//	  readme-overlays: auto
//	  channel-folders: off
func ParseConfig(file string, data []byte) (Config, error) {
	cfg := Config{Off: map[ID]bool{}, Severity: map[ID]diag.Severity{}}
	docs, problems := kustomize.ParseYAML(file, data)
	if len(problems) > 0 {
		return cfg, fmt.Errorf("unable to read config: %s", problems[0].Error())
	}
	if len(docs) == 0 {
		return cfg, nil
	}
	root := docs[0].Content[0]
	if root.Kind != yaml.MappingNode {
		return cfg, fmt.Errorf("unable to read config: %s: the config must be a mapping with rules, ignore and indexes", kustomize.At(file, root))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		pos := kustomize.At(file, k)
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			if _, known := map[string]bool{"rules": true, "ignore": true, "indexes": true, "conventions": true, "repoURL": true, "repoPath": true}[k.Value]; known {
				continue // "rules:" with nothing under it: nothing to configure
			}
		}
		switch k.Value {
		case "rules":
			if v.Kind != yaml.MappingNode {
				return cfg, fmt.Errorf("unable to read config: %s: rules must map rule ids to off, info, warning or error", pos)
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				id, val := v.Content[j], v.Content[j+1]
				if _, ok := Lookup(ID(id.Value)); !ok {
					return cfg, fmt.Errorf("unable to read config: %s: unknown rule %q; known rules: %s", kustomize.At(file, id), id.Value, strings.Join(ruleIDs(), ", "))
				}
				switch strings.ToLower(val.Value) {
				case "off", "false", "disable", "disabled":
					cfg.Off[ID(id.Value)] = true
				default:
					sev, err := diag.ParseSeverity(val.Value)
					if err != nil {
						return cfg, fmt.Errorf("unable to read config: %s: rule %s: %q is not off, info, warning or error", kustomize.At(file, val), id.Value, val.Value)
					}
					cfg.Severity[ID(id.Value)] = sev
				}
			}
		case "ignore", "indexes":
			list, err := stringList(file, v)
			if err != nil {
				return cfg, err
			}
			if k.Value == "ignore" {
				for _, g := range list {
					if _, err := path.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil {
						return cfg, fmt.Errorf("unable to read config: %s: bad glob %q: %v", kustomize.At(file, v), g, err)
					}
				}
				cfg.Ignore = list
			} else {
				cfg.Indexes = list
			}
		case "conventions":
			if v.Kind != yaml.MappingNode {
				return cfg, fmt.Errorf("unable to read config: %s: conventions must map %s to auto, on or off", pos, strings.Join(Conventions(), ", "))
			}
			cfg.Conventions = map[string]Convention{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				name, val := v.Content[j], v.Content[j+1]
				if _, ok := conventions[name.Value]; !ok {
					return cfg, fmt.Errorf("unable to read config: %s: unknown convention %q; known conventions: %s", kustomize.At(file, name), name.Value, strings.Join(Conventions(), ", "))
				}
				switch strings.ToLower(val.Value) {
				case "auto":
					cfg.Conventions[name.Value] = ConventionAuto
				case "on", "true", "yes":
					cfg.Conventions[name.Value] = ConventionOn
				case "off", "false", "no":
					cfg.Conventions[name.Value] = ConventionOff
				default:
					return cfg, fmt.Errorf("unable to read config: %s: convention %s: %q is not auto, on or off", kustomize.At(file, val), name.Value, val.Value)
				}
			}
		case "repoURL", "repoPath":
			if v.Kind != yaml.ScalarNode {
				return cfg, fmt.Errorf("unable to read config: %s: %s must be a string", kustomize.At(file, v), k.Value)
			}
			if k.Value == "repoURL" {
				cfg.RepoURL = v.Value
			} else {
				cfg.RepoPath = strings.Trim(path.Clean("/"+v.Value), "/")
			}
		default:
			return cfg, fmt.Errorf("unable to read config: %s: unknown key %q; use rules, ignore, indexes, conventions, repoURL and repoPath", pos, k.Value)
		}
	}
	return cfg, nil
}

func stringList(file string, v *yaml.Node) ([]string, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("unable to read config: %s: expected a list", kustomize.At(file, v))
	}
	var out []string
	for _, e := range v.Content {
		if e.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("unable to read config: %s: expected a string", kustomize.At(file, e))
		}
		out = append(out, e.Value)
	}
	return out, nil
}

func ruleIDs() []string {
	var ids []string
	for _, r := range rules {
		ids = append(ids, string(r.ID))
	}
	sort.Strings(ids)
	return ids
}

// ignored reports whether p matches one of the globs.
func ignored(globs []string, p string) bool {
	for _, g := range globs {
		if globMatch(g, p) {
			return true
		}
	}
	return false
}

// globMatch matches a slash path against a glob in which ** stands for any
// number of folders and a glob naming a folder matches all below it.
func globMatch(glob, p string) bool {
	ok, _ := globMatchSteps(glob, p)
	return ok
}

// globMatchSteps is globMatch; steps counts the segment comparisons made.
// The glob runs as a set of positions in it, advanced one path segment at
// a time, so the work is at most (glob segments + 1) × path segments
// whatever the number of **: a backtracking match is exponential in it.
func globMatchSteps(glob, p string) (ok bool, steps int) {
	gs := strings.Split(strings.Trim(glob, "/"), "/")
	ps := strings.Split(p, "/")
	cur := make([]bool, len(gs)+1)
	next := make([]bool, len(gs)+1)
	// closure adds the positions past each ** that may match no folder.
	closure := func(set []bool) {
		for i := 0; i < len(gs); i++ {
			if set[i] && gs[i] == "**" {
				set[i+1] = true
			}
		}
	}
	cur[0] = true
	closure(cur)
	for _, seg := range ps {
		if cur[len(gs)] {
			return true, steps // a folder glob matches everything below it
		}
		clear(next)
		alive := false
		for i := 0; i < len(gs); i++ {
			if !cur[i] {
				continue
			}
			steps++
			if gs[i] == "**" {
				next[i], alive = true, true
			} else if m, _ := path.Match(gs[i], seg); m {
				next[i+1], alive = true, true
			}
		}
		if !alive {
			return false, steps
		}
		closure(next)
		cur, next = next, cur
	}
	return cur[len(gs)], steps
}

// suppressed reports whether a `# opcat:ignore <rule-id> <reason>` comment
// on the finding's line or the line above names its rule.
func suppressed(data []byte, line int, rule string) bool {
	if line <= 0 {
		return false
	}
	lines := kustomize.Lines(data)
	for _, l := range []int{line - 1, line - 2} {
		if l < 0 || l >= len(lines) {
			continue
		}
		s := string(lines[l])
		i := strings.Index(s, "opcat:ignore")
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+len("opcat:ignore"):])
		if len(fields) > 0 && fields[0] == rule {
			return true
		}
	}
	return false
}
