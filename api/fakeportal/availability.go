package fakeportal

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Event is a calendar event a user takes part in, as
// calendar.accessibility.get reports it.
type Event struct {
	ID     int
	UserID int
	Name   string
	From   time.Time
	To     time.Time // for an all-day event: the start of its last day
	AllDay bool
	// Accessibility is busy, absent, quest or free.
	Accessibility string
	Importance    string // high, normal or low
}

// Workday is a user's current workday, as timeman.status reports it. A
// user without one answers CLOSED with no times (a day never opened).
type Workday struct {
	UserID int
	Status string // OPENED, PAUSED, CLOSED or EXPIRED
	Start  time.Time
	Finish time.Time     // zero while the day is not closed
	Leaks  time.Duration // the breaks so far
	// Where the day was opened and closed: the portal reports them, the
	// program must never show, log or cache them.
	IPOpen, IPClose    string
	LatOpen, LonOpen   float64
	LatClose, LonClose float64
}

// CRMClient is a CRM contact, company or lead with its phone numbers (as
// typed, in national or international formats) and its responsible employee.
type CRMClient struct {
	Type       string // CONTACT, COMPANY or LEAD
	ID         int
	Name       string
	Phones     []string
	AssignedBy int // user ID
}

// The CRM entity types, in the order telephony.externalCall.searchCrmEntities lists them.
var crmOrder = map[string]int{"CONTACT": 0, "COMPANY": 1, "LEAD": 2}

// availability is what the index keeps of events, workdays and CRM clients.
type availability struct {
	events   map[int][]Event // user ID -> events by start
	workdays map[int]Workday
	clients  []CRMClient
}

func buildAvailability(org *Org) availability {
	a := availability{events: map[int][]Event{}, workdays: map[int]Workday{}}
	for _, e := range org.Events {
		a.events[e.UserID] = append(a.events[e.UserID], e)
	}
	for id := range a.events {
		sort.SliceStable(a.events[id], func(i, j int) bool { return a.events[id][i].From.Before(a.events[id][j].From) })
	}
	for _, w := range org.Workdays {
		a.workdays[w.UserID] = w
	}
	a.clients = append([]CRMClient(nil), org.Clients...)
	return a
}

// phoneKey is the national significant number of a phone as the fake
// compares them: its digits without an international prefix (+, 00) or
// leading trunk zeros, and with the Russian trunk prefix 8 read as the
// country code 7.
func phoneKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := strings.TrimLeft(b.String(), "0")
	if len(d) == 11 && d[0] == '8' {
		d = "7" + d[1:]
	}
	return d
}

