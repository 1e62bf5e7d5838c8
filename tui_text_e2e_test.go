package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTmuxServer starts a tmux server of its own with session "tui" of w×h
// running command (a shell line), until the test ends.
func newTmuxServer(t *testing.T, dir string, w, h int, command string) *tmux {
	t.Helper()
	requireTools(t, "tmux", "bash")
	home := filepath.Join(dir, "home")
	require.NoError(t, os.MkdirAll(home, 0o700))
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_CACHE_HOME=" + home,
		"TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "PS1=READY> "}
	x := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock"), env: env}
	x.must("-f", "/dev/null", "new-session", "-d", "-s", "tui", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), command)
	t.Cleanup(func() { _, _ = x.run("kill-server") })
	return x
}

// probeScript prints each line of the file $1 in the terminal, asks the
// terminal where the cursor is (DSR) and appends the column to $2.
const probeScript = `stty -echo raw
exec 3<"$1"
while IFS= read -r line <&3; do
  printf '\r\033[2K%s\033[6n' "$line"
  IFS= read -r -d R reply
  echo "${reply##*;}" >> "$2"
done
echo done >> "$2"
`

// cellWidths asks tmux itself how many cells each line takes: it prints
// them in a wide pane of the same server and reads the cursor column.
func (x *tmux) cellWidths(lines []string) []int {
	x.t.Helper()
	dir := x.t.TempDir()
	in, out, script := filepath.Join(dir, "lines"), filepath.Join(dir, "widths"), filepath.Join(dir, "probe.sh")
	require.NoError(x.t, os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600))
	require.NoError(x.t, os.WriteFile(script, []byte(probeScript), 0o700))
	x.must("new-session", "-d", "-s", "probe", "-x", "500", "-y", "5", "bash "+script+" "+in+" "+out+"; sleep 60")
	defer func() { _, _ = x.run("kill-session", "-t", "probe") }()
	var got []string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(out)
		if got = strings.Fields(string(b)); len(got) > 0 && got[len(got)-1] == "done" {
			break
		}
	}
	require.Equal(x.t, "done", got[len(got)-1], "the probe never finished: %v", got)
	widths := make([]int, 0, len(lines))
	for _, g := range got[:len(got)-1] {
		col, err := strconv.Atoi(g)
		require.NoError(x.t, err)
		widths = append(widths, col-1)
	}
	require.Len(x.t, widths, len(lines))
	return widths
}

// settle waits until nothing loads and two captures in a row are the same.
func (x *tmux) settle() {
	x.t.Helper()
	last := ""
	x.waitScreen("a still screen", func(s string) bool {
		same := s == last && !strings.Contains(s, "loading")
		last = s
		return same
	})
}

