package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/b24org/b24org/directory"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rebound is a key for every action that no default binding uses, as a
// config file would give them.
var rebound = map[string][]string{
	"up": {"ctrl+p"}, "down": {"ctrl+n"}, "left": {"ctrl+o"}, "right": {"ctrl+l"},
	"pageup": {"f7"}, "pagedown": {"f8"}, "home": {"f9"}, "end": {"f10"},
	"tab": {"ctrl+t"}, "enter": {"ctrl+j"}, "back": {"ctrl+x"}, "search": {"s"},
	"copy": {"c"}, "copymenu": {"C"}, "refresh": {"f5"}, "errors": {"x"}, "help": {"f1"}, "quit": {"Q"},
	"subtree": {"f2"},
	"manager": {"M"}, "orgchart": {"O"}, "caller": {"f3"},
	"pin": {"ctrl+y"}, "link": {"f4"},
}

// namedKey is the key message whose String is name.
func namedKey(t *testing.T, name string) tea.KeyMsg {
	t.Helper()
	types := map[string]tea.KeyType{
		"ctrl+p": tea.KeyCtrlP, "ctrl+n": tea.KeyCtrlN, "ctrl+o": tea.KeyCtrlO, "ctrl+l": tea.KeyCtrlL,
		"f7": tea.KeyF7, "f8": tea.KeyF8, "f9": tea.KeyF9, "f10": tea.KeyF10, "ctrl+t": tea.KeyCtrlT,
		"ctrl+j": tea.KeyCtrlJ, "ctrl+x": tea.KeyCtrlX, "f5": tea.KeyF5, "f1": tea.KeyF1, "f2": tea.KeyF2, "f3": tea.KeyF3, "f4": tea.KeyF4,
		"ctrl+y": tea.KeyCtrlY,
	}
	k, ok := tea.KeyMsg{}, false
	if typ, found := types[name]; found {
		k, ok = tea.KeyMsg{Type: typ}, true
	} else {
		k = keyMsg(name)
		ok = true
	}
	require.True(t, ok)
	require.Equal(t, name, k.String(), "the message is the key")
	return k
}

// press types the keys named, which may be rebound ones.
func (h *harness) press(t *testing.T, names ...string) {
	for _, n := range names {
		h.send(namedKey(t, n))
	}
}

// defaultHints matches a default key shown as a hint: a key of the
// default map followed by what it does ("esc back", "r retry", "↑↓ move",
// "tab: people") or in brackets ("(Y)").
func defaultHints() *regexp.Regexp {
	def := DefaultKeyMap()
	labels := map[string]bool{"↑↓": true, "←→": true}
	descs := map[string]bool{}
	for _, a := range def.actions() {
		labels[a.b.Help().Key] = true
		for _, k := range a.b.Keys() {
			labels[helpKeys([]string{k})] = true
		}
		descs[strings.Fields(a.b.Help().Desc)[0]] = true
	}
	// the verbs of the prose hints
	for _, v := range []string{"move", "collapse/expand", "tree", "jump", "jumps", "closes", "retry", "retries", "goes",
		"scroll", "details", "copies", "cancels"} {
		descs[v] = true
	}
	quote := func(set map[string]bool) string {
		var out []string
		for s := range set {
			out = append(out, regexp.QuoteMeta(s))
		}
		return strings.Join(out, "|")
	}
	return regexp.MustCompile(`(?:^|[\s(·•,])(?:` + quote(labels) + `)(?::|\)| +(?:` + quote(descs) + `)(?:\s|$|[.,·]))`)
}

