package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// startServeForOneKey runs `b24org --demo serve` in dir for one new key
// (no limit on new connections) and returns it and the key's path.
func startServeForOneKey(t *testing.T, dir string) (*sshServerProcess, string) {
	t.Helper()
	requireTools(t, "ssh", "ssh-keygen", "tmux")
	user := sshKeygen(t, dir, "user")
	pub, err := os.ReadFile(user + ".pub")
	require.NoError(t, err)
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, pub, 0o600))
	return startServeProcess(t, dir, "--authorized-keys", keys, "--per-ip-per-minute", "0"), user
}

// TestSSHKeyBursts types several keys in one write into the browser over
// the real OpenSSH client (ssh -tt): each is a key, and after / the query.
func TestSSHKeyBursts(t *testing.T) {
	dir := t.TempDir()
	srv, user := startServeForOneKey(t, dir)

	login := "exec ssh -tt " + strings.Join(srv.sshArgs(user, "127.0.0.1"), " ")
	x := newTmuxServer(t, dir, 120, 40, login)
	x.waitText("Departments", "Acme Corp", " people ", "? help")
	x.keys("-l", "jjj")
	x.waitText("›  ▸ Customer Support", "Acme Corp › Customer Support")
	x.keys("-l", "/anna")
	x.waitText("Search the whole company", "/ anna", "Anna Anderson")
	x.keys("Escape")
	x.waitText("Departments")
	x.keys("-l", "q")
	x.waitScreen("the session ended", func(string) bool {
		_, err := x.run("has-session", "-t", "tui")
		return err != nil
	})
}
