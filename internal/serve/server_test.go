package serve

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/internal/serve/servetest"
	"github.com/b24org/b24org/ui"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/wish/testsession"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// testCode is the webhook code of the test portals: it must never be logged.
const testCode = "s3cr3tW3bh00kC0de"

// testRelease is the version the test servers say they are.
const testRelease = "v0.0.0-test"

// testOrg is a small generated org: fast to load, varied enough to find in.
func testOrg(now time.Time) *fakeportal.Org {
	return fakeportal.Generate(fakeportal.GenOptions{People: 150, Departments: 14, Seed: 11, Now: now})
}

// employed is how many people of org belong to a department and are
// active: the ones a directory lists.
func employed(org *fakeportal.Org) int {
	n := 0
	for _, u := range org.Users {
		if len(u.Departments) > 0 && u.Active {
			n++
		}
	}
	return n
}

// findablePerson returns an active person of org, in a department, with an
// extension and a plain Latin last name no one else has.
func findablePerson(t testing.TB, org *fakeportal.Org) fakeportal.User {
	t.Helper()
	names := map[string]int{}
	for _, u := range org.Users {
		names[strings.ToLower(u.LastName)]++
		names[strings.ToLower(u.FirstName)]++
	}
	for _, u := range org.Users {
		if u.Active && len(u.Departments) > 0 && u.Extension != "" && names[strings.ToLower(u.LastName)] == 1 &&
			regexp.MustCompile(`^[A-Za-z]{3,}$`).MatchString(u.LastName) {
			return u
		}
	}
	t.Fatal("the generated org has no unique person to look for")
	return fakeportal.User{}
}

// testLook is the default key map, a coloured palette and the mono one.
func testLook() Look {
	c := lipgloss.Color("#7AA2F7")
	return Look{Keys: ui.DefaultKeyMap(), Palette: ui.Palette{Accent: c, Muted: lipgloss.Color("#8A8FA8"), Border: c,
		BorderFocus: c, Selected: lipgloss.Color("#2E3C64"), SelectedText: lipgloss.Color("#FFFFFF"),
		Online: lipgloss.Color("#73D982"), Idle: c, Absent: c, Offline: c, Error: c, Warning: c}}
}

// personFields are the fields of a person in the JSON contract.
var personFields = []string{
	"id", "name", "first_name", "last_name", "position", "email", "extension", "work_phone",
	"mobile", "department_ids", "departments", "presence", "last_seen", "absent_until", "active",
	"manager_id", "availability", "busy_until", "workday",
}

