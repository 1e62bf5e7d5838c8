package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	"github.com/b24org/b24org/ui"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
)

// findWait is how long a find waits for the first full load before it asks
// the portal instead.
const findWait = 10 * time.Second

// Why a session ended early; each is said to the client in one line, in
// its language, and logged in English.
var (
	errIdle       = lang.NewError("serve.idle")
	errMaxSession = lang.NewError("serve.maxsession")
	errShutdown   = lang.NewError("serve.shutdown")
)

// sessionLang is the language of a session: the client's locale as it
// sends it (LC_ALL, LC_MESSAGES, LANG: OpenSSH's SendEnv or SetEnv), else
// the server's.
func (srv *Server) sessionLang(s ssh.Session) *lang.Language {
	l, err := lang.FromEnv(sessionEnv(s.Environ()).Getenv)
	if err != nil {
		return srv.language()
	}
	return l
}

// language is the server's language: what a session speaks when its
// client sends no locale, and what a client is told before it has
// logged in.
func (srv *Server) language() *lang.Language {
	if srv.cfg.Language != nil {
		return srv.cfg.Language
	}
	return lang.English()
}

// servedSession is a session inside its limits: its context ends at the
// idle timeout, the time limit, shutdown or the end of the connection, and
// its reads count as activity.
type servedSession struct {
	ssh.Session
	ctx       context.Context
	sshCtx    limitedContext
	cs        *channelState // the terminal sizes asked for; nil in tests without a channel
	lastInput atomic.Int64  // unix nanoseconds
	exit      int
	lang      *lang.Language // the language the session speaks
}

// Context is the connection's context, ended with the session's limits too
// (the bubbletea middleware quits the program when it ends).
func (s *servedSession) Context() ssh.Context { return s.sshCtx }

// Read reads input and notes the time.
func (s *servedSession) Read(p []byte) (int, error) {
	n, err := s.Session.Read(p)
	if n > 0 {
		s.lastInput.Store(time.Now().UnixNano())
	}
	return n, err
}

// limitedContext is an ssh.Context (values, user, addresses) that is done
// when another context is.
type limitedContext struct {
	ssh.Context
	done context.Context
}

// Deadline is the limiting context's.
func (c limitedContext) Deadline() (time.Time, bool) { return c.done.Deadline() }

// Done is the limiting context's.
func (c limitedContext) Done() <-chan struct{} { return c.done.Done() }

// Err is the limiting context's.
func (c limitedContext) Err() error { return c.done.Err() }

// wantsTUI reports whether a session gets the browser: a PTY and no
// command, or the command --plain (ssh -t HOST -- --plain).
func wantsTUI(s ssh.Session) bool {
	_, _, pty := s.Pty()
	return pty && (len(s.Command()) == 0 || plainCommand(s.Command()))
}

// plainCommand reports whether a session's command asks for the plain
// browser.
func plainCommand(args []string) bool { return len(args) == 1 && args[0] == "--plain" }

// wantsPlain reports whether a browser session asks for the plain front
// end: the command --plain, or ACCESSIBLE in the environment the client
// sent (ssh -o SetEnv=ACCESSIBLE=1, or SendEnv ACCESSIBLE).
func wantsPlain(s ssh.Session) bool {
	return plainCommand(s.Command()) || ui.Accessible(sessionEnv(s.Environ()).Getenv("ACCESSIBLE"))
}

// sessionMiddleware runs first for every session: the session limit, the
// idle and time limits, and the one line that says why a session ended early.
func (srv *Server) sessionMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		finished := make(chan struct{})
		defer close(finished) // last: saying why the session ended is a write too
		if st := stateOf(s.Context()); st != nil {
			st.sessionStarted()
			defer st.sessionEnded()
		}
		var cs *channelState
		if c, ok := s.(channelSession); ok {
			cs = c.cs
		}
		if n := srv.active.Add(1); n > int64(srv.cfg.MaxSessions) {
			srv.active.Add(-1)
			srv.refuseSession(s, func(l *lang.Language) string { return l.N("serve.full", srv.cfg.MaxSessions) })
			return
		}
		defer srv.active.Add(-1)

		ctx, cancel := context.WithCancelCause(srv.ctx)
		defer cancel(nil)
		stop := context.AfterFunc(s.Context(), func() { cancel(nil) })
		defer stop()
		ss := &servedSession{Session: s, ctx: ctx, sshCtx: limitedContext{Context: s.Context(), done: ctx}, cs: cs, lang: srv.sessionLang(s)}
		ss.lastInput.Store(time.Now().UnixNano())
		idle := time.Duration(0)
		if wantsTUI(s) {
			idle = srv.cfg.IdleTimeout
		}
		go func() {
			ss.watchLimits(cancel, srv.cfg.MaxSession, idle)
			// The session has ended; a write that waits for a client
			// reading nothing must not keep it, or its connection, alive.
			t := time.NewTimer(endGrace)
			defer t.Stop()
			select {
			case <-finished:
			case <-t.C:
				srv.closeStuck(s.Context())
			}
		}()

		returned := false
		defer func() {
			if !returned { // next panicked: the recover middleware logs it
				fmt.Fprintln(s.Stderr(), "b24org: "+ss.lang.T("serve.internal"))
				_ = s.Exit(command.ExitError)
			}
		}()
		next(ss)
		returned = true

		why := context.Cause(ctx)
		if srv.ctx.Err() != nil {
			why = errShutdown
		}
		for _, e := range []error{errIdle, errMaxSession, errShutdown} {
			if errors.Is(why, e) {
				srv.refuseSession(s, func(l *lang.Language) string { return lang.Say(l, e) })
				return
			}
		}
		_ = s.Exit(ss.exit)
	}
}

