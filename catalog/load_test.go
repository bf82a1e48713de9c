package catalog

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestLoadCancelled: Load under a done context returns its error, wrapped,
// and no catalog.
func TestLoadCancelled(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	tests := []struct {
		name string
		ctx  context.Context
		opts Options
		want error
	}{
		{"cancelled", cancelled, Options{}, context.Canceled},
		{"cancelled, no build", cancelled, Options{NoBuild: true}, context.Canceled},
		{"deadline", expired, Options{}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.ctx, "testdata/simple", tt.opts)
			if !errors.Is(err, tt.want) || c != nil {
				t.Errorf("Load = %v, %v; want no catalog and %v", c, err, tt.want)
			}
		})
	}
}

// TestBuildStopsWhenCancelled: once the context is done no further build
// starts; the catalog then holds kustomizations never built.
func TestBuildStopsWhenCancelled(t *testing.T) {
	c, err := Load(context.Background(), "testdata/simple", Options{NoBuild: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.build(ctx, 2, nil)
	for dir, n := range c.Kustomizations {
		if n.Result.Resources != nil || n.Result.Err != nil {
			t.Errorf("%s was built after the context was cancelled", dir)
		}
	}
}
