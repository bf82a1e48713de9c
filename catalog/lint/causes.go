package lint

import "github.com/opcat-dev/opcat/lib/kustomize"

// causeRules names the rule that reports each fact lib/kustomize finds:
// the one place where a cause becomes a rule id.
var causeRules = map[kustomize.Cause]ID{
	kustomize.CauseBuild:                KustomizeBuild,
	kustomize.CauseYAMLSyntax:           YAMLSyntax,
	kustomize.CauseDuplicateKey:         YAMLDuplicateKey,
	kustomize.CauseInvalidKustomization: KustomizationInvalid,
	kustomize.CauseMissingKustomization: KustomizationMissing,
	kustomize.CauseMissingPath:          KustomizeMissingPath,
	kustomize.CauseOutsideRoot:          KustomizeMissingPath,
	kustomize.CauseRemote:               KustomizeRemote,
	kustomize.CauseHelm:                 KustomizeHelm,
	kustomize.CauseRefusedFile:          FileRefused,
	kustomize.CauseNeedsRefusedFile:     KustomizeBuild,
	kustomize.CauseInvalidPatch:         PatchInvalid,
	kustomize.CauseCycle:                KustomizeBuild,
	kustomize.CauseAliasExpansion:       KustomizeBuild,
	kustomize.CauseTooLarge:             KustomizeBuild,
	kustomize.CausePluginConfig:         KustomizeBuild,
}

// RuleFor returns the rule that reports a problem or build failure of
// cause c. A cause the table does not name (none today; a test holds every
// cause named) is a failure of the build: KustomizeBuild.
func RuleFor(c kustomize.Cause) ID {
	if id, ok := causeRules[c]; ok {
		return id
	}
	return KustomizeBuild
}
