package ui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/safetext"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// demoPortalOrg is the demo company of `b24org --demo`, with presence
// relative to the tests' fixed clock.
func demoPortalOrg(hostile bool) *fakeportal.Org { return fakeportal.Demo(testNow, hostile) }

// demoHarness is the demo, fully loaded, with a department and a person
// highlighted.
func demoHarness(t *testing.T, hostile bool) *harness {
	t.Helper()
	_, dir := startPortal(t, demoPortalOrg(hostile))
	h := newHarness(t, Options{Directory: dir, Background: true})
	h.init()
	require.True(t, h.m.org.Complete())
	h.keys("down")
	h.fire()
	h.keys("tab", "down")
	require.NotNil(t, h.m.people.current(), "a person is highlighted")
	return h
}

// sizes returns from, from+step, … up to to, plus the extras.
func sizes(from, to, step int, extra ...int) []int {
	var out []int
	for v := from; v <= to; v += step {
		out = append(out, v)
	}
	return append(append(out, to), extra...)
}

// checkFrame asserts that a frame fits w×h exactly: never a line too wide,
// never too many lines.
func checkFrame(t *testing.T, v string, w, h int, what string) bool {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("%s at %d×%d: %d lines", what, w, h, len(lines))
		return false
	}
	for i, l := range lines {
		if lw, sw := lipgloss.Width(l), safetext.Width(l); lw != w || sw != w {
			t.Errorf("%s at %d×%d: line %d is %d cells (%d by runewidth): %q", what, w, h, i, lw, sw, l)
			return false
		}
	}
	return true
}

func TestSweepSizes(t *testing.T) {
	h := demoHarness(t, false)
	widths := sizes(20, 200, 11, 21, 59, 60, 61, 99, 100, 101)
	heights := sizes(5, 60, 9, 6, 7, 8, 9, 10, 11, 13, 16, 17)
	states := []struct {
		name string
		keys []string
	}{
		{"people", nil},
		{"tree", []string{"tab"}},
		{"help", []string{"?"}},
		{"search", []string{"/", "a", "n"}},
		{"copy menu", []string{"Y"}},
		{"toast", []string{"y"}},
	}
	for _, s := range states {
		h.keys(s.keys...)
		for _, w := range widths {
			for _, ht := range heights {
				h.send(tea.WindowSizeMsg{Width: w, Height: ht})
				if !checkFrame(t, h.view(), w, ht, s.name) {
					return
				}
			}
		}
		h.keys("esc")
		if s.name == "tree" {
			h.keys("tab")
		}
	}
}

func TestHostileDataNeverReachesTheTerminal(t *testing.T) {
	h := demoHarness(t, true)
	bad := regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufe0f\U0001f3fb-\U0001f3ff]")
	check := func(what string) {
		t.Helper()
		v := h.view()
		assert.NotContains(t, v, "\x1b", "%s: an escape byte came from data", what)
		if loc := bad.FindStringIndex(v); loc != nil {
			t.Errorf("%s: control character %q in the frame", what, v[loc[0]:loc[1]])
		}
		assert.NotContains(t, v, "PWNED", what)
		assert.NotContains(t, v, "C1 TITLE", what)
	}
	// Walk every department and every person of it.
	for range h.m.tree.rows {
		h.keys("esc", "down")
		h.fire()
		h.keys("tab")
		for range h.m.people.list {
			for _, sz := range [][2]int{{120, 40}, {61, 30}, {30, 12}} {
				h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				check("browse")
				checkFrame(t, h.view(), sz[0], sz[1], "hostile")
			}
			h.keys("down")
		}
	}
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, q := range []string{"e", "bob", "\x1b]0;PWNED\x07", "宽"} {
		h.keys("/")
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(q)})
		check("search " + q)
		h.keys("esc")
	}
	// The frames above did hold hostile data (cleaned).
	var all strings.Builder
	for _, p := range h.m.org.AllPeople() {
		all.WriteString(p.Name + "\n" + p.Position + "\n")
	}
	for _, d := range h.m.org.Departments() {
		all.WriteString(d.Name + "\n")
	}
	assert.Contains(t, all.String(), "RED ALERT")
	assert.Contains(t, all.String(), "宽宽宽宽")
	assert.Contains(t, all.String(), "Wolfeschlegelsteinhausenbergerdorff")
	assert.Contains(t, all.String(), "👩💻 Zoë", "an emoji ZWJ sequence is its emoji side by side")
	assert.Contains(t, all.String(), "🇩🇪 Jürgen 👍", "a flag stays, a skin tone goes")
}

// TestHostileProgramOutput runs the real program loop on the hostile demo
// and reads the raw bytes written to the terminal.
func TestHostileProgramOutput(t *testing.T) {
	_, dir := startPortal(t, demoPortalOrg(true))
	m := New(Options{Directory: dir, Renderer: asciiRenderer(), Now: fixedNow, Copy: func(string) {}, Background: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	var out bytes.Buffer
	waitFor(t, tm, &out, regexp.MustCompile(`[●◐✈○] ?\d+`))
	for i := 0; i < 40; i++ {
		tm.Send(keyMsg("down"))
	}
	tm.Send(keyMsg("/"))
	tm.Type("bob")
	tm.Send(keyMsg("esc"))
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	_, err := out.ReadFrom(tm.Output())
	require.NoError(t, err)
	raw := out.String()
	for _, s := range fakeportal.HostileSamples() {
		if strings.ContainsAny(s, "\x1b\x07\u009b\u009d") {
			assert.NotContains(t, raw, s, "a hostile sample reached the terminal")
		}
	}
	for _, seq := range []string{"\x1b]0;", "\x1b]2;", "\x1b]52;", "\x1bP", "\u009b", "\u009d", "PWNED", "\u202e"} {
		assert.NotContains(t, raw, seq, "raw output")
	}
}

// waitFor reads the program's output into out until the patterns match,
// in order, in what arrived since the call.
func waitFor(t *testing.T, tm *teatest.TestModel, out *bytes.Buffer, res ...*regexp.Regexp) {
	t.Helper()
	start := out.Len()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		out.Write(b)
		rest := out.Bytes()[start:]
		for _, re := range res {
			loc := re.FindIndex(rest)
			if loc == nil {
				return false
			}
			rest = rest[loc[1]:]
		}
		return true
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

// TestGolden pins the layout of the demo at three sizes (colour profile
// ASCII; regenerate with go test ./ui -run TestGolden -update).
func TestGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {50, 20}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			_, dir := startPortal(t, demoPortalOrg(false))
			m := New(Options{Directory: dir, Renderer: asciiRenderer(), Now: fixedNow, Copy: func(string) {}})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz[0], sz[1]))
			var out bytes.Buffer
			summary := regexp.MustCompile(`[●◐✈○] ?\d+`)
			waitFor(t, tm, &out, summary)
			// The first child department: its people load after the cursor rests.
			tm.Send(keyMsg("down"))
			waitFor(t, tm, &out, regexp.MustCompile(`loading people…`), summary)
			tm.Send(keyMsg("tab"))
			tm.Send(keyMsg("down"))
			tm.Send(keyMsg("q"))
			fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
			assert.Empty(t, fm.View(), "after q nothing is drawn")
			teatest.RequireEqualOutput(t, []byte(fm.(*Model).frame()))
		})
	}
}
