package export

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	digest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/opcat-dev/opcat/lib/fsroot"
)

// Kinds of Problem.
const (
	ProblemTampered = "tampered" // content differs from its checksum
	ProblemMissing  = "missing"  // listed but absent
	ProblemExtra    = "extra"    // present but not listed
	ProblemDigest   = "digest"   // the digest of the export does not match
	ProblemInvalid  = "invalid"  // a file that cannot be read as it should
)

// Problem is one thing wrong with an export.
type Problem struct {
	Kind    string `json:"kind"`
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// String writes the problem as FILE[:LINE]: MESSAGE.
func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, p.Line)
	}
	return fmt.Sprintf("%s: %s: %s", p.Kind, loc, p.Message)
}

// Verified is the outcome of Verify.
type Verified struct {
	// Layout is "folder", "tar.gz" or "oci".
	Layout string `json:"layout"`
	// Digest is the digest export.json records.
	Digest string `json:"digest"`
	// Commit is the source commit export.json records.
	Commit string `json:"commit"`
	// Files counts the files checked.
	Files    int       `json:"files"`
	Problems []Problem `json:"problems"`
}

// OK reports whether nothing is wrong.
func (v *Verified) OK() bool { return len(v.Problems) == 0 }

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// Digest, when set, is the digest the export must have (as printed
	// when it was made, or recorded elsewhere): it catches an export
	// rewritten as a whole, checksums included.
	Digest string
	// MaxSize bounds every file read; zero means 256 MiB.
	MaxSize int64
}

// Verify checks an export: a folder, a .tar.gz (or .tgz) or an OCI image
// layout folder. Every file listed in SHA256SUMS must be there with that
// checksum, no other file may be, and export.json's digest must match the
// manifests. An error means the export could not be read at all.
func Verify(p string, opts VerifyOptions) (*Verified, error) {
	if opts.MaxSize <= 0 {
		opts.MaxSize = 256 << 20
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	v := &Verified{}
	var files map[string][]byte
	switch {
	case st.IsDir():
		if _, err := os.Lstat(filepath.Join(p, ocispec.ImageLayoutFile)); err == nil {
			v.Layout = "oci"
			files, err = v.readOCI(p, opts.MaxSize)
		} else {
			v.Layout = "folder"
			files, err = readDir(p, opts.MaxSize, &v.Problems)
		}
	default:
		v.Layout = "tar.gz"
		var data []byte
		data, err = readLimited(p, opts.MaxSize)
		if err == nil {
			files, err = readTarGz(data, opts.MaxSize, &v.Problems)
		}
	}
	if err != nil {
		return nil, err
	}
	if files != nil {
		v.check(files, opts.Digest)
	}
	sort.SliceStable(v.Problems, func(i, j int) bool {
		a, b := v.Problems[i], v.Problems[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return v, nil
}

// check verifies the files of an export.
func (v *Verified) check(files map[string][]byte, want string) {
	add := func(kind, file string, line int, format string, a ...any) {
		v.Problems = append(v.Problems, Problem{Kind: kind, File: file, Line: line, Message: fmt.Sprintf(format, a...)})
	}
	v.Files = len(files)
	sums, ok := files[SumsFile]
	if !ok {
		add(ProblemMissing, SumsFile, 0, "the checksum list is missing: nothing can be verified")
		return
	}
	listed := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(sums))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		sum, name, ok := strings.Cut(l, "  ")
		if !ok {
			sum, name, ok = strings.Cut(l, " *")
		}
		if _, err := hex.DecodeString(sum); !ok || err != nil || len(sum) != 64 || !safeName(name) {
			add(ProblemInvalid, SumsFile, line, "not a line of the form \"<sha256>  <file>\": %q", l)
			continue
		}
		if _, dup := listed[name]; dup {
			add(ProblemInvalid, SumsFile, line, "%s is listed twice", name)
			continue
		}
		listed[name] = sum
	}
	if err := sc.Err(); err != nil {
		add(ProblemInvalid, SumsFile, 0, "%v", err)
	}
	for _, name := range sortedKeys(listed) {
		data, ok := files[name]
		if !ok {
			add(ProblemMissing, name, 0, "listed in %s but not in the export", SumsFile)
			continue
		}
		h := sha256.Sum256(data)
		if got := hex.EncodeToString(h[:]); got != listed[name] {
			add(ProblemTampered, name, 0, "sha256 is %s, %s says %s", got, SumsFile, listed[name])
		}
	}
	for _, name := range sortedKeys(files) {
		if _, ok := listed[name]; !ok && name != SumsFile {
			add(ProblemExtra, name, 0, "in the export but not listed in %s", SumsFile)
		}
	}
	metaData, ok := files[MetadataFile]
	if !ok {
		if _, isListed := listed[MetadataFile]; !isListed {
			add(ProblemMissing, MetadataFile, 0, "the metadata file is missing")
		}
		return
	}
	var meta Metadata
	if err := json.Unmarshal(metaData, &meta); err != nil {
		add(ProblemInvalid, MetadataFile, 0, "not the JSON export.json should hold: %v", err)
		return
	}
	if meta.Format != Format {
		add(ProblemInvalid, MetadataFile, 0, "format is %q, want %q", meta.Format, Format)
	}
	v.Digest, v.Commit = meta.Digest, meta.Source.Commit
	var manifestSums bytes.Buffer
	for _, name := range sortedKeys(listed) {
		if name == MetadataFile {
			continue
		}
		if data, ok := files[name]; ok {
			manifestSums.WriteString(sumLine(name, data))
		} else {
			manifestSums.WriteString(listed[name] + "  " + name + "\n")
		}
	}
	if got := digestOf(manifestSums.Bytes()); got != meta.Digest {
		add(ProblemDigest, MetadataFile, 0, "the manifests' digest is %s, export.json records %s", got, meta.Digest)
	}
	if want != "" && want != meta.Digest {
		add(ProblemDigest, MetadataFile, 0, "export.json records digest %s, expected %s", meta.Digest, want)
	}
	for _, s := range meta.Selection {
		if _, ok := listed[s.Manifest]; !ok {
			add(ProblemMissing, s.Manifest, 0, "export.json selects %s/%s but %s does not list its manifest", s.Operator, s.Overlay, SumsFile)
		}
	}
}

// safeName accepts relative slash paths that stay inside the export.
func safeName(name string) bool {
	return name != "" && path.Clean(name) == name && fsroot.Local(name)
}

func readLimited(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", p, max)
	}
	return data, nil
}

// readDir reads every file below dir; what is not a regular file or a
// folder is a problem.
func readDir(dir string, max int64, problems *[]Problem) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			*problems = append(*problems, Problem{Kind: ProblemExtra, File: rel, Message: "not a regular file"})
			return nil
		}
		data, err := readLimited(p, max)
		if err != nil {
			return err
		}
		files[rel] = data
		return nil
	})
	return files, err
}