// samePhone reports whether two phone keys are one number: equal, or one
// the national tail of the other (at least 7 digits), as a number written
// without its country code is.
func samePhone(a, b string) bool {
	if len(a) < 7 || len(b) < 7 {
		return a == b && a != ""
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	return strings.HasSuffix(a, b) && len(a)-len(b) <= 3
}

// ---------------------------------------------------------------- generation

// addAvailability gives the org's people meetings, absences, workdays
// (opened, on a break, closed, expired) and CRM clients with responsible
// employees, relative to now, deterministically for seed. It draws from a
// random stream of its own, so the rest of the org is as without it.
func addAvailability(org *Org, now time.Time, seed int64, hostile bool) {
	r := rand.New(rand.NewPCG(uint64(seed), 0xa7a11ab1e))
	loc := now.Location()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	quarter := func(t time.Time) time.Time { return t.Truncate(15 * time.Minute) }
	meetings := []string{"Weekly sync", "Планёрка", "Kundentermin", "Design review", "1:1", "Budget 2027", "产品评审", "اجتماع الفريق"}
	var active []int
	eventID := 1000
	for _, u := range org.Users {
		if !u.Active || u.Bot || u.Extranet {
			continue
		}
		active = append(active, u.ID)
		onVacation := !u.AbsentUntil.IsZero()
		switch x := r.Float64(); {
		case x < 0.25: // in a meeting now
			from := quarter(now.Add(-time.Duration(r.IntN(50)) * time.Minute))
			to := quarter(now.Add(time.Duration(15+r.IntN(90)) * time.Minute))
			eventID++
			org.Events = append(org.Events, Event{ID: eventID, UserID: u.ID, Name: meetings[r.IntN(len(meetings))],
				From: from, To: to, Accessibility: "busy", Importance: "normal"})
		case x < 0.30: // out of the office for a few days (a planned absence)
			eventID++
			org.Events = append(org.Events, Event{ID: eventID, UserID: u.ID, Name: "Business trip",
				From: today, To: today.AddDate(0, 0, 1+r.IntN(3)), AllDay: true, Accessibility: "absent", Importance: "normal"})
		case x < 0.33: // tentatively booked
			from := quarter(now.Add(-time.Duration(r.IntN(30)) * time.Minute))
			eventID++
			org.Events = append(org.Events, Event{ID: eventID, UserID: u.ID, Name: meetings[r.IntN(len(meetings))],
				From: from, To: from.Add(time.Hour), Accessibility: "quest", Importance: "low"})
		}
		if r.Float64() < 0.3 { // a meeting later on
			from := quarter(now.Add(time.Duration(60+r.IntN(300)) * time.Minute))
			eventID++
			org.Events = append(org.Events, Event{ID: eventID, UserID: u.ID, Name: meetings[r.IntN(len(meetings))],
				From: from, To: from.Add(time.Duration(30+15*r.IntN(4)) * time.Minute), Accessibility: "busy", Importance: "high"})
		}
		if onVacation {
			continue
		}
		w := Workday{UserID: u.ID,
			IPOpen:  fmt.Sprintf("203.0.113.%d", 1+r.IntN(254)),
			LatOpen: 55.7 + r.Float64()/10, LonOpen: 37.5 + r.Float64()/10}
		switch x := r.Float64(); {
		case x < 0.50:
			w.Status = "OPENED"
			w.Start = now.Add(-time.Duration(20+r.IntN(480)) * time.Minute)
			w.Leaks = time.Duration(r.IntN(40)) * time.Minute
		case x < 0.60:
			w.Status = "PAUSED"
			w.Start = now.Add(-time.Duration(60+r.IntN(300)) * time.Minute)
			w.Leaks = time.Duration(5+r.IntN(50)) * time.Minute
		case x < 0.82:
			w.Status = "CLOSED"
			w.Finish = now.Add(-time.Duration(5+r.IntN(600)) * time.Minute)
			w.Start = w.Finish.Add(-time.Duration(7*60+r.IntN(180)) * time.Minute)
			w.Leaks = time.Duration(r.IntN(60)) * time.Minute
			w.IPClose = fmt.Sprintf("198.51.100.%d", 1+r.IntN(254))
			w.LatClose, w.LonClose = 59.9+r.Float64()/10, 30.3+r.Float64()/10
		case x < 0.86:
			w.Status = "EXPIRED"
			w.Start = today.Add(-time.Duration(14+r.IntN(6)) * time.Hour)
		default:
			continue // never opened
		}
		org.Workdays = append(org.Workdays, w)
	}
	if len(active) == 0 {
		return
	}
	addClients(org, r, active, hostile)
}

// clientNames are the parts of generated CRM client names.
var (
	clientFirst  = []string{"John", "Maria", "Ivan", "Olga", "Klaus", "Wei", "Fatima", "Pierre", "Anna", "Dmitry"}
	clientLast   = []string{"Doe", "Smirnova", "Petrov", "Schmidt", "Zhang", "Haddad", "Dubois", "Novak", "Miller", "Kuznetsov"}
	companyWords = []string{"Daisy", "Northwind", "Полюс", "Rheinmetall", "Sunrise", "Atlas", "Вектор", "Blue Ocean", "Granit", "Orion"}
	companyForms = []string{"LLC", "ООО", "GmbH", "Ltd", "Inc.", "АО"}
)

// phoneFormats write a number in the national or international forms a
// CRM holds: with +, with 00, with the trunk prefix, with brackets,
// dashes and spaces.
var phoneFormats = []func(r *rand.Rand) string{
	func(r *rand.Rand) string { // +7 (495) 123-45-67
		d := digits(r, 7)
		return "+7 (495) " + d[:3] + "-" + d[3:5] + "-" + d[5:]
	},
	func(r *rand.Rand) string { // 8 (812) 123-45-67
		d := digits(r, 7)
		return "8 (812) " + d[:3] + "-" + d[3:5] + "-" + d[5:]
	},
	func(r *rand.Rand) string { return "+49 30 " + digits(r, 7) },  // Berlin
	func(r *rand.Rand) string { return "0049 89 " + digits(r, 7) }, // Munich, with 00
	func(r *rand.Rand) string { return "030 " + digits(r, 7) },     // Berlin, national
	func(r *rand.Rand) string { return "+1 212-555-0" + digits(r, 3) },
	func(r *rand.Rand) string { return "+44 20 7946 " + digits(r, 4) },
	func(r *rand.Rand) string { return "7" + "916" + digits(r, 7) }, // digits only, as PBXs send them
}

// addClients adds contacts, companies and leads: about one per four
// people, each with a responsible employee among active.
func addClients(org *Org, r *rand.Rand, active []int, hostile bool) {
	n := max(3, len(active)/4)
	samples := HostileSamples()
	seen := map[string]bool{}
	for i := range n {
		c := CRMClient{ID: 100 + i, AssignedBy: active[r.IntN(len(active))]}
		switch x := r.IntN(10); {
		case x < 5:
			c.Type = "CONTACT"
			c.Name = clientFirst[r.IntN(len(clientFirst))] + " " + clientLast[r.IntN(len(clientLast))]
		case x < 8:
			c.Type = "COMPANY"
			c.Name = companyWords[r.IntN(len(companyWords))] + " " + companyForms[r.IntN(len(companyForms))]
		default:
			c.Type = "LEAD"
			c.Name = "Lead: " + clientFirst[r.IntN(len(clientFirst))] + " " + clientLast[r.IntN(len(clientLast))]
		}
		if hostile && i%7 == 3 {
			c.Name = samples[(i/7)%len(samples)]
		}
		for range 1 + r.IntN(2) {
			ph := phoneFormats[r.IntN(len(phoneFormats))](r)
			if k := phoneKey(ph); !seen[k] {
				seen[k] = true
				c.Phones = append(c.Phones, ph)
			}
		}
		org.Clients = append(org.Clients, c)
	}
}

// addDemoClients adds the clients of the documentation's examples: a
// company and its contact on a Moscow number, a lead on a Berlin one, their
// responsible employees heads of departments.
func addDemoClients(org *Org) {
	heads := []int{}
	for _, d := range org.Departments {
		if d.Head > 0 {
			heads = append(heads, d.Head)
		}
	}
	if len(heads) < 3 {
		return
	}
	org.Clients = append(org.Clients,
		CRMClient{Type: "CONTACT", ID: 1, Name: "John Doe", Phones: []string{"+7 (495) 123-45-67"}, AssignedBy: heads[1]},
		CRMClient{Type: "COMPANY", ID: 2, Name: "Daisy LLC", Phones: []string{"8 (495) 123-45-67"}, AssignedBy: heads[2]},
		CRMClient{Type: "LEAD", ID: 3, Name: "Klaus Schmidt", Phones: []string{"+49 30 1234567"}, AssignedBy: heads[len(heads)-1]},
	)
}

// ---------------------------------------------------------------- calendar

func errCalendarParam(name string) *apiError {
	return apiErr(http.StatusBadRequest, "",
		`The required parameter "`+name+`" for the method "calendar.accessibility.get" is not set`)
}

// calendarAccessibility is calendar.accessibility.get: the events of each
// user in users[] between the days from and to, inclusive. An unreadable
// date is taken as missing (the docs give no other answer for it).
func calendarAccessibility(c *call) (result, *apiError) {
	loc := c.now.Location()
	day := func(name string) (time.Time, *apiError) {
		v, ok := c.params.get(name)
		if !ok {
			return time.Time{}, errCalendarParam(name)
		}
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(phpString(v)), loc)
		if err != nil {
			return time.Time{}, errCalendarParam(name)
		}
		return t, nil
	}
	from, e := day("from")
	if e != nil {
		return result{}, e
	}
	to, e := day("to")
	if e != nil {
		return result{}, e
	}
	v, _ := c.params.get("users")
	users := imIDs(v)
	if len(users) == 0 {
		return result{}, errCalendarParam("users")
	}
	end := to.AddDate(0, 0, 1)
	out := newArr()
	rows := 0
	for _, id := range users {
		list := newArr()
		for _, ev := range c.idx.avail.events[id] {
			evEnd := ev.To
			if ev.AllDay {
				evEnd = ev.To.AddDate(0, 0, 1)
			}
			if !ev.From.Before(end) || !evEnd.After(from) {
				continue
			}
			list.push(c.eventObject(ev))
			rows++
		}
		out.set(strconv.Itoa(id), list)
	}
	return result{value: out, rows: rows}, nil
}

