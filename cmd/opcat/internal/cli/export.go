package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/export"
	"github.com/opcat-dev/opcat/lib/gitref"
	"github.com/spf13/cobra"
)

type exportOptions struct {
	*globalOptions
	out          string
	overlays     []string
	oci          bool
	tag          string
	sourceCommit string
	force        bool
	verify       string
	digest       string
	cluster      clusterFlags
}

func newExportCmd(g *globalOptions) *cobra.Command {
	o := &exportOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "export -o DIR|FILE.tar.gz [--overlay OPERATOR=OVERLAY]... [--cluster-label KEY=VALUE]... [--oci] | --verify PATH",
		Short: "Render what a cluster runs into a checksummed folder, .tar.gz or OCI layout",
		Long: `Render every operator's default overlay (or the overlays chosen with --overlay)
into one manifest per overlay, objects ordered for apply (sync wave, then
Namespaces, OperatorGroups and CatalogSources, Subscriptions, then operands),
with SHA256SUMS and export.json: the source commit (read from .git in the
catalog root, never by running git), the commit time, opcat's and kustomize's
versions, the selection and the digest of the whole export. Operators without
a default overlay are left out and named on stderr.

--cluster-label KEY=VALUE (repeatable) and --cluster-labels-file FILE (the
cluster's Argo CD Secret, or a YAML map of labels) select instead the overlays
the catalog's ApplicationSets with a clusters generator would deploy to a
cluster with those labels: selectors evaluated as Kubernetes does, template
paths rendered with text/template's simple built-ins (index, printf, ...). An
ApplicationSet that cannot be evaluated is named on stderr and skipped;
operators that no ApplicationSet deploys to the cluster are left out.
export.json records the cluster and which ApplicationSet chose each overlay.

The same catalog and selection give the same bytes: a .tar.gz holds its files
in name order, modes 0644/0755, owner 0, every time the commit time (1970-01-01
when unknown), and a gzip header without name or time. --oci writes an OCI
image layout (oci-layout, index.json, blobs/sha256) whose one layer is that
.tar.gz, for oras or a registry that Flux reads.

--verify PATH checks an export (folder, .tar.gz or OCI layout): every checksum,
the digest, missing and extra files. Exit codes: 0 intact, 1 a problem found,
2 the command could not run. The export's digest is printed on stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.verify != "" {
				return o.runVerify()
			}
			return o.run()
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "output", "o", "", "output folder, or FILE.tar.gz")
	f.StringArrayVar(&o.overlays, "overlay", nil, "export OVERLAY for OPERATOR instead of its default, as OPERATOR=OVERLAY (repeatable)")
	o.cluster.register(f, "export")
	f.BoolVar(&o.oci, "oci", false, "write an OCI image layout folder")
	f.StringVar(&o.tag, "tag", "latest", "with --oci: the reference name in index.json")
	f.StringVar(&o.sourceCommit, "source-commit", "", "the commit to record when the catalog root holds no .git folder")
	f.BoolVar(&o.force, "force", false, "replace an existing, non-empty output")
	f.StringVar(&o.verify, "verify", "", "check the export at PATH instead of writing one")
	f.StringVar(&o.digest, "digest", "", "with --verify: the digest the export must have")
	return cmd
}

func (o *exportOptions) run() error {
	if o.out == "" {
		return usageError("give the output: -o DIR, -o FILE.tar.gz, or -o DIR --oci")
	}
	tarball := strings.HasSuffix(o.out, ".tar.gz") || strings.HasSuffix(o.out, ".tgz")
	if tarball && o.oci {
		return usageError("--oci writes a folder; give -o DIR")
	}
	chosen, err := overlayFlags(o.overlays)
	if err != nil {
		return err
	}
	cluster, err := o.cluster.options(o.dir)
	if err != nil {
		return err
	}
	if cluster != nil && len(chosen) > 0 {
		return usageError("--overlay and --cluster-label/--cluster-labels-file are two ways to choose overlays; give one")
	}
	src, note := o.source()
	if note != "" && !o.quiet {
		fmt.Fprintf(o.stderr, "opcat: %s\n", note)
	}
	c, err := loadCatalog(o.context(), o.dir, catalog.Options{})
	if err != nil {
		return err
	}
	e, err := export.Build(c, export.Options{Overlays: chosen, Cluster: cluster, Source: src, Version: version()})
	if err != nil {
		var be *export.BuildError
		if errors.As(err, &be) {
			return failure(fmt.Errorf("cannot export: %w", err))
		}
		return usageError("%v", err)
	}
	switch {
	case o.oci:
		files, err := e.OCI(o.tag)
		if err == nil {
			err = export.WriteDir(o.out, files, o.force)
		}
		if err != nil {
			return writeError(err)
		}
	case tarball:
		data, err := e.TarGz()
		if err == nil {
			err = export.WriteFile(o.out, data, o.force)
		}
		if err != nil {
			return writeError(err)
		}
	default:
		if err := export.WriteDir(o.out, e.Files, o.force); err != nil {
			return writeError(err)
		}
	}
	if !o.quiet {
		reportCluster(o.stderr, e.Meta.Cluster)
		for _, s := range e.Meta.Skipped {
			fmt.Fprintf(o.stderr, "opcat: %s left out: %s\n", s.Operator, s.Reason)
		}
		fmt.Fprintf(o.stderr, "opcat: exported %d overlays to %s\n", len(e.Meta.Selection), o.out)
	}
	_, err = fmt.Fprintln(o.stdout, e.Meta.Digest)
	return err
}

// source finds the commit to record, and a note when something is unknown.
func (o *exportOptions) source() (export.Source, string) {
	if o.sourceCommit != "" {
		src := export.Source{Commit: o.sourceCommit}
		t, err := gitref.CommitTime(o.dir, o.sourceCommit)
		switch {
		case err == nil:
			src.Time = t
		case errors.Is(err, fs.ErrNotExist):
			src.Note = "the commit object is not stored loose in the catalog root's .git; its time is not read"
		default:
			src.Note = "commit time unknown: " + err.Error()
		}
		return src, ""
	}
	c, err := gitref.Read(o.dir)
	if err != nil {
		note := "no source commit recorded: " + err.Error() + "; give --source-commit SHA"
		return export.Source{Note: err.Error()}, note
	}
	return export.Source{Commit: c.Hash, Ref: c.Ref, Time: c.Time, Note: c.TimeNote}, ""
}

func (o *exportOptions) runVerify() error {
	if o.out != "" || len(o.overlays) > 0 || o.oci || o.cluster.set() {
		return usageError("--verify takes no -o, --overlay, --cluster-label or --oci")
	}
	v, err := export.Verify(o.verify, export.VerifyOptions{Digest: o.digest})
	if err != nil {
		return usageError("cannot verify %s: %v", o.verify, err)
	}
	for _, p := range v.Problems {
		fmt.Fprintln(o.stdout, p.String())
	}
	if !v.OK() {
		return failure(fmt.Errorf("%s: %d problems in the %s export", o.verify, len(v.Problems), v.Layout))
	}
	if !o.quiet {
		fmt.Fprintf(o.stderr, "opcat: %s: %d files intact (%s)\n", o.verify, v.Files, v.Layout)
	}
	_, err = fmt.Fprintln(o.stdout, v.Digest)
	return err
}

// overlayFlags reads --overlay OPERATOR=OVERLAY flags.
func overlayFlags(flags []string) (map[string]string, error) {
	chosen := map[string]string{}
	for _, s := range flags {
		op, ov, ok := strings.Cut(s, "=")
		if !ok || op == "" || ov == "" {
			return nil, usageError("--overlay %q: want OPERATOR=OVERLAY", s)
		}
		if prev, dup := chosen[op]; dup && prev != ov {
			return nil, usageError("--overlay %s given twice (%s and %s)", op, prev, ov)
		}
		chosen[op] = ov
	}
	return chosen, nil
}

// writeError is the usage error for an export that could not be written,
// naming the flag that replaces an existing output.
func writeError(err error) error {
	if errors.Is(err, export.ErrExists) {
		return usageError("%v; give --force to replace it", err)
	}
	return usageError("%v", err)
}
