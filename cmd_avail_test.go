package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// availPerson is what these tests read of a person in find --json and export.
type availPerson struct {
	ID           int     `json:"id"`
	Availability string  `json:"availability"`
	BusyUntil    *string `json:"busy_until"`
	Workday      *string `json:"workday"`
}

// statusPeople picks, among org's active people with a unique extension
// and no vacation, one in a meeting now (by the calendar alone: workday
// opened), one on a break and one whose workday closed today.
func statusPeople(t *testing.T, org *fakeportal.Org, now time.Time) (meeting fakeportal.User, meetingEnd time.Time, paused, closed fakeportal.User) {
	t.Helper()
	exts := map[string]int{}
	for _, u := range org.Users {
		exts[u.Extension]++
	}
	ok := func(u fakeportal.User) bool {
		return u.Active && u.Extension != "" && exts[u.Extension] == 1 && u.AbsentUntil.IsZero() && len(u.Departments) > 0
	}
	workdays := map[int]fakeportal.Workday{}
	for _, w := range org.Workdays {
		workdays[w.UserID] = w
	}
	events := map[int][]fakeportal.Event{}
	for _, e := range org.Events {
		events[e.UserID] = append(events[e.UserID], e)
	}
	// calm: no event now but the one meeting, and none starting at its end.
	calm := func(u fakeportal.User) (time.Time, bool) {
		var end time.Time
		for _, e := range events[u.ID] {
			if e.From.Before(now) && e.To.After(now) {
				if e.Accessibility != "busy" || !end.IsZero() {
					return time.Time{}, false
				}
				end = e.To
			}
		}
		for _, e := range events[u.ID] {
			if !e.From.After(end) && e.To.After(end) && !e.From.Before(now) {
				return time.Time{}, false
			}
		}
		return end, true
	}
	for _, u := range org.Users {
		if !ok(u) {
			continue
		}
		end, fine := calm(u)
		w := workdays[u.ID]
		switch {
		case fine && !end.IsZero() && w.Status == "OPENED" && meeting.ID == 0:
			meeting, meetingEnd = u, end
		case fine && end.IsZero() && w.Status == "PAUSED" && paused.ID == 0:
			paused = u
		case fine && end.IsZero() && w.Status == "CLOSED" && !w.Finish.IsZero() && closed.ID == 0 &&
			w.Finish.In(now.Location()).YearDay() == now.YearDay():
			closed = u
		}
	}
	require.NotZero(t, meeting.ID, "someone in a meeting")
	require.NotZero(t, paused.ID, "someone on a break")
	require.NotZero(t, closed.ID, "someone whose workday closed today")
	return meeting, meetingEnd, paused, closed
}

// findOne runs find --refresh --json for u's extension (a find answered
// from the cache alone asks nothing of the portal, availability included)
// and returns u's entry.
func findOne(t *testing.T, e *runEnv, u fakeportal.User, extra ...string) (availPerson, result) {
	t.Helper()
	r := e.run(t, append(append([]string{"--refresh", "find", "--json"}, extra...), u.Extension)...)
	require.Equal(t, 0, r.code, r.stderr)
	var got []availPerson
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
	for _, p := range got {
		if p.ID == u.ID {
			return p, r
		}
	}
	t.Fatalf("find %s did not list %d: %s", u.Extension, u.ID, r.stdout)
	return availPerson{}, r
}

