package argocd

import (
	"embed"
	"sort"
	"strings"
)

//go:embed health/*.lua
var healthFiles embed.FS

// HealthCheck is an Argo CD resource health check: a Lua script that reads
// the live object as obj and returns {status = ..., message = ...}, where
// status is Healthy, Progressing, Degraded or Suspended.
type HealthCheck struct {
	// Group and Kind select the resources it judges.
	Group, Kind string
	// Script is the Lua source.
	Script string
}

// Key is the argocd-cm key that holds the check:
// resource.customizations.health.<group>_<kind>.
func (h HealthCheck) Key() string {
	return "resource.customizations.health." + h.Group + "_" + h.Kind
}

// HealthChecks returns the checks a catalog of OLM operators needs, sorted
// by kind: ClusterServiceVersion, InstallPlan and Subscription (the last one
// treats a Manual approval that holds an upgrade as healthy, which Argo CD's
// built-in check does only from v3.5.0 on, and a first install waiting for
// approval as Suspended).
func HealthChecks() []HealthCheck {
	entries, _ := healthFiles.ReadDir("health")
	var out []HealthCheck
	for _, e := range entries {
		b, err := healthFiles.ReadFile("health/" + e.Name())
		if err != nil {
			continue
		}
		out = append(out, HealthCheck{Group: "operators.coreos.com", Kind: strings.TrimSuffix(e.Name(), ".lua"), Script: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}
