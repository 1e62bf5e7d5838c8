package ui

import (
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	tea "github.com/charmbracelet/bubbletea"
)

// callerMsg answers Directory.Callers for the number typed in the search.
type callerMsg struct {
	number string
	r      *directory.Callers
	err    error
}

// callerCmd looks number up among the portal's CRM clients (the Caller key
// in the search view): the reply jumps to the responsible employee.
func (m *Model) callerCmd(number string) tea.Cmd {
	if m.dir == nil || !strings.ContainsAny(number, "0123456789") {
		return nil
	}
	m.search.pending = true
	dir, ctx, age := m.dir, m.ctx, m.presenceAge
	return func() tea.Msg {
		r, err := dir.Callers(ctx, number, age)
		return callerMsg{number: number, r: r, err: err}
	}
}

// gotCaller shows who is responsible for the caller's client: the search
// closes on that employee, highlighted in their department with their
// availability, and the status bar names the client ("Daisy LLC (company)
// → Борис Иванов, ext 101, away: on a break"). Without a client, or
// without the telephony scope, the status bar says so and the search stays.
func (m *Model) gotCaller(msg callerMsg) tea.Cmd {
	m.search.pending = false
	number := safetext.Clean(msg.number)
	if msg.err != nil {
		if scope, fix, ok := directory.MissingScope(m.lang, msg.err); ok {
			return m.showToast(m.lang.T("caller.noscope", "Scope", scope, "Fix", fix))
		}
		return m.showToast(directory.FailureOf(m.lang, msg.err).Line())
	}
	for id, s := range msg.r.Schedules {
		if s != nil {
			m.sched[id] = s
		}
	}
	if len(msg.r.Clients) == 0 {
		return m.showToast(m.lang.T("caller.none", "Number", safetext.Clean(number)))
	}
	cl := msg.r.Clients[0]
	client := m.named(cl.Name) + " (" + cl.Type + ")"
	if more := len(msg.r.Clients) - 1; more > 0 {
		client += " " + m.lang.N("caller.more", more)
	}
	p := cl.Responsible
	if p == nil {
		return m.showToast(m.lang.T("caller.noresponsible", "Client", client))
	}
	text := client + " → " + m.named(p.Name)
	if p.Extension != "" {
		text += ", " + m.lang.T("contact.ext", "Value", p.Extension)
	}
	a := p.AvailabilityAt(msg.r.Schedules[p.ID], m.now(), m.threshold)
	text += ", " + a.StateIn(m.lang) + ": " + a.Say(m.lang)
	if o := m.org.Person(p.ID); o != nil {
		p = o
	}
	return tea.Batch(m.jump(p), m.showToastFor(text, callerToastFor))
}

// callerToastFor is how long the status bar names the caller's client:
// long enough to say it to the colleague the call goes to.
const callerToastFor = 15 * time.Second
