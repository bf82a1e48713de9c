package readme_test

import (
	"fmt"

	"github.com/opcat-dev/opcat/lib/readme"
)

// Read an operator README's overlay list, then write a new one in place.
func ExampleOverlays() {
	doc := []byte("# mq\n\n" + readme.OverlaysStart + "\n- `v3.0`\n" + readme.OverlaysEnd + "\n")
	names, line, ok := readme.Overlays(doc)
	fmt.Println(names, line, ok)

	updated, ok := readme.ReplaceOverlays(doc, []byte("- `v3.0`\n- `v3.1` (default)\n"))
	fmt.Println(ok)
	fmt.Print(string(updated))
	// Output:
	// [v3.0] 3 true
	// true
	// # mq
	//
	// <!-- opcat:overlays:start -->
	// - `v3.0`
	// - `v3.1` (default)
	// <!-- opcat:overlays:end -->
}
