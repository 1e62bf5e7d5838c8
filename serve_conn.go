package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/recover"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"
)

// Limits of a connection.
const (
	handshakeTimeout = time.Minute // to connect and log in
	maxAuthTries     = 6
	maxEnvRequests   = 64 // environment variables one session may set
	maxNoted         = 8  // refused keys and methods remembered per connection for the log
	perIPPruneAt     = 4096
)

// serverConfig is what an sshService is built from.
type serverConfig struct {
	opts         serveOptions
	dir          *directory.Directory
	log          *slog.Logger
	look         sessionLook
	keys         *authorizedKeys // nil: any key (--allow-anyone)
	threshold    time.Duration
	refreshEvery time.Duration
	presenceAge  time.Duration // how old the presence find prints may be
	background   bool
	// beforeCommand, when set, runs before each session's command with its
	// arguments: tests inject a failure (a panic) there.
	beforeCommand func(args []string)
	release       string // the program's version, for the version command
}

// sshService serves the browser over SSH: one directory, and so one portal
// client, for every session.
type sshService struct {
	serverConfig
	ctx       context.Context // ends at shutdown
	loaded    chan struct{}   // closed when the first load has ended
	perIP     *ipLimiter
	active    atomic.Int64  // sessions open now
	conns     atomic.Int64  // connections open now
	handshake time.Duration // to connect and log in
}

// newSSHServer returns the service; ctx ends it (every session says so and ends).
func newSSHServer(ctx context.Context, c serverConfig) *sshService {
	return &sshService{
		serverConfig: c,
		ctx:          ctx,
		loaded:       make(chan struct{}),
		perIP:        newIPLimiter(c.opts.perIPPerMinute),
		handshake:    cmp.Or(c.opts.handshake, handshakeTimeout),
	}
}

