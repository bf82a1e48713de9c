package export

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func built(t testing.TB) *Export {
	t.Helper()
	e, err := Build(load(t, "testdata/catalog"), Options{Overlays: map[string]string{"mq": "v3.0"}, Source: testSource})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// write puts an export on disk in one layout and returns its path.
func write(t *testing.T, e *Export, layout string) string {
	t.Helper()
	dir := t.TempDir()
	switch layout {
	case "folder":
		p := filepath.Join(dir, "out")
		if err := WriteDir(p, e.Files, false); err != nil {
			t.Fatal(err)
		}
		return p
	case "tar.gz":
		data, err := e.TarGz()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "out.tar.gz")
		if err := WriteFile(p, data, false); err != nil {
			t.Fatal(err)
		}
		return p
	default:
		files, err := e.OCI("latest")
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "oci")
		if err := WriteDir(p, files, false); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// rewrite changes an export on disk in its folder form, then puts it back
// in the layout under test.
func tamper(t *testing.T, e *Export, change func(files map[string][]byte)) *Export {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range e.Files {
		files[f.Name] = bytes.Clone(f.Data)
	}
	change(files)
	out := &Export{Meta: e.Meta, Time: e.Time}
	for _, n := range sortedKeys(files) {
		out.Files = append(out.Files, File{Name: n, Data: files[n]})
	}
	return out
}

const mqManifest = "manifests/mq/v3.0.yaml"

func TestVerify(t *testing.T) {
	e := built(t)
	flip := func(files map[string][]byte) { files[mqManifest][10] ^= 1 }
	tests := []struct {
		name   string
		change func(map[string][]byte)
		digest string
		want   []string // kind file
	}{
		{name: "intact"},
		{name: "one byte changed", change: flip, want: []string{"digest export.json", "tampered " + mqManifest}},
		{name: "file removed", change: func(f map[string][]byte) { delete(f, mqManifest) }, want: []string{"missing " + mqManifest}},
		{name: "file added", change: func(f map[string][]byte) { f["manifests/extra.yaml"] = []byte("x") }, want: []string{"extra manifests/extra.yaml"}},
		{name: "checksums rewritten too", change: func(f map[string][]byte) {
			old := f[mqManifest]
			f[mqManifest] = append(bytes.Clone(old), "# more\n"...)
			f[SumsFile] = bytes.Replace(f[SumsFile], []byte(sumLine(mqManifest, old)), []byte(sumLine(mqManifest, f[mqManifest])), 1)
		}, want: []string{"digest export.json"}},
		{name: "sums missing", change: func(f map[string][]byte) { delete(f, SumsFile) }, want: []string{"missing SHA256SUMS"}},
		{name: "sums garbled", change: func(f map[string][]byte) { f[SumsFile] = append(f[SumsFile], "nonsense\n"...) }, want: []string{"invalid SHA256SUMS"}},
		{name: "expected digest", digest: "sha256:0000", want: []string{"digest export.json"}},
	}
	for _, layout := range []string{"folder", "tar.gz", "oci"} {
		for _, tt := range tests {
			t.Run(layout+"/"+tt.name, func(t *testing.T) {
				ex := e
				if tt.change != nil {
					ex = tamper(t, e, tt.change)
				}
				v, err := Verify(write(t, ex, layout), VerifyOptions{Digest: tt.digest})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, p := range v.Problems {
					got = append(got, p.Kind+" "+p.File)
				}
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("problems:\n%v\nwant:\n%v", v.Problems, tt.want)
				}
				if v.Layout != layout || (tt.change == nil && v.Digest != e.Meta.Digest) {
					t.Errorf("layout %s digest %s", v.Layout, v.Digest)
				}
			})
		}
	}
}

// A change to a blob of an OCI layout is caught before the export is read.
func TestVerifyOCIBlob(t *testing.T) {
	p := write(t, built(t), "oci")
	blobs, _ := filepath.Glob(filepath.Join(p, "blobs", "sha256", "*"))
	var layer string
	for _, b := range blobs {
		if data, _ := os.ReadFile(b); len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
			layer = b
		}
	}
	data, _ := os.ReadFile(layer)
	data[len(data)/2] ^= 0xff
	os.WriteFile(layer, data, 0o644)
	os.WriteFile(filepath.Join(p, "blobs", "sha256", "stray"), []byte("x"), 0o644)
	v, err := Verify(p, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := ""
	for _, pr := range v.Problems {
		s += pr.String() + "\n"
	}
	for _, want := range []string{"tampered: blobs/sha256/", "extra: blobs/sha256/stray", "missing: export.tar.gz"} {
		if !strings.Contains(s, want) {
			t.Errorf("problems lack %q:\n%s", want, s)
		}
	}
}

func TestWriteRefuses(t *testing.T) {
	e := built(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, "mine.txt"), []byte("keep"), 0o644)
	if err := WriteDir(out, e.Files, false); !errors.Is(err, ErrExists) {
		t.Fatalf("err = %v, want ErrExists", err)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "mine.txt")); string(data) != "keep" {
		t.Fatal("a refused write changed the folder")
	}
	if err := WriteDir(out, e.Files, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "mine.txt")); !os.IsNotExist(err) {
		t.Error("--force kept a file of the old folder")
	}
	// A second identical run with --force changes nothing.
	before, _ := os.ReadFile(filepath.Join(out, SumsFile))
	if err := WriteDir(out, e.Files, true); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(out, SumsFile))
	if !bytes.Equal(before, after) {
		t.Error("a second run changed the export")
	}
	f := filepath.Join(dir, "x.tar.gz")
	os.WriteFile(f, []byte("mine"), 0o644)
	if err := WriteFile(f, []byte("new"), false); !errors.Is(err, ErrExists) {
		t.Fatalf("err = %v, want ErrExists", err)
	}
	if err := WriteDir(f, e.Files, true); err == nil {
		t.Fatal("replaced a file with a folder")
	}
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		if strings.Contains(en.Name(), ".tmp-") {
			t.Errorf("temporary %s left behind", en.Name())
		}
	}
}

func FuzzVerifyTarGz(f *testing.F) {
	e := built(f)
	data, err := e.TarGz()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		var problems []Problem
		files, err := readTarGz(data, 1<<20, &problems)
		if err != nil {
			return
		}
		v := &Verified{}
		v.check(files, "")
	})
}
