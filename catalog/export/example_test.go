package export_test

import (
	"context"
	"fmt"
	"log"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/export"
)

// Build renders every operator's default overlay (or the overlays chosen)
// into the files of an export; WriteDir, TarGz and OCI put them on disk.
func ExampleBuild() {
	c, err := catalog.Load(context.Background(), "testdata/catalog", catalog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	e, err := export.Build(c, export.Options{Overlays: map[string]string{"mq": "v3.0"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range e.Files {
		fmt.Println(f.Name)
	}
	for _, s := range e.Meta.Selection {
		fmt.Printf("%s/%s: %d objects\n", s.Operator, s.Overlay, s.Objects)
	}
	// Output:
	// SHA256SUMS
	// export.json
	// manifests/gitops/gitops-1.15.yaml
	// manifests/mq/v3.0.yaml
	// gitops/gitops-1.15: 3 objects
	// mq/v3.0: 5 objects
}
