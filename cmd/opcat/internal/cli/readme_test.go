package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/opcat-dev/opcat/catalog/lint"
)

// TestReadmeDocumentsEverything keeps the README true as the tool grows:
// every command and every rule is documented.
func TestReadmeDocumentsEverything(t *testing.T) {
	readme, err := os.ReadFile("../../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lint.Rules() {
		if !bytes.Contains(readme, []byte("| `"+string(r.ID)+"` | "+r.Severity.String()+" |")) {
			t.Errorf("README's rule table lacks %s (%s)", r.ID, r.Severity)
		}
	}
	root := newRootCmd(&bytes.Buffer{}, &bytes.Buffer{})
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" {
			continue
		}
		names := []string{c.Name()}
		if c.HasSubCommands() {
			names = nil
			for _, sub := range c.Commands() {
				names = append(names, c.Name()+" "+sub.Name())
			}
		}
		for _, n := range names {
			if !strings.Contains(string(readme), "opcat "+n) {
				t.Errorf("README does not document `opcat %s`", n)
			}
		}
	}
}