// exportOf decodes an export --format json answer and checks it against
// the contract: the fields of every department and person, and the forms
// of the values.
func exportOf(t *testing.T, out string) command.Export {
	t.Helper()
	var raw struct {
		Departments []map[string]json.RawMessage `json:"departments"`
		Employees   []map[string]json.RawMessage `json:"employees"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	for _, d := range raw.Departments {
		require.ElementsMatch(t, []string{"id", "name", "parent_id", "head_id"}, slices.Collect(maps.Keys(d)))
	}
	for _, p := range raw.Employees {
		require.ElementsMatch(t, personFields, slices.Collect(maps.Keys(p)))
	}
	var x command.Export
	require.NoError(t, json.Unmarshal([]byte(out), &x))
	for _, p := range x.Employees {
		require.Positive(t, p.ID)
		require.Contains(t, []string{"online", "idle", "offline"}, p.Presence)
		require.NotNil(t, p.DepartmentIDs)
		require.Len(t, p.Departments, len(p.DepartmentIDs))
		if p.LastSeen != nil {
			_, err := time.Parse(time.RFC3339, *p.LastSeen)
			require.NoError(t, err)
		}
		if p.AbsentUntil != nil {
			require.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, *p.AbsentUntil)
		}
	}
	return x
}

// logBuffer collects the server's log lines.
type logBuffer = servetest.Log

// serveFixture is an in-process serve over a fake portal.
type serveFixture struct {
	svc             *Server
	portal          *fakeportal.Portal
	webhook         string
	departmentLoads atomic.Int64 // requests for a department's people
	addr            string
	user            gossh.Signer // a key in authorized_keys
	keys            string       // the authorized_keys file
	log             *logBuffer
}

// testServeOptions are serve's defaults, without the per-address limit.
func testServeOptions() Options {
	return Options{Listen: "127.0.0.1:0", MaxSessions: DefaultMaxSessions, IdleTimeout: DefaultIdleTimeout,
		MaxSession: DefaultMaxSession}
}

// newServeFixture serves org through a portal started with po; background
// says whether the server loads everyone (it has, when this returns); each
// of more changes the server's configuration before it starts. The server
// asks for availability (calendars, workdays) when po grants the calendar
// scope, as a server over such a webhook does.
func newServeFixture(t testing.TB, org *fakeportal.Org, po fakeportal.Options, o Options, background bool,
	more ...func(*Config)) *serveFixture {
	t.Helper()
	if po.Rate == 0 {
		po.Rate = -1
	}
	po.WebhookCode = testCode
	dir := t.TempDir()
	f := &serveFixture{portal: fakeportal.New(org, po), user: servetest.NewSigner(t), log: &logBuffer{},
		keys: filepath.Join(dir, "authorized_keys")}
	// The portal, watched: a request asking for people with details
	// (USER_DATA=Y) is a department load.
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil && bytes.Contains(body, []byte("USER_DATA=Y")) {
			f.departmentLoads.Add(1)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.portal.ServeHTTP(w, r)
	}))
	t.Cleanup(web.Close)
	f.webhook = web.URL + "/rest/1/" + testCode + "/"
	client, err := api.New(api.Config{WebhookURL: f.webhook, Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f.keys, gossh.MarshalAuthorizedKey(f.user.PublicKey()), 0o600))
	o.AuthorizedKeys, o.HostKey = f.keys, filepath.Join(dir, "host_key")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := Config{Options: o, Log: slog.New(slog.NewTextHandler(f.log, nil)), Look: testLook(),
		Threshold: directory.DefaultThreshold, Background: background, Release: testRelease,
		Open: func() (*directory.Directory, func(), error) {
			return directory.New(client, directory.Options{NoCache: true, Availability: slices.Contains(po.Scopes, "calendar")}), func() {}, nil
		}}
	for _, m := range more {
		m(&c)
	}
	f.svc, err = New(ctx, c)
	require.NoError(t, err)
	t.Cleanup(f.svc.Close)
	server, err := f.svc.sshServer()
	require.NoError(t, err)
	f.addr = testsession.Listen(t, server)
	f.svc.load(ctx)
	f.svc.logStart(f.addr)
	return f
}

// commandResult is what a command session printed and its exit status.
type commandResult struct {
	stdout, stderr string
	code           int
}

// run runs a command without a PTY.
func (f *serveFixture) run(t testing.TB, cmd string) commandResult {
	t.Helper()
	r := servetest.Run(t, f.addr, f.user, cmd)
	return commandResult{stdout: r.Stdout, stderr: r.Stderr, code: r.Code}
}

// session opens a session as the authorized user, on a connection of its own.
func (f *serveFixture) session(t testing.TB) (*gossh.Client, *gossh.Session) {
	t.Helper()
	client, err := gossh.Dial("tcp", f.addr, servetest.ClientConfig(f.user))
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	s, err := client.NewSession()
	require.NoError(t, err)
	return client, s
}

// requireOneLine checks a failed command: status code, nothing on stdout,
// one "b24org: " line on stderr.
func requireOneLine(t *testing.T, r commandResult, code int) {
	t.Helper()
	require.Equal(t, code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	require.Empty(t, r.stdout)
	require.Regexp(t, `^b24org: [^\n]+\n$`, r.stderr)
}

// oldTestOrg is the small test org as it was three months ago: nobody's
// presence or "seen ... ago" changes between two runs of find.
func oldTestOrg() *fakeportal.Org { return testOrg(time.Now().Add(-90 * 24 * time.Hour)) }

func TestServeCommands(t *testing.T) {
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), true)

	r := f.run(t, "frobnicate --now")
	requireOneLine(t, r, 2)
	assert.Contains(t, r.stderr, `unknown command "frobnicate"`)

	r = f.run(t, "--plain") // without a terminal: no browser, plain or not
	requireOneLine(t, r, 2)
	assert.Contains(t, r.stderr, "the plain browser needs a terminal: ssh -t HOST -- --plain")

	r = f.run(t, "export")
	requireOneLine(t, r, 2)
	assert.Contains(t, r.stderr, "export is not allowed")
	f.log.WaitLog(t, "refused", `reason="export not allowed"`, "fp="+gossh.FingerprintSHA256(f.user.PublicKey()), "addr=127.0.0.1:")

	r = f.run(t, "find")
	requireOneLine(t, r, 2)
	r = f.run(t, "find --csv anna")
	requireOneLine(t, r, 2)
	r = f.run(t, "")
	requireOneLine(t, r, 2)
	assert.Contains(t, r.stderr, "ssh -t")

	r = f.run(t, "help")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "find [--json] [--limit N] QUERY")
	r = f.run(t, "version")
	require.Equal(t, 0, r.code)
	assert.Equal(t, command.VersionText(testRelease), r.stdout)
	assert.NotContains(t, f.log.String(), testCode, "the webhook code is never logged")
}

func TestServeExportAllowed(t *testing.T) {
	o := testServeOptions()
	o.AllowExport = true
	org := oldTestOrg()
	f := newServeFixture(t, org, fakeportal.Options{}, o, true)
	r := f.run(t, "export")
	require.Equal(t, 0, r.code, r.stderr)
	require.Len(t, exportOf(t, r.stdout).Employees, employed(org))
	r = f.run(t, "export --format csv")
	require.Equal(t, 0, r.code, r.stderr)
	require.True(t, strings.HasPrefix(r.stdout, strings.Join(command.CSVHeader(), ",")+"\n"))
	r = f.run(t, "export --format xml")
	requireOneLine(t, r, 2)
}

func TestServeRefusesUnknownKeysAndPasswords(t *testing.T) {
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), false)
	stranger := servetest.NewSigner(t)
	_, err := testsession.NewClientSession(t, f.addr, servetest.ClientConfig(stranger))
	require.Error(t, err)
	f.log.WaitLog(t, "refused", `reason="public key not authorized"`, gossh.FingerprintSHA256(stranger.PublicKey()))

	pw := servetest.ClientConfig(f.user)
	pw.Auth = []gossh.AuthMethod{gossh.Password("hunter2"), gossh.KeyboardInteractive(
		func(string, string, []string, []bool) ([]string, error) { return nil, nil })}
	_, err = testsession.NewClientSession(t, f.addr, pw)
	require.Error(t, err)
	f.log.WaitLog(t, "refused", `reason="did not log in"`, "methods=[none]")
	assert.NotContains(t, f.log.String(), "hunter2")

	// The file is read again when it changes: the stranger's key now works,
	// and the first user's no longer does.
	time.Sleep(10 * time.Millisecond) // a different modification time
	require.NoError(t, os.WriteFile(f.keys, gossh.MarshalAuthorizedKey(stranger.PublicKey()), 0o600))
	_, err = testsession.NewClientSession(t, f.addr, servetest.ClientConfig(stranger))
	require.NoError(t, err)
	_, err = testsession.NewClientSession(t, f.addr, servetest.ClientConfig(f.user))
	require.Error(t, err)
}

func TestServeRefusesForwardingAgentX11AndSubsystems(t *testing.T) {
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), false)
	client, err := gossh.Dial("tcp", f.addr, servetest.ClientConfig(f.user))
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })

	_, err = client.Dial("tcp", "127.0.0.1:22")
	require.Error(t, err, "local forwarding")
	f.log.WaitLog(t, "refused", `reason="port forwarding"`)
	_, err = client.Listen("tcp", "127.0.0.1:0")
	require.Error(t, err, "remote forwarding")
	f.log.WaitLog(t, "refused", `reason="remote forwarding"`)

	s, err := client.NewSession()
	require.NoError(t, err)
	require.Error(t, agent.RequestAgentForwarding(s))
	f.log.WaitLog(t, "refused", `reason="agent forwarding"`)
	ok, err := s.SendRequest("x11-req", true, gossh.Marshal(struct {
		Single           bool
		Protocol, Cookie string
		Screen           uint32
	}{false, "MIT-MAGIC-COOKIE-1", "00", 0}))
	require.NoError(t, err)
	require.False(t, ok)
	f.log.WaitLog(t, "refused", `reason="X11 forwarding"`)
	require.Error(t, s.RequestSubsystem("sftp"))
	f.log.WaitLog(t, "refused", `reason="subsystem sftp"`)
}

// ptyClient is a PTY session as a terminal sees it.
type ptyClient struct {
	t      testing.TB
	client *gossh.Client
	s      *gossh.Session
	in     interface{ Write([]byte) (int, error) }
	mu     sync.Mutex
	out    bytes.Buffer
	stderr logBuffer
	done   chan error
}

// openPTY starts the browser in a w×h xterm-256color PTY with env set first.
func (f *serveFixture) openPTY(t testing.TB, w, h int, env ...string) *ptyClient {
	t.Helper()
	return f.openTerm(t, "xterm-256color", w, h, env...)
}

// openTerm starts the browser in a w×h PTY whose TERM is term, with env set first.
func (f *serveFixture) openTerm(t testing.TB, term string, w, h int, env ...string) *ptyClient {
	t.Helper()
	c := &ptyClient{t: t, done: make(chan error, 1)}
	c.client, c.s = f.session(t)
	for i := 0; i+1 < len(env); i += 2 {
		require.NoError(t, c.s.Setenv(env[i], env[i+1]))
	}
	in, err := c.s.StdinPipe()
	require.NoError(t, err)
	c.in = in
	c.s.Stdout = writerFunc(func(p []byte) (int, error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.out.Write(p)
	})
	c.s.Stderr = &c.stderr
	require.NoError(t, c.s.RequestPty(term, h, w, gossh.TerminalModes{}))
	require.NoError(t, c.s.Shell())
	_, err = in.Write([]byte(servetest.TerminalAnswer))
	require.NoError(t, err)
	go func() { c.done <- c.s.Wait() }()
	return c
}

type writerFunc func([]byte) (int, error)

func (w writerFunc) Write(p []byte) (int, error) { return w(p) }

// output is everything the session drew so far.
func (c *ptyClient) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// waitOutput waits until the output holds every one of parts (escape
// sequences, or text as the terminal shows it).
func (c *ptyClient) waitOutput(parts ...string) string {
	c.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		s := c.output()
		plain := ansi.Strip(s)
		if !slices.ContainsFunc(parts, func(p string) bool { return !strings.Contains(s, p) && !strings.Contains(plain, p) }) {
			return s
		}
	}
	c.t.Fatalf("the session never drew %q; it drew:\n%q", parts, c.output())
	return ""
}

func (c *ptyClient) keys(k string) {
	c.t.Helper()
	_, err := c.in.Write([]byte(k))
	require.NoError(c.t, err)
}

// exit waits for the session to end and returns its status.
func (c *ptyClient) exit() int {
	c.t.Helper()
	select {
	case err := <-c.done:
		if exit, ok := err.(*gossh.ExitError); ok {
			return exit.ExitStatus()
		}
		require.NoError(c.t, err)
		return 0
	case <-time.After(20 * time.Second):
		c.t.Fatal("the session did not end")
		return -1
	}
}

// colours returns the colour parameters of the SGR sequences in s: 38;5 for
// a 256-colour foreground, 31 for a basic one, and so on.
func colours(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;]*)m`).FindAllStringSubmatch(s, -1) {
		params := strings.Split(m[1], ";")
		for i := 0; i < len(params); i++ {
			switch n, _ := strconv.Atoi(params[i]); {
			case n == 38 || n == 48:
				if i+1 < len(params) {
					out = append(out, params[i]+";"+params[i+1])
				}
				i = len(params)
			case n >= 30 && n <= 49 || n >= 90 && n <= 107:
				out = append(out, params[i])
			}
		}
	}
	return out
}

