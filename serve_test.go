package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/internal/serve"
	"github.com/b24org/b24org/internal/serve/servetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"
)

// serveFixture is an in-process server, as the command line builds it,
// over a fake portal: it loads everyone before it answers.
type serveFixture struct {
	dir     *directory.Directory
	webhook string
	addr    string
	user    gossh.Signer
}

// startServer serves org until the test ends.
func startServer(t *testing.T, org *fakeportal.Org) *serveFixture {
	t.Helper()
	p := startPortal(t, org, fakeportal.Options{})
	client, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	f := &serveFixture{dir: directory.New(client, directory.Options{NoCache: true}), webhook: p.WebhookURL(),
		user: servetest.NewSigner(t)}
	look, err := newSessionLook(settings{})
	require.NoError(t, err)
	log := &servetest.Log{}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := serve.New(ctx, serve.Config{
		Options: serve.Options{Listen: "127.0.0.1:0", HostKey: filepath.Join(t.TempDir(), "host_key"), AllowAnyone: true,
			MaxSessions: serve.DefaultMaxSessions, IdleTimeout: serve.DefaultIdleTimeout, MaxSession: serve.DefaultMaxSession},
		Log: slog.New(slog.NewTextHandler(log, nil)), Look: look, Threshold: defaultThreshold, Background: true, Release: version,
		Open: func() (*directory.Directory, func(), error) { return f.dir, func() {}, nil },
	})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f.addr = ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-served)
		srv.Close()
	})
	log.WaitLog(t, "msg=\"directory loaded\"")
	return f
}

// run runs a command over SSH, without a PTY.
func (f *serveFixture) run(t *testing.T, cmd string) result {
	t.Helper()
	r := servetest.Run(t, f.addr, f.user, cmd)
	return result{stdout: r.Stdout, stderr: r.Stderr, code: r.Code}
}

func TestServeFindMatchesLocalFind(t *testing.T) {
	org := testOrg(time.Now().Add(-90 * 24 * time.Hour)) // nobody's presence or "seen ... ago" changes between two runs
	f := startServer(t, org)
	require.True(t, f.dir.Snapshot().Complete())
	u := pickPerson(t, org)

	e := newRunEnv(t)
	r := e.run(t, "--webhook", f.webhook, "export")
	require.Equal(t, 0, r.code, r.stderr)
	for _, args := range [][]string{
		{"find", u.LastName}, {"find", "--json", u.LastName}, {"find", u.Extension},
		{"find", strings.ToLower(u.FirstName), u.LastName}, {"find", "--json", "zzzznobody"},
		{"find", "--json=true", u.LastName}, {"find", "--limit", "5", "a"}, {"find", "--limit=2", "--json", "a"},
		{"find", "--jsno", "a"}, {"find", "--limit", "-1", "a"}, {"find", "--", "-a"},
	} {
		local := e.run(t, append([]string{"--webhook", f.webhook}, args...)...)
		remote := f.run(t, strings.Join(args, " "))
		assert.Equal(t, local.code, remote.code, "%v", args)
		assert.Equal(t, local.stdout, remote.stdout, "%v", args)
		// The hints say how each is run: b24org find --help, ssh HOST find --help.
		assert.Equal(t, strings.ReplaceAll(local.stderr, "(see b24org find", "(see ssh HOST find"), remote.stderr, "%v", args)
	}
	limited := f.run(t, "find --limit 5 a")
	assert.Regexp(t, `^b24org: 5 of [0-9,]+ shown; --limit 0 for all\n$`, limited.stderr)

	// find -h: the same help, less the command line's global flags (the
	// server has chosen the portal, the cache and the theme).
	local := e.run(t, "find", "-h")
	remote := f.run(t, "find -h")
	require.Equal(t, 0, remote.code, remote.stderr)
	require.Equal(t, 0, local.code, local.stderr)
	own, _, ok := strings.Cut(local.stdout, "\nGlobal Flags:")
	require.True(t, ok, local.stdout)
	assert.Equal(t, strings.TrimSpace(own), strings.TrimSpace(remote.stdout))
	assert.Contains(t, remote.stdout, "--limit int")

	found := f.run(t, "find "+u.LastName)
	require.Contains(t, found.stdout, u.Extension)
	none := f.run(t, "find zzzznobody")
	require.Equal(t, command.ExitNoMatch, none.code, "stdout %q stderr %q", none.stdout, none.stderr)
	require.Empty(t, none.stdout)
	require.Regexp(t, `^b24org: [^\n]+\n$`, none.stderr)
}

func TestServeRefusesToStartOpen(t *testing.T) {
	e := newRunEnv(t)
	dir := t.TempDir()
	hostKey := filepath.Join(dir, "host_key")
	r := e.run(t, "--demo", "serve", "--listen", "0.0.0.0:0", "--allow-anyone", "--host-key", hostKey)
	requireOneErrorLine(t, r)
	assert.Contains(t, r.stderr, "--allow-anyone is only accepted on a loopback address")

	r = e.run(t, "--demo", "serve", "--listen", "127.0.0.1:0", "--host-key", hostKey,
		"--authorized-keys", filepath.Join(dir, "missing"))
	requireOneErrorLine(t, r)
	assert.Contains(t, r.stderr, "authorized keys")

	// Only comments, a broken line, and a key with an option serve cannot honour.
	key := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(servetest.NewSigner(t).PublicKey())))
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, []byte("# team\n\nssh-ed25519 AAAAnotakey\nfrom=\"10.0.0.0/8\" "+key+"\n"), 0o600))
	r = e.run(t, "--demo", "serve", "--listen", "127.0.0.1:0", "--host-key", hostKey, "--authorized-keys", keys)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "holds no usable public key")
	assert.Contains(t, r.stderr, "line 3: not a public key")
	assert.Contains(t, r.stderr, `line 4: option \"from\" is not supported`)
	assert.NotContains(t, r.stderr, "AAAA", "key material is not echoed")

	r = e.run(t, "--demo", "serve", "--max-sessions", "0")
	requireOneErrorLine(t, r)
}

func TestSSHNoSessionObeysIdleTimeout(t *testing.T) {
	requireTools(t, "ssh", "ssh-keygen")
	dir := t.TempDir()
	key := sshKeygen(t, dir, "user")
	srv := startServeProcess(t, dir, "--allow-anyone", "--idle-timeout", "1s")
	// ssh -N: no session, no command; the server closes it at the idle timeout.
	r := srv.ssh(t, key, "-N", "127.0.0.1")
	assert.Equal(t, 255, r.code, "the connection was closed by the server: %q", r.stderr)
	srv.log.WaitLog(t, "msg=closed", `reason="no session for the idle timeout (1s)"`, "fp=SHA256:", "addr=127.0.0.1:")
	require.Equal(t, 0, srv.stop(t))
}
