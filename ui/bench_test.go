package ui

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// benchModel is a model in true colour (the costliest profile) showing org.
func benchModel(b *testing.B, org *directory.Org, w, h int) *Model {
	b.Helper()
	c := func(s string) lipgloss.Color { return lipgloss.Color(s) }
	m := New(Options{
		Renderer: lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.TrueColor)),
		Palette: Palette{Accent: c("#7AA2F7"), Muted: c("#8A8FA8"), Border: c("#4B5068"), BorderFocus: c("#7AA2F7"),
			Selected: c("#2E3C64"), SelectedText: c("#FFFFFF"), Online: c("#73D982"), Idle: c("#E5C07B"),
			Absent: c("#C99AF0"), Offline: c("#8A8FA8"), Error: c("#F7768E"), Warning: c("#E0AF68")},
		Now: fixedNow,
	})
	m.after = func(time.Duration, tea.Msg) tea.Cmd { return nil }
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(orgMsg{org: org})
	return m
}

// BenchmarkView200x60 draws a 200×60 frame with a 2,000-department tree
// (fully expanded) and a 500-person department open, a person highlighted.
func BenchmarkView200x60(b *testing.B) { benchView200x60(b, false) }

// BenchmarkView200x60Links is BenchmarkView200x60 with names, e-mails and
// phones drawn as links (OSC 8).
func BenchmarkView200x60Links(b *testing.B) { benchView200x60(b, true) }

func benchView200x60(b *testing.B, links bool) {
	data := orgData(fakeportal.Generate(fakeportal.GenOptions{People: 6000, Departments: 2000, Seed: 7, Now: testNow}))
	data.Portal = "https://acme.example/rest/1/••••/"
	big := data.Departments[len(data.Departments)/2].ID
	for i := 0; i < 500; i++ {
		data.People[i].DepartmentIDs = append(data.People[i].DepartmentIDs, big)
	}
	org := directory.NewOrg(data)
	if n := len(org.Departments()); n < 2000 {
		b.Fatalf("only %d departments", n)
	}
	m := benchModel(b, org, 200, 60)
	m.linksOn = links
	for _, d := range org.Departments() {
		m.tree.expanded[d.ID] = true
	}
	m.tree.rebuild(org)
	m.tree.sel = big
	m.tree.rebuild(org)
	m.selectDept(big, true)
	m.focus = panePeople
	m.people.move(250)
	if n := len(m.people.list); n < 500 {
		b.Fatalf("the open department has %d people", n)
	}
	if v := m.View(); links != strings.Contains(v, "\x1b]8;;https://acme.example/company/personal/user/") {
		b.Fatalf("links %v, yet the frame says otherwise", links)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkCursorMove30k is one cursor move in the tree (Update, which
// shows the next department's people, then View) in a 30,000-person org.
// It reports the median and the 99th percentile of the moves.
func BenchmarkCursorMove30k(b *testing.B) {
	org := directory.NewOrg(orgData(fakeportal.Generate(fakeportal.GenOptions{People: 30000, Seed: 7, Now: testNow})))
	if n := org.PersonCount(); n < 30000 {
		b.Fatalf("only %d people", n)
	}
	m := benchModel(b, org, 120, 40)
	for _, d := range org.Departments() {
		m.tree.expanded[d.ID] = true
	}
	m.tree.rebuild(org)
	treeMoves(b, m, func(k tea.KeyMsg) {
		m.Update(k)
		_ = m.View()
	})
}

// treeMoves times move, a cursor move down the tree of m (home from the
// last row), each loop, and reports the median and the 99th percentile.
func treeMoves(b *testing.B, m *Model, move func(tea.KeyMsg)) {
	b.Helper()
	down, home := keyMsg("down"), keyMsg("home")
	var times []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		key := down
		if m.tree.idx == len(m.tree.rows)-1 {
			key = home
		}
		move(key)
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "ms-p99")
}

// BenchmarkSessionKeystroke is one keystroke of a browser session of serve
// as BenchmarkServe100Sessions drives it: the demo org, a 100×30 terminal
// with 256 colours and a dark background, an adaptive palette, the people
// pane focused, the cursor moving down and up (Update, then View).
func BenchmarkSessionKeystroke(b *testing.B) {
	org := directory.NewOrg(orgData(fakeportal.Demo(testNow, false)))
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.ANSI256))
	r.SetHasDarkBackground(true)
	a := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	m := New(Options{
		Renderer: r,
		Palette: Palette{Accent: a("#1F5FBF", "#7AA2F7"), Muted: a("#5C6072", "#8A8FA8"), Border: a("#A0A4B4", "#4B5068"),
			BorderFocus: a("#1F5FBF", "#7AA2F7"), Selected: a("#CCD9F5", "#2E3C64"), SelectedText: a("#000000", "#FFFFFF"),
			Online: a("#1A7F37", "#73D982"), Idle: a("#8A5A00", "#E5C07B"), Absent: a("#8250DF", "#C99AF0"),
			Offline: a("#5C6072", "#8A8FA8"), Error: a("#CF222E", "#F7768E"), Warning: a("#8A5A00", "#E0AF68")},
		Now: fixedNow,
	})
	m.after = func(time.Duration, tea.Msg) tea.Cmd { return nil }
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(orgMsg{org: org})
	m.Update(keyMsg("tab"))
	if len(m.people.list) < 2 {
		b.Fatalf("the first department has %d people", len(m.people.list))
	}
	keys := []tea.KeyMsg{keyMsg("j"), keyMsg("k")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		_ = m.View()
		i++
	}
}

// BenchmarkOrgChart30k draws the org chart of a 30,000-person company's
// root, as opening it (or a new snapshot while it is open) does; a
// resize draws nothing again.
func BenchmarkOrgChart30k(b *testing.B) {
	org := directory.NewOrg(orgData(fakeportal.Generate(fakeportal.GenOptions{People: 30_000, Departments: 1500, Seed: 7, Now: testNow})))
	m := benchModel(b, org, 200, 60)
	m.chart.open(org.Roots()[0])
	b.ReportAllocs()
	for b.Loop() {
		if lines := m.chart.chartLines(); len(lines) < 30_000 {
			b.Fatalf("%d lines", len(lines))
		}
	}
}

// BenchmarkPlainCursorMove30k is BenchmarkCursorMove30k through the plain
// front end: the Update, the line it says, and its write (to io.Discard),
// in place of the frame.
func BenchmarkPlainCursorMove30k(b *testing.B) {
	org := directory.NewOrg(orgData(fakeportal.Generate(fakeportal.GenOptions{People: 30000, Seed: 7, Now: testNow})))
	m := New(Options{Renderer: lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii)), Now: fixedNow, Plain: true})
	m.after = func(time.Duration, tea.Msg) tea.Cmd { return nil }
	out := NewPlainOutput(io.Discard)
	p := NewPlain(m, out)
	p.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	p.Update(orgMsg{org: org})
	for _, d := range org.Departments() {
		m.tree.expanded[d.ID] = true
	}
	m.tree.rebuild(org)
	treeMoves(b, m, func(k tea.KeyMsg) {
		p.Update(k)
		_ = out.Flush()
	})
}