func TestServeBrowserSession(t *testing.T) {
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), true)
	root := f.svc.dir.Snapshot().Roots()[0]
	people, _ := f.svc.dir.Snapshot().People(root)
	require.NotEmpty(t, people)

	c := f.openPTY(t, 100, 30)
	c.waitOutput("\x1b[?1049h", "Departments", "? help")
	assert.Contains(t, colours(c.output()), "38;5", "xterm-256color gets 256 colours")

	// y copies the highlighted person's extension with OSC52, to this session.
	var ext string
	for _, p := range people {
		if p.Extension != "" {
			ext = p.Extension
			break
		}
	}
	c.keys("\t") // the people pane
	for _, p := range people {
		if p.Extension == ext {
			break
		}
		c.keys("j")
	}
	c.keys("y")
	c.waitOutput("\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte(ext)), "sent extension "+ext)

	c.keys("q")
	require.Equal(t, 0, c.exit())
	assert.Contains(t, c.output(), "\x1b[?1049l", "the alternate screen is left")
	c.client.Close()
	f.log.WaitLog(t, "msg=connection", "fp="+gossh.FingerprintSHA256(f.user.PublicKey()), "sessions=1", "duration=")
}

func TestServeNoColorSession(t *testing.T) {
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), true)
	c := f.openPTY(t, 100, 30, "NO_COLOR", "1")
	s := c.waitOutput("Departments", "? help")
	assert.Empty(t, colours(s), "NO_COLOR from the client: no colour")
	c.keys("q")
	require.Equal(t, 0, c.exit())
}

