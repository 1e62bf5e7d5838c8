package ui

import (
	"strings"
	"time"

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
func errLine(what string, err error) string {
	f := directory.FailureOf(err)
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

// retryMsg tells the model that a request failed and will be tried again.
type retryMsg struct{ ev directory.RetryEvent }

// RetryNotice is the message that shows a pending retry in the status bar
// ("retrying (2/7) in 3s…"): send it (tea.Program.Send) from the api
// client's Config.OnRetry.
func RetryNotice(ev directory.RetryEvent) tea.Msg { return retryMsg{ev: ev} }

// retryState is the pending retry on show.
type retryState struct {
	ev    directory.RetryEvent
	until time.Time // when the next attempt starts
}

// retryText is "retrying (2/7) in 3s… (HTTP 503)", counting down to the
// next attempt, then "retrying (2/7)…" while it runs.
func (m *Model) retryText() string {
	return directory.RetryNote(m.retry.ev, m.retry.until.Sub(m.now()))
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

// errorBar is the status bar's error text in w cells: what failed, the fix
// and the keys for the details and for retrying; the cause too when it fits
// whole. Nothing is cut inside a word: the longest form that fits is shown,
// and without room for the fix the details key says where it is.
func (m *Model) errorBar(w int) string {
	what, cause, fix := failureParts(m.firstErr())
	details := keyName(m.keys.Errors) + " details"
	retry := keyName(m.keys.Refresh) + " retry"
	forms := []string{" ✗ " + what + ": " + cause + " · " + details + " · " + retry}
	if fix != "" {
		forms = []string{
			" ✗ " + what + ": " + cause + " · to fix: " + fix + " · " + details + " · " + retry,
			" ✗ " + what + " · to fix: " + fix + " · " + details + " · " + retry,
			forms[0],
		}
	}
	for _, s := range append(forms,
		" ✗ "+what+" · "+details+" · "+retry,
		" ✗ "+what+" · "+details,
		" ✗ "+details,
	) {
		if safetext.Width(s) <= w {
			return s
		}
	}
	return cutWords(" ✗ "+what, w)
}

// warningBar is the latest warning in w cells; when it does not fit whole,
// its start and the key of the error view, which holds it all.
func (m *Model) warningBar(w int) string {
	ws := m.warnings()
	s := " ! " + ws[len(ws)-1]
	if safetext.Width(s) <= w {
		return s
	}
	more := " · " + keyName(m.keys.Errors) + " details"
	return cutWords(s, max(0, w-safetext.Width(more))) + more
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
func (m *Model) paneFailure(line string, w, h int) []string {
	what, cause, fix := failureParts(line)
	tw := max(1, w-2)
	var body []string
	add := func(p paint, text string) {
		for _, l := range wrap(text, tw) {
			body = append(body, p.on(cell(" "+l, w)))
		}
	}
	add(m.st.errp, what+".")
	add(m.st.muted, cause)
	if fix != "" {
		add(m.st.muted, "To fix: "+fix)
	}
	keys := m.st.muted.on(cell(" "+cutWords(keyName(m.keys.Refresh)+" retry · "+keyName(m.keys.Errors)+" details", tw), w))
	if len(body)+1 > h {
		body = body[:max(0, h-1)]
	}
	return fill(append(body, keys), w, h)
}

// errorsView is the error view: every failure on show with its whole cause
// and fix, then the warnings, wrapped to the width; it scrolls.
func (m *Model) errorsView(w, h int) []string {
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
			add(paint{}, "  To fix: ", fix)
		}
		blank()
	}
	if m.retry != nil {
		add(m.st.warn, "⟳ ", m.retry.ev.Method+": "+m.retryText())
		blank()
	}
	for _, warn := range m.warnings() {
		add(m.st.warn, "! ", warn)
		blank()
	}
	if len(out) == 0 {
		add(m.st.muted, "", "No errors.")
		blank()
	}
	add(m.st.muted, "", keyName(m.keys.Refresh)+" retries · "+keyName(m.keys.Back)+" goes back · "+pair(m.keys.Up, m.keys.Down, "").Help().Key+" scroll")
	m.errOff = clamp(m.errOff, 0, len(out)-h)
	return fill(out[m.errOff:], w, h)
}

// warnings are the problems that stop nothing: the start-up ones (the
// config file others can read), then the directory's latest.
func (m *Model) warnings() []string {
	out := append([]string(nil), m.startWarnings...)
	if m.warning != "" && !contains(out, m.warning) {
		out = append(out, m.warning)
	}
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
		m.errOff = max(0, m.errOff-1)
	case key.Matches(k, m.keys.Down):
		m.errOff++ // errorsView clamps it
	}
	return nil
}
