package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
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
	assert.Contains(t, joined, "n name (what the person has).")
	assert.Contains(t, joined, "in tmux it needs: set -g set-clipboard on")
}
