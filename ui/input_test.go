package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// burst is several runes that arrived in one read, as Bubble Tea v1
// delivers them: one KeyRunes message.
func burst(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func paste(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true} }

func TestBurstIsKeysOutsideFields(t *testing.T) {
	h := loaded(t, smallOrg())
	require.Equal(t, []int{1, 2, 4, 5}, rowIDs(&h.m.tree))
	h.send(burst("jjj"))
	assert.Equal(t, 5, h.m.tree.sel, "jjj moves three rows")
	h.send(burst("kk"))
	assert.Equal(t, 2, h.m.tree.sel, "kk moves two rows up")

	h.selectDept("EMEA")
	h.keys("tab")
	h.send(burst("jj"))
	assert.Equal(t, panePeople, h.m.focus)
	assert.Equal(t, 40, h.m.people.sel, "two rows down in the people pane")

	// In the help each rune scrolls, and q in a burst quits and ends it.
	h.send(burst("?"))
	require.Equal(t, modeHelp, h.m.mode)
	_, cmd := h.m.Update(burst("jq"))
	assert.True(t, isQuit(cmd), "the q of a burst quits")
}

func TestBurstAfterQuitIsDropped(t *testing.T) {
	h := loaded(t, smallOrg())
	_, cmd := h.m.Update(burst("qj"))
	assert.True(t, isQuit(cmd))
	assert.Equal(t, 1, h.m.tree.sel, "nothing after the q moves the cursor")
}

func TestBurstOpensSearchWithItsText(t *testing.T) {
	h := loaded(t, smallOrg())
	h.send(burst("/anna"))
	require.Equal(t, modeSearch, h.m.mode, "/ of the burst opens the search")
	assert.Equal(t, "anna", h.m.search.input.value(), "the runes after it are the query")
	require.NotEmpty(t, h.m.search.results)
	assert.Equal(t, 10, h.m.search.results[0].ID)
	assert.Contains(t, h.view(), "/ anna")

	// In the field a burst is text, keys and all: q and j do not quit or move.
	h.keys("space")
	h.send(burst("qj"))
	assert.Equal(t, "anna qj", h.m.search.input.value())
	assert.Equal(t, modeSearch, h.m.mode)
}

func TestBurstInCopyMenu(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("EMEA")
	h.send(burst("Ym"))
	require.NotEmpty(t, h.copied)
	assert.Equal(t, "+1 555 0100", h.copied[len(h.copied)-1], "Y then m, in one read, copies the mobile")
	assert.Equal(t, modeNormal, h.m.mode)
}

func TestPasteGoesIntoTheField(t *testing.T) {
	h := loaded(t, smallOrg())
	h.send(paste("q"))
	assert.False(t, h.quit, "a pasted q is text, never the quit key")
	require.Equal(t, modeSearch, h.m.mode, "a paste in the browser opens the search with it")
	assert.Equal(t, "q", h.m.search.input.value())

	h.keys("esc")
	h.send(paste("\x1b]52;c;cm0gLXJmIC8K\x07Dora\x1b[2J\n\tMüller\u200b"))
	require.Equal(t, modeSearch, h.m.mode)
	assert.Equal(t, "Dora Müller", h.m.search.input.value(), "escape sequences, controls and invisible characters are cleaned")
	require.NotEmpty(t, h.m.search.results)
	assert.Equal(t, 30, h.m.search.results[0].ID)
	assert.NotContains(t, h.view(), "\x1b", "the ascii renderer draws no escape: nothing pasted leaked")

	h.keys("home")
	h.send(paste("Anna "))
	assert.Equal(t, "AnnaDora Müller", h.m.search.input.value(), "a paste goes in at the cursor, trimmed as portal text is")

	// Help and the copy menu have no field: a paste does nothing there.
	h.keys("esc", "?")
	h.send(paste("qqq"))
	assert.False(t, h.quit)
	assert.Equal(t, modeHelp, h.m.mode)
}
