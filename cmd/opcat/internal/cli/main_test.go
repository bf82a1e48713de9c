package cli

import (
	"fmt"
	"os"
	"testing"
)

// TestMain gives every test a build cache of its own, so that no test
// reads or writes the cache of the user running it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "opcat-cli-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv("OPCAT_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
