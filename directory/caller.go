package directory

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
)

// Client is a CRM contact, company or lead that has a phone number, with
// its responsible employee, as the portal's telephony search found it.
// Strings are clean (safetext).
type Client struct {
	Type string // contact, company or lead (lower case)
	ID   int
	Name string
	// ResponsibleID is the responsible employee's user ID (0: none said).
	ResponsibleID int
	// Responsible is that employee as the directory knows them, with
	// presence no older than asked; nil when the portal does not show them
	// as an employee (dismissed, or outside what the webhook may see).
	Responsible *Person
	// Workday is the responsible's workday as the answer says: opened,
	// paused, closed, expired, unavailable, not_installed, or "".
	Workday string
}

// Callers is the answer of Directory.Callers.
type Callers struct {
	Clients []Client // best first, as the portal sorts them
	Org     *Org     // the directory the responsible people were taken from
	// PresenceAsOf is when the portal last said the responsible people's
	// presence; PresenceErr why it could not say it now.
	PresenceAsOf time.Time
	PresenceErr  error
	// Schedules are the responsible people's calendars and workdays, by ID
	// (Options.Availability); ScheduleErr why they could not be asked,
	// ScheduleNote which missing scope would add what.
	Schedules    map[int]*Schedule
	ScheduleErr  error
	ScheduleNote string
}

// Callers looks number up among the portal's CRM clients
// (telephony.externalCall.searchCrmEntities, one request) and takes their
// responsible employees from the directory, asking the portal for those it
// does not know and for presence older than presenceAge (one more
// request at most; zero: DefaultPresenceAge, negative: as known), and for
// their calendars and workdays (Schedules: two requests, reused for a
// minute). Without
// the telephony scope the error says so (MissingScope).
func (d *Directory) Callers(ctx context.Context, number string, presenceAge time.Duration) (*Callers, error) {
	if d.client == nil {
		return nil, ErrNoClient
	}
	found, err := d.client.CRMByPhone(ctx, number)
	if err != nil {
		return nil, lang.NewError("err.dir.crm", "Number", strconv.Quote(safetext.Clean(number)), "Err", err)
	}
	org := d.Snapshot()
	out := &Callers{Org: org, PresenceAsOf: org.FetchedAt()}
	if age, ok := d.PresenceAge(); ok {
		if t := time.Now().Add(-age); t.After(out.PresenceAsOf) {
			out.PresenceAsOf = t
		}
	}
	var known []*Person
	var unknown []int
	seen := map[int]bool{}
	for _, e := range found {
		id := e.Responsible.ID
		if id <= 0 || seen[id] {
			continue
		}
		seen[id] = true
		if p := org.Person(id); p != nil {
			known = append(known, p)
		} else {
			unknown = append(unknown, id)
		}
	}
	people := map[int]*Person{}
	if len(known) > 0 && presenceAge >= 0 {
		fresh, err := d.FreshPresence(ctx, known, out.PresenceAsOf, presenceAge)
		out.PresenceErr = err
		if err == nil && !slices.Equal(fresh, known) {
			out.PresenceAsOf = time.Now()
		}
		known = fresh
	}
	for _, p := range known {
		people[p.ID] = p
	}
	if len(unknown) > 0 {
		users, err := d.client.UsersByID(ctx, unknown)
		if err != nil {
			out.PresenceErr = lang.NewError("err.dir.responsible", "Err", err)
		}
		for _, p := range convertUsers(users) {
			people[p.ID] = p
		}
	}
	if len(people) > 0 && len(org.Roots()) == 0 {
		// A cold directory: the tree (a request or two) names the
		// responsible people's departments.
		if o, err := d.LoadTree(ctx); err == nil {
			out.Org = o
		}
	}
	ids := make([]int, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	out.Schedules, out.ScheduleErr = d.Schedules(ctx, ids)
	out.ScheduleNote = d.ScheduleNote()
	for _, e := range found {
		out.Clients = append(out.Clients, Client{
			Type:          strings.ToLower(e.Type),
			ID:            e.ID,
			Name:          e.Name,
			ResponsibleID: e.Responsible.ID,
			Responsible:   people[e.Responsible.ID],
			Workday:       strings.ToLower(e.Responsible.Workday),
		})
	}
	return out, nil
}

// MissingScope says which scope the webhook or application lacks when err
// is a refusal for a missing scope, and the sentence saying where to add
// it, in the language l.
func MissingScope(l *lang.Language, err error) (scope, fix string, ok bool) {
	scope, ok = api.MissingScope(err)
	if !ok {
		return "", "", false
	}
	return scope, safetext.Clean(api.HintIn(l, err)), true
}
