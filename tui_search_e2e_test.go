package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// In a real terminal on the demo: /dept:sales online lists only online
// people of Sales and the departments below it, each row with its badge,
// department path and extension; y on a result copies its extension
// (OSC52 into tmux's buffer) without leaving the search. At 80×24 the rows
// stay exactly the width of the screen.
func TestTUISearchFilterAndCopy(t *testing.T) {
	x := newTmuxServer(t, t.TempDir(), 120, 40, testBinaryPath+" --demo")
	x.must("set-option", "-g", "set-clipboard", "on")
	x.waitText("Departments", "? help", " people ")
	x.keys("/")
	x.waitText("Search the whole company")
	x.keys("-l", "dept:sales online")
	s := x.waitScreen("the filtered results", func(s string) bool {
		return strings.Contains(s, "/ dept:sales online") && regexp.MustCompile(`┃ \d+ match`).MatchString(s)
	})

	// Every result row: the online badge, a name, a path ending in Sales or
	// in a department below it, and (when the person has one) the extension.
	row := regexp.MustCompile(`^┃[ ›]([●◐○✈]) (\w+) +(.+?)  +(…|Acme Corp) › (.+?)  +.*?(ext (\d+))? *┃$`)
	var rows []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "┃─") {
			break // the details of the highlighted one follow
		}
		if m := row.FindStringSubmatch(l); m != nil {
			rows = append(rows, l)
			assert.Equal(t, "●", m[1], "%q", l)
			assert.Equal(t, "online", m[2], "%q", l)
		}
	}
	require.NotEmpty(t, rows, "result rows:\n%s", s)
	// Their departments, from the details of each: under Acme Corp › Sales.
	// The highlighted one's path is in full in the details.
	assert.Regexp(t, `┃ .* · Acme Corp › Sales( › [^┃]*)? *┃`, s, "the details of the highlighted result")
	assert.NotContains(t, s, "Inside Sales", "Sales and below it, not a department named like it elsewhere")
	assert.NotRegexp(t, `[◐○✈] (idle|offline|absent)`, s, "no one but the online")

	// Each result, highlighted in turn, is under Sales: the details say.
	x.keys("Tab")
	x.waitText("› dept:sales online", "y copy ext")
	n := len(rows)
	for i := 0; i < n; i++ {
		s = x.screen()
		assert.Regexp(t, `· Acme Corp › Sales( › [^┃]*)? *┃`, s, "result %d", i)
		if i < n-1 {
			before := detailLine(s)
			x.keys("Down")
			x.waitScreen("the next result", func(s string) bool { return detailLine(s) != before })
		}
	}

	// y copies the highlighted result's extension, without a jump. Pick
	// one with an extension.
	x.keys("Home")
	x.waitScreen("the first result highlighted", func(s string) bool {
		lines := strings.Split(s, "\n")
		return len(lines) > 4 && strings.HasPrefix(lines[4], "┃›")
	})
	var ext string
	for i := 0; i < n && ext == ""; i++ {
		s = x.screen()
		if m := regexp.MustCompile(`┃›● online .* ext (\d+) *┃`).FindStringSubmatch(s); m != nil {
			ext = m[1]
			break
		}
		before := detailLine(s)
		x.keys("Down")
		x.waitScreen("the next result", func(s string) bool { return detailLine(s) != before })
	}
	require.NotEmpty(t, ext, "a result with an extension:\n%s", s)
	x.keys("y")
	s = x.waitText("sent extension " + ext + " to the clipboard (OSC52)")
	assert.Contains(t, s, "Search the whole company", "still in the search")
	x.waitScreen("the buffer", func(string) bool {
		out, _ := x.run("show-buffer")
		return out == ext
	})

	// 80×24: every line exactly the screen's width, the rows still whole.
	x.must("resize-window", "-t", "tui", "-x", "80", "-y", "24")
	s = x.waitScreen("the search at 80×24", func(s string) bool {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		return len(lines) == 24 && strings.Contains(s, "› dept:sales online")
	})
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.HasPrefix(l, "┃") || strings.HasPrefix(l, "┏") || strings.HasPrefix(l, "┗") {
			assert.Equal(t, 80, ansi.StringWidth(l), "%q", l)
		}
	}
	assert.Regexp(t, `┃›● online +\S`, s, "the highlighted row keeps its badge at 80 columns")
}

// detailLine is the first line of the details below the search results.
func detailLine(screen string) string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "┃─") && i+1 < len(lines) {
			return lines[i+1]
		}
	}
	return ""
}
