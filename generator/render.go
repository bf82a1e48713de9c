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

// yamlScalar writes s as a YAML string scalar, quoted only where YAML would
// read it otherwise: channel 5.10 stays the string "5.10", not the number 5.1.
func yamlScalar(s string) (string, error) {
	out, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
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
