package ui

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/require"
)

// testNow is the fixed clock of every test: presence is relative to it.
var testNow = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// asciiRenderer draws without colour, so any ESC byte in a frame is a leak
// (its environment is empty: a NO_COLOR of the test's own would add
// attributes).
func asciiRenderer() *lipgloss.Renderer {
	return lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii), termenv.WithEnvironment(testEnv(nil)))
}

// testEnv is an environment for a renderer.
type testEnv []string

func (e testEnv) Environ() []string { return e }

func (e testEnv) Getenv(k string) string {
	for _, kv := range e {
		if name, v, ok := strings.Cut(kv, "="); ok && name == k {
			return v
		}
	}
	return ""
}

// smallPortalOrg is a small company as the fake portal stores it: every
// badge kind, a head in each department, a person in two departments,
// Cyrillic and CJK names.
func smallPortalOrg() *fakeportal.Org {
	ago := func(d time.Duration) time.Time { return testNow.Add(-d) }
	return &fakeportal.Org{
		Departments: []fakeportal.Department{
			{ID: 1, Name: "Acme Corp", Sort: 100, Head: 10},
			{ID: 2, Name: "Sales", Sort: 100, Parent: 1, Head: 20},
			{ID: 3, Name: "EMEA", Sort: 100, Parent: 2, Head: 30},
			{ID: 4, Name: "R&D", Sort: 200, Parent: 1},
			{ID: 5, Name: "Empty", Sort: 300, Parent: 1},
		},
		Users: []fakeportal.User{
			{ID: 10, FirstName: "Anna", LastName: "Johnson", Position: "CEO", Extension: "1000", Email: "anna@acme.example",
				Departments: []int{1}, Active: true, LastActivity: ago(2 * time.Minute)},
			{ID: 20, FirstName: "Борис", LastName: "Иванов", Position: "Team Lead", Extension: "1043",
				Departments: []int{2}, Active: true, LastActivity: ago(9 * time.Minute), IdleSince: ago(9 * time.Minute)},
			{ID: 30, FirstName: "Dora", LastName: "Müller", Position: "Account Manager", Extension: "1042",
				Email: "dora@acme.example", Mobile: "+1 555 0100", WorkPhone: "+1 555 0199",
				Departments: []int{3}, Active: true, LastActivity: ago(3 * time.Hour)},
			{ID: 31, FirstName: "伟", LastName: "陈", Position: "Analyst", Extension: "1044",
				Departments: []int{3}, Active: true, LastActivity: ago(time.Minute),
				AbsentUntil: time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)},
			{ID: 32, FirstName: "Eve", LastName: "Adams", Position: "Sales Rep", Extension: "1045",
				Departments: []int{3}, Active: true, LastActivity: ago(30 * time.Second)},
			{ID: 40, FirstName: "Frank", LastName: "Zeller", Position: "Engineer", Extension: "2001",
				Departments: []int{4, 3}, Active: true},
		},
	}
}

// orgData converts a portal org to directory data, as if everything loaded.
func orgData(po *fakeportal.Org) directory.Data {
	d := directory.Data{FetchedAt: testNow, Complete: true}
	for _, x := range po.Departments {
		d.Departments = append(d.Departments, directory.Department{ID: x.ID, Name: x.Name, Sort: x.Sort, ParentID: x.Parent, HeadID: x.Head})
		d.Loaded = append(d.Loaded, x.ID)
	}
	for _, u := range po.Users {
		d.People = append(d.People, directory.Person{
			ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName), FirstName: u.FirstName, LastName: u.LastName,
			Position: u.Position, Email: u.Email, Extension: u.Extension, WorkPhone: u.WorkPhone, Mobile: u.Mobile,
			DepartmentIDs: u.Departments, Active: u.Active, LastActivity: u.LastActivity, IdleSince: u.IdleSince,
			AbsentUntil: u.AbsentUntil,
		})
	}
	return d
}

// startPortal serves org on loopback and returns a Directory over it.
func startPortal(t testing.TB, org *fakeportal.Org) (*fakeportal.Portal, *directory.Directory) {
	t.Helper()
	p, err := fakeportal.Start(org, fakeportal.Options{Rate: -1, Now: fixedNow})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	return p, directory.New(c, directory.Options{NoCache: true})
}

// harness drives a Model the way tea.Program does, but synchronously:
// commands run in order, timers are held until fire, the spinner never ticks.
type harness struct {
	t      testing.TB
	m      *Model
	timers []tea.Msg
	copied []string
	quit   bool
	// watching is the Directory.Changed channel the model waits on (the
	// wait is held, like the timers, until changes delivers it).
	watching <-chan struct{}
	// top is the model the messages go to, when not m: a front end over
	// it (Plain).
	top tea.Model
}

// update hands msg to the top model.
func (h *harness) update(msg tea.Msg) tea.Cmd {
	if h.top != nil {
		_, cmd := h.top.Update(msg)
		return cmd
	}
	_, cmd := h.m.Update(msg)
	return cmd
}

func newHarness(t testing.TB, o Options) *harness {
	t.Helper()
	h := &harness{t: t}
	o.Now = fixedNow
	if o.Copy == nil {
		o.Copy = func(s string) { h.copied = append(h.copied, s) }
	}
	if o.Renderer == nil {
		o.Renderer = asciiRenderer()
	}
	h.m = New(o)
	h.m.after = func(_ time.Duration, msg tea.Msg) tea.Cmd {
		h.timers = append(h.timers, msg)
		return nil
	}
	h.m.waitChange = func(ch <-chan struct{}) tea.Cmd {
		h.watching = ch
		return nil
	}
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	return h
}

// changes delivers the directory's change, as the model's wait would, if
// there was one since the model last looked; it reports whether there was.
func (h *harness) changes() bool {
	select {
	case <-h.watching:
		h.send(dirChangedMsg{ch: h.watching})
		return true
	default:
		return false
	}
}

// loaded returns a harness showing org (no Directory: nothing loads).
func loaded(t testing.TB, org *directory.Org) *harness {
	h := newHarness(t, Options{})
	h.send(orgMsg{org: org})
	return h
}

func (h *harness) init() { h.run(h.m.Init()) }

func (h *harness) send(msg tea.Msg) {
	h.run(h.update(msg))
}

// run executes cmd and feeds what it returns back into Update.
func (h *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil, spinner.TickMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			h.quit = true
		default:
			queue = append(queue, h.update(msg))
		}
	}
}

// fire delivers the held timers (the ones of type like, or all when nil).
func (h *harness) fire() {
	ts := h.timers
	h.timers = nil
	for _, msg := range ts {
		h.send(msg)
	}
}

// keys types each key: names such as "down", "enter", "esc", or text.
func (h *harness) keys(ks ...string) {
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(k string) tea.KeyMsg {
	types := map[string]tea.KeyType{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "pgup": tea.KeyPgUp,
		"pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd, "ctrl+c": tea.KeyCtrlC,
		"backspace": tea.KeyBackspace, "space": tea.KeySpace, "ctrl+u": tea.KeyCtrlU,
	}
	if t, ok := types[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func (h *harness) view() string { return h.m.View() }

// selectDept moves the tree cursor onto the department named name.
func (h *harness) selectDept(name string) {
	h.t.Helper()
	for i := 0; i < 50; i++ {
		if d := h.m.org.Department(h.m.tree.sel); d != nil && d.Name == name {
			return
		}
		r := h.m.tree.rows[h.m.tree.idx]
		if r.children && !h.m.tree.expanded[r.id] {
			h.keys("right")
			continue
		}
		h.keys("down")
	}
	h.t.Fatalf("department %q not reached", name)
}
