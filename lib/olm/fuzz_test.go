package olm

import (
	"strings"
	"testing"
)

func FuzzParseCSVName(f *testing.F) {
	for _, s := range []string{
		"ibm-eventstreams.v2.3.1",
		"redhat-openshift-pipelines.v1.5.2",
		"openshift-gitops-operator.v1.6.1-0.1666124167.p",
		"elasticsearch-eck-operator-certified.1.9.0",
		"postgresoperator.v5.8.8",
		"apicurio-registry-operator.v1.0.0-v2.0.0.final",
		"cloud-native-postgresql.v1.6.0",
		"amqstreams.v2.1.0-0",
		"foo.bar.v1.2.3",
		"foo.v1.2.3+build.5",
		"foo.v1.0.0-1.2.3",
		"",
		"tobechanged",
		"patch-me-see-overlays-dir",
		"foo.v1.2",
		"foo.v1.2.3.4",
		" foo.v1.2.3",
		"Foo.v1.2.3",
		"foo.v01.2.3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCSVName(s)
		if err != nil {
			if c != (CSVName{}) {
				t.Fatalf("ParseCSVName(%q) failed but returned %+v", s, c)
			}
			if !strings.HasPrefix(err.Error(), "unable to parse CSV name") {
				t.Fatalf("ParseCSVName(%q) error %q lacks the prefix", s, err)
			}
			return
		}
		if c.Version == nil {
			t.Fatalf("ParseCSVName(%q) succeeded without a version", s)
		}
		if c.Raw != s || c.String() != s {
			t.Fatalf("ParseCSVName(%q): Raw %q, String %q", s, c.Raw, c.String())
		}
		if rt := csvRoundTrip(c); rt != s {
			t.Fatalf("ParseCSVName(%q) round trip = %q", s, rt)
		}
		if c.Name == "" || strings.Trim(c.Name, "abcdefghijklmnopqrstuvwxyz0123456789.-") != "" {
			t.Fatalf("ParseCSVName(%q): bad name %q", s, c.Name)
		}
		if c.Compare(c) != 0 {
			t.Fatalf("ParseCSVName(%q): Compare with itself = %d", s, c.Compare(c))
		}
		again, err := ParseCSVName(c.Raw)
		if err != nil || again.Name != c.Name || again.HasV != c.HasV || again.Version.Original() != c.Version.Original() {
			t.Fatalf("ParseCSVName(%q) is not deterministic: %+v, %v", s, again, err)
		}
	})
}

func FuzzChannelSeries(f *testing.F) {
	for _, s := range []string{
		"v2.5", "v1.8", "2.5.x", "7.12.x", "stable-v1.15", "strimzi-0.38.x",
		"gitops-1.12", "amq-streams-2.1.x", "threescale-2.13", "4.12-stable",
		"v3.x", "v3", "2.x", "v2.x", "v5", "preview-v2",
		"stable", "latest", "alpha", "beta", "fast", "candidate",
		"tech-preview", "patch-me-see-overlays-dir", "stable-4.8", "stable-4.7",
		"eus-4.16", "release-2023", "v1.2.3.4", "v18446744073709551616", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, channel string) {
		s, ok := ChannelSeries(channel)
		s2, ok2 := ChannelSeries(channel)
		if s != s2 || ok != ok2 {
			t.Fatalf("ChannelSeries(%q) is not deterministic: %+v %v, then %+v %v", channel, s, ok, s2, ok2)
		}
		if !ok {
			if s != (Series{}) {
				t.Fatalf("ChannelSeries(%q) = %+v with false", channel, s)
			}
			return
		}
		if !s.HasMinor && s.Minor != 0 {
			t.Fatalf("ChannelSeries(%q) = %+v: minor without HasMinor", channel, s)
		}
		// The series' own text appears in the channel.
		if !strings.Contains(channel, s.String()) {
			t.Fatalf("ChannelSeries(%q) = %s, which the channel does not contain", channel, s)
		}
		// A channel implying a series is made of [a-z0-9.-] only.
		if strings.Trim(channel, "abcdefghijklmnopqrstuvwxyz0123456789.-") != "" {
			t.Fatalf("ChannelSeries(%q) = %s for a channel with other characters", channel, s)
		}
	})
}

// FuzzExtensionRange: any version string parses as a range or is refused
// with an error, never a panic.
func FuzzExtensionRange(f *testing.F) {
	for _, s := range []string{"^0.15.0", ">=1.2.0 <1.3.0", "1.2.x", "", "~2.0.1 || >=3", "not a range"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ExtensionRange(s)
		if err == nil && c == nil && strings.TrimSpace(s) != "" {
			t.Fatalf("%q: no range and no error", s)
		}
	})
}

// FuzzParseChannelName: every string is a channel name; the sort key is a
// version written in the name, and agrees with the series when the name
// implies one.
func FuzzParseChannelName(f *testing.F) {
	for _, s := range []string{
		"gitops-1.10", "stable-v1.15", "stable-4.8", "release-2023", "v1.2.3.4",
		"alpha1", "gitops-01.2", "v3", "2.x", "stable", "", "99999999999999999999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, channel string) {
		c := ParseChannelName(channel)
		if c.Raw != channel {
			t.Fatalf("ParseChannelName(%q).Raw = %q", channel, c.Raw)
		}
		if again := ParseChannelName(channel); again.HasSeries != c.HasSeries || again.Series != c.Series || (again.SortKey == nil) != (c.SortKey == nil) ||
			(c.SortKey != nil && !c.SortKey.Equal(again.SortKey)) {
			t.Fatalf("ParseChannelName(%q) is not deterministic", channel)
		}
		if c.HasSeries {
			if c.SortKey == nil || c.SortKey.Major() != c.Series.Major || c.SortKey.Minor() != c.Series.Minor || c.SortKey.Patch() != 0 {
				t.Fatalf("ParseChannelName(%q): sort key %v disagrees with series %s", channel, c.SortKey, c.Series)
			}
		}
		if c.SortKey != nil && !strings.ContainsAny(channel, "0123456789") {
			t.Fatalf("ParseChannelName(%q): sort key %s from a name without digits", channel, c.SortKey)
		}
	})
}
