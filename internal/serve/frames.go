package serve

import (
	"io"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// A served browser draws its frames itself, only when they change.
// bubbletea v1's standard renderer flushes on a ticker, 60 times a second
// for as long as a program runs, whether or not anything changed: for a
// server of a thousand idle sessions that is 60,000 wake-ups a second, a
// quarter of a core spent on nothing, and up to a tick of delay on every
// keystroke (BENCHMARKS.md, "1,000 SSH sessions"). So the program runs
// without a renderer (tea.WithoutRenderer), and a frameWriter writes each
// new view from a goroutine of its own, woken by the view and by nothing
// else: an idle session costs no CPU.

// Escape sequences that set up the session's terminal for the browser and
// restore it afterwards: the alternate screen, no cursor, mouse clicks and
// wheel (with SGR coordinates), bracketed paste.
const (
	terminalSetup = ansi.SetModeAltScreenSaveCursor + ansi.EraseEntireScreen + ansi.CursorHomePosition +
		ansi.HideCursor + ansi.SetModeMouseButtonEvent + ansi.SetModeMouseExtSgr + ansi.SetModeBracketedPaste
	terminalRestore = ansi.ResetModeBracketedPaste + ansi.ResetModeMouseExtSgr + ansi.ResetModeMouseButtonEvent +
		ansi.ShowCursor + ansi.ResetModeAltScreenSaveCursor
)

// frameWriter writes a browser's views to its terminal: a view that waits
// is replaced by a newer one (the terminal gets the latest, never a queue),
// and of each view only the lines that differ from what the screen shows
// are written. Safe for concurrent use.
type frameWriter struct {
	out io.Writer

	mu      sync.Mutex
	view    string // the latest view
	pending bool   // view has not been written
	width   int    // the terminal's size (0: not known yet)
	height  int
	repaint bool          // the size changed: write every line
	ready   chan struct{} // one token while a view waits

	// Only the writing goroutine touches these.
	written string   // the last view written
	shown   []string // its lines
}

func newFrameWriter(out io.Writer) *frameWriter {
	return &frameWriter{out: out, ready: make(chan struct{}, 1)}
}

// put hands over the latest view.
func (f *frameWriter) put(view string) {
	f.mu.Lock()
	f.view, f.pending = view, true
	f.mu.Unlock()
	f.wake()
}

// resize notes the terminal's new size; the next view is written whole.
func (f *frameWriter) resize(w, h int) {
	f.mu.Lock()
	f.width, f.height, f.repaint = w, h, true
	f.mu.Unlock()
}

func (f *frameWriter) wake() {
	select {
	case f.ready <- struct{}{}:
	default:
	}
}

// run writes views as they come until done closes or a write fails (the
// connection is gone).
func (f *frameWriter) run(done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-f.ready:
		}
		f.mu.Lock()
		view, pending, w, h, repaint := f.view, f.pending, f.width, f.height, f.repaint
		f.pending, f.repaint = false, false
		f.mu.Unlock()
		if !pending || (!repaint && view == f.written) {
			continue
		}
		if out := f.frame(view, w, h, repaint); out != "" {
			if _, err := io.WriteString(f.out, out); err != nil {
				return
			}
		}
	}
}

// frame returns what turns the screen from the last view written into
// view, on a w×h terminal (0: not known); all of it when repaint.
func (f *frameWriter) frame(view string, w, h int, repaint bool) string {
	lines := strings.Split(view, "\n")
	if h > 0 && len(lines) > h {
		lines = lines[len(lines)-h:] // as bubbletea does: the top goes
	}
	var b strings.Builder
	for i, line := range lines {
		if !repaint && i < len(f.shown) && f.shown[i] == line {
			continue
		}
		b.WriteString(ansi.CursorPosition(1, i+1))
		if w > 0 {
			line = ansi.Truncate(line, w, "")
		}
		b.WriteString(line)
		if ansi.StringWidth(line) < w {
			b.WriteString(ansi.EraseLineRight)
		}
	}
	if (repaint || len(lines) < len(f.shown)) && (h == 0 || len(lines) < h) {
		b.WriteString(ansi.CursorPosition(1, len(lines)+1) + ansi.EraseScreenBelow)
	}
	f.written, f.shown = view, lines
	if b.Len() == 0 {
		return ""
	}
	// The cursor rests at the start of the last line, as bubbletea leaves it.
	b.WriteString(ansi.CursorPosition(0, len(lines)))
	return b.String()
}

// drawnModel is a browser whose views go to a frameWriter.
type drawnModel struct {
	tea.Model
	frames *frameWriter
}

// Update tells the frame writer of a new terminal size, then updates the
// browser.
func (m drawnModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		m.frames.resize(size.Width, size.Height)
	}
	next, cmd := m.Model.Update(msg)
	m.Model = next
	return m, cmd
}

// View hands the browser's view to the frame writer (bubbletea, without a
// renderer, drops what View returns).
func (m drawnModel) View() string {
	v := m.Model.View()
	m.frames.put(v)
	return v
}
