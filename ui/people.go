package ui

import (
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// people is the people pane: the highlighted department's people and the
// highlighted person (kept by ID, not by index), over the details of that
// person. Its offset follows the highlight whenever either changes, or its
// size.
type people struct {
	*common
	dept    int  // the department whose people these are (0: none)
	headID  int  // its head, marked ★ in the list
	subtree bool // the pane shows everyone below a department (the Subtree key)
	whole   bool // list is everyone below dept, each row saying in which sub-department
	list    []*directory.Person
	loaded  bool
	need    personCols // what the columns of list need
	sel     int        // person ID; kept while the list is not loaded, e.g. after a jump
	idx     int
	off     int
	w, h    int // the pane's inside
	listH   int // the rows of the list; the details have the rest
	// link is the highlighted person's link the Link key highlighted in
	// the details.
	link linkWalk
}

func newPeople(c *common) people { return people{common: c} }

// set replaces the list with dept's (whole: everyone below dept) and finds
// sel again; when sel is gone the index is kept (clamped).
func (p *people) set(dept int, list []*directory.Person, loaded, whole bool) {
	p.dept, p.list, p.loaded, p.whole = dept, list, loaded, whole
	p.headID = 0
	if d := p.org.Department(dept); d != nil {
		p.headID = d.HeadID
	}
	defer p.scroll()
	if !loaded {
		return
	}
	p.need = p.measure(list)
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
	p.scroll()
}

// setSize gives the pane's inside w×h cells.
func (p *people) setSize(w, h int) {
	p.w, p.h = w, h
	p.scroll()
}

// scroll divides the pane between the list and the details and keeps the
// highlighted person in sight.
func (p *people) scroll() {
	p.listH, _ = p.split(p.h)
	if p.loaded && len(p.list) > 0 {
		ensureVisible(&p.off, p.idx, p.listH, len(p.list))
	}
}

// split divides the pane's h rows between the list and the details of the
// highlighted person (after a rule). It depends only on h and on whether
// anyone's availability is known, so the list keeps its height while the
// cursor moves.
func (p *people) split(h int) (listH, detailsH int) {
	return detailSplit(h, p.w, p.current() != nil, p.need.sched)
}

// detailSplit divides h rows, w cells wide, between a list and the details
// of its highlighted person (has: there is one) after a rule; sched: the
// availability of someone in the list is known, which takes more lines.
func detailSplit(h, w int, has, sched bool) (listH, detailsH int) {
	if h < 6 || !has || w-1 <= 0 {
		return h, 0
	}
	most := 6
	if sched {
		most = 8 // the availability and its sources take a line or two more
	}
	dh := min(max(2, (h-1)/2), most)
	return h - dh - 1, dh
}

// peopleMove is what a key did in the people pane, for the Model to follow.
type peopleMove int

const (
	peopleStill  peopleMove = iota
	peopleToTree            // the focus goes back to the tree
)

// update handles a key of the people pane; page is how many rows a page
// key moves.
func (p *people) update(k tea.KeyMsg, page int) peopleMove {
	if d, ok := p.keys.cursor().step(k, page, len(p.list)); ok {
		p.move(d)
	} else if key.Matches(k, p.keys.Left) {
		return peopleToTree
	}
	return peopleStill
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
	badge, name, position, where, ext, detail int
	word                                      bool // the badge has its word, not just the glyph
	sched                                     bool // someone's calendar or workday is known (the details are taller)
}

// measure finds the widest name, position, extension and presence detail
// of the list, so the columns fit what they hold.
func (pp *people) measure(list []*directory.Person) personCols {
	var where func(*directory.Person) string
	if pp.whole {
		where = pp.where
	}
	return pp.measureRows(list, pp.headID, pp.dept, where)
}

// measureRows is measure for a list whose head (marked ★) is headID of
// department dept, and whose rows name where each person is (nil: they
// do not).
func (c *common) measureRows(list []*directory.Person, headID, dept int, where func(*directory.Person) string) personCols {
	var need personCols
	for _, id := range []string{"badge.online", "badge.idle", "badge.offline", "badge.absent"} {
		need.badge = max(need.badge, 3+safetext.Width(c.lang.T(id))) // "● " and a space after
	}
	for _, p := range list {
		nw := safetext.Width(c.named(p.Name)) + 2 // room for " ★"
		if p.ID == headID {
			if note := c.headNote(p, dept); note != "" {
				nw += safetext.Width(note) + 3 // " (note)"
			}
		}
		need.name = max(need.name, nw)
		need.position = max(need.position, safetext.Width(p.Position))
		if where != nil {
			need.where = max(need.where, safetext.Width(where(p)))
		}
		if p.Extension != "" {
			need.ext = max(need.ext, safetext.Width(c.lang.T("contact.ext", "Value", p.Extension)))
		}
		need.detail = max(need.detail, safetext.Width(c.badgeFor(p).detail))
		need.sched = need.sched || c.sched[p.ID] != nil
	}
	return need
}

// colsFor divides w cells (the cursor column excluded) among the columns as
// need asks, dropping position, detail and extension as the pane narrows;
// what is left over stays blank at the end of the row.
func colsFor(w int, need personCols) personCols {
	var c personCols
	if w >= 40 {
		c.badge, c.word = max(10, need.badge), true // the badge's glyph and its longest word
	} else {
		c.badge = 2
	}
	r := w - c.badge
	if r >= 24 && need.ext > 0 {
		c.ext = min(need.ext, 14) + 2
	}
	if r-c.ext >= 44 {
		// Room for "finished for today at 18:02" and "in a meeting until
		// Fri 15:00" when the name keeps half of what is left; 24 always.
		c.detail = min(need.detail, max(24, min(28, (r-c.ext)/2)))
	}
	rem := r - c.ext - c.detail
	if need.where > 0 && rem >= 30 {
		// The sub-department of each row of a whole subtree comes before
		// the position: it is what the list is about.
		c.where = min(need.where+2, rem/3)
		rem -= c.where
	}
	c.name = rem
	if rem >= 30 && need.position > 0 {
		c.name = min(need.name+2, max(rem/2, rem-need.position-2))
		c.position = min(need.position+2, rem-c.name)
	}
	return c
}

// where is the sub-department of p the row of a whole subtree names: the
// name of p's department below the pane's department (its path is in the
// details); "" for the department's own members. For the favourites it is
// p's department.
func (pp *people) where(p *directory.Person) string {
	if pp.dept == favouritesID {
		if path := pp.personPath(p); len(path) > 0 {
			return path[len(path)-1]
		}
		return ""
	}
	id := pp.org.Within(pp.dept, p)
	if id == 0 || id == pp.dept {
		return ""
	}
	if d := pp.org.Department(id); d != nil {
		return pp.named(d.Name)
	}
	return ""
}

// headNote says why the head p of department dept is marked: "left"
// (dismissed), "not a member" (a member elsewhere), or "" (a member).
func (c *common) headNote(p *directory.Person, dept int) string {
	switch {
	case !p.Active:
		return c.lang.T(lang.Gendered("head.left", p.Gender))
	case !c.org.IsMember(dept, p.ID):
		return c.lang.T("head.notmember")
	}
	return ""
}

// row draws one person in w cells, or takes the row the last frame drew.
func (pp *people) row(p *directory.Person, c personCols, selected, focused bool, w int) string {
	k := personRowKey{person: p, cols: c, badge: pp.badgeFor(p), head: p.ID == pp.headID,
		selected: selected, focused: focused, w: w}
	if c.where > 0 {
		k.where = pp.where(p)
	}
	if k.head {
		k.headNote = pp.headNote(p, pp.dept)
	}
	return pp.drawn.personRows.draw(k, pp.drawRow)
}

// drawRow draws the row of k: the cursor, the badge (glyph, and word when
// the columns have room), then the columns.
func (pp *common) drawRow(k personRowKey) string {
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
		ext = pp.lang.T("contact.ext", "Value", p.Extension)
	}
	name := []span{{text: pp.named(p.Name), url: pp.profileLink(p)}}
	if k.head {
		mark := " ★"
		if k.headNote != "" {
			mark += " (" + k.headNote + ")"
		}
		name = append(name, span{text: mark})
	}
	cols := []struct {
		text []span
		w    int
	}{{name, c.name}, {[]span{{text: k.where}}, c.where}, {[]span{{text: p.Position}}, c.position},
		{[]span{{text: ext}}, c.ext}, {[]span{{text: b.detail}}, c.detail}}
	var sb strings.Builder
	for i, col := range cols {
		if col.w <= 0 {
			continue
		}
		if i == len(cols)-1 || col.w < 2 {
			sb.WriteString(spans(col.text, col.w))
		} else {
			sb.WriteString(spans(col.text, col.w-1) + " ")
		}
	}
	// The columns may hold links (OSC 8, no cells): cut and padded as drawn.
	rest := fitRow(sb.String(), max(0, w-1-c.badge))
	head := cursor + cell(bt, c.badge)
	switch {
	case selected && focused:
		return pp.st.selected.on(fitRow(head+rest, w))
	case selected:
		return pp.st.selectedBlur.on(fitRow(head+rest, w))
	}
	line := cursor + pp.badgePaint(b.kind).on(cell(bt, c.badge)) + rest
	if w < 1+c.badge {
		return fitANSI(line, w) // a pane too narrow for the badge
	}
	return line
}

