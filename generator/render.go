package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	yaml "go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/opcat-dev/opcat/templates"
)

// renderer executes templates, taking each from the user's folder when it
// holds a file of that name, and from the built-in set otherwise.
type renderer struct {
	dir string // user templates; "" for none
}

func (r renderer) render(name string, data any) ([]byte, error) {
	src, err := r.source(name)
	if err != nil {
		return nil, err
	}
	t, err := template.New(name).Option("missingkey=error").Funcs(template.FuncMap{"yaml": yamlScalar, "indent": indent}).Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("unable to parse template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("unable to execute template %s: %w", name, err)
	}
	return b.Bytes(), nil
}

func (r renderer) source(name string) ([]byte, error) {
	if r.dir != "" {
		b, err := os.ReadFile(filepath.Join(r.dir, name))
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("unable to read template %s: %w", name, err)
		}
	}
	return fs.ReadFile(templates.FS(), name)
}

// checkTemplatesDir refuses a --templates folder that does not exist.
func checkTemplatesDir(dir string) error {
	if dir == "" {
		return nil
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return &InputError{Msg: fmt.Sprintf("--templates %s is not a folder", dir)}
	}
	return nil
}

// yamlScalar writes s as a YAML string scalar through the YAML encoder,
// which quotes it where YAML 1.2 would read it otherwise (channel 5.10
// stays the string "5.10", not the number 5.1); a value that YAML 1.1
// readers (kubectl, Argo CD) would take for something else, as kyaml
// judges it (yes, on, 0b1, 1_000, 10:20...), is double-quoted too.
func yamlScalar(s string) (string, error) {
	return encodeScalar(s, 0)
}

// encodeScalar encodes s as a one-line string scalar of the given style,
// quoting a plain one that a YAML 1.1 or 1.2 reader would not read back as
// the same string.
func encodeScalar(s string, style yaml.Style) (string, error) {
	if style == 0 && kyaml.IsValueNonString(s) {
		style = yaml.DoubleQuotedStyle
	}
	out, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: style})
	if err != nil {
		return "", err
	}
	text := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(text, "\n") {
		// A value the encoder folds over lines: one line, double-quoted.
		return encodeScalar(s, yaml.DoubleQuotedStyle)
	}
	return text, nil
}

// indent prefixes every non-empty line of s with n spaces and drops the
// final newline, for a block scalar inside a template.
func indent(n int, s string) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}
