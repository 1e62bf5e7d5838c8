package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/ui"
	"github.com/charmbracelet/lipgloss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tmux drives one tmux server of its own (socket in a temporary directory).
type tmux struct {
	t    *testing.T
	sock string
	env  []string
}

func (x *tmux) run(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-S", x.sock}, args...)...)
	cmd.Env = x.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (x *tmux) must(args ...string) string {
	x.t.Helper()
	out, err := x.run(args...)
	require.NoError(x.t, err, "tmux %v: %s", args, out)
	return out
}

func (x *tmux) screen() string {
	out, _ := x.run("capture-pane", "-p", "-t", "tui")
	return out
}

func (x *tmux) keys(keys ...string) {
	x.t.Helper()
	x.must(append([]string{"send-keys", "-t", "tui"}, keys...)...)
}

// waitScreen polls the screen until ok says yes; the long limit only stops
// a hung run, it measures nothing.
func (x *tmux) waitScreen(what string, ok func(string) bool) string {
	x.t.Helper()
	var s string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(40 * time.Millisecond) {
		if s = x.screen(); ok(s) {
			return s
		}
	}
	x.t.Fatalf("the screen never showed %s; last screen:\n%s", what, s)
	return ""
}

func (x *tmux) waitText(texts ...string) string {
	x.t.Helper()
	return x.waitScreen(strings.Join(texts, ", "), func(s string) bool {
		for _, t := range texts {
			if !strings.Contains(s, t) {
				return false
			}
		}
		return true
	})
}

// detailName reads the highlighted person's name from the details below
// the people list (the line after the rule).
func detailName(screen string) string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if strings.Contains(l, "┃───") || strings.Contains(l, "│───") {
			if i+1 < len(lines) {
				name := strings.Trim(lines[i+1], " │┃")
				if j := strings.LastIndexAny(name, "│┃"); j >= 0 {
					name = name[j+len("│"):]
				}
				name, _, _ = strings.Cut(name, " ★")
				return strings.TrimSpace(name)
			}
		}
	}
	return ""
}

// TestTUIEndToEnd builds the binary and runs `b24org --demo` in a real
// terminal (tmux): it types keys and reads the screen.
func TestTUIEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed by this test: install it (apt-get install tmux)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "b24org")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	home := filepath.Join(dir, "home")
	require.NoError(t, os.MkdirAll(home, 0o700))
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_CACHE_HOME=" + home,
		"TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"}
	x := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock"), env: env}
	x.must("-f", "/dev/null", "new-session", "-d", "-s", "tui", "-x", "120", "-y", "40", bin, "--demo")
	t.Cleanup(func() { _, _ = x.run("kill-server") })

	// The tree, the people with badges, the details, the footer.
	s := x.waitText("Departments", " people ", "? help", "──────")
	assert.Regexp(t, `[●◐✈○] (online|idle|absent|offline)`, s)
	assert.Contains(t, s, "ext ")

	// Down highlights the first child department; its people load.
	x.keys("Down")
	s = x.waitScreen("a child department with its people", func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return strings.Contains(first, "›") && strings.Contains(s, " people ─")
	})
	crumb, _, _ := strings.Cut(s, "\n")
	crumb = strings.TrimSpace(crumb)
	dept := strings.TrimSpace(crumb[strings.LastIndex(crumb, "›")+len("›"):])
	dept, _, _ = strings.Cut(dept, "  ")

	// Enter moves into the people pane; down highlights the second person.
	x.keys("Enter", "Down")
	s = x.waitText("┏ " + dept)
	name := detailName(s)
	require.NotEmpty(t, name, "the details show a name:\n%s", s)

	// Back to the top of the tree, then search that person and jump there.
	x.keys("Left", "Home")
	x.waitScreen("the root highlighted", func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return !strings.Contains(first, "›")
	})
	x.keys("/")
	x.waitText("Search the whole company")
	x.keys("-l", name)
	x.waitScreen("the person found", func(s string) bool {
		return strings.Contains(s, "/ "+name) && strings.Contains(s, " match") && !strings.Contains(s, "no matches")
	})
	x.keys("Enter")
	s = x.waitScreen("the jump to "+name, func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return strings.Contains(first, dept) && detailName(s) == name
	})
	assert.Contains(t, s, "┏ "+dept, "the people pane has the focus")

	// Help, generated from the key map; esc goes back and does not quit.
	x.keys("?")
	x.waitText("Help", "page down", "copy ext")
	x.keys("Escape")
	x.waitText("Departments", "┏ "+dept)

	// A live resize re-lays the screen: one pane at a time, nothing wider.
	x.must("resize-window", "-t", "tui", "-x", "50", "-y", "20")
	s = x.waitText("tab: tree")
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	assert.LessOrEqual(t, len(lines), 20)
	for _, l := range lines {
		assert.LessOrEqual(t, lipgloss.Width(l), 50, "line %q", l)
	}
	x.keys("Tab")
	x.waitText("tab: people")

	// q quits: the session ends with the program.
	x.keys("q")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(40 * time.Millisecond) {
		if _, err := x.run("has-session", "-t", "tui"); err != nil {
			return
		}
	}
	t.Fatalf("q did not quit; screen:\n%s", x.screen())
}

func TestTUIThemes(t *testing.T) {
	for _, name := range []string{"", "auto", "dark", "light", "mono", "DARK"} {
		p, err := themePalette(name, false)
		require.NoError(t, err, name)
		if name == "mono" {
			assert.Nil(t, p.Accent)
			continue
		}
		assert.NotNil(t, p.Accent, name)
		assert.NotNil(t, p.Online, name)
	}
	p, err := themePalette("auto", false)
	require.NoError(t, err)
	assert.IsType(t, lipgloss.AdaptiveColor{}, p.Accent, "auto adapts to the background")

	p, err = themePalette("dark", true)
	require.NoError(t, err)
	assert.Equal(t, ui.Palette{}, p, "NO_COLOR forces mono")

	_, err = themePalette("solarized", false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"solarized"`)
	assert.Contains(t, err.Error(), "auto, dark, light, mono")
	_, err = themePalette("solarized", true)
	require.Error(t, err, "an unknown name is an error even with NO_COLOR")
}

func TestTUIKeys(t *testing.T) {
	km := ui.DefaultKeyMap()
	assert.ElementsMatch(t, []string{"q", "ctrl+c"}, km.Quit.Keys())
	assert.ElementsMatch(t, []string{"esc"}, km.Back.Keys(), "esc is back, never quit")
	require.NoError(t, km.Rebind(map[string][]string{"copy": {"c"}, "copymenu": {"C"}}))
	assert.Equal(t, []string{"c"}, km.Copy.Keys())
	err := km.Rebind(map[string][]string{"launch": {"l"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"launch"`)
	assert.Contains(t, err.Error(), "copymenu")
}
