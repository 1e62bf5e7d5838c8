// Command b24org is a terminal org browser for Bitrix24 portals: the
// department tree, the people in each department with presence, and search
// by name or phone extension; plus find and export for scripts.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/ui"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
)

// version is set at build time: go build -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], &env{
		stdout:           os.Stdout,
		stderr:           os.Stderr,
		getenv:           os.Getenv,
		stdoutIsTerminal: isatty.IsTerminal(os.Stdout.Fd()),
		stderrIsTerminal: isatty.IsTerminal(os.Stderr.Fd()),
		termWidth: func() int {
			w, _, err := term.GetSize(os.Stdout.Fd())
			if err != nil {
				return 0
			}
			return w
		},
	}))
}

// env is what one run of the program sees of the outside world.
type env struct {
	stdout, stderr   io.Writer
	getenv           func(string) string
	stdoutIsTerminal bool
	stderrIsTerminal bool
	termWidth        func() int // stdout's terminal width, 0 when unknown (nil: unknown)
}

// app is one run of the program: its environment and its global flags.
type app struct {
	*env
	flags flagValues

	warnings []string             // what warn said, for the browser's status bar
	onRetry  func(api.RetryEvent) // told about each pending retry (nil: nothing)
	status   *statusLine          // the transient line on a terminal's stderr, once set up
	language *lang.Language       // the config's language:, once read (nil: the locale's)
}

// lang is the language of this run: the config's language: once it is read,
// else the locale's (LC_ALL, LC_MESSAGES, LANG), else English.
func (a *app) lang() *lang.Language {
	if a.language != nil {
		return a.language
	}
	l, _ := lang.FromEnv(a.getenv)
	return l
}

// run executes the command line args and returns the exit code.
func run(args []string, e *env) int {
	a := &app{env: e}
	root := a.rootCmd()
	root.SetArgs(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := root.ExecuteContext(ctx)
	code := command.ExitCode(err)
	if code == command.ExitError {
		fmt.Fprintln(e.stderr, "b24org: "+command.ErrorLine(a.lang(), err))
	}
	return code
}

// warn prints one line on stderr and keeps it for the browser.
func (a *app) warn(msg string) {
	msg = strings.Join(strings.Fields(msg), " ")
	a.warnings = append(a.warnings, msg)
	fmt.Fprintln(a.stderr, "b24org: "+msg)
}

// rootCmd builds the command tree.
func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "b24org",
		Short: a.lang().T("root.short"),
		Long:  a.lang().T("root.long"),
		Example: `  b24org --demo
  b24org --webhook https://acme.bitrix24.com/rest/1/CODE/
  B24_WEBHOOK_URL=https://acme.bitrix24.com/rest/1/CODE/ b24org --theme light
  b24org --config ./team.yaml --refresh`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return lang.NewError("cli.command.unknown", "Name", strconv.Quote(args[0]))
			}
			return nil
		},
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE:          a.runTUI,
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return lang.NewError("cli.flag.error", "Err", command.FlagError(err), "Command", c.CommandPath())
	})
	root.Version = version
	root.SetVersionTemplate(strings.ReplaceAll(command.VersionText(version), "{{", "{{`{{`}}"))
	root.Flags().Bool("version", false, a.lang().T("flag.version"))
	f := root.PersistentFlags()
	f.StringVar(&a.flags.webhook, "webhook", "", a.lang().T("flag.webhook"))
	f.StringVar(&a.flags.config, "config", "", a.lang().T("flag.config"))
	f.StringVar(&a.flags.theme, "theme", "", a.lang().T("flag.theme"))
	f.StringVar(&a.flags.rate, "rate", "", a.lang().T("flag.rate"))
	f.StringVar(&a.flags.cacheDir, "cache-dir", "", a.lang().T("flag.cache-dir"))
	f.BoolVar(&a.flags.noCache, "no-cache", false, a.lang().T("flag.no-cache"))
	f.BoolVar(&a.flags.refresh, "refresh", false, a.lang().T("flag.refresh"))
	f.BoolVar(&a.flags.demo, "demo", false, a.lang().T("flag.demo"))
	f.BoolVar(&a.flags.demoHostile, "demo-hostile", false, a.lang().T("flag.demo-hostile"))
	f.DurationVar(&a.flags.timeout, "timeout", 0, a.lang().T("flag.timeout"))
	f.IntVar(&a.flags.retries, "retries", api.DefaultMaxRetries, a.lang().T("flag.retries"))
	f.StringVar(&a.flags.links, "links", "", a.lang().T("flag.links"))
	completeValues(root, "theme", strings.Split(themeNames, ", ")...)
	completeValues(root, "links", strings.Split(ui.LinkModeNames, ", ")...)
	completeValues(root, "rate", "standard", "enterprise")
	f.BoolVar(&a.flags.outsiders, "include-outsiders", false, a.lang().T("flag.include-outsiders"))

	root.Flags().BoolVar(&a.flags.plain, "plain", false, a.lang().T("flag.plain"))

	c := a.commands()
	root.AddCommand(c.FindCmd(), c.ExportCmd(), c.CallerCmd(), c.VersionCmd(), a.serveCmd())
	for _, sub := range root.Commands() {
		// A command's own FlagErrorFunc (find's, caller's) is handed
		// pflag's error as one that says itself in the language too.
		say := sub.FlagErrorFunc()
		sub.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return say(c, command.FlagError(err)) })
	}
	command.LocalizeHelp(root, a.lang())
	return root
}

