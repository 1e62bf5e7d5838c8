package directory

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/lang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// availFake is a generated org with meetings and workdays around now.
func availFake(n int, now time.Time) *fakeportal.Org {
	return fakeportal.Generate(fakeportal.GenOptions{People: n, Departments: 8, Seed: 7, Now: now, Availability: true})
}

// activeIDs are the IDs of org's active people.
func activeIDs(org *fakeportal.Org) []int {
	var ids []int
	for _, u := range activeUsers(org) {
		ids = append(ids, u.ID)
	}
	return ids
}

// Each person's availability follows the fake's calendar and workday: a
// meeting now says until when, a break says so, a closed day says when it
// closed; the calendar takes one request for up to 100 people a command,
// the workdays one request for 50, and a second look within a minute asks
// nothing.
func TestSchedulesGiveTheReasonAndTheTime(t *testing.T) {
	now := time.Now()
	fake := availFake(120, now)
	p, c := startPortal(t, fake, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	d := New(c, Options{Availability: true})
	ids := activeIDs(fake)
	got, err := d.Schedules(context.Background(), ids)
	require.NoError(t, err)
	require.Len(t, got, len(ids))
	assert.Empty(t, d.ScheduleNote(), "every scope granted")
	// One calendar request (one command per 100 people) and the workdays
	// in requests of 50.
	assert.EqualValues(t, 1+(len(ids)+49)/50, p.Requests()["batch"], "%v", p.Requests())

	people := map[int]Person{}
	for _, pp := range dataOf(fake).People {
		people[pp.ID] = pp
	}
	workdays := map[int]fakeportal.Workday{}
	for _, w := range fake.Workdays {
		workdays[w.UserID] = w
	}
	var meeting, paused, closed int
	for _, e := range fake.Events {
		pp := people[e.UserID]
		w := workdays[e.UserID]
		if e.Accessibility != "busy" || !e.From.Before(now) || !e.To.After(now) || pp.Absent(now) || w.Status == "PAUSED" || w.Status == "CLOSED" {
			continue
		}
		a := pp.AvailabilityAt(got[e.UserID], now, 0)
		assert.Equal(t, Busy, a.State, "%s in a meeting", pp.Name)
		assert.False(t, a.Until.Before(e.To), "busy until the meeting's end at least")
		assert.Equal(t, "in a meeting until "+Clock(a.Until, now), a.Reason)
		assert.Equal(t, FromCalendar, a.Source)
		meeting++
	}
	for _, w := range fake.Workdays {
		pp := people[w.UserID]
		if pp.Absent(now) {
			continue
		}
		a := pp.AvailabilityAt(got[w.UserID], now, 0)
		switch w.Status {
		case "PAUSED":
			if a.Source == FromCalendar && a.State == AbsentNow {
				continue // out of the office outranks a break
			}
			assert.Equal(t, Away, a.State)
			assert.Equal(t, "on a break", a.Reason)
			assert.Equal(t, "paused", a.Workday)
			paused++
		case "CLOSED":
			if a.Source == FromCalendar {
				continue
			}
			assert.Equal(t, Off, a.State)
			assert.Contains(t, a.Reason, "finished")
			assert.Contains(t, a.Reason, Clock(w.Finish, now))
			closed++
		}
	}
	assert.Positive(t, meeting)
	assert.Positive(t, paused)
	assert.Positive(t, closed)

	before := p.Total()
	again, err := d.Schedules(context.Background(), ids)
	require.NoError(t, err)
	assert.Equal(t, got, again)
	assert.Equal(t, before, p.Total(), "reused within a minute")
}

// Many callers asking at once about overlapping people cost the portal
// one fetch: a person being asked is waited for, not asked again.
func TestSchedulesAreSharedByConcurrentCallers(t *testing.T) {
	fake := availFake(90, time.Now())
	p, c := startPortal(t, fake, fakeportal.Options{Scopes: fakeportal.AllScopes(), Latency: 30 * time.Millisecond})
	d := New(c, Options{Availability: true})
	ids := activeIDs(fake)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part := ids[i%10:]
			got, err := d.Schedules(context.Background(), part)
			assert.NoError(t, err)
			assert.Len(t, got, len(part))
		}()
	}
	wg.Wait()
	// At most one calendar and one set of workday requests per caller
	// that found someone not yet asked; typically the first caller asks
	// for nearly everyone and the rest wait.
	assert.LessOrEqual(t, p.Requests()["batch"], int64(3*10), "%v", p.Requests())
	assert.EqualValues(t, len(ids), p.Commands()["timeman.status"], "each workday asked once: %v", p.Commands())
}

