package ui

import (
	"github.com/charmbracelet/x/ansi"
	"strconv"
	"strings"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
)

// people is the people pane: the highlighted department's people and the
// highlighted person (kept by ID, not by index).
type people struct {
	list   []*directory.Person
	loaded bool
	need   *personCols // what the columns of list need; nil: not measured yet
	sel    int         // person ID; kept while the list is not loaded, e.g. after a jump
	idx    int
	off    int
}

// set replaces the list and finds sel again; when sel is gone the index is
// kept (clamped).
func (p *people) set(list []*directory.Person, loaded bool) {
	p.list, p.loaded, p.need = list, loaded, nil
	if !loaded {
		return
	}
	for i, x := range list {
		if x.ID == p.sel {
			p.idx = i
			return
		}
	}
	p.idx = clamp(p.idx, 0, len(list)-1)
	p.sel = 0
	if len(list) > 0 {
		p.sel = list[p.idx].ID
	}
}

func (p *people) move(n int) {
	if len(p.list) == 0 {
		return
	}
	p.idx = clamp(p.idx+n, 0, len(p.list)-1)
	p.sel = p.list[p.idx].ID
}

// current is the highlighted person, or nil.
func (p *people) current() *directory.Person {
	if !p.loaded || p.idx < 0 || p.idx >= len(p.list) {
		return nil
	}
	return p.list[p.idx]
}

// personCols are the widths of the columns of a person row.
type personCols struct {
	badge, name, position, ext, detail int
	word                               bool // the badge has its word, not just the glyph
}

// measure finds the widest name, position, extension and presence detail
// of the list, so the columns fit what they hold.
func (m *Model) measure(list []*directory.Person) personCols {
	var need personCols
	now := m.now()
	head := 0
	if d := m.org.Department(m.tree.sel); d != nil {
		head = d.HeadID
	}
	for _, p := range list {
		nw := safetext.Width(named(p.Name)) + 2 // room for " ★"
		if p.ID == head {
			if note := m.headNote(p); note != "" {
				nw += safetext.Width(note) + 3 // " (note)"
			}
		}
		need.name = max(need.name, nw)
		need.position = max(need.position, safetext.Width(p.Position))
		if p.Extension != "" {
			need.ext = max(need.ext, 4+safetext.Width(p.Extension))
		}
		need.detail = max(need.detail, safetext.Width(badgeOf(p, now, m.threshold).detail))
	}
	return need
}

// colsFor divides w cells (the cursor column excluded) among the columns as
// need asks, dropping position, detail and extension as the pane narrows;
// what is left over stays blank at the end of the row.
func colsFor(w int, need personCols) personCols {
	var c personCols
	if w >= 40 {
		c.badge, c.word = 10, true
	} else {
		c.badge = 2
	}
	r := w - c.badge
	if r >= 24 && need.ext > 0 {
		c.ext = min(need.ext, 14) + 2
	}
	if r-c.ext >= 44 {
		c.detail = min(need.detail, 24)
	}
	rem := r - c.ext - c.detail
	c.name = rem
	if rem >= 30 && need.position > 0 {
		c.name = min(need.name+2, max(rem/2, rem-need.position-2))
		c.position = min(need.position+2, rem-c.name)
	}
	return c
}

// headNote says why the head p of the selected department is marked: "left"
// (dismissed), "not a member" (a member elsewhere), or "" (a member).
func (m *Model) headNote(p *directory.Person) string {
	switch {
	case !p.Active:
		return "left"
	case !m.org.IsMember(m.tree.sel, p.ID):
		return "not a member"
	}
	return ""
}

// personRow draws one person in w cells, or takes the row the last frame drew.
func (m *Model) personRow(p *directory.Person, c personCols, selected, focused bool, w int) string {
	k := personRowKey{person: p, cols: c, badge: badgeOf(p, m.now(), m.threshold), head: p.ID == m.headID,
		selected: selected, focused: focused, w: w}
	if k.head {
		k.headNote = m.headNote(p)
	}
	if row, ok := m.personRows.get(k); ok {
		return row
	}
	row := m.drawPersonRow(k)
	m.personRows.put(k, row)
	return row
}

