package index

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkLoadLarge generates a rendered FBC JSON stream of at least
// 200 MB in b.TempDir() and loads it, reporting the load time, the peak heap
// in use while loading (sampled from runtime.MemStats) and the peak resident
// set of the process (VmHWM). It runs only with OPCAT_BENCH_LARGE=1:
//
//	OPCAT_BENCH_LARGE=1 go test ./lib/index -run='^$' -bench=BenchmarkLoadLarge -benchtime=1x
func BenchmarkLoadLarge(b *testing.B) {
	if os.Getenv("OPCAT_BENCH_LARGE") != "1" {
		b.Skip("set OPCAT_BENCH_LARGE=1 to generate a 200 MB rendered FBC JSON file and load it")
	}
	const target = 200 << 20
	path := filepath.Join(b.TempDir(), "catalog.json")
	size, pkgs, bundles := writeLargeFBC(b, path, target)
	b.Logf("generated %s: %.1f MB, %d packages, %d bundles", path, float64(size)/(1<<20), pkgs, bundles)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runtime.GC()
		peak, stop := sampleHeap()
		start := time.Now()
		idx, err := Load(context.Background(), path, Options{})
		elapsed := time.Since(start)
		heapPeak := stop()
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, p := range idx.Packages {
			n += len(p.Bundles)
		}
		if len(idx.Packages) != pkgs || n != bundles {
			b.Fatalf("loaded %d packages, %d bundles; want %d, %d", len(idx.Packages), n, pkgs, bundles)
		}
		hwm := vmHWM()
		b.ReportMetric(float64(heapPeak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(hwm)/(1<<20), "VmHWM-MB")
		b.Logf("load %.1f MB: %v, peak HeapInuse %.1f MB (baseline %.1f MB), VmHWM %.1f MB",
			float64(size)/(1<<20), elapsed, float64(heapPeak)/(1<<20), float64(peak)/(1<<20), float64(hwm)/(1<<20))
		runtime.KeepAlive(idx)
	}
}

// sampleHeap samples HeapInuse every 10ms until stop is called; it returns
// the value at start and stop returns the peak.
func sampleHeap() (baseline uint64, stop func() uint64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseline = ms.HeapInuse
	var mu sync.Mutex
	peak := baseline
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return baseline, func() uint64 {
		close(done)
		<-finished
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// vmHWM returns the peak resident set size of the process, 0 if unknown.
func vmHWM() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// writeLargeFBC writes packages of 50 bundles as `opm render` does until
// the file has at least target bytes. Every bundle carries a CSV metadata
// blob of about 8 KB and related images, which Load must drop.
func writeLargeFBC(tb testing.TB, path string, target int64) (size int64, pkgs, bundles int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	cw := &countWriter{w: bufio.NewWriterSize(f, 1<<20)}
	enc := json.NewEncoder(cw)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	description := strings.Repeat("This operator manages a demo workload and writes a long description. ", 110)
	icon := strings.Repeat("iVBORw0KGgoAAAANSUhEUgAA", 170)
	const perPackage = 50
	for cw.n < target {
		pkg := fmt.Sprintf("synthetic-operator-%04d", pkgs)
		pkgs++
		must(tb, enc.Encode(map[string]any{
			"schema": "olm.package", "name": pkg, "defaultChannel": "stable",
			"icon": map[string]string{"base64data": icon, "mediatype": "image/png"},
		}))
		entries := make([]map[string]any, perPackage)
		for i := range entries {
			e := map[string]any{"name": fmt.Sprintf("%s.v1.%d.0", pkg, i)}
			if i > 0 {
				e["replaces"] = fmt.Sprintf("%s.v1.%d.0", pkg, i-1)
				e["skipRange"] = fmt.Sprintf(">=1.0.0 <1.%d.0", i)
			}
			entries[i] = e
		}
		must(tb, enc.Encode(map[string]any{"schema": "olm.channel", "package": pkg, "name": "stable", "entries": entries}))
		for i := 0; i < perPackage; i++ {
			name := fmt.Sprintf("%s.v1.%d.0", pkg, i)
			must(tb, enc.Encode(map[string]any{
				"schema": "olm.bundle", "name": name, "package": pkg,
				"image": fmt.Sprintf("quay.io/synthetic/%s-bundle@sha256:%064d", pkg, i),
				"properties": []any{
					map[string]any{"type": "olm.gvk", "value": map[string]string{"group": "demo.example.com", "kind": "Demo", "version": "v1"}},
					map[string]any{"type": "olm.package", "value": map[string]string{"packageName": pkg, "version": fmt.Sprintf("1.%d.0", i)}},
					map[string]any{"type": "olm.csv.metadata", "value": map[string]any{
						"annotations": map[string]string{"alm-examples": `[{"apiVersion":"demo.example.com/v1","kind":"Demo"}]`, "capabilities": "Basic Install"},
						"description": description,
						"displayName": "Synthetic " + pkg,
						"installModes": []map[string]any{
							{"type": "OwnNamespace", "supported": true}, {"type": "SingleNamespace", "supported": true},
							{"type": "MultiNamespace", "supported": false}, {"type": "AllNamespaces", "supported": true},
						},
						"keywords": []string{"demo", "synthetic"},
					}},
				},
				"relatedImages": []map[string]string{
					{"name": "operator", "image": fmt.Sprintf("quay.io/synthetic/%s@sha256:%064d", pkg, i)},
					{"name": "workload", "image": fmt.Sprintf("quay.io/synthetic/%s-workload@sha256:%064d", pkg, i)},
				},
			}))
			bundles++
		}
	}
	if err := cw.w.(*bufio.Writer).Flush(); err != nil {
		tb.Fatal(err)
	}
	return cw.n, pkgs, bundles
}

type countWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
