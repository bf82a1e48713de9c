package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exportCatalog is the export package's fixture catalog.
const exportCatalog = "../../../../catalog/export/testdata/catalog"

// export → export --verify round-trips in every layout and catches a
// one-byte change.
func TestExportVerify(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		out  string
	}{
		{name: "folder", out: "out"},
		{name: "tar.gz", out: "out.tar.gz"},
		{name: "oci", out: "oci", args: []string{"--oci"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, tt.out)
			args := append([]string{"-C", exportCatalog, "export", "-o", out, "--overlay", "mq=v3.0", "--source-commit", strings.Repeat("ab", 20)}, tt.args...)
			r := run(t, args...)
			if r.code != 0 || !strings.HasPrefix(r.stdout, "sha256:") {
				t.Fatalf("export: %s", r)
			}
			digest := strings.TrimSpace(r.stdout)
			if again := run(t, args...); again.code != 2 || !strings.Contains(again.stderr, "--force") {
				t.Errorf("second export without --force: %s", again)
			}
			v := run(t, "export", "--verify", out, "--digest", digest)
			if v.code != 0 || strings.TrimSpace(v.stdout) != digest {
				t.Fatalf("verify: %s", v)
			}
			// One byte changed in the largest file (a manifest, or the
			// layer of the OCI layout).
			var big string
			var size int64
			filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
				if err == nil && info.Mode().IsRegular() && info.Size() > size {
					big, size = p, info.Size()
				}
				return nil
			})
			if fi, _ := os.Stat(out); !fi.IsDir() {
				big = out
			}
			data, _ := os.ReadFile(big)
			data[len(data)/2] ^= 0x20
			os.WriteFile(big, data, 0o644)
			v = run(t, "export", "--verify", out)
			if v.code != 1 || v.stdout == "" {
				t.Fatalf("verify after a one-byte change: %s", v)
			}
		})
	}
}

func TestExportUsage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{args: []string{"export"}, code: 2, err: "give the output"},
		{args: []string{"export", "-o", filepath.Join(dir, "x.tar.gz"), "--oci"}, code: 2, err: "--oci writes a folder"},
		{args: []string{"export", "-o", filepath.Join(dir, "y"), "--overlay", "mq"}, code: 2, err: "want OPERATOR=OVERLAY"},
		{args: []string{"export", "-o", filepath.Join(dir, "y"), "--overlay", "mq=v9"}, code: 2, err: `no overlay "v9"`},
		{args: []string{"export", "--verify", filepath.Join(dir, "none")}, code: 2, err: "cannot verify"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := run(t, append([]string{"-C", exportCatalog}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.err) {
				t.Errorf("%s\nwant exit %d and %q", r, tt.code, tt.err)
			}
		})
	}
}

// An overlay that does not build stops export and drift with exit 1,
// naming the overlay.
func TestExportDriftBrokenOverlay(t *testing.T) {
	root := writeCatalog(t, map[string]string{
		"op/base/kustomization.yaml":        "resources: [subscription.yaml]\n",
		"op/base/subscription.yaml":         "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: op, namespace: ns}\nspec: {name: op, channel: stable, source: s, sourceNamespace: m}\n",
		"op/overlays/kustomization.yaml":    "resources: [./v1]\n",
		"op/overlays/v1/kustomization.yaml": "resources: [../../base, missing.yaml]\n",
	})
	out := filepath.Join(t.TempDir(), "out")
	r := run(t, "-C", root, "export", "-o", out)
	if r.code != 1 || !strings.Contains(r.stderr, "op/overlays/v1 does not build") {
		t.Errorf("export: %s", r)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed export wrote %s", out)
	}
	r = run(t, "-C", root, "drift", driftData+"clean.yaml")
	if r.code != 1 || !strings.Contains(r.stderr, "op/overlays/v1 does not build") {
		t.Errorf("drift: %s", r)
	}
}

// The commit is read from .git in the catalog root: HEAD through a loose
// ref to a loose commit object, whose committer time becomes every time in
// the archive.
func TestExportSourceCommit(t *testing.T) {
	root := t.TempDir()
	src := os.DirFS(exportCatalog)
	if err := os.CopyFS(root, src); err != nil {
		t.Fatal(err)
	}
	const hash = "0123456789abcdef0123456789abcdef01234567"
	body := "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@example.com> 1764000000 +0000\ncommitter C <c@example.com> 1764123456 +0200\n\nrelease\n"
	var obj bytes.Buffer
	zw := zlib.NewWriter(&obj)
	fmt.Fprintf(zw, "commit %d\x00%s", len(body), body)
	zw.Close()
	for name, data := range map[string][]byte{
		".git/HEAD":                   []byte("ref: refs/heads/main\n"),
		".git/refs/heads/main":        []byte(hash + "\n"),
		".git/objects/01/" + hash[2:]: obj.Bytes(),
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, data, 0o644)
	}
	out := filepath.Join(t.TempDir(), "x.tar.gz")
	if r := run(t, "-C", root, "export", "-o", out, "--overlay", "mq=v3.0"); r.code != 0 || strings.Contains(r.stderr, "no source commit") {
		t.Fatalf("%s", r)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err != nil {
			break
		}
		if hdr.ModTime.Unix() != 1764123456 || hdr.Uid != 0 || hdr.Gid != 0 || hdr.Uname != "" || hdr.Gname != "" {
			t.Errorf("%s: mtime %v uid %d gid %d owner %q/%q", hdr.Name, hdr.ModTime, hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname)
		}
		if want := map[bool]int64{true: 0o755, false: 0o644}[hdr.Typeflag == tar.TypeDir]; hdr.Mode != want {
			t.Errorf("%s: mode %o", hdr.Name, hdr.Mode)
		}
		if hdr.Name == "export.json" {
			data, _ := io.ReadAll(tr)
			for _, want := range []string{`"commit": "` + hash + `"`, `"ref": "refs/heads/main"`, `"time": "2025-11-26T04:17:36+02:00"`} {
				if !strings.Contains(string(data), want) {
					t.Errorf("export.json lacks %s:\n%s", want, data)
				}
			}
		}
	}
}
