// Package export renders the desired state of a catalog into a folder that
// can be applied without Git: one manifest per selected overlay, ordered for
// apply, a SHA256SUMS file and export.json (source commit, versions, the
// selection and a digest of the whole export). The same catalog and
// selection give the same bytes, as a folder, a .tar.gz or an OCI image
// layout.
package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/kustomize"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// Names of the files every export holds besides its manifests.
const (
	MetadataFile = "export.json"
	SumsFile     = "SHA256SUMS"
	ManifestDir  = "manifests"
	// Format is the value of export.json's "format".
	Format = "opcat.export/v1"
)

// SyncWaveAnnotation orders objects for apply, as Argo CD does.
const SyncWaveAnnotation = "argocd.argoproj.io/sync-wave"

// Options select what is exported and describe where it came from.
type Options struct {
	// Overlays chooses an overlay per operator (operator name or folder →
	// overlay name); every other operator exports its default overlay.
	Overlays map[string]string
	// Cluster, when set, selects the overlays instead as the catalog's
	// ApplicationSets deploy them to a cluster with its labels (see
	// ClusterSelection); Overlays must then be empty.
	Cluster *ClusterOptions
	// Source is the commit the catalog is at; see Source.
	Source Source
	// Version is opcat's version, recorded in export.json.
	Version string
}

// Source is the commit an export was made from.
type Source struct {
	// Commit is the full object name, or "" when unknown.
	Commit string `json:"commit"`
	// Ref is the branch, when known.
	Ref string `json:"ref,omitempty"`
	// Time is the commit's committer time; zero when unknown. It is the
	// modification time of every file in the .tar.gz (else 1970-01-01).
	Time time.Time `json:"-"`
	// Note says why something is unknown.
	Note string `json:"note,omitempty"`
}

// Selected is one exported overlay.
type Selected struct {
	// Operator is the operator's folder relative to the catalog root.
	Operator string `json:"operator"`
	// Overlay is the overlay's name and Path its folder.
	Overlay string `json:"overlay"`
	Path    string `json:"path"`
	// Chosen is true when Options.Overlays chose it, false for a default.
	Chosen bool `json:"chosen,omitempty"`
	// ApplicationSet is the ApplicationSet that deploys it to the cluster,
	// for a selection by cluster labels.
	ApplicationSet *AppSetRef `json:"applicationSet,omitempty"`
	// Manifest is the file in the export that holds the rendered overlay.
	Manifest string `json:"manifest"`
	// Objects counts the objects in it.
	Objects int `json:"objects"`
}

// Skipped is an operator that has nothing to export.
type Skipped struct {
	Operator string `json:"operator"`
	Reason   string `json:"reason"`
}

// Metadata is the content of export.json.
type Metadata struct {
	Format string `json:"format"`
	Source struct {
		Source
		Time string `json:"time,omitempty"`
	} `json:"source"`
	Opcat     string `json:"opcat"`
	Kustomize string `json:"kustomize"`
	// Cluster is the cluster whose labels selected the overlays, and
	// what each ApplicationSet deploys to it; nil otherwise.
	Cluster   *ClusterRecord `json:"cluster,omitempty"`
	Selection []Selected     `json:"selection"`
	Skipped   []Skipped      `json:"skipped,omitempty"`
	// Digest is "sha256:" and the SHA-256 of the SHA256SUMS lines of the
	// manifests (every line but export.json's), in file order.
	Digest string `json:"digest"`
}

// File is one file of an export.
type File struct {
	Name string
	Data []byte
}

// Export is a rendered export, in memory.
type Export struct {
	Meta Metadata
	// Files are every file, sorted by name: manifests, export.json and
	// SHA256SUMS.
	Files []File
	// Time is the modification time written in archives.
	Time time.Time
}

