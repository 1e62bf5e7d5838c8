package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lineOf returns the line of view that holds text ("" when none does).
func lineOf(view, text string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}

// setIdle makes user id idle at the portal since d before testNow.
func setIdle(p *fakeportal.Portal, id int, d time.Duration) {
	p.Update(func(o *fakeportal.Org) {
		for i := range o.Users {
			if o.Users[i].ID == id {
				o.Users[i].IdleSince = testNow.Add(-d)
			}
		}
	})
}

// A load made for one session reaches every session over the directory,
// without their asking: the cursor stays on the same department and
// person, and a search under way stays as it is.
func TestDirectoryChangesReachEverySession(t *testing.T) {
	p, dir := startPortal(t, smallPortalOrg())
	a := newHarness(t, Options{Directory: dir})
	a.init()
	b := newHarness(t, Options{Directory: dir})
	b.init()
	c := newHarness(t, Options{Directory: dir})
	c.init()
	for _, h := range []*harness{a, b, c} {
		h.changes() // what the other sessions' starts brought
		h.selectDept("EMEA")
		h.fire() // the department's load after the cursor rests
	}
	a.changes()
	b.changes()
	c.changes()
	require.True(t, b.m.people.loaded)
	b.keys("tab", "down") // B's cursor: the second person of EMEA
	bSel := b.m.people.sel
	require.NotZero(t, bSel)
	c.keys("/")
	c.typeText("dora")
	require.Equal(t, modeSearch, c.m.mode)
	cResults := len(c.m.search.results)
	assert.NotContains(t, lineOf(b.view(), "Eve Adams"), "idle")

	setIdle(p, 32, 5*time.Minute) // Eve Adams
	before := p.Total()
	a.keys("r")
	assert.Greater(t, p.Total(), before, "r asks the portal")
	assert.Contains(t, lineOf(a.view(), "Eve Adams"), "◐ idle")

	// B and C pressed nothing: the change reaches them, at no portal cost.
	before = p.Total()
	require.True(t, b.changes(), "B was told")
	require.True(t, c.changes(), "C was told")
	assert.Equal(t, before, p.Total())
	assert.Contains(t, lineOf(b.view(), "Eve Adams"), "◐ idle")
	assert.Equal(t, 3, b.m.tree.sel, "B still on EMEA")
	assert.Equal(t, bSel, b.m.people.sel, "B's cursor on the same person")
	assert.Equal(t, panePeople, b.m.focus)
	assert.Equal(t, modeSearch, c.m.mode, "C's search goes on")
	assert.Equal(t, "dora", c.m.search.input.value())
	assert.Len(t, c.m.search.results, cResults)
	assert.False(t, b.changes(), "one change, told once")
}

// The presence refresh of many sessions showing one department costs one
// portal call a refresh period: the first session whose timer fires asks,
// the others are told, and their timers reuse what it brought.
func TestPresenceRefreshOneCallForManySessions(t *testing.T) {
	p, dir := startPortal(t, smallPortalOrg())
	const n = 10
	every := time.Second
	hs := make([]*harness, n)
	for i := range hs {
		hs[i] = newHarness(t, Options{Directory: dir, RefreshEvery: every})
		hs[i].init()
		hs[i].selectDept("EMEA")
		hs[i].fire()
	}
	for _, h := range hs {
		h.changes()
		require.True(t, h.m.people.loaded)
	}
	// Let the load age past the refresh's reuse (a timer a period later).
	for age, ok := dir.PeopleAge(3); !ok || age <= hs[0].m.refreshReuse(); age, ok = dir.PeopleAge(3) {
		time.Sleep(20 * time.Millisecond)
	}

	setIdle(p, 32, 5*time.Minute)
	p.ResetCounters()
	hs[0].send(refreshMsg{}) // the first timer of the period asks the portal
	assert.EqualValues(t, 1, p.Total(), "%v", p.Requests())
	for _, h := range hs[1:] {
		require.True(t, h.changes(), "told without asking")
		assert.Contains(t, lineOf(h.view(), "Eve Adams"), "◐ idle")
	}
	for _, h := range hs[1:] {
		h.send(refreshMsg{}) // their timers fire within the period
		assert.False(t, h.m.deptWaiting)
	}
	assert.EqualValues(t, 1, p.Total(), "%d sessions, one refresh period, one portal call: %v", n, p.Requests())

	// The user's r still asks the portal.
	hs[1].keys("r")
	assert.Greater(t, p.Total(), int64(1))
}

// Sessions whose refresh timers fire more than the directory's short reuse
// window (directory.PeopleReuse) after the department's load, but within
// the refresh period, ask the portal nothing: the load that opened the
// department is that period's one call.
func TestPresenceRefreshReusesThePeriodsLoad(t *testing.T) {
	p, dir := startPortal(t, smallPortalOrg())
	_, err := dir.LoadTree(t.Context())
	require.NoError(t, err)
	p.ResetCounters()
	const n = 5
	hs := make([]*harness, n)
	for i := range hs {
		hs[i] = newHarness(t, Options{Directory: dir}) // the default period
		hs[i].init()
		hs[i].selectDept("EMEA")
		hs[i].fire()
		require.True(t, hs[i].m.people.loaded)
	}
	opened := p.Total()
	require.Positive(t, opened)
	for age, ok := dir.PeopleAge(3); !ok || age <= directory.PeopleReuse; age, ok = dir.PeopleAge(3) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, h := range hs {
		h.send(refreshMsg{})
	}
	assert.Equal(t, opened, p.Total(), "%d sessions, one period: the opening load only; %v", n, p.Requests())
}
