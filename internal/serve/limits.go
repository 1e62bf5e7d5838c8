package serve

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/ui"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Limits of what one client may ask for. Each clamp or refusal is logged
// once per connection, with the key's fingerprint and the address.
const (
	maxColumns         = ui.MaxWidth  // a wider terminal gets this many columns drawn
	maxRows            = ui.MaxHeight // a taller one, this many rows
	maxTermLen         = 64           // bytes of the terminal name (TERM)
	maxEnvLen          = 1024         // bytes of one environment variable, name and value
	maxCommandLen      = 4096         // bytes of a command (ssh HOST COMMAND...)
	maxChannelsPerConn = 4            // sessions open at once on one connection
	maxLogged          = 32           // distinct clamps and refusals logged per connection
	resizeEvery        = 50 * time.Millisecond
	endGrace           = time.Second // a session that has not ended this long after its end closes its connection
)

// maxConnections is the most connections open at once, logged in or not:
// twice the sessions, so that every session can have a spare connection.
func maxConnections(o Options) int { return 2 * o.MaxSessions }

// channelState is what the request filter of one session channel shares
// with the session: the terminal sizes the client asked for.
type channelState struct {
	sizes sizeSlot
}

// channelSession is a session with the state of its channel.
type channelSession struct {
	ssh.Session
	cs *channelState
}

// sizeSlot holds the latest terminal size a client asked for: a flood of
// window changes costs one slot, and the browser draws only the latest.
type sizeSlot struct {
	mu      sync.Mutex
	w, h    int
	asked   string // the size asked for when it was clamped, e.g. "65535×65535"
	pending bool
	ready   chan struct{} // one token while a size waits
}

func newChannelState() *channelState {
	return &channelState{sizes: sizeSlot{ready: make(chan struct{}, 1)}}
}

