package directory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/b24org/b24org/api"
)

// What a Found person matched, as `find --json` names it.
const (
	MatchExtension       = "extension"        // the query is the extension
	MatchExtensionPrefix = "extension_prefix" // the extension begins with the query
	MatchPhone           = "phone"            // the work phone or the mobile is the number or holds the digits
	MatchName            = "name"             // the name words
	MatchEmail           = "email"            // the e-mail
	MatchPosition        = "position"         // the position
	MatchLayout          = "layout"           // the query retyped on the other keyboard layout (Found.Layout)
	MatchFilter          = "filter"           // a query of filters alone (ParseQuery) kept the person
)

// FindOptions configures Find.
type FindOptions struct {
	// Limit is the most people the result lists; 0 means all.
	Limit int
	// Refresh asks the portal now about what the query needs, even when
	// the cache could answer; what the cache knows is kept all the same.
	Refresh bool
	// Progress reports a whole-directory load (may be nil).
	Progress func(done, total int)
	// AskOnly never loads the whole directory: while the snapshot is not
	// complete the portal is asked about the query only (a server, whose
	// own loads fill the directory that every session shares).
	AskOnly bool
	// PresenceAge is how old the presence of the people found may be
	// before the portal is asked for theirs (one request); zero:
	// DefaultPresenceAge, negative: as known, never asked. A query that
	// keeps people by presence (online, absent) first brings everyone's
	// presence up to this age.
	PresenceAge time.Duration
	// Availability asks for the calendars and workdays of the people
	// found (Directory.Schedules, shared and reused for a minute) into
	// FindResult.Schedules, when the answer asked the portal: an answer
	// from the cache alone asks it nothing, and one the portal could not
	// give does not try again.
	Availability bool
	// Threshold is how recent an activity counts as online (<= 0:
	// DefaultThreshold), for the online filter.
	Threshold time.Duration
}

// Found is one person of a FindResult and what matched.
type Found struct {
	Person *Person
	Match  string // one of the Match constants
	// Layout is the query retyped on the other keyboard layout when Match
	// is MatchLayout ("иванов" for "bdfyjd").
	Layout string
}

// FindResult is the answer of Find.
type FindResult struct {
	// Org knows the people found (and the department tree, when known).
	Org *Org
	// People are the people found, best first, at most the limit.
	People []Found
	// Total is how many people match in all (People may hold fewer).
	Total int
	// Complete reports whether the answer comes from the whole directory.
	Complete bool
	// FromCache reports whether the answer was read from the disk cache
	// without asking the portal; then Age is the cache's age.
	FromCache bool
	Age       time.Duration
	// Known is how many people the answer was looked for among, Expected
	// how many the department tree lists (0 when unknown).
	Known, Expected int
	// PortalErr is why the portal could not be asked, when the answer was
	// given without it (a partial answer, or a complete cache not refreshed).
	PortalErr error
	// CacheErr is why the cache was ignored (nil when it was not).
	CacheErr error
	// PresenceErr is why the presence of the people found could not be
	// made fresh (nil when it could, or did not need to be); PresenceAsOf
	// is when the presence they show was current.
	PresenceErr  error
	PresenceAsOf time.Time
	// Schedules are the calendars and workdays of the people found, by ID,
	// when asked for (FindOptions.Availability) and known; ScheduleErr is
	// why they could not be asked, ScheduleNote which missing scope would
	// add what (Directory.ScheduleNote).
	Schedules    map[int]*Schedule
	ScheduleErr  error
	ScheduleNote string
	// ByPresence reports whether the query kept people by their presence
	// (online, absent): then PresenceErr means the choice itself was made
	// from presence as of PresenceAsOf.
	ByPresence bool
}

