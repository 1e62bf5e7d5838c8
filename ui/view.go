package ui

import (
	"strconv"
	"strings"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Widths at which the layout changes.
const (
	sideBySideFrom = 100 // panes side by side
	stackedFrom    = 60  // panes stacked; below, one pane at a time
)

type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return r.w > 0 && r.h > 0 && x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// inner is the inside of a box drawn in r: the border takes one cell on each
// side when there is room for it.
func (r rect) inner() rect {
	if r.w < 4 || r.h < 3 {
		return r
	}
	return rect{r.x + 1, r.y + 1, r.w - 2, r.h - 2}
}

// screen is where everything goes for the current size and focus.
type screen struct {
	top, status, footer bool
	main, tree, people  rect
	single              bool // one pane at a time
}

func (m *Model) layout() screen {
	w, h := m.width, m.height
	var s screen
	s.top = h >= 3
	s.status = h >= 5
	s.footer = h >= 10
	y := 0
	if s.top {
		y = 1
	}
	mh := h - y
	if s.status {
		mh--
	}
	if s.footer {
		mh--
	}
	s.main = rect{0, y, w, max(0, mh)}
	switch {
	case w >= sideBySideFrom:
		tw := clamp(w*3/10, 26, 44)
		s.tree = rect{0, y, tw, mh}
		s.people = rect{tw, y, w - tw, mh}
	case w >= stackedFrom && mh >= 14:
		th := max(5, mh*2/5)
		s.tree = rect{0, y, w, th}
		s.people = rect{0, y + th, w, mh - th}
	default:
		s.single = true
		if m.focus == paneTree {
			s.tree = s.main
		} else {
			s.people = s.main
		}
	}
	return s
}

// View draws the screen: every line exactly the terminal's width, never more
// lines than its height. Once the browser quits it draws nothing, so the
// screen is blank when the terminal leaves the alternate screen: tmux, when
// the window grew meanwhile, would put the rows of a last frame back above
// the shell's prompt.
func (m *Model) View() string {
	if m.quitting {
		return ""
	}
	return m.frame()
}

// frame is the screen View draws.
func (m *Model) frame() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	L := m.layout()
	lines := make([]string, 0, m.height)
	if L.top {
		lines = append(lines, m.topBar(m.width))
	}
	lines = append(lines, m.mainView(L)...)
	if L.status {
		lines = append(lines, m.statusLine(m.width))
	}
	if L.footer {
		lines = append(lines, m.footer(m.width))
	}
	lines = fill(lines, m.width, m.height)
	m.fit(lines)
	m.drawn.treeRows.endFrame()
	m.drawn.personRows.endFrame()
	return strings.Join(lines, "\n")
}

// drawnLine is a line of the last frame as it was built and as fitANSI
// made it.
type drawnLine struct{ built, fitted string }

// fit makes every line exactly the terminal's width (fitANSI). Most lines
// of a frame are the same as the last frame's (a cursor move changes a few
// rows), and those are not measured again.
func (m *Model) fit(lines []string) {
	f := &m.drawn.lastFrame
	last := f.lines
	if len(last) != len(lines) || f.w != m.width {
		last = make([]drawnLine, len(lines))
	}
	for i, l := range lines {
		if last[i].built != l || last[i].fitted == "" {
			last[i] = drawnLine{built: l, fitted: fitANSI(l, m.width)}
		}
		lines[i] = last[i].fitted
	}
	f.lines, f.w = last, m.width
}

func (m *Model) mainView(L screen) []string {
	switch m.mode {
	case modeHelp:
		return m.box(L.main, m.lang.T("help.title", "Key", keyName(m.keys.Back)), true, m.helpPage.view)
	case modeSearch:
		return m.box(L.main, m.searchTitle(), true, m.search.view)
	case modeCopy:
		if m.copyFrom == modeSearch { // the menu of a result, over the results
			return m.box(L.main, m.searchTitle(), true, m.search.view)
		}
	case modeErrors:
		return m.box(L.main, m.lang.T("errors.title", "Key", keyName(m.keys.Back)), true, m.errorsView)
	case modeOrgChart:
		return m.box(L.main, m.chart.title(), true, m.chart.view)
	}
	treeTitle, peopleTitle := m.lang.T("tree.title"), m.people.title()
	if L.single {
		treeTitle += " · " + m.lang.T("tab.people", "Key", keyName(m.keys.Tab))
		peopleTitle += " · " + m.lang.T("tab.tree", "Key", keyName(m.keys.Tab))
	}
	treeBox := m.box(L.tree, treeTitle, m.focus == paneTree, func(w, h int) []string {
		return m.tree.view(w, h, m.focus == paneTree, m.treeLoading, m.treeErr)
	})
	peopleBox := m.box(L.people, peopleTitle, m.focus == panePeople, func(w, h int) []string {
		return m.people.view(w, h, m.focus == panePeople, m.peopleErr)
	})
	switch {
	case L.single && m.focus == paneTree:
		return treeBox
	case L.single:
		return peopleBox
	case L.tree.y == L.people.y: // side by side
		out := make([]string, len(treeBox))
		for i := range treeBox {
			out[i] = treeBox[i] + peopleBox[i]
		}
		return out
	}
	return append(treeBox, peopleBox...)
}

