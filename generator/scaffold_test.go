package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/operator-framework/api/pkg/operators/v1alpha1"
)

// demoPackage is an index package built by hand: channels stable, v1.0 and
// v1.1 (the default), whose heads support the install modes given.
// setOf holds pkg in an index of no named source.
func setOf(pkg *index.Package) index.Set {
	return index.Set{"": &index.Index{Packages: map[string]*index.Package{pkg.Name: pkg}}}
}

// TestAddOperatorPackageNotFound: a package the indexes lack, or that the
// index of the source named lacks, is a PackageNotFoundError.
func TestAddOperatorPackageNotFound(t *testing.T) {
	named := index.Set{"demo-catalog": &index.Index{Source: "demo-catalog", Packages: map[string]*index.Package{"demo": demoPackage(everyMode)}}}
	tests := []struct {
		name   string
		opts   OperatorOptions
		source string
	}{
		{"another package", OperatorOptions{Index: setOf(&index.Package{Name: "other"})}, ""},
		{"not in the source's index", OperatorOptions{Index: index.Set{"other-catalog": &index.Index{Source: "other-catalog", Packages: map[string]*index.Package{}}, "demo-catalog": named["demo-catalog"]}, Source: "other-catalog"}, "other-catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.Root, o.Package = t.TempDir(), "demo"
			_, err := AddOperator(o)
			var nf *PackageNotFoundError
			if !errors.As(err, &nf) || nf.Package != "demo" || nf.Source != tt.source {
				t.Fatalf("got %v, want a PackageNotFoundError for demo in %q", err, tt.source)
			}
		})
	}
	// Found through the one index that holds it, the source is that index's.
	p, err := AddOperator(OperatorOptions{Root: t.TempDir(), Package: "demo", Index: named})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := p.Content("demo/operator/base/subscription.yaml"); !strings.Contains(string(c), "source: demo-catalog") {
		t.Errorf("the Subscription does not name the index's source:\n%s", c)
	}
}

func demoPackage(modes map[string]bool) *index.Package {
	return &index.Package{
		Name:           "demo",
		DefaultChannel: "v1.1",
		Channels: map[string]*index.Channel{
			"v1.0":   {Name: "v1.0", Entries: []index.Entry{{Name: "demo.v1.0.0"}, {Name: "demo.v1.0.1", Replaces: "demo.v1.0.0"}}},
			"v1.1":   {Name: "v1.1", Entries: []index.Entry{{Name: "demo.v1.1.0", Replaces: "demo.v1.0.1"}, {Name: "demo.v1.1.3", Replaces: "demo.v1.1.0"}}},
			"stable": {Name: "stable", Entries: []index.Entry{{Name: "demo.v1.1.3"}}},
		},
		Bundles: map[string]*index.Bundle{
			"demo.v1.1.3": {Name: "demo.v1.1.3", Package: "demo", InstallModes: modes},
			"demo.v1.0.1": {Name: "demo.v1.0.1", Package: "demo", InstallModes: modes},
		},
	}
}

var (
	everyMode  = map[string]bool{"OwnNamespace": true, "SingleNamespace": true, "MultiNamespace": true, "AllNamespaces": true}
	notGlobal  = map[string]bool{"OwnNamespace": true, "SingleNamespace": true, "MultiNamespace": false, "AllNamespaces": false}
	singleOnly = map[string]bool{"SingleNamespace": true}
	globalOnly = map[string]bool{"AllNamespaces": true, "OwnNamespace": false}
	multiOnly  = map[string]bool{"MultiNamespace": true}
)