// Without the calendar and timeman scopes availability comes from
// presence alone, one sentence says which scope would add what, and the
// portal is not asked again.
func TestSchedulesWithoutTheScopes(t *testing.T) {
	fake := availFake(40, time.Now())
	p, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{Availability: true})
	ids := activeIDs(fake)
	got, err := d.Schedules(context.Background(), ids)
	require.NoError(t, err, "a missing scope is no error")
	assert.Empty(t, got)
	note := d.ScheduleNote()
	assert.Equal(t, "availability: add the calendar scope for meetings, timeman for workdays", note)
	before := p.Total()
	got, err = d.Schedules(context.Background(), ids[:5])
	require.NoError(t, err)
	assert.Empty(t, got, "nothing to say beyond presence")
	assert.Equal(t, before, p.Total(), "a refused scope is not asked again")

	// Only the timeman scope missing: the calendar still answers.
	p2, c2 := startPortal(t, fake, fakeportal.Options{Scopes: []string{"department", "user", "im", "calendar"}})
	d2 := New(c2, Options{Availability: true})
	got, err = d2.Schedules(context.Background(), ids)
	require.NoError(t, err)
	require.Len(t, got, len(ids))
	for _, s := range got {
		assert.True(t, s.Calendar)
		assert.Nil(t, s.Workday)
	}
	assert.Equal(t, "availability: add the timeman scope for workdays and breaks", d2.ScheduleNote())
	assert.Positive(t, p2.Total())
}