// box draws a titled border around body's lines (exactly r.w cells each);
// a heavy border marks the focused box, so focus shows without colour.
// It is drawn by hand, not with lipgloss borders: a frame joins rows that
// are already painted and measured (BenchmarkView200x60 draws a 200×60
// frame in about 0.12 ms; see BENCHMARKS.md), where a lipgloss render would
// measure and style every line again.
func (m *Model) box(r rect, title string, focused bool, body func(w, h int) []string) []string {
	if r.w <= 0 || r.h <= 0 {
		return nil
	}
	in := r.inner()
	if in == r {
		return fill(body(r.w, r.h), r.w, r.h)
	}
	b := lipgloss.NormalBorder()
	bp, tp := m.st.border, m.st.title
	if focused {
		b = lipgloss.ThickBorder()
		bp, tp = m.st.borderFocus, m.st.titleFocus
	}
	tl, tr, bl, br, hz, vt := b.TopLeft, b.TopRight, b.BottomLeft, b.BottomRight, b.Top, b.Left
	span := r.w - 2
	top := bp.on(tl + strings.Repeat(hz, span) + tr)
	if span >= 4 {
		t := " " + safetext.Truncate(title, span-3) + " "
		top = bp.on(tl) + tp.on(t) + bp.on(strings.Repeat(hz, span-safetext.Width(t))+tr)
	}
	lines := make([]string, 0, r.h)
	lines = append(lines, top)
	side := bp.on(vt)
	for _, l := range fill(body(in.w, in.h), in.w, in.h) {
		lines = append(lines, side+l+side)
	}
	return append(lines, bp.on(bl+strings.Repeat(hz, span)+br))
}

// topBar is the breadcrumb of the highlighted department and its presence
// summary.
func (m *Model) topBar(w int) string {
	right, rightW := "", 0
	if m.people.loaded && len(m.people.list) > 0 {
		on, idle, away, off := m.people.summary()
		parts := []struct {
			glyph, word string
			n           int
			p           paint
		}{{"●", "summary.online", on, m.st.online}, {"◐", "summary.idle", idle, m.st.idle}, {"✈", "summary.absent", away, m.st.absent}, {"○", "summary.offline", off, m.st.offline}}
		var long, short, longPlain, shortPlain []string
		for _, x := range parts {
			if x.n == 0 {
				continue
			}
			l := x.glyph + " " + m.lang.N(x.word, x.n)
			s := x.glyph + strconv.Itoa(x.n)
			long, longPlain = append(long, x.p.on(l)), append(longPlain, l)
			short, shortPlain = append(short, x.p.on(s)), append(shortPlain, s)
		}
		lw := safetext.Width(strings.Join(longPlain, "  ")) + 1
		sw := safetext.Width(strings.Join(shortPlain, " ")) + 1
		switch {
		case lw+24 <= w:
			right, rightW = strings.Join(long, "  ")+" ", lw
		case sw+16 <= w:
			right, rightW = strings.Join(short, " ")+" ", sw
		}
	}
	crumb := " " + m.breadcrumb(w-rightW-2)
	return cell(crumb, w-rightW) + right
}

// breadcrumb is the highlighted department's path in at most w cells,
// dropping leading names first.
func (m *Model) breadcrumb(w int) string {
	if m.tree.sel == favouritesID {
		return safetext.Truncate(m.lang.T("fav.short"), w)
	}
	path := m.path(m.tree.sel)
	if len(path) == 0 {
		return "b24org"
	}
	return shortPath(path, w)
}

// shortPath is path in at most w cells, dropping leading names first.
// When not even the last name fits after "… › ", it is the last name, cut.
func shortPath(path []string, w int) string {
	for i := 0; i < len(path); i++ {
		s := strings.Join(path[i:], directory.PathSeparator)
		if i > 0 {
			s = "…" + directory.PathSeparator + s
		}
		if safetext.Width(s) <= w {
			return s
		}
	}
	if len(path) == 0 {
		return ""
	}
	return safetext.Truncate(path[len(path)-1], w)
}