// eventObject is one event as calendar.accessibility.get shows it.
func (c *call) eventObject(ev Event) *parr {
	loc := c.now.Location()
	from, to := ev.From.In(loc), ev.To.In(loc)
	layout := "02.01.2006 15:04:05"
	if ev.AllDay {
		layout = "02.01.2006"
	}
	_, offFrom := from.Zone()
	_, offTo := to.Zone()
	a := newArr()
	a.set("ID", strconv.Itoa(ev.ID))
	a.set("NAME", ev.Name)
	a.set("DATE_FROM", from.Format(layout))
	a.set("DATE_TO", to.Format(layout))
	a.set("DATE_FROM_TS_UTC", strconv.FormatInt(from.Unix(), 10))
	a.set("DATE_TO_TS_UTC", strconv.FormatInt(to.Unix(), 10))
	a.set("~USER_OFFSET_FROM", offFrom)
	a.set("~USER_OFFSET_TO", offTo)
	a.set("DT_SKIP_TIME", yn(ev.AllDay))
	a.set("TZ_FROM", loc.String())
	a.set("TZ_TO", loc.String())
	a.set("ACCESSIBILITY", ev.Accessibility)
	a.set("IMPORTANCE", ev.Importance)
	return a
}

// ---------------------------------------------------------------- timeman