func TestEveryKeyShownIsTheRebound(t *testing.T) {
	keys := DefaultKeyMap()
	require.NoError(t, keys.Rebind(rebound))
	require.Len(t, rebound, len(ActionNames()), "every action is rebound")
	hints := defaultHints()
	require.Regexp(t, hints, "a · esc back", "the check sees a default hint")
	require.Regexp(t, hints, "Copy menu (Y): e", "the check sees a default hint")
	require.Regexp(t, hints, " ↑↓ move • / search", "the check sees a default hint")
	require.NotRegexp(t, hints, "→ 20 Jun · seen 2m ago", "an absence is no key")

	noDefault := func(t *testing.T, what, v string) {
		t.Helper()
		// descriptions that hold a "/" of their own
		text := strings.NewReplacer("open / jump", "open-jump", "collapse / parent", "collapse-parent",
			"expand / child", "expand-child").Replace(screenText(v))
		assert.NotRegexp(t, hints, text, "%s shows a default key: %q\n%s", what, hints.FindString(text), v)
	}
	newModel := func(o Options) *harness {
		o.Keys = keys
		h := newHarness(t, o)
		h.send(orgMsg{org: smallOrg()})
		return h
	}
	toEMEA := func(h *harness) {
		t.Helper()
		// Acme Corp ▾, Sales ▸, R&D, Empty: open Sales, then EMEA under it
		h.press(t, "ctrl+n", "ctrl+l", "ctrl+n")
		require.Equal(t, "EMEA", h.m.org.Department(h.m.tree.sel).Name, "the rebound keys move and expand")
	}

	t.Run("normal, footer and help", func(t *testing.T) {
		h := newModel(Options{})
		toEMEA(h)
		for _, w := range []int{120, 80} {
			h.send(tea.WindowSizeMsg{Width: w, Height: 30})
			v := h.view()
			noDefault(t, "the browser", v)
			lines := strings.Split(v, "\n")
			footer := lines[len(lines)-1]
			assert.Contains(t, footer, "f1 help", "%d", w)
			assert.Contains(t, footer, "Q quit", "%d", w)
			if w == 120 {
				assert.Contains(t, footer, "ctrl+p/ctrl+n move")
				assert.Contains(t, footer, "s search")
				assert.Contains(t, footer, "c copy ext", "a person is highlighted: copy acts")
			}
		}
		h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		h.press(t, "f1")
		require.Equal(t, modeHelp, h.m.mode)
		v := h.view()
		noDefault(t, "the help", v)
		text := screenText(v)
		assert.Contains(t, text, "Help · ctrl+x closes")
		assert.Contains(t, text, "In search: type to search, ctrl+p/ctrl+n move, ctrl+j jumps to the person, "+
			"f3 on a phone number: the caller's CRM client and its responsible employee, "+
			"ctrl+t gives the keys to the results, where, without leaving the search, c copies the extension, C opens the copy menu "+
			"and f4 highlights each link of the details in turn, the status bar showing where it leads (s back to the query), ctrl+x back, ctrl+y pins or unpins.")
		assert.Contains(t, text, "Favourites (ctrl+y on a person)")
		assert.Contains(t, text, "Copy menu (C):")
		for _, a := range keys.actions() {
			assert.Contains(t, text, a.b.Help().Key+" ", "the help shows %s", a.name)
		}
		h.keys("esc", "?")
		assert.Equal(t, modeHelp, h.m.mode, "esc and ? no longer close the help")
		h.press(t, "ctrl+x")
		assert.Equal(t, modeNormal, h.m.mode)
	})

	t.Run("one pane at a time", func(t *testing.T) {
		h := newModel(Options{})
		h.send(tea.WindowSizeMsg{Width: 50, Height: 20})
		v := h.view()
		noDefault(t, "one pane", v)
		assert.Contains(t, v, "ctrl+t: people")
		h.keys("tab")
		assert.Equal(t, paneTree, h.m.focus, "tab no longer switches")
		h.press(t, "ctrl+t")
		assert.Equal(t, panePeople, h.m.focus)
		assert.Contains(t, h.view(), "ctrl+t: tree")
	})

	t.Run("empty department", func(t *testing.T) {
		h := newModel(Options{})
		h.press(t, "f10") // Empty is last
		require.Equal(t, "Empty", h.m.org.Department(h.m.tree.sel).Name)
		v := h.view()
		noDefault(t, "an empty department", v)
		assert.Contains(t, v, "no people in this department")
		assert.NotContains(t, v, "copy ext", "nobody to copy: the copy key is not offered")
		assert.False(t, h.m.keys.Copy.Enabled())
		h.press(t, "C")
		assert.Equal(t, modeNormal, h.m.mode, "no copy menu without a person")
	})

	t.Run("load error with its fix, and the error view", func(t *testing.T) {
		h := newHarness(t, Options{Directory: wrongCodeDirectory(t), Keys: keys})
		h.init()
		require.NotEmpty(t, h.m.treeErr)
		for _, w := range []int{200, 120, 80, 60} {
			h.send(tea.WindowSizeMsg{Width: w, Height: 24})
			v := h.view()
			noDefault(t, "a failed load", v)
			assert.Contains(t, screenText(v), "f5 retry · x details", "%d", w)
		}
		h.keys("e")
		assert.Equal(t, modeNormal, h.m.mode, "e no longer opens the error view")
		h.press(t, "x")
		require.Equal(t, modeErrors, h.m.mode)
		v := h.view()
		noDefault(t, "the error view", v)
		text := screenText(v)
		assert.Contains(t, text, "Errors · ctrl+x back")
		assert.Contains(t, text, "f5 retries · ctrl+x goes back · ctrl+p/ctrl+n scroll")
		h.keys("esc")
		assert.Equal(t, modeErrors, h.m.mode, "esc no longer goes back")
		h.press(t, "ctrl+x")
		assert.Equal(t, modeNormal, h.m.mode)
	})

	t.Run("retry in the status bar", func(t *testing.T) {
		h := newModel(Options{})
		h.m.treeLoading = true
		h.send(RetryNotice(directory.RetryEvent{Method: "department.get", Attempt: 2, Max: 7}))
		noDefault(t, "a retry", h.view())
		assert.Contains(t, h.view(), "retrying (2/7)")
	})

	t.Run("search", func(t *testing.T) {
		h := newModel(Options{})
		h.keys("/")
		assert.Equal(t, modeNormal, h.m.mode, "/ no longer opens the search")
		h.press(t, "s")
		require.Equal(t, modeSearch, h.m.mode)
		noDefault(t, "an empty search", h.view())
		lines := strings.Split(h.view(), "\n")
		assert.NotContains(t, lines[len(lines)-1], "jump", "nothing to jump to: the footer does not offer it")
		h.typeText("a")
		require.NotEmpty(t, h.m.search.results)
		v := h.view()
		noDefault(t, "search results", v)
		assert.Contains(t, screenText(v), "Search the whole company · ctrl+j jumps · ctrl+x back")
		lines = strings.Split(v, "\n")
		assert.Contains(t, lines[len(lines)-1], "ctrl+p/ctrl+n move")
		assert.Contains(t, lines[len(lines)-1], "ctrl+j jump")
		h.keys("down", "pgdown")
		assert.Equal(t, 0, h.m.search.idx, "the arrows and page keys of the default map no longer move")
		h.press(t, "ctrl+n")
		assert.Equal(t, 1, h.m.search.idx)
		h.press(t, "f8", "f7")
		assert.Equal(t, 0, h.m.search.idx)
		h.keys("enter")
		assert.Equal(t, modeSearch, h.m.mode, "enter no longer jumps")
		h.keys("esc")
		assert.Equal(t, modeSearch, h.m.mode, "esc no longer goes back")
		want := h.m.search.results[0]
		h.press(t, "ctrl+j")
		assert.Equal(t, modeNormal, h.m.mode)
		assert.Equal(t, want.ID, h.m.people.sel, "the rebound enter jumps")
		h.press(t, "s")
		h.press(t, "ctrl+x")
		assert.Equal(t, modeNormal, h.m.mode)
	})

	t.Run("copy menu and copy", func(t *testing.T) {
		h := newModel(Options{})
		toEMEA(h)
		h.press(t, "ctrl+t")
		require.Equal(t, panePeople, h.m.focus)
		h.keys("y")
		assert.Empty(t, h.copied, "y no longer copies")
		h.keys("Y")
		assert.Equal(t, modeNormal, h.m.mode, "Y no longer opens the copy menu")
		h.press(t, "c")
		require.Len(t, h.copied, 1, "the rebound copy copies the extension")
		h.press(t, "C")
		require.Equal(t, modeCopy, h.m.mode)
		v := h.view()
		noDefault(t, "the copy menu", v)
		assert.Contains(t, v, "ctrl+j copies · ctrl+x cancels")
		h.keys("enter", "esc")
		assert.Equal(t, modeCopy, h.m.mode, "enter and esc no longer act in the menu")
		h.press(t, "ctrl+j")
		assert.Equal(t, modeNormal, h.m.mode)
		assert.Len(t, h.copied, 2, "the rebound enter copies")
	})

	t.Run("copy from a search result", func(t *testing.T) {
		h := newModel(Options{})
		h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		h.press(t, "s")
		h.typeText("dept:emea")
		require.NotEmpty(t, h.m.search.results)
		noDefault(t, "the search", h.view())
		assert.Contains(t, h.view(), "ctrl+t results: copy")
		h.keys("tab")
		assert.False(t, h.m.search.list, "tab no longer gives the keys to the results")
		h.press(t, "ctrl+t")
		require.True(t, h.m.search.list)
		v := h.view()
		noDefault(t, "the results", v)
		for _, want := range []string{"c copy ext", "C copy…", "s query", "ctrl+x back"} {
			assert.Contains(t, v, want)
		}
		h.keys("y")
		assert.Empty(t, h.copied, "y no longer copies: it types")
		assert.Equal(t, "dept:emeay", h.m.search.input.value())
		h.keys("backspace")
		h.press(t, "ctrl+t", "c")
		require.Len(t, h.copied, 1, "the rebound copy copies the result's extension")
		assert.Equal(t, h.m.search.current().Extension, h.copied[0])
		h.press(t, "C")
		require.Equal(t, modeCopy, h.m.mode)
		h.press(t, "ctrl+x")
		assert.Equal(t, modeSearch, h.m.mode, "the rebound back leaves the menu for the results")
		h.press(t, "s")
		assert.False(t, h.m.search.list, "the rebound search key goes back to the query")
	})

	t.Run("whole subtree", func(t *testing.T) {
		h := newModel(Options{})
		h.press(t, "ctrl+n") // Sales, with EMEA below it
		require.Equal(t, "Sales", h.m.org.Department(h.m.tree.sel).Name)
		h.keys("a")
		assert.False(t, h.m.people.subtree, "a no longer switches to the subtree")
		h.press(t, "f2")
		assert.True(t, h.m.people.subtree, "the rebound key does")
		v := h.view()
		noDefault(t, "a whole subtree", v)
		assert.Contains(t, v, "Sales · 5 people in all")
		h.press(t, "f2")
		assert.Contains(t, h.view(), "Sales · 1 person")
	})

	t.Run("manager and org chart", func(t *testing.T) {
		h := newModel(Options{})
		toEMEA(h)
		h.press(t, "ctrl+t")
		require.Equal(t, 30, h.m.people.current().ID, "Dora, the head of EMEA")
		h.keys("m")
		assert.Equal(t, 30, h.m.people.current().ID, "m no longer jumps to the manager")
		h.press(t, "M")
		assert.Equal(t, 20, h.m.people.current().ID, "the rebound key jumps to Борис, the head of Sales")
		h.keys("o")
		assert.Equal(t, modeNormal, h.m.mode, "o no longer opens the org chart")
		h.press(t, "O")
		require.Equal(t, modeOrgChart, h.m.mode)
		v := h.view()
		noDefault(t, "the org chart", v)
		assert.Contains(t, screenText(v), "Org chart · Sales · ctrl+x back")
		lines := strings.Split(v, "\n")
		assert.Contains(t, lines[len(lines)-1], "ctrl+p/ctrl+n scroll")
		h.keys("esc", "o")
		assert.Equal(t, modeOrgChart, h.m.mode, "esc and o no longer close it")
		h.press(t, "ctrl+x")
		assert.Equal(t, modeNormal, h.m.mode)
		h.press(t, "O", "O")
		assert.Equal(t, modeNormal, h.m.mode, "the rebound key closes it too")
	})

	t.Run("pin", func(t *testing.T) {
		h := newModel(Options{})
		toEMEA(h)
		h.keys("f")
		assert.Empty(t, h.m.pinned, "f no longer pins")
		h.press(t, "ctrl+y")
		require.Equal(t, []int{30}, h.m.pinned, "the rebound key pins Dora")
		v := h.view()
		noDefault(t, "a pin", v)
		assert.Contains(t, v, "ctrl+y unpins")
		assert.Contains(t, v, "★ Favourites")
		h.press(t, "s")
		h.typeText("eve")
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'f'}, Alt: true})
		assert.Equal(t, []int{30}, h.m.pinned, "the default search pin key no longer pins")
		h.keys("backspace")
		noDefault(t, "the search", h.view())
		h.press(t, "ctrl+y")
		assert.Equal(t, []int{30, 32}, h.m.pinned, "the rebound key pins a search result")
	})

	t.Run("next link", func(t *testing.T) {
		h := newHarness(t, Options{Keys: keys, Links: true})
		h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
		toEMEA(h)
		h.press(t, "ctrl+t")
		h.keys("L")
		assert.Equal(t, personLink{}, h.m.people.highlightedLink(), "L no longer highlights a link")
		h.press(t, "f4", "f4")
		assert.Equal(t, "ext", h.m.people.highlightedLink().what, "the rebound key does")
		v := h.view()
		noDefault(t, "a highlighted link", v)
		assert.Contains(t, ansi.Strip(screenText(v)), "→ tel:1042;phone-context=acme.example")
	})

	t.Run("moving, paging and quitting", func(t *testing.T) {
		h := newModel(Options{})
		start := h.m.tree.sel
		h.keys("down", "j", "end", "G", "pgdown", "right", "l")
		assert.Equal(t, start, h.m.tree.sel, "the default moves no longer act")
		h.press(t, "f10")
		assert.Equal(t, "Empty", h.m.org.Department(h.m.tree.sel).Name)
		h.press(t, "f9")
		assert.Equal(t, start, h.m.tree.sel)
		h.press(t, "f8")
		assert.NotEqual(t, start, h.m.tree.sel)
		h.press(t, "ctrl+p", "ctrl+p", "ctrl+p", "ctrl+p")
		assert.Equal(t, start, h.m.tree.sel)
		h.press(t, "ctrl+o")
		assert.False(t, h.m.tree.expanded[start], "the rebound left collapses")
		h.keys("r")
		assert.False(t, h.m.treeLoading)
		h.keys("q")
		assert.False(t, h.quit, "q no longer quits")
		h.press(t, "Q")
		assert.True(t, h.quit)
	})
}