// view draws the pane's inside, w×h: the list, a rule, the details; or what
// the pane waits for (loading) or why it has nothing (failure).
func (p *people) view(w, h int, focused bool, failure string) []string {
	var lines []string
	if !p.loaded || len(p.list) == 0 {
		msg := p.lang.T("people.none")
		switch {
		case p.dept == favouritesID && p.loaded:
			msg = p.lang.T("fav.none", "Key", keyName(p.keys.Pin))
		case p.dept == 0:
			msg = ""
		case !p.loaded && failure != "":
			return p.paneFailure(failure, w, h)
		case !p.loaded:
			msg = ansi.Strip(p.spin.View()) + " " + p.lang.T("loading.people") // plain: the row measures it
		}
		return fill(append(lines, p.st.muted.on(cell(" "+msg, w))), w, h)
	}
	listH, dh := p.split(h)
	c := colsFor(w-1, p.need)
	for i := p.off; i < len(p.list) && len(lines) < listH; i++ {
		lines = append(lines, p.row(p.list[i], c, i == p.idx, focused, w))
	}
	lines = fill(lines, w, listH)
	if dh > 0 {
		lines = append(lines, p.st.border.on(strings.Repeat("─", w)))
		for _, d := range p.detailLines(w-1, dh) {
			lines = append(lines, " "+d)
		}
	}
	return fill(lines, w, h)
}

