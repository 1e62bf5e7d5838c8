package ui

import (
	"strconv"
	"strings"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// maxDepth bounds tree walks, so a hostile parent chain cannot loop.
const maxDepth = 64

// treeRow is one visible line of the department tree.
type treeRow struct {
	id, depth int
	children  bool
}

// tree is the department pane: which departments are expanded, the rows they
// make visible, and the highlighted department (kept by ID, not by index).
// Its offset follows the highlight whenever either changes, or its size.
type tree struct {
	*common
	expanded map[int]bool
	rows     []treeRow
	sel      int // department ID
	idx      int // index of sel in rows
	off      int // first visible row
	h        int // visible rows
	builds   int // how many times rows were laid out (a test counts them)
}

func newTree(c *common) tree { return tree{common: c, expanded: map[int]bool{}} }

// setSize gives the pane h visible rows.
func (t *tree) setSize(h int) {
	t.h = h
	t.scroll()
}

// scroll keeps the highlighted row in sight.
func (t *tree) scroll() { ensureVisible(&t.off, t.idx, t.h, len(t.rows)) }

// rebuild lays out the visible rows of org and finds sel again.
func (t *tree) rebuild(org *directory.Org) {
	t.builds++
	t.rows = t.rows[:0]
	seen := map[int]bool{}
	var walk func(ids []int, depth int)
	walk = func(ids []int, depth int) {
		for _, id := range ids {
			d := org.Department(id)
			if d == nil || seen[id] {
				continue
			}
			seen[id] = true
			t.rows = append(t.rows, treeRow{id: id, depth: depth, children: len(d.Children) > 0})
			if t.expanded[id] && depth < maxDepth {
				walk(d.Children, depth+1)
			}
		}
	}
	walk(org.Roots(), 0)
	if len(t.pinned) > 0 && len(t.rows) > 0 {
		t.rows = append([]treeRow{{id: favouritesID}}, t.rows...)
	}
	t.find()
}

// find sets idx from sel; when sel is gone it keeps the index (clamped).
func (t *tree) find() {
	defer t.scroll()
	for i, r := range t.rows {
		if r.id == t.sel {
			t.idx = i
			return
		}
	}
	if t.sel == 0 && len(t.rows) > 1 && t.rows[0].id == favouritesID {
		t.idx = max(t.idx, 1) // the browser starts on the top department, below the favourites
	}
	t.idx = clamp(t.idx, 0, len(t.rows)-1)
	t.sel = 0
	if len(t.rows) > 0 {
		t.sel = t.rows[t.idx].id
	}
}

// move shifts the highlight by n rows and returns the new department ID.
func (t *tree) move(n int) int {
	if len(t.rows) == 0 {
		return t.sel
	}
	t.idx = clamp(t.idx+n, 0, len(t.rows)-1)
	t.sel = t.rows[t.idx].id
	t.scroll()
	return t.sel
}

// reveal expands every ancestor of id so it becomes visible.
func (t *tree) reveal(org *directory.Org, id int) {
	d := org.Department(id)
	for i := 0; d != nil && d.ParentID != 0 && i < maxDepth; i++ {
		t.expanded[d.ParentID] = true
		d = org.Department(d.ParentID)
	}
}

// toggle expands or collapses a department.
func (t *tree) toggle(id int) {
	t.expanded[id] = !t.expanded[id]
	t.rebuild(t.org)
}

// treeMove is what a key did in the tree, for the Model to follow.
type treeMove int

const (
	treeStill  treeMove = iota // nothing the Model must follow
	treeMoved                  // another department is highlighted
	treeToList                 // the focus goes to the people pane
)

// update handles a key of the tree pane; page is how many rows a page key moves.
func (t *tree) update(k tea.KeyMsg, page int) treeMove {
	keys := &t.keys
	n := len(t.rows)
	before := t.sel
	d, cursor := keys.cursor().step(k, page, n)
	switch {
	case cursor:
		t.move(d)
	case key.Matches(k, keys.Right):
		if t.idx >= n {
			return treeStill
		}
		r := t.rows[t.idx]
		switch {
		case r.children && !t.expanded[r.id]:
			t.toggle(r.id)
		case r.children:
			t.move(1)
		default:
			return treeToList
		}
	case key.Matches(k, keys.Left):
		if t.idx >= n {
			return treeStill
		}
		r := t.rows[t.idx]
		if r.children && t.expanded[r.id] {
			t.toggle(r.id)
			return treeStill
		}
		if d := t.org.Department(r.id); d != nil && d.ParentID != 0 {
			t.sel = d.ParentID
			t.find()
		}
	case key.Matches(k, keys.Enter):
		return treeToList
	}
	if t.sel != before {
		return treeMoved
	}
	return treeStill
}

// view draws h rows of w cells: the rows in sight, or what the pane waits
// for (loading) or why it has nothing (failure).
func (t *tree) view(w, h int, focused, loading bool, failure string) []string {
	lines := make([]string, 0, h)
	if len(t.rows) == 0 {
		msg := "no departments"
		if loading {
			msg = ansi.Strip(t.spin.View()) + " loading departments…" // plain: the row measures it
		} else if failure != "" {
			return t.paneFailure(failure, w, h)
		}
		return fill(append(lines, t.st.muted.on(cell(" "+msg, w))), w, h)
	}
	for i := t.off; i < len(t.rows) && len(lines) < h; i++ {
		lines = append(lines, t.rowView(t.rows[i], i == t.idx, focused, w))
	}
	return fill(lines, w, h)
}

// rowView draws one row of the tree in w cells, or takes the row the
// last frame drew.
func (t *tree) rowView(r treeRow, selected, focused bool, w int) string {
	count := t.org.HeadCount(r.id)
	if r.id == favouritesID {
		count = len(t.pinned)
	}
	k := treeRowKey{row: r, dept: t.org.Department(r.id), count: count, expanded: t.expanded[r.id],
		selected: selected, focused: focused, w: w}
	return t.drawn.treeRows.draw(k, t.drawRow)
}

// drawRow draws the row of k.
func (t *tree) drawRow(k treeRowKey) string {
	r, d, selected, focused, w := k.row, k.dept, k.selected, k.focused, k.w
	name := ""
	if d != nil {
		name = named(d.Name)
	} else if r.id == favouritesID {
		name = "★ Favourites"
	}
	cursor := " "
	if selected {
		cursor = "›"
	}
	indent := min(2*r.depth, max(0, (w-6)/2))
	arrow := "  "
	if r.children {
		arrow = "▸ "
		if k.expanded {
			arrow = "▾ "
		}
	}
	count := strconv.Itoa(k.count)
	lead := cursor + strings.Repeat(" ", indent) + arrow
	rest := w - safetext.Width(lead)
	var text string
	if rest >= len(count)+4 {
		text = lead + cell(name, rest-len(count)-1) + " " + count
	} else {
		text = cell(lead+name, w)
	}
	text = cell(text, w)
	switch {
	case selected && focused:
		return t.st.selected.on(text)
	case selected:
		return t.st.selectedBlur.on(text)
	}
	return text
}

// ensureVisible scrolls *off so row idx of n is inside a window of h rows.
func ensureVisible(off *int, idx, h, n int) {
	if h <= 0 {
		return
	}
	if idx < *off {
		*off = idx
	}
	if idx >= *off+h {
		*off = idx - h + 1
	}
	*off = clamp(*off, 0, max(0, n-h))
}

// fill pads lines with blank rows up to h and cuts it to h.
func fill(lines []string, w, h int) []string {
	if len(lines) > h {
		return lines[:h]
	}
	blank := strings.Repeat(" ", w)
	for len(lines) < h {
		lines = append(lines, blank)
	}
	return lines
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return max(lo, min(v, hi))
}