// A Directory without the option, or without a client, asks nothing.
func TestSchedulesOnlyWhenAsked(t *testing.T) {
	fake := availFake(20, time.Now())
	p, c := startPortal(t, fake, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	got, err := New(c, Options{}).Schedules(context.Background(), activeIDs(fake))
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Zero(t, p.Total())
	got, err = New(nil, Options{Availability: true}).Schedules(context.Background(), []int{1})
	require.NoError(t, err)
	assert.Empty(t, got)
}

// The rules that combine the sources, and the times in the viewer's zone.
func TestAvailabilityAt(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	now := time.Date(2026, 12, 3, 13, 20, 0, 0, berlin) // a Thursday
	at := func(h, m int) time.Time { return time.Date(2026, 12, 3, h, m, 0, 0, berlin).UTC() }
	online := Person{LastActivity: now.Add(-time.Minute)}
	offline := Person{LastActivity: now.Add(-3 * time.Hour)}
	meeting := Event{From: at(13, 0), To: at(14, 0), Kind: "busy"}
	cases := []struct {
		name   string
		p      Person
		s      *Schedule
		state  string
		reason string
	}{
		{"presence only", online, nil, Available, "online"},
		{"never seen", Person{}, nil, Unknown, "never seen"},
		{"offline", offline, nil, Off, "offline"},
		{"idle", Person{IdleSince: now.Add(-20 * time.Minute), LastActivity: now.Add(-20 * time.Minute)}, nil, Away, "idle 20m"},
		{"meeting", online, &Schedule{Calendar: true, Events: []Event{meeting}}, Busy, "in a meeting until 14:00"},
		{"back-to-back meetings are one stretch", online, &Schedule{Calendar: true, Events: []Event{
			meeting, {From: at(14, 0), To: at(15, 0), Kind: "busy"}, {From: at(16, 0), To: at(17, 0), Kind: "busy"}}}, Busy, "in a meeting until 15:00"},
		{"tentative", online, &Schedule{Calendar: true, Events: []Event{{From: at(13, 0), To: at(14, 0), Kind: "quest"}}}, Busy, "maybe in a meeting until 14:00"},
		{"a free event is no meeting", online, &Schedule{Calendar: true, Events: []Event{{From: at(13, 0), To: at(14, 0), Kind: "free"}}}, Available, "online"},
		{"out of the office", online, &Schedule{Calendar: true, Events: []Event{
			{From: time.Date(2026, 12, 3, 0, 0, 0, 0, berlin), To: time.Date(2026, 12, 5, 0, 0, 0, 0, berlin), AllDay: true, Kind: "absent"}}}, AbsentNow, "out until Fri"},
		{"vacation first", Person{AbsentUntil: time.Date(2026, 12, 20, 0, 0, 0, 0, berlin)}, &Schedule{Calendar: true, Events: []Event{meeting}}, AbsentNow, "on vacation until 20 Dec"},
		{"closed today", online, &Schedule{Workday: &Workday{Status: "closed", Started: at(9, 0), Finished: at(12, 2)}}, Off, "finished for today at 12:02"},
		{"closed yesterday", offline, &Schedule{Workday: &Workday{Status: "closed", Finished: at(12, 2).Add(-24 * time.Hour)}}, Off, "finished Wed 12:02"},
		{"on a break, even in a meeting", online, &Schedule{Calendar: true, Events: []Event{meeting}, Workday: &Workday{Status: "paused"}}, Away, "on a break"},
		{"at work, offline in the messenger", offline, &Schedule{Workday: &Workday{Status: "opened", Started: at(8, 45)}}, Available, "at work since 08:45"},
		{"expired", offline, &Schedule{Workday: &Workday{Status: "expired"}}, Off, "workday left open"},
		{"never opened", offline, &Schedule{Workday: &Workday{Status: "closed"}}, Off, "workday not started"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.p.AvailabilityAt(c.s, now, 0)
			assert.Equal(t, c.state, a.State)
			assert.Equal(t, c.reason, a.Reason)
		})
	}
	s := &Schedule{Calendar: true, Events: []Event{meeting, {From: at(16, 0), To: at(16, 45), Kind: "busy"}},
		Workday: &Workday{Status: "opened", Started: at(8, 45), Breaks: 35 * time.Minute}}
	assert.Equal(t, "in a meeting until 14:00 · next 16:00–16:45", s.CalendarText(now))
	assert.Equal(t, "open since 08:45 · breaks 0:35", s.WorkdayText(now))
	assert.Equal(t, "free now · next 16:00–16:45", s.CalendarText(at(14, 30).In(berlin)))
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(s.CalendarText(now.In(tokyo)), "in a meeting until 22:00"), "the viewer's zone")
}

