package serve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/internal/serve/servetest"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"
)

// Bounds of the hostile-client suite, for the whole process (server and
// test clients): the heap a hostile session may hold (measured after a
// collection, while it attacks: a 1000×500 browser whose output is never
// read, with the 2 MB its client buffers), the most the heap may grow
// between collections during an attack, and how near its start the heap
// must come back once the client has gone.
const (
	heldPerSession    = 8 << 20
	hostileSlack      = 4 << 20
	hostilePeakBound  = 160 << 20
	hostileAfterBound = 8 << 20
	goroutineMargin   = 2 // e.g. an idle keep-alive connection to the fake portal
)

// heapBytes is the heap's object bytes now (no stop-the-world).
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// settledHeap is the heap after a collection.
func settledHeap() uint64 {
	runtime.GC()
	runtime.GC()
	return heapBytes()
}

// memPeak samples the heap until stopped and returns the largest value.
type memPeak struct {
	stop chan struct{}
	peak chan uint64
}

func watchHeap() *memPeak {
	m := &memPeak{stop: make(chan struct{}), peak: make(chan uint64, 1)}
	go func() {
		peak := heapBytes()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				m.peak <- max(peak, heapBytes())
				return
			case <-t.C:
				peak = max(peak, heapBytes())
			}
		}
	}()
	return m
}

func (m *memPeak) done() uint64 {
	close(m.stop)
	return <-m.peak
}

// waitGoroutines waits until at most n goroutines run (the limit only stops
// a hung test) and returns how many run.
func waitGoroutines(t testing.TB, n int) int {
	t.Helper()
	got := runtime.NumGoroutine()
	for deadline := time.Now().Add(20 * time.Second); got > n && time.Now().Before(deadline); got = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	if got > n {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines, at most %d expected:\n%s", got, n, buf[:runtime.Stack(buf, true)])
	}
	return got
}

// waitOutputAfter waits until what the session drew after the first mark
// bytes holds every one of parts.
func (c *ptyClient) waitOutputAfter(mark int, parts ...string) string {
	c.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		s := c.output()[mark:]
		if servetest.ContainsAll(ansi.Strip(s), parts...) || servetest.ContainsAll(s, parts...) {
			return s
		}
	}
	c.t.Fatalf("after byte %d the session never drew %q; it drew:\n%q", mark, parts, c.output()[mark:])
	return ""
}

// answers checks that the browser still answers keystrokes: the help
// opens and closes.
func (c *ptyClient) answers() {
	c.t.Helper()
	mark := len(c.output())
	c.keys("?")
	c.waitOutputAfter(mark, "Help · esc closes")
	mark = len(c.output())
	c.keys("\x1b")
	c.waitOutputAfter(mark, "Departments")
}

// hostile runs one hostile client's attack against f while witness, a
// browser on a connection of its own, must keep answering; then it checks
// that the heap stayed under hostilePeakBound and that, once the client has
// gone, the goroutines and the heap come back to where they were.
func hostile(t *testing.T, witness *ptyClient, name string, sessions int, attack func(t *testing.T) (end func())) {
	t.Run(name, func(t *testing.T) {
		witness.t = t
		witness.answers()
		goroutines := waitGoroutines(t, runtime.NumGoroutine()+goroutineMargin)
		before := settledHeap()
		peak := watchHeap()
		end := attack(t)
		witness.answers()
		held := int64(settledHeap()) - int64(before)
		end()
		gone := time.Now()
		grew := int64(peak.done()) - int64(before)
		waitGoroutines(t, goroutines)
		t.Logf("%s: the heap held %.1f MB more, and grew by at most %.1f MB; its goroutines ended %v after the client left",
			name, float64(held)/(1<<20), float64(grew)/(1<<20), time.Since(gone).Round(time.Millisecond))
		assert.Less(t, held, int64(sessions*heldPerSession+hostileSlack), "the heap held during the attack")
		assert.Less(t, grew, int64(hostilePeakBound), "the heap's growth during the attack")
		after := int64(settledHeap()) - int64(before)
		assert.Less(t, after, int64(hostileAfterBound), "the heap after the client has gone")
		witness.answers()
	})
}

