package index

import (
	"context"
	"errors"
	"testing"
)

// TestLoadCancelled: a folder is not walked under a done context; Load
// returns the context's error.
func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	idx, err := Load(ctx, "testdata/mixed", Options{})
	if !errors.Is(err, context.Canceled) || idx != nil {
		t.Errorf("Load = %v, %v; want no index and context.Canceled", idx, err)
	}
}
