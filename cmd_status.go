package main

import (
	"io"
	"strings"
	"sync"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
)

// statusLine is the one transient line a command keeps at the bottom of a
// terminal's stderr ("indexing 12,400 / 30,000", "retrying (2/7) in 3s…"):
// each new text replaces the last, and anything else written to stdout or
// stderr first clears it, so it never mixes with the output.
type statusLine struct {
	mu    sync.Mutex
	w     io.Writer // the terminal
	drawn bool
}

// show replaces the line with text.
func (l *statusLine) show(text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, "\r"+text+"\x1b[K")
	l.drawn = true
}

// clear removes the line, if one is drawn.
func (l *statusLine) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clearLocked()
}

// clearLocked removes the line, if one is drawn; l.mu is held.
func (l *statusLine) clearLocked() {
	if l.drawn {
		_, _ = io.WriteString(l.w, "\r\x1b[K")
		l.drawn = false
	}
}

// before returns a writer that clears the line before writing to w.
func (l *statusLine) before(w io.Writer) io.Writer { return clearingWriter{l, w} }

type clearingWriter struct {
	l *statusLine
	w io.Writer
}

// Write clears the status line, then writes p.
func (c clearingWriter) Write(p []byte) (int, error) {
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	c.l.clearLocked()
	return c.w.Write(p)
}

// terminalNotes prepares a command that talks to the portal (find,
// export) to show its progress and pending retries on stderr when stderr
// is a terminal; elsewhere (a script, a log) it prints nothing more.
func (a *app) terminalNotes() {
	if !a.stderrIsTerminal || a.status != nil {
		return
	}
	a.status = &statusLine{w: a.stderr}
	a.stdout, a.stderr = a.status.before(a.stdout), a.status.before(a.stderr)
	a.onRetry = func(ev api.RetryEvent) { a.status.show(retryText(a.lang(), ev)) }
}

// retryText is a retry as one line in the language l: "b24org:
// department.get: retrying (2/7) in 3s… (HTTP 503)", the words as the
// browser's status bar says them (directory.RetryNote).
func retryText(l *lang.Language, ev api.RetryEvent) string {
	text := "b24org: " + directory.RetryNote(l, ev, ev.Wait)
	if ev.Method != "" {
		text = "b24org: " + ev.Method + ": " + directory.RetryNote(l, ev, ev.Wait)
	}
	return safetext.Clean(strings.Join(strings.Fields(text), " "))
}