// drawPersonRow draws the row of k.
func (m *Model) drawPersonRow(k personRowKey) string {
	p, c, b, selected, focused, w := k.person, k.cols, k.badge, k.selected, k.focused, k.w
	cursor := " "
	if selected {
		cursor = "›"
	}
	bt := b.glyph
	if c.word {
		bt += " " + b.word
	}
	ext := ""
	if p.Extension != "" {
		ext = "ext " + p.Extension
	}
	name := named(p.Name)
	if k.head {
		name += " ★"
		if k.headNote != "" {
			name += " (" + k.headNote + ")"
		}
	}
	cols := []struct {
		text string
		w    int
	}{{name, c.name}, {p.Position, c.position}, {ext, c.ext}, {b.detail, c.detail}}
	var sb strings.Builder
	for i, col := range cols {
		if col.w <= 0 {
			continue
		}
		if i == len(cols)-1 || col.w < 2 {
			sb.WriteString(cell(col.text, col.w))
		} else {
			sb.WriteString(cell(col.text, col.w-1) + " ")
		}
	}
	rest := cell(sb.String(), max(0, w-1-c.badge))
	head := cursor + cell(bt, c.badge)
	switch {
	case selected && focused:
		return m.st.selected.on(cell(head+rest, w))
	case selected:
		return m.st.selectedBlur.on(cell(head+rest, w))
	}
	line := cursor + m.badgePaint(b.kind).on(cell(bt, c.badge)) + rest
	if pad := w - 1 - c.badge - safetext.Width(rest); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	return line
}

func (m *Model) badgePaint(k badgeKind) paint {
	switch k {
	case kindOnline:
		return m.st.online
	case kindIdle:
		return m.st.idle
	case kindAbsent:
		return m.st.absent
	}
	return m.st.offline
}

// peopleView draws the people pane's inside: the list, a rule, the details.
func (m *Model) peopleView(w, h int, focused bool) []string {
	p := &m.people
	var lines []string
	if !p.loaded || len(p.list) == 0 {
		msg := "no people in this department"
		switch {
		case m.tree.sel == 0:
			msg = ""
		case !p.loaded && m.peopleErr != "":
			return m.paneFailure(m.peopleErr, w, h)
		case !p.loaded:
			msg = ansi.Strip(m.spin.View()) + " loading people…" // plain: the row measures it
		}
		return fill(append(lines, m.st.muted.on(cell(" "+msg, w))), w, h)
	}
	listH, details := m.peopleSplit(w, h)
	dh := len(details)
	ensureVisible(&p.off, p.idx, listH, len(p.list))
	if m.people.need == nil {
		need := m.measure(p.list)
		m.people.need = &need
	}
	c := colsFor(w-1, *m.people.need)
	m.headID = 0
	if d := m.org.Department(m.tree.sel); d != nil {
		m.headID = d.HeadID
	}
	for i := p.off; i < len(p.list) && len(lines) < listH; i++ {
		lines = append(lines, m.personRow(p.list[i], c, i == p.idx, focused, w))
	}
	lines = fill(lines, w, listH)
	if dh > 0 {
		lines = append(lines, m.st.border.on(strings.Repeat("─", w)))
		for _, d := range details {
			lines = append(lines, " "+d)
		}
	}
	return fill(lines, w, h)
}

