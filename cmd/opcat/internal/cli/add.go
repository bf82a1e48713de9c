package cli

import (
	"errors"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/generator"
	"github.com/operator-framework/api/pkg/operators/v1alpha1"
	"github.com/spf13/cobra"
)

func newAddCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Add an operator or an overlay to the catalog",
	}
	cmd.AddCommand(newAddOperatorCmd(g), newAddOverlayCmd(g), newAddArgoCDCmd(g))
	return cmd
}

type addOperatorOptions struct {
	*globalOptions
	planFlags
	op      generator.OperatorOptions
	csvs    []string
	indexes []string
	// installMode and approval are the flags, as given.
	installMode, approval string
}

func newAddOperatorCmd(g *globalOptions) *cobra.Command {
	o := &addOperatorOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "add operator PACKAGE",
		Short: "Add an operator: base Subscription, one overlay per channel, default pointer, README",
		Long: `Add an operator to the catalog: <group>/<name>/operator/base with the Subscription
(and, outside openshift-operators, a Namespace and an OperatorGroup whose targets
follow --install-mode), one overlay per --channel that patches spec.channel and
spec.startingCSV, the default pointer and the operator README.

With --index [SOURCE=]PATH the package is read from an operator index: one
overlay per channel it has (or per --channel, which must be among them), the
default pointer at its default channel (unless --default), the OperatorGroup
from the install modes of the default channel's head, --source from SOURCE
(unless --source), and with --approval Manual each overlay pins its channel's
head. A package or channel the index lacks exits 2.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.op.Root = o.dir
			o.op.Package = args[0]
			csvs, err := parseCSVFlags(o.csvs)
			if err != nil {
				return err
			}
			o.op.CSVs = csvs
			o.op.InstallMode = v1alpha1.InstallModeType(o.installMode)
			o.op.Approval = v1alpha1.Approval(o.approval)
			if len(o.indexes) > 0 {
				set, err := loadIndexes(g, o.indexes, nil)
				if err != nil {
					return err
				}
				o.op.Index = set
				o.index = set
			}
			p, err := generator.AddOperator(o.op)
			var nf *generator.PackageNotFoundError
			if errors.As(err, &nf) {
				return usageError("package %s is not in the index%s given (%s)", o.op.Package, plural(len(o.indexes)), strings.Join(o.indexes, ", "))
			}
			if err != nil {
				return planError(err)
			}
			return finish(g, p, o.planFlags)
		},
	}
	cmd.Use = "operator PACKAGE"
	f := cmd.Flags()
	f.StringVar(&o.op.Name, "name", "", "operator folder name (default: the package)")
	f.StringVar(&o.op.Group, "group", "", "grouping folder, e.g. cp4i-operators")
	f.StringVar(&o.op.Source, "source", "", "CatalogSource name (default redhat-operators)")
	f.StringVar(&o.op.SourceNamespace, "source-namespace", "", "CatalogSource namespace (default openshift-marketplace)")
	f.StringVar(&o.op.Namespace, "namespace", "", "namespace of the Subscription (default openshift-operators)")
	f.StringArrayVar(&o.op.Channels, "channel", nil, "channel to add an overlay for (repeatable; default with --index: every channel)")
	f.StringArrayVar(&o.csvs, "csv", nil, "startingCSV of a channel, as CHANNEL=CSV (repeatable)")
	f.StringVar(&o.op.Default, "default", "", "default overlay (default: the last --channel)")
	f.StringVar(&o.installMode, "install-mode", "", "AllNamespaces, OwnNamespace, SingleNamespace or MultiNamespace")
	f.StringSliceVar(&o.op.TargetNamespaces, "target-namespaces", nil, "namespaces the OperatorGroup targets: one for SingleNamespace, several for MultiNamespace")
	f.StringVar(&o.approval, "approval", "", "installPlanApproval: Automatic (default) or Manual")
	addIndexFlags(f, o.globalOptions, &o.indexes)
	f.StringVar(&o.op.Templates, "templates", "", "folder of templates overriding the built-in ones")
	f.StringVar(&o.op.OLM, "olm", "v0", "v0: a Subscription; v1: an OLM v1 ClusterExtension (--source then names the ClusterCatalog)")
	f.BoolVar(&o.op.InstallerServiceAccount, "installer-service-account", false, "with --olm v1: the installer ServiceAccount and RBAC that operator-controller before v1.11 needs")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the changes as a unified diff and write nothing")
	f.BoolVar(&o.force, "force", false, "overwrite existing files that would change")
	return cmd
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "es"
}

// parseCSVFlags reads --csv CHANNEL=CSV values.
func parseCSVFlags(values []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range values {
		ch, csv, ok := strings.Cut(v, "=")
		if !ok || ch == "" || csv == "" {
			return nil, usageError("--csv %q: use CHANNEL=CSV, e.g. v2.5=ibm-eventstreams.v2.5.1", v)
		}
		if _, dup := out[ch]; dup {
			return nil, usageError("--csv gives channel %s twice", ch)
		}
		out[ch] = csv
	}
	return out, nil
}

type addOverlayOptions struct {
	*globalOptions
	planFlags
	ov      generator.OverlayOptions
	indexes []string
}

func newAddOverlayCmd(g *globalOptions) *cobra.Command {
	o := &addOverlayOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "overlay OPERATOR CHANNEL",
		Short: "Add an overlay for a channel to an operator",
		Long: `Add an overlay that installs CHANNEL (pinning --csv when given) to an existing
operator; update its default pointer (with --default, or when it has none) and
the overlay lists in the READMEs, in place.

CHANNEL is written exactly as given (quoted where YAML would read it as
something else, e.g. yes or 1.10) and names the overlay's folder; give
--name DIR when the channel cannot be a folder name.

With --index [SOURCE=]PATH the channel must be in the operator's package (found
through its Subscription's source), a --csv must be in the channel, and when
the operator's installPlanApproval is Manual and no --csv is given the overlay
pins the channel's head.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ov.Root, o.ov.Operator, o.ov.Channel = o.dir, args[0], args[1]
			if len(o.indexes) > 0 {
				set, err := loadIndexes(g, o.indexes, nil)
				if err != nil {
					return err
				}
				o.ov.Index = set
				o.index = set
			}
			c, err := o.loadCatalog(catalog.Options{})
			if err != nil {
				return err
			}
			p, err := generator.AddOverlay(c, o.ov)
			if err != nil {
				return planError(err)
			}
			return finish(g, p, o.planFlags)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.ov.CSV, "csv", "", "startingCSV to pin")
	f.StringVar(&o.ov.Name, "name", "", "the overlay's folder (default: the channel)")
	f.BoolVar(&o.ov.Default, "default", false, "make it the default overlay")
	addIndexFlags(f, o.globalOptions, &o.indexes)
	f.StringVar(&o.ov.Templates, "templates", "", "folder of templates overriding the built-in ones")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the changes as a unified diff and write nothing")
	f.BoolVar(&o.force, "force", false, "overwrite existing files that would change")
	return cmd
}
