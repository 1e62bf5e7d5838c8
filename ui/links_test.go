package ui

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/b24org/b24org/directory"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// osc8 is one OSC 8 sequence: an opening one holds the address, a closing
// one none.
var osc8 = regexp.MustCompile("\x1b\\]8;[^;\x07\x1b]*;([^\x07\x1b]*)\x07")

// checkLinks asserts that every link of line is closed before the next
// opens and before the line ends, and returns the addresses it opens.
func checkLinks(t *testing.T, line, what string) []string {
	t.Helper()
	var urls []string
	open := false
	for _, m := range osc8.FindAllStringSubmatch(line, -1) {
		if m[1] != "" {
			if open {
				t.Errorf("%s: a link opens inside another: %q", what, line)
			}
			urls = append(urls, m[1])
			open = true
		} else {
			open = false
		}
	}
	if open {
		t.Errorf("%s: a link is still open at the end of %q", what, line)
	}
	if rest := osc8.ReplaceAllString(line, ""); strings.Contains(rest, "\x1b]") || strings.Contains(rest, "\x07") {
		t.Errorf("%s: a broken OSC sequence in %q", what, line)
	}
	return urls
}

func TestLinkCellIsCellWithALink(t *testing.T) {
	const url = "https://acme.example/company/personal/user/30/"
	for _, text := range []string{"Dora Müller", "陈伟", "Wolfeschlegelsteinhausenbergerdorff", "👩💻 Zoë", "e\u0301\u0301", ""} {
		for w := 0; w <= 40; w++ {
			got := linkCell(text, url, w)
			what := fmt.Sprintf("%q in %d", text, w)
			assert.Equal(t, w, ansi.StringWidth(got), what)
			assert.Equal(t, cell(text, w), osc8.ReplaceAllString(got, ""), "%s: the same cells as unlinked", what)
			urls := checkLinks(t, got, what)
			if strings.Trim(cell(text, w), " …") != "" {
				assert.Equal(t, []string{url}, urls, what)
			}
		}
	}
	// Several spans cut anywhere: each link ends inside the row.
	parts := []span{{text: "ext 1042", url: "tel:1042;phone-context=acme.example"}, {text: " · "},
		{text: "dora@acme.example", url: "mailto:dora@acme.example"}, {text: " · "}, {text: "chat", url: "https://acme.example/online/?IM_DIALOG=U30"}}
	var plain strings.Builder
	for _, p := range parts {
		plain.WriteString(p.text)
	}
	for w := 0; w <= 50; w++ {
		got := spans(parts, w)
		assert.Equal(t, w, ansi.StringWidth(got), "width %d", w)
		assert.Equal(t, cell(plain.String(), w), osc8.ReplaceAllString(got, ""), "width %d", w)
		checkLinks(t, got, fmt.Sprint("spans in ", w))
	}
}

func TestHyperlinkTakesOnlyPrintableAddresses(t *testing.T) {
	assert.Equal(t, "\x1b]8;;mailto:a@b\x07a@b\x1b]8;;\x07", hyperlink("mailto:a@b", "a@b"))
	for _, bad := range []string{"https://x\x07\x1b]0;PWNED\x07", "https://x/\x1b\\", "https://x/\u009c", "https://x/ y", "https://x/" + strings.Repeat("a", directory.MaxURL)} {
		assert.Equal(t, "name", hyperlink(bad, "name"), "%q is no link", bad)
	}
	assert.Equal(t, "", hyperlink("https://x/", ""), "no text, no link")
}

// smallOrgAt is smallOrg named by a portal address, as a loaded snapshot is.
func smallOrgAt(portal string) *directory.Org {
	d := orgData(smallPortalOrg())
	d.Portal = portal
	return directory.NewOrg(d)
}

func TestNamesEmailsPhonesAndChatAreLinks(t *testing.T) {
	h := newHarness(t, Options{Links: true})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.selectDept("EMEA")
	h.keys("tab")
	require.Equal(t, 30, h.m.people.sel)
	v := h.view()
	for _, want := range []string{
		hyperlink("https://acme.example/company/personal/user/30/", "Dora Müller"),
		hyperlink("mailto:dora@acme.example", "dora@acme.example"),
		hyperlink("tel:+15550100", "mobile +1 555 0100"),
		hyperlink("tel:+15550199", "work +1 555 0199"),
		hyperlink("tel:1042;phone-context=acme.example", "ext 1042"),
		hyperlink("https://acme.example/online/?IM_DIALOG=U30", "chat"),
		hyperlink("https://acme.example/company/personal/user/32/", "Eve Adams"),
		"reports to " + hyperlink("https://acme.example/company/personal/user/20/", "Борис Иванов") + " › " +
			hyperlink("https://acme.example/company/personal/user/10/", "Anna Johnson"),
		"2 direct reports: ● " + hyperlink("https://acme.example/company/personal/user/32/", "Eve Adams") +
			" · ✈ " + hyperlink("https://acme.example/company/personal/user/31/", "伟 陈"),
	} {
		assert.Contains(t, v, want)
	}
	assert.NotContains(t, v, "/rest/", "the webhook's path is no part of a link")
	assert.Contains(t, ansi.Strip(v), "→ https://acme.example/company/personal/user/30/", "the status bar says where the name leads")
	h.keys("down")
	require.Equal(t, 32, h.m.people.sel)
	assert.Contains(t, ansi.Strip(h.view()), "→ https://acme.example/company/personal/user/32/", "and follows the highlight")

	// The search results link their names too.
	h.keys("/")
	h.typeText("dora")
	v = h.view()
	assert.Contains(t, v, hyperlink("https://acme.example/company/personal/user/30/", "Dora Müller"))
	assert.Contains(t, ansi.Strip(v), "→ https://acme.example/company/personal/user/30/")
}

