package ui

import (
	"strings"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// A failure is kept as one string, "what: cause" then, after hintSep, what
// to do: the cause is cleaned of control characters, so the separator can
// only be this one.
const hintSep = "\n"

// errLine is a failure as kept on the model: what failed, why, and the fix
// when there is one (directory.FailureOf, which the command line says too).
func (c *common) errLine(what string, err error) string {
	f := directory.FailureOf(c.lang, err)
	line := what + ": " + f.Cause
	if f.Fix != "" {
		line += hintSep + f.Fix
	}
	return line
}

// failureParts splits a kept failure into what failed, the cause and the fix.
func failureParts(line string) (what, cause, fix string) {
	line, fix, _ = strings.Cut(line, hintSep)
	what, cause, _ = strings.Cut(line, ": ")
	return what, cause, fix
}

// keyName is the first key of b as help shows it: "r", "esc", "f5".
func keyName(b key.Binding) string { return firstKey(b.Help().Key) }

// failures are the failures on show, in the order firstErr picks them.
func (m *Model) failures() []string {
	var out []string
	for _, e := range []string{m.peopleErr, m.treeErr, m.bgErr} {
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// cutWords cuts s to w cells at a space, ending with "…" when cut.
func cutWords(s string, w int) string {
	if safetext.Width(s) <= w {
		return s
	}
	if w <= 1 {
		return safetext.Truncate(s, w)
	}
	cut := safetext.Truncate(s, w) // ends with "…"
	if i := strings.LastIndex(cut, " "); i > 0 {
		cut = strings.TrimRight(cut[:i], " ") + "…"
	}
	return cut
}

// wrap breaks text into lines of at most w cells, at spaces; a word longer
// than a line (a URL) is broken where it must.
func wrap(text string, w int) []string {
	if w <= 0 {
		return nil
	}
	return strings.Split(ansi.Wrap(text, w, ""), "\n")
}

// paneFailure draws a failure in a pane of w×h that has nothing else to
// show: what failed, the cause and the fix, wrapped; the keys stay on the
// last row when the rest does not fit.
func (c *common) paneFailure(line string, w, h int) []string {
	what, cause, fix := failureParts(line)
	tw := max(1, w-2)
	var body []string
	add := func(p paint, text string) {
		for _, l := range wrap(text, tw) {
			body = append(body, p.on(cell(" "+l, w)))
		}
	}
	add(c.st.errp, what+".")
	add(c.st.muted, cause)
	if fix != "" {
		add(c.st.muted, c.lang.T("errors.tofix", "Fix", fix))
	}
	keys := c.st.muted.on(cell(" "+cutWords(c.lang.T("status.retry", "Key", keyName(c.keys.Refresh))+" · "+c.lang.T("status.details", "Key", keyName(c.keys.Errors)), tw), w))
	if len(body)+1 > h {
		body = body[:max(0, h-1)]
	}
	return fill(append(body, keys), w, h)
}

// errorsView is the error view: every failure on show with its whole cause
// and fix, then the warnings, wrapped to the width; it scrolls.
func (m *Model) errorsView(w, h int) []string {
	out := m.errorsLines(w)
	return fill(out[clamp(m.errOff, 0, len(out)-h):], w, h)
}

// scrollErrors moves the error view's first line by n, within its lines.
func (m *Model) scrollErrors(n int) {
	in := m.layout().main.inner()
	m.errOff = clamp(m.errOff+n, 0, len(m.errorsLines(in.w))-in.h)
}

// errorsLines are every line of the error view at width w.
func (m *Model) errorsLines(w int) []string {
	tw := max(1, w-2)
	var out []string
	add := func(p paint, prefix, text string) {
		for i, l := range wrap(text, max(1, tw-safetext.Width(prefix))) {
			if i > 0 {
				prefix = strings.Repeat(" ", safetext.Width(prefix))
			}
			out = append(out, p.on(cell(" "+prefix+l, w)))
		}
	}
	blank := func() { out = append(out, cell("", w)) }
	for _, f := range m.failures() {
		what, cause, fix := failureParts(f)
		add(m.st.errp, "✗ ", what)
		add(paint{}, "  ", cause)
		if fix != "" {
			add(paint{}, "  "+m.lang.T("errors.tofix", "Fix", ""), fix)
		}
		blank()
	}
	if r := m.status.retry; r != nil {
		add(m.st.warn, "⟳ ", r.ev.Method+": "+m.status.retryText())
		blank()
	}
	for _, warn := range m.status.warnings() {
		add(m.st.warn, "! ", warn)
		blank()
	}
	if len(out) == 0 {
		add(m.st.muted, "", m.lang.T("errors.none"))
		blank()
	}
	add(m.st.muted, "", m.lang.T("errors.keys", "Retry", keyName(m.keys.Refresh), "Back", keyName(m.keys.Back), "Scroll", pair(m.keys.Up, m.keys.Down, "").Help().Key))
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// errorsKey handles a key in the error view.
func (m *Model) errorsKey(k tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Back, m.keys.Errors):
		m.mode = modeNormal
	case key.Matches(k, m.keys.Quit):
		return m.quit()
	case key.Matches(k, m.keys.Refresh):
		m.mode = modeNormal
		return m.refresh()
	case key.Matches(k, m.keys.Up):
		m.scrollErrors(-1)
	case key.Matches(k, m.keys.Down):
		m.scrollErrors(1)
	}
	return nil
}
