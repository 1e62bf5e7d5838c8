package main

import (
	"strings"
	"testing"
)

// TestSSHKeyBursts types several keys in one write into the browser over
// the real OpenSSH client (ssh -tt): each is a key, and after / the query.
func TestSSHKeyBursts(t *testing.T) {
	dir := t.TempDir()
	srv, user := startServeForUser(t, dir)

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