// statusLine is the status bar, from the Model's facts.
func (m *Model) statusLine(w int) string {
	f := statusFacts{failure: m.firstErr(), busy: m.busy(), activity: m.activity(), bg: m.bg.bgState, link: m.linkTarget()}
	if m.mode == modeCopy {
		f.menu = m.copyMenu
	}
	return m.status.view(w, f)
}

// linkTarget is the address of the link the Link key highlighted in the
// details of the highlighted person, in the browser or among the search
// results, else that person's profile address when names are links; ""
// otherwise.
func (m *Model) linkTarget() string {
	var p *directory.Person
	switch m.mode {
	case modeNormal:
		if l := m.people.highlightedLink(); l.url != "" {
			return l.url
		}
		p = m.people.current()
	case modeSearch:
		if l := m.search.highlightedLink(); l.url != "" {
			return l.url
		}
		p = m.search.current()
	}
	if p == nil {
		return ""
	}
	return m.profileLink(p)
}

// activity says what the spinner is waiting for.
func (m *Model) activity() string {
	switch {
	case m.treeLoading:
		return m.lang.T("loading.tree")
	case m.search.pending:
		return m.lang.T("search.portal.busy")
	}
	return m.lang.T("loading.people")
}

// firstErr is the failure the status bar shows: the first of failures.
func (m *Model) firstErr() string {
	if f := m.failures(); len(f) > 0 {
		return f[0]
	}
	return ""
}

// copyMenu is the one-line menu of Y: e-mail, work phone, mobile, name, card.
func (m *Model) copyMenu(w int) string {
	p := m.copyTarget()
	if p == nil {
		return cell("", w)
	}
	var b strings.Builder
	copyWord := " " + m.lang.T("copy.menu") + ":"
	b.WriteString(copyWord)
	used := safetext.Width(copyWord)
	letters := m.copyLetters(p)
	for i, it := range m.copyItems(p) {
		word := m.copyWord(it[0])
		label := " " + word + " "
		if letter := letters[it[0]]; letter != "" {
			label = " [" + letter + "] " + word + " "
			if at := strings.Index(word, letter); at >= 0 { // the letter is in the word: "[e]-mail", "ch[a]t link"
				label = " " + word[:at] + "[" + letter + "]" + word[at+len(letter):] + " "
			}
		}
		if used+1+safetext.Width(label) > w {
			break
		}
		b.WriteString(" ")
		if i == m.copyIdx {
			b.WriteString(m.st.selected.on("›" + label[1:]))
		} else {
			b.WriteString(label)
		}
		used += 1 + safetext.Width(label)
	}
	tail := "  " + m.lang.T("copy.menu.keys", "Copy", keyName(m.keys.Enter), "Cancel", keyName(m.keys.Back))
	if tw := safetext.Width(tail); used+tw <= w {
		b.WriteString(m.st.muted.on(tail))
		used += tw
	}
	return b.String() + strings.Repeat(" ", max(0, w-used))
}

// footer is the short help generated from the key map. It depends on the
// width and the mode only, so it is drawn once for each.
func (m *Model) footer(w int) string {
	var keys []key.Binding
	switch m.mode {
	case modeSearch:
		keys = m.skeys.searchHelp()
		if m.search.list {
			query := m.keys.Search
			query.SetHelp(query.Help().Key, m.lang.T("key.query"))
			keys = []key.Binding{pair(m.keys.Up, m.keys.Down, m.lang.T("key.pair.move")), m.skeys.Jump, m.keys.Copy, m.keys.CopyMenu, m.keys.Link, query, m.keys.Back}
		}
	case modeHelp:
		keys = []key.Binding{m.keys.Back, m.keys.Quit}
	case modeErrors:
		keys = []key.Binding{m.keys.Refresh, m.keys.Back, m.keys.Quit}
	case modeOrgChart:
		keys = []key.Binding{pair(m.keys.Up, m.keys.Down, m.lang.T("key.pair.scroll")), m.keys.Back, m.keys.Quit}
	default:
		keys = m.keys.ShortHelp()
	}
	enabled := shownHelp(keys)
	if f := &m.drawn.lastFooter; f.ok && f.w == w && f.mode == m.mode && f.enabled == enabled {
		return f.line
	}
	line := fitANSI(" "+m.shortHelp(keys, w-1), w)
	m.drawn.lastFooter = footerLine{ok: true, w: w, mode: m.mode, enabled: enabled, line: line}
	return line
}

