package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"text/template"

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
	t, err := template.New(name).Option("missingkey=error").Parse(string(src))
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