// Say puts each reason in the language asked, dates and times in its form
// (24-hour clock, "пт", "20 дек."); Reason stays English for --json.
func TestAvailabilitySaysRussian(t *testing.T) {
	ru := lang.Russian()
	now := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC) // a Wednesday
	seen := &Person{LastActivity: now.Add(-3 * time.Hour)}
	for _, c := range []struct {
		p        *Person
		s        *Schedule
		en, want string
	}{
		{&Person{AbsentUntil: time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)}, nil, "on vacation until 20 Dec", "в отпуске до 20 дек."},
		{seen, &Schedule{Calendar: true, Events: []Event{{From: now.Add(-time.Hour), To: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), Kind: "absent"}}}, "out until Fri", "отсутствует до пт"},
		{seen, &Schedule{Calendar: true, Events: []Event{{From: now.Add(-time.Hour), To: now.Add(time.Hour), Kind: "quest"}}}, "maybe in a meeting until 15:00", "возможно, на встрече до 15:00"},
		{seen, &Schedule{Workday: &Workday{Status: "closed", Started: now.Add(-30 * time.Hour), Finished: now.Add(-20 * time.Hour)}}, "finished Tue 18:00", "рабочий день окончен вт 18:00"},
		{seen, &Schedule{Workday: &Workday{Status: "paused"}}, "on a break", "на перерыве"},
		{seen, &Schedule{Workday: &Workday{Status: "opened", Started: now.Add(-5 * time.Hour)}}, "at work since 09:00", "на работе с 09:00"},
		{seen, &Schedule{Workday: &Workday{Status: "expired"}}, "workday left open", "рабочий день не закрыт"},
		{seen, nil, "offline", "не в сети"},
		{&Person{}, nil, "never seen", "ни разу не заходил(а)"},
	} {
		a := c.p.AvailabilityAt(c.s, now, 0)
		assert.Equal(t, c.en, a.Reason)
		assert.Equal(t, c.en, a.Say(lang.English()))
		assert.Equal(t, c.want, a.Say(ru), c.en)
	}
	s := &Schedule{Calendar: true, Events: []Event{{From: now.Add(24 * time.Hour), To: now.Add(48 * time.Hour), AllDay: true, Kind: "busy"}}, Workday: &Workday{Status: "opened", Started: now.Add(-5 * time.Hour), Breaks: 35 * time.Minute}}
	assert.Equal(t, "free now · next Thu (all day)", s.CalendarText(now))
	assert.Equal(t, "сейчас свободен(на) · далее чт (весь день)", s.CalendarTextIn(ru, now, ""))
	assert.Equal(t, "open since 09:00 · breaks 0:35", s.WorkdayText(now))
	assert.Equal(t, "открыт с 09:00 · перерывы 0:35", s.WorkdayTextIn(ru, now))
	assert.Equal(t, "занят(а)", StateIn(ru, Busy, ""))

	// The words that take a gender take the person's (PERSONAL_GENDER).
	assert.Equal(t, "сейчас свободна · далее чт (весь день)", s.CalendarTextIn(ru, now, "F"))
	assert.Equal(t, "сейчас свободен · далее чт (весь день)", s.CalendarTextIn(ru, now, "M"))
	assert.Equal(t, "free now · next Thu (all day)", s.CalendarTextIn(lang.English(), now, "F"))
	assert.Equal(t, "занята", StateIn(ru, Busy, "F"))
	assert.Equal(t, "не работает", StateIn(ru, Off, "F"), "a word without a gender stays as it is")
	for _, g := range []struct{ gender, never, idle, away string }{
		{"F", "ни разу не заходила", "неактивна 3 ч", "отошла"},
		{"M", "ни разу не заходил", "неактивен 3 ч", "отошёл"},
		{"", "ни разу не заходил(а)", "неактивен(на) 3 ч", "отошёл(ла)"},
	} {
		assert.Equal(t, g.never, (&Person{Gender: g.gender}).AvailabilityAt(nil, now, 0).Say(ru))
		idle := (&Person{Gender: g.gender, LastActivity: now, IdleSince: now.Add(-3 * time.Hour)}).AvailabilityAt(nil, now, 0)
		assert.Equal(t, g.idle, idle.Say(ru))
		assert.Equal(t, g.away, idle.StateIn(ru))
		assert.Equal(t, "idle 3h", idle.Reason, "English and the JSON's reason take no gender")
	}
	assert.Equal(t, "пт 15:00", ClockIn(ru, time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC), now))
	assert.Equal(t, "12 дек. 15:00", ClockIn(ru, time.Date(2026, 12, 12, 15, 0, 0, 0, time.UTC), now))
	assert.Equal(t, "12 Dec 15:00", Clock(time.Date(2026, 12, 12, 15, 0, 0, 0, time.UTC), now))
}