func TestLinksOffDrawsNoLinks(t *testing.T) {
	h := newHarness(t, Options{})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.selectDept("EMEA")
	h.keys("tab")
	v := h.view()
	assert.NotContains(t, v, "\x1b]8;")
	assert.NotContains(t, v, "https://", "no status bar address either")
	assert.NotContains(t, v, " · chat", "no chat item without links")
	assert.Contains(t, v, "dora@acme.example")
}

func TestCopyProfileAndChatLinks(t *testing.T) {
	h := newHarness(t, Options{})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.selectDept("EMEA")
	h.keys("Y")
	v := ansi.Strip(h.view())
	assert.Contains(t, v, "[p]rofile link")
	assert.Contains(t, v, "ch[a]t link", "the card has c, and h moves left")
	h.keys("p")
	assert.Equal(t, "https://acme.example/company/personal/user/30/", h.copied[len(h.copied)-1], "copied even with links off")
	h.keys("Y", "a")
	assert.Equal(t, "https://acme.example/online/?IM_DIALOG=U30", h.copied[len(h.copied)-1])
	h.keys("Y", "c")
	assert.True(t, strings.HasPrefix(h.copied[len(h.copied)-1], "Dora Müller — "), "c is still the card")

	// The letters follow the keys: with left on ctrl+o, h is free again.
	km := DefaultKeyMap()
	require.NoError(t, km.Rebind(map[string][]string{"left": {"ctrl+o"}}))
	h = newHarness(t, Options{Keys: km})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.selectDept("EMEA")
	h.keys("Y")
	assert.Contains(t, ansi.Strip(h.view()), "c[h]at link")
	h.keys("h")
	assert.Equal(t, "https://acme.example/online/?IM_DIALOG=U30", h.copied[len(h.copied)-1])

	// A snapshot without a portal address has no link to copy.
	h = newHarness(t, Options{Links: true})
	h.send(orgMsg{org: smallOrg()})
	h.selectDept("EMEA")
	h.keys("Y")
	assert.NotContains(t, h.view(), "profile link")
	n := len(h.copied)
	h.keys("p")
	assert.Len(t, h.copied, n)
	assert.Contains(t, h.view(), "no profile link to copy")
	assert.NotContains(t, h.view(), "/company/personal/", "no portal address, no profile link")
	assert.Contains(t, h.view(), hyperlink("mailto:dora@acme.example", "dora@acme.example"), "e-mail and phones need none")
}

