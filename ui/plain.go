package ui

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// The plain front end (--plain, ACCESSIBLE=1) is for screen readers and
// logs: no alternate screen, no boxes, no spinner, no cursor movement, no
// colour; one line for each change, status in words. It is a printer over
// the same Model: the Model takes the keys and decides what changes, as in
// the browser; after each update the printer compares what the user would
// see (the highlighted department, the highlighted person, the query's
// count, the status) with what it saw last and says what changed.
//
// Bubble Tea's own tea.Println prints only through its standard renderer,
// which moves the cursor to repaint the view below the lines; so the
// program runs without a renderer and the printer writes its lines
// itself, through a command (PlainOutput).

// The screen the model lays itself out for in plain mode (the rows a page
// key moves follow from it), unless a real size comes (over SSH).
const plainWidth, plainHeight = 100, 30

// Accessible reports whether v, the value of the ACCESSIBLE environment
// variable, asks for the plain front end: set, and not "0".
func Accessible(v string) bool { return v != "" && v != "0" }

// PlainOutput is where the plain front end writes: whole lines, in the
// order the model's changes made them, and raw sequences (the OSC52 of a
// copy, through Write) in their place among them. Update only queues; a
// command writes (Flush), so that the model does no I/O, and commands
// that run out of order still write in order: each writes everything
// queued so far.
type PlainOutput struct {
	w       io.Writer
	writing sync.Mutex // held while writing, so flushes write in turn
	mu      sync.Mutex // guards queue
	queue   bytes.Buffer
}

// NewPlainOutput returns a PlainOutput writing to w (a terminal in raw
// mode, or an SSH session's channel).
func NewPlainOutput(w io.Writer) *PlainOutput { return &PlainOutput{w: w} }

// Write queues p as it is: a terminal sequence such as OSC52.
func (o *PlainOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.queue.Write(p)
}

// line queues s as one line: every escape sequence and control character
// taken out (no colour, no cursor movement), ending in CR LF, as a terminal
// in raw mode needs.
func (o *PlainOutput) line(s string) {
	s = ansi.Strip(s)
	rest := strings.TrimLeft(s, " ") // the indent of the org chart stays
	s = strings.TrimRight(s[:len(s)-len(rest)]+safetext.Clean(rest), " ")
	o.mu.Lock()
	defer o.mu.Unlock()
	o.queue.WriteString(s + "\r\n")
}

// Flush writes what is queued.
func (o *PlainOutput) Flush() error {
	o.writing.Lock()
	defer o.writing.Unlock()
	o.mu.Lock()
	b := bytes.Clone(o.queue.Bytes())
	o.queue.Reset()
	o.mu.Unlock()
	if len(b) == 0 {
		return nil
	}
	_, err := o.w.Write(b)
	return err
}

// Plain is the plain front end over a browser: a *Model, or a
// *StagedStart whose browsers it follows. Its View is empty; it writes
// lines to its PlainOutput instead. The models it shows should be made
// with Options.Plain, which names presence in words.
type Plain struct {
	inner   tea.Model
	out     *PlainOutput
	was     plainFacts
	started bool
	details int  // a person whose details are due once highlighted and loaded
	sized   bool // a real size came (over SSH): the default one is not needed
}

// plainSizeMsg gives the model the default size, unless a real one came.
type plainSizeMsg struct{}

// NewPlain returns the plain front end of m, writing to out.
func NewPlain(m tea.Model, out *PlainOutput) *Plain { return &Plain{inner: m, out: out} }

// browser is the Model whose state is shown.
func (p *Plain) browser() *Model {
	switch m := p.inner.(type) {
	case *Model:
		return m
	case *StagedStart:
		return m.first
	}
	return nil
}

// Init starts the browser and says what there is.
func (p *Plain) Init() tea.Cmd {
	cmd := p.inner.Init()
	if m := p.browser(); m != nil {
		p.out.line(m.lang.T("plain.start", "Help", m.plainKeys(m.keys.Help), "Quit", m.plainKeys(m.keys.Quit)))
	}
	p.note()
	size := func() tea.Msg { return plainSizeMsg{} }
	return tea.Batch(cmd, size, p.flush)
}

