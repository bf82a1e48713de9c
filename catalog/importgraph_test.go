package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const modulePath = "github.com/opcat-dev/opcat"

// listedPackage is what `go list -json` prints of a package, in part.
type listedPackage struct {
	ImportPath string
	Standard   bool
	Deps       []string
	Error      *struct{ Err string }
}

// TestImportGraph keeps the library free of the command line: a program
// that imports catalog and lib/... must not pull in cobra or pflag, and
// the lib packages must not depend on catalog, generator or cmd.
func TestImportGraph(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go is not on PATH: %v", err)
	}
	if testing.Short() {
		t.Skip("runs go list; skipped in -short mode")
	}
	cmd := exec.Command(goTool, "list", "-e", "-deps", "-json", "./catalog/...", "./lib/...")
	cmd.Dir = ".." // the module root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}

	forbidden := []string{"github.com/spf13/cobra", "github.com/spf13/pflag"}
	var ours int
	for _, p := range pkgs {
		if p.Error != nil {
			t.Logf("go list: %s: %s", p.ImportPath, p.Error.Err)
		}
		for _, f := range forbidden {
			if p.ImportPath == f || strings.HasPrefix(p.ImportPath, f+"/") {
				t.Errorf("%s is a dependency of ./catalog/... or ./lib/...; the library must not pull in the command-line framework (see who imports it: go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./catalog/... ./lib/...)", p.ImportPath)
			}
		}
		if !strings.HasPrefix(p.ImportPath, modulePath+"/lib/") && p.ImportPath != modulePath+"/lib" {
			continue
		}
		ours++
		for _, d := range p.Deps {
			for _, up := range []string{"catalog", "generator", "cmd"} {
				if d == modulePath+"/"+up || strings.HasPrefix(d, modulePath+"/"+up+"/") {
					t.Errorf("%s depends on %s: lib packages must not import %s", p.ImportPath, d, up)
				}
			}
		}
	}
	if ours == 0 {
		t.Fatalf("go list found no lib package; output:\n%.2000s", out)
	}
	found := false
	for _, p := range pkgs {
		if p.ImportPath == modulePath+"/catalog" {
			found = true
		}
	}
	if !found {
		t.Fatalf("go list did not list %s/catalog", modulePath)
	}
}
