package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readDirNames lists the names in dir.
func readDirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, err
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func TestBadPortalOneLineNoSecret(t *testing.T) {
	org := testOrg(time.Now())
	good := startPortal(t, org, fakeportal.Options{})
	noScope := startPortal(t, org, fakeportal.Options{Scopes: []string{"department"}})
	html := startPortal(t, org, fakeportal.Options{})
	html.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultHTML}})
	stall := startPortal(t, org, fakeportal.Options{})
	stall.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultStall}, Stall: 3 * time.Second})
	faulty := startPortal(t, org, fakeportal.Options{})
	faulty.SetFaults(fakeportal.Faults{Rate: 1, Stall: 3 * time.Second})
	const wrongCode = "wr0ngC0deQQ"

	cases := []struct {
		name    string
		webhook string
		says    string
	}{
		{"malformed", "https://portal.example/rest/1/", "webhook"},
		{"not a url", "::" + testCode, "webhook"},
		{"method after code", "https://portal.example/rest/1/" + testCode + "/user.get", "webhook"},
		{"plain http", "http://portal.example/rest/1/" + testCode + "/", "https"},
		{"unreachable", "http://" + closedPort(t) + "/rest/1/" + testCode + "/", ""},
		{"wrong code", good.URL() + "/rest/1/" + wrongCode + "/", ""},
		{"missing scope", noScope.WebhookURL(), "scope"},
		{"html page", html.WebhookURL(), ""},
		{"stall", stall.WebhookURL(), ""},
		{"every fault", faulty.WebhookURL(), ""},
	}
	e := newRunEnv(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, cmd := range [][]string{{"find", "anna"}, {"export"}} {
				args := append([]string{"--webhook", c.webhook, "--timeout", "300ms", "--retries", "1"}, cmd...)
				r := e.run(t, args...)
				requireOneErrorLine(t, r, wrongCode)
				t.Logf("%v: %s", cmd, r.stderr)
				if c.says != "" {
					require.Contains(t, strings.ToLower(r.stderr), c.says)
				}
			}
		})
	}
}

func TestBadOAuthNoSecret(t *testing.T) {
	p := startPortal(t, testOrg(time.Now()), fakeportal.Options{OAuth: true, ClientID: "app.test", ClientSecret: "cl13ntS3cr3t"})
	const access, refresh = "acc3ssT0kenZZ", "r3fr3shT0kenZZ"
	e := newRunEnv(t).with(
		"B24_PORTAL_URL="+p.URL()+"/",
		"B24_ACCESS_TOKEN="+access,
		"B24_REFRESH_TOKEN="+refresh,
		"B24_CLIENT_ID=app.test",
		"B24_CLIENT_SECRET=wr0ngS3cr3t",
		"B24_OAUTH_URL="+p.URL()+"/oauth/token/",
	)
	r := e.run(t, "--retries", "1", "find", "anna")
	requireOneErrorLine(t, r, access, refresh, "cl13ntS3cr3t", "wr0ngS3cr3t")
}

func TestConfigParseErrorSaysWhere(t *testing.T) {
	e := newRunEnv(t)
	for _, c := range []struct{ text, line, says string }{
		{"theme: dark\nrate: standard\nbogus: 1\n", "line 3", "bogus"},
		{"theme: dark\n  quit: q\n", "line 2", ""},
		{"\tfoo: bar\n", "line 1", ""},
		{"webhook: https://p.example/rest/1/abc/\nfreshness: soon\n", "line 2", ""},
		{"rate:\n  per_second: 3\n  burstt: 9\n", "line 3", "burstt"},
		{"oauth: " + testCode + "\n", "line 1", ""},
	} {
		path := e.writeConfig(t, c.text)
		r := e.run(t, "find", "anna")
		requireOneErrorLine(t, r)
		require.Contains(t, r.stderr, path)
		require.Contains(t, r.stderr, c.line)
		require.Contains(t, r.stderr, c.says)
	}
	r := e.run(t, "--config", e.home+"/missing.yaml", "find", "anna")
	requireOneErrorLine(t, r)
	require.Contains(t, r.stderr, "missing.yaml")
}

