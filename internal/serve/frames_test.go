package serve

import (
	"strings"
	"testing"

	"github.com/b24org/b24org/internal/serve/servetest"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
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