// Find answers a find query with one policy for every front end: complete,
// or honest about what it is not.
//
//   - A cache that holds the whole directory answers alone (unless Refresh).
//   - With Refresh and such a cache, the portal is asked about the query
//     (extension lookup or people search) and what it says is merged into
//     the cache field by field; the answer comes from the merged directory.
//   - Otherwise the portal has no filter that finds every match (the phone
//     fields are formatted text, and its people search is ranked and
//     capped), so the whole directory is loaded: a few requests (see
//     Client.AllEmployees), after which the cache is complete.
//   - When the portal cannot be asked, the answer comes from what is known
//     (the cache, partial) with Complete false and PortalErr set; with
//     nothing known it is an error.
//
// A query that keeps people by presence (online, absent) brings everyone's
// presence up to date first (Directory.RefreshPresence), then searches
// again; when the portal cannot be asked, PresenceErr says so.
func (d *Directory) Find(ctx context.Context, query string, o FindOptions) (*FindResult, error) {
	q := ParseQuery(query)
	q.Threshold = o.Threshold
	r, err := d.find(ctx, &q, o)
	if err != nil {
		return r, err
	}
	if o.PresenceAge >= 0 {
		if q.ByPresence() {
			r.ByPresence = true
			d.presenceFirst(ctx, r, &q, o)
		} else if len(r.People) > 0 {
			d.freshenPresence(ctx, r, o.PresenceAge)
		}
	}
	if o.Availability && len(r.People) > 0 && !r.FromCache && r.PortalErr == nil {
		ids := make([]int, len(r.People))
		for i, f := range r.People {
			ids[i] = f.Person.ID
		}
		r.Schedules, r.ScheduleErr = d.Schedules(ctx, ids)
		r.ScheduleNote = d.ScheduleNote()
	}
	return r, nil
}

// presenceFirst answers r's presence query again once everyone's presence
// is no older than o.PresenceAge; when it cannot be, r keeps its answer and
// says as of when its presence is.
func (d *Directory) presenceFirst(ctx context.Context, r *FindResult, q *Query, o FindOptions) {
	asOf := r.Org.FetchedAt()
	if age, ok := d.PresenceAge(); ok && !r.FromCache {
		if t := time.Now().Add(-age); t.After(asOf) {
			asOf = t
		}
	}
	maxAge := o.PresenceAge
	if maxAge == 0 {
		maxAge = DefaultPresenceAge
	}
	r.PresenceAsOf = asOf
	if time.Since(asOf) <= maxAge {
		return
	}
	snap, err := d.RefreshPresence(ctx, maxAge, o.Threshold)
	if err != nil {
		r.PresenceErr = err
		return
	}
	r.PresenceAsOf = time.Now()
	q.Now = time.Time{}
	ms, total := snap.SearchQuery(q, o.Limit)
	r.Org, r.People, r.Total = snap, found(ms, q), total
}

// freshenPresence gives the people of r presence no older than maxAge. A
// whole directory holds presence as of when it was fetched, or of the
// directory's last presence refresh when that is newer and r comes from
// the snapshot; a portal search carries none, so its people show what the
// directory knew.
func (d *Directory) freshenPresence(ctx context.Context, r *FindResult, maxAge time.Duration) {
	asOf := r.Org.FetchedAt()
	if age, ok := d.PresenceAge(); ok && !r.FromCache {
		if t := time.Now().Add(-age); t.After(asOf) {
			asOf = t
		}
	}
	people := make([]*Person, len(r.People))
	for i, f := range r.People {
		people[i] = f.Person
	}
	fresh, err := d.FreshPresence(ctx, people, asOf, maxAge)
	r.PresenceAsOf, r.PresenceErr = asOf, err
	if err != nil {
		return
	}
	if !slices.Equal(fresh, people) {
		r.PresenceAsOf = time.Now() // the portal was asked
	}
	for i := range r.People {
		r.People[i].Person = fresh[i]
	}
}

