// Package serve is the browser over SSH for many users: a wish server whose
// sessions share one directory, and so one portal client. A session with a
// terminal gets the browser; a session with a command (ssh HOST find anna)
// runs the command line's own find, export or version.
package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/ui"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/recover"
	gossh "golang.org/x/crypto/ssh"
)

// Defaults of the serve options.
const (
	DefaultListen         = "127.0.0.1:2222"
	DefaultMaxSessions    = 100
	DefaultIdleTimeout    = 30 * time.Minute
	DefaultMaxSession     = 8 * time.Hour
	DefaultPerIPPerMinute = 30
)

// shutdownGrace is how long the sessions have to say goodbye at shutdown.
const shutdownGrace = 5 * time.Second

// Options are what the command line sets of a server.
type Options struct {
	Listen         string        // the address to listen on
	HostKey        string        // the server's private key, created when missing
	AuthorizedKeys string        // the public keys allowed to log in (OpenSSH format)
	MaxSessions    int           // most sessions at once
	IdleTimeout    time.Duration // a browser without a keystroke this long is closed
	MaxSession     time.Duration // longest a session may last
	PerIPPerMinute int           // most new connections from one address per minute (0: no limit)
	AllowAnyone    bool          // accept any public key (only on a loopback address)
	AllowExport    bool          // allow the export command

	handshake time.Duration // to connect and log in (0: handshakeTimeout); tests shorten it
}

// Check validates the options; its errors are said in the reader's
// language by lang.Say.
func (o Options) Check() error {
	switch {
	case o.MaxSessions < 1:
		return lang.NewError("cmd.serve.maxsessions")
	case o.IdleTimeout <= 0:
		return lang.NewError("cmd.serve.idletimeout")
	case o.MaxSession <= 0:
		return lang.NewError("cmd.serve.maxsession")
	case o.PerIPPerMinute < 0:
		return lang.NewError("cmd.serve.perip.negative")
	case o.AllowAnyone && !isLoopback(o.Listen):
		return lang.NewError("cmd.serve.anyone", "Default", DefaultListen, "Listen", strconv.Quote(o.Listen))
	}
	return nil
}

// isLoopback reports whether the listen address addr names a loopback host.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Look is how every session's browser looks and which keys it answers.
type Look struct {
	Keys    ui.KeyMap
	Palette ui.Palette // for a session whose client does not set NO_COLOR
	Mono    ui.Palette // for one that does
	// Links is the links setting, decided for each session by the
	// client's TERM (the zero value is auto).
	Links ui.LinkMode
}

// Config is what a Server is built from.
type Config struct {
	Options
	Log          *slog.Logger // the server's log (nil: none)
	Look         Look
	Threshold    time.Duration // presence older than this is stale
	RefreshEvery time.Duration // how often a browser refreshes the presence it shows
	PresenceAge  time.Duration // how old the presence find prints may be
	Background   bool          // the server loads everyone, for search and export
	Freshness    time.Duration // how often the server loads the directory again (0: never)
	Release      string        // the program's version, for the version command
	// StateDir keeps each SSH key's favourites and recent lookups, a file
	// per key (directory.States); "": each session keeps its own.
	StateDir string
	// Language is what a session speaks when its client sends no locale
	// (nil: English); one that does gets its own.
	Language *lang.Language
	// Open opens the directory the sessions share; closeFn releases what
	// it started.
	Open func() (d *directory.Directory, closeFn func(), err error)

	// beforeCommand, when set, runs before each session's command with its
	// arguments: tests inject a failure (a panic) there.
	beforeCommand func(args []string)
}

// Server serves the browser over SSH: one directory, and so one portal
// client, for every session.
type Server struct {
	cfg       Config
	ctx       context.Context // ends at shutdown
	dir       *directory.Directory
	closeDir  func()
	states    *directory.States // nil: no StateDir
	keys      *authorizedKeys   // nil: any key (AllowAnyone)
	hostKey   gossh.Signer
	log       *slog.Logger
	loaded    chan struct{} // closed when the first load has ended
	perIP     *ipLimiter
	active    atomic.Int64  // sessions open now
	conns     atomic.Int64  // connections open now
	handshake time.Duration // to connect and log in
}

// New reads the authorized keys (unless AllowAnyone) and the host key
// (creating it when missing), then opens the directory. ctx ends the
// server: every session says so and ends. Close releases the directory.
func New(ctx context.Context, c Config) (*Server, error) {
	srv := &Server{
		cfg:       c,
		ctx:       ctx,
		log:       cmp.Or(c.Log, slog.New(slog.DiscardHandler)),
		loaded:    make(chan struct{}),
		perIP:     newIPLimiter(c.PerIPPerMinute),
		handshake: cmp.Or(c.handshake, handshakeTimeout),
	}
	var err error
	if !c.AllowAnyone {
		if srv.keys, err = newAuthorizedKeys(c.AuthorizedKeys, srv.log); err != nil {
			return nil, err
		}
	}
	var created bool
	if srv.hostKey, created, err = loadHostKey(c.HostKey); err != nil {
		return nil, err
	}
	if created {
		srv.log.Info("created the host key", "path", c.HostKey)
	}
	if srv.dir, srv.closeDir, err = c.Open(); err != nil {
		return nil, err // the opener's own words: it knows the portal
	}
	if c.StateDir != "" {
		srv.states = directory.NewStates(c.StateDir, srv.dir.StateKey())
	}
	return srv, nil
}

