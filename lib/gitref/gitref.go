// Package gitref reads the commit a Git working tree is at, from the files
// of its .git folder and without running git: HEAD, loose and packed refs,
// and the commit object when it is stored loose (zlib-compressed).
//
// Every file is opened through an os.Root at the working tree, so neither a
// symbolic link nor a gitdir file can make it read outside that folder: a
// worktree or submodule whose .git is a file pointing elsewhere has no
// commit that can be read.
package gitref

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// ErrNoRepository is returned when the folder has no .git folder of its own.
var ErrNoRepository = errors.New("no .git folder in the catalog root")

// Commit is what Read learnt about HEAD.
type Commit struct {
	// Hash is the full hexadecimal object name.
	Hash string
	// Ref is the branch HEAD points at (refs/heads/main), or "" when HEAD is
	// detached.
	Ref string
	// Time is the committer time; zero when the commit object is not stored
	// loose (it sits in a pack file, which Read does not decode).
	Time time.Time
	// TimeNote says why Time is zero, when it is.
	TimeNote string
}

// maxSmall bounds HEAD, ref files and packed-refs.
const maxSmall = 8 << 20

// maxObject bounds an inflated commit object.
const maxObject = 1 << 20

// Read returns the commit HEAD names in the working tree at dir.
func Read(dir string) (Commit, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Commit{}, err
	}
	defer root.Close()
	st, err := root.Lstat(".git")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Commit{}, ErrNoRepository
		}
		return Commit{}, err
	}
	if !st.IsDir() {
		return Commit{}, fmt.Errorf(".git in the catalog root is not a folder (a worktree or submodule keeps its repository elsewhere, which is not read)")
	}
	head, err := readSmall(root, ".git/HEAD")
	if err != nil {
		return Commit{}, err
	}
	var c Commit
	line := strings.TrimSpace(string(head))
	if ref, ok := strings.CutPrefix(line, "ref:"); ok {
		c.Ref = strings.TrimSpace(ref)
		c.Hash, err = resolve(root, c.Ref)
		if err != nil {
			return Commit{}, err
		}
	} else {
		c.Hash = line
	}
	if !isHash(c.Hash) {
		return Commit{}, fmt.Errorf(".git/HEAD: %q is not an object name", c.Hash)
	}
	c.Time, err = commitTime(root, c.Hash)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			c.TimeNote = "the commit object is not stored loose (it is packed); its time is not read"
			return c, nil
		}
		return Commit{}, err
	}
	return c, nil
}

// CommitTime returns the committer time of the loose commit object hash in
// the repository of the working tree dir; fs.ErrNotExist when the object is
// not stored loose.
func CommitTime(dir, hash string) (time.Time, error) {
	if !isHash(hash) {
		return time.Time{}, fmt.Errorf("%q is not a full object name", hash)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return time.Time{}, err
	}
	defer root.Close()
	return commitTime(root, hash)
}

// resolve finds the object a ref names: the loose ref file, then
// packed-refs, following symbolic refs a few levels deep.
func resolve(root *os.Root, ref string) (string, error) {
	for range 5 {
		if !validRef(ref) {
			return "", fmt.Errorf(".git: %q is not a ref name opcat reads", ref)
		}
		data, err := readSmall(root, ".git/"+ref)
		if err == nil {
			v := strings.TrimSpace(string(data))
			if next, ok := strings.CutPrefix(v, "ref:"); ok {
				ref = strings.TrimSpace(next)
				continue
			}
			return v, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		packed, err := readSmall(root, ".git/packed-refs")
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf(".git: ref %s is neither a file nor in packed-refs (a branch without commits?)", ref)
			}
			return "", err
		}
		sc := bufio.NewScanner(bytes.NewReader(packed))
		sc.Buffer(make([]byte, 64<<10), maxSmall)
		for sc.Scan() {
			l := sc.Text()
			if l == "" || l[0] == '#' || l[0] == '^' {
				continue
			}
			hash, name, ok := strings.Cut(l, " ")
			if ok && name == ref {
				return hash, nil
			}
		}
		return "", fmt.Errorf(".git: ref %s is neither a file nor in packed-refs", ref)
	}
	return "", fmt.Errorf(".git: symbolic refs nest too deep at %s", ref)
}

// validRef accepts ref names made of plain path parts under refs/.
func validRef(ref string) bool {
	if !strings.HasPrefix(ref, "refs/") || path.Clean(ref) != ref {
		return false
	}
	for _, part := range strings.Split(ref, "/") {
		if part == "" || part == "." || part == ".." || strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

func isHash(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// commitTime inflates the loose object and reads its committer line.
func commitTime(root *os.Root, hash string) (time.Time, error) {
	name := ".git/objects/" + hash[:2] + "/" + hash[2:]
	f, err := root.Open(name)
	if err != nil {
		return time.Time{}, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(io.LimitReader(f, maxObject))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: not a zlib stream: %w", name, err)
	}
	defer zr.Close()
	data, err := io.ReadAll(io.LimitReader(zr, maxObject+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return time.Time{}, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxObject {
		return time.Time{}, fmt.Errorf("%s: a commit object over %d bytes", name, maxObject)
	}
	return parseCommit(name, data)
}

// parseCommit reads "commit SIZE\x00" and the committer line's time.
func parseCommit(name string, data []byte) (time.Time, error) {
	hdr, body, ok := bytes.Cut(data, []byte{0})
	if !ok || !bytes.HasPrefix(hdr, []byte("commit ")) {
		return time.Time{}, fmt.Errorf("%s: not a commit object", name)
	}
	headers, _, _ := bytes.Cut(body, []byte("\n\n"))
	for _, l := range bytes.Split(headers, []byte("\n")) {
		rest, ok := bytes.CutPrefix(l, []byte("committer "))
		if !ok {
			continue
		}
		// committer Name <email> 1700000000 +0100
		i := bytes.LastIndexByte(rest, '>')
		if i < 0 {
			break
		}
		fields := strings.Fields(string(rest[i+1:]))
		if len(fields) != 2 {
			break
		}
		secs, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			break
		}
		tz := fields[1]
		loc := time.UTC
		if len(tz) == 5 && (tz[0] == '+' || tz[0] == '-') {
			h, err1 := strconv.Atoi(tz[1:3])
			m, err2 := strconv.Atoi(tz[3:5])
			if err1 == nil && err2 == nil {
				off := (h*60 + m) * 60
				if tz[0] == '-' {
					off = -off
				}
				loc = time.FixedZone("", off)
			}
		}
		return time.Unix(secs, 0).In(loc), nil
	}
	return time.Time{}, fmt.Errorf("%s: no committer time in the commit object", name)
}

// readSmall reads a bounded small file below root.
func readSmall(root *os.Root, name string) ([]byte, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSmall+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSmall {
		return nil, fmt.Errorf("%s is over %d bytes", name, maxSmall)
	}
	return data, nil
}