// TestServeLinksPerSession: with links on auto, each session's TERM
// decides: an xterm gets its names as links to the portal's profile pages,
// the Linux console gets none; with links off, no session gets any.
func TestServeLinksPerSession(t *testing.T) {
	// browse opens the people pane of c, moves down, waits for the
	// details and quits: what the session drew.
	browse := func(c *ptyClient, parts ...string) string {
		t.Helper()
		c.waitOutput("Departments", "? help")
		c.keys("\t")
		c.keys("j")
		s := c.waitOutput(append([]string{" people", "reports to"}, parts...)...)
		c.keys("q")
		require.Equal(t, 0, c.exit())
		return s
	}
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), true)
	profile := directory.PortalOrigin(f.webhook) + "/company/personal/user/"
	require.True(t, strings.HasPrefix(profile, "http://127.0.0.1:"), profile)

	s := browse(f.openPTY(t, 100, 30), "\x1b]8;;"+profile, "→ "+profile)
	assert.NotContains(t, s, testCode, "the webhook's code is in no link")
	s = browse(f.openTerm(t, "linux", 100, 30))
	assert.NotContains(t, s, "\x1b]8;", "the Linux console draws no links")

	off := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), true, func(c *Config) { c.Look.Links = ui.LinksOff })
	s = browse(off.openPTY(t, 100, 30))
	assert.NotContains(t, s, "\x1b]8;", "links: off")
}

