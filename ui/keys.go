package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap is every binding of the screen. It implements help.KeyMap.
type KeyMap struct {
	Up, Down, Left, Right, PageUp, PageDown, Home, End key.Binding
	Tab, Enter, Back, Search, Copy, CopyMenu, Refresh  key.Binding
	Errors, Help, Quit                                 key.Binding

	// Subtree switches the people pane between a department's own members
	// and everyone below it.
	Subtree key.Binding
	// The reporting lines (orgchart.go): jump to the highlighted person's
	// manager; the org chart of the highlighted department.
	Manager, OrgChart key.Binding
	// Caller, in the search view, looks the number typed up among the
	// portal's CRM clients and jumps to the responsible employee.
	Caller key.Binding
	// Pin pins the highlighted person to the Favourites (or unpins them),
	// in the browser and in search results (favourites.go).
	Pin key.Binding
	// Link highlights the next of the highlighted person's links in the
	// details (profile, phones, e-mail, chat); the status bar shows where
	// it leads.
	Link key.Binding

	// lang is the language of the help's words (nil: English); Localize
	// sets it.
	lang *lang.Language
}

// DefaultKeyMap returns the default bindings: arrows and vim keys, page
// up/down, home/end (g/G), tab, enter, esc, /, y, Y, r, e, ?, q and ctrl+c;
// a for the whole subtree; m (manager) and o (org chart); ctrl+r (in the
// search view: the caller's CRM client); f and alt+f (pin; alt+f in the
// search, whose field takes letters); L (next link).
func DefaultKeyMap() KeyMap {
	b := func(keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), ""))
	}
	k := KeyMap{
		Up:       b("up", "k"),
		Down:     b("down", "j"),
		Left:     b("left", "h"),
		Right:    b("right", "l"),
		PageUp:   b("pgup", "ctrl+b"),
		PageDown: b("pgdown", "ctrl+f"),
		Home:     b("home", "g"),
		End:      b("end", "G"),
		Tab:      b("tab"),
		Enter:    b("enter"),
		Back:     b("esc"),
		Search:   b("/"),
		Copy:     b("y"),
		CopyMenu: b("Y"),
		Refresh:  b("r"),
		Errors:   b("e"),
		Help:     b("?"),
		Quit:     b("q", "ctrl+c"),

		Subtree:  b("a"),
		Manager:  b("m"),
		OrgChart: b("o"),
		Caller:   b("ctrl+r"),
		Pin:      b("f", "alt+f"),
		Link:     b("L"),
	}
	k.Localize(lang.English())
	return k
}

// Localize says every binding's help in l, each from the catalog's
// "key.<action>" message; the keys stay as they are. Each session's
// browser does it on its own copy of the key map.
func (k *KeyMap) Localize(l *lang.Language) {
	k.lang = l
	for _, a := range k.actions() {
		a.b.SetHelp(a.b.Help().Key, l.T("key."+a.name))
	}
}

// word is the catalog's message id in the key map's language.
func (k KeyMap) word(id string) string {
	if k.lang == nil {
		return lang.English().T(id)
	}
	return k.lang.T(id)
}

// ActionNames lists the action names Rebind accepts, in help order.
func ActionNames() []string {
	var k KeyMap
	names := make([]string, 0, 22)
	for _, a := range k.actions() {
		names = append(names, a.name)
	}
	return names
}

type action struct {
	name string
	b    *key.Binding
}

// actions names every binding of k, for Rebind.
func (k *KeyMap) actions() []action {
	return []action{
		{"up", &k.Up}, {"down", &k.Down}, {"left", &k.Left}, {"right", &k.Right},
		{"pageup", &k.PageUp}, {"pagedown", &k.PageDown}, {"home", &k.Home}, {"end", &k.End},
		{"tab", &k.Tab}, {"enter", &k.Enter}, {"back", &k.Back}, {"search", &k.Search},
		{"copy", &k.Copy}, {"copymenu", &k.CopyMenu}, {"refresh", &k.Refresh}, {"errors", &k.Errors},
		{"help", &k.Help}, {"quit", &k.Quit},
		{"subtree", &k.Subtree},
		{"manager", &k.Manager}, {"orgchart", &k.OrgChart}, {"caller", &k.Caller},
		{"pin", &k.Pin}, {"link", &k.Link},
	}
}

