package directory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/lang"
)

// The availability of a person now, as `find --json` and export name it.
const (
	Available = "available" // online, or at work
	Busy      = "busy"      // in a meeting (the calendar)
	Away      = "away"      // idle, or on a break (the workday)
	Off       = "off"       // the workday is closed or was never opened; offline
	AbsentNow = "absent"    // on vacation, or out of the office (the calendar)
	Unknown   = "unknown"   // nothing is known: never seen, no calendar, no workday
)

// The sources an Availability is taken from.
const (
	FromPresence = "presence"
	FromVacation = "vacation"
	FromCalendar = "calendar"
	FromWorkday  = "workday"
)

// ScheduleReuse is how old a person's calendar and workday may be before
// they are asked again: every session and command shares what was asked.
const ScheduleReuse = time.Minute

// scheduleTimeout bounds one fetch of schedules that other callers may be
// waiting for: it runs on when the caller that started it gives up.
const scheduleTimeout = time.Minute

// maxSchedules is how many schedules the shared cache keeps before it drops
// the stale ones.
const maxSchedules = 20000

// Event is a calendar event that keeps a person busy or away. Only its
// times and kind are kept, never its name.
type Event struct {
	From, To time.Time // To is the end (for an all-day event, the end of its last day)
	AllDay   bool
	Kind     string // busy, absent, quest (tentative) or free
}

// Workday is a person's workday as timeman.status says it. Where it was
// opened (IP address, coordinates) is never known here: the api never
// decodes it.
type Workday struct {
	Status   string // opened, paused, closed or expired (lower case)
	Started  time.Time
	Finished time.Time // zero while the day is open
	Breaks   time.Duration
}

// Schedule is what the calendar and the workday say of one person, as of
// AsOf. Calendar is false when the calendar could not be asked (no scope);
// Workday is nil when the workday could not be.
type Schedule struct {
	AsOf     time.Time
	Calendar bool
	Events   []Event // by start
	Workday  *Workday
}

// The kinds of reason an Availability gives: Availability.Say puts each
// in words.
const (
	WhyVacation   = "vacation"   // on vacation until At's day
	WhyOut        = "out"        // out (the calendar) until At's day
	WhyFinished   = "finished"   // the workday was closed at At
	WhyBreak      = "break"      // the workday is paused
	WhyMeeting    = "meeting"    // in a meeting until At
	WhyMaybe      = "maybe"      // in a tentative meeting until At
	WhyOnline     = "online"     // presence says online
	WhyIdle       = "idle"       // idle since At
	WhyAtWork     = "atwork"     // the workday was opened at At
	WhyLeftOpen   = "leftopen"   // the workday was left open (expired)
	WhyNotStarted = "notstarted" // the workday is closed, never opened
	WhyNeverSeen  = "never"      // never seen
	WhyOffline    = "offline"    // offline
)

// Availability is a person's availability at a moment: the state, the
// reason in English words ("in a meeting until 15:00", times in the zone
// of the moment asked about) and as a kind with its time (Say puts them in
// another language), until when it lasts when known, the workday status,
// and which source decided it.
type Availability struct {
	State   string // one of Available, Busy, Away, Off, AbsentNow, Unknown
	Reason  string // Say(lang.English()): what find --json and export write
	Why     string // the reason's kind: one of the Why constants
	At      time.Time
	Now     time.Time // the moment asked about: At is said relative to it
	Until   time.Time // busy until / back at; zero when unknown or not away
	Workday string    // opened, paused, closed, expired; "" when unknown
	Source  string    // FromPresence, FromVacation, FromCalendar or FromWorkday
	Gender  string    // the person's, as Person.Gender: the words that take one in a language take it
}

