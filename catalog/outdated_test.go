package catalog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/lib/index"
)

// mqIndex is a small File-Based Catalog of ibm-mq. Against testdata/simple:
// overlay v1.8 pins ibm-mq.v1.8.0, two steps behind its head; channel v1.9
// is gone; overlay v2.0 pins ibm-mq.v2.0.1, one step behind; v2.1 is new.
const mqIndex = `---
schema: olm.package
name: ibm-mq
defaultChannel: v2.1
---
schema: olm.channel
package: ibm-mq
name: v1.8
entries:
- name: ibm-mq.v1.8.0
- name: ibm-mq.v1.8.1
  replaces: ibm-mq.v1.8.0
- name: ibm-mq.v1.8.2
  replaces: ibm-mq.v1.8.1
---
schema: olm.channel
package: ibm-mq
name: v2.0
entries:
- name: ibm-mq.v2.0.0
  replaces: ibm-mq.v1.8.2
- name: ibm-mq.v2.0.1
  replaces: ibm-mq.v2.0.0
- name: ibm-mq.v2.0.2
  replaces: ibm-mq.v2.0.1
---
schema: olm.channel
package: ibm-mq
name: v2.1
entries:
- name: ibm-mq.v2.1.0
  replaces: ibm-mq.v2.0.2
`

