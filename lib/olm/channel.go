package olm

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Series is the set of operator versions a channel name promises: one major
// version, or one major.minor version.
type Series struct {
	// Major is the major version.
	Major uint64
	// Minor is the minor version; it is meaningful only when HasMinor.
	Minor uint64
	// HasMinor reports whether the series is narrowed to one minor version.
	HasMinor bool
}

// String returns the series as "MAJOR.MINOR", or "MAJOR" when it has no
// minor version.
func (s Series) String() string {
	if s.HasMinor {
		return strconv.FormatUint(s.Major, 10) + "." + strconv.FormatUint(s.Minor, 10)
	}
	return strconv.FormatUint(s.Major, 10)
}

// Contains reports whether v belongs to the series: the same major version,
// and the same minor version when the series has one. A nil v belongs to no
// series.
func (s Series) Contains(v *semver.Version) bool {
	if v == nil || v.Major() != s.Major {
		return false
	}
	return !s.HasMinor || v.Minor() == s.Minor
}

// isOpenShiftChannelWord reports whether w, followed by "-4.<minor>", makes
// a channel named after an OpenShift release rather than an operator version.
func isOpenShiftChannelWord(w string) bool {
	switch w {
	case "stable", "fast", "candidate", "eus":
		return true
	}
	return false
}

// ChannelName is a parsed channel name. OLM gives channel names no meaning:
// a channel is a list of bundles whatever its name. A name is read two ways,
// for two uses:
//
//   - SortKey orders channel and overlay names for people (gitops-1.6
//     before gitops-1.10, stable-4.8 before stable-4.10); it promises
//     nothing about the bundles;
//   - Series is the version series the name claims for the operator's own
//     version (see ChannelSeries), strict enough to report a CSV outside it.
//
// When HasSeries, SortKey is the series as a version (MAJOR.MINOR.0 or
// MAJOR.0.0), so the two readings never disagree on a version.
type ChannelName struct {
	// Raw is the channel name exactly as it was given.
	Raw string
	// SortKey is the first run of one to three dot-separated decimal
	// numbers in the name, read as a version ("release-2023" → 2023.0.0,
	// "stable-v1.15" → 1.15.0, "v1.2.3.4" → 1.2.3, "gitops-01.2" → 1.2.0); nil when the
	// name has none or a number overflows 64 bits.
	SortKey *semver.Version
	// Series is the version series the name implies; meaningful only when
	// HasSeries.
	Series    Series
	HasSeries bool
}

// channelNumbersRE is the run of numbers a channel's sort key is read from.
var channelNumbersRE = regexp.MustCompile(`[0-9]+(?:\.[0-9]+){0,2}`)

// ParseChannelName reads a channel name: its sort key and the version
// series it implies (see ChannelName). Every string is a channel name; it
// never fails.
func ParseChannelName(channel string) ChannelName {
	c := ChannelName{Raw: channel}
	c.Series, c.HasSeries = channelSeries(channel)
	if m := channelNumbersRE.FindString(channel); m != "" {
		if v, err := semver.NewVersion(m); err == nil {
			c.SortKey = v
		}
	}
	return c
}

// ChannelSeries returns the version series that a channel name implies, or
// the zero Series and false when it implies none. It never guesses: a name
// that fits none of the rules below implies nothing.
//
// The channel is split at "-" into words, none of them empty. Exactly one
// word must be a version word; every other word must be lower-case letters
// only ([a-z]+), so any number of such words may stand before the version
// word (a prefix, as in "amq-streams-2.1.x") and after it (a suffix, as in
// "4.12-stable"). A version word is an optional "v", then MAJOR, then
// optionally ".MINOR", then optionally ".x", where MAJOR and MINOR are
// decimal numbers without leading zeros ("0" itself is fine). So:
//
//   - "v2.5", "2.5.x", "stable-v1.15", "strimzi-0.38.x", "gitops-1.12",
//     "4.12-stable" imply MAJOR.MINOR;
//   - "v3", "v3.x", "2.x", "preview-v2" imply MAJOR alone; a bare MAJOR
//     needs the "v" or the ".x" to count, so "release-2023" or "3" imply
//     nothing (a bare number is as likely a year or a build as a version);
//   - a full version ("v1.2.3") or more parts ("v1.2.3.4") imply nothing;
//   - "stable-4.8", "fast-4.12", "candidate-4.14" and "eus-4.16" — exactly
//     one of the words stable, fast, candidate or eus, then "-4.MINOR" with
//     no "v", no ".x" and no suffix — are named after the OpenShift release
//     the channel is for, as real catalogs do, and imply nothing about the
//     operator's own version; "stable-v4.8", "stable-5.1" and "4.12-stable"
//     keep their series.
//
// It is ParseChannelName(channel).Series.
func ChannelSeries(channel string) (Series, bool) {
	c := ParseChannelName(channel)
	return c.Series, c.HasSeries
}

// channelSeries implements ChannelSeries.
func channelSeries(channel string) (Series, bool) {
	words := strings.Split(channel, "-")
	at := -1
	for i, w := range words {
		switch {
		case isLetterWord(w):
		case at < 0 && isVersionWord(w):
			at = i
		default:
			return Series{}, false
		}
	}
	if at < 0 {
		return Series{}, false
	}
	series, hasV, hasX, ok := parseVersionWord(words[at])
	if !ok {
		return Series{}, false
	}
	if !series.HasMinor && !hasV && !hasX {
		return Series{}, false
	}
	if at == 1 && len(words) == 2 && isOpenShiftChannelWord(words[0]) &&
		series.Major == 4 && series.HasMinor && !hasV && !hasX {
		return Series{}, false
	}
	return series, true
}

// isLetterWord reports whether w is a non-empty run of lower-case letters.
func isLetterWord(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// isVersionWord reports whether w starts like a version word: a digit, or
// "v" and a digit.
func isVersionWord(w string) bool {
	w = strings.TrimPrefix(w, "v")
	return w != "" && isDigit(w[0])
}

// parseVersionWord parses v?MAJOR[.MINOR][.x].
func parseVersionWord(w string) (s Series, hasV, hasX, ok bool) {
	if rest, found := strings.CutPrefix(w, "v"); found {
		w, hasV = rest, true
	}
	if rest, found := strings.CutSuffix(w, ".x"); found {
		w, hasX = rest, true
	}
	parts := strings.Split(w, ".")
	if len(parts) > 2 {
		return Series{}, false, false, false
	}
	major, ok := parseDecimal(parts[0])
	if !ok {
		return Series{}, false, false, false
	}
	s.Major = major
	if len(parts) == 2 {
		minor, ok := parseDecimal(parts[1])
		if !ok {
			return Series{}, false, false, false
		}
		s.Minor, s.HasMinor = minor, true
	}
	return s, hasV, hasX, true
}

// parseDecimal parses a plain decimal number without sign or leading zeros.
func parseDecimal(p string) (uint64, bool) {
	if p == "" || (len(p) > 1 && p[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(p); i++ {
		if !isDigit(p[i]) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(p, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}