// Selection returns the overlays the options select, in operator order,
// and the operators left out. An --overlay naming an unknown operator or
// overlay is an error.
func Selection(c *catalog.Catalog, overlays map[string]string) ([]Selected, []Skipped, []*catalog.Overlay, error) {
	chosen := map[*catalog.Operator]string{}
	for _, name := range sortedKeys(overlays) {
		op, err := c.FindOperator(name)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("overlay chosen for %s: %w", name, err)
		}
		if op.Overlay(overlays[name]) == nil {
			return nil, nil, nil, fmt.Errorf("overlay %s=%s: operator %s has no overlay %q (it has %s)", name, overlays[name], op.Dir, overlays[name], overlayNames(op))
		}
		if prev, dup := chosen[op]; dup && prev != overlays[name] {
			return nil, nil, nil, fmt.Errorf("the overlays chosen name operator %s twice (%s and %s)", op.Dir, prev, overlays[name])
		}
		chosen[op] = overlays[name]
	}
	var sel []Selected
	var skipped []Skipped
	var ovs []*catalog.Overlay
	seen := map[string]string{}
	for _, op := range c.Operators {
		name, isChosen := chosen[op]
		if !isChosen {
			name = op.DefaultOverlay
		}
		ov := op.Overlay(name)
		if ov == nil {
			reason := "no default overlay; choose one with --overlay " + op.Dir + "=OVERLAY (" + overlayNames(op) + ")"
			if name != "" {
				reason = "its default overlay " + name + " does not exist"
			}
			skipped = append(skipped, Skipped{Operator: op.Dir, Reason: reason})
			continue
		}
		manifest := path.Join(ManifestDir, op.Dir, ov.Name+".yaml")
		if other, dup := seen[manifest]; dup {
			return nil, nil, nil, fmt.Errorf("operators %s and %s would both export %s", other, op.Dir, manifest)
		}
		seen[manifest] = op.Dir
		sel = append(sel, Selected{Operator: op.Dir, Overlay: ov.Name, Path: ov.Dir, Chosen: isChosen, Manifest: manifest})
		ovs = append(ovs, ov)
	}
	return sel, skipped, ovs, nil
}

// BuildError is a selected overlay that does not build.
type BuildError struct {
	// Overlay is the overlay's folder.
	Overlay string
	Err     *kustomize.BuildError
}

// Error names the overlay, what the engine said and the kind of failure.
func (e *BuildError) Error() string {
	return e.Overlay + " does not build: " + e.Err.Error() + " [" + string(lint.RuleFor(e.Err.Cause)) + "]"
}

// Build renders the selection of a catalog loaded with its builds. An
// overlay that does not build stops the export: what a cluster would apply
// must be whole.
func Build(c *catalog.Catalog, opts Options) (*Export, error) {
	ch, err := Choose(c, opts)
	if err != nil {
		return nil, err
	}
	sel, skipped, ovs := ch.Selection, ch.Skipped, ch.Overlays
	if len(sel) == 0 {
		if ch.Cluster != nil {
			return nil, fmt.Errorf("nothing to export: no ApplicationSet of the catalog deploys an overlay to a cluster with these labels")
		}
		return nil, fmt.Errorf("nothing to export: no operator has a default overlay; choose the overlays to export")
	}
	e := &Export{Time: opts.Source.Time}
	m := &e.Meta
	m.Format = Format
	m.Source.Source = opts.Source
	if !opts.Source.Time.IsZero() {
		m.Source.Time = opts.Source.Time.Format(time.RFC3339)
	}
	m.Opcat = opts.Version
	if m.Opcat == "" {
		m.Opcat = "devel"
	}
	m.Kustomize = KustomizeVersion()
	m.Skipped = skipped
	m.Cluster = ch.Cluster
	for i, ov := range ovs {
		res := ov.Node.Result
		if res.Err != nil {
			return nil, &BuildError{Overlay: ov.Dir, Err: res.Err}
		}
		data, n := Ordered(&res)
		sel[i].Objects = n
		e.Files = append(e.Files, File{Name: sel[i].Manifest, Data: data})
	}
	m.Selection = sel
	sort.Slice(e.Files, func(i, j int) bool { return e.Files[i].Name < e.Files[j].Name })
	var manifestSums bytes.Buffer
	for _, f := range e.Files {
		manifestSums.WriteString(sumLine(f.Name, f.Data))
	}
	m.Digest = digestOf(manifestSums.Bytes())
	meta, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	meta = append(meta, '\n')
	e.Files = append(e.Files, File{Name: MetadataFile, Data: meta})
	sort.Slice(e.Files, func(i, j int) bool { return e.Files[i].Name < e.Files[j].Name })
	var sums bytes.Buffer
	for _, f := range e.Files {
		sums.WriteString(sumLine(f.Name, f.Data))
	}
	e.Files = append(e.Files, File{Name: SumsFile, Data: sums.Bytes()})
	sort.Slice(e.Files, func(i, j int) bool { return e.Files[i].Name < e.Files[j].Name })
	return e, nil
}

