package gitref_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/opcat-dev/opcat/lib/gitref"
)

// Read finds the commit of a working tree from its .git folder; a folder
// without one says so.
func ExampleRead() {
	dir, _ := os.MkdirTemp("", "gitref-example")
	defer os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".git", "packed-refs"), []byte("3f4eb9f0c1d2e3f405162738495a6b7c8d9e0f1a refs/heads/main\n"), 0o644)

	c, err := gitref.Read(dir)
	fmt.Println(c.Hash, c.Ref, err)
	fmt.Println(c.TimeNote)

	_, err = gitref.Read(filepath.Join(dir, ".git"))
	fmt.Println(errors.Is(err, gitref.ErrNoRepository))
	// Output:
	// 3f4eb9f0c1d2e3f405162738495a6b7c8d9e0f1a refs/heads/main <nil>
	// the commit object is not stored loose (it is packed); its time is not read
	// true
}