// put stores a size; asked is set when the client asked for more.
func (s *sizeSlot) put(w, h int, asked string) {
	s.mu.Lock()
	s.w, s.h, s.asked, s.pending = w, h, asked, true
	s.mu.Unlock()
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// take returns the waiting size, if any.
func (s *sizeSlot) take() (w, h int, asked string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok, s.pending = s.pending, false
	return s.w, s.h, s.asked, ok
}

// clampSize returns the size drawn for a w×h terminal, and the size asked
// for when it is more than that ("" when it is not).
func clampSize(w, h uint32) (int, int, string) {
	cw, ch := int(min(w, maxColumns)), int(min(h, maxRows))
	if cw != int(w) || ch != int(h) {
		return cw, ch, strconv.FormatUint(uint64(w), 10) + "×" + strconv.FormatUint(uint64(h), 10)
	}
	return cw, ch, ""
}

// clampNotice is the one line a session shows, in its language l, when its
// terminal is larger than what the browser draws.
func clampNotice(l *lang.Language, asked string) string {
	if asked == "" {
		return ""
	}
	return l.T("cmd.serve.clamped", "Asked", asked, "Drawn", fmt.Sprintf("%d×%d", maxColumns, maxRows))
}

// ptyRequest is the payload of a pty-req (RFC 4254, 6.2).
type ptyRequest struct {
	Term                   string
	Columns, Rows          uint32
	WidthPixels, HeightPix uint32
	Modes                  string
}

// windowChange is the payload of a window-change (RFC 4254, 6.7).
type windowChange struct {
	Columns, Rows          uint32
	WidthPixels, HeightPix uint32
}

// errRefused is a request the filter turned down; its text is the reason.
var errRefused = errors.New("refused")

// filterPty checks a pty-req and rewrites it: the size clamped, the
// terminal modes dropped (the PTY is emulated: no mode applies, and a
// garbage list is nobody's business). It stores the size in cs.
func (cs *channelState) filterPty(req *gossh.Request) (asked string, err error) {
	var p ptyRequest
	if gossh.Unmarshal(req.Payload, &p) != nil {
		// Without the modes: a list cut short is still a terminal.
		var q struct {
			Term                   string
			Columns, Rows          uint32
			WidthPixels, HeightPix uint32
			Rest                   []byte `ssh:"rest"`
		}
		if gossh.Unmarshal(req.Payload, &q) != nil {
			return "", fmt.Errorf("%w: malformed terminal request", errRefused)
		}
		p = ptyRequest{Term: q.Term, Columns: q.Columns, Rows: q.Rows}
	}
	if len(p.Term) > maxTermLen {
		return "", fmt.Errorf("%w: terminal name longer than %d bytes", errRefused, maxTermLen)
	}
	w, h, asked := clampSize(p.Columns, p.Rows)
	p.Columns, p.Rows, p.Modes = uint32(w), uint32(h), ""
	req.Payload = gossh.Marshal(&p)
	cs.sizes.put(w, h, asked)
	return asked, nil
}

// filterWindowChange stores the clamped size of a window-change; the
// request goes no further (the session's own handling of it would block
// on a browser that is busy or gone).
func (cs *channelState) filterWindowChange(req *gossh.Request) (asked string, err error) {
	var p windowChange
	if gossh.Unmarshal(req.Payload, &p) != nil {
		return "", fmt.Errorf("%w: malformed window change", errRefused)
	}
	w, h, asked := clampSize(p.Columns, p.Rows)
	cs.sizes.put(w, h, asked)
	return asked, nil
}

// feedSizes gives the browser p each size the client asks for, at most one
// every resizeEvery (a flood of window changes draws a few frames, not one
// each), and a notice while the terminal is larger than what is drawn. It
// stops the browser when the session ends, and returns when done closes.
func (s *servedSession) feedSizes(p *tea.Program, done <-chan struct{}) {
	cs := s.cs
	if cs == nil { // not through sessionChannel: the size of the PTY request
		cs = newChannelState()
		pty, _, _ := s.Pty()
		w, h, asked := clampSize(uint32(max(0, pty.Window.Width)), uint32(max(0, pty.Window.Height)))
		cs.sizes.put(w, h, asked)
	}
	slot, ready := &cs.sizes, cs.sizes.ready
	notice := ""
	pause := time.NewTimer(0)
	defer pause.Stop()
	for {
		select {
		case <-done:
			return
		case <-s.ctx.Done():
			s.stop(p)
			return
		case <-ready:
		}
		w, h, asked, ok := slot.take()
		if !ok {
			continue
		}
		if n := clampNotice(s.lang, asked); n != notice {
			notice = n
			p.Send(ui.NoticeMsg{Text: n})
		}
		p.Send(tea.WindowSizeMsg{Width: w, Height: h})
		pause.Reset(resizeEvery)
		select {
		case <-done:
			return
		case <-s.ctx.Done():
			s.stop(p)
			return
		case <-pause.C:
		}
	}
}

// stop ends the browser p of a session that has ended: when its connection
// is still there, as the browser quits (the terminal restored, then a line
// says why); when it is gone, at once (nobody will see a last frame).
func (s *servedSession) stop(p *tea.Program) {
	if s.Session.Context().Err() != nil {
		p.Kill()
		return
	}
	p.Quit()
}

// noteOnce reports whether what has not been logged yet on this
// connection, and notes it; past maxLogged distinct ones, nothing more is.
func (st *connState) noteOnce(what string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.logged[what] || len(st.logged) >= maxLogged {
		return false
	}
	if st.logged == nil {
		st.logged = map[string]bool{}
	}
	st.logged[what] = true
	return true
}

// openChannel counts a session channel; false when the connection has as
// many as it may.
func (st *connState) openChannel() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.channels >= maxChannelsPerConn {
		return false
	}
	st.channels++
	return true
}

func (st *connState) closeChannel() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.channels--
}

// sessionStarted and sessionEnded count the sessions being served: a
// connection without one for the idle timeout is closed.
func (st *connState) sessionStarted() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.sessions++
	st.running++
}

func (st *connState) sessionEnded() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.running--; st.running == 0 {
		st.idleSince = time.Now()
	}
}

// watchIdle closes the connection once it has served no session for idle
// (ssh -N, or sessions that never start a shell or a command); it checks
// again when that time could next be up.
func (srv *Server) watchIdle(ctx ssh.Context, st *connState, idle time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if ctx.Err() != nil || st.idle == nil {
		return
	}
	if st.running > 0 {
		st.idle.Reset(idle)
		return
	}
	if since := time.Since(st.idleSince); since < idle {
		st.idle.Reset(idle - since)
		return
	}
	if st.authed.Load() {
		st.mu.Unlock()
		srv.logLimit(ctx, "closed", "no session for the idle timeout ("+idle.String()+")")
		st.mu.Lock()
	}
	_ = st.conn.Close()
}

// closeStuck closes the connection of a session that has not ended within
// endGrace of its end: its client reads nothing, and a write waits for it.
func (srv *Server) closeStuck(ctx ssh.Context) {
	st := stateOf(ctx)
	if st == nil || st.conn == nil || ctx.Err() != nil {
		return // the connection has already ended
	}
	srv.logLimit(ctx, "closed", "a session did not end within "+endGrace.String()+" of its end (the client reads nothing)")
	_ = st.conn.Close()
}