// AvailabilityAt combines p's presence and vacation with s (nil: not known)
// at now: vacation, then an absence in the calendar, a closed workday, a
// break, a meeting, and last presence. Times in Reason are in now's zone.
func (p *Person) AvailabilityAt(s *Schedule, now time.Time, threshold time.Duration) Availability {
	var a Availability
	var wd *Workday
	if s != nil && s.Workday != nil {
		wd = s.Workday
		a.Workday = wd.Status
	}
	var cur *Event
	var until time.Time
	if s != nil && s.Calendar {
		cur, until = s.current(now)
	}
	a.Now, a.Gender = now, p.Gender
	set := func(state, why string, at time.Time, source string, t time.Time) Availability {
		a.State, a.Why, a.At, a.Source, a.Until = state, why, at, source, t
		a.Reason = a.Say(lang.English())
		return a
	}
	if p.Absent(now) {
		return set(AbsentNow, WhyVacation, p.AbsentUntil, FromVacation, p.AbsentUntil)
	}
	if cur != nil && cur.Kind == "absent" {
		return set(AbsentNow, WhyOut, until.Add(-time.Second), FromCalendar, until)
	}
	if wd != nil {
		switch wd.Status {
		case "closed":
			if !wd.Finished.IsZero() {
				return set(Off, WhyFinished, wd.Finished, FromWorkday, time.Time{})
			}
		case "paused":
			return set(Away, WhyBreak, time.Time{}, FromWorkday, time.Time{})
		}
	}
	if cur != nil {
		why := WhyMeeting
		if cur.Kind == "quest" {
			why = WhyMaybe
		}
		return set(Busy, why, until, FromCalendar, until)
	}
	switch pr := p.PresenceAt(now, threshold); {
	case pr == Online:
		return set(Available, WhyOnline, time.Time{}, FromPresence, time.Time{})
	case pr == Idle:
		return set(Away, WhyIdle, p.IdleSince, FromPresence, time.Time{})
	}
	if wd != nil {
		switch wd.Status {
		case "opened":
			return set(Available, WhyAtWork, wd.Started, FromWorkday, time.Time{})
		case "expired":
			return set(Off, WhyLeftOpen, time.Time{}, FromWorkday, time.Time{})
		case "closed":
			return set(Off, WhyNotStarted, time.Time{}, FromWorkday, time.Time{})
		}
	}
	if p.LastActivity.IsZero() {
		return set(Unknown, WhyNeverSeen, time.Time{}, FromPresence, time.Time{})
	}
	return set(Off, WhyOffline, time.Time{}, FromPresence, time.Time{})
}

// Say is a's reason in the words of l, times in the zone of the moment
// asked about: "in a meeting until 15:00", "на встрече до 15:00".
func (a Availability) Say(l *lang.Language) string {
	switch a.Why {
	case WhyVacation:
		return l.T("why.vacation", "Day", DayIn(l, a.At, a.Now))
	case WhyOut:
		return l.T("why.out", "Day", DayIn(l, a.At, a.Now))
	case WhyFinished:
		return finished(l, a.At, a.Now)
	case WhyMeeting, WhyMaybe, WhyAtWork:
		return l.T("why."+a.Why, "Time", ClockIn(l, a.At, a.Now))
	case WhyIdle:
		return l.T(lang.Gendered("why.idle", a.Gender), "Age", l.RoughAge(a.Now.Sub(a.At)))
	case WhyBreak, WhyOnline, WhyLeftOpen, WhyNotStarted, WhyNeverSeen, WhyOffline:
		return l.T(lang.Gendered("why."+a.Why, a.Gender))
	}
	return ""
}

// StateIn is the word of the state s (Available, Busy ...) in l, for a
// person of gender g (Person.Gender): "busy", "занят", "занята", "занят(а)"
// when the portal does not say.
func StateIn(l *lang.Language, s, g string) string {
	switch s {
	case Available, Busy, Away, Off, AbsentNow, Unknown:
		return l.T(lang.Gendered("state."+s, g))
	}
	return s
}

// StateIn is the word of a's state in l, in the person's gender.
func (a Availability) StateIn(l *lang.Language) string { return StateIn(l, a.State, a.Gender) }

// finished is "finished for today at 18:02", or with the day when it was
// not today, in l.
func finished(l *lang.Language, t, now time.Time) string {
	if sameDay(t, now) {
		return l.T("why.finished", "Time", ClockIn(l, t, now))
	}
	return l.T("why.finishedon", "Time", ClockIn(l, t, now))
}

