package ui

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// availPortal serves smallPortalOrg with, around testNow, Eve in a meeting
// until 10:50, Dora on a break and Frank's workday closed at 09:00 (with
// the places the portal reports, which must never show), granting scopes
// (nil: the fake's default, without calendar and timeman); the Directory
// over it asks for availability.
func availPortal(t *testing.T, scopes []string) (*fakeportal.Portal, *directory.Directory) {
	t.Helper()
	org := smallPortalOrg()
	org.Events = []fakeportal.Event{
		{ID: 1, UserID: 32, Name: "Weekly sync", From: testNow.Add(-10 * time.Minute), To: testNow.Add(50 * time.Minute), Accessibility: "busy"},
		{ID: 2, UserID: 32, Name: "1:1", From: testNow.Add(3 * time.Hour), To: testNow.Add(3*time.Hour + 30*time.Minute), Accessibility: "busy"},
	}
	org.Workdays = []fakeportal.Workday{
		{UserID: 32, Status: "OPENED", Start: testNow.Add(-2 * time.Hour), IPOpen: "203.0.113.41", LatOpen: 55.7512, LonOpen: 37.6184},
		{UserID: 30, Status: "PAUSED", Start: testNow.Add(-3 * time.Hour), Leaks: 20 * time.Minute, IPOpen: "203.0.113.42"},
		{UserID: 40, Status: "CLOSED", Start: testNow.Add(-9 * time.Hour), Finish: testNow.Add(-time.Hour), IPOpen: "203.0.113.43", IPClose: "198.51.100.44"},
	}
	return availDirectory(t, org, scopes, fixedNow)
}

// availDirectory serves org on the test clock, granting scopes (nil: the
// fake's default), and returns a Directory over it that asks for
// availability, dated by now.
func availDirectory(t *testing.T, org *fakeportal.Org, scopes []string, now func() time.Time) (*fakeportal.Portal, *directory.Directory) {
	t.Helper()
	p, err := fakeportal.Start(org, fakeportal.Options{Rate: -1, Now: fixedNow, Scopes: scopes})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	return p, directory.New(c, directory.Options{NoCache: true, Availability: true, Now: now})
}

// openDept is a session over dir with the department name open, its
// people and their availability asked once the cursor rested.
func openDept(t *testing.T, o Options, name string) *harness {
	t.Helper()
	h := newHarness(t, o)
	h.init()
	h.selectDept(name)
	h.fire() // the people load, once the cursor rests
	h.fire() // the availability, once the cursor has rested on loaded people
	require.True(t, h.m.people.loaded)
	return h
}

// The people list keeps each badge's glyph and word and adds the reason
// and the time; the details show each source; every line keeps the
// screen's width, at 120×40 and 80×24; nothing of where a workday was
// opened shows.
func TestAvailabilityInTheList(t *testing.T) {
	p, dir := availPortal(t, fakeportal.AllScopes())
	h := openDept(t, Options{Directory: dir}, "EMEA")
	v := h.view()
	assert.Regexp(t, `● online +Eve Adams .* in a meeting until 10:50`, rowOf(t, v, "Eve Adams"))
	assert.Regexp(t, `○ offline +Dora Müller .* on a break`, rowOf(t, v, "Dora Müller"))
	assert.Regexp(t, `○ offline +Frank Zeller .* finished for today at 09:00`, rowOf(t, v, "Frank Zeller"))
	assert.Regexp(t, `✈ absent +伟 陈 .* → \d+ Jun · online`, rowOf(t, v, "伟 陈"), "a vacation says its own")
	cmds := p.Commands()
	assert.EqualValues(t, 1, cmds["calendar.accessibility.get"], "one command for the department's calendars: %v", cmds)
	assert.EqualValues(t, 4, cmds["timeman.status"], "one per person of the department only: %v", cmds)

	h.keys("tab")
	for h.m.people.current() != nil && h.m.people.current().ID != 32 {
		h.keys("down")
	}
	v = h.view()
	assert.Contains(t, v, "busy: in a meeting until 10:50 · calendar: next 13:00–13:30")
	assert.Contains(t, v, "workday: open since 08:00")
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v = h.view()
		lines := strings.Split(v, "\n")
		assert.Len(t, lines, size[1])
		for _, l := range lines {
			assert.Equal(t, size[0], safetext.Width(l), "%dx%d: %q", size[0], size[1], l)
		}
		assert.Contains(t, v, "in a meeting until 10:50")
		for _, s := range []string{"203.0.113", "198.51.100", "55.75", "37.61"} {
			assert.NotContains(t, v, s)
		}
	}

	// A second session over the same directory asks the portal nothing.
	before := p.Total()
	other := openDept(t, Options{Directory: dir}, "EMEA")
	assert.Contains(t, rowOf(t, other.view(), "Eve Adams"), "in a meeting until 10:50")
	assert.Equal(t, before, p.Total(), "%v", p.Requests())
}

