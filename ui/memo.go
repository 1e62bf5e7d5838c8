package ui

import "github.com/b24org/b24org/directory"

// rowMemo keeps the rows of the last frame by what they are drawn from, so
// that a frame draws only the rows that changed: a cursor move changes two.
// The key must hold everything a row depends on.
type rowMemo[K comparable] struct {
	last, next map[K]string
}

// get returns the row of k if the last frame drew it, and keeps it for the next.
func (c *rowMemo[K]) get(k K) (string, bool) {
	s, ok := c.last[k]
	if ok {
		c.put(k, s)
	}
	return s, ok
}

// put keeps row s of k for the next frame.
func (c *rowMemo[K]) put(k K, s string) {
	if c.next == nil {
		c.next = map[K]string{}
	}
	c.next[k] = s
}

// draw is the row of k: the one kept, or drawn by drawRow and kept.
func (c *rowMemo[K]) draw(k K, drawRow func(K) string) string {
	if row, ok := c.get(k); ok {
		return row
	}
	row := drawRow(k)
	c.put(k, row)
	return row
}

// endFrame forgets the rows the frame just drawn did not use.
func (c *rowMemo[K]) endFrame() {
	c.last, c.next = c.next, c.last
	clear(c.next)
}

// treeRowKey is what a row of the tree is drawn from (with the styles and
// the Model's settings, which do not change).
type treeRowKey struct {
	row                         treeRow
	dept                        *directory.Department // immutable: a rename is another one
	count                       int
	expanded, selected, focused bool
	w                           int
}

// personRowKey is what a row of the people list is drawn from (with the
// Model's links setting and its portal's address, which do not change: a
// Directory serves one portal).
type personRowKey struct {
	person                  *directory.Person // immutable: new data is another one
	cols                    personCols
	badge                   badge
	head, selected, focused bool
	headNote                string // why a head is marked: "" (a member), "left", "not a member"
	where                   string // the row's department in a whole subtree ("" when not shown)
	w                       int
}