// detailLines are the details of the highlighted person in dh lines of w
// cells; details that do not fit end in a line saying how many are hidden.
func (p *people) detailLines(w, dh int) []string {
	return p.detailBlock(p.current(), p.dept, w, dh, p.highlightedLink())
}

// detailBlock is the details of p seen from dept in dh lines of w cells,
// with the link hl highlighted.
func (c *common) detailBlock(p *directory.Person, dept, w, dh int, hl personLink) []string {
	details := c.details(p, dept, w, hl)
	if len(details) > dh {
		hidden := len(details) - dh + 1
		more := "… " + c.lang.N("details.more", hidden)
		details = append(details[:dh-1:dh-1], c.st.muted.on(cell(more, w)))
	}
	return fill(details, w, dh)
}

// personLink is one of a person's links: what it is (the item of the
// details it is on) and where it leads.
type personLink struct{ what, url string }

// personLinks are p's links in the order of the details: the profile (the
// name), ext, work, mobile, e-mail, and the chat when links are drawn.
func (c *common) personLinks(p *directory.Person) []personLink {
	all := []personLink{{"profile", c.addr.Profile(p)}, {"ext", c.addr.Tel(p.Extension)}, {"work", c.addr.Tel(p.WorkPhone)},
		{"mobile", c.addr.Tel(p.Mobile)}, {"e-mail", directory.MailtoURL(p.Email)}}
	if c.linksOn {
		all = append(all, personLink{"chat", c.addr.Chat(p)})
	}
	var out []personLink
	for _, l := range all {
		if l.url != "" {
			out = append(out, l)
		}
	}
	return out
}

// highlightedLink is the link of the highlighted person the Link key
// highlighted, or none.
func (p *people) highlightedLink() personLink { return p.link.at(p.common, p.current()) }

// nextLink highlights the highlighted person's next link; after the last,
// none.
func (p *people) nextLink() { p.link.next(p.common, p.current()) }

// pickLink highlights the highlighted person's link to url, if they have one.
func (p *people) pickLink(url string) { p.link.pick(p.common, p.current(), url) }