func TestServeSessionLimits(t *testing.T) {
	o := testServeOptions()
	o.MaxSessions = 1
	o.IdleTimeout = 300 * time.Millisecond
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, o, false)

	c := f.openPTY(t, 80, 24)
	c.waitOutput("Departments")
	r := f.run(t, "version")
	requireOneLine(t, r, command.ExitError) // a refusal is 2: 1 is find's "matched no one"
	assert.Contains(t, r.stderr, "the server is full (1 session);")
	f.log.WaitLog(t, "refused", "the server is full", "fp=SHA256:", "addr=127.0.0.1:")

	// No keystroke: the idle timeout ends the browser, and says so.
	require.Equal(t, command.ExitError, c.exit())
	assert.Equal(t, "b24org: "+errIdle.Error()+"\r\n", c.stderr.String())
	assert.Contains(t, c.output(), "\x1b[?1049l", "the terminal is restored first")
	f.log.WaitLog(t, "refused", "idle timeout")

	o.MaxSession, o.IdleTimeout = 300*time.Millisecond, time.Hour
	f = newServeFixture(t, oldTestOrg(), fakeportal.Options{}, o, false)
	c = f.openPTY(t, 80, 24)
	c.waitOutput("Departments")
	require.Equal(t, command.ExitError, c.exit())
	assert.Contains(t, c.stderr.String(), errMaxSession.Error())
}

func TestServeLimitsNewConnectionsPerAddress(t *testing.T) {
	o := testServeOptions()
	o.PerIPPerMinute = 2
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, o, false)
	for range 2 {
		require.Equal(t, 0, f.run(t, "version").code)
	}
	var banner string
	cfg := servetest.ClientConfig(f.user)
	cfg.BannerCallback = func(msg string) error { banner = msg; return nil }
	_, err := testsession.NewClientSession(t, f.addr, cfg)
	require.Error(t, err)
	assert.Equal(t, "b24org: too many new connections from 127.0.0.1 (at most 2 a minute); try again in a minute\n", banner)
	f.log.WaitLog(t, "refused", "too many new connections", "fp=[SHA256:", "addr=127.0.0.1:")
}