func TestConfigPermissionWarning(t *testing.T) {
	p := startPortal(t, testOrg(time.Now()), fakeportal.Options{})
	u := pickPerson(t, testOrg(time.Now()))
	e := newRunEnv(t)
	path := e.writeConfig(t, "webhook: "+p.WebhookURL()+"\n")
	require.NoError(t, os.Chmod(path, 0o644))
	r := e.run(t, "find", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	require.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
	require.Contains(t, r.stderr, "chmod 600 "+path)
	requireNoSecret(t, r)

	require.NoError(t, os.Chmod(path, 0o600))
	r = e.run(t, "find", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr)
}

func TestFlagsBeatEnvBeatFile(t *testing.T) {
	org := testOrg(time.Now())
	p := startPortal(t, org, fakeportal.Options{})
	u := pickPerson(t, org)
	wrong := func(code string) string { return p.URL() + "/rest/1/" + code + "/" }

	e := newRunEnv(t)
	e.writeConfig(t, "webhook: "+wrong("fileC0de")+"\n")
	env := e.with("B24_WEBHOOK_URL=" + wrong("envC0de"))

	r := env.run(t, "--webhook", p.WebhookURL(), "find", u.LastName)
	require.Equal(t, 0, r.code, "the flag beats env and file: %s", r.stderr)

	r = env.run(t, "--no-cache", "find", u.LastName) // the cache the first run wrote would answer alone
	require.Equal(t, 2, r.code, "env beats the file")

	r = e.with("B24_WEBHOOK_URL="+p.WebhookURL()).run(t, "find", u.LastName)
	require.Equal(t, 0, r.code, "env beats the file: %s", r.stderr)

	e.writeConfig(t, "webhook: "+p.WebhookURL()+"\n")
	r = e.run(t, "find", u.LastName)
	require.Equal(t, 0, r.code, "the file alone: %s", r.stderr)
	r = e.with("B24_WEBHOOK_URL="+wrong("envC0de")).run(t, "--no-cache", "find", u.LastName)
	require.Equal(t, 2, r.code, "env beats the file")
}

func TestOAuthRefreshIsSavedToTheConfigFile(t *testing.T) {
	org := testOrg(time.Now())
	p := startPortal(t, org, fakeportal.Options{OAuth: true, ClientID: "app.test", ClientSecret: "cl13ntS3cr3t"})
	u := pickPerson(t, org)
	access, refresh := p.IssueTokens()
	p.ExpireAccessTokens()
	e := newRunEnv(t)
	path := e.writeConfig(t, "# the team portal\noauth:\n"+
		"  portal_url: "+p.URL()+"/\n"+
		"  token_url: "+p.TokenURL()+"\n"+
		"  client_id: app.test\n"+
		"  client_secret: cl13ntS3cr3t\n"+
		"  access_token: "+access+"\n"+
		"  refresh_token: "+refresh+"\n")

	r := e.run(t, "find", "--json", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	requireNoSecret(t, r, access, refresh, "cl13ntS3cr3t")
	_, ok := findByID(decodePeople(t, r.stdout), u.ID)
	require.True(t, ok)

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	cfg, err := parseConfig(data)
	require.NoError(t, err)
	require.NotEqual(t, refresh, cfg.OAuth.RefreshToken, "the new refresh token replaced the spent one")
	require.NotEqual(t, access, cfg.OAuth.AccessToken)
	require.Contains(t, string(data), "# the team portal")

	p.ExpireAccessTokens()
	r = e.run(t, "find", "--json", u.LastName)
	require.Equal(t, 0, r.code, "the saved refresh token works the next time: %s", r.stderr)
}

// pageServer is a loopback server answering every request with an HTML page
// of the given status, as a proxy's login page or a captive portal does; it
// counts the requests.
func pageServer(t *testing.T, status int) (webhook string, hits *atomic.Int64) {
	t.Helper()
	hits = &atomic.Int64{}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><body><form>Sign in</form></body></html>")
	}))
	t.Cleanup(s.Close)
	return s.URL + "/rest/1/" + testCode + "/", hits
}

