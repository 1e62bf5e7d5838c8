package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The help's sentences wrap to a narrow screen instead of being cut: the
// help scrolls, so every word of them stays readable at 80 columns.
func TestHelpProseWrapsAtEightyColumns(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("?")
	var text strings.Builder
	for _, l := range h.m.helpPage.lines(78) {
		plain := ansi.Strip(l)
		assert.Equal(t, 78, ansi.StringWidth(plain), "every help line is the pane's width")
		// "copy…" is the copy menu's name (it opens a menu), not a cut.
		assert.NotContains(t, strings.ReplaceAll(plain, "copy…", ""), "…", "no help line is cut")
		text.WriteString(strings.TrimSpace(plain) + " ")
	}
	joined := strings.Join(strings.Fields(text.String()), " ")
	assert.Contains(t, joined, "n name, c card, p profile link, a chat link (what the person has).")
	assert.Contains(t, joined, "in tmux it needs: set -g set-clipboard on")
}

// The footer follows the focus: in the people pane left goes back to the
// tree, and back in the tree it collapses and expands again (the footer is
// kept between frames, so a stale one would show here).
func TestFooterFollowsTheFocus(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("EMEA")
	footer := func() string {
		lines := strings.Split(ansi.Strip(h.view()), "\n")
		return lines[len(lines)-1]
	}
	require.Contains(t, footer(), "collapse/expand")
	h.keys("tab")
	require.Equal(t, panePeople, h.m.focus)
	assert.Contains(t, footer(), "← tree")
	assert.NotContains(t, footer(), "collapse/expand")
	h.keys("tab")
	assert.Contains(t, footer(), "collapse/expand")
}
