package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/lib/fsroot"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/operator-framework/api/pkg/operators/v1alpha1"
)

// SyncOptions configure Sync.
type SyncOptions struct {
	Root string
	// Operators are the operators to bring up to date, by name or folder.
	// Empty means every operator whose package an index holds.
	Operators []string
	// Index holds the operator indexes by CatalogSource.
	Index index.Set
	// Prune removes the overlays of channels the package no longer has.
	// Without it they are only reported, in the plan's notes.
	Prune bool
	// Templates is a folder of user templates overriding the built-in ones.
	Templates string
}

// Sync plans what brings operators up to date with an operator index, from
// what catalog.Outdated reports:
//
//   - a channel newer than every channel with an overlay gets an overlay,
//     pinned to the channel head when the operator's installPlanApproval
//     is Manual;
//   - a startingCSV behind its channel head is set to the head, in place
//     in the patch that sets it (comments and the rest of the file stay);
//   - with Prune, the overlay of a channel the package no longer has is
//     deleted, and a default pointer that selected it is pointed at the
//     overlay of the package's default channel (or else the newest one);
//   - the overlay lists of the READMEs are refreshed.
//
// Operators installed with OLM v1 are synced the same way from what
// catalog.ExtensionsOutdated reports (see syncExtension).
//
// A pin written outside the overlay's folder (in the base or a shared
// component) is left alone, with a note, as changing it would change
// other overlays too. Running Sync again on the result plans nothing.
func Sync(c *catalog.Catalog, opts SyncOptions) (*Plan, error) {
	if err := checkTemplatesDir(opts.Templates); err != nil {
		return nil, err
	}
	if len(opts.Index) == 0 {
		return nil, inputErrorf("give at least one operator index (--index)")
	}
	var ops []*catalog.Operator
	seen := map[*catalog.Operator]bool{}
	if len(opts.Operators) == 0 {
		for _, op := range c.Operators {
			s := op.EffectiveSubscription()
			if pkg, _, judged := catalog.IndexPackage(opts.Index, s.Source.Value, s.Package.Value); judged && pkg != nil {
				ops = append(ops, op)
			}
		}
	}
	var exts []*catalog.Extension
	if len(opts.Operators) == 0 {
		for _, e := range c.Extensions() {
			spec := e.Effective()
			if pkg, _, judged := catalog.IndexPackage(opts.Index, spec.Catalog, spec.Package); judged && pkg != nil {
				exts = append(exts, e)
			}
		}
	}
	seenExt := map[*catalog.Extension]bool{}
	for _, name := range opts.Operators {
		if _, err := c.FindOperator(name); err != nil {
			var ee *catalog.ExtensionError
			if errors.As(err, &ee) {
				if _, err := extensionPackage(ee.Extension, opts.Index); err != nil {
					return nil, err
				}
				if !seenExt[ee.Extension] {
					seenExt[ee.Extension] = true
					exts = append(exts, ee.Extension)
				}
				continue
			}
		}
		op, err := findOperator(c, name)
		if err != nil {
			return nil, err
		}
		if _, err := indexPackage(op, opts.Index); err != nil {
			return nil, err
		}
		if !seen[op] {
			seen[op] = true
			ops = append(ops, op)
		}
	}
	r := renderer{dir: opts.Templates}
	p := NewPlan(opts.Root)
	var pins []pinCheck
	for _, op := range ops {
		moved, err := syncOperator(p, r, c, op, opts)
		if err != nil {
			return nil, err
		}
		pins = append(pins, moved...)
	}
	var ranges []rangeCheck
	for _, e := range exts {
		moved, err := syncExtension(p, r, c, e, opts)
		if err != nil {
			return nil, err
		}
		ranges = append(ranges, moved...)
	}
	if len(pins) > 0 {
		if err := checkPins(p, pins); err != nil {
			return nil, err
		}
	}
	if len(ranges) > 0 {
		if err := checkRanges(p, ranges); err != nil {
			return nil, err
		}
	}
	dirs := make([]string, 0, len(ops)+len(exts))
	for _, op := range ops {
		dirs = append(dirs, op.Dir)
	}
	for _, e := range exts {
		dirs = append(dirs, e.Dir)
	}
	if err := refreshReadmes(p, r, dirs...); err != nil {
		return nil, err
	}
	return p, nil
}

// pinCheck is a pin Sync moved, to check on the planned catalog.
type pinCheck struct {
	operator, overlay, csv string
}

