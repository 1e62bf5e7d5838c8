package ui

import (
	"github.com/charmbracelet/x/ansi"
	"strconv"
	"strings"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
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
type tree struct {
	expanded map[int]bool
	rows     []treeRow
	sel      int // department ID
	idx      int // index of sel in rows
	off      int // first visible row
	builds   int // how many times rows were laid out (a test counts them)
}

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
	t.find()
}

// find sets idx from sel; when sel is gone it keeps the index (clamped).
func (t *tree) find() {
	for i, r := range t.rows {
		if r.id == t.sel {
			t.idx = i
			return
		}
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

// treeView draws h rows of w cells.
func (m *Model) treeView(w, h int, focused bool) []string {
	t := &m.tree
	lines := make([]string, 0, h)
	if len(t.rows) == 0 {
		msg := "no departments"
		if m.treeLoading {
			msg = ansi.Strip(m.spin.View()) + " loading departments…" // plain: the row measures it
		} else if m.treeErr != "" {
			return m.paneFailure(m.treeErr, w, h)
		}
		return fill(append(lines, m.st.muted.on(cell(" "+msg, w))), w, h)
	}
	ensureVisible(&t.off, t.idx, h, len(t.rows))
	for i := t.off; i < len(t.rows) && len(lines) < h; i++ {
		lines = append(lines, m.treeRowView(t.rows[i], i == t.idx, focused, w))
	}
	return fill(lines, w, h)
}

// treeRowView draws one row of the tree in w cells, or takes the row the
// last frame drew.
func (m *Model) treeRowView(r treeRow, selected, focused bool, w int) string {
	k := treeRowKey{row: r, dept: m.org.Department(r.id), count: m.org.HeadCount(r.id), expanded: m.tree.expanded[r.id],
		selected: selected, focused: focused, w: w}
	if row, ok := m.treeRows.get(k); ok {
		return row
	}
	row := m.drawTreeRow(k)
	m.treeRows.put(k, row)
	return row
}

// drawTreeRow draws the row of k.
func (m *Model) drawTreeRow(k treeRowKey) string {
	r, d, selected, focused, w := k.row, k.dept, k.selected, k.focused, k.w
	name := ""
	if d != nil {
		name = named(d.Name)
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
		return m.st.selected.on(text)
	case selected:
		return m.st.selectedBlur.on(text)
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
