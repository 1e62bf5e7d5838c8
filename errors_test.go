package main

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
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
