package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

const driftData = "../../../../catalog/drift/testdata/"

// driftIndex is the index beside driftData, relative to exportCatalog, the
// catalog root (-C) of these tests: --index paths are relative to -C.
const driftIndex = "redhat-operators=../../../drift/testdata/index"

func TestDrift(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		golden string
	}{
		{name: "clean", args: []string{driftData + "clean.yaml"}, code: 0, golden: "drift-clean"},
		{name: "edited text", args: []string{driftData + "edited.yaml"}, code: 1, golden: "drift-edited-text"},
		{name: "edited json", args: []string{driftData + "edited.yaml", "--format", "json"}, code: 1, golden: "drift-edited-json"},
		{name: "trouble sarif", args: []string{driftData + "trouble.yaml", "--format", "sarif"}, code: 1, golden: "drift-trouble-sarif"},
		{name: "trouble github", args: []string{driftData + "trouble.yaml", "--format", "github"}, code: 1, golden: "drift-trouble-github"},
		{name: "missing junit from stdin", args: []string{"-", "--format", "junit"}, stdin: driftData + "missing.json", code: 1, golden: "drift-missing-junit"},
		{name: "behind head is a warning", args: []string{driftData + "clean.yaml", "--index", driftIndex}, code: 0, golden: "drift-clean-index"},
		{name: "strict", args: []string{driftData + "clean.yaml", "--strict", "--index", driftIndex}, code: 1},
		{name: "no input", code: 2},
		{name: "both inputs", args: []string{driftData + "clean.yaml", "--context", "x"}, code: 2},
		{name: "not a dump", args: []string{driftData + "index/redhat-operators.yaml"}, code: 2},
		{name: "no such dump", args: []string{driftData + "none.yaml"}, code: 2},
		{name: "bad format", args: []string{driftData + "clean.yaml", "--format", "xml"}, code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdin := ""
			if tt.stdin != "" {
				data, err := os.ReadFile(tt.stdin)
				if err != nil {
					t.Fatal(err)
				}
				stdin = string(data)
			}
			var stdout, stderr bytes.Buffer
			args := append([]string{"-C", exportCatalog, "drift", "--overlay", "mq=v3.0"}, tt.args...)
			code := Main(args, strings.NewReader(stdin), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout.String(), stderr.String())
			}
			if tt.golden != "" {
				checkGolden(t, tt.golden, scrub(stdout.String()))
			}
		})
	}
}

// A kubeconfig whose user runs a credential plugin is refused before any
// request.
func TestDriftRefusesExecCredentials(t *testing.T) {
	kc := t.TempDir() + "/kubeconfig"
	os.WriteFile(kc, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: aws-iam-authenticator}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`), 0o600)
	r := run(t, "-C", exportCatalog, "drift", "--overlay", "mq=v3.0", "--kubeconfig", kc)
	if r.code != 2 || !strings.Contains(r.stderr, "runs no programs") {
		t.Fatalf("%s", r)
	}
	r = run(t, "-C", exportCatalog, "drift", "--overlay", "mq=v3.0", "--kubeconfig", kc, "--context", "nope")
	if r.code != 2 || !strings.Contains(r.stderr, `no context "nope"`) {
		t.Fatalf("%s", r)
	}
}