// current is the event keeping the person busy or absent at now (absent
// first), and when the stretch of such events it begins ends: back-to-back
// meetings are one stretch.
func (s *Schedule) current(now time.Time) (*Event, time.Time) {
	var cur *Event
	for i := range s.Events {
		e := &s.Events[i]
		if e.Kind == "free" || e.From.After(now) || !e.To.After(now) {
			continue
		}
		if cur == nil || (e.Kind == "absent" && cur.Kind != "absent") || (e.Kind == "busy" && cur.Kind == "quest") {
			cur = e
		}
	}
	if cur == nil {
		return nil, time.Time{}
	}
	until := cur.To
	for changed := true; changed; {
		changed = false
		for _, e := range s.Events {
			if e.Kind != "free" && (e.Kind == "absent") == (cur.Kind == "absent") && !e.From.After(until) && e.To.After(until) {
				until, changed = e.To, true
			}
		}
	}
	return cur, until
}

// Next is the first busy or absent event that begins after now (nil: none
// known).
func (s *Schedule) Next(now time.Time) *Event {
	if s == nil || !s.Calendar {
		return nil
	}
	for i := range s.Events {
		if e := &s.Events[i]; e.Kind != "free" && e.From.After(now) {
			return e
		}
	}
	return nil
}

// CalendarText says what the calendar says at now: "in a meeting until
// 15:00 · next 16:00–16:45", "free now · next 16:00–16:45", "free today";
// "" when the calendar is not known.
func (s *Schedule) CalendarText(now time.Time) string {
	return s.CalendarTextIn(lang.English(), now, "")
}

// CalendarTextIn is CalendarText in the words of l, of a person of gender
// g (Person.Gender).
func (s *Schedule) CalendarTextIn(l *lang.Language, now time.Time, g string) string {
	if s == nil || !s.Calendar {
		return ""
	}
	var parts []string
	if cur, until := s.current(now); cur != nil {
		switch cur.Kind {
		case "absent":
			parts = append(parts, l.T("why.out", "Day", DayIn(l, until.Add(-time.Second), now)))
		case "quest":
			parts = append(parts, l.T("why.maybe", "Time", ClockIn(l, until, now)))
		default:
			parts = append(parts, l.T("why.meeting", "Time", ClockIn(l, until, now)))
		}
	} else {
		parts = append(parts, l.T(lang.Gendered("cal.free", g)))
	}
	if n := s.Next(now); n != nil {
		if n.AllDay {
			parts = append(parts, l.T("cal.nextallday", "Day", DayIn(l, n.From, now)))
		} else {
			parts = append(parts, l.T("cal.next", "Time", ClockIn(l, n.From, now), "End", n.To.In(now.Location()).Format("15:04")))
		}
	}
	return strings.Join(parts, " · ")
}

// WorkdayText says what the workday says at now: "open since 09:12 ·
// breaks 0:35", "on a break · breaks 0:54", "finished for today at 18:02",
// "left open since Thu 09:00", "not started"; "" when it is not known.
func (s *Schedule) WorkdayText(now time.Time) string {
	return s.WorkdayTextIn(lang.English(), now)
}

// WorkdayTextIn is WorkdayText in the words of l.
func (s *Schedule) WorkdayTextIn(l *lang.Language, now time.Time) string {
	if s == nil || s.Workday == nil {
		return ""
	}
	w := s.Workday
	var parts []string
	switch w.Status {
	case "opened":
		parts = append(parts, l.T("wd.open", "Time", ClockIn(l, w.Started, now)))
	case "paused":
		parts = append(parts, l.T("why.break"))
	case "closed":
		if w.Finished.IsZero() {
			return l.T("wd.notstarted")
		}
		return finished(l, w.Finished, now)
	case "expired":
		return l.T("wd.leftopen", "Time", ClockIn(l, w.Started, now))
	default:
		return ""
	}
	if w.Breaks > 0 {
		parts = append(parts, l.T("wd.breaks", "Time", fmt.Sprintf("%d:%02d", int(w.Breaks.Hours()), int(w.Breaks.Minutes())%60)))
	}
	return strings.Join(parts, " · ")
}

// Clock is t as a time of day in now's zone, with the weekday when it is
// not now's day and the date when it is a week or more away: "15:00",
// "Fri 15:00", "12 Dec 15:00"; "?" for a zero time.
func Clock(t, now time.Time) string { return ClockIn(lang.English(), t, now) }

// ClockIn is Clock in the words of l: "15:00", "пт 15:00", "12 дек. 15:00".
func ClockIn(l *lang.Language, t, now time.Time) string {
	if t.IsZero() {
		return "?"
	}
	t = t.In(now.Location())
	if sameDay(t, now) {
		return t.Format("15:04")
	}
	if d := t.Sub(now); d > -6*24*time.Hour && d < 6*24*time.Hour {
		return weekday(l, t) + " " + t.Format("15:04")
	}
	return l.DayTime(t, now)
}

