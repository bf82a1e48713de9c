package olm

import (
	"testing"

	"github.com/Masterminds/semver/v3"
)

func TestChannelSeries(t *testing.T) {
	tests := []struct {
		name    string
		channel string
		want    string // Series.String(); empty when the channel implies none
	}{
		{name: "v major.minor", channel: "v2.5", want: "2.5"},
		{name: "v major.minor 1.8", channel: "v1.8", want: "1.8"},
		{name: "major.minor.x", channel: "2.5.x", want: "2.5"},
		{name: "two-digit minor .x", channel: "7.12.x", want: "7.12"},
		{name: "word prefix v", channel: "stable-v1.15", want: "1.15"},
		{name: "word prefix zero major .x", channel: "strimzi-0.38.x", want: "0.38"},
		{name: "word prefix major.minor", channel: "gitops-1.12", want: "1.12"},
		{name: "multi-word prefix .x", channel: "amq-streams-2.1.x", want: "2.1"},
		{name: "threescale", channel: "threescale-2.13", want: "2.13"},
		{name: "word suffix", channel: "4.12-stable", want: "4.12"},
		{name: "v major .x", channel: "v3.x", want: "3"},
		{name: "v major", channel: "v3", want: "3"},
		{name: "major .x", channel: "2.x", want: "2"},
		{name: "v major .x 2", channel: "v2.x", want: "2"},
		{name: "v major 5", channel: "v5", want: "5"},
		{name: "word prefix v major", channel: "preview-v2", want: "2"},
		{name: "bare major.minor", channel: "1.0", want: "1.0"},
		{name: "zero major", channel: "v0", want: "0"},
		{name: "prefix and suffix", channel: "amq-streams-2.1.x-stable", want: "2.1"},
		{name: "multi-word suffix", channel: "2.5-tech-preview", want: "2.5"},
		{name: "logging stable-5.x", channel: "stable-5.1", want: "5.1"},
		{name: "openshift word with v keeps series", channel: "stable-v4.8", want: "4.8"},
		{name: "openshift word with .x keeps series", channel: "stable-4.8.x", want: "4.8"},
		{name: "openshift word with suffix keeps series", channel: "stable-4.8-preview", want: "4.8"},
		{name: "other word with 4.x keeps series", channel: "release-4.8", want: "4.8"},
		{name: "two words then 4.x keeps series", channel: "rh-stable-4.8", want: "4.8"},
		{name: "large numbers", channel: "v18446744073709551615.1", want: "18446744073709551615.1"},

		{name: "stable", channel: "stable"},
		{name: "latest", channel: "latest"},
		{name: "alpha", channel: "alpha"},
		{name: "beta", channel: "beta"},
		{name: "fast", channel: "fast"},
		{name: "candidate", channel: "candidate"},
		{name: "tech-preview", channel: "tech-preview"},
		{name: "placeholder", channel: "patch-me-see-overlays-dir"},
		{name: "openshift stable-4.8", channel: "stable-4.8"},
		{name: "openshift stable-4.7", channel: "stable-4.7"},
		{name: "openshift fast-4.12", channel: "fast-4.12"},
		{name: "openshift candidate-4.14", channel: "candidate-4.14"},
		{name: "openshift eus-4.16", channel: "eus-4.16"},
		{name: "bare major with word", channel: "release-2023"},
		{name: "bare major", channel: "3"},
		{name: "bare major 4 with openshift word", channel: "stable-4"},
		{name: "four parts", channel: "v1.2.3.4"},
		{name: "full version", channel: "v1.2.3"},
		{name: "full version no v", channel: "1.2.3"},
		{name: "empty", channel: ""},
		{name: "leading zero major", channel: "v01.2"},
		{name: "leading zero minor", channel: "v1.02"},
		{name: "leading zero major only", channel: "v00"},
		{name: "two version words", channel: "v1-v2"},
		{name: "digits in word", channel: "ocp4-v1.2"},
		{name: "uppercase word", channel: "Stable-v1.2"},
		{name: "uppercase V", channel: "V1.2"},
		{name: "leading hyphen", channel: "-v1.2"},
		{name: "trailing hyphen", channel: "v1.2-"},
		{name: "double hyphen", channel: "stable--v1.2"},
		{name: "space", channel: "stable v1.2"},
		{name: "underscore", channel: "stable_v1.2"},
		{name: "only v", channel: "v"},
		{name: "only x", channel: "x"},
		{name: "v.x", channel: "v.x"},
		{name: "double x", channel: "2.x.x"},
		{name: "x in the middle", channel: "2.x.5"},
		{name: "trailing dot", channel: "v1.2."},
		{name: "empty minor", channel: "v1..2"},
		{name: "overflow", channel: "v18446744073709551616"},
		{name: "letters after number", channel: "v1.2rc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ChannelSeries(tt.channel)
			if tt.want == "" {
				if ok {
					t.Fatalf("ChannelSeries(%q) = %s, true; want none", tt.channel, got)
				}
				if got != (Series{}) {
					t.Errorf("ChannelSeries(%q) = %+v with false, want the zero Series", tt.channel, got)
				}
				return
			}
			if !ok {
				t.Fatalf("ChannelSeries(%q) implies none, want %s", tt.channel, tt.want)
			}
			if got.String() != tt.want {
				t.Errorf("ChannelSeries(%q) = %s, want %s", tt.channel, got, tt.want)
			}
		})
	}
}