// TestLinkedScreensAreExactlyTheWidth draws the demo and the hostile demo
// with links at many sizes: every line of the frame and every row of the
// people pane is exactly as wide as its place (the links take no cells),
// every link ends on its line, and nothing but links is an escape (the
// renderer draws no colour).
func TestLinkedScreensAreExactlyTheWidth(t *testing.T) {
	for _, hostile := range []bool{false, true} {
		t.Run(fmt.Sprint("hostile=", hostile), func(t *testing.T) {
			_, dir := startPortal(t, demoPortalOrg(hostile))
			h := newHarness(t, Options{Directory: dir, Background: true, Links: true})
			h.init()
			require.True(t, h.m.org.Complete())
			origin := directory.PortalOrigin(h.m.org.Portal())
			require.True(t, strings.HasPrefix(origin, "http://127.0.0.1:"), origin)
			links := 0
			check := func(what string, w, ht int) {
				t.Helper()
				v := h.view()
				lines := strings.Split(v, "\n")
				require.LessOrEqual(t, len(lines), ht, what)
				for i, l := range lines {
					require.Equal(t, w, ansi.StringWidth(l), "%s at %d×%d, line %d: %q", what, w, ht, i, l)
					links += len(checkLinks(t, l, what))
				}
				require.NotContains(t, osc8.ReplaceAllString(v, ""), "\x1b", "%s: an escape that is no link", what)
				if p := h.m.people.current(); p != nil && h.m.mode == modeNormal && h.m.focus == panePeople && w >= 20 && ht >= 10 {
					require.Contains(t, v, "\x1b]8;;"+directory.ProfileURL(origin, p.ID)+"\x07", "%s at %d×%d: the highlighted name links to the profile", what, w, ht)
				}
				in := h.m.layout().people.inner()
				if h.m.mode == modeNormal && in.w > 0 && in.h > 0 {
					for i, row := range h.m.people.view(in.w, in.h, true, "") {
						require.Equal(t, in.w, ansi.StringWidth(row), "%s: people row %d at pane width %d", what, i, in.w)
					}
				}
			}
			for d := 0; d < 8; d++ {
				h.keys("esc", "down")
				h.fire()
				h.keys("tab")
				for range min(len(h.m.people.list), 6) {
					for _, w := range sizes(20, 200, 23, 21, 59, 60, 61, 80, 99, 100, 101, 120) {
						for _, ht := range []int{6, 12, 24, 40} {
							h.send(tea.WindowSizeMsg{Width: w, Height: ht})
							check("browse", w, ht)
						}
					}
					h.keys("down")
				}
			}
			// Tiny windows: every line still exactly the width, nothing panics.
			for w := 1; w < 20; w++ {
				for _, ht := range []int{1, 3, 5, 9} {
					h.send(tea.WindowSizeMsg{Width: w, Height: ht})
					check("tiny", w, ht)
				}
			}
			h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
			for _, q := range []string{"e", "bob", "宽"} {
				h.keys("/")
				h.typeText(q)
				for _, w := range sizes(20, 200, 31, 61, 99, 100) {
					h.send(tea.WindowSizeMsg{Width: w, Height: 30})
					check("search "+q, w, 30)
				}
				h.keys("esc")
			}
			assert.Greater(t, links, 1000, "the frames held links")

			// bubbletea v1's standard renderer cuts a line wider than the
			// window with ansi.Truncate (standard_renderer.go, flush), as
			// when the window narrows before the next frame: the sequences
			// past the cut are kept, so every link still ends on its line.
			h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
			h.keys("tab")
			for _, l := range strings.Split(h.view(), "\n") {
				for w := 0; w <= 120; w += 7 {
					cut := ansi.Truncate(l, w, "")
					assert.LessOrEqual(t, ansi.StringWidth(cut), w)
					checkLinks(t, cut, fmt.Sprint("cut to ", w))
				}
			}
		})
	}
}

func TestLinkMode(t *testing.T) {
	for in, want := range map[string]LinkMode{"": LinksAuto, "auto": LinksAuto, " ON ": LinksOn, "off": LinksOff} {
		m, err := ParseLinkMode(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, m, in)
	}
	for _, bad := range []string{"yes", "true", "1", "onn", "\x1b[2J"} {
		_, err := ParseLinkMode(bad)
		assert.ErrorContains(t, err, "must be auto, on or off", bad)
	}
	for term, on := range map[string]bool{
		"xterm-256color": true, "tmux-256color": true, "screen-256color": true, "xterm-kitty": true, "alacritty": true,
		"": false, "dumb": false, "linux": false, "vt100": false, "vt220": false, "cons25": false,
	} {
		assert.Equal(t, on, LinksAuto.On(term), "auto on TERM=%q", term)
		assert.True(t, LinksOn.On(term), "on is on, TERM=%q", term)
		assert.False(t, LinksOff.On(term), "off is off, TERM=%q", term)
	}
}

