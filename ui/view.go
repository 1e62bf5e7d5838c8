package ui

import (
	"strconv"
	"strings"
	"time"

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
		lines = append(lines, m.statusBar(m.width))
	}
	if L.footer {
		lines = append(lines, m.footer(m.width))
	}
	lines = fill(lines, m.width, m.height)
	m.fit(lines)
	m.treeRows.endFrame()
	m.personRows.endFrame()
	return strings.Join(lines, "\n")
}

// drawnLine is a line of the last frame as it was built and as fitANSI
// made it.
type drawnLine struct{ built, fitted string }

// fit makes every line exactly the terminal's width (fitANSI). Most lines
// of a frame are the same as the last frame's (a cursor move changes a few
// rows), and those are not measured again.
func (m *Model) fit(lines []string) {
	last := m.lastFrame.lines
	if len(last) != len(lines) || m.lastFrame.w != m.width {
		last = make([]drawnLine, len(lines))
	}
	for i, l := range lines {
		if last[i].built != l || last[i].fitted == "" {
			last[i] = drawnLine{built: l, fitted: fitANSI(l, m.width)}
		}
		lines[i] = last[i].fitted
	}
	m.lastFrame.lines, m.lastFrame.w = last, m.width
}

func (m *Model) mainView(L screen) []string {
	switch m.mode {
	case modeHelp:
		return m.box(L.main, "Help · "+keyName(m.keys.Back)+" closes", true, m.helpView)
	case modeSearch:
		return m.box(L.main, m.searchTitle(), true, m.searchView)
	case modeErrors:
		return m.box(L.main, "Errors · "+keyName(m.keys.Back)+" back", true, m.errorsView)
	}
	treeTitle, peopleTitle := "Departments", m.peopleTitle()
	if L.single {
		treeTitle += " · " + keyName(m.keys.Tab) + ": people"
		peopleTitle += " · " + keyName(m.keys.Tab) + ": tree"
	}
	treeBox := m.box(L.tree, treeTitle, m.focus == paneTree, func(w, h int) []string {
		return m.treeView(w, h, m.focus == paneTree)
	})
	peopleBox := m.box(L.people, peopleTitle, m.focus == panePeople, func(w, h int) []string {
		return m.peopleView(w, h, m.focus == panePeople)
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
func (m *Model) box(r rect, title string, focused bool, body func(w, h int) []string) []string {
	if r.w <= 0 || r.h <= 0 {
		return nil
	}
	in := r.inner()
	if in == r {
		return fill(body(r.w, r.h), r.w, r.h)
	}
	tl, tr, bl, br, hz, vt := "┌", "┐", "└", "┘", "─", "│"
	bp, tp := m.st.border, m.st.title
	if focused {
		tl, tr, bl, br, hz, vt = "┏", "┓", "┗", "┛", "━", "┃"
		bp, tp = m.st.borderFocus, m.st.titleFocus
	}
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
		on, idle, away, off := m.summary()
		parts := []struct {
			glyph, word string
			n           int
			p           paint
		}{{"●", "online", on, m.st.online}, {"◐", "idle", idle, m.st.idle}, {"✈", "absent", away, m.st.absent}, {"○", "offline", off, m.st.offline}}
		var long, short, longPlain, shortPlain []string
		for _, x := range parts {
			if x.n == 0 {
				continue
			}
			l := x.glyph + " " + strconv.Itoa(x.n) + " " + x.word
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
	path := m.path(m.tree.sel)
	if len(path) == 0 {
		return "b24org"
	}
	for i := 0; i < len(path); i++ {
		s := strings.Join(path[i:], directory.PathSeparator)
		if i > 0 {
			s = "…" + directory.PathSeparator + s
		}
		if safetext.Width(s) <= w || i == len(path)-1 {
			return safetext.Truncate(s, w)
		}
	}
	return ""
}

// statusBar shows, left to right: a toast, the copy menu, an error, or the
// spinner; then the background progress and the age of the data.
func (m *Model) statusBar(w int) string {
	right := ""
	if m.bg.running {
		right = m.progress(w / 2)
	}
	if a := age(m.org.FetchedAt(), m.now()); a != "" {
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
	case m.mode == modeCopy:
		left = m.copyMenu(lw)
	case m.toast != "":
		left = m.st.toast.on(cell(" "+m.toast, lw))
	case m.firstErr() != "":
		left = m.st.errp.on(cell(m.errorBar(lw), lw))
	case m.retry != nil:
		doing := "indexing"
		if m.busy() {
			doing = strings.TrimSuffix(m.activity(), "…")
		}
		left = m.st.warn.on(cell(cutWords(" ⟳ "+doing+": "+m.retryText(), lw), lw))
	case m.busy():
		left = " " + m.spin.View() + cell(" "+m.activity(), max(0, lw-2))
	case len(m.warnings()) > 0:
		left = m.st.warn.on(cell(m.warningBar(lw), lw))
	default:
		left = cell("", lw)
	}
	if rw == 0 {
		return left + cell("", w-lw)
	}
	age := m.st.muted
	if m.firstErr() != "" {
		age = m.st.warn // the data on screen is stale
	}
	return left + " " + age.on(right) + " "
}

// activity says what the spinner is waiting for.
func (m *Model) activity() string {
	switch {
	case m.treeLoading:
		return "loading departments…"
	case m.search.pending:
		return "searching the portal…"
	}
	return "loading people…"
}

func (m *Model) firstErr() string {
	for _, e := range []string{m.peopleErr, m.treeErr, m.bgErr} {
		if e != "" {
			return e
		}
	}
	return ""
}

// progress is the background load's bar, "indexing 12,400 / 30,000 ▰▰▱▱".
func (m *Model) progress(w int) string {
	text := "indexing"
	if m.bg.wait > 0 {
		return "waiting for the portal's time budget: " + max(m.bg.wait.Round(time.Second), time.Second).String()
	}
	if m.bg.total > 0 {
		text += " " + directory.Thousands(m.bg.done) + " / " + directory.Thousands(m.bg.total)
	} else {
		text += "…"
	}
	bar := min(10, w-safetext.Width(text)-1)
	if bar < 4 || m.bg.total <= 0 {
		return text
	}
	full := clamp(m.bg.done*bar/m.bg.total, 0, bar)
	return text + " " + strings.Repeat("▰", full) + strings.Repeat("▱", bar-full)
}

// copyMenu is the one-line menu of Y: e-mail, work phone, mobile, name.
func (m *Model) copyMenu(w int) string {
	p := m.people.current()
	if p == nil {
		return cell("", w)
	}
	var b strings.Builder
	b.WriteString(" copy:")
	used := 6
	for i, it := range copyItems(p) {
		label := " [" + it[0][:1] + "]" + it[0][1:] + " "
		if used+1+len(label) > w {
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
	tail := "  " + keyName(m.keys.Enter) + " copies · " + keyName(m.keys.Back) + " cancels"
	if used+len(tail) <= w {
		b.WriteString(m.st.muted.on(tail))
		used += len(tail)
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
	case modeHelp:
		keys = []key.Binding{m.keys.Back, m.keys.Quit}
	case modeErrors:
		keys = []key.Binding{m.keys.Refresh, m.keys.Back, m.keys.Quit}
	default:
		keys = m.keys.ShortHelp()
	}
	enabled := enabledSet(keys)
	if f := &m.lastFooter; f.ok && f.w == w && f.mode == m.mode && f.enabled == enabled {
		return f.line
	}
	line := fitANSI(" "+m.shortHelp(keys, w-1), w)
	m.lastFooter = footerLine{ok: true, w: w, mode: m.mode, enabled: enabled, line: line}
	return line
}

// shortHelp is the one-line help of keys in at most w cells. The last two
// entries (help and quit) always show; each other entry shows, whole, when
// it still fits.
func (m *Model) shortHelp(keys []key.Binding, w int) string {
	m.help.Width = 0 // measure whole entries; the choice below fits them to w
	if len(keys) <= 2 {
		m.help.Width = max(0, w)
		return m.help.ShortHelpView(keys)
	}
	head, tail := keys[:len(keys)-2], keys[len(keys)-2:]
	var kept []key.Binding
	for _, b := range head {
		try := append(append(append([]key.Binding{}, kept...), b), tail...)
		if lipgloss.Width(m.help.ShortHelpView(try)) <= w {
			kept = append(kept, b)
		}
	}
	m.help.Width = max(0, w)
	return m.help.ShortHelpView(append(kept, tail...))
}

// footerLine is the footer as last drawn, for a width, a mode and the
// bindings of it that were enabled.
type footerLine struct {
	ok      bool
	w       int
	mode    mode
	enabled uint64
	line    string
}

// enabledSet has bit i set when keys[i] is enabled.
func enabledSet(keys []key.Binding) uint64 {
	var set uint64
	for i, b := range keys {
		if b.Enabled() && i < 64 {
			set |= 1 << i
		}
	}
	return set
}

// helpView is the full help generated from the key map: its columns side
// by side as far as the width allows, the rest below.
func (m *Model) helpView(w, h int) []string {
	m.help.Width = 0 // measure whole columns; the rows below fit them to w
	sep := lipgloss.Width(m.help.FullSeparator)
	var rows [][][]key.Binding
	used := 0
	for _, g := range m.keys.FullHelp() {
		gw := lipgloss.Width(m.help.FullHelpView([][]key.Binding{g}))
		if len(rows) == 0 || used+sep+gw > w-1 {
			rows = append(rows, nil)
			used = -sep
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], g)
		used += sep + gw
	}
	out := make([]string, 0, h)
	for i, r := range rows {
		if i > 0 {
			out = append(out, cell("", w))
		}
		for _, l := range strings.Split(m.help.FullHelpView(r), "\n") {
			out = append(out, fitANSI(" "+l, w))
		}
	}
	out = append(out, cell("", w))
	out = append(out, m.st.muted.on(cell(" "+m.searchProse(), w)))
	out = append(out, m.st.muted.on(cell(" Copy menu ("+keyName(m.keys.CopyMenu)+"): e e-mail, w work phone, m mobile, n name (what the person has).", w)))
	out = append(out, m.st.muted.on(cell(" Copying sends OSC52 to the terminal; in tmux it needs: set -g set-clipboard on", w)))
	m.helpOff = clamp(m.helpOff, 0, len(out)-h)
	return fill(out[m.helpOff:], w, h)
}

// searchTitle is the search box's title, with the keys that jump and go back.
func (m *Model) searchTitle() string {
	t := "Search the whole company"
	if len(m.skeys.Jump.Keys()) > 0 {
		t += " · " + keyName(m.skeys.Jump) + " jumps"
	}
	if len(m.skeys.Back.Keys()) > 0 {
		t += " · " + keyName(m.skeys.Back) + " back"
	}
	return t
}

// searchProse is the help screen's sentence on the search view's keys.
func (m *Model) searchProse() string {
	sk := m.keys.search() // each binding as it is when it can act
	parts := []string{"type to search"}
	if mv := pair(sk.Up, sk.Down, ""); mv.Enabled() {
		parts = append(parts, mv.Help().Key+" move")
	}
	if len(sk.Jump.Keys()) > 0 {
		parts = append(parts, keyName(sk.Jump)+" jumps to the person")
	}
	if len(sk.Back.Keys()) > 0 {
		parts = append(parts, keyName(sk.Back)+" back")
	}
	return "In search: " + strings.Join(parts, ", ") + "."
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
	if m.mode == modeSearch {
		in := L.main.inner()
		if !in.contains(ev.X, ev.Y) {
			return nil
		}
		if step != 0 {
			m.search.move(step)
			return nil
		}
		if row := ev.Y - in.y - searchTop; row >= 0 {
			if i := m.search.off + row; i < len(m.search.results) {
				m.search.idx = i
			}
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
			m.toggle(r.id)
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
		if listH, _ := m.peopleSplit(in.w, in.h); in.contains(ev.X, ev.Y) && row < listH {
			if i := m.people.off + row; i < len(m.people.list) && m.people.loaded {
				m.people.idx = i
				m.people.sel = m.people.list[i].ID
			}
		}
	}
	return nil
}
