package ui

import (
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	tea "github.com/charmbracelet/bubbletea"
)

// statusBar is the line above the footer (the habit of soft-serve's
// statusbar component): it owns what it says of its own (a toast, a
// pending retry, the warnings) and draws, from the facts the Model hands
// it, the copy menu, a failure or the spinner, then the background
// progress and the age of the data.
type statusBar struct {
	*common
	toast         string
	toastID       int
	retry         *retryState // a request failed and will be tried again
	warning       string      // a problem that stops nothing, e.g. the cache cannot be written
	startWarnings []string
}

func newStatusBar(c *common, warnings []string) statusBar {
	b := statusBar{common: c}
	for _, w := range warnings {
		if w = safetext.Clean(w); w != "" {
			b.startWarnings = append(b.startWarnings, w)
		}
	}
	return b
}

// show puts text in the toast and returns its id, for the timer that hides it.
func (b *statusBar) show(text string) int {
	b.toastID++
	b.toast = text
	return b.toastID
}

// statusFacts are what the status bar draws of the Model's state.
type statusFacts struct {
	menu     func(w int) string // the copy menu, when it is open; nil otherwise
	failure  string             // the failure on show, as kept (errLine)
	busy     bool
	activity string // what the spinner waits for
	bg       bgState
	link     string // the address the highlighted name links to ("" for none)
}

// bgState is the background load as the status bar shows it.
type bgState struct {
	running     bool
	done, total int
	wait        time.Duration // a pause for the portal's time budget
}

// view draws the status line in w cells.
func (b *statusBar) view(w int, f statusFacts) string {
	right := ""
	if f.bg.running {
		right = b.progress(f.bg, w/2)
	}
	if a := b.age(b.org.FetchedAt(), b.now()); a != "" {
		if right != "" {
			right += "  "
		}
		right += "⟳ " + a
	}
	right = safetext.Truncate(right, max(0, w/2))
	rw := safetext.Width(right)
	lw := max(0, w-rw-2)
	var left string
	switch {
	case f.menu != nil:
		left = f.menu(lw)
	case b.toast != "":
		left = b.st.toast.on(cell(" "+b.toast, lw))
	case f.failure != "":
		left = b.st.errp.on(cell(b.errorBar(f.failure, lw), lw))
	case b.retry != nil:
		doing := b.lang.T("status.indexing")
		if f.busy {
			doing = strings.TrimSuffix(f.activity, "…")
		}
		left = b.st.warn.on(cell(cutWords(" ⟳ "+doing+": "+b.retryText(), lw), lw))
	case f.busy:
		left = " " + b.spin.View() + cell(" "+f.activity, max(0, lw-2))
	case len(b.warnings()) > 0:
		left = b.st.warn.on(cell(b.warningBar(lw), lw))
	case f.link != "":
		// Where the highlighted name leads, as a browser's status bar
		// shows it: the address is printable ASCII (directory's builder).
		left = b.st.muted.on(spans([]span{{text: " → "}, {text: f.link, url: b.statusLink(f.link)}}, lw))
	default:
		left = cell("", lw)
	}
	if rw == 0 {
		return left + cell("", w-lw)
	}
	age := b.st.muted
	if f.failure != "" {
		age = b.st.warn // the data on screen is stale
	}
	return left + " " + age.on(right) + " "
}

// progress is the background load's bar in w cells, "indexing 12,400 / 30,000 ▰▰▱▱".
func (b *statusBar) progress(bg bgState, w int) string {
	l := b.lang
	text := l.T("status.indexing")
	if bg.wait > 0 {
		return l.T("status.budget", "Wait", l.Wait(max(bg.wait.Round(time.Second), time.Second)))
	}
	if bg.total > 0 {
		text += " " + l.Thousands(bg.done) + " / " + l.Thousands(bg.total)
	} else {
		text += "…"
	}
	bar := min(10, w-safetext.Width(text)-1)
	if bar < 4 || bg.total <= 0 {
		return text
	}
	full := clamp(bg.done*bar/bg.total, 0, bar)
	return text + " " + strings.Repeat("▰", full) + strings.Repeat("▱", bar-full)
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
func (b *statusBar) retryText() string {
	return directory.RetryNote(b.lang, b.retry.ev, b.retry.until.Sub(b.now()))
}

// errorBar is the status bar's error text in w cells: what failed, the fix
// and the keys for the details and for retrying; the cause too when it fits
// whole. Nothing is cut inside a word: the longest form that fits is shown,
// and without room for the fix the details key says where it is.
func (b *statusBar) errorBar(failure string, w int) string {
	what, cause, fix := failureParts(failure)
	details := b.lang.T("status.details", "Key", keyName(b.keys.Errors))
	retry := b.lang.T("status.retry", "Key", keyName(b.keys.Refresh))
	toFix := b.lang.T("status.tofix")
	forms := []string{" ✗ " + what + ": " + cause + " · " + details + " · " + retry}
	if fix != "" {
		forms = []string{
			" ✗ " + what + ": " + cause + " · " + toFix + " " + fix + " · " + details + " · " + retry,
			" ✗ " + what + " · " + toFix + " " + fix + " · " + details + " · " + retry,
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
func (b *statusBar) warningBar(w int) string {
	ws := b.warnings()
	s := " ! " + ws[len(ws)-1]
	if safetext.Width(s) <= w {
		return s
	}
	more := " · " + b.lang.T("status.details", "Key", keyName(b.keys.Errors))
	return cutWords(s, max(0, w-safetext.Width(more))) + more
}

// warnings are the problems that stop nothing: the start-up ones (the
// config file others can read), then the directory's latest.
func (b *statusBar) warnings() []string {
	out := append([]string(nil), b.startWarnings...)
	if b.warning != "" && !contains(out, b.warning) {
		out = append(out, b.warning)
	}
	return out
}
