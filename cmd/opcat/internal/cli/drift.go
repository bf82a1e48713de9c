package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/drift"
	"github.com/opcat-dev/opcat/catalog/drift/live"
	"github.com/opcat-dev/opcat/catalog/export"
	"github.com/opcat-dev/opcat/lib/output"
	"github.com/spf13/cobra"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

type driftOptions struct {
	*globalOptions
	dump       string
	kubeconfig string
	context    string
	indexes    []string
	format     string
	strict     bool
	overlays   []string
	timeout    time.Duration
	stdin      io.Reader
	cluster    clusterFlags
}

func newDriftCmd(g *globalOptions) *cobra.Command {
	o := &driftOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "drift [DUMP] [--kubeconfig FILE] [--context NAME] [--index [SOURCE=]PATH]... [--format FORMAT]",
		Short: "Compare what the catalog installs with what a cluster has, as OLM sees it",
		Long: `Compare the desired state (every operator's default overlay, those chosen
with --overlay, or those the catalog's ApplicationSets deploy to a cluster with
the labels of --cluster-label/--cluster-labels-file, as opcat export selects
them) with a cluster: a DUMP file (or -
for stdin) made by

  oc get subscriptions.operators.coreos.com,operatorgroups,clusterserviceversions,installplans,catalogsources -A -o yaml

(or -o json; a List or a stream), or the API server of --kubeconfig/--context
(read only: it lists, nothing else; credential plugins are refused).
Each finding names the catalog file, line and column that set the value.

Exit codes: 0 no drift at error level (with --strict: no warning either),
1 drift found, 2 the command could not run, 130 interrupted (SIGINT, SIGTERM).

Rules (severity, id, what it finds):
` + driftRulesHelp(),
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.dump = args[0]
			}
			o.stdin = cmd.InOrStdin()
			return o.run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.kubeconfig, "kubeconfig", "", "read the live cluster of this kubeconfig")
	f.StringVar(&o.context, "context", "", "kubeconfig context (default: its current context)")
	f.StringArrayVar(&o.indexes, "index", nil, "operator index as [SOURCE=]PATH, for the channel heads (repeatable)")
	f.StringVar(&o.format, "format", "text", "output format: "+strings.Join(output.Formats(), ", "))
	f.BoolVar(&o.strict, "strict", false, "fail on warnings too")
	f.StringArrayVar(&o.overlays, "overlay", nil, "compare OVERLAY for OPERATOR instead of its default, as OPERATOR=OVERLAY (repeatable)")
	o.cluster.register(f, "compare")
	f.DurationVar(&o.timeout, "timeout", time.Minute, "with the live API: how long to wait for it")
	return cmd
}

func driftRulesHelp() string {
	var b strings.Builder
	for _, r := range drift.Rules() {
		fmt.Fprintf(&b, "  %-8s %-30s %s\n", r.Severity, r.ID, r.Short)
	}
	return b.String()
}

func (o *driftOptions) run(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	liveMode := o.kubeconfig != "" || o.context != ""
	switch {
	case o.dump != "" && liveMode:
		return usageError("give a DUMP or --kubeconfig/--context, not both")
	case o.dump == "" && !liveMode:
		return usageError("give a DUMP file (- for stdin), or --kubeconfig/--context for the live cluster")
	}
	w, err := output.New(o.format, output.Options{Color: (&validateOptions{globalOptions: o.globalOptions}).color()})
	if err != nil {
		return usageError("%v", err)
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
	set, err := loadIndexes(o.globalOptions, o.indexes, nil)
	if err != nil {
		return err
	}
	c, err := loadCatalog(ctx, o.dir, catalog.Options{})
	if err != nil {
		return err
	}
	d, err := drift.DesiredStateFor(c, export.Options{Overlays: chosen, Cluster: cluster})
	if err != nil {
		var be *export.BuildError
		if errors.As(err, &be) {
			return failure(fmt.Errorf("cannot compute the desired state: %w", err))
		}
		return usageError("%v", err)
	}
	var cl *drift.Cluster
	if liveMode {
		cfg, err := kubeConfig(o.kubeconfig, o.context)
		if err != nil {
			return usageError("kubeconfig: %v", err)
		}
		cfg.Timeout = o.timeout
		ctx, cancel := context.WithTimeout(ctx, o.timeout)
		defer cancel()
		cl, err = live.Fetch(ctx, cfg, d.Namespaces(), d.SourceNamespaces())
		if err != nil {
			return usageError("%v", err)
		}
	} else {
		in, name := o.stdin, "stdin"
		if o.dump != "-" {
			f, err := os.Open(o.dump)
			if err != nil {
				return usageError("%v", err)
			}
			defer f.Close()
			in, name = f, o.dump
		}
		cl, err = drift.ParseDump(name, in)
		if err != nil {
			return usageError("%v", err)
		}
	}
	report := drift.Check(d, cl, set)
	if !o.quiet {
		reportCluster(o.stderr, d.Cluster)
		for _, s := range d.Skipped {
			fmt.Fprintf(o.stderr, "opcat: %s left out: %s\n", s.Operator, s.Reason)
		}
	}
	if err := w.Write(o.stdout, output.FromDiag(report, "opcat", version())); err != nil {
		return usageError("%v", err)
	}
	if code := report.ExitCode(o.strict); code != 0 {
		return silent(code)
	}
	return nil
}

// kubeConfig loads a kubeconfig: file (or, when empty, $KUBECONFIG and
// ~/.kube/config) and context (or its current context). A user whose
// credentials come from an exec plugin or an auth provider is refused:
// opcat runs no programs.
func kubeConfig(file, context string) (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if file != "" {
		rules.ExplicitPath = file
	}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: context})
	raw, err := cc.RawConfig()
	if err != nil {
		return nil, err
	}
	name := context
	if name == "" {
		name = raw.CurrentContext
	}
	ctx, ok := raw.Contexts[name]
	if !ok {
		if name == "" {
			return nil, errors.New("the kubeconfig has no current context; give --context")
		}
		return nil, fmt.Errorf("the kubeconfig has no context %q", name)
	}
	if user, ok := raw.AuthInfos[ctx.AuthInfo]; ok {
		if user.Exec != nil {
			return nil, fmt.Errorf("user %q of context %q gets its credentials by running %q; opcat runs no programs: use a token or client certificate", ctx.AuthInfo, name, user.Exec.Command)
		}
		if user.AuthProvider != nil {
			return nil, fmt.Errorf("user %q of context %q uses the auth provider %q, which opcat does not run: use a token or client certificate", ctx.AuthInfo, name, user.AuthProvider.Name)
		}
	}
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, err
	}
	cfg.UserAgent = "opcat"
	return cfg, nil
}
