package generator

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/opcat-dev/opcat/lib/kustomize"
)

// specialScalars are strings that YAML 1.1 or 1.2 reads as something else
// when written plain (booleans, nulls, numbers, timestamps, base-60
// numbers), or that only parse quoted (indicators, comments, spaces).
var specialScalars = []string{
	"yes", "no", "on", "off", "y", "n", "Y", "N", "YES", "On", "OFF", "true", "false", "True", "FALSE",
	"~", "null", "Null", "NULL", "",
	"1e3", "1E3", "1e-3", "0x10", "0o12", "012", "0b101", "1_000", "10:20", "190:20:30",
	".inf", "-.inf", "+.INF", ".nan", ".NaN", "1.10", "1.0", "0", "-1", "+1", "1.", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
	`"quoted"`, "'single'", "a: b", "#x", "x #y", " lead", "trail ", " both ",
	"[a]", "{a: 1}", "*alias", "&anchor", "!tag", "%x", "@x", "`x", "|", ">", "-", "- a", "? x", "=", "<<", ",", "a,b",
	"é", "v9.5", "stable-v1",
}

// renderedSubscription builds dir of the catalog at root with the in-process
// kustomize builder and returns its Subscription as a cluster client reads
// it (YAML 1.1, through JSON) and as YAML 1.2 reads it.
func renderedSubscription(t *testing.T, root, dir string) (v11, v12 map[string]any) {
	t.Helper()
	tree, err := kustomize.ReadTree(root, kustomize.TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := kustomize.NewBuilder(tree).Build(dir)
	if res.Err != nil {
		t.Fatalf("build %s: %v", dir, res.Err)
	}
	out := res.YAML()
	dec := yaml.NewDecoder(bytesReader(out))
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("no Subscription in the build of %s:\n%s", dir, out)
		}
		if doc["kind"] != "Subscription" {
			continue
		}
		b, err := yaml.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		_ = b
		v12 = doc
		break
	}
	// YAML 1.1 as kubectl and Argo CD read it: the whole stream, through JSON.
	for _, d := range splitDocs(out) {
		var doc map[string]any
		if err := sigsyaml.Unmarshal(d, &doc); err != nil {
			t.Fatalf("the build of %s does not read as YAML 1.1: %v\n%s", dir, err, out)
		}
		if doc["kind"] == "Subscription" {
			v11 = doc
		}
	}
	return v11, v12
}