// Rebind replaces the keys of the named actions (see ActionNames). An
// unknown action or an empty key list is an error naming it; on error k is
// left unchanged.
func (k *KeyMap) Rebind(overrides map[string][]string) error {
	next := *k
	byName := map[string]*key.Binding{}
	for _, a := range next.actions() {
		byName[a.name] = a.b
	}
	var unknown, empty []string
	for name, keys := range overrides {
		b, ok := byName[strings.ToLower(strings.TrimSpace(name))]
		switch {
		case !ok:
			unknown = append(unknown, name)
		case len(nonEmpty(keys)) == 0:
			empty = append(empty, name)
		default:
			keys = nonEmpty(keys)
			b.SetKeys(keys...)
			b.SetHelp(helpKeys(keys), b.Help().Desc)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		id := "cli.keys.unknown"
		if len(unknown) > 1 {
			id = "cli.keys.unknowns"
		}
		return lang.NewError(id, "Names", quoteList(unknown), "Valid", strings.Join(ActionNames(), ", "))
	}
	if len(empty) > 0 {
		slices.Sort(empty)
		id := "cli.keys.empty"
		if len(empty) > 1 {
			id = "cli.keys.empties"
		}
		return lang.NewError(id, "Names", quoteList(empty))
	}
	*k = next
	return nil
}

// ShortHelp returns the bindings of the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	move := pair(k.Up, k.Down, k.word("key.pair.move"))
	if !k.Right.Enabled() { // the people pane, where left goes back to the tree
		return []key.Binding{move, k.Tab, k.Search, k.Copy, k.Refresh, pair(k.Left, k.Right, k.word("key.pair.tree")), k.Help, k.Quit}
	}
	return []key.Binding{
		move, pair(k.Left, k.Right, k.word("key.pair.expand")),
		k.Tab, k.Search, k.Copy, k.Refresh, k.Help, k.Quit,
	}
}

// FullHelp returns the bindings of the help screen, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Tab, k.Enter, k.Back, k.Search, k.Refresh, k.Errors, k.Subtree},
		{k.Copy, k.CopyMenu, k.Link, k.Help, k.Quit},
		{k.Manager, k.OrgChart, k.Caller, k.Pin},
	}
}

// searchKeys are the bindings of the search view: the key map's, without
// the keys the query field takes (letters, space, the editing keys), which
// type there instead. An action left with no key is disabled.
type searchKeys struct {
	Up, Down, PageUp, PageDown, Jump, Back, Caller, Pin key.Binding
	// Tab gives the keys to the results, where the key map's copy keys
	// act on the highlighted one.
	Tab  key.Binding
	move string // the help's word for up and down
}

// search derives the search view's bindings from k.
func (k KeyMap) search() searchKeys {
	s := searchKeys{
		Up: forField(k.Up), Down: forField(k.Down), PageUp: forField(k.PageUp), PageDown: forField(k.PageDown),
		Jump: forField(k.Enter), Back: forField(k.Back), Caller: forField(k.Caller), Tab: forField(k.Tab),
		Pin: forField(k.Pin),
	}
	s.Jump.SetHelp(s.Jump.Help().Key, k.word("key.pair.jump"))
	s.Caller.SetHelp(s.Caller.Help().Key, k.word("key.pair.caller"))
	s.Tab.SetHelp(s.Tab.Help().Key, k.word("key.pair.results"))
	s.Pin.SetHelp(s.Pin.Help().Key, k.word("key.pair.pin"))
	s.move = k.word("key.pair.move")
	return s
}

// forField is b without the keys the query field takes.
func forField(b key.Binding) key.Binding {
	var keys []string
	for _, name := range b.Keys() {
		if !fieldTakes(name) {
			keys = append(keys, name)
		}
	}
	if len(keys) == 0 {
		out := key.NewBinding(key.WithHelp("", b.Help().Desc))
		out.SetEnabled(false)
		return out
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), b.Help().Desc))
}

// searchHelp is the short help while the search view is open.
func (s searchKeys) searchHelp() []key.Binding {
	return []key.Binding{pair(s.Up, s.Down, s.move), s.Jump, s.Tab, s.Caller, s.Back, s.Pin}
}