func TestErrorsRetryingWillNotFixFailFast(t *testing.T) {
	org := testOrg(time.Now())
	p := startPortal(t, org, fakeportal.Options{})
	noScope := startPortal(t, org, fakeportal.Options{Scopes: []string{"im"}})
	e := newRunEnv(t)
	commands := [][]string{{"find", "anna"}, {"export"}}

	t.Run("host name not found", func(t *testing.T) {
		for _, cmd := range commands {
			r := e.run(t, append([]string{"--webhook", "https://nonexistent.invalid/rest/1/" + testCode + "/"}, cmd...)...)
			requireOneErrorLine(t, r)
			assert.Contains(t, r.stderr, "host name does not exist")
			assert.Contains(t, r.stderr, "check the spelling of the portal address")
			assert.NotContains(t, r.stderr, "gave up after", "no retries")
		}
	})
	pages := map[string]int{"HTML page with 200": http.StatusOK, "401 page": http.StatusUnauthorized, "403 page": http.StatusForbidden}
	for name, status := range pages {
		t.Run(name, func(t *testing.T) {
			hook, hits := pageServer(t, status)
			want := int64(1)
			if status == http.StatusOK {
				want = 2 // one stray page may be a hiccup; two in a row are not
			}
			for _, cmd := range commands {
				before := hits.Load()
				r := e.run(t, append([]string{"--webhook", hook}, cmd...)...)
				requireOneErrorLine(t, r)
				assert.Contains(t, r.stderr, "HTML page")
				assert.Contains(t, r.stderr, "not the Bitrix24 REST API")
				got := hits.Load() - before
				if cmd[0] == "find" {
					// find asks for the tree and searches at once; the
					// first failure cancels the other call.
					assert.True(t, got >= want && got <= 2*want, "%v: %d attempts; %s", cmd, got, r.stderr)
				} else {
					assert.Equal(t, want, got, "%v: attempts; %s", cmd, r.stderr)
				}
			}
		})
	}
	for name, hook := range map[string]string{
		"401 wrong code":    p.URL() + "/rest/1/wr0ngC0de/",
		"403 missing scope": noScope.WebhookURL(),
	} {
		t.Run(name, func(t *testing.T) {
			portal := p
			if hook == noScope.WebhookURL() {
				portal = noScope
			}
			before := portal.Total()
			r := e.run(t, "--webhook", hook, "find", "anna")
			requireOneErrorLine(t, r)
			// find asks for the tree and searches at once: one request each.
			assert.LessOrEqual(t, portal.Total()-before, int64(2), r.stderr)
			assert.NotContains(t, r.stderr, "gave up after")
		})
	}
	t.Run("a gateway page is retried", func(t *testing.T) {
		hook, hits := pageServer(t, http.StatusGatewayTimeout)
		r := e.run(t, "--webhook", hook, "--retries", "2", "export")
		requireOneErrorLine(t, r)
		assert.Contains(t, r.stderr, "gave up after 3 attempts")
		assert.Equal(t, int64(3), hits.Load())
	})
	t.Run("gave up after 1 attempt", func(t *testing.T) {
		hook, _ := pageServer(t, http.StatusBadGateway)
		r := e.run(t, "--webhook", hook, "--retries", "0", "export")
		requireOneErrorLine(t, r)
		assert.Contains(t, r.stderr, "(gave up after 1 attempt)")
	})
}

// runOnTerminal runs the binary with stderr on a pseudo-terminal (stdout
// stays a pipe, as in `b24org find x | jq`) and returns both.
func runOnTerminal(t *testing.T, e *runEnv, args ...string) result {
	t.Helper()
	ptmx, tty, err := pty.Open()
	require.NoError(t, err)
	defer ptmx.Close()
	cmd := exec.CommandContext(t.Context(), testBinaryPath, args...)
	cmd.Env, cmd.Dir = e.vars, e.home
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, tty
	require.NoError(t, cmd.Start())
	require.NoError(t, tty.Close())
	var stderr bytes.Buffer
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		_, _ = io.Copy(&stderr, ptmx) // ends with EIO once the program has exited
	}()
	werr := cmd.Wait()
	<-copied
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	if errors.As(werr, &exit) {
		r.code = exit.ExitCode()
	} else {
		require.NoError(t, werr)
	}
	return r
}

