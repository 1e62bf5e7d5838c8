package ui

import (
	"strings"

	"github.com/b24org/b24org/directory"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// helpScreen is the help: the full help generated from the key map, its
// columns side by side as far as the width allows, then what the search
// view and the copy menu take. It scrolls when it does not fit.
type helpScreen struct {
	*common
	off  int // the first line shown
	w, h int // the inside of its box
}

func newHelpScreen(c *common) helpScreen { return helpScreen{common: c} }

// setSize gives the help's inside w×h cells.
func (v *helpScreen) setSize(w, h int) {
	v.w, v.h = w, h
	v.scroll(0)
}

// scroll moves the first line shown by n, within the lines there are.
func (v *helpScreen) scroll(n int) {
	v.off = clamp(v.off+n, 0, len(v.lines(v.w))-v.h)
}

// pageDid is what a key did in a view that takes the whole screen (the
// help, the org chart), for the Model to follow.
type pageDid int

const (
	pageStill pageDid = iota
	pageClose
	pageQuit
)

// pageKey is what k does in a view of n lines, h of them shown, that back
// or its own key closes: it closes, quits, or scrolls (by the cursor keys'
// step, a page being a screen less a line).
func pageKey(k tea.KeyMsg, keys *KeyMap, own key.Binding, h, n int, scroll func(int)) pageDid {
	switch {
	case key.Matches(k, keys.Back, own):
		return pageClose
	case key.Matches(k, keys.Quit):
		return pageQuit
	}
	if d, ok := keys.cursor().step(k, max(1, h-1), n); ok {
		scroll(d)
	}
	return pageStill
}

// update handles a key of the help.
func (v *helpScreen) update(k tea.KeyMsg) pageDid {
	return pageKey(k, &v.keys, v.keys.Help, v.h, len(v.lines(v.w)), v.scroll)
}

// view draws the help's inside, w×h, from the first line shown.
func (v *helpScreen) view(w, h int) []string {
	out := v.lines(w)
	return fill(out[clamp(v.off, 0, len(out)-h):], w, h)
}

// lines are every line of the help at width w.
func (v *helpScreen) lines(w int) []string {
	hm := v.help
	hm.Width = 0 // measure whole columns; the rows below fit them to w
	sep := lipgloss.Width(hm.FullSeparator)
	var rows [][][]key.Binding
	used := 0
	for _, g := range v.keys.FullHelp() {
		gw := lipgloss.Width(hm.FullHelpView([][]key.Binding{g}))
		if len(rows) == 0 || used+sep+gw > w-1 {
			rows = append(rows, nil)
			used = -sep
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], g)
		used += sep + gw
	}
	var out []string
	for i, r := range rows {
		if i > 0 {
			out = append(out, cell("", w))
		}
		for _, l := range strings.Split(hm.FullHelpView(r), "\n") {
			out = append(out, fitANSI(" "+l, w))
		}
	}
	out = append(out, cell("", w))
	for _, prose := range append([]string{v.searchProse()}, v.moreProse()...) {
		for _, l := range wrap(prose, w-2) { // the help scrolls, so a narrow screen gets more lines, not cut ones
			out = append(out, v.st.muted.on(cell(" "+l, w)))
		}
	}
	return out
}

// copyProse is the help's sentence on the copy menu, its letters as the
// menu has them (copyKeys).
func (v *helpScreen) copyProse() string {
	all := v.allCopyItems(&directory.Person{})
	var parts []string
	for i, letter := range v.copyKeys(all) {
		if letter != "" {
			parts = append(parts, letter+" "+v.copyWord(all[i][0]))
		}
	}
	return v.lang.T("help.copymenu", "Key", keyName(v.keys.CopyMenu), "Items", strings.Join(parts, ", "), "Link", keyName(v.keys.Link))
}

// moreProse is the help's sentences after the one on the search view's
// keys (searchProse): the query language, the copy menu, what copying
// needs, the favourites.
func (v *helpScreen) moreProse() []string {
	return []string{
		strings.Join(strings.Fields(v.lang.T("query.help")), " "),
		v.copyProse(),
		v.lang.T("help.osc52"),
		v.lang.T("help.favourites", "Key", keyName(v.keys.Pin)),
	}
}

// searchProse is the help's sentence on the search view's keys.
func (v *helpScreen) searchProse() string {
	sk := v.keys.search() // each binding as it is when it can act
	l := v.lang
	parts := []string{l.T("help.search.type")}
	if mv := pair(sk.Up, sk.Down, ""); mv.Enabled() {
		parts = append(parts, l.T("help.search.move", "Key", mv.Help().Key))
	}
	if len(sk.Jump.Keys()) > 0 {
		parts = append(parts, l.T("help.search.jump", "Key", keyName(sk.Jump)))
	}
	if len(sk.Caller.Keys()) > 0 {
		parts = append(parts, l.T("help.search.caller", "Key", keyName(sk.Caller)))
	}
	if len(sk.Tab.Keys()) > 0 {
		pin := "" // the results' pin key, when the query's is another
		if keyName(v.keys.Pin) != keyName(sk.Pin) {
			pin = ", " + l.T("help.search.results.pin", "Key", keyName(v.keys.Pin))
		}
		parts = append(parts, l.T("help.search.results", "Tab", keyName(sk.Tab), "Copy", keyName(v.keys.Copy),
			"Menu", keyName(v.keys.CopyMenu), "Pin", pin, "Link", keyName(v.keys.Link), "Search", keyName(v.keys.Search)))
	}
	if len(sk.Back.Keys()) > 0 {
		parts = append(parts, l.T("search.title.back", "Key", keyName(sk.Back)))
	}
	if len(sk.Pin.Keys()) > 0 {
		parts = append(parts, l.T("help.search.pin", "Key", keyName(sk.Pin)))
	}
	return l.T("help.search", "Parts", strings.Join(parts, ", "))
}

// shortHelp is the one-line help of keys in at most w cells. The last two
// entries (help and quit) always show; each other entry shows, whole, when
// it still fits.
func (c *common) shortHelp(keys []key.Binding, w int) string {
	hm := c.help
	hm.Width = 0 // measure whole entries; the choice below fits them to w
	if len(keys) <= 2 {
		hm.Width = max(0, w)
		return hm.ShortHelpView(keys)
	}
	head, tail := keys[:len(keys)-2], keys[len(keys)-2:]
	var kept []key.Binding
	for _, b := range head {
		try := append(append(append([]key.Binding{}, kept...), b), tail...)
		if lipgloss.Width(hm.ShortHelpView(try)) <= w {
			kept = append(kept, b)
		}
	}
	hm.Width = max(0, w)
	return hm.ShortHelpView(append(kept, tail...))
}
