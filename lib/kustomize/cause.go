package kustomize

import (
	"strconv"
	"strings"
)

// Cause says what a Problem or a BuildError is: a fact about the catalog
// that opcat found while reading or building it. Causes are facts, not
// verdicts: which validation rule reports one, and how severely, is the
// linter's business.
type Cause int

// The causes. CauseBuild, the zero value, is a failure the kustomize
// engine reports in words of its own that no other cause fits.
const (
	// CauseBuild is a failure of the kustomize engine that no other cause
	// names.
	CauseBuild Cause = iota
	// CauseYAMLSyntax is a YAML file that does not parse.
	CauseYAMLSyntax
	// CauseDuplicateKey is a mapping key written twice.
	CauseDuplicateKey
	// CauseInvalidKustomization is a kustomization that kustomize would
	// not decode, or one opcat does not give the engine as it is.
	CauseInvalidKustomization
	// CauseMissingKustomization is a folder, included as a base or a
	// resource, that holds no kustomization file.
	CauseMissingKustomization
	// CauseMissingPath is a resource, base, patch or component entry that
	// names nothing.
	CauseMissingPath
	// CauseOutsideRoot is an entry that names an absolute path or a path
	// leaving the catalog root: never read.
	CauseOutsideRoot
	// CauseRemote is a remote base, resource or file: never fetched.
	CauseRemote
	// CauseHelm is a Helm chart a kustomization inflates: never run.
	CauseHelm
	// CauseRefusedFile is a file opcat does not read: too large, not a
	// regular file, or a symbolic link leaving the root or looping.
	CauseRefusedFile
	// CauseNeedsRefusedFile is a kustomization entry naming a file opcat
	// does not read: the build cannot run.
	CauseNeedsRefusedFile
	// CauseInvalidPatch is a JSON patch that is not a list of valid
	// operations, or is empty.
	CauseInvalidPatch
	// CauseCycle is a kustomization that includes itself.
	CauseCycle
	// CauseAliasExpansion is YAML whose aliases expand to more nodes than
	// opcat allows (about a million): never given to the engine.
	CauseAliasExpansion
	// CauseTooLarge is a build estimated larger than MaxBuildSize: never
	// started.
	CauseTooLarge
	// CausePluginConfig is plugin configuration (a generators,
	// transformers or validators folder) that opcat cannot check, so the
	// build is not run.
	CausePluginConfig
	causeEnd // the number of causes; not a cause
)

var causeNames = [...]string{
	CauseBuild:                "build failure",
	CauseYAMLSyntax:           "YAML syntax",
	CauseDuplicateKey:         "duplicate key",
	CauseInvalidKustomization: "invalid kustomization",
	CauseMissingKustomization: "missing kustomization",
	CauseMissingPath:          "missing path",
	CauseOutsideRoot:          "path outside the root",
	CauseRemote:               "remote",
	CauseHelm:                 "Helm chart",
	CauseRefusedFile:          "refused file",
	CauseNeedsRefusedFile:     "needs a refused file",
	CauseInvalidPatch:         "invalid patch",
	CauseCycle:                "cycle",
	CauseAliasExpansion:       "alias expansion",
	CauseTooLarge:             "build too large",
	CausePluginConfig:         "plugin configuration",
}

// String names the cause in words, for messages and tests; a value that
// is no cause prints as Cause(n).
func (c Cause) String() string {
	if c >= 0 && c < causeEnd {
		return causeNames[c]
	}
	return "Cause(" + strconv.Itoa(int(c)) + ")"
}

// unchecked reports whether the cause is something opcat never fetches or
// runs: what includes it is neither built nor checked, and the build is
// not attempted.
func (c Cause) unchecked() bool { return c == CauseRemote || c == CauseHelm }

// stopsBuild reports whether the problem keeps a build from running.
func (p Problem) stopsBuild() bool { return p.stop || p.Cause.unchecked() }

// krustyCause tells the cause of a failure of the kustomize engine from
// its message: the engine's errors are untyped text, and this is the one
// place opcat reads that text to classify one.
func krustyCause(msg string) Cause {
	switch {
	case strings.Contains(msg, "invalid Kustomization"):
		return CauseInvalidKustomization
	case strings.Contains(msg, "unable to find one of"):
		return CauseMissingKustomization
	}
	return CauseBuild
}
