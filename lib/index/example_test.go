package index_test

import (
	"context"
	"fmt"
	"log"

	"github.com/opcat-dev/opcat/lib/index"
)

func ExampleLoad() {
	idx, err := index.Load(context.Background(), "testdata/fbc/stream.yaml", index.Options{Source: "demo-catalog"})
	if err != nil {
		log.Fatal(err)
	}
	p := idx.Packages["demo"]
	ch := p.Channels[p.DefaultChannel]
	head, err := ch.Head()
	if err != nil {
		log.Fatal(err)
	}
	steps, _ := ch.Behind("demo.v1.0.0")
	fmt.Println("source:", idx.Source)
	fmt.Println("channels:", p.ChannelNames())
	fmt.Println("head of", ch.Name+":", head)
	fmt.Println("demo.v1.0.0 is", steps, "step(s) behind")
	fmt.Println("demo.v1.1.0 is in", p.ChannelsOf("demo.v1.1.0"))
	// Output:
	// source: demo-catalog
	// channels: [stable fast-1.2]
	// head of stable: demo.v1.2.0
	// demo.v1.0.0 is 1 step(s) behind
	// demo.v1.1.0 is in [stable]
}