func TestAddOperatorFromIndex(t *testing.T) {
	type want struct {
		overlays []string          // overlay folders
		def      string            // default overlay
		pins     map[string]string // overlay → startingCSV
		group    string            // the OperatorGroup file, "" for none
		note     string
	}
	tests := []struct {
		name string
		opts OperatorOptions
		want want
	}{
		{"every channel, Automatic: no pins", OperatorOptions{Index: setOf(demoPackage(everyMode))},
			want{overlays: []string{"stable", "v1.0", "v1.1"}, def: "v1.1", pins: map[string]string{}}},
		{"Manual pins every head", OperatorOptions{Index: setOf(demoPackage(everyMode)), Approval: "Manual"},
			want{overlays: []string{"stable", "v1.0", "v1.1"}, def: "v1.1",
				pins: map[string]string{"stable": "demo.v1.1.3", "v1.0": "demo.v1.0.1", "v1.1": "demo.v1.1.3"}}},
		{"Manual keeps a --csv", OperatorOptions{Index: setOf(demoPackage(everyMode)), Approval: "Manual", Channels: []string{"v1.1"}, CSVs: map[string]string{"v1.1": "demo.v1.1.0"}},
			want{overlays: []string{"v1.1"}, def: "v1.1", pins: map[string]string{"v1.1": "demo.v1.1.0"}}},
		{"channels asked for, default not among them", OperatorOptions{Index: setOf(demoPackage(everyMode)), Channels: []string{"stable", "v1.0"}},
			want{overlays: []string{"stable", "v1.0"}, def: "v1.0", pins: map[string]string{}}},
		{"--default wins", OperatorOptions{Index: setOf(demoPackage(everyMode)), Default: "stable"},
			want{overlays: []string{"stable", "v1.0", "v1.1"}, def: "stable", pins: map[string]string{}}},
		{"own namespace: OwnNamespace", OperatorOptions{Index: setOf(demoPackage(everyMode)), Namespace: "demo"},
			want{overlays: []string{"stable", "v1.0", "v1.1"}, def: "v1.1", pins: map[string]string{},
				group: "spec:\n  targetNamespaces:\n    - demo\n"}},
		{"own namespace: SingleNamespace", OperatorOptions{Index: setOf(demoPackage(singleOnly)), Namespace: "demo", TargetNamespaces: []string{"apps"}},
			want{overlays: []string{"stable", "v1.0", "v1.1"}, def: "v1.1", pins: map[string]string{},
				group: "spec:\n  targetNamespaces:\n    - apps\n"}},
		{"own namespace: AllNamespaces", OperatorOptions{Index: setOf(demoPackage(globalOnly)), Namespace: "demo"},
			want{overlays: []string{"stable", "v1.0", "v1.1"}, def: "v1.1", pins: map[string]string{}, group: "spec: {}\n"}},
		{"own namespace: MultiNamespace with targets", OperatorOptions{Index: setOf(demoPackage(multiOnly)), Namespace: "demo", TargetNamespaces: []string{"a", "b"}},
			want{overlays: []string{"stable", "v1.0", "v1.1"}, def: "v1.1", pins: map[string]string{},
				group: "spec:\n  targetNamespaces:\n    - a\n    - b\n"}},
		{"install modes unknown", OperatorOptions{Index: setOf(demoPackage(nil)), Namespace: "demo"},
			want{overlays: []string{"stable", "v1.0", "v1.1"}, def: "v1.1", pins: map[string]string{},
				group: "spec:\n  targetNamespaces:\n    - demo\n", note: "does not tell which install modes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			o := tt.opts
			o.Root, o.Package = root, "demo"
			p, err := AddOperator(o)
			apply(t, p, err)
			if tt.want.note != "" && !strings.Contains(strings.Join(p.Notes, "\n"), tt.want.note) {
				t.Errorf("notes %q lack %q", p.Notes, tt.want.note)
			}
			c := load(t, root)
			op := c.Operator("demo")
			if op == nil {
				t.Fatal("no operator demo")
			}
			var names []string
			pins := map[string]string{}
			for _, ov := range op.Overlays {
				names = append(names, ov.Name)
				if ov.Subscription.Channel.Value != ov.Name {
					t.Errorf("overlay %s installs channel %s", ov.Name, ov.Subscription.Channel.Value)
				}
				if csv := ov.Subscription.StartingCSV.Value; csv != "" {
					pins[ov.Name] = csv
				}
			}
			if !slices.Equal(names, tt.want.overlays) || op.DefaultOverlay != tt.want.def {
				t.Errorf("overlays %v (default %s), want %v (default %s)", names, op.DefaultOverlay, tt.want.overlays, tt.want.def)
			}
			if len(pins) != len(tt.want.pins) {
				t.Errorf("pins %v, want %v", pins, tt.want.pins)
			}
			for ov, csv := range tt.want.pins {
				if pins[ov] != csv {
					t.Errorf("overlay %s pins %q, want %q", ov, pins[ov], csv)
				}
			}
			group, err := os.ReadFile(filepath.Join(root, "demo/operator/base/operator-group.yaml"))
			switch {
			case tt.want.group == "" && err == nil:
				t.Errorf("an OperatorGroup in openshift-operators:\n%s", group)
			case tt.want.group != "" && !strings.HasSuffix(string(group), tt.want.group):
				t.Errorf("OperatorGroup:\n%s\nwant it to end with:\n%s", group, tt.want.group)
			}
			findings, err := lint.Run(context.Background(), c, lint.Config{}, lint.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				if f.Severity > diag.Info {
					t.Errorf("%s:%d:%d: %s [%s]", f.Path, f.Line, f.Column, f.Message, f.Rule)
				}
			}
		})
	}
}