func TestServeShutdownEndsSessions(t *testing.T) {
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), false)
	ctx, cancel := context.WithCancel(context.Background())
	f.svc.ctx = ctx
	c := f.openPTY(t, 80, 24)
	c.waitOutput("Departments")
	cancel()
	require.Equal(t, command.ExitError, c.exit(), "a refusal is status 2, as every error")
	assert.Contains(t, c.stderr.String(), errShutdown.Error())
}

func TestServeSessionsShareOneDepartmentLoad(t *testing.T) {
	// The tree is loaded, nobody's people yet; a hundred sessions open at
	// once and show the first department. Nothing holds the portal's answer
	// back: sessions that start while the load is under way share it, and
	// those that start (or read the snapshot) after it reuse it.
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), false)
	dept := f.svc.dir.Snapshot().Department(f.svc.dir.Snapshot().Roots()[0])
	f.portal.ResetCounters()

	const n = 100
	sessions := make([]*ptyClient, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sessions[i] = f.openPTY(t, 100, 30)
		}()
	}
	wg.Wait()
	for _, c := range sessions {
		require.NotNil(t, c)
		c.waitOutput(dept.Name+" · ", " people ─", "ext ")
	}
	for _, c := range sessions {
		c.keys("q")
	}
	for _, c := range sessions {
		require.Equal(t, 0, c.exit())
	}
	assert.EqualValues(t, 1, f.departmentLoads.Load(), "%d sessions opened %q: one portal call", n, dept.Name)
	assert.EqualValues(t, 1, f.portal.Total(), "the tree is reused too: %v", f.portal.Requests())
}

func TestServeAuthorizedKeysOptions(t *testing.T) {
	a, b, c := servetest.NewSigner(t), servetest.NewSigner(t), servetest.NewSigner(t)
	line := func(prefix string, k gossh.Signer) string {
		return prefix + string(gossh.MarshalAuthorizedKey(k.PublicKey()))
	}
	keys, problems := parseAuthorizedKeys([]byte(line("", a) + line("restrict,no-agent-forwarding ", b) +
		line(`command="/bin/sh" `, c)))
	assert.True(t, keys[string(a.PublicKey().Marshal())])
	assert.True(t, keys[string(b.PublicKey().Marshal())], "options that only forbid are fine")
	assert.False(t, keys[string(c.PublicKey().Marshal())], "a forced command cannot be honoured: the key is ignored")
	assert.Equal(t, []string{`line 3: option "command" is not supported`}, problems)
}

func TestServeHostKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "host")
	s1, created, err := loadHostKey(path)
	require.NoError(t, err)
	require.True(t, created)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	s2, created, err := loadHostKey(path)
	require.NoError(t, err)
	require.False(t, created)
	assert.Equal(t, s1.PublicKey().Marshal(), s2.PublicKey().Marshal(), "the same key next time")

	require.NoError(t, os.Chmod(path, 0o644))
	_, _, err = loadHostKey(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "chmod 600")
}

// TestServePanicEndsOneSessionOnly injects a panic into one session's
// command: that session ends with status 2 and one error line, the panic is
// logged, and a browser open meanwhile and the sessions after it go on.
func TestServePanicEndsOneSessionOnly(t *testing.T) {
	org := oldTestOrg()
	f := newServeFixture(t, org, fakeportal.Options{}, testServeOptions(), true, func(c *Config) {
		c.beforeCommand = func(args []string) {
			if len(args) == 2 && args[0] == "find" && args[1] == "boom" {
				panic("injected failure")
			}
		}
	})
	u := findablePerson(t, org)
	witness := f.openPTY(t, 100, 30)
	witness.waitOutput("Departments", "? help")

	r := f.run(t, "find boom")
	requireOneLine(t, r, command.ExitError)
	assert.Contains(t, r.stderr, "internal error")
	f.log.WaitLog(t, "session panicked", "injected failure")

	witness.answers()
	found := f.run(t, "find "+u.LastName)
	require.Equal(t, command.ExitOK, found.code, found.stderr)
	assert.Contains(t, found.stdout, u.Extension)
	r = f.run(t, "find boom")
	requireOneLine(t, r, command.ExitError)
	witness.answers()
	witness.keys("q")
	require.Equal(t, 0, witness.exit())
}
