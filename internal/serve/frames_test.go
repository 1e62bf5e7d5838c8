package serve

import (
	"regexp"
	"strings"
	"testing"

	"github.com/b24org/b24org/internal/serve/servetest"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFrameWriterWritesOnlyWhatChanged(t *testing.T) {
	f := newFrameWriter(nil)
	first := f.frame("one\ntwo\nthree", 10, 5, true)
	assert.Equal(t, ansi.CursorHomePosition+"one"+ansi.EraseLineRight+
		ansi.CursorPosition(1, 2)+"two"+ansi.EraseLineRight+
		ansi.CursorPosition(1, 3)+"three"+ansi.EraseLineRight+
		ansi.CursorPosition(1, 4)+ansi.EraseScreenBelow+
		ansi.CursorPosition(0, 3), first, "a repaint writes every line and clears below")

	assert.Empty(t, f.frame("one\ntwo\nthree", 10, 5, false), "the same view again: nothing")
	assert.Equal(t, ansi.CursorPosition(1, 2)+"TWO"+ansi.EraseLineRight+ansi.CursorPosition(0, 3),
		f.frame("one\nTWO\nthree", 10, 5, false), "one line changed: that line only")
	assert.Equal(t, ansi.CursorPosition(1, 3)+ansi.EraseScreenBelow+ansi.CursorPosition(0, 2),
		f.frame("one\nTWO", 10, 5, false), "a shorter view clears what was below it")
}

func TestFrameWriterFitsTheTerminal(t *testing.T) {
	f := newFrameWriter(nil)
	out := f.frame("a\nb\nc\n"+strings.Repeat("x", 20), 8, 3, true)
	assert.NotContains(t, out, "a", "a view taller than the terminal loses its top")
	assert.Contains(t, out, ansi.CursorPosition(1, 3)+strings.Repeat("x", 8), "a line wider than the terminal is cut")
	assert.NotContains(t, out, strings.Repeat("x", 9))
	assert.NotContains(t, out, ansi.EraseScreenBelow, "a full screen has nothing below it to clear")
}

// TestFrameWriterCutsLinksClosed: a line is cut when the terminal narrowed
// before the next view; the cut keeps the sequences past it, so a link
// cut in its middle still ends on its line. The links take no cells, and
// a changed line is written whole, so no link reaches another line.
func TestFrameWriterCutsLinksClosed(t *testing.T) {
	line := " " + ansi.SetHyperlink("https://acme.example/company/personal/user/30/") + "Dora Müller" + ansi.ResetHyperlink() +
		" · " + ansi.SetHyperlink("mailto:dora@acme.example") + "dora@acme.example" + ansi.ResetHyperlink() + " "
	require.Equal(t, 33, ansi.StringWidth(line), "the links take no cells")
	second := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(ansi.CursorPosition(1, 2)) + `(.*?)(\x1b\[K|\x1b\[\d*;?\d*H)`)
	osc8 := regexp.MustCompile("\x1b\\]8;;([^\x07]*)\x07")
	f := newFrameWriter(nil)
	for w := 1; w <= 40; w++ {
		m := second.FindStringSubmatch(f.frame("top\n"+line, w, 5, true))
		require.NotNil(t, m, "width %d", w)
		got := m[1]
		assert.Equal(t, min(w, 33), ansi.StringWidth(got), "width %d", w)
		open := false
		for _, l := range osc8.FindAllStringSubmatch(got, -1) {
			open = l[1] != ""
		}
		assert.False(t, open, "width %d: a link is open at the end of the line: %q", w, got)
	}
}

func TestFrameWriterSendsTheLatestView(t *testing.T) {
	var out servetest.Log
	f := newFrameWriter(&out)
	f.resize(20, 5)
	f.put("first")
	f.put("second") // before the writer runs: first is never written
	done := make(chan struct{})
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		f.run(done)
	}()
	out.WaitLog(t, "second")
	close(done)
	<-ran
	assert.NotContains(t, out.String(), "first")
}
