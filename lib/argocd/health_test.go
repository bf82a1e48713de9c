package argocd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	yaml "go.yaml.in/yaml/v3"
)

const olmStatus = "../../../shared/corpus/olm-status"

// runHealth runs a health script in gopher-lua, the VM Argo CD runs them
// in, with obj set to the object, and returns status and message.
func runHealth(t *testing.T, script string, obj any) (string, string) {
	t.Helper()
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoString(script); err != nil {
		t.Fatalf("lua: %v", err)
	}
	ret, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		t.Fatalf("the script returned %s, not a table", L.Get(-1).Type())
	}
	return lua.LVAsString(ret.RawGetString("status")), lua.LVAsString(ret.RawGetString("message"))
}

// toLua converts a decoded YAML value the way Argo CD hands objects to
// Lua: maps and lists become tables (lists 1-based), null becomes nil.
func toLua(L *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case map[string]any:
		t := L.NewTable()
		for k, e := range v {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	case []any:
		t := L.NewTable()
		for _, e := range v {
			t.Append(toLua(L, e))
		}
		return t
	case string:
		return lua.LString(v)
	case bool:
		return lua.LBool(v)
	case int:
		return lua.LNumber(v)
	case float64:
		return lua.LNumber(v)
	case nil:
		return lua.LNil
	default:
		return lua.LString(fmt.Sprint(v))
	}
}