// Update hands msg to the browser, then says what changed.
func (p *Plain) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case plainSizeMsg:
		if p.sized {
			return p, nil
		}
		msg = tea.WindowSizeMsg{Width: plainWidth, Height: plainHeight}
	case tea.WindowSizeMsg:
		p.sized = true
	}
	m := p.browser()
	// Enter on a person reads out their details (the browser shows them
	// all the time, below the list).
	readOut := false
	if k, ok := msg.(tea.KeyMsg); ok && m != nil && m.mode == modeNormal && m.focus == panePeople {
		readOut = slices.Contains(m.keys.Enter.Keys(), k.String())
	}
	next, cmd := p.inner.Update(msg)
	p.inner = next
	if m = p.browser(); readOut && m != nil {
		if cur := m.people.current(); cur != nil {
			p.details = cur.ID
		}
	}
	p.note()
	return p, tea.Batch(cmd, p.flush)
}

// View is empty: the lines are written, not drawn.
func (p *Plain) View() string { return "" }

func (p *Plain) flush() tea.Msg {
	_ = p.out.Flush() // a terminal gone: the program ends by its input
	return nil
}

// plainFacts are what the plain front end says when they change.
type plainFacts struct {
	mode        mode
	focus       pane
	dept        int    // the highlighted department
	tree        string // its line
	list        string // what the people pane holds: "17 people in Sales"
	person      string // the highlighted person's line
	query       string // the search's query and count
	result      string // the highlighted result's line
	resultID    int
	resultIdx   int
	resultKeys  bool // the results have the keys (Tab in the search)
	copyItem    string
	toastID     int
	failure     string
	warning     string
	retry       *retryState
	treeLoading bool
	bg          bgState
}

// factsOf reads m.
func factsOf(m *Model) plainFacts {
	f := plainFacts{
		mode: m.mode, focus: m.focus, dept: m.tree.sel, tree: m.plainTree(), list: m.plainList(),
		toastID: m.status.toastID, failure: m.firstErr(), retry: m.status.retry,
		treeLoading: m.treeLoading, bg: m.bg.bgState,
	}
	if ws := m.status.warnings(); len(ws) > 0 {
		f.warning = ws[len(ws)-1]
	}
	if cur := m.people.current(); cur != nil {
		f.person = m.lang.T("plain.of", "I", m.lang.Thousands(m.people.idx+1), "N", m.lang.Thousands(len(m.people.list))) + ": " +
			m.personText(cur, m.people.dept, m.people.whole)
	}
	if m.mode == modeSearch || m.mode == modeCopy && m.copyFrom == modeSearch { // the menu keeps the search's
		f.query, f.resultKeys = m.plainQuery(), m.search.list
		if r := m.search.current(); r != nil {
			f.resultID, f.resultIdx = r.ID, m.search.idx
			f.result = m.lang.T("plain.of", "I", m.lang.Thousands(m.search.idx+1), "N", m.lang.Thousands(len(m.search.results))) + ": " +
				m.personText(r, 0, false)
			if path := m.personPath(r); len(path) > 0 {
				f.result += ", " + strings.Join(path, directory.PathSeparator)
			}
		}
	}
	if m.mode == modeCopy {
		if cur := m.copyTarget(); cur != nil {
			if items := m.copyItems(cur); m.copyIdx < len(items) {
				f.copyItem = m.lang.T("plain.copy.item", "What", m.copyWord(items[m.copyIdx][0]), "Value", items[m.copyIdx][1])
			}
		}
	}
	return f
}