// pair joins two bindings into one help entry such as "↑↓ move" (or
// "ctrl+p/ctrl+n move" for names longer than a glyph); an entry of which
// one side is disabled shows the other side alone.
func pair(a, b key.Binding, desc string) key.Binding {
	var keys, names []string
	for _, x := range []key.Binding{a, b} {
		if x.Enabled() {
			keys = append(keys, x.Keys()...)
			names = append(names, firstKey(x.Help().Key))
		}
	}
	sep := ""
	for _, n := range names {
		if safetext.Width(n) > 1 {
			sep = "/"
		}
	}
	p := key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(names, sep), desc))
	p.SetEnabled(len(names) > 0)
	return p
}

func firstKey(h string) string {
	if i := strings.Index(h, "/"); i > 0 {
		return h[:i]
	}
	return h
}

// helpKeys renders key names for help: arrows as glyphs, joined by "/".
func helpKeys(keys []string) string {
	glyph := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", " ": "space"}
	out := make([]string, len(keys))
	for i, k := range keys {
		if g, ok := glyph[k]; ok {
			k = g
		}
		out[i] = k
	}
	if slices.Contains(keys, "/") {
		return strings.Join(out, ",")
	}
	return strings.Join(out, "/")
}

func nonEmpty(keys []string) []string {
	var out []string
	for _, k := range keys {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// updateKeybindings enables the bindings that can act in the model's state
// and disables the others, so that the help and the footer show only what
// works (and a disabled key does nothing).
func (m *Model) updateKeybindings() {
	k, sk := &m.keys, &m.skeys
	normal := m.mode == modeNormal
	p := m.people.current()
	t := m.copyTarget() // p, or the search's highlighted result
	k.Copy.SetEnabled(t != nil)
	k.CopyMenu.SetEnabled(m.mode == modeCopy || t != nil && (m.addr.Known() || len(m.copyItems(t)) > 0))
	k.Subtree.SetEnabled(m.org.Department(m.tree.sel) != nil)
	k.Manager.SetEnabled(p != nil)
	// Anyone with a phone or an e-mail has a link, and everyone has a
	// profile once the portal's address is known (without building them:
	// this runs on every update). In the search it walks the highlighted
	// result's links.
	k.Link.SetEnabled(t != nil && (m.addr.Known() || t.Extension != "" || t.WorkPhone != "" || t.Mobile != "" || t.Email != ""))
	k.OrgChart.SetEnabled(m.tree.sel > 0)
	k.Pin.SetEnabled(t != nil)
	inTree := m.focus == paneTree && len(m.tree.rows) > 0
	k.Right.SetEnabled(!normal || inTree)
	k.Enter.SetEnabled(!normal || inTree)
	results := len(m.search.results) > 0
	for _, b := range []*key.Binding{&sk.Up, &sk.Down, &sk.PageUp, &sk.PageDown, &sk.Jump, &sk.Tab} {
		b.SetEnabled(results)
	}
	sk.Caller.SetEnabled(m.dir != nil && len(sk.Caller.Keys()) > 0 && strings.ContainsAny(m.search.input.value(), "0123456789"))
	sk.Pin.SetEnabled(results && len(sk.Pin.Keys()) > 0)
}

// cursorKeys are the bindings that move a list's cursor; a zero binding
// (the search view has no home or end) matches no key.
type cursorKeys struct {
	up, down, pageUp, pageDown, home, end key.Binding
}

// cursor is k's list-cursor bindings.
func (k *KeyMap) cursor() cursorKeys {
	return cursorKeys{up: k.Up, down: k.Down, pageUp: k.PageUp, pageDown: k.PageDown, home: k.Home, end: k.End}
}

// cursor is the search view's list-cursor bindings.
func (k *searchKeys) cursor() cursorKeys {
	return cursorKeys{up: k.Up, down: k.Down, pageUp: k.PageUp, pageDown: k.PageDown}
}

// step is how many rows msg moves the cursor of a list of n rows whose
// pages are page rows long; ok is false when msg moves no cursor.
func (c cursorKeys) step(msg tea.KeyMsg, page, n int) (rows int, ok bool) {
	switch {
	case key.Matches(msg, c.up):
		return -1, true
	case key.Matches(msg, c.down):
		return 1, true
	case key.Matches(msg, c.pageUp):
		return -page, true
	case key.Matches(msg, c.pageDown):
		return page, true
	case key.Matches(msg, c.home):
		return -n, true
	case key.Matches(msg, c.end):
		return n, true
	}
	return 0, false
}