// checkPins renders the planned catalog and makes sure every edited pin
// renders as planned: a text edit that went wrong must not be written.
func checkPins(p *Plan, pins []pinCheck) error {
	c, err := planned(p)
	if err != nil {
		return err
	}
	for _, pin := range pins {
		op := c.Operator(pin.operator)
		var ov *catalog.Overlay
		if op != nil {
			ov = op.Overlay(pin.overlay)
		}
		if ov == nil || ov.Subscription.StartingCSV.Value != pin.csv {
			return fmt.Errorf("unable to move the startingCSV of %s/%s to %s: the edited overlay does not render it", pin.operator, pin.overlay, pin.csv)
		}
	}
	return nil
}

func syncOperator(p *Plan, r renderer, c *catalog.Catalog, op *catalog.Operator, opts SyncOptions) ([]pinCheck, error) {
	pkg, err := indexPackage(op, opts.Index)
	if err != nil {
		return nil, err
	}
	manual := op.EffectiveSubscription().InstallPlanApproval.Value == string(v1alpha1.ApprovalManual)
	overlays := overlaysDir(op)
	var pins []pinCheck
	pruned := map[string]bool{}
	added := map[string]string{} // channel → new overlay name
	for _, item := range op.Outdated(opts.Index) {
		switch item.Kind {
		case catalog.OutdatedChannelMissing:
			ov := op.Overlay(item.Overlay)
			if !opts.Prune {
				p.Notes = append(p.Notes, fmt.Sprintf("overlay %s installs channel %s, which package %s no longer has; --prune removes it", ov.Dir, item.Channel, item.Package))
				continue
			}
			deleted, err := pruneOverlay(p, c, op, ov, prunable(op, opts.Index))
			if err != nil {
				return nil, err
			}
			if deleted {
				pruned[ov.Name] = true
			}
		case catalog.OutdatedCSVBehind:
			ov := op.Overlay(item.Overlay)
			ok, err := movePin(p, ov, item)
			if err != nil {
				return nil, err
			}
			if ok {
				pins = append(pins, pinCheck{op.Dir, ov.Name, item.Head})
			}
		case catalog.OutdatedChannelNew:
			dir := path.Join(overlays, item.Channel)
			if checkChannel(item.Channel) != nil || folderNameProblem(item.Channel) != "" {
				p.Notes = append(p.Notes, fmt.Sprintf("channel %s of %s cannot name an overlay folder; add its overlay by hand", item.Channel, item.Package))
				continue
			}
			if _, err := os.Stat(filepath.Join(p.Root, filepath.FromSlash(dir))); err == nil {
				p.Notes = append(p.Notes, fmt.Sprintf("%s exists but is no overlay of channel %s; left alone", dir, item.Channel))
				continue
			}
			csv := ""
			if manual {
				if item.Head == "" {
					p.Notes = append(p.Notes, fmt.Sprintf("channel %s of %s has no single head; its overlay pins no startingCSV", item.Channel, item.Package))
				}
				csv = item.Head
			}
			if err := planOverlay(p, r, op, overlays, item.Channel, item.Channel, csv); err != nil {
				return nil, err
			}
			added[item.Channel] = item.Channel
		}
	}
	if op.DefaultOverlay != "" && pruned[op.DefaultOverlay] {
		next := newDefault(op, pkg, pruned, added)
		if next == "" {
			return nil, inputErrorf("pruning would remove every overlay of operator %s, the default one included; remove the operator by hand", op.Dir)
		}
		if err := setPointer(p, r, op, overlays, next); err != nil {
			return nil, err
		}
	}
	return pins, nil
}

// newDefault picks the overlay a pointer selects once its overlay is
// pruned: the overlay of the package's default channel, else the overlay
// of the newest channel.
func newDefault(op *catalog.Operator, pkg *index.Package, pruned map[string]bool, added map[string]string) string {
	byChannel := map[string]string{}
	var kept []string
	for _, ov := range op.Overlays {
		if !pruned[ov.Name] {
			kept = append(kept, ov.Name)
			if ch := catalog.OverlayChannel(ov, pkg); pkg.Channels[ch] != nil {
				byChannel[ch] = ov.Name
			}
		}
	}
	return pickDefault(pkg, byChannel, added, kept)
}

