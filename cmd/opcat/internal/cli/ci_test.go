package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

const repoTop = "../../../.."

func readYAML(t *testing.T, file string, v any) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoTop, file))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if strings.Contains(string(b), "@latest") {
		t.Errorf("%s installs @latest", file)
	}
	return string(b)
}

// The composite action installs the opcat version it is given, validates
// to SARIF, uploads it to code scanning and fails after the upload.
func TestValidateAction(t *testing.T) {
	var a struct {
		Inputs map[string]struct {
			Required bool
			Default  string
		}
		Runs struct {
			Using string
			Steps []struct {
				ID, Name, Uses, Run, If, Shell string
				With                           map[string]string
			}
		}
	}
	readYAML(t, ".github/actions/validate/action.yml", &a)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q", a.Runs.Using)
	}
	if !a.Inputs["version"].Required {
		t.Error("inputs.version is not required: the action must install a pinned opcat")
	}
	for _, in := range []string{"path", "strict", "args"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("no input %s", in)
		}
	}
	validate, upload, fail := -1, -1, -1
	for i, s := range a.Runs.Steps {
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q has run without shell (composite actions need one)", s.Name)
		}
		switch {
		case strings.Contains(s.Run, "validate --format sarif"):
			validate = i
		case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
			upload = i
		case strings.Contains(s.If, "exit-code != '0'") && strings.Contains(s.Run, "exit 1"):
			fail = i
		}
		if strings.Contains(s.Run, "go install") && !strings.Contains(s.Run, "@$OPCAT_VERSION") {
			t.Errorf("step %q installs an unpinned opcat", s.Name)
		}
	}
	if !(validate >= 0 && validate < upload && upload < fail) {
		t.Errorf("want validate, then upload, then fail; got steps %d, %d, %d", validate, upload, fail)
	}
}

// pre-commit reads .pre-commit-hooks.yaml at the top and builds the hooks
// with go install ./... (language: golang), so every main package builds.
func TestPreCommitHooks(t *testing.T) {
	var hooks []struct {
		ID, Name, Entry, Language string
		PassFilenames             *bool `yaml:"pass_filenames"`
		Files                     string
	}
	readYAML(t, ".pre-commit-hooks.yaml", &hooks)
	ids := map[string]bool{}
	for _, h := range hooks {
		ids[h.ID] = true
		if h.Language != "golang" || !strings.HasPrefix(h.Entry, "opcat ") || h.Name == "" {
			t.Errorf("hook %+v", h)
		}
		if h.PassFilenames == nil || *h.PassFilenames {
			t.Errorf("hook %s passes file names; opcat checks the whole catalog", h.ID)
		}
	}
	if !ids["opcat-validate"] {
		t.Error("no opcat-validate hook")
	}
}

func TestTektonTask(t *testing.T) {
	var task struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string
		Spec       struct {
			Workspaces []struct{ Name string }
			Params     []struct{ Name, Default, Type string }
			Steps      []struct{ Name, Image, Script string }
		}
	}
	readYAML(t, ".tekton/opcat-validate.yaml", &task)
	if task.APIVersion != "tekton.dev/v1" || task.Kind != "Task" {
		t.Errorf("%s %s", task.APIVersion, task.Kind)
	}
	if len(task.Spec.Workspaces) != 1 || task.Spec.Workspaces[0].Name != "source" {
		t.Errorf("workspaces: %+v", task.Spec.Workspaces)
	}
	params := map[string]string{}
	for _, p := range task.Spec.Params {
		params[p.Name] = p.Default
	}
	for _, p := range []string{"version", "format", "strict", "path"} {
		if _, ok := params[p]; !ok {
			t.Errorf("no param %s", p)
		}
	}
	if len(task.Spec.Steps) != 1 || !strings.Contains(task.Spec.Steps[0].Script, `go install "github.com/opcat-dev/opcat/cmd/opcat@${OPCAT_VERSION}"`) ||
		!strings.Contains(task.Spec.Steps[0].Script, `--format "$FORMAT"`) {
		t.Errorf("steps: %+v", task.Spec.Steps)
	}
}

// The workflow init writes pins the opcat that wrote it, or a marked
// placeholder for a build from source, and caches the build.
func TestInitWorkflowPinsVersion(t *testing.T) {
	dir := t.TempDir()
	r := run(t, "-C", dir, "init")
	if r.code != 0 || !strings.Contains(r.stderr, "note: this opcat was built from source") {
		t.Fatalf("init: %s", r)
	}
	var wf struct {
		Permissions map[string]string
		Env         map[string]string
		Jobs        map[string]struct {
			Steps []struct{ Uses, Run string }
		}
	}
	b := readYAMLFile(t, filepath.Join(dir, ".github/workflows/validate.yaml"), &wf)
	if wf.Env["OPCAT_VERSION"] != "OPCAT_VERSION" || !strings.Contains(b, "# PLACEHOLDER:") {
		t.Errorf("a devel build writes the placeholder:\n%s", b)
	}
	if wf.Permissions["security-events"] != "write" {
		t.Errorf("permissions: %v", wf.Permissions)
	}
	var cache, install bool
	for _, s := range wf.Jobs["opcat"].Steps {
		cache = cache || strings.HasPrefix(s.Uses, "actions/cache@")
		install = install || strings.Contains(s.Run, `opcat@${OPCAT_VERSION}`)
	}
	if !cache || !install || strings.Contains(b, "@latest") {
		t.Errorf("cache %v, install %v:\n%s", cache, install, b)
	}
}

func readYAMLFile(t *testing.T, file string, v any) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return string(b)
}