// note says what changed since the last note.
func (p *Plain) note() {
	m := p.browser()
	if m == nil || m.quitting {
		return
	}
	f, w, first := factsOf(m), p.was, !p.started
	p.was, p.started = f, true
	say := p.out.line

	// Loads, failures and the status line.
	switch {
	case f.treeLoading && (first || !w.treeLoading):
		say(m.lang.T("plain.loadingtree"))
	case !first && !f.treeLoading && w.treeLoading && m.treeErr == "":
		say(m.lang.T("plain.loaded", "What", m.lang.N("count.departments", len(m.org.Departments()))))
	}
	switch {
	case f.bg.running && !w.bg.running:
		say(m.lang.T("plain.loadingall"))
	case !f.bg.running && w.bg.running && m.bgErr == "":
		n := 0 // as the tree counts them: the members, not a head who left
		for _, id := range m.org.Roots() {
			n += m.org.HeadCount(id)
		}
		say(m.lang.T("plain.loaded", "What", m.lang.N("people.count", n)))
	case f.bg.wait > 0 && w.bg.wait == 0:
		say(m.status.progress(f.bg, 0))
	case f.bg.running && quarter(f.bg) > quarter(w.bg) && quarter(f.bg) < 4:
		say(m.status.progress(f.bg, 0))
	}
	if f.failure != "" && f.failure != w.failure {
		say(m.plainFailure(f.failure))
	}
	if f.warning != "" && f.warning != w.warning {
		say(m.lang.T("plain.warning", "Text", f.warning))
	}
	if f.retry != nil && f.retry != w.retry {
		say(f.retry.ev.Method + ": " + m.status.retryText())
	}
	if f.toastID != w.toastID && m.status.toast != "" {
		say(m.status.toast)
	}

	// A view opened, or the browser again (not after the copy menu, a
	// line of the status bar, which leaves where the cursor was).
	opened := first || (f.mode != w.mode && w.mode != modeCopy)
	if opened {
		switch f.mode {
		case modeHelp:
			p.sayAll(m.plainHelp())
		case modeSearch:
			say(m.plainSearchIntro())
		case modeCopy:
			say(m.plainCopyIntro())
		case modeErrors:
			p.sayAll(m.plainErrors())
		case modeOrgChart:
			p.sayAll(m.plainChart())
		}
	}
	switch f.mode {
	case modeNormal:
		p.noteBrowser(m, f, w, opened)
	case modeSearch:
		if f.query != w.query && f.query != "" {
			say(f.query)
		}
		switch {
		case f.resultKeys && !w.resultKeys:
			say(m.lang.T("plain.search.results", "Copy", m.plainKeys(m.keys.Copy),
				"Menu", m.plainKeys(m.keys.CopyMenu), "Search", m.plainKeys(m.keys.Search)))
		case !f.resultKeys && w.resultKeys && !opened:
			say(m.lang.T("plain.search.query"))
		}
		// The highlighted result, when the cursor or the query puts
		// another one there (not when only the count changed: the
		// query's line says that).
		if f.result != "" && (f.resultID != w.resultID || f.resultIdx != w.resultIdx || opened) {
			say(f.result)
		}
	case modeCopy:
		if f.copyItem != w.copyItem && f.copyItem != "" {
			say(f.copyItem)
		}
	}
}

// noteBrowser says what changed in the tree and the people pane; again,
// what the focus is on whatever changed (after a view closes).
func (p *Plain) noteBrowser(m *Model, f, w plainFacts, again bool) {
	say := p.out.line
	if w.mode == modeSearch && w.resultID != 0 && m.people.sel == w.resultID {
		p.details = w.resultID // a jump: the details of whom was looked for
	}
	again = again || f.focus != w.focus
	if f.focus == paneTree {
		if f.tree != "" && (again || f.tree != w.tree) {
			say(f.tree)
		}
		// The people of the highlighted department, as they load.
		if !again && f.list != "" && f.list != w.list && (f.dept == w.dept || !m.people.loaded) {
			say(f.list + m.plainPresence())
		}
	} else {
		if f.list != "" && (again || f.list != w.list) {
			say(f.list + m.plainPresence())
		}
		if f.person != "" && (again || f.person != w.person) {
			say(f.person)
		}
	}
	cur := m.people.current()
	switch {
	case p.details == 0 || !m.people.loaded:
	case cur != nil && cur.ID == p.details:
		p.sayAll(m.details(cur, m.people.dept, MaxWidth, personLink{}))
		p.details = 0
	default:
		p.details = 0 // the cursor went elsewhere
	}
}

func (p *Plain) sayAll(lines []string) {
	for _, l := range lines {
		p.out.line(l)
	}
}

// quarter is how many quarters of the background load are done.
func quarter(bg bgState) int {
	if bg.total <= 0 {
		return 0
	}
	return bg.done * 4 / bg.total
}

// plainTree is the highlighted department: "Acme Corp › Sales, 206 people,
// 2 of 9, expanded" (its path, its head count, its row among the rows,
// and whether its departments show).
func (m *Model) plainTree() string {
	t := &m.tree
	if len(t.rows) == 0 || t.idx >= len(t.rows) {
		if m.treeLoading || m.treeErr != "" {
			return ""
		}
		return m.lang.T("tree.none")
	}
	r := t.rows[t.idx]
	name, count := strings.Join(m.path(r.id), directory.PathSeparator), m.org.HeadCount(r.id)
	if r.id == favouritesID {
		name, count = m.lang.T("fav.short"), len(m.pinned)
	}
	s := name + ", " + m.lang.N("people.count", count) + ", " +
		m.lang.T("plain.of", "I", m.lang.Thousands(t.idx+1), "N", m.lang.Thousands(len(t.rows)))
	if r.children {
		if t.expanded[r.id] {
			s += ", " + m.lang.T("plain.expanded")
		} else {
			s += ", " + m.lang.T("plain.collapsed")
		}
	}
	return s
}

