package index

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// sparse creates a file of size bytes that holds no data on disk.
func sparse(t *testing.T, dir, name string, prefix string, size int64) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(prefix), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, size); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadLimits(t *testing.T) {
	dir := t.TempDir()
	const gib = 1 << 30
	pkg := "schema: olm.package\nname: p\n"
	folder := filepath.Join(dir, "folder")
	writeFile(t, folder, "a.yaml", pkg)
	writeFile(t, folder, "b.yaml", "schema: olm.package\nname: q\n")
	long := writeFile(t, dir, "long.yaml", pkg+"---\nschema: olm.package\nname: "+strings.Repeat("x", 300)+"\n")
	longJSON := writeFile(t, dir, "long.json", `{"schema":"olm.package","name":"p"}`+"\n"+`{"schema":"olm.package","name":"`+strings.Repeat("x", 300)+`"}`)
	longArray := writeFile(t, dir, "array.json", `[{"schema":"olm.package","name":"p"},`+"\n"+`{"schema":"olm.package","name":"`+strings.Repeat("x", 300)+`"}]`)
	blanks := strings.Repeat("\n", 4<<20)
	bigDoc := writeFile(t, dir, "bigdoc.yaml", pkg+"description: |\n  x\n"+blanks+"  y\n")
	lead := writeFile(t, dir, "lead.yaml", blanks+strings.Repeat("# comment\n", 1000)+pkg+"bad: [\n")
	tests := []struct {
		name string
		path func() string
		opts Options
		want []string // substrings of the error
	}{
		{name: "1 GiB sparse YAML file", path: func() string { return sparse(t, dir, "sparse.yaml", "", gib) },
			want: []string{"sparse.yaml:1: line is longer than 67108864 bytes, the line limit"}},
		{name: "1 GiB sparse JSON file", path: func() string { return sparse(t, dir, "sparse.json", `{"schema":"olm.package","name":"`, gib) },
			want: []string{`sparse.json:1: invalid character '\x00' in string literal`}},
		{name: "file over the size limit", path: func() string { return sparse(t, dir, "over.yaml", "", gib+1) },
			want: []string{"over.yaml: the index has more than 1073741824 bytes, the index size limit (raise the limit to read it)"}},
		{name: "folder over the size limit", path: func() string { return folder }, opts: Options{MaxSize: int64(len(pkg)) + 5},
			want: []string{"b.yaml: the index has more than 33 bytes"}},
		{name: "long YAML line", path: func() string { return long }, opts: Options{MaxLineSize: 100},
			want: []string{"long.yaml:5: line is longer than 100 bytes"}},
		{name: "long JSON value", path: func() string { return longJSON }, opts: Options{MaxLineSize: 100},
			want: []string{"long.json:2: a single JSON value is longer than 100 bytes"}},
		{name: "long JSON array element", path: func() string { return longArray }, opts: Options{MaxLineSize: 100},
			want: []string{"array.json:2: a single JSON value is longer than 100 bytes"}},
		{name: "long YAML document", path: func() string { return bigDoc }, opts: Options{MaxLineSize: 1 << 20},
			want: []string{"a single YAML document or entry is longer than 1048576 bytes"}},
		// Blank and comment lines before a document are not kept: the
		// document is small, and errors still name the line of the file.
		{name: "lines before a document", path: func() string { return lead }, opts: Options{MaxLineSize: 1 << 20},
			want: []string{"lead.yaml:" + strconv.Itoa(4<<20+1000+3) + ": ", "did not find expected node content"}},
	}
	if runtime.GOOS == "linux" {
		tests = append(tests, struct {
			name string
			path func() string
			opts Options
			want []string
		}{name: "file that reports size 0", path: func() string { return "/proc/self/maps" }, opts: Options{MaxSize: 10},
			want: []string{"maps: the index has more than 10 bytes"}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.path()
			idx, err := Load(context.Background(), p, tt.opts)
			if err == nil {
				t.Fatalf("Load(context.Background(), %s) = %d packages, want an error", p, len(idx.Packages))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
	t.Run("within the limits", func(t *testing.T) {
		for _, opts := range []Options{{}, {MaxSize: -1, MaxLineSize: -1}, {MaxSize: 2*int64(len(pkg)) + 2, MaxLineSize: 30}} {
			if idx := mustLoad(t, folder, opts); len(idx.Packages) != 2 {
				t.Errorf("%+v: %d packages, want 2", opts, len(idx.Packages))
			}
		}
	})
}

// TestBoundedReaderMemory checks by construction that a bounded read of a
// file with no line break holds about the line limit in memory, not the
// file.
func TestBoundedReaderMemory(t *testing.T) {
	p := sparse(t, t.TempDir(), "zeros.yaml", "", 1<<30)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Load(context.Background(), p, Options{MaxLineSize: 1 << 20})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "line is longer than 1048576 bytes") {
		t.Fatalf("err = %v", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("allocated %d bytes to refuse a 1 GiB file with a 1 MiB line limit", got)
	}
}
