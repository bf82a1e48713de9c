package olm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// maxObjectNameLen is the longest Kubernetes object name (a DNS-1123
// subdomain), and so the longest CSV name.
const maxObjectNameLen = 253

// CSVName is a parsed ClusterServiceVersion name of the form
// <name>.v<semver> (or <name>.<semver>, as a few real catalogs publish).
type CSVName struct {
	// Raw is the CSV name exactly as it was given.
	Raw string
	// Name is the part before the version, for example
	// "openshift-gitops-operator". It is often, but not always, the
	// package name.
	Name string
	// Version is the semantic version after the name; Version.Original()
	// is the version text as written, without the "v".
	Version *semver.Version
	// HasV reports whether the version was written with a "v" before it.
	HasV bool
}

// ParseCSVName splits a CSV name into its name and semantic version.
//
// The version starts at the first "." that is followed by "v<digit>" or
// "<digit>" and from which the rest of the string, less that "v", is a
// strict semantic version: MAJOR.MINOR.PATCH, then an optional
// "-prerelease" and an optional "+build", with no leading zeros. The name before it must be
// non-empty, use only the characters [a-z0-9.-] and start and end with a
// letter or digit, and its last dot-separated part must not be a number or
// "v" and a number (as in "foo.v1.2.3.4", whose version would otherwise be
// "2.3.4"); the whole CSV name must be at most 253 characters.
// So "openshift-gitops-operator.v1.6.1-0.1666124167.p" has version
// "1.6.1-0.1666124167.p", and "elasticsearch-eck-operator-certified.1.9.0"
// has version "1.9.0" without the "v".
//
// For every CSVName it returns,
// Name + "." + ("v" when HasV) + Version.Original() == Raw.
func ParseCSVName(s string) (CSVName, error) {
	if s == "" {
		return CSVName{}, errors.New(`unable to parse CSV name "": empty`)
	}
	if len(s) > maxObjectNameLen {
		return CSVName{}, fmt.Errorf("unable to parse CSV name %q: longer than %d characters", s, maxObjectNameLen)
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '.' || i+1 >= len(s) {
			continue
		}
		start, hasV := i+1, false
		if s[start] == 'v' {
			start, hasV = start+1, true
		}
		if start >= len(s) || !isDigit(s[start]) {
			continue
		}
		v, err := semver.StrictNewVersion(s[start:])
		if err != nil {
			continue
		}
		name := s[:i]
		if err := checkCSVBaseName(name); err != nil {
			return CSVName{}, fmt.Errorf("unable to parse CSV name %q: %w", s, err)
		}
		return CSVName{Raw: s, Name: name, Version: v, HasV: hasV}, nil
	}
	return CSVName{}, fmt.Errorf("unable to parse CSV name %q: no .v<major>.<minor>.<patch> semantic version at its end", s)
}

// checkCSVBaseName reports why name cannot be the name part of a CSV name.
func checkCSVBaseName(name string) error {
	if name == "" {
		return errors.New("empty name before the version")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isLowerAlnum(c) && c != '-' && c != '.' {
			return fmt.Errorf("name %q has character %q outside [a-z0-9.-]", name, c)
		}
	}
	if !isLowerAlnum(name[0]) || !isLowerAlnum(name[len(name)-1]) {
		return fmt.Errorf("name %q must start and end with a lower-case letter or a digit", name)
	}
	last := name[strings.LastIndexByte(name, '.')+1:]
	if digits := strings.TrimPrefix(last, "v"); digits != "" && strings.Trim(digits, "0123456789") == "" {
		return fmt.Errorf("name %q ends in %q, which makes the version ambiguous", name, last)
	}
	return nil
}

// String returns the CSV name as it was given.
func (c CSVName) String() string {
	return c.Raw
}

// Compare compares the versions of c and o by semantic version precedence
// and returns -1, 0 or +1 as c's version is lower than, equal to or higher
// than o's. Names are not compared, and build metadata does not count. A
// CSVName without a version (the zero value) sorts before any with one.
func (c CSVName) Compare(o CSVName) int {
	switch {
	case c.Version == nil && o.Version == nil:
		return 0
	case c.Version == nil:
		return -1
	case o.Version == nil:
		return 1
	}
	return c.Version.Compare(o.Version)
}

func isDigit(c byte) bool {
	return '0' <= c && c <= '9'
}

func isLowerAlnum(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'z')
}
