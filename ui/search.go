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
// and the highlighted one. Its offset follows the highlight whenever
// either changes, or its size.
type search struct {
	*common
	input   lineEdit
	results []*directory.Person
	idx     int
	off     int
	seq     int    // the newest query's sequence number
	remote  bool   // results come from the portal, not the local index
	pending bool   // a portal search for seq is waiting or running
	err     string // the portal search failed

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

	h int // the rows of the view's inside
}

func newSearch(c *common) search { return search{common: c} }

// setSize gives the view's inside h rows.
func (s *search) setSize(h int) {
	s.h = h
	s.scroll()
}

// scroll keeps the highlighted result in sight.
func (s *search) scroll() { ensureVisible(&s.off, s.idx, s.h-searchTop, len(s.results)) }

// searchLocal answers q from org, the first limit results.
func (s *search) searchLocal(org *directory.Org, q string, limit int) {
	matches, total := org.SearchCount(q, limit)
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
	s.scroll()
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
	searchStill   searchDid = iota
	searchClose             // back to the browser
	searchJump              // to the highlighted result
	searchChanged           // the query changed: search again
)

// update handles a key of the search view: its bindings (searchKeys),
// else the query field.
func (s *search) update(k tea.KeyMsg) searchDid {
	sk := &s.skeys
	d, cursor := sk.cursor().step(k, searchPageRows, len(s.results))
	switch {
	case key.Matches(k, sk.Back):
		return searchClose
	case cursor:
		s.move(d)
	case key.Matches(k, sk.Jump):
		if s.current() != nil {
			return searchJump
		}
	default:
		if s.input.update(k) {
			return searchChanged
		}
	}
	return searchStill
}

func (s *search) current() *directory.Person {
	if s.idx < 0 || s.idx >= len(s.results) {
		return nil
	}
	return s.results[s.idx]
}

// view draws the inside of the search box, w×h: the input, a status line,
// then the results.
func (s *search) view(w, h int) []string {
	lines := []string{" " + s.input.view("/ ", "name, position, e-mail or extension", w-1, s.st)}
	var status string
	switch {
	case s.err != "":
		status = s.st.errp.on(cell(" portal search failed: "+s.err+" (edit the query to retry)", w))
	case s.pending:
		status = s.st.muted.on(" "+s.spin.View()) + s.st.muted.on(cell(" searching the portal…", w-2))
	case s.input.value() == "":
		msg := " search the whole company"
		if !s.org.Complete() {
			msg += " (asks the portal until the directory is loaded)"
		}
		status = s.st.muted.on(cell(msg, w))
	default:
		status = s.st.muted.on(cell(" "+s.counted(), w))
	}
	lines = append(lines, status)
	r := w - 1
	ext, path, pos := 0, 0, 0
	if r >= 30 {
		ext = 10
	}
	rem := r - ext
	if rem >= 40 {
		path = rem * 2 / 5
	}
	if rem-path >= 40 {
		pos = (rem - path) / 2
	}
	name := rem - path - pos - 2 // after the presence glyph
	now := s.now()
	for i := s.off; i < len(s.results) && len(lines) < h; i++ {
		p := s.results[i]
		e := ""
		if p.Extension != "" {
			e = "ext " + p.Extension
		}
		b := badgeOf(p, now, s.threshold)
		row := cell(named(p.Name), name-1) + " "
		if pos > 0 {
			row += cell(p.Position, pos-1) + " "
		}
		if ext > 0 {
			row += cell(e, ext-1) + " "
		}
		if path > 0 {
			row += cell(strings.Join(s.personPath(p), directory.PathSeparator), path)
		}
		switch {
		case i == s.idx:
			lines = append(lines, s.st.selected.on(cell("›"+b.glyph+" "+row, w)))
		case w < 4:
			lines = append(lines, cell(" "+b.glyph+" "+row, w))
		default:
			lines = append(lines, " "+s.badgePaint(b.kind).on(cell(b.glyph, 1))+" "+cell(row, max(0, w-3)))
		}
	}
	return fill(lines, w, h)
}

// counted says how many results the query has: "3 matches", "no matches",
// "200 of 1,234 matches (move past the last for more)", where they came
// from, and the keyboard layout of the ones that matched only retyped.
func (s *search) counted() string {
	n := len(s.results)
	msg := directory.Count(n, "match", "matches")
	if n == 0 {
		msg = "no matches"
	}
	if s.remote {
		msg += " from the portal (the directory is still loading)"
	} else if s.total > n {
		msg = directory.Thousands(n) + " of " + directory.Thousands(s.total) + " matches (move past the last for more)"
	}
	if !s.remote && s.layoutN > 0 {
		// What matched only as retyped on the other keyboard layout
		// comes last.
		if s.layoutN < n {
			msg += ", the last " + directory.Thousands(s.layoutN)
		}
		msg += " · layout: " + safetext.Clean(s.layout)
	}
	return msg
}

// fitANSI cuts or pads a styled string to exactly w cells.
func fitANSI(s string, w int) string {
	return safetext.Fit(s, w)
}
