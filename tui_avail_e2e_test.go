package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/assert"
)

// highlightedRow is the people list's row of the highlighted person (the
// one with the cursor "›" in the people box).
func highlightedRow(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if i := strings.Index(l, "┃›"); i >= 0 {
			return l[i:]
		}
	}
	return ""
}

// In tmux on the demo, without colour: someone in a meeting shows the
// reason and the end time in the list and in the details, someone on a
// break says so, someone whose workday closed says when; each badge keeps
// its glyph and word. The demo is generated from a fixed seed, so the test
// picks the people from the same generator.
func TestTUIAvailabilityOnTheDemo(t *testing.T) {
	now := time.Now()
	meeting, _, paused, closed := statusPeople(t, fakeportal.Demo(now, false), now)

	x := newTmuxServer(t, t.TempDir(), 120, 40, "NO_COLOR=1 "+testBinaryPath+" --demo")
	x.waitText("Departments", "? help")
	jumpTo := func(u fakeportal.User) string {
		t.Helper()
		name := strings.TrimSpace(u.FirstName + " " + u.LastName)
		x.keys("/")
		x.waitText("Search the whole company")
		x.keys("-l", u.Extension)
		x.waitText("/ "+u.Extension, "ext "+u.Extension)
		x.keys("Enter")
		return x.waitScreen("the jump to "+name, func(s string) bool {
			return !strings.Contains(s, "Search the whole company") && detailName(s) == name
		})
	}
	badge := `[●◐○✈] (online|idle|offline|absent) +`
	clock := `\d\d:\d\d`

	jumpTo(meeting)
	s := x.waitScreen("the meeting's reason", func(s string) bool {
		return strings.Contains(highlightedRow(s), "in a meeting until")
	})
	assert.Regexp(t, regexp.MustCompile(`┃›`+badge+regexp.QuoteMeta(meeting.FirstName)+`.*in a meeting until `+clock), highlightedRow(s))
	assert.Regexp(t, `busy: in a meeting until `+clock, s, "the details")
	assert.Contains(t, s, "workday: open since ", "the details show the workday too")
	assert.NotContains(t, s, "\x1b", "no colour")

	jumpTo(paused)
	s = x.waitScreen("the break", func(s string) bool { return strings.Contains(highlightedRow(s), "on a break") })
	assert.Regexp(t, `┃›`+badge+regexp.QuoteMeta(paused.FirstName), highlightedRow(s))
	assert.Contains(t, s, "away: on a break")

	jumpTo(closed)
	s = x.waitScreen("the closed workday", func(s string) bool {
		return strings.Contains(highlightedRow(s), "finished for today at")
	})
	assert.Regexp(t, `┃›`+badge+regexp.QuoteMeta(closed.FirstName)+`.*finished for today at `+clock, highlightedRow(s))
	assert.Regexp(t, `off: finished for today at `+clock, s)

	// At 80×24 the row still says it, and every row keeps the width.
	x.must("resize-window", "-t", "tui", "-x", "80", "-y", "24")
	x.waitScreen("the 80×24 screen", func(s string) bool {
		return strings.Contains(highlightedRow(s), "finished for today at") && len(strings.Split(strings.TrimRight(s, "\n"), "\n")) == 24
	})
	checkRows(t, x, 80, 24, "availability")
	x.must("resize-window", "-t", "tui", "-x", "120", "-y", "40")
	x.waitScreen("the 120×40 screen", func(s string) bool {
		return strings.Contains(highlightedRow(s), "finished for today at") && len(strings.Split(strings.TrimRight(s, "\n"), "\n")) == 40
	})
	checkRows(t, x, 120, 40, "availability")
}
