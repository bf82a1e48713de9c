package fsroot_test

import (
	"fmt"

	"github.com/opcat-dev/opcat/lib/fsroot"
)

func ExampleLocal() {
	for _, p := range []string{"mq/operator/base", "mq/../gitops", "../other", "mq/../../x", "/etc"} {
		fmt.Println(p, fsroot.Local(p))
	}
	// Output:
	// mq/operator/base true
	// mq/../gitops true
	// ../other false
	// mq/../../x false
	// /etc false
}

func ExampleRel() {
	fmt.Println(fsroot.Rel("/srv/catalog", "/srv/catalog/mq/README.md"))
	fmt.Println(fsroot.Rel("/srv/catalog", "/srv/other"))
	// Output:
	// mq/README.md true
	// ../other false
}
