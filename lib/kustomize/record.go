package kustomize

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// recordingFS is a snapshot filesystem that notes every question a build
// asks of it: each file read, each existence and folder probe (absent
// paths included), each listing. Those questions, asked again of another
// snapshot, tell whether the build would read the same bytes there.
type recordingFS struct {
	*snapshotFS
	mu  sync.Mutex
	obs map[observation]bool
}

var _ filesys.FileSystem = (*recordingFS)(nil)

func newRecordingFS(s *snapshotFS) *recordingFS {
	return &recordingFS{snapshotFS: s, obs: map[observation]bool{}}
}

func (r *recordingFS) note(op, arg string) {
	r.mu.Lock()
	r.obs[observation{op, arg}] = true
	r.mu.Unlock()
}

// sorted returns the questions asked, in a fixed order, and what the
// snapshot answers to each.
func (r *recordingFS) sorted(memo *sync.Map) ([]observation, []string) {
	r.mu.Lock()
	obs := make([]observation, 0, len(r.obs))
	for o := range r.obs {
		obs = append(obs, o)
	}
	r.mu.Unlock()
	sort.Slice(obs, func(i, j int) bool {
		if obs[i].Op != obs[j].Op {
			return obs[i].Op < obs[j].Op
		}
		return obs[i].Arg < obs[j].Arg
	})
	states := make([]string, len(obs))
	for i, o := range obs {
		states[i] = observe(r.snapshotFS, memo, o)
	}
	return obs, states
}

func (r *recordingFS) Open(p string) (filesys.File, error) {
	r.note("read", p)
	return r.snapshotFS.Open(p)
}
func (r *recordingFS) ReadFile(p string) ([]byte, error) {
	r.note("read", p)
	return r.snapshotFS.ReadFile(p)
}
func (r *recordingFS) IsDir(p string) bool {
	r.note("isdir", p)
	return r.snapshotFS.IsDir(p)
}
func (r *recordingFS) Exists(p string) bool {
	r.note("exists", p)
	return r.snapshotFS.Exists(p)
}
func (r *recordingFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	r.note("abs", p)
	return r.snapshotFS.CleanedAbs(p)
}
func (r *recordingFS) ReadDir(p string) ([]string, error) {
	r.note("readdir", p)
	return r.snapshotFS.ReadDir(p)
}
func (r *recordingFS) Glob(pattern string) ([]string, error) {
	r.note("glob", pattern)
	return r.snapshotFS.Glob(pattern)
}
func (r *recordingFS) Walk(p string, fn filepath.WalkFunc) error {
	r.note("walk", p)
	return r.snapshotFS.Walk(p, fn)
}

// observe asks question o of fs again and returns a hash of the answer:
// the bytes served (as the sanitiser serves kustomizations), the error
// given, the folder and file a path resolves to, the names listed. memo,
// when not nil, remembers answers for fs, which never changes.
func observe(fs *snapshotFS, memo *sync.Map, o observation) string {
	if memo != nil {
		if v, ok := memo.Load(o); ok {
			return v.(string)
		}
	}
	h := sha256.New()
	switch o.Op {
	case "read":
		data, err := fs.ReadFile(o.Arg)
		writeAnswer(h, data, err)
	case "isdir":
		fmt.Fprint(h, fs.IsDir(o.Arg))
	case "exists":
		fmt.Fprint(h, fs.Exists(o.Arg))
	case "abs":
		d, f, err := fs.CleanedAbs(o.Arg)
		writeAnswer(h, []byte(string(d)+"\x00"+f), err)
	case "readdir":
		names, err := fs.ReadDir(o.Arg)
		writeAnswer(h, []byte(strings.Join(names, "\x00")), err)
	case "glob":
		names, err := fs.Glob(o.Arg)
		writeAnswer(h, []byte(strings.Join(names, "\x00")), err)
	case "walk":
		err := fs.Walk(o.Arg, func(p string, info os.FileInfo, err error) error {
			fmt.Fprintf(h, "%d:%s\x00", len(p), p)
			if info != nil {
				fmt.Fprintf(h, "%s %d %v\x00", info.Name(), info.Size(), info.Mode())
			}
			if err != nil {
				fmt.Fprintf(h, "error %s\x00", err)
			}
			return nil
		})
		writeAnswer(h, nil, err)
	default:
		fmt.Fprintf(h, "unknown question %q", o.Op)
	}
	s := hex.EncodeToString(h.Sum(nil))
	if memo != nil {
		memo.Store(o, s)
	}
	return s
}

func writeAnswer(h hash.Hash, data []byte, err error) {
	if err != nil {
		fmt.Fprintf(h, "error %d:%s\x00", len(err.Error()), err)
		return
	}
	fmt.Fprintf(h, "ok %d:", len(data))
	h.Write(data)
}
