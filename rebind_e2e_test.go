package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reboundConfig rebinds every action of the key map to keys no default
// uses, as a user's config file would.
const reboundConfig = `keys:
  up: [ctrl+p]
  down: [ctrl+n]
  left: [ctrl+o]
  right: [ctrl+l]
  pageup: [f7]
  pagedown: [f8]
  home: [f9]
  end: [f10]
  tab: [ctrl+t]
  enter: [ctrl+j]
  back: [ctrl+x]
  search: [s]
  copy: [c]
  copymenu: [C]
  refresh: [f5]
  errors: [x]
  help: [f1]
  quit: [Q]
  subtree: [f2]
  manager: [M]
  orgchart: [O]
  caller: [f3]
  pin: [P]
  link: [f4]
`

// The browser in a real terminal after a config file rebinds every key:
// what it shows names the new keys, the new keys act, the old ones do not.
func TestTUIRebindEveryKey(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(reboundConfig), 0o600))
	x := newTmuxServer(t, dir, 120, 40, testBinaryPath+" --demo --config "+cfg)

	s := x.waitText("Departments", "f1 help", "Q quit")
	for _, old := range []string{"? help", "q quit", "/ search", "↑↓ move"} {
		assert.NotContains(t, s, old)
	}
	assert.Contains(t, s, "ctrl+p/ctrl+n move")
	rootCrumb := func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return !strings.Contains(first, "›")
	}
	require.True(t, rootCrumb(s), "the root is highlighted:\n%s", s)

	// q and ? no longer act (the keys after them would find the browser
	// gone, or in the help); f1 opens the help, which names the new keys.
	x.keys("q", "?", "F1")
	s = x.waitText("Help · ctrl+x closes", "In search: type to search, ctrl+p/ctrl+n move, ctrl+j jumps")
	assert.Contains(t, s, "Copy menu (C)")
	// esc does not close it: the ctrl+n after it scrolls the help, not the tree.
	x.keys("Escape", "C-n", "C-x")
	s = x.waitScreen("the browser again", func(s string) bool {
		return strings.Contains(s, "Departments") && !strings.Contains(s, "Help ·")
	})
	assert.True(t, rootCrumb(s), "the root is still highlighted:\n%s", s)

	// ctrl+n moves down the tree now; Down does not.
	x.keys("Down", "C-n")
	x.waitScreen("a child department", func(s string) bool { return !rootCrumb(s) })

	// The search: s opens it, the rebound keys move and jump.
	x.keys("/", "s")
	x.waitText("Search the whole company · ctrl+j jumps · ctrl+x back")
	x.keys("-l", "an")
	x.waitText("/ an", " matches", "ctrl+j jump")
	x.keys("C-n", "C-j")
	x.waitScreen("the jump", func(s string) bool {
		return strings.Contains(s, "┏ ") && !strings.Contains(s, "Search the whole company")
	})

	// a no longer switches to the whole subtree (else f2 would switch it
	// back); f2 does.
	x.keys("a", "F2")
	x.waitText("people in all")
	x.keys("F2")
	x.waitScreen("the department's own people", func(s string) bool { return !strings.Contains(s, "in all") })

	// o no longer opens the org chart (O after it would close it again); O
	// does, and ctrl+x closes it.
	x.keys("o", "O")
	x.waitText("Org chart · ", " · ctrl+x back", "ctrl+p/ctrl+n scroll")
	x.keys("C-x")
	s = x.waitScreen("the browser again", func(s string) bool { return !strings.Contains(s, "Org chart · ") })
	// m no longer jumps to the manager (the toast after M would name
	// someone else); M does.
	name := detailName(s)
	require.NotEmpty(t, name, "a person is highlighted:\n%s", s)
	x.keys("m", "M")
	x.waitText(name + " reports to ")

	// f no longer pins (P after it would unpin again); P does.
	x.keys("f", "P")
	s = x.waitText("pinned ", " to Favourites (P unpins)", "★ Favourites")
	assert.NotContains(t, s, "unpinned")
	// F4 walks the highlighted person's links: the profile, then a phone
	// or the e-mail, which the status bar names.
	x.keys("F4", "F4")
	x.waitScreen("the second link in the status bar", func(s string) bool {
		return regexp.MustCompile(`→ (tel|mailto):`).MatchString(s)
	})

	// Q quits.
	x.keys("Q")
	x.waitScreen("the end of the program", func(string) bool {
		_, err := x.run("has-session", "-t", "tui")
		return err != nil
	})
}