// sshServer builds the SSH server. Only public keys log in (no password or
// keyboard-interactive handler is set); only session channels are accepted
// and, in them, no agent or X11 forwarding and no subsystem; no global
// request (remote forwarding) is granted.
func (svc *sshService) sshServer(hostKey gossh.Signer) (*ssh.Server, error) {
	s := &ssh.Server{
		Version:              "b24org",
		PublicKeyHandler:     svc.publicKey,
		BannerHandler:        svc.banner,
		ConnCallback:         svc.connect,
		ServerConfigCallback: svc.sshConfig,
		ChannelHandlers: map[string]ssh.ChannelHandler{
			"session": svc.sessionChannel,
			"default": svc.refuseChannel,
		},
		RequestHandlers:   map[string]ssh.RequestHandler{"default": svc.refuseRequest},
		SubsystemHandlers: map[string]ssh.SubsystemHandler{},
		// A backstop: sessions end by themselves at --max-session, saying so.
		MaxTimeout: svc.opts.maxSession + time.Minute,
	}
	s.AddHostKey(hostKey)
	// wish's recover middleware is outermost: a panic in one session's
	// handler ends that session (sessionMiddleware says so to its client)
	// and is logged; the other sessions and the server go on.
	err := s.SetOption(wish.WithMiddleware(recover.MiddlewareWithLogger(panicLog{svc.log},
		svc.commandMiddleware,
		svc.browserMiddleware,
		svc.sessionMiddleware,
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
func (svc *sshService) load(ctx context.Context) {
	defer close(svc.loaded)
	svc.loadOnce(ctx)
}

// reload loads again every interval until ctx ends, so that find, export
// and search see who joined and left.
func (svc *sshService) reload(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			svc.loadOnce(ctx)
		}
	}
}

// loadOnce loads the tree from the portal (the sessions reuse it for a
// while), then everyone unless background loading is off.
func (svc *sshService) loadOnce(ctx context.Context) {
	start := time.Now()
	org, err := svc.dir.LoadTreeFresh(ctx)
	if err == nil && svc.background {
		org, err = svc.dir.LoadAll(ctx, nil)
	}
	if err != nil {
		if ctx.Err() == nil {
			svc.log.Error("loading the directory", "err", command.ErrorLine(err))
		}
		return
	}
	svc.log.Info("directory loaded", "departments", len(org.Departments()), "people", org.PersonCount(),
		"complete", org.Complete(), "took", time.Since(start).Round(time.Millisecond))
}

// logStart says where the server listens and who may log in.
func (svc *sshService) logStart(addr string, hostKey gossh.Signer) {
	who := "anyone with a public key"
	if svc.keys != nil {
		who = directory.Count(svc.keys.count(), "authorized key", "authorized keys")
	}
	svc.log.Info("serving", "addr", addr, "host_key", fingerprint(hostKey.PublicKey()), "portal", svc.dir.Snapshot().Portal(),
		"login", who, "max_sessions", svc.opts.maxSessions, "export", svc.opts.allowExport)
	svc.log.Info("refusing passwords, port forwarding, agent forwarding, X11 and subsystems: no handler is registered for them")
}

// connState is what the service knows of one connection.
type connState struct {
	start   time.Time
	addr    string
	refusal string      // set before the handshake: the connection will be refused, and why
	authed  atomic.Bool // the client has logged in

	conn net.Conn // closed when the connection must end
	idle *time.Timer

	mu        sync.Mutex
	offered   []string // fingerprints of the keys refused
	methods   []string // the authentication methods tried
	sessions  int
	channels  int             // session channels open
	running   int             // sessions being served
	idleSince time.Time       // when the last session ended
	logged    map[string]bool // clamps and refusals logged
}

type connStateKey struct{}

// stateOf returns the state connect stored in ctx.
func stateOf(ctx ssh.Context) *connState {
	st, _ := ctx.Value(connStateKey{}).(*connState)
	return st
}

// refuseKey notes the fingerprint of a key that was refused.
func (st *connState) refuseKey(fp string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.offered) < maxNoted {
		st.offered = append(st.offered, fp)
	}
}

// tried notes an authentication attempt; success logs the client in.
func (st *connState) tried(method string, err error) {
	if err == nil {
		st.authed.Store(true)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if !slices.Contains(st.methods, method) && len(st.methods) < maxNoted {
		st.methods = append(st.methods, safetext.Truncate(safetext.Clean(method), 40))
	}
}

// connect runs first for every connection: the per-address limit, the log
// line at its end, and a deadline until the client has logged in.
func (svc *sshService) connect(ctx ssh.Context, conn net.Conn) net.Conn {
	st := &connState{start: time.Now(), addr: conn.RemoteAddr().String()}
	ip := st.addr
	if host, _, err := net.SplitHostPort(st.addr); err == nil {
		ip = host
	}
	n := svc.conns.Add(1)
	switch {
	case n > int64(maxConnections(svc.opts)):
		st.refusal = fmt.Sprintf("the server is full (%d connections); try again later", maxConnections(svc.opts))
	case !svc.perIP.allow(ip, st.start):
		st.refusal = fmt.Sprintf("too many new connections from %s (at most %d a minute); try again in a minute",
			ip, svc.opts.perIPPerMinute)
	}
	hc := &handshakeConn{Conn: conn, st: st, deadline: st.start.Add(svc.handshake)}
	st.conn, st.idleSince = hc, st.start
	ctx.SetValue(connStateKey{}, st)
	idle := svc.opts.idleTimeout
	st.mu.Lock()
	st.idle = time.AfterFunc(idle, func() { svc.watchIdle(ctx, st, idle) })
	st.mu.Unlock()
	context.AfterFunc(ctx, func() {
		svc.conns.Add(-1)
		st.mu.Lock()
		st.idle.Stop()
		st.mu.Unlock()
		svc.closed(ctx, st)
	})
	return hc
}

// closed logs the end of a connection: who, from where, for how long; or
// why it was refused.
func (svc *sshService) closed(ctx ssh.Context, st *connState) {
	took := time.Since(st.start).Round(time.Millisecond)
	user, _ := ctx.Value(ssh.ContextKeyUser).(string)
	user = safetext.Truncate(safetext.Clean(user), 64)
	st.mu.Lock()
	defer st.mu.Unlock()
	if key, ok := ctx.Value(ssh.ContextKeyPublicKey).(ssh.PublicKey); ok && st.authed.Load() {
		svc.log.Info("connection", "fp", fingerprint(key), "addr", st.addr, "user", user,
			"sessions", st.sessions, "duration", took)
		return
	}
	reason := st.refusal
	switch {
	case reason != "":
	case len(st.offered) > 0:
		reason = "public key not authorized"
	default:
		reason = "did not log in"
	}
	fp := "-"
	if len(st.offered) > 0 {
		fp = fmt.Sprint(st.offered)
	}
	svc.log.Warn("refused", "reason", reason, "fp", fp, "addr", st.addr, "user", user,
		"methods", fmt.Sprint(st.methods), "duration", took)
}

// sshConfig notes each authentication attempt of the connection.
func (svc *sshService) sshConfig(ctx ssh.Context) *gossh.ServerConfig {
	st := stateOf(ctx)
	return &gossh.ServerConfig{
		MaxAuthTries: maxAuthTries,
		AuthLogCallback: func(_ gossh.ConnMetadata, method string, err error) {
			if st != nil {
				st.tried(method, err)
			}
		},
	}
}

// publicKey allows the keys of the authorized_keys file (any key with
// --allow-anyone), unless the connection is already refused.
func (svc *sshService) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	st := stateOf(ctx)
	if st == nil {
		return false
	}
	if st.refusal == "" && (svc.keys == nil || svc.keys.allowed(key)) {
		return true
	}
	st.refuseKey(fingerprint(key))
	return false
}

// banner tells a refused client why, in one line, before it tries to log in.
func (svc *sshService) banner(ctx ssh.Context) string {
	if st := stateOf(ctx); st != nil && st.refusal != "" {
		return "b24org: " + st.refusal + "\n"
	}
	return ""
}

// logRefusal logs a refused request of a logged-in client, once per
// connection for each reason.
func (svc *sshService) logRefusal(ctx ssh.Context, reason string) {
	svc.logLimit(ctx, "refused", reason)
}

// logLimit logs, once per connection for each msg and reason, a limit
// applied to a logged-in client: who (the key's fingerprint), from where.
func (svc *sshService) logLimit(ctx ssh.Context, msg, reason string, args ...any) {
	key, _ := ctx.Value(ssh.ContextKeyPublicKey).(ssh.PublicKey)
	addr := "-"
	if st := stateOf(ctx); st != nil {
		if !st.noteOnce(msg + "\x00" + reason) {
			return
		}
		addr = st.addr
	}
	svc.log.Warn(msg, append([]any{"reason", reason, "fp", fingerprint(key), "addr", addr}, args...)...)
}

// refuseChannel refuses every channel but sessions: port forwarding
// (direct-tcpip), socket forwarding, and whatever else a client asks.
func (svc *sshService) refuseChannel(_ *ssh.Server, _ *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	what := "channel " + safetext.Truncate(safetext.Clean(ch.ChannelType()), 40)
	switch ch.ChannelType() {
	case "direct-tcpip":
		what = "port forwarding"
	case "direct-streamlocal@openssh.com":
		what = "socket forwarding"
	}
	svc.logRefusal(ctx, what)
	_ = ch.Reject(gossh.Prohibited, "b24org: "+what+" is not allowed")
}

// refuseRequest refuses every global request; remote forwarding is logged.
func (svc *sshService) refuseRequest(ctx ssh.Context, _ *ssh.Server, req *gossh.Request) (bool, []byte) {
	switch req.Type {
	case "tcpip-forward", "streamlocal-forward@openssh.com":
		svc.logRefusal(ctx, "remote forwarding")
	}
	return false, nil
}

// sessionChannel serves a session channel, at most maxChannelsPerConn at
// once on a connection, refusing agent and X11 forwarding and subsystems
// before the session sees them, and holding its terminal sizes, terminal
// name, environment and command to their limits.
func (svc *sshService) sessionChannel(s *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	st := stateOf(ctx)
	if st != nil && !st.openChannel() {
		what := fmt.Sprintf("more than %d sessions at once on one connection", maxChannelsPerConn)
		svc.logRefusal(ctx, what)
		_ = ch.Reject(gossh.ResourceShortage, "b24org: "+what)
		return
	}
	if st != nil {
		defer st.closeChannel()
	}
	cs := newChannelState()
	// The session handler of this channel only: the server's, told of cs.
	base := s.Handler
	channelServer := &ssh.Server{
		Handler:                func(sess ssh.Session) { base(channelSession{Session: sess, cs: cs}) },
		PtyCallback:            s.PtyCallback,
		PtyHandler:             s.PtyHandler,
		SessionRequestCallback: s.SessionRequestCallback,
		SubsystemHandlers:      s.SubsystemHandlers,
	}
	env, pty := 0, false
	ssh.DefaultSessionHandler(channelServer, conn, filteredChannel{NewChannel: ch, keep: func(req *gossh.Request) bool {
		var what string
		switch req.Type {
		case "pty-req":
			if pty {
				return true // refused by the session
			}
			asked, err := cs.filterPty(req)
			if err == nil {
				pty = true
				if asked != "" {
					svc.logLimit(ctx, "clamped", "terminal size", "asked", asked, "drawn", fmt.Sprintf("%d×%d", maxColumns, maxRows))
				}
				return true
			}
			what = strings.TrimPrefix(err.Error(), errRefused.Error()+": ")
		case "window-change":
			asked, err := cs.filterWindowChange(req)
			ok := err == nil && pty
			if ok && asked != "" {
				svc.logLimit(ctx, "clamped", "terminal size", "asked", asked, "drawn", fmt.Sprintf("%d×%d", maxColumns, maxRows))
			}
			if req.WantReply {
				_ = req.Reply(ok, nil)
			}
			return false
		case "exec":
			if len(req.Payload) <= 4+maxCommandLen {
				return true
			}
			what = fmt.Sprintf("command longer than %d bytes", maxCommandLen)
		case "auth-agent-req@openssh.com":
			what = "agent forwarding"
		case "x11-req":
			what = "X11 forwarding"
		case "subsystem":
			what = "subsystem"
			var p struct{ Name string }
			if gossh.Unmarshal(req.Payload, &p) == nil {
				what += " " + safetext.Truncate(safetext.Clean(p.Name), 40)
			}
		case "env":
			switch env++; {
			case env > maxEnvRequests:
				what = "too many environment variables"
			case len(req.Payload) > 8+maxEnvLen:
				what = fmt.Sprintf("environment variable longer than %d bytes", maxEnvLen)
			default:
				return true
			}
		default:
			return true
		}
		svc.logRefusal(ctx, what)
		if req.WantReply {
			_ = req.Reply(false, nil)
		}
		return false
	}}, ctx)
}

// filteredChannel is a new channel whose requests pass keep first: those it
// turns down never reach the session.
type filteredChannel struct {
	gossh.NewChannel
	keep func(*gossh.Request) bool
}

// Accept accepts the channel and filters its requests.
func (c filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for req := range reqs {
			if c.keep(req) {
				out <- req
			}
		}
	}()
	return ch, out, nil
}