// plainList is what the people pane holds: "17 people in Sales", "206
// people in Sales and below", "loading people of Sales…"; "" with no
// department, or when the load failed (the failure says so).
func (m *Model) plainList() string {
	pp := &m.people
	d := m.org.Department(pp.dept)
	name, below := "", ""
	switch {
	case pp.dept == favouritesID:
		name = m.lang.T("fav.short")
		if pp.loaded && len(pp.list) == 0 {
			return m.lang.T("plain.fav.none", "Key", m.plainKeys(m.keys.Pin))
		}
	case d == nil:
		return ""
	default:
		name = m.named(d.Name)
		if pp.whole {
			below = m.lang.T("plain.below")
		}
	}
	switch {
	case !pp.loaded && m.peopleErr != "":
		return ""
	case !pp.loaded:
		return m.lang.T("plain.loadingpeople", "Name", name, "Below", below)
	case len(pp.list) == 0:
		return m.lang.T("plain.nopeople", "Name", name, "Below", below)
	}
	return m.lang.T("plain.peoplein", "People", m.lang.N("people.count", len(pp.list)), "Name", name, "Below", below)
}

// plainPresence is what the list line adds once the people are in: how many
// are online, idle, absent and offline ("…: 5 online, 9 offline"). It is
// said with the list, not followed on its own: a refresh that changes a
// count says nothing.
func (m *Model) plainPresence() string {
	if !m.people.loaded || len(m.people.list) == 0 {
		return ""
	}
	on, idle, away, off := m.people.summary()
	var parts []string
	for _, x := range []struct {
		n    int
		word string
	}{{on, "summary.online"}, {idle, "summary.idle"}, {away, "summary.absent"}, {off, "summary.offline"}} {
		if x.n > 0 {
			parts = append(parts, m.lang.N(x.word, x.n))
		}
	}
	return ": " + strings.Join(parts, ", ")
}

// personText is one person in words: the name (and, seen from department
// dept, that they head it), the sub-department when whole, the position,
// the extension and the presence, with what the calendar or the workday
// says when they were asked, as the rows say it (badgeFor): "Dora Müller,
// Account Manager, ext 1042, offline, on a break".
func (c *common) personText(p *directory.Person, dept int, whole bool) string {
	parts := []string{c.named(p.Name)}
	if d := c.org.Department(dept); d != nil && d.HeadID == p.ID {
		head := c.lang.T("details.headof", "Departments", c.named(d.Name))
		if note := c.headNote(p, dept); note != "" {
			head += " (" + note + ")"
		}
		parts = append(parts, head)
	}
	if whole {
		if id := c.org.Within(dept, p); id != 0 && id != dept {
			if d := c.org.Department(id); d != nil {
				parts = append(parts, c.lang.T("plain.in", "Name", c.named(d.Name)))
			}
		}
	}
	if p.Position != "" {
		parts = append(parts, p.Position)
	}
	if p.Extension != "" {
		parts = append(parts, c.lang.T("contact.ext", "Value", p.Extension))
	}
	b := c.badgeFor(p)
	switch {
	case b.kind == kindAbsent: // a vacation says its own
		parts = append(parts, c.lang.T("details.absentuntil", "Day", b.until))
	case b.reason != "":
		parts = append(parts, b.word, b.reason)
	default:
		parts = append(parts, b.word)
	}
	return strings.Join(parts, ", ")
}

// plainQuery is the query and what it found, or what the search waits for.
func (m *Model) plainQuery() string {
	s := &m.search
	q := s.input.value()
	switch {
	case q == "" && len(s.results) > 0:
		return m.lang.T("plain.search.recent", "People", m.lang.N("people.count", len(s.results)))
	case q == "":
		return ""
	}
	result := s.counted()
	switch {
	case s.err != "":
		result = m.lang.T("plain.search.failed", "Cause", s.err)
	case s.pending:
		result = m.lang.T("search.portal.busy")
	}
	return m.lang.T("plain.search.said", "Query", q, "Result", result)
}

// plainKeys names b's keys for reading: "up or k" ("up или k").
func (c *common) plainKeys(b key.Binding) string {
	keys := slices.Clone(b.Keys())
	for i, k := range keys {
		if k == " " {
			keys[i] = c.lang.T("plain.key.space")
		}
	}
	return strings.Join(keys, c.lang.T("plain.key.or"))
}

