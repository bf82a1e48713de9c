package catalog

import (
	"fmt"
	"slices"
	"testing"

	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// briefDrift is a Drift in one line, for comparison.
func briefDrift(d Drift) string {
	return fmt.Sprintf("%s %s %s/%s channel=%s set=%v csv=%s head=%s steps=%d path=%v newer=%v known=%v dep=%q @%s",
		d.Kind, d.Overlay, d.Source, d.Package, d.Channel, d.ChannelSet, d.CSV, d.Head, d.Steps, d.HasPath, d.Newer, d.Known, d.Deprecation, d.Pos)
}

// compareIndex holds package ibm-mq with a deprecated channel and bundle.
const compareIndex = `---
schema: olm.package
name: ibm-mq
defaultChannel: v2.0
---
schema: olm.channel
package: ibm-mq
name: v1.8
entries:
- name: ibm-mq.v1.8.0
- name: ibm-mq.v1.8.1
  replaces: ibm-mq.v1.8.0
---
schema: olm.channel
package: ibm-mq
name: v2.0
entries:
- name: ibm-mq.v2.0.0
- name: ibm-mq.v2.0.1
  replaces: ibm-mq.v2.0.0
- name: ibm-mq.v2.0.5
  replaces: ibm-mq.v2.0.1
---
schema: olm.bundle
package: ibm-mq
name: ibm-mq.v1.8.0
properties:
- type: olm.package
  value: {packageName: ibm-mq, version: 1.8.0}
---
schema: olm.deprecations
package: ibm-mq
entries:
- reference: {schema: olm.channel, name: v1.8}
  message: use v2.0
- reference: {schema: olm.bundle, name: ibm-mq.v1.8.0}
  message: a bad build
`

func TestCompareSubscription(t *testing.T) {
	set := setOf(loadIndex(t, "ibm-operator-catalog", compareIndex))
	at := func(line int) kustomize.Position { return kustomize.Position{File: "s.yaml", Line: line, Column: 3} }
	sub := func(channel, csv string) Subscription {
		s := Subscription{
			Package: Value{Value: "ibm-mq", Set: true, Pos: at(1)},
			Source:  Value{Value: "ibm-operator-catalog", Set: true, Pos: at(2)},
		}
		if channel != "-" {
			s.Channel = Value{Value: channel, Set: true, Pos: at(3)}
		}
		if csv != "" {
			s.StartingCSV = Value{Value: csv, Set: true, Pos: at(4)}
		}
		return s
	}
	tests := []struct {
		name      string
		s         Subscription
		judged    bool
		inChannel bool
		want      []string
	}{
		{"at the head", sub("v2.0", "ibm-mq.v2.0.5"), true, true, nil},
		{"no pin, default channel", sub("-", ""), true, false, nil},
		{"deprecated channel and bundle, behind", sub("v1.8", "ibm-mq.v1.8.0"), true, true, []string{
			`channel-deprecated  ibm-operator-catalog/ibm-mq channel=v1.8 set=true csv=ibm-mq.v1.8.0 head= steps=0 path=false newer=false known=[] dep="use v2.0" @s.yaml:3:3`,
			`bundle-deprecated  ibm-operator-catalog/ibm-mq channel=v1.8 set=true csv=ibm-mq.v1.8.0 head=ibm-mq.v1.8.1 steps=1 path=true newer=false known=[] dep="a bad build" @s.yaml:4:3`,
			`behind  ibm-operator-catalog/ibm-mq channel=v1.8 set=true csv=ibm-mq.v1.8.0 head=ibm-mq.v1.8.1 steps=1 path=true newer=false known=[] dep="" @s.yaml:4:3`,
		}},
		{"behind", sub("v2.0", "ibm-mq.v2.0.0"), true, true, []string{
			`behind  ibm-operator-catalog/ibm-mq channel=v2.0 set=true csv=ibm-mq.v2.0.0 head=ibm-mq.v2.0.5 steps=2 path=true newer=false known=[] dep="" @s.yaml:4:3`,
		}},
		{"channel unknown", sub("v9", "ibm-mq.v9.0.0"), true, false, []string{
			`channel-unknown  ibm-operator-catalog/ibm-mq channel=v9 set=true csv=ibm-mq.v9.0.0 head= steps=0 path=false newer=false known=[v1.8 v2.0] dep="" @s.yaml:3:3`,
		}},
		{"CSV unknown, newer than the head", sub("v2.0", "ibm-mq.v3.0.0"), true, false, []string{
			`csv-unknown  ibm-operator-catalog/ibm-mq channel=v2.0 set=true csv=ibm-mq.v3.0.0 head=ibm-mq.v2.0.5 steps=0 path=false newer=true known=[] dep="" @s.yaml:4:3`,
		}},
		{"CSV in another channel", sub("v2.0", "ibm-mq.v1.8.1"), true, false, []string{
			`csv-not-in-channel  ibm-operator-catalog/ibm-mq channel=v2.0 set=true csv=ibm-mq.v1.8.1 head=ibm-mq.v2.0.5 steps=0 path=false newer=false known=[v1.8] dep="" @s.yaml:4:3`,
		}},
		{"package unknown", func() Subscription { s := sub("v2.0", ""); s.Package.Value = "ibm-eventstreams"; return s }(), true, false, []string{
			`package-unknown  ibm-operator-catalog/ibm-eventstreams channel= set=false csv= head= steps=0 path=false newer=false known=[] dep="" @s.yaml:1:3`,
		}},
		{"served by no index given", func() Subscription {
			s := sub("v2.0", "")
			s.Package.Value, s.Source.Value = "other", "redhat-operators"
			return s
		}(), false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CompareSubscription(tt.s, set)
			var got []string
			for _, d := range c.Drift {
				got = append(got, briefDrift(d))
			}
			if c.Judged != tt.judged || c.InChannel != tt.inChannel || !slices.Equal(got, tt.want) {
				t.Errorf("CompareSubscription: judged %v, in channel %v\n%q\nwant judged %v, in channel %v\n%q", c.Judged, c.InChannel, got, tt.judged, tt.inChannel, tt.want)
			}
		})
	}
}

// TestOperatorCompare: the overlays' drift first, in overlay order, then
// the new channels; Outdated words the same facts (TestOutdated).
func TestOperatorCompare(t *testing.T) {
	c := loadFixture(t, "testdata/simple")
	got := []string{}
	for _, d := range c.Operators[0].Compare(setOf(loadIndex(t, "ibm-operator-catalog", mqIndex))) {
		got = append(got, fmt.Sprintf("%s %s %s %s %s", d.Kind, d.Overlay, d.Channel, d.CSV, d.Head))
	}
	want := []string{
		"behind v1.8 v1.8 ibm-mq.v1.8.0 ibm-mq.v1.8.2",
		"channel-unknown v1.9 v1.9  ",
		"behind v2.0 v2.0 ibm-mq.v2.0.1 ibm-mq.v2.0.2",
		"channel-new  v2.1  ibm-mq.v2.1.0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Compare:\n got %q\nwant %q", got, want)
	}
	if d := c.Operators[0].Compare(index.Set{}); d != nil {
		t.Errorf("Compare without indexes = %v, want nil", d)
	}
}
