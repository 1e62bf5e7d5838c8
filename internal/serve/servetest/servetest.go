// Package servetest holds what the tests of the SSH server, in-process and
// end to end, use to talk to it: a log that many goroutines write, test
// keys, an SSH client configuration, and the requests a terminal sends.
package servetest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"
)

// TerminalAnswer is what a terminal answers to the renderer's questions
// (background colour, then device attributes).
const TerminalAnswer = "\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\\x1b[?62;22c"

// Log collects log lines from many goroutines.
type Log struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is everything written so far.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// WaitLog waits for a log line holding every one of parts and returns it
// (the limit stops a hung test only).
func (l *Log) WaitLog(t testing.TB, parts ...string) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, line := range strings.Split(l.String(), "\n") {
			if ContainsAll(line, parts...) {
				return line
			}
		}
	}
	t.Fatalf("no log line with %q; the log:\n%s", parts, l.String())
	return ""
}

// Count returns the number of log lines holding every one of parts.
func (l *Log) Count(parts ...string) int {
	n := 0
	for _, line := range strings.Split(l.String(), "\n") {
		if ContainsAll(line, parts...) {
			n++
		}
	}
	return n
}

// ContainsAll reports whether s holds every one of parts.
func ContainsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// NewSigner returns a fresh ed25519 key.
func NewSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	s, err := gossh.NewSignerFromKey(priv)
	require.NoError(t, err)
	return s
}

// ClientConfig logs in with key.
func ClientConfig(key gossh.Signer) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User:            "tester",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // a test server
		Timeout:         20 * time.Second,
	}
}

// Result is what a command session printed and its exit status.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs cmd without a PTY on a connection of its own to addr, logged in
// with key.
func Run(t testing.TB, addr string, key gossh.Signer, cmd string) Result {
	t.Helper()
	return RunEnv(t, addr, key, nil, cmd)
}

// RunEnv is Run with the environment variables env (pairs of a name and a
// value: "LANG", "ru_RU.UTF-8") sent first, as ssh -o SetEnv does.
func RunEnv(t testing.TB, addr string, key gossh.Signer, env []string, cmd string) Result {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, ClientConfig(key))
	require.NoError(t, err)
	defer client.Close()
	s, err := client.NewSession()
	require.NoError(t, err)
	for i := 0; i+1 < len(env); i += 2 {
		require.NoError(t, s.Setenv(env[i], env[i+1]))
	}
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	err = s.Run(cmd)
	r := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	if exit, ok := err.(*gossh.ExitError); ok {
		r.Code = exit.ExitStatus()
	} else {
		require.NoError(t, err, "running %q", cmd)
	}
	return r
}

// PTYPayload is a pty-req for a w×h terminal with modes as given.
func PTYPayload(term string, w, h uint32, modes []byte) []byte {
	return gossh.Marshal(struct {
		Term                   string
		Columns, Rows          uint32
		WidthPixels, HeightPix uint32
		Modes                  string
	}{term, w, h, w * 8, h * 16, string(modes)})
}

// Resize sends a window change on ch.
func Resize(ch interface {
	SendRequest(string, bool, []byte) (bool, error)
}, w, h uint32) error {
	_, err := ch.SendRequest("window-change", false, gossh.Marshal(struct{ W, H, WP, HP uint32 }{w, h, 0, 0}))
	return err
}