func sumLine(name string, data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:]) + "  " + name + "\n"
}

func digestOf(manifestSums []byte) string {
	h := sha256.Sum256(manifestSums)
	return "sha256:" + hex.EncodeToString(h[:])
}

// KustomizeVersion is the version of the kustomize engine opcat is built
// with (the sigs.k8s.io/kustomize/api module), or "unknown".
func KustomizeVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "sigs.k8s.io/kustomize/api" {
				if d.Replace != nil {
					d = d.Replace
				}
				return d.Path + " " + d.Version
			}
		}
	}
	return "unknown"
}

// Ordered prints a successful build with its objects ordered for apply:
// by sync wave (argocd.argoproj.io/sync-wave, 0 when absent or not a
// number), then Namespaces, then OperatorGroups and CatalogSources, then
// Subscriptions, then everything else (operands), each group in the build's
// order. Every object is printed exactly as kustomize prints it. It returns
// the text and the number of objects.
func Ordered(res *kustomize.Result) ([]byte, int) {
	docs := splitDocs(res.YAML())
	if len(docs) != len(res.Resources) {
		// Cannot happen with kustomize's printer; print each object.
		docs = docs[:0]
		for _, r := range res.Resources {
			docs = append(docs, []byte(r.MustString()))
		}
	}
	idx := make([]int, len(docs))
	for i := range idx {
		idx[i] = i
	}
	wave := func(i int) int { return syncWave(res.Resources[i]) }
	rank := func(i int) int { return kindRank(res.Resources[i].GetKind()) }
	slices.SortStableFunc(idx, func(a, b int) int {
		if d := wave(a) - wave(b); d != 0 {
			return d
		}
		return rank(a) - rank(b)
	})
	var out bytes.Buffer
	for n, i := range idx {
		if n > 0 {
			out.WriteString("---\n")
		}
		out.Write(docs[i])
	}
	return out.Bytes(), len(docs)
}

// splitDocs cuts kustomize's output at its document separators. A "---"
// line inside a value is always indented by the printer, so a separator
// is a line that is exactly "---".
func splitDocs(data []byte) [][]byte {
	if len(data) == 0 {
		return nil
	}
	var docs [][]byte
	start := 0
	for i := 0; i < len(data); {
		end := bytes.IndexByte(data[i:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += i + 1
		}
		if string(data[i:end]) == "---\n" {
			docs = append(docs, data[start:i])
			start = end
		}
		i = end
	}
	return append(docs, data[start:])
}

func syncWave(r *kyaml.RNode) int {
	v, ok := r.GetAnnotations()[SyncWaveAnnotation]
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0
	}
	return n
}

func kindRank(kind string) int {
	switch kind {
	case "Namespace":
		return 0
	case "OperatorGroup", "CatalogSource":
		return 1
	case "Subscription":
		return 2
	}
	return 3
}

func overlayNames(op *catalog.Operator) string {
	var names []string
	for _, ov := range op.Overlays {
		names = append(names, ov.Name)
	}
	if len(names) == 0 {
		return "no overlay"
	}
	return strings.Join(names, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