// pickDefault chooses the default overlay among the overlays that stay
// (byChannel: by the channel each sets; kept: all of them, in order) and
// the ones sync adds: the overlay of the package's default channel, else
// that of the newest channel, else the first that stays.
func pickDefault(pkg *index.Package, byChannel, added map[string]string, kept []string) string {
	for ch, name := range added {
		byChannel[ch] = name
	}
	if name := byChannel[pkg.DefaultChannel]; name != "" {
		return name
	}
	names := pkg.ChannelNames()
	for i := len(names) - 1; i >= 0; i-- {
		if name := byChannel[names[i]]; name != "" {
			return name
		}
	}
	if len(kept) > 0 {
		return kept[0]
	}
	return ""
}

// prunable lists the overlays of op that sync --prune may delete: those
// whose channel the package no longer has.
func prunable(op *catalog.Operator, set index.Set) map[string]bool {
	out := map[string]bool{}
	for _, item := range op.Outdated(set) {
		if item.Kind == catalog.OutdatedChannelMissing {
			out[item.Overlay] = true
		}
	}
	return out
}

// pruneOverlay plans the deletion of every file in the overlay's folder,
// unless the folder holds something that stays (the base, the pointer, an
// overlay that is not pruned) or a kustomization outside it still uses
// something in it; then it adds a note and deletes nothing.
func pruneOverlay(p *Plan, c *catalog.Catalog, op *catalog.Operator, ov *catalog.Overlay, pruning map[string]bool) (bool, error) {
	o := pruneOwner{base: op.Base.Dir, pointer: op.Pointer, overlays: map[string]bool{}}
	for _, other := range op.Overlays {
		o.overlays[other.Dir] = pruning[other.Name]
	}
	return pruneFolder(p, c, o, ov.Dir)
}

// pruneOwner is what pruneFolder needs of the operator an overlay belongs
// to: its base folder, its pointer and its overlay folders (true for those
// being pruned).
type pruneOwner struct {
	base     string
	pointer  *catalog.Node
	overlays map[string]bool
}