// weekday is t's weekday, short, in l: "Fri", "пт".
func weekday(l *lang.Language, t time.Time) string {
	return l.T("weekday." + strconv.Itoa(int(t.Weekday())))
}

// Day is t's day in now's zone: "today", "Fri" within a week, else "12 Dec"
// (with the year when it is not now's); "?" for a zero time.
func Day(t, now time.Time) string { return DayIn(lang.English(), t, now) }

// DayIn is Day in the words of l: "сегодня", "пт", "12 дек.".
func DayIn(l *lang.Language, t, now time.Time) string {
	if t.IsZero() {
		return "?"
	}
	t = t.In(now.Location())
	switch d := t.Sub(now); {
	case sameDay(t, now):
		return l.T("day.today")
	case d > -6*24*time.Hour && d < 6*24*time.Hour:
		return weekday(l, t)
	}
	return l.Day(t, now.In(now.Location()))
}

// sameDay reports whether t and now fall on one day in now's zone.
func sameDay(t, now time.Time) bool {
	y1, m1, d1 := t.In(now.Location()).Date()
	y2, m2, d2 := now.Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// schedules is the cache of schedules a Directory shares among its
// callers: each person's is asked at most once a ScheduleReuse, and a
// person whose schedule is being asked is waited for, not asked again.
type schedules struct {
	mu       sync.Mutex
	known    map[int]*Schedule
	inflight map[int]*gathering // the fetch each person being asked waits for
	// missing are the optional scopes the portal refused: never asked again.
	missing map[string]bool
	// next gathers the people callers ask about during GatherWait, for one
	// fetch (nil: none is gathering).
	next *gathering
}

// gathering is one fetch of schedules: the people it asks about, and
// (once done is closed) why it failed.
type gathering struct {
	ids  []int
	done chan struct{}
	err  error
}

// GatherWait is how long a fetch of schedules waits for other callers'
// people before it asks the portal: sessions opening departments at about
// the same time share the calendar's requests (100 people a command) and
// fill the workdays' (50 a request).
const GatherWait = 50 * time.Millisecond

// ScheduleNote is the line that says which missing scope would add what
// ("" when nothing is missing, or availability is not asked), short enough
// for a status bar.
func (d *Directory) ScheduleNote() string {
	d.sched.mu.Lock()
	defer d.sched.mu.Unlock()
	cal, work := d.sched.missing[api.ScopeCalendar], d.sched.missing[api.ScopeTimeman]
	switch {
	case cal && work:
		return "availability: add the calendar scope for meetings, timeman for workdays"
	case cal:
		return "availability: add the calendar scope for meetings and absences"
	case work:
		return "availability: add the timeman scope for workdays and breaks"
	}
	return ""
}

// AsksAvailability reports whether Schedules may ask the portal anything:
// the Directory has a portal and was opened with Options.Availability,
// and the portal has not refused both the calendar and the workday.
func (d *Directory) AsksAvailability() bool {
	if d.client == nil || !d.opts.Availability {
		return false
	}
	d.sched.mu.Lock()
	defer d.sched.mu.Unlock()
	return !d.sched.missing[api.ScopeCalendar] || !d.sched.missing[api.ScopeTimeman]
}

// Schedules returns the calendar and workday of each of ids
// (Options.Availability; without it, or without a client, none). What was
// asked less than ScheduleReuse ago is reused, people being asked by
// another caller are waited for, and the rest are asked, together with
// those other callers ask about within GatherWait: their events
// of today and tomorrow (calendar.accessibility.get, 100 people a command,
// 50 commands a request) and their workdays (timeman.status, 50 a
// request), both at once. A scope the portal refuses is not asked again
// (ScheduleNote says so) and is no error.
func (d *Directory) Schedules(ctx context.Context, ids []int) (map[int]*Schedule, error) {
	out := map[int]*Schedule{}
	if d.client == nil || !d.opts.Availability || len(ids) == 0 {
		return out, nil
	}
	now := d.clock()
	s := &d.sched
	s.mu.Lock()
	if s.missing[api.ScopeCalendar] && s.missing[api.ScopeTimeman] {
		s.mu.Unlock()
		return out, nil // nothing to ask: presence and vacation speak alone
	}
	var wait []*gathering
	var mine *gathering
	seen := map[int]bool{}
	for _, id := range ids {
		if id <= 0 || seen[id] {
			continue
		}
		seen[id] = true
		if k := s.known[id]; k != nil && now.Sub(k.AsOf) < ScheduleReuse {
			continue
		}
		if g, ok := s.inflight[id]; ok {
			wait = append(wait, g)
			continue
		}
		if s.next == nil {
			s.next = &gathering{done: make(chan struct{})}
			// The fetch goes on when this caller gives up: others wait for it.
			go d.gatherAndFetch(context.WithoutCancel(ctx))
		}
		mine = s.next
		mine.ids = append(mine.ids, id)
		s.inflight[id] = mine
	}
	if mine != nil {
		wait = append(wait, mine)
	}
	s.mu.Unlock()

	var err error
	for _, g := range wait {
		select {
		case <-g.done:
			if g == mine && g.err != nil {
				err = g.err
			}
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range seen {
		if k := s.known[id]; k != nil {
			out[id] = k
		}
	}
	return out, err
}

// gatherAndFetch waits GatherWait for more people, then takes the
// gathering and asks the portal about its people, at most
// scheduleTimeout.
func (d *Directory) gatherAndFetch(ctx context.Context) {
	t := time.NewTimer(GatherWait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
	s := &d.sched
	s.mu.Lock()
	g := s.next
	s.next = nil
	s.mu.Unlock()
	fctx, cancel := context.WithTimeout(ctx, scheduleTimeout)
	defer cancel()
	g.err = d.fetchSchedules(fctx, g.ids)
	close(g.done)
}

// fetchSchedules asks the portal about ids and stores what it said.
func (d *Directory) fetchSchedules(ctx context.Context, ids []int) error {
	s := &d.sched
	s.mu.Lock()
	askCal, askWork := !s.missing[api.ScopeCalendar], !s.missing[api.ScopeTimeman]
	s.mu.Unlock()
	began := d.clock()
	var (
		wg              sync.WaitGroup
		events          map[int][]api.Event
		days            map[int]api.Workday
		calErr, workErr error
	)
	if askCal {
		wg.Add(1)
		go func() {
			defer wg.Done()
			events, calErr = d.client.Accessibility(ctx, ids, began, began.Add(24*time.Hour))
		}()
	}
	if askWork {
		wg.Add(1)
		go func() {
			defer wg.Done()
			days, workErr = d.client.Workdays(ctx, ids)
		}()
	}
	wg.Wait()

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.inflight, id)
	}
	calOK, workOK := askCal && calErr == nil, askWork && workErr == nil
	for _, e := range []error{calErr, workErr} {
		var se *api.ScopeError
		if errors.As(e, &se) {
			s.missing[se.Scope] = true
		}
	}
	if !calOK && !workOK && (askCal || askWork) {
		// Nothing new: keep what was known, and say why unless a scope.
		return scheduleErr(calErr, workErr)
	}
	if len(s.known) > maxSchedules {
		for id, k := range s.known {
			if began.Sub(k.AsOf) >= ScheduleReuse {
				delete(s.known, id)
			}
		}
	}
	for _, id := range ids {
		sc := &Schedule{AsOf: began, Calendar: calOK}
		for _, e := range events[id] {
			sc.Events = append(sc.Events, Event{From: e.From, To: e.To, AllDay: e.AllDay, Kind: e.Accessibility})
		}
		slices.SortStableFunc(sc.Events, func(a, b Event) int { return a.From.Compare(b.From) })
		if w, ok := days[id]; ok && workOK {
			sc.Workday = &Workday{Status: strings.ToLower(w.Status), Started: w.Started, Finished: w.Finished, Breaks: w.Breaks}
		}
		s.known[id] = sc
	}
	return scheduleErr(calErr, workErr)
}

// clock is the Directory's time (Options.Now).
func (d *Directory) clock() time.Time {
	if d.opts.Now != nil {
		return d.opts.Now()
	}
	return time.Now()
}

// scheduleErr is the first of errs that is not a missing scope.
func scheduleErr(errs ...error) error {
	for _, e := range errs {
		if _, ok := api.MissingScope(e); e != nil && !ok {
			return lang.NewError("err.dir.schedule", "Err", e)
		}
	}
	return nil
}
