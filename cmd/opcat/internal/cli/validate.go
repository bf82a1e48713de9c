package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/opcat-dev/opcat/catalog"
	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/fsroot"
	"github.com/opcat-dev/opcat/lib/index"
	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/opcat-dev/opcat/lib/output"
	"github.com/spf13/cobra"
)

type validateOptions struct {
	*globalOptions
	paths       []string
	format      string
	strict      bool
	config      string
	jobs        int
	maxFileSize int64
	indexes     []string
	pathPrefix  string
}

func newValidateCmd(g *globalOptions) *cobra.Command {
	o := &validateOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "validate [PATH|OPERATOR...]",
		Short: "Check the catalog: builds, patches, Subscriptions, OperatorGroups",
		Long: `Check every kustomization of the catalog the way kustomize builds it, plus what
kustomize and OLM only find out on a cluster. PATHs (relative to -C) and
OPERATORs (an operator's folder, or its last element when that is unique)
limit the findings to those operators and the operators under those paths;
the whole catalog is still read.

Exit codes: 0 no finding at error level (with --strict: no warning either),
1 findings at that level, 2 the command could not run, 130 interrupted
(SIGINT, SIGTERM).

Rules (severity, id, what it finds):
` + rulesHelp(),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.paths = args
			return o.run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "text", "output format: "+strings.Join(output.Formats(), ", "))
	f.BoolVar(&o.strict, "strict", false, "fail on warnings too")
	f.StringVar(&o.config, "config", "", "configuration file (default: .opcat.yaml at the catalog root)")
	f.IntVar(&o.jobs, "jobs", 0, "kustomizations built at once (default: the number of CPUs)")
	f.Int64Var(&o.maxFileSize, "max-file-size", 10<<20, "largest file read, in bytes")
	addIndexFlags(f, o.globalOptions, &o.indexes)
	f.StringVar(&o.pathPrefix, "path-prefix", "auto", "folder of the catalog in its Git repository, prefixed to paths in sarif and github output (auto: found from the .git above -C; \".\" for none)")
	return cmd
}

func rulesHelp() string {
	var b strings.Builder
	for _, r := range lint.Rules() {
		fmt.Fprintf(&b, "  %-8s %-36s %s\n", r.Severity, r.ID, r.Short)
	}
	return b.String()
}

func (o *validateOptions) run(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	prefix := o.pathPrefix
	if prefix == "auto" {
		prefix = repoPrefix(o.dir)
	}
	w, err := output.New(o.format, output.Options{Color: o.color(), PathPrefix: filepath.ToSlash(prefix)})
	if err != nil {
		return usageError("%v", err)
	}
	cfgFile, optional := o.config, false
	if cfgFile == "" {
		if err := fsroot.Check(o.dir, lint.ConfigFile); err != nil {
			return usageError("%s: %v", filepath.Join(o.dir, lint.ConfigFile), err)
		}
		cfgFile, optional = filepath.Join(o.dir, lint.ConfigFile), true
	}
	cfg, err := lint.LoadConfig(cfgFile, optional)
	if err != nil {
		return usageError("%v", err)
	}
	args, err := argPaths(o.dir, o.paths)
	if err != nil {
		return err
	}

	set, err := loadIndexes(o.globalOptions, o.indexes, cfg.Indexes)
	if err != nil {
		return err
	}
	// Without an index, a run on a catalog, configuration and arguments
	// that a run of this binary checked already gives its result back.
	var (
		tree  *kustomize.Tree
		key   string
		res   validateResult
		found bool
	)
	cache := o.buildCache()
	if cache != nil && len(o.indexes) == 0 && len(cfg.Indexes) == 0 {
		if tree, err = kustomize.ReadTree(o.dir, kustomize.TreeOptions{MaxFileSize: o.maxFileSize, Context: ctx}); err != nil {
			return usageError("%v", fmt.Errorf("unable to load catalog: %w", err))
		}
		key = o.validateKey(tree, cfgFile, args)
		res, found = cachedResult(cache, key)
	}
	if !found {
		if res, err = o.check(ctx, tree, cfg, args, set); err != nil {
			return err
		}
		if key != "" {
			storeResult(cache, key, res)
		}
	}
	report := res.report()
	if err := w.Write(o.stdout, output.FromDiag(report, "opcat", version())); err != nil {
		return usageError("%v", err)
	}
	if code := report.ExitCode(o.strict); code != 0 {
		return silent(code)
	}
	return nil
}

// check loads the catalog (from tree when it was read already) and runs
// the rules on it.
func (o *validateOptions) check(ctx context.Context, tree *kustomize.Tree, cfg lint.Config, args []argPath, set index.Set) (validateResult, error) {
	var c *catalog.Catalog
	opts := catalog.Options{Jobs: o.jobs, MaxFileSize: o.maxFileSize}
	if tree != nil {
		opts.Cache = o.buildCache()
		c = catalog.FromTree(tree, opts)
		c.Root = o.dir
	} else {
		var err error
		if c, err = o.loadCatalog(opts); err != nil {
			return validateResult{}, err
		}
	}
	paths, err := scopePaths(c, args)
	if err != nil {
		return validateResult{}, err
	}
	o.paths = paths
	lopts := lint.Options{Paths: o.paths, Index: set, RepoURLs: repoURLs(o.dir)}
	report, err := lint.Validate(ctx, c, cfg, lopts)
	if err != nil {
		return validateResult{}, usageError("%v", err)
	}
	return validateResult{Findings: report.Findings, Summary: report.Summary, Scope: report.Scope}, nil
}

// color reports whether output may be coloured: stdout is a terminal and
// neither --no-color nor NO_COLOR says otherwise.
func (o *validateOptions) color() bool {
	if o.noColor || os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := o.stdout.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// repoPrefix returns the folder of the catalog root in the Git repository
// that holds it: the nearest folder at or above root with a .git entry
// (only its presence is looked at), as a slash path; "" when the root is the
// repository's top or no repository is found.
func repoPrefix(root string) string {
	abs, err := filepath.Abs(root)
	if err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	for dir := abs; ; {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			rel, err := filepath.Rel(dir, abs)
			if err != nil || rel == "." {
				return ""
			}
			return filepath.ToSlash(rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