// rawSession opens a session channel on a connection of its own and
// returns it with the connection; replies to its requests are read.
func (f *serveFixture) rawSession(t testing.TB) (*gossh.Client, gossh.Channel) {
	t.Helper()
	client, err := gossh.Dial("tcp", f.addr, servetest.ClientConfig(f.user))
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	ch, reqs, err := client.OpenChannel("session", nil)
	require.NoError(t, err)
	go gossh.DiscardRequests(reqs)
	return client, ch
}

// startBrowser asks for a PTY (the pty-req payload given) and a shell on ch,
// and answers the browser's terminal query, as a real terminal does.
func startBrowser(t testing.TB, ch gossh.Channel, pty []byte, msgAndArgs ...any) {
	t.Helper()
	ok, err := ch.SendRequest("pty-req", true, pty)
	require.NoError(t, err)
	require.True(t, ok, msgAndArgs...)
	ok, err = ch.SendRequest("shell", true, nil)
	require.NoError(t, err)
	require.True(t, ok)
	_, err = io.WriteString(ch, servetest.TerminalAnswer)
	require.NoError(t, err)
}

// lineStarts are what starts a line on the screen: a new line, or a cursor
// move to the start of one.
var lineStarts = regexp.MustCompile(`\r?\n|\x1b\[[0-9;]*H`)

// longestLine is the widest line drawn in s, in cells.
func longestLine(s string) int {
	n := 0
	for _, l := range lineStarts.Split(s, -1) {
		n = max(n, ansi.StringWidth(l))
	}
	return n
}

// flood sends n window changes that a real terminal never asks for, at
// once; then, every pause, a full repaint (the size changes by a column)
// reps times.
func flood(ch interface {
	SendRequest(string, bool, []byte) (bool, error)
}, n, reps int, pause time.Duration) error {
	for i := range n {
		if err := servetest.Resize(ch, uint32(i*7919%70000), uint32(i*104729%70000)); err != nil {
			return err
		}
	}
	for i := range reps {
		if err := servetest.Resize(ch, uint32(999+i%2), 500); err != nil {
			return err
		}
		time.Sleep(pause)
	}
	return nil
}

