package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/directory"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// resultIDs are the IDs of the search's results.
func resultIDs(s *search) []int {
	return idsOf(s.results, func(p *directory.Person) int { return p.ID })
}

// A filtered search lists only whom the filters keep, each row with the
// badge (glyph and word), the department path and the extension, and the
// highlighted one's details below.
func TestSearchFilterRows(t *testing.T) {
	h := loaded(t, smallOrg())
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	h.keys("/")
	h.typeText("dept:sales online")
	assert.Equal(t, []int{32}, resultIDs(&h.m.search), "Eve is the one online below Sales; Борис is idle, 陈伟 away, Dora offline")
	v := h.view()
	assert.Regexp(t, `›● online +Eve Adams +Acme Corp › Sales › EMEA +Sales Rep +ext 1045`, v)
	assert.Contains(t, v, "1 match")
	assert.Contains(t, v, "● online · last activity", "the details of the highlighted result")
	assert.Contains(t, v, "reports to Dora Müller")

	h.keys("ctrl+u")
	h.typeText("dept:sales absent")
	assert.Equal(t, []int{31}, resultIDs(&h.m.search))
	assert.Regexp(t, `›✈ absent +伟 陈`, h.view())

	h.keys("ctrl+u")
	h.typeText("dept:sales")
	assert.Equal(t, []int{32, 30, 40, 20, 31}, resultIDs(&h.m.search), "Sales and below, by last name")
	for _, want := range []string{`◐ idle +Борис Иванов +Acme Corp › Sales `, `○ offline +Dora Müller +Acme Corp › Sales › EMEA`} {
		assert.Regexp(t, want, h.view())
	}

	// "online" in quotes is a word, not the filter.
	h.keys("ctrl+u")
	h.typeText(`"online"`)
	assert.Empty(t, h.m.search.results)
	assert.Contains(t, h.view(), "no matches")
}

// Tab gives the keys to the results: y copies the highlighted result's
// extension and Y opens its copy menu, both without leaving the search;
// any other key goes back to the query.
func TestSearchCopyFromResult(t *testing.T) {
	h := loaded(t, smallOrg())
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	h.keys("/")
	h.typeText("dept:emea")
	require.Equal(t, []int{32, 30, 40, 31}, resultIDs(&h.m.search))
	assert.Contains(t, h.view(), "tab results: copy", "the footer offers it")

	h.keys("tab")
	require.True(t, h.m.search.list)
	v := h.view()
	assert.Contains(t, v, "› dept:emea", "the prompt says the keys are on the results")
	assert.Contains(t, v, "y copy ext")
	assert.Contains(t, v, "Y copy…")
	h.keys("j", "j", "k") // vim keys move here: the query field does not take them
	require.Equal(t, 30, h.m.search.current().ID)
	h.keys("y")
	assert.Equal(t, []string{"1042"}, h.copied, "Dora's extension")
	assert.Equal(t, modeSearch, h.m.mode, "no jump")
	assert.Contains(t, h.view(), "sent extension 1042 to the clipboard (OSC52)")
	assert.Equal(t, "dept:emea", h.m.search.input.value(), "y typed nothing")

	h.keys("Y")
	require.Equal(t, modeCopy, h.m.mode)
	v = h.view()
	assert.Contains(t, v, "copy: ›[e]-mail", "Dora's copy menu")
	assert.Contains(t, v, "Dora Müller", "over the results")
	h.keys("m")
	assert.Equal(t, "+1 555 0100", h.copied[len(h.copied)-1])
	assert.Equal(t, modeSearch, h.m.mode, "back to the results")
	assert.True(t, h.m.search.list)
	h.keys("Y", "esc")
	assert.Equal(t, modeSearch, h.m.mode, "esc leaves the menu for the results")

	h.keys("esc")
	assert.False(t, h.m.search.list, "esc: back to the query")
	assert.Equal(t, modeSearch, h.m.mode)
	h.keys("tab", "x")
	assert.False(t, h.m.search.list)
	assert.Equal(t, "dept:emeax", h.m.search.input.value(), "a key of no binding types into the query")
	h.keys("backspace", "tab", "/")
	assert.False(t, h.m.search.list, "the search key goes back to the query")
	assert.Equal(t, "dept:emea", h.m.search.input.value(), "and types nothing")

	// Keys that arrive in one read (a slow link) are keys here, each its
	// own, until one goes back to the query: the rest is its text.
	h.keys("tab", "home")
	second := h.m.search.results[1].Extension
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jyxa")})
	assert.Equal(t, second, h.copied[len(h.copied)-1], "j then y")
	assert.Equal(t, "dept:emeaxa", h.m.search.input.value())
	h.keys("backspace", "backspace")

	h.keys("tab", "down")
	want := h.m.search.current().ID
	h.keys("enter")
	assert.Equal(t, modeNormal, h.m.mode, "enter jumps from the results too")
	assert.Equal(t, want, h.m.people.sel)
}

// A filtered query while the directory loads is answered from the people
// known so far (the portal's search returns no presence nor departments
// to filter by), and the status says so.
func TestSearchFilterWhileLoading(t *testing.T) {
	h := searchWhileLoading(t)
	h.typeText("dept:") // words so far: each waits for the portal
	h.timers = nil
	h.typeText("acme")
	assert.False(t, h.m.search.pending, "no portal search")
	assert.Empty(t, h.timers)
	known := h.m.org.PersonCount()
	assert.Len(t, h.m.search.results, known)
	assert.Contains(t, h.view(), "partial: among the "+directory.Thousands(known)+" people loaded so far")
}

// The rows and the details of a filtered search keep to the box's width
// at every width and height.
func TestSearchRowsFitEverySize(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("/")
	h.typeText("dept:sales")
	for _, list := range []bool{false, true} {
		h.m.search.list = list
		for w := 1; w <= 200; w += 3 {
			for _, ht := range []int{1, 3, 5, 8, 12, 24, 40} {
				h.send(tea.WindowSizeMsg{Width: w, Height: ht})
				lines := strings.Split(h.view(), "\n")
				require.Len(t, lines, ht, "%dx%d", w, ht)
				for i, l := range lines {
					require.Equal(t, w, ansi.StringWidth(l), "%dx%d, line %d: %q", w, ht, i, l)
				}
			}
		}
	}
}

// A presence filter over presence older than the presence age says how
// old it is, in the one status line; other queries say nothing of it.
func TestSearchPresenceFilterSaysItsAge(t *testing.T) {
	data := orgData(smallPortalOrg())
	data.FetchedAt = testNow.Add(-3 * time.Hour)
	h := loaded(t, directory.NewOrg(data))
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	h.keys("/")
	h.typeText("online")
	assert.Contains(t, h.view(), "2 matches · presence as of 3h ago")
	h.keys("ctrl+u")
	h.typeText("dept:sales")
	assert.NotContains(t, h.view(), "presence as of")
}