// completeValues makes shell completion offer values for the flag name of
// cmd (and no file names).
func completeValues(cmd *cobra.Command, name string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// settings merges flags, environment and config file.
func (a *app) settings() (settings, error) {
	s, err := resolve(a.flags, a.getenv, a.warn)
	if s.language != nil { // its errors too speak the config's language:
		a.language = s.language
	}
	return s, err
}

// open returns a Directory over the configured portal, or over a demo portal
// started in this process; close releases what it started.
func (a *app) open(s settings) (d *directory.Directory, closeFn func(), err error) {
	if s.demo {
		return a.openDemo(s)
	}
	if !s.hasPortal {
		return nil, nil, errNoPortal(s.configPath)
	}
	s.client.OnRetry = a.onRetry
	client, err := api.New(s.client)
	if err != nil {
		return nil, nil, lang.NewError("cli.setby", "Err", err, "Source", s.portalSource)
	}
	d = directory.New(client, directory.Options{CacheDir: s.cacheDir, NoCache: s.noCache, IncludeOutsiders: s.outsiders, FullLoadEvery: s.fullLoadEvery, Region: s.region, Availability: true})
	return d, func() {}, nil
}

// runTUI runs the terminal browser.
func (a *app) runTUI(cmd *cobra.Command, _ []string) error {
	s, err := a.settings()
	if err != nil {
		return err
	}
	keys, palette, err := lookFor(s)
	if err != nil {
		return err
	}
	plain := a.flags.plain || ui.Accessible(a.getenv("ACCESSIBLE"))
	if !a.stdoutIsTerminal && !plain { // plain lines may go to a pipe or a file; the keys come from the terminal
		return lang.NewError("cli.needsterminal")
	}
	s.demoCache = true
	var prog atomic.Pointer[tea.Program]
	a.onRetry = func(ev api.RetryEvent) {
		if p := prog.Load(); p != nil {
			p.Send(ui.RetryNotice(ev)) // returns at once once the program has ended
		}
	}
	d, closeFn, err := a.open(s)
	if err != nil {
		return err
	}
	defer closeFn()
	var rest func() error
	if !s.refresh {
		if rest, err = d.LoadCacheStaged(); err != nil {
			a.warn(a.lang().T("cache.ignored", "Err", err))
		}
	}
	favourites := directory.NewStates(s.stateDir, d.StateKey()).For("")
	var plainOut *ui.PlainOutput
	if plain {
		plainOut = ui.NewPlainOutput(a.stdout)
	}
	browser := func() *ui.Model {
		o := ui.Options{
			Favourites:   favourites,
			Directory:    d,
			Language:     a.lang(),
			Keys:         keys,
			Palette:      palette,
			Threshold:    s.threshold,
			RefreshEvery: s.refreshEvery,
			PresenceAge:  s.presenceAge,
			Background:   s.background,
			Warnings:     a.warnings,
			CopyNote:     tmuxCopyNote(a.lang(), os.Getenv("TMUX")),
			Links:        s.links.On(a.getenv("TERM")),
		}
		if plain {
			// No colour, and the copy's OSC52 goes out in its place
			// among the lines.
			o.Plain, o.Palette, o.Links = true, ui.Palette{}, false
			o.Renderer = lipgloss.NewRenderer(plainOut, termenv.WithProfile(termenv.Ascii))
			o.Copy = termenv.NewOutput(plainOut, termenv.WithProfile(termenv.Ascii)).Copy
		}
		return ui.New(o)
	}
	var m tea.Model
	if rest != nil {
		m = ui.NewStagedStart(browser(), rest, browser)
	} else {
		m = browser()
	}
	if plain {
		return runPlain(cmd.Context(), ui.NewPlain(m, plainOut), plainOut, &prog)
	}
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(cmd.Context()))
	prog.Store(p)
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return lang.NewError("cli.terminal", "Err", err)
	}
	return nil
}

// runPlain runs the plain front end. Bubble Tea without its renderer
// leaves the terminal as it is, so the raw mode that gives single keys is
// set here (and undone after); the lines end in CR LF for it.
func runPlain(ctx context.Context, m tea.Model, out *ui.PlainOutput, prog *atomic.Pointer[tea.Program]) error {
	in := os.Stdin
	if !term.IsTerminal(in.Fd()) {
		tty, err := os.Open("/dev/tty")
		if err != nil {
			return lang.NewError("cli.plain.tty", "Err", err)
		}
		defer tty.Close()
		in = tty
	}
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return lang.NewError("cli.terminal", "Err", err)
	}
	defer func() { _ = term.Restore(in.Fd(), state) }()
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithoutRenderer(), tea.WithContext(ctx))
	prog.Store(p)
	_, err = p.Run()
	_ = out.Flush() // what the last update said
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return lang.NewError("cli.terminal", "Err", err)
	}
	return nil
}
