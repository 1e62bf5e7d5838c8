package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// profileInStatus is the status bar's address of the highlighted name.
var profileInStatus = regexp.MustCompile(`→ (http://127\.0\.0\.1:\d+/company/personal/user/(\d+)/)`)

// recordedTmux starts a shell in tmux at w×h whose raw output (what the
// programs in it write, before tmux draws it) pipe-pane appends to the
// returned file, then runs command in it.
func recordedTmux(t *testing.T, w, h int, command string) (*tmux, string) {
	t.Helper()
	dir := t.TempDir()
	x := newTmuxServer(t, dir, w, h, "env PS1='READY> ' HISTFILE=/dev/null bash --norc --noprofile")
	x.waitText("READY>")
	raw := filepath.Join(dir, "raw")
	x.must("pipe-pane", "-O", "-t", "tui", "cat >> "+raw)
	x.keys("-l", command)
	x.keys("Enter")
	return x, raw
}

// waitRaw waits until the recorded output holds every one of parts.
func waitRaw(t *testing.T, path string, parts ...string) string {
	t.Helper()
	var s string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(40 * time.Millisecond) {
		b, _ := os.ReadFile(path)
		if s = string(b); containsAll(s, parts...) {
			return s
		}
	}
	t.Fatalf("the raw output never held %q", parts)
	return ""
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// page is the body of the demo portal's page at url.
func page(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", url, b)
	return string(b)
}

// TestTUILinksInTmux runs the demo in tmux with pipe-pane recording what
// the browser writes: the highlighted person's name is an OSC 8 link to
// their profile on the demo's portal (the address the status bar shows),
// and every row tmux draws is exactly the pane's width, at 80×24 and
// 120×40; with links: off in the config, no OSC 8 is written at all.
func TestTUILinksInTmux(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			w, h := sz[0], sz[1]
			x, raw := recordedTmux(t, w, h, testBinaryPath+" --demo")
			x.waitText("Departments", "? help")
			x.keys("Tab")
			s := x.waitScreen("the status bar's address", func(s string) bool { return profileInStatus.MatchString(s) })
			url := profileInStatus.FindStringSubmatch(s)[1]
			name := detailName(s)
			require.NotEmpty(t, name, "the details show the highlighted person:\n%s", s)
			out := waitRaw(t, raw, "\x1b]8;;"+url+"\x07"+name+"\x1b]8;;\x07")
			assert.Contains(t, page(t, url), "<h1>Profile "+name+"</h1>", "the link opens the highlighted person's profile on the demo portal")
			assert.Contains(t, out, "\x1b]8;;mailto:", "the e-mail is a link")
			assert.NotContains(t, out, "/rest/1/", "no webhook path in any link")
			x.settle()
			checkRows(t, x, w, h, "links")

			// The next person: the status bar and the link follow.
			x.keys("Down")
			s = x.waitScreen("another address", func(s string) bool {
				m := profileInStatus.FindStringSubmatch(s)
				return m != nil && m[1] != url
			})
			next := profileInStatus.FindStringSubmatch(s)[1]
			waitRaw(t, raw, "\x1b]8;;"+next+"\x07"+detailName(s))
			x.settle()
			checkRows(t, x, w, h, "links, next person")

			// A search: the results' names are links too.
			x.keys("-l", "/anna")
			x.waitScreen("results", func(s string) bool { return strings.Contains(s, " match") })
			x.settle()
			checkRows(t, x, w, h, "links, search")
			x.keys("Escape")
			// q apart from the Escape: together they read as alt+q.
			x.waitScreen("the search closed", func(s string) bool { return !strings.Contains(s, "Search the whole company") })
			x.keys("q")
			x.waitScreen("the shell again", func(s string) bool { return !strings.Contains(s, "? help") && strings.Contains(s, "READY>") })
		})
	}

	t.Run("links off", func(t *testing.T) {
		cfg := filepath.Join(t.TempDir(), "config.yaml")
		require.NoError(t, os.WriteFile(cfg, []byte("links: off\n"), 0o600))
		x, raw := recordedTmux(t, 120, 40, testBinaryPath+" --demo --config "+cfg+"; echo BROWSER-DONE-$((6*7))")
		x.waitText("Departments", "? help")
		x.keys("Tab")
		s := x.waitText("┏ Acme Corp", "@acme.example")
		assert.NotRegexp(t, profileInStatus, s, "no address in the status bar")
		x.keys("-l", "j/anna")
		x.waitScreen("results", func(s string) bool { return strings.Contains(s, " match") })
		x.keys("Escape")
		// q apart from the Escape: together they read as alt+q.
		x.waitScreen("the search closed", func(s string) bool { return !strings.Contains(s, "Search the whole company") })
		x.keys("q")
		// The typed command line is in the recording too: wait for what
		// only the shell's arithmetic prints, once the browser has exited.
		out := waitRaw(t, raw, "BROWSER-DONE-42")
		assert.Contains(t, out, "\x1b[?1049h", "the browser did draw")
		assert.NotContains(t, out, "\x1b]8;", "links: off writes no OSC 8")
	})
}
