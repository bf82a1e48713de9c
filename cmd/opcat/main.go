// Command opcat scaffolds, validates and renders GitOps catalogs of OLM
// operators.
package main

import (
	"os"

	"github.com/opcat-dev/opcat/cmd/opcat/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