// peopleSplit divides the people pane's h rows between the list and the
// details of the highlighted person (after a rule). The split depends on h
// only, so the list keeps its height while the cursor moves; details that
// do not fit end in a line saying how many are hidden.
func (m *Model) peopleSplit(w, h int) (listH int, details []string) {
	if h < 6 {
		return h, nil
	}
	details = m.details(m.people.current(), w-1)
	if len(details) == 0 {
		return h, nil
	}
	dh := min(max(2, (h-1)/2), 6)
	if len(details) > dh {
		hidden := len(details) - dh + 1
		more := "… " + strconv.Itoa(hidden) + " more lines (a taller window shows them)"
		if hidden == 1 {
			more = "… 1 more line (a taller window shows it)"
		}
		details = append(details[:dh-1:dh-1], m.st.muted.on(cell(more, w-1)))
	}
	return h - dh - 1, fill(details, w-1, dh)
}

// details are the lines describing p, each exactly w cells: the name and the
// head-of marker, position and departments, contacts, presence.
func (m *Model) details(p *directory.Person, w int) []string {
	if p == nil || w <= 0 {
		return nil
	}
	var head []string
	sel := m.org.Department(m.tree.sel)
	note := ""
	if sel != nil && sel.HeadID == p.ID {
		note = m.headNote(p)
	}
	for _, id := range p.DepartmentIDs {
		if d := m.org.Department(id); d != nil && d.HeadID == p.ID && (note == "" || d != sel) {
			head = append(head, named(d.Name))
		}
	}
	if note != "" {
		head = append(head, named(sel.Name)+" ("+note+")")
	}
	title := named(p.Name)
	if len(head) > 0 {
		title += " ★ head of " + strings.Join(head, ", ")
	}
	var where []string
	if p.Position != "" {
		where = append(where, p.Position)
	}
	for _, id := range p.DepartmentIDs {
		if path := m.path(id); len(path) > 0 {
			where = append(where, strings.Join(path, directory.PathSeparator))
		}
	}
	var contact []string
	for _, c := range [][2]string{{"ext ", p.Extension}, {"work ", p.WorkPhone}, {"mobile ", p.Mobile}, {"", p.Email}} {
		if c[1] != "" {
			contact = append(contact, c[0]+c[1])
		}
	}
	now := m.now()
	b := badgeOf(p, now, m.threshold)
	presence := []string{b.glyph + " " + b.word}
	switch {
	case b.kind == kindAbsent:
		presence = []string{b.glyph + " absent until " + b.until, b.presence}
	case b.detail != "":
		presence = append(presence, b.detail)
	}
	if !p.LastActivity.IsZero() {
		presence = append(presence, "last activity "+p.LastActivity.In(now.Location()).Format("2 Jan 15:04"))
	}
	var out []string
	out = append(out, m.st.bold.on(cell(title, w)))
	for _, group := range [][]string{where, contact, presence} {
		out = append(out, pack(group, w)...)
	}
	return out
}

// pack joins items with " · " into lines of exactly w cells, starting a new
// line when the next item does not fit; an item wider than w is cut.
func pack(items []string, w int) []string {
	var out []string
	line, lw := "", 0
	for _, it := range items {
		iw := safetext.Width(it)
		if lw > 0 && lw+3+iw <= w {
			line += " · " + it
			lw += 3 + iw
			continue
		}
		if lw > 0 {
			out = append(out, cell(line, w))
		}
		line, lw = it, iw
	}
	if lw > 0 {
		out = append(out, cell(line, w))
	}
	return out
}

// summary counts the presence of the highlighted department's people.
func (m *Model) summary() (online, idle, absent, offline int) {
	now := m.now()
	for _, p := range m.people.list {
		switch {
		case p.Absent(now):
			absent++
		case p.PresenceAt(now, m.threshold) == directory.Online:
			online++
		case p.PresenceAt(now, m.threshold) == directory.Idle:
			idle++
		default:
			offline++
		}
	}
	return
}

// peopleTitle is the people pane's title, "EMEA · 17 people".
func (m *Model) peopleTitle() string {
	d := m.org.Department(m.tree.sel)
	if d == nil {
		return "People"
	}
	if !m.people.loaded {
		return named(d.Name)
	}
	n := len(m.people.list)
	word := " people"
	if n == 1 {
		word = " person"
	}
	return named(d.Name) + " · " + strconv.Itoa(n) + word
}
