package generator

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opcat-dev/opcat/lib/olm"
)

// InputError is a value given by the user that opcat cannot take: nothing
// is written, and the command exits 2.
type InputError struct{ Msg string }

// Error returns the message.
func (e *InputError) Error() string { return e.Msg }

func inputErrorf(format string, a ...any) error { return &InputError{Msg: fmt.Sprintf(format, a...)} }

var (
	dns1123Label     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	dns1123Subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	folderName       = regexp.MustCompile(`^[A-Za-z0-9]([-A-Za-z0-9._]*[A-Za-z0-9])?$`)
)

func checkPackage(pkg string) error {
	if len(pkg) > 253 || !dns1123Subdomain.MatchString(pkg) {
		return inputErrorf("package %q is not a valid OLM package name: use lower-case letters, digits, '-' and '.'", pkg)
	}
	return nil
}

func checkNamespace(flag, ns string) error {
	if len(ns) > 63 || !dns1123Label.MatchString(ns) {
		return inputErrorf("%s %q is not a valid namespace: use at most 63 lower-case letters, digits and '-'", flag, ns)
	}
	return nil
}

// folderNameProblem says in a few words why name cannot be a folder of
// the catalog that kustomize reads, or returns "".
func folderNameProblem(name string) string {
	switch {
	case name == "":
		return "it is empty"
	case name == "." || name == "..":
		return "it names the folder itself or its parent"
	case strings.Contains(name, ".."):
		return `it holds ".."`
	case strings.ContainsAny(name, `/\`):
		return "it holds a path separator"
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "it holds a control character"
	case strings.HasPrefix(name, "-"):
		return "it starts with '-', which commands read as an option"
	case name == "base" || name == "overlays":
		return "base and overlays are the folders that hold overlays"
	case len(name) > 100:
		return "it is longer than 100 characters"
	case !folderName.MatchString(name):
		return "use letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
	}
	return ""
}

func checkFolderName(what, name string) error {
	if why := folderNameProblem(name); why != "" {
		return inputErrorf("%s %q cannot be a folder name: %s", what, name, why)
	}
	return nil
}

// checkChannel refuses a channel no index can have: OLM takes any other
// string, which is written exactly (quoted where YAML would read it as
// something else).
func checkChannel(ch string) error {
	switch {
	case ch == "":
		return inputErrorf("the channel is empty")
	case strings.IndexFunc(ch, unicode.IsControl) >= 0 || !utf8.ValidString(ch):
		return inputErrorf("channel %q holds a control character or invalid UTF-8", ch)
	case len(ch) > 253:
		return inputErrorf("channel %q is longer than 253 characters", ch)
	}
	return nil
}

// checkOverlayFolder refuses a channel that cannot name its overlay's
// folder when no other name is given.
func checkOverlayFolder(ch, name string) error {
	if name != "" {
		return checkFolderName("overlay name", name)
	}
	if why := folderNameProblem(ch); why != "" {
		return inputErrorf("channel %q cannot name the overlay's folder (%s); give the folder with --name", ch, why)
	}
	return nil
}

// checkCSV refuses a startingCSV that cannot be the name of a
// ClusterServiceVersion (a DNS subdomain). One that is not
// <name>.v<semver> is a convention broken, not an error: a note says so.
func checkCSV(csv string) (note string, err error) {
	if len(csv) > 253 || !dns1123Subdomain.MatchString(csv) {
		return "", inputErrorf("CSV %q cannot be the name of a ClusterServiceVersion: use lower-case letters, digits, '-' and '.', e.g. ibm-eventstreams.v3.0.0", csv)
	}
	if _, err := olm.ParseCSVName(csv); err != nil {
		return fmt.Sprintf("CSV %s is not <name>.v<semver> (e.g. ibm-eventstreams.v3.0.0); opcat validate warns about it (subscription-csv-format)", csv), nil
	}
	return "", nil
}

func checkGroup(group string) error {
	if group == "" {
		return nil
	}
	for _, part := range strings.Split(strings.Trim(group, "/"), "/") {
		if err := checkFolderName("group folder", part); err != nil {
			return err
		}
	}
	return nil
}
