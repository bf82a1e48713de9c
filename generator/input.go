package generator

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/opcat-dev/opcat/lib/olm"
)

// InputError is a value given by the user that opcat cannot take: nothing
// is written, and the command exits 2.
type InputError struct{ Msg string }

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

func checkFolderName(what, name string) error {
	if len(name) > 100 || !folderName.MatchString(name) || name == "base" || name == "overlays" {
		return inputErrorf("%s %q cannot be a folder name: use letters, digits, '-', '_' and '.' (and not base or overlays)", what, name)
	}
	return nil
}

func checkChannel(ch string) error {
	if err := checkFolderName("channel", ch); err != nil {
		return err
	}
	return nil
}

func checkCSV(csv string) error {
	if _, err := olm.ParseCSVName(csv); err != nil {
		return inputErrorf("CSV %q is not <name>.v<semver> (e.g. ibm-eventstreams.v3.0.0)", csv)
	}
	return nil
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