// screenRows is the visible pane, every row with its trailing spaces.
func (x *tmux) screenRows() []string {
	out, _ := x.run("capture-pane", "-p", "-N", "-t", "tui")
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

const boxChars = "┃│┏┓┗┛┌┐└┘━─"

// checkRows asserts the browser's screen is straight as tmux draws it:
// h rows, each exactly w cells by tmux's own count, each box row ending in
// one border (no doubled border, no stale cell after it).
func checkRows(t *testing.T, x *tmux, w, h int, what string) {
	t.Helper()
	rows := x.screenRows()
	require.Len(t, rows, h, "%s: rows", what)
	widths := x.cellWidths(rows)
	for i, r := range rows {
		assert.False(t, strings.ContainsAny(r, "\u200b\u200c\u200d\u2060\ufeff\ufe0f"), "%s: row %d holds an invisible character: %q", what, i, r)
		assert.Equal(t, w, widths[i], "%s at %d×%d: row %d is %d cells in tmux: %q", what, w, h, i, widths[i], r)
		rs := []rune(r)
		if i == 0 || i >= h-2 || len(rs) < 2 {
			continue // the breadcrumb, the status bar and the footer have no border
		}
		last, before := string(rs[len(rs)-1]), string(rs[len(rs)-2])
		assert.Contains(t, boxChars, last, "%s: row %d does not end in a border: %q", what, i, r)
		if strings.Contains("┃│", last) {
			assert.NotContains(t, "┃│", before, "%s: row %d ends in a doubled border: %q", what, i, r)
		}
	}
}

// TestTUIKeyBursts types several keys in one write (send-keys -l): each is
// a key of its own, and after / they are the query.
func TestTUIKeyBursts(t *testing.T) {
	x := newTmuxServer(t, t.TempDir(), 120, 40, testBinaryPath+" --demo")
	x.waitText("Departments", "? help", " people ")
	x.keys("-l", "jjj")
	x.waitText("›  ▸ Customer Support", "Acme Corp › Customer Support")
	x.keys("-l", "k")
	x.waitText("›  ▸ R&D")
	x.keys("-l", "/anna")
	s := x.waitText("/ anna", "Anna Anderson")
	assert.Contains(t, s, "Search the whole company")
}

// TestTUIHostileRowsInTmux browses the hostile demo in tmux at 80×24 and
// 120×40, and after growing from 80×24 to 120×40: every row is exactly the
// pane's width as tmux counts it, and after q the shell shows no border.
func TestTUIHostileRowsInTmux(t *testing.T) {
	for _, sz := range [][4]int{{80, 24, 80, 24}, {120, 40, 120, 40}, {80, 24, 120, 40}} {
		t.Run(fmt.Sprintf("%dx%d to %dx%d", sz[0], sz[1], sz[2], sz[3]), func(t *testing.T) {
			x := newTmuxServer(t, t.TempDir(), sz[0], sz[1], "env PS1='READY> ' HISTFILE=/dev/null bash --norc --noprofile")
			x.waitText("READY>")
			x.keys("-l", testBinaryPath+" --demo-hostile")
			x.keys("Enter")
			x.waitText("Departments", "? help")
			w, h := sz[0], sz[1]
			x.settle()
			checkRows(t, x, w, h, "start")
			for _, q := range []string{"zoe", "jurgen", "kim", "сергей", "isolated", "zalgo", "宽宽"} {
				x.keys("-l", "/"+q)
				x.waitScreen("results for "+q, func(s string) bool {
					return strings.Contains(s, " match") && !strings.Contains(s, "no matches")
				})
				checkRows(t, x, w, h, "search "+q)
				x.keys("Enter")
				x.waitScreen("the jump for "+q, func(s string) bool { return !strings.Contains(s, "Search the whole company") })
				x.keys("-l", "jjj")
				x.settle()
				checkRows(t, x, w, h, "jump "+q)
				x.keys("-l", "kk")
			}
			if sz[2] != w {
				w, h = sz[2], sz[3]
				x.must("resize-window", "-t", "tui", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h))
				x.waitScreen("the grown window", func(s string) bool { return len(x.screenRows()) == h })
				x.settle()
				checkRows(t, x, w, h, "grown")
			}
			x.keys("q")
			s := x.waitScreen("the shell again", func(s string) bool {
				return !strings.Contains(s, "? help") && strings.Contains(s, "READY>")
			})
			assert.False(t, strings.ContainsAny(s, boxChars), "the shell screen holds borders after q:\n%s", s)
		})
	}
}

// TestTUICopyInTmux: with tmux's default set-clipboard external nothing
// reaches a buffer, and the browser claims no success but names the
// setting; with set-clipboard on the extension is tmux's buffer, also with
// TERM=screen-256color (a common default-terminal), for which termenv wraps
// the OSC52 as for GNU screen.
func TestTUICopyInTmux(t *testing.T) {
	x := newTmuxServer(t, t.TempDir(), 120, 40, "env TERM=screen-256color "+testBinaryPath+" --demo")
	x.waitText("Departments", "? help", " people ")
	x.keys("Tab")
	x.waitText("┏ Acme Corp")
	x.keys("y")
	s := x.waitText("to the clipboard (OSC52)", "set-clipboard on")
	assert.NotContains(t, s, "copied")
	out, _ := x.run("list-buffers")
	assert.Empty(t, strings.TrimSpace(out), "set-clipboard external: the OSC52 made no buffer")

	x.must("set-option", "-g", "set-clipboard", "on")
	x.waitScreen("the toast gone", func(s string) bool { return !strings.Contains(s, "sent extension") })
	x.keys("y")
	x.waitText("sent extension 100 ")
	x.waitScreen("the buffer", func(string) bool {
		out, _ := x.run("show-buffer")
		return out == "100"
	})
}
