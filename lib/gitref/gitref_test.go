package gitref

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const hash = "3f4eb9f0c1d2e3f405162738495a6b7c8d9e0f1a"

func commitObject(committer string) []byte {
	body := "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@example.com> 1600000000 +0000\n" + committer + "\n\nmessage\n"
	return []byte(fmt.Sprintf("commit %d\x00%s", len(body), body))
}

func writeRepo(t *testing.T, files map[string]string, objects map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for h, data := range objects {
		var b bytes.Buffer
		zw := zlib.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		p := filepath.Join(dir, ".git", "objects", h[:2], h[2:])
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b.Bytes(), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRead(t *testing.T) {
	loose := map[string][]byte{hash: commitObject("committer C <c@example.com> 1764567890 +0130")}
	want := time.Unix(1764567890, 0)
	tests := []struct {
		name     string
		files    map[string]string
		objects  map[string][]byte
		wantRef  string
		wantTime bool
		err      string
	}{
		{name: "loose ref", files: map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": hash + "\n"}, objects: loose, wantRef: "refs/heads/main", wantTime: true},
		{name: "packed ref", files: map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".git/packed-refs": "# pack-refs with: peeled fully-peeled sorted\n" + strings.Repeat("0", 40) + " refs/heads/other\n" + hash + " refs/heads/main\n^" + strings.Repeat("1", 40) + "\n"}, objects: loose, wantRef: "refs/heads/main", wantTime: true},
		{name: "detached", files: map[string]string{".git/HEAD": hash + "\n"}, objects: loose, wantTime: true},
		{name: "packed object", files: map[string]string{".git/HEAD": hash + "\n"}},
		{name: "no repository", files: map[string]string{"README.md": "x"}, err: "no .git folder"},
		{name: "gitdir file", files: map[string]string{".git": "gitdir: /elsewhere/.git/worktrees/x\n"}, err: "not a folder"},
		{name: "unborn branch", files: map[string]string{".git/HEAD": "ref: refs/heads/main\n"}, err: "neither a file nor in packed-refs"},
		{name: "ref escaping", files: map[string]string{".git/HEAD": "ref: refs/../../../etc/passwd\n"}, err: "not a ref name"},
		{name: "garbage HEAD", files: map[string]string{".git/HEAD": "hello\n"}, err: "not an object name"},
		{name: "not a commit", files: map[string]string{".git/HEAD": hash + "\n"}, objects: map[string][]byte{hash: []byte("blob 3\x00abc")}, err: "not a commit object"},
		{name: "no committer", files: map[string]string{".git/HEAD": hash + "\n"}, objects: map[string][]byte{hash: commitObject("committer broken")}, err: "no committer time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeRepo(t, tt.files, tt.objects)
			c, err := Read(dir)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Hash != hash || c.Ref != tt.wantRef {
				t.Errorf("got %s %q, want %s %q", c.Hash, c.Ref, hash, tt.wantRef)
			}
			if tt.wantTime {
				if !c.Time.Equal(want) || c.TimeNote != "" {
					t.Errorf("time = %v (%q), want %v", c.Time, c.TimeNote, want)
				}
				if _, off := c.Time.Zone(); off != 90*60 {
					t.Errorf("zone offset = %d, want 5400", off)
				}
			} else if !c.Time.IsZero() || c.TimeNote == "" {
				t.Errorf("time = %v, note %q: want zero with a note", c.Time, c.TimeNote)
			}
		})
	}
}

// A symbolic link in .git that leaves the working tree is not followed.
func TestReadSymlinkOutside(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "main"), []byte(hash+"\n"), 0o644)
	dir := writeRepo(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n"}, nil)
	os.MkdirAll(filepath.Join(dir, ".git", "refs", "heads"), 0o755)
	if err := os.Symlink(filepath.Join(outside, "main"), filepath.Join(dir, ".git", "refs", "heads", "main")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, err := Read(dir); err == nil {
		t.Fatal("read a ref through a link leaving the root")
	}
}

func TestCommitTime(t *testing.T) {
	dir := writeRepo(t, map[string]string{".git/HEAD": hash}, map[string][]byte{hash: commitObject("committer C <c@example.com> 1700000000 -0500")})
	got, err := CommitTime(dir, hash)
	if err != nil || got.Unix() != 1700000000 {
		t.Fatalf("CommitTime = %v, %v", got, err)
	}
	if _, err := CommitTime(dir, strings.Repeat("a", 40)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing object: err = %v, want not exist", err)
	}
	if _, err := CommitTime(dir, "../x"); err == nil {
		t.Error("accepted a bad object name")
	}
}

func FuzzParseCommit(f *testing.F) {
	f.Add(commitObject("committer C <c@example.com> 1764567890 +0130"))
	f.Add([]byte("commit 0\x00"))
	f.Add([]byte("commit 5\x00committer <> 1 +9999"))
	f.Fuzz(func(t *testing.T, data []byte) {
		parseCommit("x", data)
	})
}