// watchLimits ends the session at its time limit, or after idle without
// input (0: never), or when its context ends.
func (s *servedSession) watchLimits(cancel context.CancelCauseFunc, limit, idle time.Duration) {
	end := time.NewTimer(limit)
	defer end.Stop()
	quiet := time.NewTimer(idle)
	defer quiet.Stop()
	idleC := quiet.C
	if idle <= 0 {
		idleC = nil
	}
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-end.C:
			cancel(errMaxSession)
			return
		case <-idleC:
			if since := time.Since(time.Unix(0, s.lastInput.Load())); since < idle {
				quiet.Reset(idle - since)
				continue
			}
			cancel(errIdle)
			return
		}
	}
}

// refuseSession says why (in a language) in one line on the session's
// stderr in the session's language, logs it in English, and ends the
// session with status 2, as every refusal and error (1 is find's "matched
// no one").
func (srv *Server) refuseSession(s ssh.Session, why func(*lang.Language) string) {
	srv.logRefusal(s.Context(), why(lang.English()))
	fmt.Fprintln(s.Stderr(), "b24org: "+why(srv.sessionLang(s)))
	_ = s.Exit(command.ExitError)
}

// browserMiddleware runs the browser of a PTY session, given the sizes the
// client asks for (clamped by the channel's request filter), and restores
// the terminal after it; other sessions go on to the next handler.
func (srv *Server) browserMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		ss, ok := s.(*servedSession)
		p, frames, plain := srv.program(s)
		if !ok || p == nil {
			next(s)
			return
		}
		if plain != nil {
			srv.runPlain(ss, p, plain)
			next(s)
			return
		}
		_, _ = io.WriteString(frames.out, terminalSetup)
		done, fed, drawn := make(chan struct{}), make(chan struct{}), make(chan struct{})
		go func() {
			defer close(fed)
			ss.feedSizes(p, done)
		}()
		go func() {
			defer close(drawn)
			frames.run(done)
		}()
		_, _ = p.Run() // its end is the session's: sessionMiddleware says why
		p.Kill()
		close(done)
		<-fed
		<-drawn
		_, _ = io.WriteString(frames.out, terminalRestore)
		next(s)
	}
}

// runPlain runs the plain browser of a session (no alternate screen, no
// frames: lines, see ui.NewPlain) and writes its last lines.
func (srv *Server) runPlain(ss *servedSession, p *tea.Program, out *ui.PlainOutput) {
	done, fed := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(fed)
		ss.feedSizes(p, done)
	}()
	_, _ = p.Run() // its end is the session's: sessionMiddleware says why
	p.Kill()
	close(done)
	<-fed
	_ = out.Flush()
}

