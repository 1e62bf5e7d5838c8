package serve

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/ssh"
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

// connState is what the server knows of one connection.
type connState struct {
	start   time.Time
	addr    string
	refusal *lang.Error // set before the handshake: the connection will be refused, and why
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
func (srv *Server) connect(ctx ssh.Context, conn net.Conn) net.Conn {
	st := &connState{start: time.Now(), addr: conn.RemoteAddr().String()}
	ip := st.addr
	if host, _, err := net.SplitHostPort(st.addr); err == nil {
		ip = host
	}
	n := srv.conns.Add(1)
	switch {
	case n > int64(maxConnections(srv.cfg.Options)):
		st.refusal = lang.NewError("cmd.serve.conns", "N", maxConnections(srv.cfg.Options))
	case !srv.perIP.allow(ip, st.start):
		st.refusal = lang.NewError("cmd.serve.perip", "IP", ip, "Max", srv.cfg.PerIPPerMinute)
	}
	hc := &handshakeConn{Conn: conn, st: st, deadline: st.start.Add(srv.handshake)}
	st.conn, st.idleSince = hc, st.start
	ctx.SetValue(connStateKey{}, st)
	idle := srv.cfg.IdleTimeout
	st.mu.Lock()
	st.idle = time.AfterFunc(idle, func() { srv.watchIdle(ctx, st, idle) })
	st.mu.Unlock()
	context.AfterFunc(ctx, func() {
		srv.conns.Add(-1)
		st.mu.Lock()
		st.idle.Stop()
		st.mu.Unlock()
		srv.closed(ctx, st)
	})
	return hc
}

// closed logs the end of a connection: who, from where, for how long; or
// why it was refused.
func (srv *Server) closed(ctx ssh.Context, st *connState) {
	took := time.Since(st.start).Round(time.Millisecond)
	user, _ := ctx.Value(ssh.ContextKeyUser).(string)
	user = safetext.Truncate(safetext.Clean(user), 64)
	st.mu.Lock()
	defer st.mu.Unlock()
	if key, ok := ctx.Value(ssh.ContextKeyPublicKey).(ssh.PublicKey); ok && st.authed.Load() {
		srv.log.Info("connection", "fp", fingerprint(key), "addr", st.addr, "user", user,
			"sessions", st.sessions, "duration", took)
		return
	}
	reason := ""
	switch {
	case st.refusal != nil:
		reason = st.refusal.Error()
	case len(st.offered) > 0:
		reason = "public key not authorized"
	default:
		reason = "did not log in"
	}
	fp := "-"
	if len(st.offered) > 0 {
		fp = fmt.Sprint(st.offered)
	}
	srv.log.Warn("refused", "reason", reason, "fp", fp, "addr", st.addr, "user", user,
		"methods", fmt.Sprint(st.methods), "duration", took)
}

// sshConfig notes each authentication attempt of the connection.
func (srv *Server) sshConfig(ctx ssh.Context) *gossh.ServerConfig {
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
func (srv *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	st := stateOf(ctx)
	if st == nil {
		return false
	}
	if st.refusal == nil && (srv.keys == nil || srv.keys.allowed(key)) {
		return true
	}
	st.refuseKey(fingerprint(key))
	return false
}

// banner tells a refused client why, in one line, before it tries to log
// in: in the server's language, as the client has sent no locale yet.
func (srv *Server) banner(ctx ssh.Context) string {
	if st := stateOf(ctx); st != nil && st.refusal != nil {
		return "b24org: " + lang.Say(srv.language(), st.refusal) + "\n"
	}
	return ""
}

// logRefusal logs a refused request of a logged-in client, once per
// connection for each reason.
func (srv *Server) logRefusal(ctx ssh.Context, reason string) {
	srv.logLimit(ctx, "refused", reason)
}

// logLimit logs, once per connection for each msg and reason, a limit
// applied to a logged-in client: who (the key's fingerprint), from where.
func (srv *Server) logLimit(ctx ssh.Context, msg, reason string, args ...any) {
	key, _ := ctx.Value(ssh.ContextKeyPublicKey).(ssh.PublicKey)
	addr := "-"
	if st := stateOf(ctx); st != nil {
		if !st.noteOnce(msg + "\x00" + reason) {
			return
		}
		addr = st.addr
	}
	srv.log.Warn(msg, append([]any{"reason", reason, "fp", fingerprint(key), "addr", addr}, args...)...)
}

// refuseChannel refuses every channel but sessions: port forwarding
// (direct-tcpip), socket forwarding, and whatever else a client asks.
func (srv *Server) refuseChannel(_ *ssh.Server, _ *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	what := lang.NewError("cmd.serve.channel", "Type", safetext.Truncate(safetext.Clean(ch.ChannelType()), 40))
	switch ch.ChannelType() {
	case "direct-tcpip":
		what = lang.NewError("cmd.serve.portforwarding")
	case "direct-streamlocal@openssh.com":
		what = lang.NewError("cmd.serve.socketforwarding")
	}
	srv.logRefusal(ctx, what.Error())
	// The client has sent no locale: it is told in the server's language.
	_ = ch.Reject(gossh.Prohibited, "b24org: "+srv.language().T("cmd.serve.notallowed", "What", what))
}

// refuseRequest refuses every global request; remote forwarding is logged.
func (srv *Server) refuseRequest(ctx ssh.Context, _ *ssh.Server, req *gossh.Request) (bool, []byte) {
	switch req.Type {
	case "tcpip-forward", "streamlocal-forward@openssh.com":
		srv.logRefusal(ctx, "remote forwarding")
	}
	return false, nil
}

// sessionChannel serves a session channel, at most maxChannelsPerConn at
// once on a connection, refusing agent and X11 forwarding and subsystems
// before the session sees them, and holding its terminal sizes, terminal
// name, environment and command to their limits.
func (srv *Server) sessionChannel(s *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	st := stateOf(ctx)
	if st != nil && !st.openChannel() {
		srv.logRefusal(ctx, lang.English().N("cmd.serve.channels", maxChannelsPerConn))
		_ = ch.Reject(gossh.ResourceShortage, "b24org: "+srv.language().N("cmd.serve.channels", maxChannelsPerConn))
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
					srv.logLimit(ctx, "clamped", "terminal size", "asked", asked, "drawn", fmt.Sprintf("%d×%d", maxColumns, maxRows))
				}
				return true
			}
			what = strings.TrimPrefix(err.Error(), errRefused.Error()+": ")
		case "window-change":
			asked, err := cs.filterWindowChange(req)
			ok := err == nil && pty
			if ok && asked != "" {
				srv.logLimit(ctx, "clamped", "terminal size", "asked", asked, "drawn", fmt.Sprintf("%d×%d", maxColumns, maxRows))
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
		srv.logRefusal(ctx, what)
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