// loadIndex writes content to a file and loads it for source.
func loadIndex(t *testing.T, source, content string) *index.Index {
	t.Helper()
	file := filepath.Join(t.TempDir(), "index.yaml")
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	idx, err := index.Load(context.Background(), file, index.Options{Source: source})
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func setOf(idx ...*index.Index) index.Set {
	s := index.Set{}
	for _, i := range idx {
		s.Add(i)
	}
	return s
}

// brief is an OutdatedItem in one line, for comparison.
func brief(it OutdatedItem) string {
	pos := ""
	if it.File != "" {
		pos = fmt.Sprintf(" @%s:%d:%d", it.File, it.Line, it.Column)
	}
	return fmt.Sprintf("%s %s/%s %s/%s channel=%s csv=%s head=%s behind=%d%s",
		it.Kind, it.Path, it.Overlay, it.Source, it.Package, it.Channel, it.StartingCSV, it.Head, it.Behind, pos)
}

func TestOutdated(t *testing.T) {
	c := loadFixture(t, "testdata/simple")
	stale := []string{
		"csv-behind mq/v1.8 ibm-operator-catalog/ibm-mq channel=v1.8 csv=ibm-mq.v1.8.0 head=ibm-mq.v1.8.2 behind=2 @mq/operator/overlays/v1.8/patch-channel.yaml:6:10",
		"channel-missing mq/v1.9 ibm-operator-catalog/ibm-mq channel=v1.9 csv= head= behind=0 @mq/operator/overlays/v1.9/kustomization.yaml:11:16",
		"csv-behind mq/v2.0 ibm-operator-catalog/ibm-mq channel=v2.0 csv=ibm-mq.v2.0.1 head=ibm-mq.v2.0.2 behind=1 @mq/operator/overlays/v2.0/subscription-patch.yaml:8:16",
		"channel-new mq/ ibm-operator-catalog/ibm-mq channel=v2.1 csv= head=ibm-mq.v2.1.0 behind=0",
	}
	// current has every channel the overlays use, with the pins as heads.
	current := `---
schema: olm.package
name: ibm-mq
defaultChannel: v2.0
---
schema: olm.channel
package: ibm-mq
name: v1.8
entries:
- name: ibm-mq.v1.8.0
---
schema: olm.channel
package: ibm-mq
name: v1.9
entries:
- name: ibm-mq.v1.9.0
  replaces: ibm-mq.v1.8.0
---
schema: olm.channel
package: ibm-mq
name: v2.0
entries:
- name: ibm-mq.v2.0.1
---
schema: olm.channel
package: ibm-mq
name: stable
entries:
- name: ibm-mq.v2.0.1
`
	other := `---
schema: olm.package
name: other
defaultChannel: v1
---
schema: olm.channel
package: other
name: v1
entries:
- name: other.v1.0.0
`
	// unreachable has a head the pin cannot reach.
	unreachable := strings.Replace(current, "name: v2.0\nentries:\n- name: ibm-mq.v2.0.1\n", "name: v2.0\nentries:\n- name: ibm-mq.v2.0.5\n", 1)
	tests := []struct {
		name string
		set  index.Set
		want []string
	}{
		{"stale pins, a channel gone, a new channel", setOf(loadIndex(t, "ibm-operator-catalog", mqIndex)), stale},
		{"index without a source", setOf(loadIndex(t, "", mqIndex)), func() []string {
			var out []string
			for _, s := range stale {
				out = append(out, strings.Replace(s, "ibm-operator-catalog/", "/", 1))
			}
			return out
		}()},
		{"up to date", setOf(loadIndex(t, "ibm-operator-catalog", current)), nil},
		{"package in no index, source names none", setOf(loadIndex(t, "community-operators", other)), nil},
		{"the source's index lacks the package", setOf(loadIndex(t, "ibm-operator-catalog", other), loadIndex(t, "", mqIndex)), []string{
			"package-missing mq/ ibm-operator-catalog/ibm-mq channel= csv= head= behind=0 @mq/operator/base/subscription.yaml:9:9",
		}},
		{"another source holds the package", setOf(loadIndex(t, "redhat-operators", current)), nil},
		{"no upgrade path to the head", setOf(loadIndex(t, "ibm-operator-catalog", unreachable)), []string{
			"csv-behind mq/v2.0 ibm-operator-catalog/ibm-mq channel=v2.0 csv=ibm-mq.v2.0.1 head=ibm-mq.v2.0.5 behind=0 @mq/operator/overlays/v2.0/subscription-patch.yaml:8:16",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, it := range Outdated(c, tt.set) {
				got = append(got, brief(it))
				if it.Message == "" {
					t.Errorf("%s has no message", brief(it))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Outdated:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	if got := Outdated(c, index.Set{}); got == nil || len(got) != 0 {
		t.Errorf("Outdated without indexes = %#v, want an empty, non-nil list", got)
	}
}

func TestIndexPackage(t *testing.T) {
	mq := loadIndex(t, "ibm-operator-catalog", mqIndex)
	anon := loadIndex(t, "", mqIndex)
	other := loadIndex(t, "redhat-operators", `---
schema: olm.package
name: other
---
schema: olm.channel
package: other
name: v1
entries:
- name: other.v1.0.0
`)
	tests := []struct {
		name        string
		set         index.Set
		source, pkg string
		found       bool
		from        string
		judged      bool
	}{
		{"by source", setOf(mq, other), "ibm-operator-catalog", "ibm-mq", true, "ibm-operator-catalog", true},
		{"source index lacks it", setOf(mq, other), "redhat-operators", "ibm-mq", false, "redhat-operators", true},
		{"unknown source, found elsewhere", setOf(mq, other), "community-operators", "ibm-mq", true, "ibm-operator-catalog", true},
		{"empty source", setOf(anon, other), "", "ibm-mq", true, "", true},
		{"nowhere", setOf(mq, other), "community-operators", "nope", false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, from, judged := IndexPackage(tt.set, tt.source, tt.pkg)
			if (p != nil) != tt.found || from != tt.from || judged != tt.judged {
				t.Errorf("IndexPackage(%q, %q) = %v, %q, %v; want found %v, %q, %v", tt.source, tt.pkg, p != nil, from, judged, tt.found, tt.from, tt.judged)
			}
		})
	}
}

func TestIndexPackageDoesNotGuess(t *testing.T) {
	mk := func(source string) *index.Index {
		return &index.Index{Source: source, Packages: map[string]*index.Package{"mq": {Name: "mq"}}}
	}
	set := index.Set{}
	set.Add(mk("a"))
	if p, from, judged := IndexPackage(set, "other", "mq"); p == nil || from != "a" || !judged {
		t.Errorf("one index holds the package: got %v %q %v", p, from, judged)
	}
	set.Add(mk("b"))
	if p, _, judged := IndexPackage(set, "other", "mq"); p != nil || judged {
		t.Errorf("two indexes hold the package and neither serves the source: got %v %v, want not judged", p, judged)
	}
	if p, from, judged := IndexPackage(set, "b", "mq"); p == nil || from != "b" || !judged {
		t.Errorf("the source's own index: got %v %q %v", p, from, judged)
	}
}