// readTarGz reads the regular files of a .tar.gz.
func readTarGz(data []byte, max int64, problems *[]Problem) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a gzip file: %w", err)
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	var total int64
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not a valid tar archive: %w", err)
		}
		name := strings.TrimPrefix(hdr.Name, "./")
		switch hdr.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			*problems = append(*problems, Problem{Kind: ProblemExtra, File: name, Message: "not a regular file"})
			continue
		}
		if !safeName(name) {
			*problems = append(*problems, Problem{Kind: ProblemInvalid, File: name, Message: "a name leaving the archive"})
			continue
		}
		if _, dup := files[name]; dup {
			*problems = append(*problems, Problem{Kind: ProblemInvalid, File: name, Message: "in the archive twice"})
			continue
		}
		total += hdr.Size
		if hdr.Size > max || total > max {
			return nil, fmt.Errorf("the archive holds more than %d bytes", max)
		}
		b, err := io.ReadAll(io.LimitReader(tr, hdr.Size))
		if err != nil {
			return nil, fmt.Errorf("%s in the archive: %w", name, err)
		}
		files[name] = b
	}
	return files, nil
}

// readOCI checks an OCI image layout made by OCI and returns the files of
// the export its layer holds; nil when no layer could be read (the
// problems say why).
func (v *Verified) readOCI(dir string, max int64) (map[string][]byte, error) {
	var problems []Problem
	all, err := readDir(dir, max, &problems)
	if err != nil {
		return nil, err
	}
	add := func(kind, file, format string, a ...any) {
		v.Problems = append(v.Problems, Problem{Kind: kind, File: file, Message: fmt.Sprintf(format, a...)})
	}
	v.Problems = append(v.Problems, problems...)
	used := map[string]bool{ocispec.ImageLayoutFile: true, ocispec.ImageIndexFile: true}
	var layout ocispec.ImageLayout
	if err := json.Unmarshal(all[ocispec.ImageLayoutFile], &layout); err != nil || layout.Version != ocispec.ImageLayoutVersion {
		add(ProblemInvalid, ocispec.ImageLayoutFile, "not an OCI layout marker of version %s", ocispec.ImageLayoutVersion)
	}
	blob := func(d ocispec.Descriptor, from string) ([]byte, bool) {
		if err := d.Digest.Validate(); err != nil || d.Digest.Algorithm() != digest.SHA256 {
			add(ProblemInvalid, from, "a descriptor with digest %q", d.Digest)
			return nil, false
		}
		name := "blobs/sha256/" + d.Digest.Encoded()
		used[name] = true
		data, ok := all[name]
		if !ok {
			add(ProblemMissing, name, "named by %s", from)
			return nil, false
		}
		if digest.FromBytes(data) != d.Digest || int64(len(data)) != d.Size {
			add(ProblemTampered, name, "content does not match its digest and size %d", d.Size)
			return nil, false
		}
		return data, true
	}
	var idx ocispec.Index
	if err := json.Unmarshal(all[ocispec.ImageIndexFile], &idx); err != nil {
		add(ProblemInvalid, ocispec.ImageIndexFile, "not an OCI image index: %v", err)
		return nil, nil
	}
	var files map[string][]byte
	for _, md := range idx.Manifests {
		mdata, ok := blob(md, ocispec.ImageIndexFile)
		if !ok {
			continue
		}
		var m ocispec.Manifest
		if err := json.Unmarshal(mdata, &m); err != nil {
			add(ProblemInvalid, "blobs/sha256/"+md.Digest.Encoded(), "not an OCI image manifest: %v", err)
			continue
		}
		blob(m.Config, "the image manifest")
		for _, l := range m.Layers {
			ldata, ok := blob(l, "the image manifest")
			if !ok || l.Annotations[ocispec.AnnotationTitle] != LayerTitle || files != nil {
				continue
			}
			var ps []Problem
			files, err = readTarGz(ldata, max, &ps)
			if err != nil {
				add(ProblemInvalid, "blobs/sha256/"+l.Digest.Encoded(), "%v", err)
				files = nil
			}
			v.Problems = append(v.Problems, ps...)
		}
	}
	for _, name := range sortedKeys(all) {
		if !used[name] {
			add(ProblemExtra, name, "not named by the index or the manifests")
		}
	}
	if files == nil {
		add(ProblemMissing, LayerTitle, "no layer holds the export")
	}
	return files, nil
}