// plainFailure is a failure as one line: what failed, why, the fix and
// the keys for the details and for retrying.
func (m *Model) plainFailure(failure string) string {
	what, cause, fix := failureParts(failure)
	s := m.lang.T("plain.error", "What", what, "Cause", cause)
	if fix != "" {
		s += " " + m.lang.T("errors.tofix", "Fix", fix) + "."
	}
	return s + " " + m.lang.T("plain.error.keys", "Details", m.plainKeys(m.keys.Errors), "Retry", m.plainKeys(m.keys.Refresh))
}

// plainHelp is the help as lines: every key of the key map, then what the
// help says of the search and the copy menu.
func (m *Model) plainHelp() []string {
	out := []string{m.lang.T("plain.help")}
	for _, group := range m.keys.FullHelp() {
		for _, b := range group {
			if len(b.Keys()) > 0 {
				out = append(out, m.plainKeys(b)+": "+b.Help().Desc)
			}
		}
	}
	out = append(out, m.plainSearchIntro())
	out = append(out, m.helpPage.moreProse()...)
	return append(out, m.lang.T("plain.help.close", "Keys", m.plainKeys(m.keys.Back)+m.lang.T("plain.key.or")+m.plainKeys(m.keys.Help)))
}

// plainSearchIntro is said when the search opens.
func (m *Model) plainSearchIntro() string {
	parts := []string{m.lang.T("plain.search.intro")}
	if move := pair(m.keys.search().Up, m.keys.search().Down, ""); move.Enabled() { // as when there are results
		parts = append(parts, m.lang.T("plain.search.move", "Keys", m.plainKeys(move)))
	}
	return strings.Join(append(parts, m.searchKeysSaid(m.plainKeys, "plain.search.jump", "plain.search.back")...), "; ")
}

// plainCopyIntro is said when the copy menu opens: what it offers.
func (m *Model) plainCopyIntro() string {
	cur := m.copyTarget()
	if cur == nil {
		return m.lang.T("plain.copy.nothing")
	}
	letters := m.copyLetters(cur)
	var items []string
	for _, it := range m.copyItems(cur) {
		if l := letters[it[0]]; l != "" {
			items = append(items, l+": "+m.copyWord(it[0])) // the letter is the English word's
		}
	}
	return m.lang.T("plain.copy.intro", "Name", m.named(cur.Name), "Items", strings.Join(items, ", "),
		"Enter", m.plainKeys(m.keys.Enter), "Back", m.plainKeys(m.keys.Back))
}

// plainErrors is the error view as lines: every failure with its cause and
// fix, the pending retry, the warnings.
func (m *Model) plainErrors() []string {
	var out []string
	for _, f := range m.failures() {
		out = append(out, m.plainFailure(f))
	}
	if r := m.status.retry; r != nil {
		out = append(out, r.ev.Method+": "+m.status.retryText())
	}
	for _, w := range m.status.warnings() {
		out = append(out, m.lang.T("plain.warning", "Text", w))
	}
	if len(out) == 0 {
		out = append(out, m.lang.T("plain.errors.none"))
	}
	return append(out, m.lang.T("plain.errors.keys", "Retry", m.plainKeys(m.keys.Refresh), "Back", m.plainKeys(m.keys.Back)))
}

// plainChart is the org chart of the highlighted department as lines: each
// person, then the people who report to them, indented.
func (m *Model) plainChart() []string {
	title := m.lang.T("plain.chart.this")
	if d := m.org.Department(m.chart.dept); d != nil {
		title = m.lang.T("plain.chart.of", "Name", m.named(d.Name))
	}
	out := []string{title}
	var walk func(nodes []directory.ChartNode, depth int)
	walk = func(nodes []directory.ChartNode, depth int) {
		for _, n := range nodes {
			text := m.unknownPerson(n.ID)
			if p := m.org.Person(n.ID); p != nil {
				text = m.personText(p, 0, false)
			}
			if len(n.Reports) > 0 {
				text += ", " + m.lang.N("count.reports", len(n.Reports)) + ":"
			}
			out = append(out, strings.Repeat("  ", depth)+text)
			if depth < maxDepth {
				walk(n.Reports, depth+1)
			}
		}
	}
	chart := m.org.OrgChartIn(m.lang, m.chart.dept)
	walk(chart, 0)
	if len(chart) == 0 {
		out = append(out, m.lang.T("chart.none"))
	}
	return append(out, m.lang.T("plain.search.back", "Key", m.plainKeys(m.keys.Back)))
}