// handshakeConn holds a connection to a deadline until the client has
// logged in (the SSH server clears deadlines on every read and write).
type handshakeConn struct {
	net.Conn
	st       *connState
	deadline time.Time
}

// SetDeadline sets t, but no later than the login deadline before login.
func (c *handshakeConn) SetDeadline(t time.Time) error {
	if !c.st.authed.Load() && (t.IsZero() || t.After(c.deadline)) {
		t = c.deadline
	}
	return c.Conn.SetDeadline(t)
}

// ipLimiter limits new connections per address per minute. Safe for
// concurrent use.
type ipLimiter struct {
	perMinute int // 0: no limit
	mu        sync.Mutex
	byIP      map[string]*rate.Limiter
}

func newIPLimiter(perMinute int) *ipLimiter {
	return &ipLimiter{perMinute: perMinute, byIP: map[string]*rate.Limiter{}}
}

// allow reports whether ip may open one more connection at now.
func (l *ipLimiter) allow(ip string, now time.Time) bool {
	if l.perMinute <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := l.byIP[ip]
	if lim == nil {
		if len(l.byIP) >= perIPPruneAt {
			for k, v := range l.byIP {
				if v.TokensAt(now) >= float64(v.Burst()) {
					delete(l.byIP, k) // back to a full allowance: nothing to remember
				}
			}
		}
		lim = rate.NewLimiter(rate.Every(time.Minute/time.Duration(l.perMinute)), l.perMinute)
		l.byIP[ip] = lim
	}
	return lim.AllowN(now, 1)
}