func decode(t *testing.T, data string) map[string]any {
	t.Helper()
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(data), &obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

func check(t *testing.T, kind string) string {
	for _, h := range HealthChecks() {
		if h.Kind == kind {
			return h.Script
		}
	}
	t.Fatalf("no health check for %s", kind)
	return ""
}

// TestSubscriptionHealthCorpus runs Argo CD's own Subscription check on the
// real statuses of the corpus against its own test table (which proves the
// VM set-up), then opcat's check on the same objects: the same verdict and
// message everywhere but where a Manual approval holds a first install,
// which opcat calls Suspended.
func TestSubscriptionHealthCorpus(t *testing.T) {
	upstream, err := os.ReadFile(filepath.Join(olmStatus, "argocd-Subscription_health.lua"))
	if err != nil {
		t.Skipf("the reference corpus is not there (%v)", err)
	}
	table, err := os.ReadFile(filepath.Join(olmStatus, "argocd-Subscription_health_test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var tests struct {
		Tests []struct {
			HealthStatus struct{ Status, Message string } `yaml:"healthStatus"`
			InputPath    string                           `yaml:"inputPath"`
		}
	}
	if err := yaml.Unmarshal(table, &tests); err != nil {
		t.Fatal(err)
	}
	if len(tests.Tests) < 9 {
		t.Fatalf("the test table has %d cases", len(tests.Tests))
	}
	ours := check(t, "Subscription")
	want := map[string]string{ // opcat's verdict where it differs from Argo CD's
		"install_plan_manual_upgrade_pending_not_installed_yet": "Suspended",
	}
	for _, tc := range tests.Tests {
		name := strings.TrimSuffix(filepath.Base(tc.InputPath), ".yaml")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(olmStatus, "argocd-Subscription_testdata_"+name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			obj := decode(t, string(b))
			status, msg := runHealth(t, string(upstream), obj)
			if status != tc.HealthStatus.Status || msg != tc.HealthStatus.Message {
				t.Fatalf("Argo CD's check: got %s %q, its table says %s %q", status, msg, tc.HealthStatus.Status, tc.HealthStatus.Message)
			}
			gotStatus, gotMsg := runHealth(t, ours, obj)
			if w, differs := want[name]; differs {
				if gotStatus != w {
					t.Errorf("opcat's check: %s (%q), want %s", gotStatus, gotMsg, w)
				}
				return
			}
			if gotStatus != status || gotMsg != msg {
				t.Errorf("opcat's check: %s %q, Argo CD's: %s %q", gotStatus, gotMsg, status, msg)
			}
		})
	}
}

func TestHealthChecks(t *testing.T) {
	tests := []struct {
		kind, obj, status, message string
	}{
		{"Subscription", `{spec: {installPlanApproval: Manual}}`, "Progressing", "An install plan for a subscription is pending installation"},
		{"Subscription", `{spec: {installPlanApproval: Manual}, status: {state: UpgradePending, installedCSV: a.v1.0.0,
			conditions: [{type: InstallPlanPending, status: "True", reason: RequiresApproval}]}}`, "Healthy", ".status.state is 'UpgradePending' (manual InstallPlan approval pending; treated as healthy)\n"},
		{"Subscription", `{spec: {installPlanApproval: Manual}, status: {state: UpgradePending,
			conditions: [{type: InstallPlanPending, status: "True", reason: RequiresApproval}]}}`, "Suspended", ".status.state is 'UpgradePending' (the first InstallPlan waits for manual approval)\n"},
		{"Subscription", `{spec: {installPlanApproval: Automatic}, status: {state: UpgradePending,
			conditions: [{type: InstallPlanPending, status: "True", reason: Installing}]}}`, "Progressing", "1: InstallPlanPending | True\n.status.state is 'UpgradePending'\n"},
		{"Subscription", `{spec: {installPlanApproval: Manual}, status: {state: UpgradeFailed, installedCSV: a.v1.0.0,
			conditions: [{type: InstallPlanFailed, status: "True"}]}}`, "Degraded", "1: InstallPlanFailed | True\n.status.state is 'UpgradeFailed'\n"},
		{"InstallPlan", `{spec: {approved: false, approval: Manual, clusterServiceVersionNames: [a.v1.0.0]}, status: {phase: RequiresApproval}}`,
			"Suspended", "Waiting for manual approval of a.v1.0.0 (set spec.approved: true)"},
		{"InstallPlan", `{spec: {approved: true, clusterServiceVersionNames: [a.v1.0.0, b.v2.0.0]}, status: {phase: Complete}}`, "Healthy", "Installed a.v1.0.0, b.v2.0.0"},
		{"InstallPlan", `{spec: {approved: true}, status: {phase: Failed, conditions: [{type: Installed, status: "False", message: "bundle unpacking failed"}]}}`, "Degraded", "bundle unpacking failed"},
		{"InstallPlan", `{spec: {approved: true}, status: {phase: Installing}}`, "Progressing", "The install plan is Installing"},
		{"InstallPlan", `{spec: {approved: true}}`, "Progressing", "The install plan is being resolved"},
		{"ClusterServiceVersion", `{status: {phase: Succeeded, reason: InstallSucceeded, message: completed}}`, "Healthy", "Succeeded (InstallSucceeded: completed)"},
		{"ClusterServiceVersion", `{status: {phase: Failed, reason: InstallCheckFailed, message: "deployment not ready"}}`, "Degraded", "Failed (InstallCheckFailed: deployment not ready)"},
		{"ClusterServiceVersion", `{status: {phase: Installing}}`, "Progressing", "Installing"},
		{"ClusterServiceVersion", `{status: {phase: Replacing, reason: BeingReplaced}}`, "Healthy", "Replacing (BeingReplaced)"},
		{"ClusterServiceVersion", `{}`, "Progressing", "Waiting for OLM to process the ClusterServiceVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.status, func(t *testing.T) {
			status, msg := runHealth(t, check(t, tt.kind), decode(t, tt.obj))
			if status != tt.status || msg != tt.message {
				t.Errorf("got %s %q, want %s %q", status, msg, tt.status, tt.message)
			}
		})
	}
}

func TestHealthCheckKeys(t *testing.T) {
	var keys []string
	for _, h := range HealthChecks() {
		keys = append(keys, h.Key())
	}
	want := "resource.customizations.health.operators.coreos.com_ClusterServiceVersion,resource.customizations.health.operators.coreos.com_InstallPlan,resource.customizations.health.operators.coreos.com_Subscription"
	if got := strings.Join(keys, ","); got != want {
		t.Errorf("keys: %s", got)
	}
}
