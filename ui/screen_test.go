package ui

import (
	"io"
	"strings"
	"testing"

	"github.com/b24org/b24org/directory"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lastLine is the footer of a frame.
func lastLine(v string) string { return v[strings.LastIndex(v, "\n")+1:] }

func TestFooterAlwaysShowsHelpAndQuit(t *testing.T) {
	h := loaded(t, smallOrg())
	for _, w := range []int{30, 40, 50, 60, 80, 99, 100, 120} {
		h.send(tea.WindowSizeMsg{Width: w, Height: 24})
		f := lastLine(h.view())
		assert.Contains(t, f, "? help", "at %d columns: %q", w, f)
		assert.Contains(t, f, "q/ctrl+c quit", "at %d columns: %q", w, f)
		assert.NotContains(t, f, "…", "entries are whole or left out, at %d: %q", w, f)
	}
	h.send(tea.WindowSizeMsg{Width: 160, Height: 24})
	assert.Contains(t, lastLine(h.view()), "r refresh", "a wide footer has every entry")
}

// listRows counts the people rows drawn above the details rule.
func listRows(v string) int {
	n := 0
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "──────") && !strings.ContainsAny(l, "┌┐└┘┏┓┗┛") {
			return n
		}
		if strings.Contains(l, "ext ") && strings.ContainsAny(l, "●◐✈○") {
			n++
		}
	}
	return -1
}

func TestDetailsSplitIsFixedAndCutsShowAMarker(t *testing.T) {
	org := smallPortalOrg()
	for i := 0; i < 12; i++ { // enough people to fill the list
		u := org.Users[4]
		u.ID, u.FirstName = 100+i, "Extra"+string(rune('A'+i))
		org.Users = append(org.Users, u)
	}
	h := newHarness(t, Options{})
	h.send(orgMsg{org: directory.NewOrg(orgData(org))})
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.selectDept("EMEA")
	h.keys("tab")
	rows := listRows(h.view())
	require.Positive(t, rows)
	for i := 0; i < 8; i++ { // people with and without phones, a head, one in two departments
		h.keys("down")
		assert.Equal(t, rows, listRows(h.view()), "the list keeps its height at person %d", i)
	}

	// Frank is in two departments; at 80×20 his details do not fit.
	h.send(tea.WindowSizeMsg{Width: 80, Height: 18})
	h.keys("home")
	for h.m.people.current().ID != 40 {
		h.keys("down")
	}
	v := h.view()
	assert.Regexp(t, `… \d+ more lines? \(a taller window shows`, v, "cut details say so")
}

// TestLoadingRowsAreFullWidth draws the first frames of a slow start with a
// true-colour renderer: the spinner's colour codes take no cells.
func TestLoadingRowsAreFullWidth(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	_, dir := startPortal(t, smallPortalOrg())
	h := newHarness(t, Options{Directory: dir, Renderer: r, Palette: Palette{Accent: lipgloss.Color("#7AA2F7"), Muted: lipgloss.Color("#8A8FA8")}})
	require.True(t, h.m.treeLoading, "nothing loaded yet")
	for _, w := range []int{120, 80, 50} {
		h.send(tea.WindowSizeMsg{Width: w, Height: 30})
		v := h.view()
		require.Contains(t, v, "loading departments…", "in full")
		require.Contains(t, v, "\x1b[38;2;", "the spinner has its colour")
		border := -1 // where the tree box's right border is, on every row
		for i, l := range strings.Split(v, "\n") {
			assert.Equal(t, w, ansi.StringWidth(l), "row %d at %d columns: %q", i, w, l)
			plain := ansi.Strip(l)
			if j := strings.Index(plain, "┃│"); j >= 0 && w >= 100 {
				at := ansi.StringWidth(plain[:j])
				if border < 0 {
					border = at
				}
				assert.Equal(t, border, at, "row %d at %d columns: the border moved: %q", i, w, plain)
			}
		}
	}
}