// Close releases what opening the directory started.
func (srv *Server) Close() {
	if srv.closeDir != nil {
		srv.closeDir()
	}
}

// ListenAndServe listens on the Listen address and serves there (Serve).
func (srv *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", srv.cfg.Listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return srv.Serve(ln)
}

// Serve serves on ln until the server's context ends (SIGINT, SIGTERM),
// then lets the sessions say goodbye and stops. It loads the directory at
// once, and again every Freshness.
func (srv *Server) Serve(ln net.Listener) error {
	server, err := srv.sshServer()
	if err != nil {
		ln.Close()
		return err
	}
	go func() {
		srv.load(srv.ctx)
		srv.reload(srv.ctx, srv.cfg.Freshness)
	}()
	srv.logStart(ln.Addr().String())

	served := make(chan error, 1)
	go func() { served <- server.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-srv.ctx.Done():
	}
	srv.log.Info("shutting down", "sessions", srv.active.Load())
	stop, cancel := context.WithTimeout(context.WithoutCancel(srv.ctx), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(stop); err != nil {
		_ = server.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// sshServer builds the SSH server. Only public keys log in (no password or
// keyboard-interactive handler is set); only session channels are accepted
// and, in them, no agent or X11 forwarding and no subsystem; no global
// request (remote forwarding) is granted.
func (srv *Server) sshServer() (*ssh.Server, error) {
	s := &ssh.Server{
		Version:              "b24org",
		PublicKeyHandler:     srv.publicKey,
		BannerHandler:        srv.banner,
		ConnCallback:         srv.connect,
		ServerConfigCallback: srv.sshConfig,
		ChannelHandlers: map[string]ssh.ChannelHandler{
			"session": srv.sessionChannel,
			"default": srv.refuseChannel,
		},
		RequestHandlers:   map[string]ssh.RequestHandler{"default": srv.refuseRequest},
		SubsystemHandlers: map[string]ssh.SubsystemHandler{},
		// A backstop: sessions end by themselves at MaxSession, saying so.
		MaxTimeout: srv.cfg.MaxSession + time.Minute,
	}
	s.AddHostKey(srv.hostKey)
	// wish's recover middleware is outermost: a panic in one session's
	// handler ends that session (sessionMiddleware says so to its client)
	// and is logged; the other sessions and the server go on.
	err := s.SetOption(wish.WithMiddleware(recover.MiddlewareWithLogger(panicLog{srv.log},
		srv.commandMiddleware,
		srv.browserMiddleware,
		srv.sessionMiddleware,
	)))
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return s, nil
}

// panicLog logs the panics wish's recover middleware catches.
type panicLog struct{ log *slog.Logger }

// Printf logs one recovered panic, its stack included, as one error.
func (p panicLog) Printf(format string, v ...any) {
	p.log.Error("session panicked", "panic", fmt.Sprintf(format, v...))
}

// load fetches the tree, then (unless background loading is off) everyone,
// for search and export; sessions share what it brings.
func (srv *Server) load(ctx context.Context) {
	defer close(srv.loaded)
	srv.loadOnce(ctx)
}

// reload loads again every interval until ctx ends, so that find, export
// and search see who joined and left.
func (srv *Server) reload(ctx context.Context, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			srv.loadOnce(ctx)
		}
	}
}

// loadOnce loads the tree from the portal (the sessions reuse it for a
// while), then everyone unless background loading is off.
func (srv *Server) loadOnce(ctx context.Context) {
	start := time.Now()
	org, err := srv.dir.LoadTreeFresh(ctx)
	if err == nil && srv.cfg.Background {
		org, err = srv.dir.LoadAll(ctx, nil)
	}
	if err != nil {
		if ctx.Err() == nil {
			srv.log.Error("loading the directory", "err", command.ErrorLine(lang.English(), err))
		}
		return
	}
	srv.log.Info("directory loaded", "departments", len(org.Departments()), "people", org.PersonCount(),
		"complete", org.Complete(), "took", time.Since(start).Round(time.Millisecond))
}

// logStart says where the server listens and who may log in.
func (srv *Server) logStart(addr string) {
	who := "anyone with a public key"
	if srv.keys != nil {
		who = lang.English().Count("count.keys", srv.keys.count())
	}
	srv.log.Info("serving", "addr", addr, "host_key", fingerprint(srv.hostKey.PublicKey()), "portal", srv.dir.Snapshot().Portal(),
		"login", who, "max_sessions", srv.cfg.MaxSessions, "export", srv.cfg.AllowExport)
	srv.log.Info("refusing passwords, port forwarding, agent forwarding, X11 and subsystems: no handler is registered for them")
}