// A Russian session says the reasons, the states and what each source says
// in Russian, on the 24-hour clock, in the people rows and the details,
// at 120×40 and 80×24.
func TestAvailabilityInRussian(t *testing.T) {
	_, dir := availPortal(t, fakeportal.AllScopes())
	h := openDept(t, Options{Directory: dir, Language: lang.Russian()}, "EMEA")
	v := h.view()
	assert.Contains(t, rowOf(t, v, "Eve Adams"), "на встрече до 10:50")
	assert.Contains(t, rowOf(t, v, "Dora Müller"), "на перерыве")
	assert.Contains(t, rowOf(t, v, "Frank Zeller"), "рабочий день окончен в 09:00")
	assert.NotContains(t, v, "in a meeting")

	h.keys("tab")
	for h.m.people.current() != nil && h.m.people.current().ID != 32 {
		h.keys("down")
	}
	v = h.view()
	assert.Contains(t, v, "занят(а): на встрече до 10:50 · календарь: далее 13:00–13:30")
	assert.Contains(t, v, "рабочий день: открыт с 08:00")
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		checkWidths(t, h.view(), size[0], size[1], fmt.Sprintf("%dx%d", size[0], size[1]))
	}
}

// Without the calendar and timeman scopes the status bar says once which
// scope would add what, and the browser shows presence as before.
func TestAvailabilityWithoutTheScopesSaysSo(t *testing.T) {
	p, dir := availPortal(t, nil)
	h := openDept(t, Options{Directory: dir}, "EMEA")
	v := h.view()
	note := "availability: add the calendar scope for meetings, timeman for workdays"
	assert.Equal(t, 1, strings.Count(v, note), v)
	assert.Regexp(t, `● online +Eve Adams`, rowOf(t, v, "Eve Adams"))
	assert.NotContains(t, v, "in a meeting")
	assert.Contains(t, v, "Dora Müller")
	before := p.Commands()
	require.Positive(t, before["timeman.status"]+before["calendar.accessibility.get"], "asked once: %v", before)
	h.selectDept("R&D")
	h.fire()
	h.fire()
	assert.Contains(t, h.view(), "Frank Zeller")
	assert.Equal(t, 1, strings.Count(h.view(), note), "said once")
	after := p.Commands()
	for _, m := range []string{"timeman.status", "calendar.accessibility.get"} {
		assert.Equal(t, before[m], after[m], "%s refused once, not asked again", m)
	}
}

// A department's first look asks about everyone in it; a minute later a
// session left open asks only about the rows on its screen.
func TestAvailabilityRefreshAsksAScreenful(t *testing.T) {
	org := smallPortalOrg()
	for i := range 60 {
		org.Users = append(org.Users, fakeportal.User{ID: 100 + i, FirstName: "Member", LastName: fmt.Sprintf("No%02d", i),
			Extension: strconv.Itoa(3000 + i), Departments: []int{3}, Active: true, LastActivity: testNow.Add(-time.Hour)})
	}
	var mu sync.Mutex
	clock := testNow
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	p, dir := availDirectory(t, org, fakeportal.AllScopes(), now)
	h := openDept(t, Options{Directory: dir}, "EMEA")
	h.m.nowFn = now // the clock of the test, moved below
	assert.EqualValues(t, 64, p.Commands()["timeman.status"], "the first look: everyone in the department")

	mu.Lock()
	clock = clock.Add(directory.ScheduleReuse + time.Second)
	mu.Unlock()
	h.send(refreshMsg{})
	rows := h.m.people.listH
	require.Less(t, rows, 64)
	assert.EqualValues(t, 64+rows, p.Commands()["timeman.status"], "a minute later: the %d rows on screen", rows)
	h.send(refreshMsg{})
	assert.EqualValues(t, 64+rows, p.Commands()["timeman.status"], "nobody twice within a minute")
}

