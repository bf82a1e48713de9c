// Package cli holds opcat's commands: one file per verb, each filling an
// options struct from its flags and calling the library.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/opcat-dev/opcat/lib/kustomize"
	"github.com/spf13/cobra"

	"github.com/opcat-dev/opcat/lib/output"
)

// Exit codes, as documented in the README.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
	// exitInterrupted is the exit code of a run stopped by SIGINT or
	// SIGTERM (its context cancelled): 128 + SIGINT, as shells report it.
	exitInterrupted = 130
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is an error for which the command could not run (exit 2).
func usageError(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// failure is an error with exit code 1.
func failure(err error) error { return &exitError{code: exitFindings, err: err} }

// silent exits with code without printing anything more.
func silent(code int) error { return &exitError{code: code} }

// globalOptions are the flags every command takes.
type globalOptions struct {
	dir     string
	noColor bool
	quiet   bool
	// maxIndexSize is --max-index-size of the commands that take --index.
	maxIndexSize int64
	stdout       io.Writer
	stderr       io.Writer
	// The build cache: --cache-dir, --no-cache, opened on first use.
	cacheDir    string
	noCache     bool
	cacheOpened bool
	cache       *kustomize.Cache
	// ctx is the context of the running command (cancelled on SIGINT or
	// SIGTERM), set before the command runs.
	ctx context.Context
}

// context returns the context of the running command.
func (g *globalOptions) context() context.Context {
	if g.ctx == nil {
		return context.Background()
	}
	return g.ctx
}

// Main runs opcat with args and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return MainContext(context.Background(), args, stdin, stdout, stderr)
}

// MainContext is Main under ctx: once ctx is done (main cancels it on
// SIGINT and SIGTERM) the command stops at its next check — between
// files read and between builds — and the run ends with "interrupted" and
// exit code 130, whatever the command was doing.
func MainContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	root.SetIn(stdin)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil {
		// What failed failed because the run was stopped; the cause is the
		// news, not the error it left.
		if cause := context.Cause(ctx); cause != ctx.Err() {
			fmt.Fprintf(stderr, "opcat: interrupted: %s\n", output.Escape(cause.Error()))
		} else {
			fmt.Fprintln(stderr, "opcat: interrupted")
		}
		return exitInterrupted
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			// Errors quote file names and content: escape what could
			// drive the terminal.
			fmt.Fprintf(stderr, "opcat: %s\n", output.Escape(ee.err.Error()))
		}
		return ee.code
	}
	// Errors from cobra itself: unknown flags and commands, bad arguments.
	fmt.Fprintf(stderr, "opcat: %s\n", output.Escape(err.Error()))
	return exitUsage
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	g := &globalOptions{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "opcat",
		Short: "Scaffold, validate and render GitOps catalogs of OLM operators",
		Long: `opcat works on Git repositories of kustomize bases and overlays that install
OLM operators through Subscription objects, one overlay per channel or version.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			g.ctx = cmd.Context()
			if os.Getenv("NO_COLOR") != "" {
				g.noColor = true
			}
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVarP(&g.dir, "dir", "C", ".", "catalog root")
	root.PersistentFlags().BoolVar(&g.noColor, "no-color", false, "never colour output (NO_COLOR is honoured too)")
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false, "print only what a program reads")
	root.PersistentFlags().StringVar(&g.cacheDir, "cache-dir", "", "build cache folder (default: $OPCAT_CACHE_DIR, else opcat in the user cache folder)")
	root.PersistentFlags().BoolVar(&g.noCache, "no-cache", false, "build everything, reading and writing no build cache")
	root.AddCommand(
		newInitCmd(g),
		newAddCmd(g),
		newListCmd(g),
		newValidateCmd(g),
		newFixCmd(g),
		newRenderCmd(g),
		newOutdatedCmd(g),
		newSyncCmd(g),
		newIndexCmd(g),
		newExportCmd(g),
		newDriftCmd(g),
		newVersionCmd(g),
		newCompletionCmd(g),
	)
	return root
}
