package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/internal/serve/servetest"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/charmbracelet/lipgloss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sshServerProcess is `b24org --demo serve` running as a process of its own.
type sshServerProcess struct {
	cmd  *exec.Cmd
	addr string // 127.0.0.1:PORT
	port string
	log  *servetest.Log
	done chan struct{} // closed when the process has ended
}

// requireTools fails (never skips) when a tool the end-to-end tests drive is missing.
func requireTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed by this test: install it (apt-get install tmux openssh-client)", tool)
		}
	}
}

// sshKeygen writes a new ed25519 key pair to dir/name and dir/name.pub.
func sshKeygen(t testing.TB, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path).CombinedOutput()
	require.NoError(t, err, "ssh-keygen: %s", out)
	return path
}

// startServeProcess runs the test binary's serve in dir with args (after
// --demo serve) on a free loopback port, until the test ends.
func startServeProcess(t testing.TB, dir string, args ...string) *sshServerProcess {
	t.Helper()
	return startServeProcessEnv(t, dir, nil, args...)
}

// startServeProcessEnv is startServeProcess with the variables env added to
// the server's environment.
func startServeProcessEnv(t testing.TB, dir string, env []string, args ...string) *sshServerProcess {
	t.Helper()
	home := filepath.Join(dir, "home")
	require.NoError(t, os.MkdirAll(home, 0o700))
	p := &sshServerProcess{log: &servetest.Log{}, done: make(chan struct{})}
	p.cmd = exec.Command(testBinaryPath, append([]string{"--demo", "serve", "--listen", "127.0.0.1:0",
		"--host-key", filepath.Join(dir, "host_key")}, args...)...)
	p.cmd.Env = append([]string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_CACHE_HOME=" + home, "PATH=" + os.Getenv("PATH")}, env...)
	p.cmd.Stderr = p.log
	require.NoError(t, p.cmd.Start())
	go func() {
		_ = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	line := p.log.WaitLog(t, "msg=serving", "addr=")
	p.addr = regexp.MustCompile(`addr=(\S+)`).FindStringSubmatch(line)[1]
	_, p.port, _ = net.SplitHostPort(p.addr)
	p.log.WaitLog(t, "msg=\"directory loaded\"")
	return p
}

// stop sends SIGTERM and returns the exit code.
func (p *sshServerProcess) stop(t testing.TB) int {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop on SIGTERM")
	}
	return p.cmd.ProcessState.ExitCode()
}

// sshArgs are the OpenSSH client's arguments to log in with key, then more.
func (p *sshServerProcess) sshArgs(key string, more ...string) []string {
	return append([]string{"-i", key, "-p", p.port, "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR"}, more...)
}

// ssh runs the OpenSSH client and returns what it printed and its exit code.
func (p *sshServerProcess) ssh(t testing.TB, key string, more ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", p.sshArgs(key, more...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if exit, ok := err.(*exec.ExitError); ok {
		r.code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return r
}

// withoutStatus cuts the STATUS column (relative to now) off a find table.
func withoutStatus(table string) string {
	lines := strings.Split(table, "\n")
	at := strings.Index(lines[0], "STATUS")
	for i, l := range lines {
		if at >= 0 && len(l) > at {
			lines[i] = strings.TrimRight(l[:at], " ")
		}
	}
	return strings.Join(lines, "\n")
}

func TestSSHEndToEnd(t *testing.T) {
	requireTools(t, "ssh", "ssh-keygen", "tmux")
	dir := t.TempDir()
	user := sshKeygen(t, dir, "user")
	stranger := sshKeygen(t, dir, "stranger")
	pub, err := os.ReadFile(user + ".pub")
	require.NoError(t, err)
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, pub, 0o600))
	srv := startServeProcess(t, dir, "--authorized-keys", keys, "--per-ip-per-minute", "0")
	fi, err := os.Stat(filepath.Join(dir, "host_key"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the host key is created private")

	t.Run("find prints what the local find prints", func(t *testing.T) {
		e := newRunEnv(t)
		local := e.run(t, "--demo", "find", "--json", "anna")
		require.Equal(t, 0, local.code, local.stderr)
		remote := srv.ssh(t, user, "127.0.0.1", "find", "--json", "anna")
		require.Equal(t, 0, remote.code, remote.stderr)
		ids := func(out string) (ids []int) {
			var people []command.Person
			require.NoError(t, json.Unmarshal([]byte(out), &people))
			for _, p := range people {
				ids = append(ids, p.ID)
			}
			return ids
		}
		require.NotEmpty(t, ids(local.stdout))
		assert.Equal(t, ids(local.stdout), ids(remote.stdout))

		local = e.run(t, "--demo", "find", "anna")
		remote = srv.ssh(t, user, "127.0.0.1", "find", "anna")
		require.Equal(t, 0, remote.code, remote.stderr)
		assert.Equal(t, withoutStatus(local.stdout), withoutStatus(remote.stdout))

		r := srv.ssh(t, user, "127.0.0.1", "launch", "rockets")
		assert.Equal(t, 2, r.code)
		assert.Equal(t, "b24org: unknown command \"launch\" (see ssh HOST help)\n", r.stderr)
		r = srv.ssh(t, user, "127.0.0.1", "export")
		assert.Equal(t, 2, r.code)
		assert.Contains(t, r.stderr, "export is not allowed")
	})

	t.Run("find takes the query language", func(t *testing.T) {
		r := srv.ssh(t, user, "127.0.0.1", "find", "--json", "--limit", "0", "dept:sales online")
		require.Equal(t, 0, r.code, r.stderr)
		var people []command.Person
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &people))
		require.NotEmpty(t, people)
		for _, p := range people {
			assert.Equal(t, "online", p.Presence, p.Name)
			assert.True(t, slices.ContainsFunc(p.Departments, func(d string) bool { return strings.HasPrefix(d, "Acme Corp › Sales") }),
				"%s in %v", p.Name, p.Departments)
		}
		// ssh joins its arguments and the server splits them as a shell
		// does: a quoted value keeps its quotes when they are escaped.
		r = srv.ssh(t, user, "127.0.0.1", "find", "--json", "--limit", "0", `dept:\"customer support\"`)
		require.Equal(t, 0, r.code, r.stderr)
		people = nil
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &people))
		require.NotEmpty(t, people)
		for _, p := range people {
			assert.True(t, slices.ContainsFunc(p.Departments, func(d string) bool { return strings.Contains(d, "Customer Support") }),
				"%s in %v", p.Name, p.Departments)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		r := srv.ssh(t, stranger, "127.0.0.1", "version")
		assert.Equal(t, 255, r.code)
		assert.Contains(t, r.stderr, "Permission denied (publickey)")
		srv.log.WaitLog(t, "refused", "public key not authorized")

		r = srv.ssh(t, user, "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no",
			"127.0.0.1", "version")
		assert.Equal(t, 255, r.code)
		assert.Contains(t, r.stderr, "Permission denied (publickey)")

		r = srv.ssh(t, user, "-W", "127.0.0.1:"+srv.port, "127.0.0.1")
		assert.Equal(t, 255, r.code)
		assert.Contains(t, r.stderr, "forwarding failed")
		srv.log.WaitLog(t, "refused", `reason="port forwarding"`)
		r = srv.ssh(t, user, "-o", "ExitOnForwardFailure=yes", "-N", "-R", "127.0.0.1:0:127.0.0.1:"+srv.port, "127.0.0.1")
		assert.NotEqual(t, 0, r.code)
		assert.Contains(t, r.stderr, "remote port forwarding failed")
		srv.log.WaitLog(t, "refused", "remote forwarding")

		// ssh -L listens here; what arrives there is refused at the server.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		local := l.Addr().String()
		l.Close()
		fwd := exec.Command("ssh", srv.sshArgs(user, "-o", "ExitOnForwardFailure=yes", "-N", "-L", local+":"+srv.addr, "127.0.0.1")...)
		require.NoError(t, fwd.Start())
		t.Cleanup(func() { _ = fwd.Process.Kill(); _ = fwd.Wait() })
		var c net.Conn
		for deadline := time.Now().Add(15 * time.Second); c == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			c, _ = net.Dial("tcp", local)
		}
		require.NotNil(t, c, "ssh -L never listened")
		n, _ := c.Read(make([]byte, 16))
		c.Close()
		assert.Zero(t, n, "nothing comes through the tunnel")
		srv.log.WaitLog(t, "refused", `reason="port forwarding"`)
	})

	t.Run("the browser over ssh in a terminal", func(t *testing.T) {
		env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"}
		x := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock"), env: env}
		login := "exec ssh -t " + strings.Join(srv.sshArgs(user, "127.0.0.1"), " ")
		x.must("-f", "/dev/null", "new-session", "-d", "-s", "tui", "-x", "100", "-y", "30", login)
		t.Cleanup(func() { _, _ = x.run("kill-server") })
		raw := filepath.Join(dir, "raw")
		x.must("pipe-pane", "-O", "-t", "tui", "cat >> "+raw) // what the session writes, from here on
		s := x.waitText("Departments", "Acme Corp", " people ", "? help")
		first, _, _ := strings.Cut(s, "\n")
		require.NotContains(t, first, "›", "the root is highlighted")

		// Keys move the cursor: down highlights the first division.
		x.keys("Down")
		x.waitScreen("a division highlighted", func(s string) bool {
			first, _, _ := strings.Cut(s, "\n")
			return strings.Contains(first, "Acme Corp ›")
		})
		// The division's people came over ssh with their names as links
		// (TERM inside tmux: links auto is on), and the rows are still
		// exactly the window's width.
		waitRaw(t, raw, "\x1b]8;;http://127.0.0.1:", "/company/personal/user/")
		x.settle()
		checkRows(t, x, 100, 30, "links over ssh")
		// A window change re-lays the screen: one pane, as wide as the window.
		x.must("resize-window", "-t", "tui", "-x", "50", "-y", "20")
		x.waitScreen("one pane 50 columns wide", func(s string) bool {
			for _, l := range strings.Split(s, "\n") {
				if strings.Contains(l, "Departments") {
					l = strings.TrimRight(l, " ")
					return strings.HasSuffix(l, "┓") && lipgloss.Width(l) == 50
				}
			}
			return false
		})
		x.must("resize-window", "-t", "tui", "-x", "100", "-y", "30")
		x.waitText("Departments", " people ", "? help")

		// Another user's session dies (its client is killed): the server
		// and this session go on.
		x.must("new-session", "-d", "-s", "other", "-x", "80", "-y", "24", login)
		drawn := false
		for deadline := time.Now().Add(15 * time.Second); !drawn && time.Now().Before(deadline); time.Sleep(40 * time.Millisecond) {
			out, _ := x.run("capture-pane", "-p", "-t", "other")
			drawn = strings.Contains(out, "Departments")
		}
		require.True(t, drawn, "the other session never drew the browser")
		pid, err := strconv.Atoi(strings.TrimSpace(x.must("display-message", "-p", "-t", "other", "#{pane_pid}")))
		require.NoError(t, err)
		closed := srv.log.Count("msg=connection")
		require.NoError(t, syscall.Kill(pid, syscall.SIGKILL), "kill the other client (ssh)")
		for deadline := time.Now().Add(15 * time.Second); srv.log.Count("msg=connection") == closed && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		require.Greater(t, srv.log.Count("msg=connection"), closed, "the killed session's connection is logged")

		x.keys("Up")
		x.waitScreen("the root highlighted again", func(s string) bool {
			first, _, _ := strings.Cut(s, "\n")
			return !strings.Contains(first, "›") && strings.Contains(first, "Acme Corp")
		})
		r := srv.ssh(t, user, "127.0.0.1", "version")
		require.Equal(t, 0, r.code, r.stderr)

		// q ends the session, and ssh with it.
		x.keys("q")
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(40 * time.Millisecond) {
			if _, err := x.run("has-session", "-t", "tui"); err != nil {
				return
			}
		}
		t.Fatalf("q did not end the session; screen:\n%s", x.screen())
	})

	assert.Equal(t, 0, srv.stop(t), "SIGTERM stops the server cleanly")
	srv.log.WaitLog(t, "shutting down")
	assert.NotContains(t, srv.log.String(), "PRIVATE KEY")
	assert.NotContains(t, srv.log.String(), fakeportal.DefaultWebhookCode)
}
