package ui

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/b24org/b24org/lang"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// statusText is the status bar's text (the line above the footer).
func statusText(h *harness) string {
	lines := strings.Split(ansi.Strip(h.view()), "\n")
	require.GreaterOrEqual(h.t, len(lines), 2)
	return lines[len(lines)-2]
}

// doraLinks are where Dora Müller's links lead, in the order L walks
// them, with the text of the details each is on.
var doraLinks = []struct{ url, text string }{
	{"https://acme.example/company/personal/user/30/", "Dora Müller"},
	{"tel:1042;phone-context=acme.example", "ext 1042"},
	{"tel:+15550199", "work +1 555 0199"},
	{"tel:+15550100", "mobile +1 555 0100"},
	{"mailto:dora@acme.example", "dora@acme.example"},
	{"https://acme.example/online/?IM_DIALOG=U30", "chat"},
}

// helpText is the screen's words inside its box, one space between each.
func helpText(h *harness) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(ansi.Strip(h.view()), "┃", " ")), " ")
}

// With the keys on the results (tab), L walks the highlighted result's
// links as it walks the people pane's: the item is highlighted in the
// details below the results, the status bar names where it leads, and
// after the last none is.
func TestSearchLinkKeyWalksTheResultsDetails(t *testing.T) {
	pal := Palette{Selected: lipgloss.Color("4"), SelectedText: lipgloss.Color("15")}
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.ANSI256), termenv.WithEnvironment(testEnv(nil)))
	r.SetColorProfile(termenv.ANSI256) // the output's profile alone gives way to the empty environment's
	h := newHarness(t, Options{Links: true, Renderer: r, Palette: pal})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.keys("/")
	h.typeText("dora")
	require.Equal(t, 30, h.m.search.current().ID)
	h.keys("tab")
	require.True(t, h.m.search.list)
	assert.True(t, h.m.keys.Link.Enabled(), "the results' highlighted person has links")
	assert.Contains(t, ansi.Strip(h.view()), "L next link", "the results' footer offers it")

	sel := newStyles(r, pal).selected
	require.NotEqual(t, "x", sel.on("x"), "the highlight is drawn")
	for i, l := range doraLinks {
		h.keys("L")
		require.Equal(t, l.url, h.m.search.highlightedLink().url, "link %d", i)
		assert.Contains(t, statusText(h), "→ "+l.url, "the status bar names link %d", i)
		v := h.view()
		assert.Contains(t, v, hyperlink(l.url, sel.on(l.text)), "link %d is highlighted in the details", i)
		for _, w := range []int{30, 61, 99, 100, 140} {
			h.send(tea.WindowSizeMsg{Width: w, Height: 30})
			for j, line := range strings.Split(h.view(), "\n") {
				require.Equal(t, w, ansi.StringWidth(line), "link %d at %d, line %d: %q", i, w, j, line)
				checkLinks(t, line, fmt.Sprint("link ", i))
			}
		}
		h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	}
	assert.Equal(t, modeSearch, h.m.mode, "L neither jumps nor closes")
	assert.Equal(t, "dora", h.m.search.input.value(), "and types nothing")
	assert.Equal(t, personLink{}, h.m.people.highlightedLink(), "the people pane's walk is its own")
	h.keys("L")
	assert.Equal(t, personLink{}, h.m.search.highlightedLink(), "after the last, none")
	assert.Contains(t, statusText(h), "→ "+doraLinks[0].url, "the name's address again")
	assert.NotContains(t, h.view(), hyperlink(doraLinks[0].url, sel.on(doraLinks[0].text)), "nothing highlighted in the details")
}