// program builds the browser of a PTY session: its own model, styled by a
// renderer made from the session (the client's TERM, colour profile,
// background and NO_COLOR), drawing and copying (OSC52) to that session only.
// A session that asks for the plain front end (wantsPlain) gets it, writing
// to the returned PlainOutput, and no frames.
func (srv *Server) program(s ssh.Session) (*tea.Program, *frameWriter, *ui.PlainOutput) {
	ss, ok := s.(*servedSession)
	if !ok || !wantsTUI(s) {
		return nil, nil, nil
	}
	out := &lockedWriter{w: ss}
	palette := srv.cfg.Look.Palette
	if sessionEnv(s.Environ()).Getenv("NO_COLOR") != "" {
		palette = srv.cfg.Look.Mono
	}
	pty, _, _ := s.Pty()
	o := ui.Options{
		Directory:    srv.dir,
		Language:     ss.lang,
		Keys:         srv.cfg.Look.Keys,
		Palette:      palette,
		Copy:         clipboard(out, s),
		Threshold:    srv.cfg.Threshold,
		RefreshEvery: srv.cfg.RefreshEvery,
		Background:   false, // the server loads everyone once, for all sessions
		Context:      ss.ctx,
		Favourites:   srv.favourites(s),
		Links:        srv.cfg.Look.Links.On(pty.Term), // this session's terminal decides auto
	}
	if wantsPlain(s) {
		// The client's terminal is in raw mode (ssh -t): the lines end
		// in CR LF, and the copy's OSC52 goes out in its place among them.
		// No colour: a renderer of its own, which asks the terminal
		// nothing (the session's would ask for its background).
		plain := ui.NewPlainOutput(out)
		o.Plain, o.Palette, o.Copy, o.Links = true, ui.Palette{}, clipboard(plain, s), false
		o.Renderer = lipgloss.NewRenderer(plain, termenv.WithProfile(termenv.Ascii), termenv.WithEnvironment(sessionEnv(s.Environ())))
		p := tea.NewProgram(ui.NewPlain(ui.New(o), plain), tea.WithInput(ss), tea.WithOutput(out),
			tea.WithoutRenderer(), tea.WithoutSignalHandler())
		return p, nil, plain
	}
	o.Renderer = bubbletea.MakeRenderer(ss)
	m := ui.New(o)
	// The PTY is emulated (no server-side terminal): the session itself is
	// the terminal, as bubbletea.MakeOptions would say; output goes through
	// one lock so an OSC52 copy never lands inside a frame. The frames are
	// the frameWriter's, not bubbletea's renderer's (see frames.go).
	frames := newFrameWriter(out)
	p := tea.NewProgram(drawnModel{Model: m, frames: frames}, tea.WithInput(ss), tea.WithOutput(out),
		tea.WithoutRenderer(), tea.WithoutSignalHandler())
	return p, frames, nil
}

// favourites is the store of the session's user: one per public key (its
// SHA256 fingerprint), so no user sees another's favourites, and every
// session of one key shares them. Nil without a state directory.
func (srv *Server) favourites(s ssh.Session) *directory.UserState {
	if srv.states == nil || s.PublicKey() == nil {
		return nil
	}
	return srv.states.For(fingerprint(s.PublicKey()))
}

// lockedWriter serializes writes.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p while no other write is under way.
func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// clipboard returns a copy function writing OSC52 to w for the session's
// terminal (wrapped for screen when its TERM says so).
func clipboard(w io.Writer, s ssh.Session) func(string) {
	pty, _, _ := s.Pty()
	env := sessionEnv(append(append([]string{}, s.Environ()...), "TERM="+pty.Term))
	out := termenv.NewOutput(w, termenv.WithEnvironment(env), termenv.WithProfile(termenv.Ascii))
	return out.Copy
}

// sessionEnv is a session's environment as termenv reads it.
type sessionEnv []string

// Environ returns the variables.
func (e sessionEnv) Environ() []string { return e }

// Getenv returns the value of k; the last setting wins.
func (e sessionEnv) Getenv(k string) string {
	v := ""
	for _, kv := range e {
		if name, value, ok := strings.Cut(kv, "="); ok && name == k {
			v = value
		}
	}
	return v
}

// commandMiddleware runs the command of a session without the browser and
// keeps its exit status for sessionMiddleware.
func (srv *Server) commandMiddleware(ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		ss, ok := s.(*servedSession)
		if !ok || wantsTUI(s) {
			return // the browser has run
		}
		ss.exit = srv.runCommand(ss)
	}
}

// runCommand runs a session's command with the same cobra commands as the
// command line (find, export, caller, version, help, with every flag form they
// take there), reading and writing the session; it returns the exit status:
// 0, 1 when find or caller matched nothing, 2 for every refusal and error.
func (srv *Server) runCommand(s *servedSession) int {
	args := s.Command()
	if len(args) == 0 {
		return s.fail(s.lang.T("serve.nocommand"))
	}
	if args[0] == "export" && !srv.cfg.AllowExport {
		srv.logRefusal(s.Context(), "export not allowed")
		return s.fail(s.lang.T("serve.noexport"))
	}
	if plainCommand(args) {
		return s.fail(s.lang.T("serve.plainneedsterminal"))
	}
	switch args[0] {
	case "find", "export", "caller", "version", "help", "--help", "-h", "--version":
	default:
		return s.fail(s.lang.T("serve.unknown", "Command", quoteCommand(args[0])))
	}
	if srv.cfg.beforeCommand != nil {
		srv.cfg.beforeCommand(args)
	}
	root := srv.servedRootCmd(s.lang, s, s.Stderr())
	root.SetArgs(args)
	root.SetIn(s)
	err := root.ExecuteContext(s.ctx)
	switch {
	case err == nil:
		return command.ExitOK
	case errors.Is(err, command.ErrNoMatch):
		return command.ExitNoMatch
	}
	return s.failErr(err)
}