// details are the lines describing p, seen from department dept, each
// exactly w cells: the name and the head-of marker, position and
// departments, contacts, presence; the item of link hl is highlighted.
func (c *common) details(p *directory.Person, dept, w int, hl personLink) []string {
	if p == nil || w <= 0 {
		return nil
	}
	var head []string
	sel := c.org.Department(dept)
	note := ""
	if sel != nil && sel.HeadID == p.ID {
		note = c.headNote(p, dept)
	}
	for _, id := range p.DepartmentIDs {
		if d := c.org.Department(id); d != nil && d.HeadID == p.ID && (note == "" || d != sel) {
			head = append(head, c.named(d.Name))
		}
	}
	if note != "" {
		head = append(head, c.named(sel.Name)+" ("+note+")")
	}
	// item is the span of a linked item of the details, highlighted when
	// it is hl.
	item := func(what, text, url string) span {
		s := span{text: text, url: url}
		if hl.what == what {
			s.paint = c.st.selected
		}
		return s
	}
	title := []span{item("profile", c.named(p.Name), c.profileLink(p))}
	if len(head) > 0 {
		star := " ★"
		if c.plain {
			star = "," // a screen reader says "black star"
		}
		title = append(title, span{text: star + " " + c.lang.T("details.headof", "Departments", strings.Join(head, ", "))})
	}
	var where []span
	if p.Position != "" {
		where = append(where, span{text: p.Position})
	}
	for _, id := range p.DepartmentIDs {
		if path := c.path(id); len(path) > 0 {
			where = append(where, span{text: strings.Join(path, directory.PathSeparator)})
		}
	}
	var contact []span
	for _, f := range [][2]string{{"ext", p.Extension}, {"work", p.WorkPhone}, {"mobile", p.Mobile}} {
		if f[1] != "" {
			contact = append(contact, item(f[0], c.lang.T("contact."+f[0], "Value", f[1]), c.telLink(f[1])))
		}
	}
	if p.Email != "" {
		contact = append(contact, item("e-mail", p.Email, c.mailLink(p.Email)))
	}
	if chat := c.chatLink(p); chat != "" {
		contact = append(contact, item("chat", c.lang.T("contact.chat"), chat))
	}
	now := c.now()
	b := c.badgeOf(p, now, c.threshold)
	avail := c.availability(p, now)
	presence := []span{{text: c.mark(b, b.word)}}
	switch {
	case b.kind == kindAbsent:
		presence = []span{{text: c.mark(b, c.lang.T("details.absentuntil", "Day", b.until))}, {text: b.presence}}
	case b.detail != "":
		presence = append(presence, span{text: b.detail})
	}
	if !p.LastActivity.IsZero() {
		presence = append(presence, span{text: c.lang.T("details.lastactivity", "When", c.lang.DayTime(p.LastActivity, now))})
	}
	var out []string
	out = append(out, c.st.bold.on(spans(title, w)))
	for _, group := range [][]span{avail, where, contact, presence} {
		out = append(out, pack(group, w)...)
	}
	if line := c.reportsTo(p); len(line) > 0 {
		out = append(out, spans(line, w)) // one line, cut when it is wider
	}
	if line := c.directReports(p, w); line != "" {
		out = append(out, line)
	}
	return out
}

// availability is what the details say of p's availability when the
// calendar or the workday was asked: the state and its reason first, then
// each source ("busy: in a meeting until 15:00 · calendar: … · workday: …");
// none when neither was.
func (c *common) availability(p *directory.Person, now time.Time) []span {
	s := c.sched[p.ID]
	if s == nil {
		return nil
	}
	a := p.AvailabilityAt(s, now, c.threshold)
	reason := a.Say(c.lang)
	out := []span{{text: a.StateIn(c.lang) + ": " + reason}}
	// Each source says what the reason has not said already.
	for _, src := range [][2]string{{c.lang.T("avail.calendar") + ": ", s.CalendarTextIn(c.lang, now, p.Gender)}, {c.lang.T("avail.workday") + ": ", s.WorkdayTextIn(c.lang, now)}} {
		t := strings.TrimPrefix(strings.TrimPrefix(src[1], reason), " · ")
		if t != "" {
			out = append(out, span{text: src[0] + t})
		}
	}
	return out
}