// Another result starts with none of its links highlighted, and so does
// the first again when the highlight comes back to it, or a search opened
// anew.
func TestSearchLinkResetsWithTheResult(t *testing.T) {
	h := newHarness(t, Options{Links: true})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.keys("/")
	h.typeText("dept:emea")
	require.Equal(t, []int{32, 30, 40, 31}, resultIDs(&h.m.search))
	h.keys("tab", "L", "L")
	require.Equal(t, "tel:1045;phone-context=acme.example", h.m.search.highlightedLink().url)
	assert.Contains(t, statusText(h), "→ tel:1045;phone-context=acme.example")

	h.keys("down")
	require.Equal(t, 30, h.m.search.current().ID)
	assert.Equal(t, personLink{}, h.m.search.highlightedLink(), "another result: no link highlighted")
	assert.Contains(t, statusText(h), "→ https://acme.example/company/personal/user/30/", "the status bar names the new result's profile")
	h.keys("up")
	assert.Equal(t, personLink{}, h.m.search.highlightedLink(), "back to the first: none highlighted either")
	assert.Contains(t, statusText(h), "→ https://acme.example/company/personal/user/32/")
	h.keys("down", "L", "L")
	assert.Equal(t, "tel:1042;phone-context=acme.example", h.m.search.highlightedLink().url, "the walk starts again on the new result")

	// A click on a result moves the highlight too.
	h.keys("L")
	require.Equal(t, "tel:+15550199", h.m.search.highlightedLink().url)
	in := h.m.layout().main.inner()
	h.send(tea.MouseMsg{X: in.x + 5, Y: in.y + searchTop, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	require.Equal(t, 32, h.m.search.current().ID)
	assert.Equal(t, personLink{}, h.m.search.highlightedLink(), "a click on another result: none")

	// A search opened again starts unhighlighted, even on the same person.
	h.keys("L", "L")
	require.NotEqual(t, personLink{}, h.m.search.highlightedLink())
	h.keys("esc", "esc")
	require.Equal(t, modeNormal, h.m.mode)
	h.keys("/")
	h.typeText("dept:emea")
	require.Equal(t, 32, h.m.search.current().ID)
	assert.Equal(t, personLink{}, h.m.search.highlightedLink(), "a new search: none highlighted")
}

// In the query field L is a letter: it types, and walks nothing.
func TestSearchLinkKeyTypesInTheQuery(t *testing.T) {
	h := newHarness(t, Options{Links: true})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.keys("/")
	h.typeText("dora")
	h.keys("L")
	assert.Equal(t, "doraL", h.m.search.input.value())
	assert.Equal(t, personLink{}, h.m.search.highlightedLink())
	assert.False(t, h.m.search.list)

	// Back in the query from the results (/), L types again.
	h.keys("backspace")
	require.Equal(t, 30, h.m.search.current().ID)
	h.keys("tab", "L")
	require.Equal(t, doraLinks[0].url, h.m.search.highlightedLink().url)
	h.keys("/", "L")
	assert.False(t, h.m.search.list)
	assert.Equal(t, "doraL", h.m.search.input.value(), "the query took the L")
}

// With links off the key still walks the links, as in the browser: the
// status bar names where each leads, though nothing is an OSC 8 link and
// there is no chat item; before L, no address shows.
func TestSearchLinkKeyWithLinksOff(t *testing.T) {
	h := newHarness(t, Options{})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.keys("/")
	h.typeText("dora")
	h.keys("tab")
	assert.NotContains(t, statusText(h), "→", "no address before L")
	assert.True(t, h.m.keys.Link.Enabled())
	for i, l := range doraLinks[:5] {
		h.keys("L")
		assert.Equal(t, l.url, h.m.search.highlightedLink().url, "link %d", i)
		assert.Contains(t, statusText(h), "→ "+l.url, "link %d", i)
		assert.NotContains(t, h.view(), "\x1b]8;", "no OSC 8 with links off")
	}
	h.keys("L")
	assert.Equal(t, personLink{}, h.m.search.highlightedLink(), "no chat link without links: after the e-mail, none")
	assert.NotContains(t, statusText(h), "→")

	// The people pane does the same.
	h.keys("esc", "esc")
	h.selectDept("EMEA")
	h.keys("tab", "L", "L")
	assert.Contains(t, statusText(h), "→ tel:1042;phone-context=acme.example")
}

// A click on a link of the result's details highlights it, as in the
// people pane.
func TestSearchClickHighlightsALinkOfTheDetails(t *testing.T) {
	h := newHarness(t, Options{Links: true})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.keys("/")
	h.typeText("dora")
	rows := strings.Split(ansi.Strip(h.view()), "\n")
	click := func(text string) { t.Helper(); clickOnDoraLine(t, h, rows, text) }
	click("chat")
	assert.Equal(t, "chat", h.m.search.highlightedLink().what)
	assert.Contains(t, statusText(h), "→ https://acme.example/online/?IM_DIALOG=U30")
	click("dora@")
	assert.Equal(t, "e-mail", h.m.search.highlightedLink().what)
	click(" · ")
	assert.Equal(t, "e-mail", h.m.search.highlightedLink().what, "a click beside the links changes nothing")
	assert.Equal(t, 30, h.m.search.current().ID, "nor the result")
}

// The help's search paragraph names the results' link key, in both
// languages, and follows a rebinding; the rebound key walks.
func TestSearchLinkKeyInTheHelp(t *testing.T) {
	for _, tc := range []struct {
		l    *lang.Language
		want string
	}{
		{lang.English(), "L highlights each link of the details in turn, the status bar showing where it leads"},
		{lang.Russian(), "L по очереди выделяет ссылки в подробностях, и строка состояния показывает, куда ведёт каждая"},
	} {
		h := newHarness(t, Options{Language: tc.l})
		h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
		h.keys("?")
		require.Equal(t, modeHelp, h.m.mode)
		assert.Contains(t, helpText(h), tc.want)
	}

	km := DefaultKeyMap()
	require.NoError(t, km.Rebind(map[string][]string{"link": {"f4"}}))
	h := newHarness(t, Options{Links: true, Keys: km})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.keys("?")
	assert.Contains(t, helpText(h), "f4 highlights each link of the details")
	h.keys("esc", "/")
	h.typeText("dora")
	h.keys("tab", "L")
	assert.False(t, h.m.search.list, "L is no binding now: it goes back to the query and types")
	assert.Equal(t, "doraL", h.m.search.input.value())
	h.keys("backspace", "tab")
	h.send(tea.KeyMsg{Type: tea.KeyF4})
	h.send(tea.KeyMsg{Type: tea.KeyF4})
	assert.Equal(t, doraLinks[1].url, h.m.search.highlightedLink().url)
}