// The Caller key in the search looks the number typed up among the CRM
// clients and jumps to the responsible employee, whose availability the
// details and the status bar show; rebound, the new key does it and the
// old one does not. Without a client, the status bar says so.
func TestCallerKeyJumpsToTheResponsible(t *testing.T) {
	for _, rebind := range []bool{false, true} {
		org := smallPortalOrg()
		org.Clients = []fakeportal.CRMClient{{Type: "COMPANY", ID: 643, Name: "Daisy LLC", Phones: []string{"+7 (495) 123-45-67"}, AssignedBy: 32}}
		org.Events = []fakeportal.Event{{ID: 1, UserID: 32, From: testNow.Add(-10 * time.Minute), To: testNow.Add(50 * time.Minute), Accessibility: "busy"}}
		_, dir := availDirectory(t, org, fakeportal.AllScopes(), fixedNow)
		keys := DefaultKeyMap()
		press := "ctrl+r"
		if rebind {
			require.NoError(t, keys.Rebind(map[string][]string{"caller": {"f3"}}))
			press = "f3"
		}
		h := newHarness(t, Options{Directory: dir, Keys: keys})
		h.init()
		h.fire()
		h.keys("/")
		h.typeText("8 495 123 45 67")
		assert.Contains(t, h.view(), press+" caller", "the footer shows the key")
		if rebind {
			h.press(t, "ctrl+r")
			assert.Equal(t, modeSearch, h.m.mode, "the default key no longer acts")
		}
		h.press(t, press)
		require.Equal(t, modeNormal, h.m.mode, "rebind %v", rebind)
		require.NotNil(t, h.m.people.current())
		assert.Equal(t, 32, h.m.people.current().ID, "Eve, responsible for Daisy LLC")
		assert.Contains(t, h.view(), "Daisy LLC (company) → Eve Adams, ext 1045, busy: in a meeting until 10:50", "the status bar")
		h.fire()
		assert.Contains(t, h.view(), "busy: in a meeting until 10:50 · ", "the details")

		h.keys("/")
		h.typeText("+49 89 0000000")
		h.press(t, press)
		assert.Equal(t, modeSearch, h.m.mode)
		assert.Contains(t, h.view(), `no CRM client has the number "+49 89 0000000"`)
	}
}

// The missing-scope line waits behind a start-up warning that matters
// more (the bar shows one, the latest); the error view lists both.
func TestAvailabilityNoteWaitsBehindWarnings(t *testing.T) {
	_, dir := availPortal(t, nil)
	warn := "others can read the config file, and it holds a secret"
	h := openDept(t, Options{Directory: dir, Warnings: []string{warn}}, "EMEA")
	v := h.view()
	assert.Contains(t, v, "! "+warn, "the start-up warning keeps the bar")
	assert.NotContains(t, v, "availability: add the calendar scope")
	assert.Equal(t, []string{"availability: add the calendar scope for meetings, timeman for workdays", warn}, h.m.status.warnings())
}

// The search's results say why someone is busy as the browser's rows do:
// once the query rests, the results on screen are asked about (typing
// alone asks nothing), and the highlighted result's details show the
// sources.
func TestAvailabilityOfSearchResults(t *testing.T) {
	p, dir := availPortal(t, fakeportal.AllScopes())
	h := newHarness(t, Options{Directory: dir, Background: true})
	h.init()
	for range 3 {
		h.fire() // the tree, everyone (for search) in the background
	}
	require.True(t, h.m.org.Complete(), "everyone is loaded")
	before := p.Commands()["timeman.status"]
	h.keys("/")
	h.typeText("eve")
	assert.Equal(t, before, p.Commands()["timeman.status"], "typing asks nothing")
	require.NotNil(t, h.m.search.current())
	require.Equal(t, 32, h.m.search.current().ID, "Eve is the result")
	h.fire() // the query rests
	assert.Greater(t, p.Commands()["timeman.status"], before, "the results on screen are asked about")
	v := h.view()
	assert.Contains(t, v, "busy: in a meeting until 10:50", "the result's details")
	assert.Contains(t, v, "workday: open since 08:00")
	asked := p.Commands()["timeman.status"]
	h.keys("down", "up")
	h.fire()
	assert.Equal(t, asked, p.Commands()["timeman.status"], "nobody is asked twice within a minute")
}