// TestNoColorIsMono: NO_COLOR (an Ascii profile from the environment)
// draws as --theme mono does: bold and reverse, no colour.
func TestNoColorIsMono(t *testing.T) {
	noColor := lipgloss.NewRenderer(io.Discard, termenv.WithEnvironment(testEnv{"NO_COLOR=1", "TERM=xterm-256color"}))
	require.Equal(t, termenv.Ascii, noColor.ColorProfile(), "lipgloss reads NO_COLOR as Ascii")
	mono := lipgloss.NewRenderer(io.Discard)
	mono.SetColorProfile(termenv.ANSI256)

	frame := func(r *lipgloss.Renderer, p Palette) string {
		h := newHarness(t, Options{Renderer: r, Palette: p})
		h.send(orgMsg{org: smallOrg()})
		h.selectDept("EMEA")
		h.keys("tab")
		return h.view()
	}
	nc := frame(noColor, Palette{Accent: lipgloss.Color("#7AA2F7"), Selected: lipgloss.Color("#2E3C64")})
	assert.Equal(t, frame(mono, Palette{}), nc, "NO_COLOR draws what mono draws")
	assert.Contains(t, nc, "\x1b[1;7m", "the selection is reverse and bold")
	assert.NotRegexp(t, `\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7])[;m]`, nc, "no colour at all")

	plain := frame(asciiRenderer(), Palette{})
	assert.NotContains(t, plain, "\x1b", "without NO_COLOR an Ascii terminal gets no escape")
}

func TestCopyMenuOffersWhatThePersonHas(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("EMEA")
	h.keys("Y") // Dora: e-mail, work phone, mobile, name, card
	v := h.view()
	for _, label := range []string{"[e]-mail", "[w]ork phone", "[m]obile", "[n]ame", "[c]ard"} {
		assert.Contains(t, v, label)
	}
	h.keys("w")
	assert.Equal(t, "+1 555 0199", h.copied[len(h.copied)-1], "w copies the work phone")

	h.keys("tab", "down") // Eve: no e-mail, no phones
	require.Equal(t, 32, h.m.people.sel)
	h.keys("Y")
	v = h.view()
	assert.NotContains(t, v, "[m]obile", "no mobile, no entry")
	assert.NotContains(t, v, "[w]ork phone")
	assert.NotContains(t, v, "[e]-mail")
	assert.Contains(t, v, "[n]ame")
	n := len(h.copied)
	h.keys("m")
	assert.Len(t, h.copied, n, "m copies nothing without a mobile")
	assert.Contains(t, h.view(), "no mobile to copy")

	// Esc after a copy shows no toast of the last copy.
	h.keys("esc", "y")
	require.Contains(t, h.view(), "sent extension 1045")
	h.keys("Y", "esc")
	assert.Equal(t, modeNormal, h.m.mode)
	assert.NotContains(t, h.view(), "sent extension", "esc in the menu is no copy")
}

func TestCopyMenuCard(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("EMEA")
	h.keys("Y")
	assert.Contains(t, h.view(), "[c]ard", "the card is on the menu")
	h.keys("c")
	assert.Equal(t, "Dora Müller — Account Manager — ext 1042 — mobile +1 555 0100 — dora@acme.example",
		h.copied[len(h.copied)-1], "the card holds name, position, extension, mobile and e-mail, not the work phone")

	h.keys("tab", "down") // Eve: no e-mail, no phones
	require.Equal(t, 32, h.m.people.sel)
	h.keys("Y")
	// The menu walks to the card with the arrows too, and enter copies it.
	items := h.m.copyItems(h.m.people.current())
	require.Equal(t, [][2]string{{"name", "Eve Adams"}, {"card", "Eve Adams — Sales Rep — ext 1045"}}, items,
		"Eve has no e-mail and no phones")
	h.keys("right", "enter")
	assert.Equal(t, "Eve Adams — Sales Rep — ext 1045", h.copied[len(h.copied)-1], "only what the person has")
	assert.Equal(t, modeNormal, h.m.mode)
}

func TestCopyNoteFollowsTheToast(t *testing.T) {
	h := newHarness(t, Options{CopyNote: "tmux passes it on with: set -g set-clipboard on"})
	h.send(orgMsg{org: smallOrg()})
	h.keys("y")
	assert.Contains(t, h.view(), "sent extension 1000 to the clipboard (OSC52) · tmux passes it on with")
}