// timemanStatus is timeman.status for USER_ID (default: the caller).
func timemanStatus(c *call) (result, *apiError) {
	id := c.user
	if v, ok := c.params.upper().get("USER_ID"); ok {
		id = phpInt(v)
	}
	if c.idx.byID[id] == nil {
		return result{}, apiErr(http.StatusBadRequest, "", "User not found")
	}
	w, ok := c.idx.avail.workdays[id]
	if !ok {
		w = Workday{UserID: id, Status: "CLOSED"}
	}
	loc := c.now.Location()
	orNull := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return isoTime(t.In(loc))
	}
	a := newArr()
	a.set("STATUS", w.Status)
	a.set("TIME_START", orNull(w.Start))
	a.set("TIME_FINISH", orNull(w.Finish))
	dur := time.Duration(0)
	if !w.Finish.IsZero() && !w.Start.IsZero() {
		dur = w.Finish.Sub(w.Start) - w.Leaks
	}
	a.set("DURATION", clock(dur))
	a.set("TIME_LEAKS", clock(w.Leaks))
	a.set("ACTIVE", true)
	a.set("IP_OPEN", w.IPOpen)
	if w.Finish.IsZero() {
		a.set("IP_CLOSE", nil)
	} else {
		a.set("IP_CLOSE", w.IPClose)
	}
	a.set("LAT_OPEN", w.LatOpen)
	a.set("LON_OPEN", w.LonOpen)
	a.set("LAT_CLOSE", w.LatClose)
	a.set("LON_CLOSE", w.LonClose)
	_, off := c.now.Zone()
	a.set("TZ_OFFSET", off)
	if w.Status == "EXPIRED" {
		s := w.Start.In(loc)
		a.set("TIME_FINISH_DEFAULT", isoTime(time.Date(s.Year(), s.Month(), s.Day(), 18, 0, 0, 0, loc)))
	}
	return result{value: a, rows: 1}, nil
}

// clock is d as HH:MM:SS.
func clock(d time.Duration) string {
	d = max(d, 0).Round(time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}

// ---------------------------------------------------------------- telephony

// searchCrmEntities is telephony.externalCall.searchCrmEntities: the CRM
// clients with PHONE_NUMBER, contacts first, then companies, then leads,
// each with its responsible employee.
func searchCrmEntities(c *call) (result, *apiError) {
	v, _ := c.params.upper().get("PHONE_NUMBER")
	key := phoneKey(phpString(v))
	if strings.TrimSpace(phpString(v)) == "" {
		return result{}, apiErr(http.StatusBadRequest, "ERROR_CORE", "PHONE_NUMBER is empty")
	}
	var found []CRMClient
	for _, cl := range c.idx.avail.clients {
		for _, ph := range cl.Phones {
			if samePhone(key, phoneKey(ph)) {
				found = append(found, cl)
				break
			}
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if a, b := crmOrder[found[i].Type], crmOrder[found[j].Type]; a != b {
			return a < b
		}
		return found[i].ID < found[j].ID
	})
	out := newArr()
	for _, cl := range found {
		a := newArr()
		a.set("CRM_ENTITY_TYPE", cl.Type)
		a.set("CRM_ENTITY_ID", cl.ID)
		a.set("ASSIGNED_BY_ID", cl.AssignedBy)
		a.set("NAME", cl.Name)
		a.set("ASSIGNED_BY", c.assignedBy(cl.AssignedBy))
		out.push(a)
	}
	return result{value: out, rows: out.len()}, nil
}

// assignedBy is the ASSIGNED_BY object of a responsible employee.
func (c *call) assignedBy(id int) *parr {
	a := newArr()
	a.set("ID", strconv.Itoa(id))
	status := "CLOSED"
	if w, ok := c.idx.avail.workdays[id]; ok {
		status = w.Status
	}
	a.set("TIMEMAN_STATUS", status)
	u := c.idx.byID[id]
	if u == nil {
		u = &person{}
	}
	orNull := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	a.set("USER_PHONE_INNER", orNull(u.Extension))
	a.set("WORK_PHONE", orNull(u.WorkPhone))
	a.set("PERSONAL_PHONE", nil)
	a.set("PERSONAL_MOBILE", orNull(u.Mobile))
	return a
}