// pruneFolder plans the deletion of every file in the overlay folder dir of
// o, under the checks pruneOverlay describes.
func pruneFolder(p *Plan, c *catalog.Catalog, o pruneOwner, dir string) (bool, error) {
	ov := struct{ Dir string }{dir}
	inside := func(p string) bool { return p == ov.Dir || strings.HasPrefix(p, ov.Dir+"/") }
	if inside(o.base) || (o.pointer != nil && inside(o.pointer.Dir)) {
		p.Notes = append(p.Notes, fmt.Sprintf("overlay %s holds the operator's base or pointer; not pruned", ov.Dir))
		return false, nil
	}
	for _, other := range sortedKeys(o.overlays) {
		if other != ov.Dir && inside(other) && !o.overlays[other] {
			p.Notes = append(p.Notes, fmt.Sprintf("overlay %s holds overlay %s; not pruned", ov.Dir, other))
			return false, nil
		}
	}
	if link := linkInto(p.Root, ov.Dir); link != "" {
		p.Notes = append(p.Notes, fmt.Sprintf("%s is a symbolic link into overlay %s; not pruned", link, ov.Dir))
		return false, nil
	}
	fsys, closeFS, err := rootFS(p.Root)
	if err != nil {
		return false, err
	}
	defer closeFS()
	for _, dir := range c.Dirs() {
		n := c.Kustomizations[dir]
		if inside(dir) || (o.pointer != nil && n == o.pointer) || o.overlays[dir] {
			continue // pruned too
		}
		// Every way kustomize names a path counts: a transformers entry,
		// a path inside a plugin configuration, a link's target...
		refs, err := kustomize.ReferencedPaths(fsys, n.File)
		if err != nil {
			p.Notes = append(p.Notes, fmt.Sprintf("%s cannot be read (%v), so whether it uses overlay %s is unknown; not pruned", n.File, err, ov.Dir))
			return false, nil
		}
		for _, r := range refs {
			if inside(r.Path) {
				p.Notes = append(p.Notes, fmt.Sprintf("%s still uses %s (%s), inside overlay %s; not pruned", n.File, r.Value, r.Field, ov.Dir))
				return false, nil
			}
		}
	}
	root := filepath.Join(p.Root, filepath.FromSlash(ov.Dir))
	err = filepath.WalkDir(root, func(f string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(p.Root, f)
		if err != nil {
			return err
		}
		return p.Delete(filepath.ToSlash(rel))
	})
	if err != nil {
		return false, fmt.Errorf("unable to prune %s: %w", ov.Dir, err)
	}
	return true, nil
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// movePin sets the startingCSV an overlay pins to the channel head, editing
// the value where it is written. It returns false, with a note, when the
// pin is written outside the overlay's folder or cannot be edited as text.
func movePin(p *Plan, ov *catalog.Overlay, item catalog.OutdatedItem) (bool, error) {
	if item.File == "" || item.Line == 0 || item.Head == "" {
		return false, nil
	}
	if !strings.HasPrefix(item.File, ov.Dir+"/") {
		p.Notes = append(p.Notes, fmt.Sprintf("%s:%d:%d: overlay %s pins %s outside its folder, where other overlays may share it; set it to %s by hand",
			item.File, item.Line, item.Column, ov.Name, item.StartingCSV, item.Head))
		return false, nil
	}
	content, ok := p.Content(item.File)
	if !ok {
		return false, fmt.Errorf("unable to read %s", item.File)
	}
	edited, ok := replaceScalarAt(content, item.Line, item.Column, item.StartingCSV, item.Head)
	if !ok {
		p.Notes = append(p.Notes, fmt.Sprintf("%s:%d:%d: the startingCSV %s is not written as a plain value; set it to %s by hand",
			item.File, item.Line, item.Column, item.StartingCSV, item.Head))
		return false, nil
	}
	return true, p.Add(item.File, edited, true)
}

// replaceScalarAt replaces the scalar old that starts at line and column
// (1-based, in characters) with repl, keeping its quotes, and everything
// else in content. ok is false when old is not written there.
func replaceScalarAt(content []byte, line, col int, old, repl string) ([]byte, bool) {
	start := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(content[start:], '\n')
		if i < 0 {
			return content, false
		}
		start += i + 1
	}
	at := start
	for c := 1; c < col; c++ {
		if at >= len(content) || content[at] == '\n' {
			return content, false
		}
		_, size := utf8.DecodeRune(content[at:])
		at += size
	}
	rest := content[at:]
	quote := ""
	if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
		quote = string(rest[0])
	}
	written := quote + old + quote
	if !bytes.HasPrefix(rest, []byte(written)) {
		return content, false
	}
	if quote == "" && len(rest) > len(written) && !isScalarEnd(rest[len(written):]) {
		return content, false
	}
	text, ok := scalarText(repl, quote)
	if !ok {
		return content, false
	}
	var out bytes.Buffer
	out.Write(content[:at])
	out.WriteString(text)
	out.Write(rest[len(written):])
	return out.Bytes(), true
}

// scalarText writes value as a YAML string in the style of quote (", '
// or none for plain), through the YAML encoder: it escapes what the style
// needs, and quotes a plain value YAML would read as something else
// (true, yes, 1e3, null...). ok is false when it cannot be one line.
func scalarText(value, quote string) (string, bool) {
	style := yaml.Style(0)
	switch quote {
	case `"`:
		style = yaml.DoubleQuotedStyle
	case "'":
		style = yaml.SingleQuotedStyle
	}
	text, err := encodeScalar(value, style)
	if err != nil || strings.Contains(text, "\n") {
		return "", false
	}
	return text, true
}

// isScalarEnd reports whether a plain scalar ends where rest begins.
func isScalarEnd(rest []byte) bool {
	switch rest[0] {
	case '\n', '\r', ' ', '\t', ',', '}', ']':
		return true
	}
	return false
}

// rootFS opens the catalog root as a file system that cannot be left
// through "..", absolute paths or links.
func rootFS(dir string) (fs.FS, func(), error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("unable to open %s: %w", dir, err)
	}
	return r.FS(), func() { r.Close() }, nil
}

// linkInto returns a symbolic link of the catalog, outside dir, that
// resolves into dir (a slash path below root), or "".
func linkInto(root, dir string) string {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return ""
	}
	if r, err := filepath.EvalSymlinks(absRoot); err == nil {
		absRoot = r
	}
	target := filepath.Join(absRoot, filepath.FromSlash(dir))
	found := ""
	_ = filepath.WalkDir(absRoot, func(f string, d fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return filepath.SkipDir
		}
		if d.IsDir() && (f == target || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		real, err := filepath.EvalSymlinks(f)
		if err != nil {
			return nil
		}
		if fsroot.Within(target, real) {
			found = relSlash(absRoot, f)
			return filepath.SkipAll
		}
		return nil
	})
	return found
}
