package ui

import "github.com/b24org/b24org/directory"

// linkWalk is where the Link key is among a person's links (personLinks):
// link number idx of person of is highlighted in the details while of is
// the highlighted person. The people pane and the search's results each
// keep one.
type linkWalk struct{ of, idx int }

// at is the link of p the walk highlights, or none.
func (w linkWalk) at(c *common, p *directory.Person) personLink {
	if p == nil || w.of != p.ID {
		return personLink{}
	}
	links := c.personLinks(p)
	if w.idx < 0 || w.idx >= len(links) {
		return personLink{}
	}
	return links[w.idx]
}

// next highlights p's next link; after the last, none.
func (w *linkWalk) next(c *common, p *directory.Person) {
	if p == nil {
		return
	}
	i := -1
	if w.of == p.ID {
		i = w.idx
	}
	i++
	if i >= len(c.personLinks(p)) {
		i = -1
	}
	w.of, w.idx = p.ID, i
}

// pick highlights p's link to url, if they have one.
func (w *linkWalk) pick(c *common, p *directory.Person, url string) {
	if p == nil || url == "" {
		return
	}
	for i, l := range c.personLinks(p) {
		if l.url == url {
			w.of, w.idx = p.ID, i
			return
		}
	}
}

// follow forgets the walk when p is not the person it is on: another
// person's links start unhighlighted, and so do the same person's when
// the highlight comes back to them.
func (w *linkWalk) follow(p *directory.Person) {
	if p == nil || p.ID != w.of {
		*w = linkWalk{}
	}
}