// find --json says who is busy until when, who is on a break and whose
// workday is closed; the table says it in words; export carries the fields
// (presence and vacation only), csv as its last columns; and no IP address
// or coordinate of a workday reaches any output or cache file.
func TestFindAvailability(t *testing.T) {
	now := time.Now()
	org := availOrg(now)
	meeting, end, paused, closed := statusPeople(t, org, now)
	p := startPortal(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	e := newRunEnv(t).with("B24_WEBHOOK_URL=" + p.WebhookURL())

	m, r1 := findOne(t, e, meeting)
	assert.Equal(t, "busy", m.Availability)
	require.NotNil(t, m.BusyUntil)
	until, err := time.Parse(time.RFC3339, *m.BusyUntil)
	require.NoError(t, err)
	assert.True(t, until.Equal(end), "busy until %v, the meeting ends %v", until, end)
	require.NotNil(t, m.Workday)
	assert.Equal(t, "opened", *m.Workday)

	b, r2 := findOne(t, e, paused)
	assert.Equal(t, "away", b.Availability)
	assert.Nil(t, b.BusyUntil)
	require.NotNil(t, b.Workday)
	assert.Equal(t, "paused", *b.Workday)

	c, r3 := findOne(t, e, closed)
	assert.Equal(t, "off", c.Availability)
	require.NotNil(t, c.Workday)
	assert.Equal(t, "closed", *c.Workday)
	assert.NotContains(t, r1.stderr+r2.stderr+r3.stderr, "scope", "every scope granted: nothing to say")

	table := e.run(t, "--refresh", "find", meeting.Extension)
	require.Equal(t, 0, table.code, table.stderr)
	assert.Contains(t, table.stdout, "in a meeting until ", "the table says why")
	tb := e.run(t, "--refresh", "find", paused.Extension)
	assert.Contains(t, tb.stdout, "on a break")
	tc := e.run(t, "--refresh", "find", closed.Extension)
	before := p.Total()
	fromCache := e.run(t, "find", "--json", closed.Extension)
	require.Equal(t, 0, fromCache.code, fromCache.stderr)
	var cached []availPerson
	require.NoError(t, json.Unmarshal([]byte(fromCache.stdout), &cached))
	require.NotEmpty(t, cached)
	assert.Equal(t, closed.ID, cached[0].ID)
	assert.Nil(t, cached[0].Workday, "an answer from the cache alone asks the portal nothing")
	assert.Equal(t, before, p.Total())
	assert.Contains(t, tc.stdout, "finished for today at ")

	exp := e.run(t, "export")
	require.Equal(t, 0, exp.code, exp.stderr)
	var data struct {
		Employees []map[string]any `json:"employees"`
	}
	require.NoError(t, json.Unmarshal([]byte(exp.stdout), &data))
	require.NotEmpty(t, data.Employees)
	for _, p := range data.Employees {
		assert.Contains(t, []any{"available", "busy", "away", "off", "absent", "unknown"}, p["availability"])
		assert.Contains(t, p, "busy_until")
		assert.Contains(t, p, "workday")
	}
	csvOut := e.run(t, "export", "--format", "csv")
	require.Equal(t, 0, csvOut.code, csvOut.stderr)
	rows, err := csv.NewReader(strings.NewReader(csvOut.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"manager_id", "availability", "busy_until", "workday"}, rows[0][len(rows[0])-4:], "new columns go last")

	everything := r1.all() + r2.all() + r3.all() + table.all() + tb.all() + tc.all() + exp.all() + csvOut.all() + filesUnder(t, e.cache)
	require.NotEmpty(t, places(org))
	for _, s := range places(org) {
		assert.NotContains(t, everything, s, "no place of a workday in output or cache")
	}
}

// With a webhook that lacks the calendar and timeman scopes, find
// --verbose says once which scope would add what, and find and export work
// as before, availability coming from presence and vacation.
func TestAvailabilityWithoutTheScopes(t *testing.T) {
	now := time.Now()
	org := availOrg(now)
	meeting, _, _, _ := statusPeople(t, org, now)
	p := startPortal(t, org, fakeportal.Options{}) // department, user, im
	e := newRunEnv(t).with("B24_WEBHOOK_URL=" + p.WebhookURL())

	v := e.run(t, "--refresh", "find", "--verbose", meeting.Extension)
	require.Equal(t, 0, v.code, v.stderr)
	want := "availability: add the calendar scope for meetings, timeman for workdays"
	assert.Equal(t, 1, strings.Count(v.stderr, want), "one line: %q", v.stderr)
	assert.Contains(t, v.stdout, meeting.LastName)

	m, r := findOne(t, e, meeting)
	assert.NotContains(t, r.stderr, "scope", "said only with --verbose")
	assert.NotEqual(t, "busy", m.Availability, "the calendar was not asked")
	assert.Nil(t, m.Workday)

	exp := e.run(t, "export", "--format", "csv")
	require.Equal(t, 0, exp.code, exp.stderr)
	assert.True(t, strings.HasPrefix(exp.stdout, "id,name,"))
	assert.NotContains(t, exp.stderr, "scope")
}
