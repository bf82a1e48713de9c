package olm

import (
	"strings"
	"testing"
)

func TestParseCSVName(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // expected Name
		version string // expected Version.String()
		hasV    bool
	}{
		{name: "plain", in: "ibm-eventstreams.v2.3.1", want: "ibm-eventstreams", version: "2.3.1", hasV: true},
		{name: "pipelines", in: "redhat-openshift-pipelines.v1.5.2", want: "redhat-openshift-pipelines", version: "1.5.2", hasV: true},
		{name: "rebuild suffix", in: "openshift-gitops-operator.v1.6.1-0.1666124167.p", want: "openshift-gitops-operator", version: "1.6.1-0.1666124167.p", hasV: true},
		{name: "no v", in: "elasticsearch-eck-operator-certified.1.9.0", want: "elasticsearch-eck-operator-certified", version: "1.9.0", hasV: false},
		{name: "name differs from package", in: "postgresoperator.v5.8.8", want: "postgresoperator", version: "5.8.8", hasV: true},
		{name: "version-looking prerelease", in: "apicurio-registry-operator.v1.0.0-v2.0.0.final", want: "apicurio-registry-operator", version: "1.0.0-v2.0.0.final", hasV: true},
		{name: "hyphenated name", in: "cloud-native-postgresql.v1.6.0", want: "cloud-native-postgresql", version: "1.6.0", hasV: true},
		{name: "numeric prerelease", in: "amqstreams.v2.1.0-0", want: "amqstreams", version: "2.1.0-0", hasV: true},
		{name: "dots in name", in: "foo.bar.v1.2.3", want: "foo.bar", version: "1.2.3", hasV: true},
		{name: "digits in name", in: "ocs4-operator.v4.12.0", want: "ocs4-operator", version: "4.12.0", hasV: true},
		{name: "build metadata", in: "foo.v1.2.3+build.5", want: "foo", version: "1.2.3+build.5", hasV: true},
		{name: "prerelease and build", in: "foo.v1.2.3-rc.1+abc", want: "foo", version: "1.2.3-rc.1+abc", hasV: true},
		{name: "zero version", in: "foo.v0.0.0", want: "foo", version: "0.0.0", hasV: true},
		{name: "first valid split wins", in: "foo.v1.0.0-1.2.3", want: "foo", version: "1.0.0-1.2.3", hasV: true},
		{name: "v in name", in: "foo.v1.bar.v1.2.3", want: "foo.v1.bar", version: "1.2.3", hasV: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCSVName(tt.in)
			if err != nil {
				t.Fatalf("ParseCSVName(%q) error: %v", tt.in, err)
			}
			if got.Raw != tt.in || got.Name != tt.want || got.HasV != tt.hasV {
				t.Errorf("ParseCSVName(%q) = {Raw %q Name %q HasV %v}, want {Raw %q Name %q HasV %v}",
					tt.in, got.Raw, got.Name, got.HasV, tt.in, tt.want, tt.hasV)
			}
			if got.Version == nil || got.Version.String() != tt.version {
				t.Errorf("ParseCSVName(%q).Version = %v, want %s", tt.in, got.Version, tt.version)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
			if rt := csvRoundTrip(got); rt != tt.in {
				t.Errorf("round trip = %q, want %q", rt, tt.in)
			}
		})
	}
}

func TestParseCSVNameRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "empty", in: ""},
		{name: "no version", in: "tobechanged"},
		{name: "placeholder", in: "patch-me-see-overlays-dir"},
		{name: "two parts", in: "foo.v1.2"},
		{name: "one part", in: "foo.v1"},
		{name: "four parts", in: "foo.v1.2.3.4"},
		{name: "four parts no v", in: "foo.1.2.3.4"},
		{name: "bare four parts", in: "1.2.3.4"},
		{name: "name ends in v number", in: "foo.v2.v1.2.3"},
		{name: "leading space", in: " foo.v1.2.3"},
		{name: "trailing space", in: "foo.v1.2.3 "},
		{name: "uppercase name", in: "Foo.v1.2.3"},
		{name: "underscore in name", in: "foo_bar.v1.2.3"},
		{name: "leading zero major", in: "foo.v01.2.3"},
		{name: "leading zero minor", in: "foo.v1.02.3"},
		{name: "leading zero patch", in: "foo.v1.2.03"},
		{name: "leading zero prerelease", in: "foo.v1.2.3-01"},
		{name: "empty prerelease", in: "foo.v1.2.3-"},
		{name: "empty build", in: "foo.v1.2.3+"},
		{name: "version only", in: "v1.2.3"},
		{name: "version only with dot", in: ".v1.2.3"},
		{name: "bare version", in: "1.2.3"},
		{name: "no dot before version", in: "foov1.2.3"},
		{name: "hyphen before version", in: "foo-v1.2.3"},
		{name: "name ends with hyphen", in: "foo-.v1.2.3"},
		{name: "name starts with hyphen", in: "-foo.v1.2.3"},
		{name: "name ends with dot", in: "foo..v1.2.3"},
		{name: "uppercase V", in: "foo.V1.2.3"},
		{name: "double v", in: "foo.vv1.2.3"},
		{name: "trailing dot", in: "foo.v1.2.3."},
		{name: "too long", in: strings.Repeat("a", 250) + ".v1.2.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCSVName(tt.in)
			if err == nil {
				t.Fatalf("ParseCSVName(%q) = %+v, want error", tt.in, got)
			}
			if !strings.HasPrefix(err.Error(), "unable to parse CSV name") {
				t.Errorf("error %q does not start with %q", err, "unable to parse CSV name")
			}
		})
	}
}

func TestCSVNameCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{name: "lower patch", a: "foo.v1.2.3", b: "foo.v1.2.4", want: -1},
		{name: "higher minor", a: "foo.v1.10.0", b: "foo.v1.9.9", want: 1},
		{name: "equal", a: "foo.v1.2.3", b: "foo.v1.2.3", want: 0},
		{name: "v does not matter", a: "foo.1.2.3", b: "foo.v1.2.3", want: 0},
		{name: "names do not matter", a: "bar.v1.2.3", b: "foo.v1.2.3", want: 0},
		{name: "prerelease before release", a: "foo.v1.6.1-0.1666124167.p", b: "foo.v1.6.1", want: -1},
		{name: "numeric prerelease order", a: "foo.v2.1.0-0", b: "foo.v2.1.0-1", want: -1},
		{name: "build metadata ignored", a: "foo.v1.2.3+a", b: "foo.v1.2.3+b", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustParseCSVName(t, tt.a)
			b := mustParseCSVName(t, tt.b)
			if got := a.Compare(b); got != tt.want {
				t.Errorf("%s.Compare(%s) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := b.Compare(a); got != -tt.want {
				t.Errorf("%s.Compare(%s) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
		})
	}
}

func TestCSVNameCompareZero(t *testing.T) {
	var zero CSVName
	one := mustParseCSVName(t, "foo.v0.0.0")
	if got := zero.Compare(zero); got != 0 {
		t.Errorf("zero.Compare(zero) = %d, want 0", got)
	}
	if got := zero.Compare(one); got != -1 {
		t.Errorf("zero.Compare(%s) = %d, want -1", one, got)
	}
	if got := one.Compare(zero); got != 1 {
		t.Errorf("%s.Compare(zero) = %d, want 1", one, got)
	}
}

func mustParseCSVName(t *testing.T, s string) CSVName {
	t.Helper()
	c, err := ParseCSVName(s)
	if err != nil {
		t.Fatalf("ParseCSVName(%q): %v", s, err)
	}
	return c
}

// csvRoundTrip rebuilds a CSV name from its parts.
func csvRoundTrip(c CSVName) string {
	v := ""
	if c.HasV {
		v = "v"
	}
	return c.Name + "." + v + c.Version.Original()
}