// The Link key walks the highlighted person's links in the details: the
// status bar says where each leads, the item is highlighted, and after
// the last none is; another person starts again.
func TestLinkKeyWalksTheDetails(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.ANSI256), termenv.WithEnvironment(testEnv(nil)))
	r.SetColorProfile(termenv.ANSI256) // the output's profile alone gives way to the empty environment's
	h := newHarness(t, Options{Links: true, Renderer: r, Palette: Palette{Selected: lipgloss.Color("4"), SelectedText: lipgloss.Color("15")}})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.selectDept("EMEA")
	h.keys("tab")
	require.Equal(t, 30, h.m.people.sel)
	assert.True(t, h.m.keys.Link.Enabled())
	h.keys("?")
	assert.Regexp(t, `L +next link`, ansi.Strip(h.view()), "the help names it")
	assert.Contains(t, strings.Join(strings.Fields(ansi.Strip(h.view())), " "), "L highlights each link of")
	h.keys("esc")
	want := []string{
		"https://acme.example/company/personal/user/30/", "tel:1042;phone-context=acme.example", "tel:+15550199",
		"tel:+15550100", "mailto:dora@acme.example", "https://acme.example/online/?IM_DIALOG=U30",
	}
	texts := []string{"Dora Müller", "ext 1042", "work +1 555 0199", "mobile +1 555 0100", "dora@acme.example", "chat"}
	sel := newStyles(r, Palette{Selected: lipgloss.Color("4"), SelectedText: lipgloss.Color("15")}).selected
	for i, url := range want {
		h.keys("L")
		l := h.m.people.highlightedLink()
		require.Equal(t, url, l.url, "link %d", i)
		v := h.view()
		assert.Contains(t, ansi.Strip(v), "→ "+url, "the status bar names link %d", i)
		assert.Contains(t, v, hyperlink(url, sel.on(texts[i])), "link %d is highlighted in the details", i)
		for _, w := range []int{30, 61, 99, 100, 140} {
			h.send(tea.WindowSizeMsg{Width: w, Height: 30})
			for j, line := range strings.Split(h.view(), "\n") {
				require.Equal(t, w, ansi.StringWidth(line), "link %d at %d, line %d: %q", i, w, j, line)
				checkLinks(t, line, fmt.Sprint("link ", i))
			}
		}
		h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	}
	h.keys("L")
	assert.Equal(t, personLink{}, h.m.people.highlightedLink(), "after the last, none")
	assert.Contains(t, ansi.Strip(h.view()), "→ https://acme.example/company/personal/user/30/", "the name's address again")
	h.keys("L", "L", "down")
	assert.Equal(t, personLink{}, h.m.people.highlightedLink(), "another person: no link highlighted")
	h.keys("up")
	assert.Equal(t, personLink{}, h.m.people.highlightedLink(), "back to the first: none highlighted either")
	h.keys("down", "L")
	assert.Equal(t, "https://acme.example/company/personal/user/32/", h.m.people.highlightedLink().url)

	// With links off the key still walks them, and the status bar names
	// them (no chat item without links).
	h = newHarness(t, Options{})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.selectDept("EMEA")
	h.keys("tab", "L", "L")
	assert.Contains(t, h.view(), "→ tel:1042;phone-context=acme.example")
	assert.NotContains(t, h.view(), "\x1b]8;")
	assert.Len(t, h.m.personLinks(h.m.people.current()), 5)
}

func TestOrgChartNamesAreLinks(t *testing.T) {
	h := newHarness(t, Options{Links: true})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.keys("o")
	require.Equal(t, modeOrgChart, h.m.mode)
	for _, w := range []int{20, 33, 60, 80, 120} {
		h.send(tea.WindowSizeMsg{Width: w, Height: 30})
		v := h.view()
		for i, l := range strings.Split(v, "\n") {
			require.Equal(t, w, ansi.StringWidth(l), "width %d, line %d: %q", w, i, l)
			checkLinks(t, l, fmt.Sprint("org chart at ", w))
		}
		if w >= 60 {
			assert.Contains(t, v, hyperlink("https://acme.example/company/personal/user/30/", "Dora Müller"), "width %d", w)
		}
	}
}

// clickOnDoraLine clicks the left button on text where it stands in the
// line of rows (the screen as drawn) that holds Dora's e-mail.
func clickOnDoraLine(t *testing.T, h *harness, rows []string, text string) {
	t.Helper()
	for y, r := range rows {
		if i := strings.Index(r, text); i >= 0 && strings.Contains(r, "dora@") {
			h.send(tea.MouseMsg{X: ansi.StringWidth(r[:i]) + 1, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
			return
		}
	}
	t.Fatalf("%q is not on the screen", text)
}

// A click on a link of the details highlights it, as the Link key does.
func TestClickHighlightsALinkOfTheDetails(t *testing.T) {
	h := newHarness(t, Options{Links: true})
	h.send(orgMsg{org: smallOrgAt("https://acme.example/rest/1/••••/")})
	h.selectDept("EMEA")
	h.keys("tab")
	rows := strings.Split(ansi.Strip(h.view()), "\n")
	click := func(text string) { t.Helper(); clickOnDoraLine(t, h, rows, text) }
	click("chat")
	assert.Equal(t, "chat", h.m.people.highlightedLink().what)
	assert.Contains(t, ansi.Strip(h.view()), "→ https://acme.example/online/?IM_DIALOG=U30")
	click("dora@")
	assert.Equal(t, "e-mail", h.m.people.highlightedLink().what)
	click(" · ")
	assert.Equal(t, "e-mail", h.m.people.highlightedLink().what, "a click beside the links changes nothing")
	assert.Equal(t, 30, h.m.people.sel, "nor the person")

	assert.Equal(t, "", linkAt("plain", 2))
	line := "ab" + hyperlink("u1", "cd") + "e" + hyperlink("u2", "宽f")
	for x, want := range []string{"", "", "u1", "u1", "", "u2", "u2", "u2", ""} {
		assert.Equal(t, want, linkAt(line, x), "cell %d", x)
	}
}