// footerLine is the footer as last drawn, for a width, a mode and what
// its enabled bindings said.
type footerLine struct {
	ok      bool
	w       int
	mode    mode
	enabled string
	line    string
}

// shownHelp is what the enabled bindings of keys say, key and description:
// the footer changes exactly when it does.
func shownHelp(keys []key.Binding) string {
	var b strings.Builder
	for _, k := range keys {
		if k.Enabled() {
			b.WriteString(k.Help().Key + "\x00" + k.Help().Desc + "\x00")
		}
	}
	return b.String()
}

// searchTitle is the search box's title, with the keys that jump and go back.
func (m *Model) searchTitle() string {
	return strings.Join(append([]string{m.lang.T("search.title")}, m.searchKeysSaid(keyName, "search.title.jump", "search.title.back")...), " · ")
}

// searchKeysSaid are the search view's jump and back keys, each named by
// name in the catalog's message jump or back ("{{.Key}} jumps"); a key the
// field takes is left out.
func (m *Model) searchKeysSaid(name func(key.Binding) string, jump, back string) []string {
	var out []string
	if len(m.skeys.Jump.Keys()) > 0 {
		out = append(out, m.lang.T(jump, "Key", name(m.skeys.Jump)))
	}
	if len(m.skeys.Back.Keys()) > 0 {
		out = append(out, m.lang.T(back, "Key", name(m.skeys.Back)))
	}
	return out
}

// onMouse selects with a click and scrolls with the wheel, in the pane under
// the pointer.
func (m *Model) onMouse(ev tea.MouseMsg) tea.Cmd {
	if ev.Action != tea.MouseActionPress || m.mode == modeHelp || m.mode == modeCopy || m.mode == modeErrors {
		return nil
	}
	step := 0
	switch ev.Button {
	case tea.MouseButtonWheelUp:
		step = -1
	case tea.MouseButtonWheelDown:
		step = 1
	case tea.MouseButtonLeft:
	default:
		return nil
	}
	L := m.layout()
	if m.mode == modeOrgChart {
		m.chart.scroll(step) // the wheel scrolls; a click does nothing
		return nil
	}
	if m.mode == modeSearch {
		in := L.main.inner()
		if !in.contains(ev.X, ev.Y) {
			return nil
		}
		if step != 0 {
			m.search.move(step)
			return nil
		}
		listH, dh := m.search.split()
		switch row := ev.Y - in.y - searchTop; {
		case row >= 0 && row < listH:
			if i := m.search.off + row; i < len(m.search.results) {
				m.search.idx = i
				m.search.scroll()
			}
		case dh > 0 && row > listH && row-listH-1 < dh:
			// A click on a link of the details highlights it, as in the
			// people pane.
			lines := m.search.detailLines(in.w-1, dh)
			m.search.pickLink(linkAt(lines[row-listH-1], ev.X-in.x-1))
		}
		return nil
	}
	switch {
	case L.tree.contains(ev.X, ev.Y):
		if step != 0 {
			return m.selectDept(m.tree.move(step), false)
		}
		m.focus = paneTree
		in := L.tree.inner()
		row := ev.Y - in.y
		i := m.tree.off + row
		if !in.contains(ev.X, ev.Y) || i >= len(m.tree.rows) {
			return nil
		}
		r := m.tree.rows[i]
		arrowX := in.x + 1 + min(2*r.depth, max(0, (in.w-6)/2))
		if r.children && (ev.X == arrowX || i == m.tree.idx) {
			m.tree.toggle(r.id)
		}
		m.tree.sel = r.id
		m.tree.find()
		return m.selectDept(r.id, false)
	case L.people.contains(ev.X, ev.Y):
		if step != 0 {
			m.people.move(step)
			return nil
		}
		m.focus = panePeople
		in := L.people.inner()
		row := ev.Y - in.y
		if in.contains(ev.X, ev.Y) && row < m.people.listH {
			if i := m.people.off + row; i < len(m.people.list) && m.people.loaded {
				m.people.move(i - m.people.idx)
			}
		}
		if _, dh := m.people.split(in.h); in.contains(ev.X, ev.Y) && row > m.people.listH && dh > 0 {
			// A click on a link of the details highlights it, as the Link
			// key does (a terminal opens it on ctrl- or cmd-click).
			if lines := m.people.detailLines(in.w-1, dh); row-m.people.listH-1 < len(lines) {
				m.people.pickLink(linkAt(lines[row-m.people.listH-1], ev.X-in.x-1))
			}
		}
	}
	return nil
}