// quoteCommand is a command name a client sent, as an error quotes it:
// cleaned, cut short, in double quotes.
func quoteCommand(name string) string {
	return strconv.Quote(safetext.Truncate(safetext.Clean(name), 40))
}

// fail writes one error line on stderr and returns exit status 2.
func (s *servedSession) fail(msg string) int {
	fmt.Fprintln(s.Stderr(), "b24org: "+strings.Join(strings.Fields(msg), " "))
	return command.ExitError
}

// failErr reports err unless the session ended (sessionMiddleware says why).
func (s *servedSession) failErr(err error) int {
	if s.ctx.Err() != nil {
		return command.ExitError
	}
	return s.fail(command.ErrorLine(s.lang, err))
}

// waitLoaded waits for the first load to end, at most max (0: no limit).
func (srv *Server) waitLoaded(ctx context.Context, max time.Duration) {
	var limit <-chan time.Time
	if max > 0 {
		t := time.NewTimer(max)
		defer t.Stop()
		limit = t.C
	}
	select {
	case <-srv.loaded:
	case <-ctx.Done():
	case <-limit:
	}
}

// servedRootCmd is the command tree of an SSH session: the command line's
// own find, export and version (and cobra's help), without the flags that
// choose a portal, a cache or a theme: the server has chosen them.
func (srv *Server) servedRootCmd(l *lang.Language, stdout, stderr io.Writer) *cobra.Command {
	warn := func(msg string) { fmt.Fprintln(stderr, "b24org: "+strings.Join(strings.Fields(msg), " ")) }
	c := &command.Commands{Source: servedSource{srv, l}, Stdout: stdout, Warn: warn, Release: srv.cfg.Release,
		Lang: func() *lang.Language { return l }, Invocation: "ssh HOST"}
	root := &cobra.Command{
		Use:   "b24org",
		Short: l.T("cmd.ssh.short"),
		Long:  l.T("cmd.ssh.long"),
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return lang.NewError("serve.unknown", "Command", quoteCommand(args[0]))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return lang.NewError("cmd.serve.flagerr", "Err", command.FlagError(err))
	})
	root.Flags().Bool("version", false, l.T("cmd.ssh.flag.version"))
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if v, _ := cmd.Flags().GetBool("version"); v {
			_, err := io.WriteString(stdout, command.VersionText(srv.cfg.Release))
			return err
		}
		return cmd.Help()
	}
	root.AddCommand(c.FindCmd(), c.ExportCmd(), c.CallerCmd(), c.VersionCmd())
	command.LocalizeHelp(root, l)
	return root
}

// servedSource answers a session's find and export from the server's
// shared directory.
type servedSource struct {
	srv  *Server
	lang *lang.Language // the session's
}

// Find looks query up in the shared directory once its first load has
// ended (at most findWait): the server's own loads fill it, so a session
// only asks the portal about its query.
func (src servedSource) Find(ctx context.Context, query string, limit int, warn func(string)) (*directory.FindResult, time.Duration, error) {
	srv := src.srv
	srv.waitLoaded(ctx, findWait)
	r, err := srv.dir.Find(ctx, query, directory.FindOptions{Limit: limit, AskOnly: true, PresenceAge: srv.cfg.PresenceAge, Availability: true, Threshold: srv.cfg.Threshold})
	if err != nil {
		return nil, 0, err
	}
	if line := r.Partial(src.lang); line != "" {
		warn(line)
	}
	return r, srv.cfg.Threshold, nil
}

// Callers looks a phone number up among the portal's CRM clients through
// the server's one client, the responsible people from the shared
// directory.
func (src servedSource) Callers(ctx context.Context, number string, _ func(string)) (*directory.Callers, time.Duration, error) {
	srv := src.srv
	srv.waitLoaded(ctx, findWait)
	r, err := srv.dir.Callers(ctx, number, srv.cfg.PresenceAge)
	if err != nil {
		return nil, 0, err
	}
	return r, srv.cfg.Threshold, nil
}

// Org is the whole directory for export over SSH: the shared one, once its
// first load has ended.
func (src servedSource) Org(ctx context.Context) (*directory.Org, time.Duration, error) {
	srv := src.srv
	srv.waitLoaded(ctx, 0)
	org := srv.dir.Snapshot()
	if !org.Complete() {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		return nil, 0, lang.NewError("cmd.serve.notloaded")
	}
	return org, srv.cfg.Threshold, nil
}
