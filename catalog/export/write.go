package export

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// ErrExists is returned when the output exists, is not empty and overwriting
// was not asked for.
var ErrExists = errors.New("exists and is not empty")

// Media types of the OCI artifact.
const (
	// ArtifactType names an opcat export in an OCI image manifest.
	ArtifactType = "application/vnd.opcat.export.v1"
	// LayerTitle is the file name the layer is given (its
	// org.opencontainers.image.title), as `oras pull` writes it.
	LayerTitle = "export.tar.gz"
)

// mtime is the modification time written in archives: the commit time, or
// the Unix epoch when unknown (never the wall clock).
func (e *Export) mtime() time.Time {
	if e.Time.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return time.Unix(e.Time.Unix(), 0).UTC()
}

// TarGz returns the export as a gzip-compressed tar archive: folders (0755)
// and files (0644) in name order, owned by uid/gid 0 without owner names,
// every time the commit time; the gzip header holds neither name nor time.
// The same export always gives the same bytes.
func (e *Export) TarGz() ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(zw)
	mt := e.mtime()
	dirs := map[string]bool{}
	var names []string
	for _, f := range e.Files {
		for d := path.Dir(f.Name); d != "."; d = path.Dir(d) {
			if !dirs[d] {
				dirs[d] = true
				names = append(names, d+"/")
			}
		}
		names = append(names, f.Name)
	}
	sort.Strings(names)
	data := map[string][]byte{}
	for _, f := range e.Files {
		data[f.Name] = f.Data
	}
	for _, n := range names {
		hdr := &tar.Header{Name: n, ModTime: mt, Format: tar.FormatPAX}
		if strings.HasSuffix(n, "/") {
			hdr.Typeflag, hdr.Mode = tar.TypeDir, 0o755
		} else {
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeReg, 0o644, int64(len(data[n]))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if hdr.Typeflag == tar.TypeReg {
			if _, err := tw.Write(data[n]); err != nil {
				return nil, err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// OCI returns the files of an OCI image layout holding the export: one
// layer, the .tar.gz, an empty config, an image manifest of artifact type
// ArtifactType and index.json naming it with tag. Tools that read OCI
// layouts (oras, Flux's OCI sources through a registry) can push and pull it.
func (e *Export) OCI(tag string) ([]File, error) {
	layer, err := e.TarGz()
	if err != nil {
		return nil, err
	}
	annotations := map[string]string{
		ocispec.AnnotationTitle: LayerTitle,
	}
	manifestAnn := map[string]string{"dev.opcat.export.digest": e.Meta.Digest}
	if e.Meta.Source.Commit != "" {
		manifestAnn[ocispec.AnnotationRevision] = e.Meta.Source.Commit
	}
	if e.Meta.Source.Time != "" {
		manifestAnn[ocispec.AnnotationCreated] = e.Meta.Source.Time
	}
	cfg := ocispec.DescriptorEmptyJSON
	m := ocispec.Manifest{
		Versioned:    specs.Versioned{SchemaVersion: 2},
		MediaType:    ocispec.MediaTypeImageManifest,
		ArtifactType: ArtifactType,
		Config:       cfg,
		Layers: []ocispec.Descriptor{{
			MediaType:   ocispec.MediaTypeImageLayerGzip,
			Digest:      digest.FromBytes(layer),
			Size:        int64(len(layer)),
			Annotations: annotations,
		}},
		Annotations: manifestAnn,
	}
	mdata, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	idx := ocispec.Index{
		Versioned: specs.Versioned{SchemaVersion: 2},
		MediaType: ocispec.MediaTypeImageIndex,
		Manifests: []ocispec.Descriptor{{
			MediaType:    ocispec.MediaTypeImageManifest,
			ArtifactType: ArtifactType,
			Digest:       digest.FromBytes(mdata),
			Size:         int64(len(mdata)),
			Annotations:  map[string]string{ocispec.AnnotationRefName: tag},
		}},
	}
	idata, err := json.Marshal(idx)
	if err != nil {
		return nil, err
	}
	layout, err := json.Marshal(ocispec.ImageLayout{Version: ocispec.ImageLayoutVersion})
	if err != nil {
		return nil, err
	}
	blob := func(d []byte) string {
		h := sha256.Sum256(d)
		return "blobs/sha256/" + hex.EncodeToString(h[:])
	}
	files := []File{
		{Name: ocispec.ImageLayoutFile, Data: layout},
		{Name: ocispec.ImageIndexFile, Data: idata},
		{Name: blob(cfg.Data), Data: cfg.Data},
		{Name: blob(layer), Data: layer},
		{Name: blob(mdata), Data: mdata},
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// WriteDir writes files into the folder dir atomically: they are written to
// a new folder beside it, which then takes dir's place. An existing dir
// that is not empty is replaced only with force (ErrExists otherwise).
func WriteDir(dir string, files []File, force bool) error {
	if err := checkOutput(dir, true, force); err != nil {
		return err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		p := filepath.Join(tmp, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	var aside string
	if _, err := os.Lstat(dir); err == nil {
		aside = tmp + ".old"
		if err := os.Rename(dir, aside); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if aside != "" {
			_ = os.Rename(aside, dir)
		}
		return err
	}
	if aside != "" {
		return os.RemoveAll(aside)
	}
	return nil
}

// WriteFile writes data to file atomically (temporary file, then rename).
// An existing file that is not empty is replaced only with force.
func WriteFile(file string, data []byte, force bool) error {
	if err := checkOutput(file, false, force); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// checkOutput refuses an output that exists, is not empty and is of the
// other kind, or any non-empty one without force.
func checkOutput(p string, wantDir, force bool) error {
	st, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case wantDir && !st.IsDir():
		return fmt.Errorf("%s exists and is not a folder", p)
	case !wantDir && !st.Mode().IsRegular():
		return fmt.Errorf("%s exists and is not a regular file", p)
	}
	empty := st.Size() == 0
	if wantDir {
		entries, err := os.ReadDir(p)
		if err != nil {
			return err
		}
		empty = len(entries) == 0
	}
	if !empty && !force {
		return fmt.Errorf("%s %w", p, ErrExists)
	}
	return nil
}