// reportsTo is the "reports to" line of p: the managers up the tree,
// nearest first, each name linked to the profile; the head of the top
// says so.
func (c *common) reportsTo(p *directory.Person) []span {
	chain := c.org.Chain(p.ID)
	if len(chain) == 0 {
		if c.org.IsHead(p.ID) {
			return []span{{text: c.lang.T("details.reportstonone")}}
		}
		return nil
	}
	line := []span{{text: c.lang.T("details.reportsto") + " "}}
	for i, id := range chain {
		if i > 0 {
			line = append(line, span{text: directory.PathSeparator})
		}
		url := ""
		if r := c.org.Person(id); r != nil {
			url = c.profileLink(r)
		}
		line = append(line, span{text: c.personName(id), url: url})
	}
	return line
}

// directReports is the line of a head's direct reports in w cells, each
// with the glyph of their badge, as many as fit and then how many more
// (the org chart shows them all); "" for someone without reports. It
// measures each name once, so a wide screen costs no more than the names
// it shows. Each name links to the profile, as in the list.
func (c *common) directReports(p *directory.Person, w int) string {
	ids := c.org.DirectReportsIn(c.lang, p.ID)
	if len(ids) == 0 {
		return ""
	}
	now := c.now()
	more := func(n int) string { return c.lang.N("details.reports.more", n) }
	head := c.lang.N("details.reports", len(ids)) + ":"
	parts := []span{{text: head}}
	used := safetext.Width(head)
	shown := 0
	for _, id := range ids {
		pre, name, post, url := "? ", c.personName(id), "", ""
		if r := c.org.Person(id); r != nil {
			rb := c.badgeOf(r, now, c.threshold)
			pre, url = c.mark(rb, ""), c.profileLink(r)
			if c.plain {
				post = " (" + rb.word + ")"
			}
		}
		sep := " · "
		if shown == 0 {
			sep = " "
		}
		iw := safetext.Width(sep+pre) + safetext.Width(name) + safetext.Width(post)
		need := used + iw
		if rest := len(ids) - shown - 1; rest > 0 {
			need += 3 + safetext.Width(more(rest))
		}
		if need > w {
			break
		}
		parts = append(parts, span{text: sep + pre}, span{text: name, url: url}, span{text: post})
		used += iw
		shown++
	}
	if rest := len(ids) - shown; rest > 0 {
		sep := " · "
		if shown == 0 {
			sep = " "
		}
		parts = append(parts, span{text: sep + more(rest)})
		used += safetext.Width(sep + more(rest))
		if hint := " (" + c.lang.T("details.reports.chart", "Key", keyName(c.keys.OrgChart)) + ")"; used+safetext.Width(hint) <= w {
			parts = append(parts, span{text: hint})
		}
	}
	return spans(parts, w)
}

// pack joins items with " · " into lines of exactly w cells, starting a new
// line when the next item does not fit; an item wider than w is cut. An
// item with an address is linked to it (spans).
func pack(items []span, w int) []string {
	var out []string
	var line []span
	lw := 0
	for _, it := range items {
		iw := safetext.Width(it.text)
		if lw > 0 && lw+3+iw <= w {
			line = append(line, span{text: " · "}, it)
			lw += 3 + iw
			continue
		}
		if lw > 0 {
			out = append(out, spans(line, w))
		}
		line, lw = []span{it}, iw
	}
	if lw > 0 {
		out = append(out, spans(line, w))
	}
	return out
}

// summary counts the presence of the department's people.
func (pp *people) summary() (online, idle, absent, offline int) {
	now := pp.now()
	for _, p := range pp.list {
		switch {
		case p.Absent(now):
			absent++
		case p.PresenceAt(now, pp.threshold) == directory.Online:
			online++
		case p.PresenceAt(now, pp.threshold) == directory.Idle:
			idle++
		default:
			offline++
		}
	}
	return
}

// title is the pane's title, "EMEA · 17 people", or for a whole subtree
// "Sales · 206 people in all", or "Favourites · 3 people".
func (p *people) title() string {
	if p.dept == favouritesID {
		return p.lang.T("fav.short") + " · " + p.lang.N("people.count", len(p.list))
	}
	d := p.org.Department(p.dept)
	if d == nil {
		return p.lang.T("people.title")
	}
	if !p.loaded {
		if p.whole {
			return p.lang.T("people.title.whole", "Department", p.named(d.Name))
		}
		return p.named(d.Name)
	}
	if p.whole {
		return p.named(d.Name) + " · " + p.lang.N("people.count.whole", len(p.list))
	}
	return p.named(d.Name) + " · " + p.lang.N("people.count", len(p.list))
}