func TestAddOperatorFromIndexErrors(t *testing.T) {
	tests := []struct {
		name string
		opts OperatorOptions
		want string
	}{
		{"channel not in the index", OperatorOptions{Index: setOf(demoPackage(everyMode)), Channels: []string{"v2.0"}},
			"channel v2.0 is not in package demo; it has stable, v1.0, v1.1"},
		{"csv not in the channel", OperatorOptions{Index: setOf(demoPackage(everyMode)), Channels: []string{"v1.1"}, CSVs: map[string]string{"v1.1": "demo.v1.0.0"}},
			"demo.v1.0.0 is not in channel v1.1 of demo; its head is demo.v1.1.3"},
		{"global namespace without AllNamespaces", OperatorOptions{Index: setOf(demoPackage(notGlobal))},
			"demo.v1.1.3 does not support AllNamespaces, which openshift-operators needs; it supports OwnNamespace, SingleNamespace: give --namespace"},
		{"install mode not supported", OperatorOptions{Index: setOf(demoPackage(notGlobal)), Namespace: "demo", InstallMode: "AllNamespaces"},
			"--install-mode AllNamespaces: demo.v1.1.3 does not support it; it supports OwnNamespace, SingleNamespace"},
		{"MultiNamespace only, no targets", OperatorOptions{Index: setOf(demoPackage(multiOnly)), Namespace: "demo"},
			"supports only MultiNamespace: give --target-namespaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			o := tt.opts
			o.Root, o.Package = root, "demo"
			_, err := AddOperator(o)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Msg, tt.want) {
				t.Fatalf("got %v, want an input error containing %q", err, tt.want)
			}
			if files := readTree(t, root); len(files) != 0 {
				t.Errorf("files written: %v", files)
			}
		})
	}
}

func TestAddOverlayFromIndex(t *testing.T) {
	set := index.Set{"demo-catalog": &index.Index{Source: "demo-catalog", Packages: map[string]*index.Package{"demo": demoPackage(everyMode)}}}
	tests := []struct {
		name     string
		approval string
		opts     OverlayOptions
		csv      string // the pin of the new overlay
		err      string
	}{
		{"Automatic: no pin", "Automatic", OverlayOptions{Channel: "v1.1"}, "", ""},
		{"Manual pins the head", "Manual", OverlayOptions{Channel: "v1.1"}, "demo.v1.1.3", ""},
		{"Manual keeps --csv", "Manual", OverlayOptions{Channel: "v1.1", CSV: "demo.v1.1.0"}, "demo.v1.1.0", ""},
		{"channel not in the package", "Manual", OverlayOptions{Channel: "v9"}, "", "channel v9 is not in package demo; it has stable, v1.0, v1.1"},
		{"csv not in the channel", "Manual", OverlayOptions{Channel: "v1.1", CSV: "demo.v1.0.1"}, "", "CSV demo.v1.0.1 is not in channel v1.1 of demo; its head is demo.v1.1.3"},
		{"package in no index", "Manual", OverlayOptions{Channel: "v1.1", Index: index.Set{"x": &index.Index{Source: "x", Packages: map[string]*index.Package{}}}}, "",
			"package demo of operator demo is in none of the indexes given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			p, err := AddOperator(OperatorOptions{Root: root, Package: "demo", Source: "demo-catalog", Channels: []string{"v1.0"}, Approval: v1alpha1.Approval(tt.approval)})
			apply(t, p, err)
			o := tt.opts
			o.Root, o.Operator = root, "demo"
			if o.Index == nil {
				o.Index = set
			}
			p, err = AddOverlay(load(t, root), o)
			if tt.err != "" {
				var ie *InputError
				if !errors.As(err, &ie) || !strings.Contains(ie.Msg, tt.err) {
					t.Fatalf("got %v, want an input error containing %q", err, tt.err)
				}
				return
			}
			apply(t, p, err)
			ov := load(t, root).Operator("demo").Overlay(o.Channel)
			if ov == nil || ov.Subscription.StartingCSV.Value != tt.csv {
				t.Errorf("overlay %s: %+v, want startingCSV %q", o.Channel, ov, tt.csv)
			}
		})
	}
}

func TestSingleNamespaceNeedsATarget(t *testing.T) {
	_, err := AddOperator(OperatorOptions{Root: t.TempDir(), Package: "demo", Index: setOf(demoPackage(singleOnly)), Namespace: "demo"})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Msg, "--install-mode SingleNamespace --target-namespaces") {
		t.Errorf("got %v, want an input error asking for a target namespace", err)
	}
	_, err = AddOperator(OperatorOptions{Root: t.TempDir(), Package: "demo", Channels: []string{"v1"}, Namespace: "demo",
		InstallMode: "SingleNamespace", TargetNamespaces: []string{"demo"}})
	if !errors.As(err, &ie) || !strings.Contains(ie.Msg, "OwnNamespace") {
		t.Errorf("a single target equal to the namespace: got %v, want an input error naming OwnNamespace", err)
	}
}