func TestServeHostileClients(t *testing.T) {
	o := testServeOptions()
	// Short, so the stuck handshakes below end soon, but not so short that a
	// real client's handshake misses it while ten 1000×500 sessions flood
	// their output under the race detector on two busy cores (at 1 s it
	// did, now and then: "ssh: handshake failed: EOF").
	o.handshake = 4 * time.Second
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, o, true)
	fp := "fp=" + gossh.FingerprintSHA256(f.user.PublicKey())
	witness := f.openPTY(t, 100, 30)
	witness.waitOutput("Departments", "? help")

	hostile(t, witness, "a 65535×65535 terminal", 1, func(t *testing.T) func() {
		c := f.openPTY(t, 65535, 65535)
		s := c.waitOutput("Departments", "the terminal says 65535×65535; at most 1000×500 is drawn")
		assert.LessOrEqual(t, longestLine(s), maxColumns, "no line wider than the clamp")
		c.answers()
		f.log.WaitLog(t, "msg=clamped", `reason="terminal size"`, "asked=65535×65535", "drawn=1000×500", fp, "addr=127.0.0.1:")
		return func() { c.client.Close() }
	})

	hostile(t, witness, "resizing to 65535×65535, and a resize flood", 1, func(t *testing.T) func() {
		c := f.openPTY(t, 80, 24)
		c.waitOutput("Departments")
		mark := len(c.output())
		require.NoError(t, servetest.Resize(c.s, 65535, 65535))
		c.waitOutputAfter(mark, "the terminal says 65535×65535")
		require.NoError(t, flood(c.s, 5000, 0, 0))
		require.NoError(t, servetest.Resize(c.s, 90, 25))
		// The last size wins (its frame ends on row 25), and with it the
		// notice goes.
		end := ansi.CursorPosition(0, 25)
		c.waitOutput(end)
		require.Eventually(t, func() bool {
			s := c.output()
			return strings.LastIndex(s, end) > strings.LastIndex(s, "the terminal says")
		}, 20*time.Second, 10*time.Millisecond)
		c.answers()
		addr := "addr=" + c.client.LocalAddr().String()
		assert.Equal(t, 1, f.log.Count("msg=clamped", `reason="terminal size"`, addr), "logged once per connection")
		return func() { c.client.Close() }
	})

	hostile(t, witness, "a 0×0 terminal draws nothing until a real size", 1, func(t *testing.T) func() {
		c := f.openPTY(t, 0, 0)
		witness.answers() // time passes
		assert.NotContains(t, ansi.Strip(c.output()), "Departments")
		require.NoError(t, servetest.Resize(c.s, 80, 24))
		c.waitOutput("Departments")
		c.answers()
		return func() { c.client.Close() }
	})

	hostile(t, witness, "output never read", 10, func(t *testing.T) func() {
		var clients []*gossh.Client
		for range 10 {
			client, ch := f.rawSession(t)
			clients = append(clients, client)
			startBrowser(t, ch, servetest.PTYPayload("xterm-256color", 1000, 500, nil))
			go func() { _ = flood(ch, 100, 8, 60*time.Millisecond) }() // whole frames: more than the client's window
		}
		time.Sleep(time.Second)
		return func() {
			for _, c := range clients {
				c.Close()
			}
		}
	})

	hostile(t, witness, "many sessions and channels on one connection", 4, func(t *testing.T) func() {
		client, err := gossh.Dial("tcp", f.addr, servetest.ClientConfig(f.user))
		require.NoError(t, err)
		var open int
		var refused error
		for range 50 {
			ch, reqs, err := client.OpenChannel("session", nil)
			if err != nil {
				refused = err
				continue
			}
			open++
			go gossh.DiscardRequests(reqs)
			_, _ = ch.SendRequest("pty-req", true, servetest.PTYPayload("xterm", 200, 60, nil))
			_, _ = ch.SendRequest("shell", true, nil)
			go func() { _, _ = io.Copy(io.Discard, ch) }()
		}
		for range 50 {
			_, _, _ = client.OpenChannel("direct-tcpip", nil)
		}
		assert.Equal(t, maxChannelsPerConn, open)
		var oce *gossh.OpenChannelError
		require.ErrorAs(t, refused, &oce)
		assert.Equal(t, gossh.ResourceShortage, oce.Reason)
		line := f.log.WaitLog(t, "refused", "more than 4 sessions at once on one connection", fp)
		assert.Contains(t, line, "addr=127.0.0.1:")
		assert.Equal(t, 1, f.log.Count("more than 4 sessions at once"), "logged once per connection")
		assert.Equal(t, 1, f.log.Count(`reason="port forwarding"`), "logged once per connection")
		return func() { client.Close() }
	})

	hostile(t, witness, "connections that never finish the handshake", 0, func(t *testing.T) func() {
		var conns []net.Conn
		for i := range 40 {
			c, err := net.Dial("tcp", f.addr)
			require.NoError(t, err)
			conns = append(conns, c)
			if i%2 == 1 {
				_, err = io.WriteString(c, "SSH-2.0-stuck\r\n") // and then nothing
				require.NoError(t, err)
			}
		}
		// The server closes each at the login deadline.
		for _, c := range conns {
			_, _ = io.Copy(io.Discard, c) // returns when the server has closed it
		}
		return func() {
			for _, c := range conns {
				c.Close()
			}
		}
	})

	hostile(t, witness, "garbage terminal modes", 5, func(t *testing.T) func() {
		var clients []*gossh.Client
		for i, modes := range [][]byte{
			{0x35}, // an opcode cut short
			bytes.Repeat([]byte{1, 0xff, 0xff, 0xff, 0xff}, 4000),
			{200, 1, 2, 3},
			{},
		} {
			client, ch := f.rawSession(t)
			clients = append(clients, client)
			var out servetest.Log
			go func() { _, _ = io.Copy(&out, ch) }()
			startBrowser(t, ch, servetest.PTYPayload("xterm", 80, 24, modes), "modes %d: the PTY is emulated, its modes are ignored", i)
			require.Eventually(t, func() bool { return strings.Contains(ansi.Strip(out.String()), "Departments") },
				20*time.Second, 10*time.Millisecond, "modes %d: the browser draws", i)
		}
		// Not even a terminal request: refused, and logged.
		client, ch := f.rawSession(t)
		clients = append(clients, client)
		ok, err := ch.SendRequest("pty-req", true, []byte{0, 0, 0, 9, 'x'})
		require.NoError(t, err)
		require.False(t, ok)
		f.log.WaitLog(t, "refused", `reason="malformed terminal request"`, fp)
		ok, err = ch.SendRequest("pty-req", true, servetest.PTYPayload(strings.Repeat("x", 100000), 80, 24, nil))
		require.NoError(t, err)
		require.False(t, ok)
		f.log.WaitLog(t, "refused", `reason="terminal name longer than 64 bytes"`, fp)
		return func() {
			for _, c := range clients {
				c.Close()
			}
		}
	})

	hostile(t, witness, "huge environment values", 1, func(t *testing.T) func() {
		client, s := f.session(t)
		big := strings.Repeat("v", 200000)
		require.Error(t, s.Setenv("HUGE", big), "a 200 kB variable is refused")
		for i := range maxEnvRequests - 1 {
			require.NoError(t, s.Setenv(fmt.Sprintf("V%d", i), strings.Repeat("v", maxEnvLen-8)))
		}
		require.Error(t, s.Setenv("ONE_TOO_MANY", "1"))
		f.log.WaitLog(t, "refused", `reason="environment variable longer than 1024 bytes"`, fp)
		f.log.WaitLog(t, "refused", `reason="too many environment variables"`, fp)
		var stdout bytes.Buffer
		s.Stdout = &stdout
		require.NoError(t, s.Run("version"), "the session still works")
		assert.Equal(t, command.VersionText(testRelease), stdout.String())
		return func() { client.Close() }
	})

	hostile(t, witness, "exec of unknown commands with huge arguments", 1, func(t *testing.T) func() {
		client, s := f.session(t)
		err := s.Run("frobnicate " + strings.Repeat("x", 200000))
		require.Error(t, err)
		var exit *gossh.ExitError
		assert.False(t, errors.As(err, &exit), "refused before it runs: %v", err)
		f.log.WaitLog(t, "refused", `reason="command longer than 4096 bytes"`, fp)
		client.Close()
		r := f.run(t, "frobnicate "+strings.Repeat("x ", 2000))
		requireOneLine(t, r, command.ExitError)
		assert.Contains(t, r.stderr, `unknown command "frobnicate"`)
		return func() {}
	})
}