func TestRetryingShowsOnATerminal(t *testing.T) {
	p := startPortal(t, testOrg(time.Now()), fakeportal.Options{})
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultServerError}})
	e := newRunEnv(t)
	for _, cmd := range [][]string{{"find", "anna"}, {"export"}} {
		args := append([]string{"--webhook", p.WebhookURL(), "--retries", "2"}, cmd...)
		r := runOnTerminal(t, e, args...)
		require.Equal(t, 2, r.code, r.stderr)
		assert.Regexp(t, `\rb24org: [a-z.]+: retrying \(2/3\) in 1s… \(INTERNAL_SERVER_ERROR\)\x1b\[K`, r.stderr)
		assert.Contains(t, r.stderr, "retrying (3/3)")
		assert.Contains(t, r.stderr, "\r\x1b[Kb24org: ", "the retry line is cleared before the error line")
		assert.Contains(t, r.stderr, "gave up after 3 attempts")
		assert.NotContains(t, r.all(), testCode)

		plain := e.run(t, args...)
		requireOneErrorLine(t, plain)
		assert.NotContains(t, plain.stderr, "retrying", "nothing extra when stderr is not a terminal")
	}

	// Once the portal answers, the output is clean and the line is gone.
	p.SetFaults(fakeportal.Faults{Rate: 0.5, Kinds: []fakeportal.Fault{fakeportal.FaultServerError}, Seed: 3})
	r := runOnTerminal(t, e, "--webhook", p.WebhookURL(), "--retries", "20", "export")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "retrying (2/21)")
	assert.True(t, strings.HasSuffix(r.stderr, "\r\x1b[K"), "stderr ends with the line cleared: %q", r.stderr)
	assert.Equal(t, employedIDs(p.Snapshot()), exportIDs(t, r.stdout))
}

// exportIDs are the employee IDs of an export, in order.
func exportIDs(t *testing.T, out string) []int {
	t.Helper()
	var ids []int
	for _, p := range exportOf(t, out).Employees {
		ids = append(ids, p.ID)
	}
	return ids
}

func TestConfigIsCheckedByEveryCommand(t *testing.T) {
	p := startPortal(t, testOrg(time.Now()), fakeportal.Options{})
	e := newRunEnv(t)
	for _, c := range []struct{ text, line, says string }{
		{"webhook: " + p.WebhookURL() + "\nkeys:\n  quit: [x]\n  jump: [j]\n", "line 4", `unknown key action "jump"`},
		{"webhook: " + p.WebhookURL() + "\nkeys:\n  quit: []\n", "line 3", `no keys given for action "quit"`},
		{"webhook: " + p.WebhookURL() + "\ntheme: neon\n", "line 2", `unknown theme "neon"`},
		{"webhook: " + p.WebhookURL() + "\ntheme: [dark\n", "line 2", "this [ is never closed"},
		{"webhook: " + p.WebhookURL() + "\nkeys: {quit: [q, ctrl+c}\n", "line 2", "never closed"},
		{"webhook: " + p.WebhookURL() + "\n\ttheme: dark\n", "line 2", "a tab where YAML expects spaces"},
		{"\ttheme: dark\n", "line 1", "a tab where YAML expects spaces"},
	} {
		path := e.writeConfig(t, c.text)
		for _, cmd := range [][]string{{"find", "anna"}, {"export"}, {"--demo", "find", "anna"}, {"--demo"}} {
			r := e.run(t, cmd...)
			requireOneErrorLine(t, r)
			assert.Contains(t, r.stderr, path, "%v", cmd)
			assert.Contains(t, r.stderr, c.line+": ", "%v: %s", cmd, r.stderr)
			assert.Contains(t, r.stderr, c.says, "%v", cmd)
		}
	}
	e.writeConfig(t, "webhook: "+p.WebhookURL()+"\ntheme: light\nkeys:\n  quit: [x]\n")
	r := e.run(t, "--theme", "neon", "find", "anna")
	requireOneErrorLine(t, r)
	assert.Contains(t, r.stderr, `--theme: unknown theme "neon"`)
	u := pickPerson(t, testOrg(time.Now()))
	r = e.run(t, "find", u.LastName)
	assert.Equal(t, 0, r.code, "a good file works: %s", r.stderr)
}

func TestVersionFlag(t *testing.T) {
	e := newRunEnv(t)
	flag := e.run(t, "--version")
	require.Equal(t, 0, flag.code, flag.stderr)
	cmd := e.run(t, "version")
	assert.Equal(t, cmd.stdout, flag.stdout)
	assert.True(t, strings.HasPrefix(flag.stdout, "b24org "+testVersion+"\n"), flag.stdout)
}

