package ui

import (
	"fmt"
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
		if scope, fix, ok := directory.MissingScope(msg.err); ok {
			return m.showToast(fmt.Sprintf("caller needs the %s scope: %s", scope, fix))
		}
		return m.showToast(directory.FailureOf(msg.err).Line())
	}
	for id, s := range msg.r.Schedules {
		if s != nil {
			m.sched[id] = s
		}
	}
	if len(msg.r.Clients) == 0 {
		return m.showToast(fmt.Sprintf("no CRM client has the number %q", number))
	}
	cl := msg.r.Clients[0]
	client := cl.Name
	if client == "" {
		client = "(no name)"
	}
	client += " (" + cl.Type + ")"
	if more := len(msg.r.Clients) - 1; more > 0 {
		client += fmt.Sprintf(" and %d more (b24org caller lists them)", more)
	}
	p := cl.Responsible
	if p == nil {
		return m.showToast(client + ": no responsible employee the directory can show")
	}
	text := client + " → " + named(p.Name)
	if p.Extension != "" {
		text += ", ext " + p.Extension
	}
	a := p.AvailabilityAt(msg.r.Schedules[p.ID], m.now(), m.threshold)
	text += ", " + a.State + ": " + a.Reason
	if o := m.org.Person(p.ID); o != nil {
		p = o
	}
	return tea.Batch(m.jump(p), m.showToastFor(text, callerToastFor))
}

// callerToastFor is how long the status bar names the caller's client:
// long enough to say it to the colleague the call goes to.
const callerToastFor = 15 * time.Second