func TestSeriesString(t *testing.T) {
	tests := []struct {
		name string
		s    Series
		want string
	}{
		{name: "major.minor", s: Series{Major: 2, Minor: 5, HasMinor: true}, want: "2.5"},
		{name: "zero minor", s: Series{Major: 1, HasMinor: true}, want: "1.0"},
		{name: "major only", s: Series{Major: 3}, want: "3"},
		{name: "minor ignored without HasMinor", s: Series{Major: 3, Minor: 7}, want: "3"},
		{name: "zero", s: Series{}, want: "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.String(); got != tt.want {
				t.Errorf("%+v.String() = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

func TestSeriesContains(t *testing.T) {
	tests := []struct {
		name    string
		s       Series
		version string // empty means a nil version
		want    bool
	}{
		{name: "same minor", s: Series{Major: 2, Minor: 5, HasMinor: true}, version: "2.5.3", want: true},
		{name: "same minor prerelease", s: Series{Major: 1, Minor: 6, HasMinor: true}, version: "1.6.1-0.1666124167.p", want: true},
		{name: "other minor", s: Series{Major: 2, Minor: 5, HasMinor: true}, version: "2.6.0", want: false},
		{name: "other major", s: Series{Major: 2, Minor: 5, HasMinor: true}, version: "3.5.0", want: false},
		{name: "major only any minor", s: Series{Major: 3}, version: "3.14.1", want: true},
		{name: "major only other major", s: Series{Major: 3}, version: "4.0.0", want: false},
		{name: "minor ignored without HasMinor", s: Series{Major: 3, Minor: 7}, version: "3.1.0", want: true},
		{name: "zero series", s: Series{HasMinor: true}, version: "0.0.1", want: true},
		{name: "nil version", s: Series{Major: 0}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v *semver.Version
			if tt.version != "" {
				v = semver.MustParse(tt.version)
			}
			if got := tt.s.Contains(v); got != tt.want {
				t.Errorf("%s.Contains(%v) = %v, want %v", tt.s, v, got, tt.want)
			}
		})
	}
}

func TestChannelSeriesContainsCSV(t *testing.T) {
	tests := []struct {
		name    string
		channel string
		csv     string
		want    bool
	}{
		{name: "gitops in channel", channel: "gitops-1.6", csv: "openshift-gitops-operator.v1.6.1-0.1666124167.p", want: true},
		{name: "gitops outside channel", channel: "gitops-1.12", csv: "openshift-gitops-operator.v1.6.1-0.1666124167.p", want: false},
		{name: "amq streams", channel: "amq-streams-2.1.x", csv: "amqstreams.v2.1.0-0", want: true},
		{name: "eck major", channel: "v1.x", csv: "elasticsearch-eck-operator-certified.1.9.0", want: true},
		{name: "postgres major mismatch", channel: "v4", csv: "postgresoperator.v5.8.8", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := ChannelSeries(tt.channel)
			if !ok {
				t.Fatalf("ChannelSeries(%q) implies none", tt.channel)
			}
			c := mustParseCSVName(t, tt.csv)
			if got := s.Contains(c.Version); got != tt.want {
				t.Errorf("%s.Contains(%s) = %v, want %v", s, c.Version, got, tt.want)
			}
		})
	}
}

// TestParseChannelName lists the names on which the two former channel
// readers disagreed: lib/index ordered channels by the first run of numbers
// in the name (its sort key, kept), and ChannelSeries is strict. They answer
// different questions: OLM gives channel names no meaning, so a name
// promises a series only when it fits the strict rules (a wrong series would
// report a good CSV), while any number orders names for people (stable-4.8
// before stable-4.10). Where both give a version it is the same one.
func TestParseChannelName(t *testing.T) {
	tests := []struct {
		channel, key, series string // "" for none
	}{
		// Both readings agree.
		{"gitops-1.10", "1.10.0", "1.10"},
		{"stable-v1.15", "1.15.0", "1.15"},
		{"amq-streams-2.1.x", "2.1.0", "2.1"},
		{"4.12-stable", "4.12.0", "4.12"},
		{"v3", "3.0.0", "3"},
		{"2.x", "2.0.0", "2"},
		{"stable", "", ""},
		// A sort key without a series.
		{"stable-4.8", "4.8.0", ""},
		{"eus-4.16", "4.16.0", ""},
		{"release-2023", "2023.0.0", ""},
		{"3", "3.0.0", ""},
		{"v1.2.3", "1.2.3", ""},
		{"v1.2.3.4", "1.2.3", ""},
		{"alpha1", "1.0.0", ""},
		{"gitops-01.2", "1.2.0", ""},
		{"Stable-V1.2", "1.2.0", ""},
		{"v2-1.3", "2.0.0", ""},
		{"99999999999999999999", "", ""},
	}
	for _, tt := range tests {
		c := ParseChannelName(tt.channel)
		key, series := "", ""
		if c.SortKey != nil {
			key = c.SortKey.String()
		}
		if c.HasSeries {
			series = c.Series.String()
		}
		if key != tt.key || series != tt.series || c.Raw != tt.channel {
			t.Errorf("ParseChannelName(%q) = key %q series %q, want key %q series %q", tt.channel, key, series, tt.key, tt.series)
		}
		if s, ok := ChannelSeries(tt.channel); s != c.Series || ok != c.HasSeries {
			t.Errorf("ChannelSeries(%q) = %v %v, ParseChannelName says %v %v", tt.channel, s, ok, c.Series, c.HasSeries)
		}
	}
}