// find is Find without the presence refresh.
func (d *Directory) find(ctx context.Context, q *Query, o FindOptions) (*FindResult, error) {
	var cacheErr error
	if snap := d.Snapshot(); !o.Refresh && snap.Complete() {
		ms, total := snap.SearchQuery(q, o.Limit)
		return &FindResult{
			Org: snap, People: found(ms, q), Total: total, Complete: true,
			Known: snap.PersonCount(), Expected: snap.expectedPeople(),
		}, nil
	}
	cacheRead := false
	switch {
	case o.Refresh:
	case q.Filtered():
		// Filters need everyone's records: the whole cache, when it holds
		// the whole directory, answers.
		cacheRead = true
		if _, err := d.LoadCache(); err != nil {
			cacheErr = err
		} else if snap := d.Snapshot(); snap.Complete() {
			ms, total := snap.SearchQuery(q, o.Limit)
			return &FindResult{
				Org: snap, People: found(ms, q), Total: total, Complete: true, FromCache: true,
				Age: time.Since(snap.FetchedAt()), Known: snap.PersonCount(), Expected: snap.expectedPeople(),
			}, nil
		}
	default:
		cs, err := d.SearchCache(q.Text, o.Limit)
		cacheErr = err
		if err == nil && cs != nil && cs.Complete {
			r := &FindResult{
				Org: cs.Org, Total: cs.Total, Complete: true, FromCache: true,
				Age: time.Since(cs.Org.FetchedAt()), Known: cs.People, Expected: cs.People,
			}
			r.People = found(cs.Matches, q)
			return r, nil
		}
	}
	if cacheErr == nil && !cacheRead {
		// What the cache knows joins the snapshot, so that what the portal
		// brings is merged into it and written back beside it.
		if _, err := d.LoadCache(); err != nil {
			cacheErr = err
		}
	}
	snap := d.Snapshot()
	var portalErr error
	switch {
	case d.client == nil:
		portalErr = ErrNoClient
	case (o.Refresh && snap.Complete()) || o.AskOnly:
		if q.Text == "" {
			break // filters alone: nothing to ask the portal's search
		}
		if _, err := d.SearchRemote(ctx, q.Text); err != nil {
			portalErr = err
		}
	default:
		if _, err := d.LoadAll(ctx, o.Progress); err != nil {
			portalErr = err
		} else if d.opts.IncludeOutsiders {
			// People outside every department (bots, extranet users) are
			// in no member list: only the portal's search finds them.
			if q.Text != "" {
				if _, err := d.SearchRemote(ctx, q.Text); err != nil {
					portalErr = err
				}
			}
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	snap = d.Snapshot()
	if portalErr != nil && (snap.PersonCount() == 0 || !unreachable(portalErr)) {
		return nil, portalErr
	}
	ms, total := snap.SearchQuery(q, o.Limit)
	return &FindResult{
		Org: snap, People: found(ms, q), Total: total, Complete: snap.Complete(),
		Known: snap.PersonCount(), Expected: snap.expectedPeople(),
		PortalErr: portalErr, CacheErr: cacheErr,
	}, nil
}

// unreachable reports whether err says the portal could not be reached or
// was too busy (an answer from the cache is then better than none), rather
// than that it refused (bad credentials, a missing scope: that needs fixing).
func unreachable(err error) bool {
	var pe *api.Error
	if errors.As(err, &pe) {
		c := pe.Class()
		return c == api.ClassRetryable || c == api.ClassRateLimited
	}
	var te *api.TransportError
	return errors.As(err, &te) || errors.Is(err, ErrNoClient)
}

// Partial is the one line that says an answer is not complete, "" when it is.
func (r *FindResult) Partial() string {
	if r.Complete {
		return ""
	}
	of := "an unknown number of"
	if r.Expected > 0 {
		of = "~" + Thousands(max(r.Expected, r.Known))
	}
	why := ""
	if r.PortalErr != nil {
		why = fmt.Sprintf(" (the portal did not answer: %v)", r.PortalErr)
	}
	return fmt.Sprintf("partial: answered from a cache that holds %s of %s people%s; run b24org export",
		Thousands(r.Known), of, why)
}

// PresenceNote is the one line that says a presence filter (online,
// absent) chose from presence that could not be made fresh, "" when it
// did not.
func (r *FindResult) PresenceNote() string {
	if !r.ByPresence || r.PresenceErr == nil {
		return ""
	}
	when := "unknown"
	if !r.PresenceAsOf.IsZero() {
		when = "as of " + RoughAge(time.Since(r.PresenceAsOf)) + " ago"
	}
	return fmt.Sprintf("online/absent chosen by presence %s (it could not be refreshed: %v)", when, r.PresenceErr)
}

// expectedPeople is how many distinct people the department tree lists.
func (o *Org) expectedPeople() int {
	seen := map[int]bool{}
	for _, ids := range o.mem.members {
		for _, id := range ids {
			seen[id] = true
		}
	}
	return len(seen)
}

// found turns matches of q into Found people.
func found(ms []Match, q *Query) []Found {
	toks := queryTokens(q.Text, "")
	out := make([]Found, len(ms))
	for i, m := range ms {
		kind := MatchFilter
		if len(toks) > 0 {
			kind = MatchKind(m, toks)
		}
		out[i] = Found{Person: m.Person, Match: kind, Layout: m.Layout}
	}
	return out
}

// MatchKind says what matched in m, a match of the query words toks.
func MatchKind(m Match, toks []token) string {
	if m.Layout != "" {
		return MatchLayout
	}
	switch m.Score {
	case ScoreExtension:
		return MatchExtension
	case ScoreExtensionPrefix:
		return MatchExtensionPrefix
	case ScoreNameWord, ScoreNamePrefix:
		return MatchName
	case ScorePhone, ScorePhoneNumber:
		return MatchPhone
	}
	p := m.Person
	in := func(fields ...string) bool {
		var folded []byte
		for _, f := range fields {
			folded, _ = foldWords(folded, nil, f)
		}
		for _, t := range toks {
			if !strings.Contains(string(folded), t.s) {
				return false
			}
		}
		return true
	}
	switch {
	case in(p.Name, p.FirstName, p.LastName):
		return MatchName
	case in(p.Email):
		return MatchEmail
	case in(p.Position):
		return MatchPosition
	case in(p.Name, p.FirstName, p.LastName, p.Email):
		return MatchEmail
	}
	return MatchPosition
}

// mergeFields returns old updated with the fields that fresh's source
// carried (c), the others as old had them. Phones known only as digits
// replace a formatted phone only when the digits differ.
func mergeFields(old, fresh *Person, c api.Fields) *Person {
	if c.Has(api.FieldsAll) {
		return fresh
	}
	p := *old
	if c.Has(api.FieldNames) {
		p.Name, p.FirstName, p.LastName = fresh.Name, fresh.FirstName, fresh.LastName
	}
	if c.Has(api.FieldPosition) {
		p.Position = fresh.Position
	}
	if c.Has(api.FieldEmail) {
		p.Email = fresh.Email
	}
	switch {
	case c.Has(api.FieldPhones):
		p.Extension, p.WorkPhone, p.Mobile = fresh.Extension, fresh.WorkPhone, fresh.Mobile
	case c.Has(api.FieldPhoneDigits):
		p.Extension = sameDigits(old.Extension, fresh.Extension)
		p.WorkPhone = sameDigits(old.WorkPhone, fresh.WorkPhone)
		p.Mobile = sameDigits(old.Mobile, fresh.Mobile)
	}
	if c.Has(api.FieldDepartments) {
		p.DepartmentIDs = fresh.DepartmentIDs
	}
	if c.Has(api.FieldActive) {
		p.Active = fresh.Active
	}
	if c.Has(api.FieldPresence) {
		p.LastActivity, p.IdleSince, p.AbsentUntil = fresh.LastActivity, fresh.IdleSince, fresh.AbsentUntil
	}
	return &p
}

// sameDigits is the formatted phone old when it holds the digits (and # *)
// of the digits-only phone fresh, else fresh.
func sameDigits(old, fresh string) string {
	keep := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r == '#' || r == '*' {
				return r
			}
			return -1
		}, s)
	}
	if keep(old) == keep(fresh) {
		return old
	}
	return fresh
}
