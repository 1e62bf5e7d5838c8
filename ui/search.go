package ui

import (
	"strings"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// searchLimit is how many results a local search keeps.
const searchLimit = 200

// searchPageRows is how many results a page key moves.
const searchPageRows = 10

// searchTop is the number of rows above the results: the query, the status.
const searchTop = 2

// search is the company-wide search view: the query field, the results
// (each with its badge, department path and extension, as the people pane
// draws them) and the details of the highlighted one. Its offset follows
// the highlight whenever either changes, or its size.
type search struct {
	*common
	input   lineEdit
	q       directory.Query // the query as parsed (filters: directory/query.go)
	list    bool            // the results have the keys (the Tab key): copy acts on the highlighted one
	results []*directory.Person
	need    personCols // what the columns of results need
	idx     int
	off     int
	seq     int    // the newest query's sequence number
	remote  bool   // results come from the portal, not the local index
	pending bool   // a portal search for seq is waiting or running
	err     string // the portal search failed
	// link is the highlighted result's link the Link key highlighted in
	// its details (the results have the keys).
	link linkWalk

	// A local search keeps searchLimit results at a time: total is how
	// many match in all; moving past the last result brings more from
	// index (the snapshot searched) for query.
	total int
	index *directory.Org
	query string

	// layout is the query retyped on the other keyboard layout when the
	// last layoutN local results matched only that way.
	layout  string
	layoutN int

	// partial is how many people a query with filters was answered among
	// while the directory is still loading (0: all of them).
	partial int
	// presenceNote says how old the presence a presence filter chose by
	// is, when older than it should be ("": fresh enough).
	presenceNote string

	w, h int // the view's inside
}

func newSearch(c *common) search { return search{common: c} }

// setSize gives the view's inside w×h cells.
func (s *search) setSize(w, h int) {
	s.w, s.h = w, h
	s.scroll()
}

// split divides the rows below the query and the status between the
// results and the details of the highlighted one.
func (s *search) split() (listH, detailsH int) {
	return detailSplit(max(0, s.h-searchTop), s.w, s.current() != nil, s.need.sched)
}

// scroll keeps the highlighted result in sight.
func (s *search) scroll() {
	listH, _ := s.split()
	ensureVisible(&s.off, s.idx, listH, len(s.results))
}

// searchLocal answers q from org, the first limit results.
func (s *search) searchLocal(org *directory.Org, q string, limit int) {
	s.q = directory.ParseQuery(q)
	s.q.Now, s.q.Threshold = s.now(), s.threshold
	matches, total := org.SearchQuery(&s.q, limit)
	s.results = make([]*directory.Person, len(matches))
	s.layout, s.layoutN = "", 0
	for i, x := range matches {
		s.results[i] = x.Person
		if x.Layout != "" {
			s.layout = x.Layout
			s.layoutN++
		}
	}
	s.total, s.index, s.query, s.remote = total, org, q, false
	s.measure()
	s.scroll()
}

// measure fits the columns to the results: no presence detail (the
// details below have it), the department path where the people pane of a
// whole subtree has the sub-department.
func (s *search) measure() {
	s.need = s.measureRows(s.results, 0, 0, s.pathOf)
	s.need.detail = 0
}

// pathOf is the path of p's first department.
func (s *search) pathOf(p *directory.Person) string {
	return strings.Join(s.personPath(p), directory.PathSeparator)
}

func (s *search) move(n int) {
	if len(s.results) == 0 {
		return
	}
	if s.idx+n > len(s.results)-1 && !s.remote && s.index != nil && s.total > len(s.results) {
		s.searchLocal(s.index, s.query, len(s.results)+searchLimit) // the next page, same order
	}
	s.idx = clamp(s.idx+n, 0, len(s.results)-1)
	s.scroll()
}

// searchDid is what a key did in the search view, for the Model to follow.
type searchDid int

const (
	searchStill    searchDid = iota
	searchClose              // back to the browser
	searchJump               // to the highlighted result
	searchChanged            // the query changed: search again
	searchCaller             // look the query up as a caller's number
	searchCopy               // copy the highlighted result's extension
	searchCopyMenu           // the copy menu of the highlighted result
	searchPin                // pin or unpin the highlighted result
)

// update handles a key of the search view: its bindings (searchKeys),
// else the query field; with the results focused (Tab), the key map's
// cursor keys, copy keys and Search (back to the query), while any other
// key goes back to the query and types there.
func (s *search) update(k tea.KeyMsg) searchDid {
	sk := &s.skeys
	if s.list {
		if did, ok := s.listKey(k); ok {
			return did
		}
		s.list = false
		if key.Matches(k, s.keys.Search) {
			return searchStill
		}
	}
	d, cursor := sk.cursor().step(k, searchPageRows, len(s.results))
	switch {
	case key.Matches(k, sk.Tab):
		s.list = true
	case key.Matches(k, sk.Back):
		return searchClose
	case key.Matches(k, sk.Caller):
		return searchCaller
	case cursor:
		s.move(d)
	case key.Matches(k, sk.Jump):
		if s.current() != nil {
			return searchJump
		}
	case key.Matches(k, sk.Pin): // enabled with a result highlighted
		return searchPin
	default:
		if s.input.update(k) {
			return searchChanged
		}
	}
	return searchStill
}

// listKey handles k with the results focused; ok is false for a key that
// goes back to the query field.
func (s *search) listKey(k tea.KeyMsg) (did searchDid, ok bool) {
	km := &s.keys
	if d, cursor := km.cursor().step(k, searchPageRows, len(s.results)); cursor {
		s.move(d)
		return searchStill, true
	}
	switch {
	case key.Matches(k, km.Copy):
		return searchCopy, true
	case key.Matches(k, km.CopyMenu):
		return searchCopyMenu, true
	case key.Matches(k, km.Pin):
		return searchPin, true
	case key.Matches(k, km.Link):
		s.nextLink()
		return searchStill, true
	case key.Matches(k, km.Enter):
		return searchJump, true
	case key.Matches(k, km.Tab), key.Matches(k, km.Back):
		s.list = false
		return searchStill, true
	}
	return searchStill, false
}

// highlightedLink is the link of the highlighted result the Link key
// highlighted, or none.
func (s *search) highlightedLink() personLink { return s.link.at(s.common, s.current()) }

// nextLink highlights the highlighted result's next link; after the last,
// none.
func (s *search) nextLink() { s.link.next(s.common, s.current()) }

// pickLink highlights the highlighted result's link to url, if they have one.
func (s *search) pickLink(url string) { s.link.pick(s.common, s.current(), url) }

func (s *search) current() *directory.Person {
	if s.idx < 0 || s.idx >= len(s.results) {
		return nil
	}
	return s.results[s.idx]
}

// view draws the inside of the search box, w×h: the input, a status line,
// then the results and the details of the highlighted one.
func (s *search) view(w, h int) []string {
	prompt := "/ "
	if s.list {
		prompt = "› " // the keys act on the results
	}
	lines := []string{" " + s.input.view(prompt, s.lang.T("search.placeholder"), w-1, s.st)}
	lines = append(lines, s.status(w))
	listH, dh := detailSplit(max(0, h-searchTop), w, s.current() != nil, s.need.sched)
	c := colsFor(w-1, s.need)
	for i := s.off; i < len(s.results) && len(lines) < searchTop+listH; i++ {
		p := s.results[i]
		k := personRowKey{person: p, cols: c, badge: s.badgeFor(p), selected: i == s.idx, focused: true, w: w}
		if c.where > 1 {
			k.where = shortPath(s.personPath(p), c.where-1)
		}
		lines = append(lines, s.drawn.personRows.draw(k, s.drawRow))
	}
	lines = fill(lines, w, searchTop+listH)
	if dh > 0 {
		lines = append(lines, s.st.border.on(strings.Repeat("─", w)))
		for _, d := range s.detailLines(w-1, dh) {
			lines = append(lines, " "+d)
		}
	}
	return fill(lines, w, h)
}

// detailLines are the details of the highlighted result in dh lines of w
// cells, with the link the Link key highlighted.
func (s *search) detailLines(w, dh int) []string {
	p := s.current()
	return s.detailBlock(p, s.firstDept(p), w, dh, s.highlightedLink())
}

// status is the line below the query: what the search found, or waits
// for, and what it could not know.
func (s *search) status(w int) string {
	switch {
	case s.err != "":
		return s.st.errp.on(cell(" "+s.lang.T("search.failed", "Cause", s.err), w))
	case s.pending:
		return s.st.muted.on(" "+s.spin.View()) + s.st.muted.on(cell(" "+s.lang.T("search.portal.busy"), w-2))
	case s.input.value() == "" && len(s.results) > 0:
		return s.st.muted.on(cell(" "+s.lang.T("search.recent"), w))
	case s.input.value() == "":
		msg := " " + s.lang.T("search.empty")
		if !s.org.Complete() {
			msg = " " + s.lang.T("search.empty.remote")
		}
		return s.st.muted.on(cell(msg, w))
	}
	return s.st.muted.on(cell(" "+s.counted(), w))
}

// counted says how many results the query has: "3 matches", "no matches",
// "200 of 1,234 matches (move past the last for more)", where they came
// from, the keyboard layout of the ones that matched only retyped, and
// what the answer could not know (a partial directory, old presence).
func (s *search) counted() string {
	n := len(s.results)
	l := s.lang
	msg := l.N("search.matches", n)
	if n == 0 {
		msg = l.T("search.nomatches")
	}
	if s.remote {
		msg += " " + l.T("search.fromportal")
	} else if s.total > n {
		msg = l.N("search.matches.of", s.total, "Shown", l.Thousands(n))
	}
	if !s.remote && s.layoutN > 0 {
		// What matched only as retyped on the other keyboard layout
		// comes last.
		if s.layoutN < n {
			msg += ", " + l.T("search.layout.last", "N", l.Thousands(s.layoutN))
		}
		msg += " · " + l.T("search.layout", "Query", safetext.Clean(s.layout))
	}
	if s.partial > 0 {
		msg += " · " + l.N("search.partial", s.partial)
	}
	if s.presenceNote != "" {
		msg += " · " + s.presenceNote
	}
	return msg
}

// fitANSI cuts or pads a styled string to exactly w cells.
func fitANSI(s string, w int) string {
	return safetext.Fit(s, w)
}
