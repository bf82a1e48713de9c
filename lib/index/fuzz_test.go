package index

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzReadFBC feeds arbitrary bytes to the stream reader (JSON and YAML,
// documents and streamed template/List elements) and runs the graph queries
// on whatever it accepts. It must neither panic nor hang.
func FuzzReadFBC(f *testing.F) {
	for _, pattern := range []string{"testdata/*/*.yaml", "testdata/*/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 1<<14 {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		"---\n---\n...\n",
		"entries:\n- schema: olm.package\n  name: x\n- name: e\nschema: olm.channel\nname: c\npackage: x\n",
		"entries:\n  - schema: olm.bundle\n    image: i\n  -\n  - 1\nschema: olm.template.basic\n",
		`{"entries":[{"schema":"olm.bundle","image":"i"},2,{"name":"n"}],"schema":"olm.template.basic"}`,
		`{"items":{"a":[1,{"b":null}]},"entries":"x"}[{"schema":"olm.package","name":"p"}]`,
		"kind: List\nitems:\n- kind: PackageManifest\n  status: {packageName: p, channels: [{name: a, currentCSV: p.v1.0.0}]}\n",
		"schema: olm.channel\npackage: p\nname: c\nentries:\n- {name: p.v1.0.0, replaces: p.v1.0.0, skipRange: '>=0.0.0'}\n",
		"a: &x [*x]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		for _, forceYAML := range []bool{false, true} {
			b := newBuilder(Options{})
			if _, _, err := b.read("fuzz.yaml", bytes.NewReader(data), forceYAML); err != nil {
				continue
			}
			for _, p := range b.finish().Packages {
				p.ChannelNames()
				for _, ch := range p.Channels {
					_, _ = ch.Head()
					for i, e := range ch.Entries {
						if i >= 20 {
							break
						}
						ch.Behind(e.Name)
						p.ChannelsOf(e.Name)
					}
					if n := len(ch.Entries); n > 0 {
						ch.UpgradePath(ch.Entries[n-1].Name, ch.Entries[0].Name)
					}
					// The indexed search agrees with the plain one.
					for i := 0; i < len(ch.Entries) && i < 5 && len(ch.Entries) <= 50; i++ {
						from, to := ch.Entries[len(ch.Entries)-1-i].Name, ch.Entries[i].Name
						got, ok := ch.UpgradePath(from, to)
						want, wantOK := bruteUpgradePath(ch, from, to)
						if ok != wantOK || !reflect.DeepEqual(got, want) {
							t.Fatalf("UpgradePath(%s, %s) = %v, %v; the plain search gives %v, %v", from, to, got, ok, want, wantOK)
						}
					}
				}
			}
		}
	})
}