func TestFlagErrorPointsToTheCommandsHelp(t *testing.T) {
	e := newRunEnv(t)
	for args, want := range map[string]string{"find --jsno anna": "(see b24org find --help)", "export --fromat csv": "(see b24org export --help)", "--no-such-flag": "(see b24org --help)"} {
		r := e.run(t, strings.Fields(args)...)
		requireOneErrorLine(t, r)
		assert.Contains(t, r.stderr, want, args)
	}
}

func TestFlagValuesComplete(t *testing.T) {
	e := newRunEnv(t)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--theme", ""}, []string{"auto", "dark", "light", "mono"}},
		{[]string{"--rate", ""}, []string{"standard", "enterprise"}},
		{[]string{"find", "--theme", "l"}, []string{"auto", "dark", "light", "mono"}},
		{[]string{"export", "--format", ""}, []string{"json", "csv", "vcf", "mermaid"}},
	} {
		r := e.run(t, append([]string{"__complete"}, c.args...)...)
		require.Equal(t, 0, r.code, r.stderr)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		require.NotEmpty(t, lines)
		assert.Equal(t, c.want, lines[:len(lines)-1], "%v", c.args)
		assert.Equal(t, ":4", lines[len(lines)-1], "no file names: %v", c.args)
	}
}

// joined is a tmux screen with the box borders taken out and the rows
// joined, so that a wrapped sentence reads whole.
func joined(screen string) string {
	screen = strings.NewReplacer("┃", " ", "│", " ", "┏", " ", "┓", " ", "┗", " ", "┛", " ", "━", " ",
		"┌", " ", "┐", " ", "└", " ", "┘", " ", "─", " ").Replace(screen)
	return strings.Join(strings.Fields(screen), " ")
}

func TestTUIShowsWhyLoadingFailed(t *testing.T) {
	t.Run("cause and fix", func(t *testing.T) {
		hook, hits := pageServer(t, http.StatusOK)
		x, _ := startTUI(t, newRunEnv(t), "--webhook", hook)
		s := x.waitText("✗ the department tree did not load", "r retry · e details")
		assert.Contains(t, joined(s), "the department tree did not load. loading the department tree: department.get:",
			"the tree pane says what failed and why")
		assert.Contains(t, joined(s), "To fix: the address answers with a web page")
		x.keys("e")
		s = x.waitScreen("the error view", func(s string) bool { return strings.Contains(s, "Errors · esc back") })
		text := joined(s)
		assert.Contains(t, text, "the answer is an HTML page, not JSON")
		assert.Contains(t, text, "To fix: the address answers with a web page, not the Bitrix24 REST API: "+
			"check the portal address and the webhook URL (a proxy or a login page may be in the way)")
		assert.NotContains(t, s, testCode)
		assert.LessOrEqual(t, hits.Load(), int64(4), "two calls at most (tree and people), each stopped after two pages")
		x.keys("Escape")
		x.waitText("e details")
		x.quit()
	})
	t.Run("retrying", func(t *testing.T) {
		hook, _ := pageServer(t, http.StatusBadGateway)
		x, _ := startTUI(t, newRunEnv(t), "--webhook", hook, "--retries", "4")
		x.waitText("loading departments: retrying (", "/5) in ", "(HTTP 502: the answer is an HTML page")
		x.waitText("✗ the department tree did not load", "e details · r retry")
		x.quit()
	})
	t.Run("warning stays", func(t *testing.T) {
		p := startPortal(t, testOrg(time.Now()), fakeportal.Options{})
		e := newRunEnv(t)
		path := e.writeConfig(t, "webhook: "+p.WebhookURL()+"\n")
		require.NoError(t, os.Chmod(path, 0o644))
		x, stderr := startTUI(t, e)
		x.waitText("Departments", "! warning: others can read the config file, and it holds a secret; run: chmod 600", "e details")
		x.keys("Down", "Down")
		x.waitText("others can read the config file")
		x.keys("e")
		s := x.waitText("Errors · esc back")
		assert.Contains(t, joined(s), "chmod 600 "+path)
		x.quit()
		data, err := os.ReadFile(stderr)
		require.NoError(t, err)
		assert.Contains(t, string(data), "chmod 600 "+path, "and on stderr, as before")
	})
}
