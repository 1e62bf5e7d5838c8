package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// KeyMap is every binding of the screen. It implements help.KeyMap.
type KeyMap struct {
	Up, Down, Left, Right, PageUp, PageDown, Home, End key.Binding
	Tab, Enter, Back, Search, Copy, CopyMenu, Refresh  key.Binding
	Errors, Help, Quit                                 key.Binding
}

// DefaultKeyMap returns the default bindings: arrows and vim keys, page
// up/down, home/end (g/G), tab, enter, esc, /, y, Y, r, e, ?, q and ctrl+c.
func DefaultKeyMap() KeyMap {
	b := func(desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), desc))
	}
	return KeyMap{
		Up:       b("up", "up", "k"),
		Down:     b("down", "down", "j"),
		Left:     b("collapse / parent", "left", "h"),
		Right:    b("expand / child", "right", "l"),
		PageUp:   b("page up", "pgup", "ctrl+b"),
		PageDown: b("page down", "pgdown", "ctrl+f"),
		Home:     b("first", "home", "g"),
		End:      b("last", "end", "G"),
		Tab:      b("switch pane", "tab"),
		Enter:    b("open / jump", "enter"),
		Back:     b("back", "esc"),
		Search:   b("search", "/"),
		Copy:     b("copy ext", "y"),
		CopyMenu: b("copy…", "Y"),
		Refresh:  b("refresh", "r"),
		Errors:   b("error details", "e"),
		Help:     b("help", "?"),
		Quit:     b("quit", "q", "ctrl+c"),
	}
}

// ActionNames lists the action names Rebind accepts, in help order.
func ActionNames() []string {
	var k KeyMap
	names := make([]string, 0, 18)
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
		return fmt.Errorf("unknown key action %s (valid: %s)", quoteList(unknown), strings.Join(ActionNames(), ", "))
	}
	if len(empty) > 0 {
		slices.Sort(empty)
		return fmt.Errorf("no keys given for action %s", quoteList(empty))
	}
	*k = next
	return nil
}

// ShortHelp returns the bindings of the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		pair(k.Up, k.Down, "move"), pair(k.Left, k.Right, "collapse/expand"),
		k.Tab, k.Search, k.Copy, k.Refresh, k.Help, k.Quit,
	}
}

// FullHelp returns the bindings of the help screen, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Tab, k.Enter, k.Back, k.Search, k.Refresh, k.Errors},
		{k.Copy, k.CopyMenu, k.Help, k.Quit},
	}
}

// searchHelp is the short help while the search view is open.
func (k KeyMap) searchHelp() []key.Binding {
	jump := k.Enter
	jump.SetHelp(jump.Help().Key, "jump")
	return []key.Binding{pair(k.Up, k.Down, "move"), jump, k.Back}
}

// pair joins two bindings into one help entry such as "↑↓ move".
func pair(a, b key.Binding, desc string) key.Binding {
	p := key.NewBinding(key.WithKeys(append(a.Keys(), b.Keys()...)...),
		key.WithHelp(firstKey(a.Help().Key)+firstKey(b.Help().Key), desc))
	p.SetEnabled(a.Enabled() || b.Enabled())
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