func TestServeClosesIdleConnections(t *testing.T) {
	o := testServeOptions()
	// 2 s, not less: the browser below must start before a loaded
	// machine's race-detected client has been idle that long, or the
	// connection ends as one with no session.
	o.IdleTimeout = 2 * time.Second
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, o, false)
	fp := "fp=" + gossh.FingerprintSHA256(f.user.PublicKey())
	goroutines := runtime.NumGoroutine()

	// ssh -N: logged in, no session.
	client, err := gossh.Dial("tcp", f.addr, servetest.ClientConfig(f.user))
	require.NoError(t, err)
	require.Error(t, client.Wait(), "the server closes the connection")
	f.log.WaitLog(t, "msg=closed", `reason="no session for the idle timeout (2s)"`, fp, "addr=127.0.0.1:")

	// A session channel that never asks for a shell or a command.
	client, ch := f.rawSession(t)
	_, err = ch.SendRequest("env", true, gossh.Marshal(struct{ K, V string }{"A", "b"}))
	require.NoError(t, err)
	require.Error(t, client.Wait())

	// A browser whose output is never read: the idle timeout ends it, the
	// goodbye cannot be written, and the connection is closed.
	client, ch = f.rawSession(t)
	startBrowser(t, ch, servetest.PTYPayload("xterm-256color", 1000, 500, nil))
	// Whole frames, more than the client's window: 24 of them, since a
	// loaded machine draws one frame for several resizes (with 8 the
	// output sometimes fitted the window, and the session ended cleanly).
	require.NoError(t, flood(ch, 0, 24, 60*time.Millisecond))
	require.Error(t, client.Wait())
	f.log.WaitLog(t, "msg=closed", "a session did not end within 1s of its end", fp)
	waitGoroutines(t, goroutines+goroutineMargin)
}

func TestServeLimitsConnections(t *testing.T) {
	o := testServeOptions()
	o.MaxSessions = 2
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, o, false)
	for range maxConnections(o) {
		client, err := gossh.Dial("tcp", f.addr, servetest.ClientConfig(f.user))
		require.NoError(t, err)
		t.Cleanup(func() { client.Close() })
	}
	var banner string
	cfg := servetest.ClientConfig(f.user)
	cfg.BannerCallback = func(msg string) error { banner = msg; return nil }
	_, err := gossh.Dial("tcp", f.addr, cfg)
	require.Error(t, err)
	assert.Equal(t, "b24org: the server is full (4 connections); try again later\n", banner)
	f.log.WaitLog(t, "refused", "the server is full (4 connections)", "addr=127.0.0.1:")
}