func field(doc map[string]any, keys ...string) any {
	var v any = doc
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// checkField fails unless both readings of the Subscription hold want as
// a string at keys.
func checkField(t *testing.T, v11, v12 map[string]any, want string, keys ...string) {
	t.Helper()
	for name, doc := range map[string]map[string]any{"YAML 1.1": v11, "YAML 1.2": v12} {
		got := field(doc, keys...)
		if s, ok := got.(string); !ok || s != want {
			t.Errorf("%v reads as %#v (%T) in %s; want the string %q", keys, got, got, name, want)
		}
	}
}

// TestSpecialScalarsAsChannels adds an overlay for each special scalar as
// its channel (and CSV where a CSV can be that string): the rendered
// overlay carries the exact string.
func TestSpecialScalarsAsChannels(t *testing.T) {
	template := t.TempDir()
	initExample(t, template)
	for i, ch := range specialScalars {
		t.Run(fmt.Sprintf("%q", ch), func(t *testing.T) {
			root := tempCopy(t, template)
			opts := OverlayOptions{Root: root, Operator: "event-streams", Channel: ch, Default: true}
			if folderNameProblem(ch) != "" {
				opts.Name = fmt.Sprintf("overlay-%d", i)
			}
			if dns1123Subdomain.MatchString(ch) {
				opts.CSV = ch
			}
			p, err := AddOverlay(load(t, root), opts)
			if ch == "" {
				if err == nil {
					t.Fatal("an empty channel is taken")
				}
				return
			}
			apply(t, p, err)
			name := opts.Name
			if name == "" {
				name = ch
			}
			for _, dir := range []string{path.Join("event-streams/operator/overlays", name), "event-streams/operator/overlays"} {
				v11, v12 := renderedSubscription(t, root, dir)
				checkField(t, v11, v12, ch, "spec", "channel")
				if opts.CSV != "" {
					checkField(t, v11, v12, ch, "spec", "startingCSV")
				}
			}
		})
	}
}

// TestSpecialScalarsAsNames adds an operator whose package, source,
// namespace, folder, channel and CSV are each special scalar that can be
// such a name.
func TestSpecialScalarsAsNames(t *testing.T) {
	for _, x := range specialScalars {
		if !dns1123Subdomain.MatchString(x) {
			continue
		}
		t.Run(x, func(t *testing.T) {
			root := t.TempDir()
			opts := OperatorOptions{Root: root, Package: x, Name: x, Source: x, SourceNamespace: x,
				Channels: []string{x}, CSVs: map[string]string{x: x}, Approval: "Manual"}
			if !dns1123Label.MatchString(x) {
				opts.SourceNamespace = ""
			} else {
				opts.Namespace = x
			}
			if folderNameProblem(x) != "" {
				opts.Name = "op"
			}
			p, err := AddOperator(opts)
			apply(t, p, err)
			c := load(t, root)
			if op := c.Operator(opts.Name); op == nil || op.DefaultOverlay != x {
				t.Fatalf("operator %s is not loaded with default overlay %s: %+v", opts.Name, x, op)
			}
			v11, v12 := renderedSubscription(t, root, path.Join(opts.Name, "operator/overlays", x))
			checkField(t, v11, v12, x, "metadata", "name")
			checkField(t, v11, v12, x, "spec", "name")
			checkField(t, v11, v12, x, "spec", "source")
			checkField(t, v11, v12, x, "spec", "channel")
			checkField(t, v11, v12, x, "spec", "startingCSV")
			if opts.Namespace != "" {
				checkField(t, v11, v12, x, "metadata", "namespace")
				checkField(t, v11, v12, x, "spec", "sourceNamespace")
			}
		})
	}
}

// TestRefusedNames gives names that would make paths kustomize cannot use:
// each is refused with one sentence, and nothing is written.
func TestRefusedNames(t *testing.T) {
	template := t.TempDir()
	initExample(t, template)
	before := snapshot(t, template)
	tests := []struct {
		name, want string
	}{
		{"", "empty"},
		{".", "names the folder itself or its parent"},
		{"..", "names the folder itself or its parent"},
		{"a..b", `holds ".."`},
		{"../x", `".."`},
		{"a/b", "path separator"},
		{`a\b`, "path separator"},
		{"a\x1bb", "control character"},
		{"a\nb", "control character"},
		{"a\x7fb", "control character"},
		{"a\u0085b", "control character"},
		{"-x", "starts with '-'"},
		{"base", "base and overlays"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.name), func(t *testing.T) {
			// As an overlay folder.
			_, err := AddOverlay(load(t, template), OverlayOptions{Root: template, Operator: "event-streams", Channel: "v9", Name: tt.name})
			if tt.name == "" {
				// No name means the channel's: give it as the channel.
				_, err = AddOverlay(load(t, template), OverlayOptions{Root: template, Operator: "event-streams", Channel: tt.name})
			}
			checkRefusal(t, err, tt.want)
			// As an operator folder.
			_, err = AddOperator(OperatorOptions{Root: template, Package: "p", Name: tt.name, Channels: []string{"v1"}})
			if tt.name != "" {
				checkRefusal(t, err, tt.want)
			}
			// As a group folder.
			_, err = AddOperator(OperatorOptions{Root: template, Package: "p", Group: "g/" + tt.name + "/h", Channels: []string{"v1"}})
			if tt.name != "" && tt.name != "a/b" {
				checkRefusal(t, err, tt.want)
			}
		})
	}
	if err := sameTree(before, snapshot(t, template)); err != nil {
		t.Error(err)
	}
}

func checkRefusal(t *testing.T, err error, want string) {
	t.Helper()
	ie, ok := err.(*InputError)
	if !ok || !contains(ie.Msg, want) {
		t.Errorf("got %v, want an input error saying %q", err, want)
		return
	}
	if n := countSentences(ie.Msg); n != 1 {
		t.Errorf("%q is %d sentences, not one", ie.Msg, n)
	}
}

func TestCSVOutsideTheConvention(t *testing.T) {
	root := t.TempDir()
	p, err := AddOperator(OperatorOptions{Root: root, Package: "servicemeshoperator", Channels: []string{"stable"},
		CSVs: map[string]string{"stable": "servicemeshoperator-2"}, Approval: "Manual"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notes) != 1 || !contains(p.Notes[0], "servicemeshoperator-2 is not <name>.v<semver>") {
		t.Errorf("notes: %q", p.Notes)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// countSentences counts the full stops that end a sentence.
func countSentences(s string) int {
	n := strings.Count(strings.TrimSpace(s)+" ", ". ")
	if n == 0 {
		return 1
	}
	return n
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func splitDocs(b []byte) [][]byte {
	var out [][]byte
	for _, d := range bytes.Split(b, []byte("\n---\n")) {
		if len(bytes.TrimSpace(d)) > 0 {
			out = append(out, d)
		}
	}
	return out
}
