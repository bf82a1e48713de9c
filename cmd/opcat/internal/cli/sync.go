package cli

import (
	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/generator"
	"github.com/spf13/cobra"
)

type syncOptions struct {
	*globalOptions
	planFlags
	sync    generator.SyncOptions
	indexes []string
}

func newSyncCmd(g *globalOptions) *cobra.Command {
	o := &syncOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "sync OPERATOR...",
		Short: "Bring operators up to date with the operator indexes",
		Long: `Bring each OPERATOR (the operator's folder, or its last element when that is
unique) up to date with the operator indexes (--index [SOURCE=]PATH,
repeatable, PATH relative to -C, and those listed under indexes: in
.opcat.yaml), fixing what opcat outdated lists:

  - a channel newer than every channel with an overlay gets an overlay, which
    pins the channel's head when the operator's installPlanApproval is Manual;
  - a startingCSV behind its channel's head is set to the head, in place in
    the patch that sets it (comments and everything else stay);
  - with --prune, the overlay of a channel the index no longer has is deleted,
    and a default pointer that selected it is pointed at the overlay of the
    index's default channel; without --prune it is only reported;
  - the overlay lists of the READMEs are refreshed.

An operator installed with OLM v1 (a ClusterExtension) gets the same: an
overlay per new channel (pinning the head's version when the default overlay
holds an exact version), a version range behind its channel's head moved to
the head in place (an exact version stays exact, >=X becomes >=HEAD), and
with --prune the overlays of gone channels deleted.

--dry-run prints the changes as a unified diff (deletions included) and
writes nothing. Running the same sync twice changes nothing the second time.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := requireIndexes(g, o.indexes, "opcat sync")
			if err != nil {
				return err
			}
			c, err := o.loadCatalog(catalog.Options{})
			if err != nil {
				return err
			}
			o.sync.Root, o.sync.Operators, o.sync.Index = o.dir, args, set
			o.index = set
			p, err := generator.Sync(c, o.sync)
			if err != nil {
				return planError(err)
			}
			return finish(g, p, o.planFlags)
		},
	}
	f := cmd.Flags()
	addIndexFlags(f, o.globalOptions, &o.indexes)
	f.BoolVar(&o.sync.Prune, "prune", false, "delete the overlays of channels the index no longer has")
	f.StringVar(&o.sync.Templates, "templates", "", "folder of templates overriding the built-in ones")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the changes as a unified diff and write nothing")
	f.BoolVar(&o.force, "force", false, "overwrite existing files that would change")
	return cmd
}
