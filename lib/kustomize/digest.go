package kustomize

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
)

// Digest is a hash of everything the Tree holds: the root it was read
// from, every folder, every file's path and bytes, every symbolic link
// and what it leads to, and every file refused with the reason. Two Trees
// with the same Digest give the same builds and the same findings: opcat
// reads a catalog only through its Tree. Digest reads every byte; call it
// once per Tree.
func (t *Tree) Digest() string {
	h := sha256.New()
	part := func(s string) {
		fmt.Fprintf(h, "%d:", len(s))
		io.WriteString(h, s)
	}
	part("opcat tree v1")
	part(t.root)
	part(fmt.Sprint(t.keepDeprecated))
	dirs := make([]string, 0, len(t.dirs))
	for d := range t.dirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	part(fmt.Sprint("dirs ", len(dirs)))
	for _, d := range dirs {
		part(d)
	}
	files := make([]string, 0, len(t.files))
	for f := range t.files {
		files = append(files, f)
	}
	sort.Strings(files)
	part(fmt.Sprint("files ", len(files)))
	for _, f := range files {
		part(f)
		data := t.files[f]
		fmt.Fprintf(h, "%d:", len(data))
		h.Write(data)
	}
	links := make([]string, 0, len(t.links))
	for l := range t.links {
		links = append(links, l)
	}
	sort.Strings(links)
	part(fmt.Sprint("links ", len(links)))
	for _, l := range links {
		part(l)
		part(t.links[l])
	}
	part(fmt.Sprint("problems ", len(t.Problems)))
	for _, p := range t.Problems {
		part(fmt.Sprint(int(p.Cause)))
		part(fmt.Sprintf("%+v", p.Pos))
		part(p.Message)
		part(fmt.Sprint(p.stop))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// resultFormat names the layout of the entries Result and StoreResult
// keep; a new layout changes every key.
const resultFormat = "result v1"

// Result returns what StoreResult kept under key, by a run of this very
// binary (the key is joined to the build cache's tool key: opcat's and
// kustomize's versions, the Go toolchain, the build options, the binary's
// build ID). The caller's key must cover every input of what it stores.
func (c *Cache) Result(key string) ([]byte, bool) {
	return c.get(c.resultKey(key))
}

// StoreResult keeps body under key, for Result; a failure to write is
// counted in the Stats, never reported.
func (c *Cache) StoreResult(key string, body []byte) {
	c.put(c.resultKey(key), body)
}

func (c *Cache) resultKey(key string) string {
	return hashKey(resultFormat, toolKeyOnce(), key)
}
