package directory

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sync/singleflight"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/lang"
)

// ErrNoClient is returned by the loads of a Directory made without a client.
var ErrNoClient error = lang.NewError("err.dir.noclient")

// How long what a load brought is reused instead of asking the portal again.
// Many sessions share one Directory: those that ask for the same thing at
// about the same time (they start together, or read the snapshot just before
// another session's load landed) cost the portal one request.
const (
	// TreeReuse is how old a tree LoadTree (and LoadAll) reuses.
	TreeReuse = 30 * time.Second
	// PeopleReuse is how old a department's people LoadDepartment reuses:
	// well below the browser's presence refresh (a minute).
	PeopleReuse = 5 * time.Second
)

// sharedLoadTimeout bounds a load that several callers share: it runs on
// even when the caller that started it gives up.
const sharedLoadTimeout = 2 * time.Minute

// Directory holds the current Org and loads more from the portal. One
// Directory is shared by every session of `serve`; it is safe for concurrent use.
//
// Every load merges what it fetched into a new snapshot (copy-on-write) and
// returns it; on error it returns the current snapshot, unchanged, with the
// error. Concurrent loads of the same thing share one request, and a load
// reuses what a recent one brought (LoadTree, LoadDepartment). The disk
// cache is read by LoadCache and written by LoadTree, LoadAll and SaveCache;
// a failure to write it does not fail the load: it is recorded once in
// Warnings, and the program goes on without the cache.
type Directory struct {
	client *api.Client
	opts   Options
	portal string

	mu         sync.Mutex // serializes replacing cur; guards treeAt, peopleAt, presenceAt and changed
	cur        atomic.Pointer[Org]
	treeAt     time.Time         // when the request that brought the tree began
	peopleAt   map[int]time.Time // when the request that brought a department's people began
	presenceAt time.Time         // when the request that brought everyone's presence began
	changed    chan struct{}     // closed at the next replacement of cur (see Changed); nil: nobody waits

	flight singleflight.Group
	sched  schedules // the calendars and workdays asked, shared by every caller

	writeMu     sync.Mutex  // serializes cache writes
	cacheFailed atomic.Bool // a cache write failed and was reported

	warnMu   sync.Mutex
	warnings []warning
}

// New returns a Directory over client. A nil client gives a Directory that
// only reads the cache (its loads return ErrNoClient).
func New(client *api.Client, o Options) *Directory {
	d := &Directory{client: client, opts: o, peopleAt: map[int]time.Time{},
		sched: schedules{known: map[int]*Schedule{}, inflight: map[int]*gathering{}, missing: map[string]bool{}}}
	if client != nil {
		d.portal = client.Portal()
	}
	empty := NewOrg(Data{Portal: d.portal})
	empty.region = o.Region
	d.cur.Store(empty)
	return d
}

// Snapshot returns the current Org (never nil; empty before anything loads).
func (d *Directory) Snapshot() *Org { return d.cur.Load() }

// warning is a problem that did not stop the program: the catalog id of its
// sentence and the text of its cause, said in each reader's language when
// read (one Directory serves sessions of several languages).
type warning struct{ id, err string }

// Warnings returns the problems that did not stop the program (a cache that
// cannot be written), each once, oldest first, in English.
func (d *Directory) Warnings() []string { return d.WarningsIn(lang.English()) }

// WarningsIn is Warnings said in l; the causes (the errors' own text) stay
// as they are.
func (d *Directory) WarningsIn(l *lang.Language) []string {
	d.warnMu.Lock()
	defer d.warnMu.Unlock()
	out := make([]string, len(d.warnings))
	for i, w := range d.warnings {
		out[i] = l.T(w.id, "Err", w.err)
	}
	return out
}

// warn records the warning id with the cause err unless it is already
// recorded.
func (d *Directory) warn(id string, err error) {
	d.warnMu.Lock()
	defer d.warnMu.Unlock()
	w := warning{id, err.Error()}
	if !slices.Contains(d.warnings, w) {
		d.warnings = append(d.warnings, w)
	}
}

// update replaces the current snapshot with change(current) under the lock
// and, when that is another Org, wakes the waiters of Changed.
func (d *Directory) update(change func(*Org) *Org) *Org {
	d.mu.Lock()
	defer d.mu.Unlock()
	old := d.cur.Load()
	o := change(old)
	if o != old {
		if o.idx.Load() == nil {
			o.region = d.opts.Region // before anyone searches it
		}
		d.cur.Store(o)
		d.notifyLocked()
	}
	return o
}

// shared runs load once for all the callers asking for key meanwhile. The
// load goes on (at most sharedLoadTimeout) when the caller that started it
// gives up; a caller that gives up gets the current snapshot and its
// context's error.
func (d *Directory) shared(ctx context.Context, key string, load func(context.Context) (*Org, error)) (*Org, error) {
	detached := context.WithoutCancel(ctx)
	ch := d.flight.DoChan(key, func() (any, error) {
		lctx, cancel := context.WithTimeout(detached, sharedLoadTimeout)
		defer cancel()
		return load(lctx)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return d.Snapshot(), r.Err
		}
		return r.Val.(*Org), nil
	case <-ctx.Done():
		return d.Snapshot(), ctx.Err()
	}
}

// TreeFresh reports whether LoadTree would answer without asking the
// portal: a tree load began less than TreeReuse ago.
func (d *Directory) TreeFresh() bool { return d.treeSince(time.Now().Add(-TreeReuse)) }

// treeSince reports whether the tree comes from a request begun at or after cutoff.
func (d *Directory) treeSince(cutoff time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return !d.treeAt.IsZero() && !d.treeAt.Before(cutoff)
}

// LoadTree fetches the department tree and every department's member IDs
// (department.get, then im.department.employees.get without details: a few
// requests for the whole company), keeps the people already known, and
// writes the cache. It returns the current snapshot without asking the
// portal when the tree is fresh (TreeFresh), and callers share a load under
// way.
func (d *Directory) LoadTree(ctx context.Context) (*Org, error) {
	return d.loadTree(ctx, time.Now().Add(-TreeReuse))
}

// LoadTreeFresh is LoadTree without the reuse of a recent tree (the user
// asked for a refresh); it still shares a load under way.
func (d *Directory) LoadTreeFresh(ctx context.Context) (*Org, error) {
	return d.loadTree(ctx, time.Now())
}

// loadTree loads the tree unless it comes from a request begun at or after
// cutoff. The check is made again in the shared load: a load that ended
// after the first check counts.
func (d *Directory) loadTree(ctx context.Context, cutoff time.Time) (*Org, error) {
	if d.client == nil {
		return d.Snapshot(), ErrNoClient
	}
	if d.treeSince(cutoff) {
		return d.Snapshot(), nil
	}
	return d.shared(ctx, "tree", func(ctx context.Context) (*Org, error) {
		if d.treeSince(cutoff) {
			return d.Snapshot(), nil
		}
		began := time.Now()
		deps, err := d.client.Departments(ctx)
		if err != nil {
			return nil, lang.NewError("err.dir.tree", "Err", err)
		}
		ids := make([]int, 0, len(deps))
		for _, dep := range deps {
			ids = append(ids, dep.ID)
		}
		members := map[int][]int{}
		if len(ids) > 0 {
			if members, err = d.client.DepartmentMembers(ctx, ids); err != nil {
				return nil, lang.NewError("err.dir.members", "Err", err)
			}
		}
		now := time.Now()
		o := d.update(func(old *Org) *Org {
			d.treeAt = began
			return old.withTree(convertDepartments(deps), members, now)
		})
		d.saveQuietly()
		return o, nil
	})
}

// PeopleAge reports how long ago the request that brought department
// deptID's people (LoadDepartment) began; false when the current snapshot
// does not hold them from such a request.
func (d *Directory) PeopleAge(deptID int) (time.Duration, bool) {
	at, ok := d.peopleBegan(deptID)
	if !ok {
		return 0, false
	}
	return time.Since(at), true
}

// peopleBegan returns when the request that brought department deptID's
// people in the current snapshot began; false when none did.
func (d *Directory) peopleBegan(deptID int) (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	at, ok := d.peopleAt[deptID]
	return at, ok && d.cur.Load().Loaded(deptID)
}

// LoadDepartment fetches one department's people with presence (foreground
// lane). Concurrent calls for the same department share one request, which
// finishes even if the caller that started it gives up; and a call less
// than PeopleReuse after the start of the request that brought them gets
// the current snapshot without asking the portal: a hundred sessions
// opening one department cost one request, while a presence refresh a
// minute later asks again.
func (d *Directory) LoadDepartment(ctx context.Context, deptID int) (*Org, error) {
	return d.LoadDepartmentWithin(ctx, deptID, PeopleReuse)
}

// LoadDepartmentWithin is LoadDepartment accepting people brought by a
// request begun up to maxAge ago (0: only one begun after this call, as
// when the user asks for a refresh).
func (d *Directory) LoadDepartmentWithin(ctx context.Context, deptID int, maxAge time.Duration) (*Org, error) {
	return d.loadDepartments(ctx, []int{deptID}, maxAge)
}

// LoadSubtreeWithin is LoadDepartmentWithin for department deptID and every
// department below it (Org.Subtree), in as few requests as the batch
// allows: the departments whose people are older than maxAge are asked for
// together.
func (d *Directory) LoadSubtreeWithin(ctx context.Context, deptID int, maxAge time.Duration) (*Org, error) {
	ids := d.Snapshot().Subtree(deptID)
	if len(ids) == 0 {
		ids = []int{deptID} // not in the tree (yet): as LoadDepartmentWithin
	}
	return d.loadDepartments(ctx, ids, maxAge)
}

// loadDepartments loads the people of the departments ids whose people came
// from a request begun more than maxAge ago. Concurrent calls for the same
// departments share one request.
func (d *Directory) loadDepartments(ctx context.Context, ids []int, maxAge time.Duration) (*Org, error) {
	if d.client == nil {
		return d.Snapshot(), ErrNoClient
	}
	cutoff := time.Now().Add(-max(0, maxAge))
	stale := func() []int {
		var out []int
		for _, id := range ids {
			if !d.peopleSince(id, cutoff) {
				out = append(out, id)
			}
		}
		return out
	}
	want := stale()
	if len(want) == 0 {
		return d.Snapshot(), nil
	}
	return d.shared(ctx, flightKey("dept", want), func(ctx context.Context) (*Org, error) {
		want := stale()
		if len(want) == 0 {
			return d.Snapshot(), nil
		}
		began := time.Now()
		byDept, err := d.client.DepartmentEmployees(ctx, want)
		if err != nil {
			if len(want) == 1 {
				return nil, lang.NewError("err.dir.people.dept", "ID", want[0], "Err", err)
			}
			return nil, &countError{id: "err.dir.people.depts", n: len(want), err: err}
		}
		var users []api.User
		members := make(map[int][]int, len(want))
		for _, id := range want {
			ids := make([]int, 0, len(byDept[id]))
			for _, u := range byDept[id] {
				if u.ID > 0 {
					ids = append(ids, u.ID)
				}
			}
			members[id] = ids
			users = append(users, byDept[id]...)
		}
		// A head who is not a member (docs/portal.md, Departments and their
		// people) costs one more request.
		if heads := missingHeads(d.Snapshot(), want, users, true); len(heads) > 0 {
			extra, err := d.client.UsersByID(ctx, heads)
			if err != nil {
				if len(want) == 1 {
					return nil, lang.NewError("err.dir.head.dept", "ID", want[0], "Err", err)
				}
				return nil, &countError{id: "err.dir.heads.depts", n: len(want), err: err}
			}
			users = append(users, extra...)
		}
		people := convertUsers(users)
		return d.update(func(old *Org) *Org {
			for _, id := range want {
				d.peopleAt[id] = began
			}
			return old.withPeople(people, members)
		}), nil
	})
}

// peopleSince reports whether the current snapshot holds department
// deptID's people from a request begun at or after cutoff.
func (d *Directory) peopleSince(deptID int, cutoff time.Time) bool {
	at, ok := d.peopleBegan(deptID)
	return ok && !at.Before(cutoff)
}

// LoadAll fetches everyone on the background lane (the tree first, unless
// it is fresh: see LoadTree), reporting progress (may be nil); the new
// snapshot is Complete, holds exactly the people fetched, and is written to
// the cache.
func (d *Directory) LoadAll(ctx context.Context, progress func(done, total int)) (*Org, error) {
	if d.client == nil {
		return d.Snapshot(), ErrNoClient
	}
	bg := api.Background(ctx)
	org, err := d.LoadTree(bg)
	if err != nil {
		return org, err
	}
	ids := make([]int, 0, len(org.st.depts))
	for _, dep := range org.st.depts {
		ids = append(ids, dep.ID)
	}
	var users []api.User
	began := time.Now()
	if len(ids) > 0 {
		if users, err = d.client.AllEmployees(bg, ids, progress); err != nil {
			return d.Snapshot(), lang.NewError("err.dir.everyone", "Err", err)
		}
	}
	// Heads who are no members (of another department, or gone): one more request.
	if heads := missingHeads(org, ids, users, false); len(heads) > 0 {
		extra, err := d.client.UsersByID(bg, heads)
		if err != nil {
			return d.Snapshot(), lang.NewError("err.dir.heads", "Err", err)
		}
		users = append(users, extra...)
	}
	people := convertUsers(users)
	now := time.Now()
	o := d.update(func(old *Org) *Org {
		d.presenceAt = began
		return old.withEveryone(people, now)
	})
	d.saveQuietly()
	return o, nil
}

// SearchRemote asks the portal: a query of digits is looked up as an
// extension, anything else by the portal's people search. The people found
// join the current snapshot, a known person updated only in the fields the
// source carries (the search's objects are thinner than a full load's), and
// the cache is written; the returned pointers are the snapshot's. A query shorter than two characters
// finds nobody (the portal refuses it).
func (d *Directory) SearchRemote(ctx context.Context, query string) ([]*Person, error) {
	if d.client == nil {
		return nil, ErrNoClient
	}
	query = strings.TrimSpace(query)
	var (
		users []api.User
		err   error
	)
	switch {
	case query != "" && !strings.ContainsFunc(query, unicode.IsLetter) && digits(query) != "":
		users, err = d.client.UsersByExtension(ctx, digits(query))
	case utf8.RuneCountInString(query) < 2:
		return nil, nil
	default:
		users, err = d.client.SearchUsers(ctx, query)
	}
	if err != nil {
		return nil, lang.NewError("err.dir.search", "Err", err)
	}
	if !d.opts.IncludeOutsiders {
		users = slices.DeleteFunc(users, outsider)
	}
	found := convertUsers(users)
	if len(found) == 0 {
		return nil, nil
	}
	carries := make(map[int]api.Fields, len(users))
	for _, u := range users {
		carries[u.ID] |= u.Carries
		if u.Carries == 0 {
			carries[u.ID] = api.FieldsAll
		}
	}
	o := d.update(func(old *Org) *Org {
		// A thinner source (the portal's search) updates only the fields
		// it carries: a search never blanks a known e-mail.
		merged := make([]*Person, len(found))
		for i, p := range found {
			merged[i] = p
			if known := old.Person(p.ID); known != nil {
				merged[i] = mergeFields(known, p, carries[p.ID])
			}
		}
		return old.withPeople(merged, nil)
	})
	d.saveQuietly()
	out := make([]*Person, 0, len(users))
	seen := map[int]bool{}
	for _, u := range users {
		if p := o.Person(u.ID); p != nil && !seen[u.ID] {
			seen[u.ID] = true
			out = append(out, p)
		}
	}
	return out, nil
}

// outsider reports whether u is outside the company's structure: an
// extranet user, a bot, or someone in no department.
func outsider(u api.User) bool {
	return u.Extranet || u.Bot || len(u.DepartmentIDs) == 0
}

// missingHeads returns the heads of deps (departments of o) that are
// neither among people nor, when keep, already known to o: heads who are not
// members of the department they head (a member of another one, or someone
// who has left).
func missingHeads(o *Org, deps []int, people []api.User, keep bool) []int {
	have := make(map[int]bool, len(people))
	for _, u := range people {
		have[u.ID] = true
	}
	var out []int
	for _, id := range deps {
		dep := o.Department(id)
		if dep == nil || dep.HeadID <= 0 || have[dep.HeadID] || (keep && o.Person(dep.HeadID) != nil) {
			continue
		}
		have[dep.HeadID] = true
		out = append(out, dep.HeadID)
	}
	return out
}

// convertDepartments turns the client's departments into ours.
func convertDepartments(in []api.Department) []Department {
	out := make([]Department, len(in))
	for i, d := range in {
		out[i] = Department{ID: d.ID, Name: d.Name, Sort: d.Sort, ParentID: d.ParentID, HeadID: d.HeadID}
	}
	return out
}

// convertUsers turns the client's users into clean people, sorted by ID and unique.
func convertUsers(in []api.User) []*Person {
	arr := make([]Person, 0, len(in))
	for _, u := range in {
		if u.ID <= 0 {
			continue
		}
		p := Person{
			ID: u.ID, Name: u.Name, FirstName: u.FirstName, LastName: u.LastName,
			Position: u.Position, Email: u.Email, Extension: u.Extension,
			WorkPhone: u.WorkPhone, Mobile: u.Mobile, DepartmentIDs: slices.Clone(u.DepartmentIDs),
			Active: u.Active, LastActivity: u.LastActivity, IdleSince: u.IdleSince, AbsentUntil: u.AbsentUntil,
			Gender: u.Gender,
		}
		cleanPerson(&p)
		arr = append(arr, p)
	}
	people := make([]*Person, len(arr))
	for i := range arr {
		people[i] = &arr[i]
	}
	return sortUnique(people)
}

// withTree returns o with a new tree and member lists; the people (and the
// search index, if built) stay. A department stays loaded when all its
// members are known; the Org stays Complete when every department still is
// loaded.
func (o *Org) withTree(deps []Department, members map[int][]int, now time.Time) *Org {
	st := buildStructure(deps)
	mem := newMembership(st, members, o.people)
	loaded := make(map[int]bool, len(o.loaded))
	complete := true
	for _, dep := range st.depts {
		if (o.complete || o.loaded[dep.ID]) && o.allKnown(mem.members[dep.ID]) {
			loaded[dep.ID] = true
		} else {
			complete = false
		}
	}
	fetched := o.fetchedAt
	if fetched.IsZero() || len(o.people) == 0 {
		fetched = now
	}
	next := assemble(o.portal, fetched, complete && o.complete, st, mem, o.people, loaded)
	next.confirmed = Confirmed{Tree: now, Merged: o.confirmed.Merged}
	if idx := o.idx.Load(); idx != nil {
		next.idx.Store(idx) // the same people: the index stays valid
	}
	return next
}

// allKnown reports whether every ID of ids is a known person.
func (o *Org) allKnown(ids []int) bool {
	for _, id := range ids {
		if o.Person(id) == nil {
			return false
		}
	}
	return true
}

// withPeople returns o with people (sorted by ID, unique) added or replaced,
// and the member lists of members replaced and marked loaded.
func (o *Org) withPeople(people []*Person, members map[int][]int) *Org {
	mem := o.mem.withMembers(o.st, members)
	loaded := o.loaded
	if len(members) > 0 {
		loaded = make(map[int]bool, len(o.loaded)+len(members))
		for id := range o.loaded {
			loaded[id] = true
		}
		for id := range members {
			if _, ok := o.st.pos[id]; ok {
				loaded[id] = true
			}
		}
	}
	fetched := o.fetchedAt
	if fetched.IsZero() {
		fetched = time.Now()
	}
	next := assemble(o.portal, fetched, o.complete, o.st, mem, mergePeople(o.people, people), loaded)
	next.confirmed = Confirmed{Tree: o.confirmed.Tree, Merged: time.Now()}
	if o.knowsAsIs(people) {
		o.reuseIndex(next) // a presence refresh: the index stays valid
	}
	return next
}

// knowsAsIs reports whether every one of people is already known to o with
// the same searchable fields.
func (o *Org) knowsAsIs(people []*Person) bool {
	for _, p := range people {
		if old := o.Person(p.ID); old == nil || !sameSearchFields(old, p) {
			return false
		}
	}
	return true
}

// withEveryone returns o with exactly people, every department loaded, and
// member lists made of the tree's members among the people fetched and of
// the people's own departments (newMembership removes the repeats).
func (o *Org) withEveryone(people []*Person, now time.Time) *Org {
	byID := make(map[int]bool, len(people))
	for _, p := range people {
		byID[p.ID] = true
	}
	members := make(map[int][]int, len(o.st.depts))
	for id, ids := range o.mem.members {
		for _, p := range ids {
			if byID[p] {
				members[id] = append(members[id], p)
			}
		}
	}
	for _, p := range people {
		if !p.Active {
			continue // a head who has left: shown as the head, not as a member
		}
		for _, id := range p.DepartmentIDs {
			if _, ok := o.st.pos[id]; ok {
				members[id] = append(members[id], p.ID)
			}
		}
	}
	for _, dep := range o.st.depts {
		if members[dep.ID] == nil {
			members[dep.ID] = []int{}
		}
	}
	loaded := make(map[int]bool, len(o.st.depts))
	for _, dep := range o.st.depts {
		loaded[dep.ID] = true
	}
	next := assemble(o.portal, now, true, o.st, newMembership(o.st, members, nil), people, loaded)
	next.confirmed = Confirmed{Tree: o.confirmed.Tree}
	return next
}

// LoadPeople fetches the people ids with presence (im.user.list.get, one
// request for up to 10,000) and merges them into the snapshot, whatever
// their departments: the favourites' live badges. Concurrent calls for the
// same people share one request.
func (d *Directory) LoadPeople(ctx context.Context, ids []int) (*Org, error) {
	if d.client == nil {
		return d.Snapshot(), ErrNoClient
	}
	if len(ids) == 0 {
		return d.Snapshot(), nil
	}
	return d.shared(ctx, flightKey("people", ids), func(ctx context.Context) (*Org, error) {
		users, err := d.client.UsersByID(ctx, ids)
		if err != nil {
			return nil, &countError{id: "err.dir.favourites", n: len(ids), err: err}
		}
		people := convertUsers(users)
		if len(people) == 0 {
			return d.Snapshot(), nil
		}
		return d.update(func(old *Org) *Org { return old.withPeople(people, nil) }), nil
	})
}

// flightKey names a shared load of ids of one kind (Directory.shared).
func flightKey(kind string, ids []int) string {
	key := make([]string, len(ids))
	for i, id := range ids {
		key[i] = strconv.Itoa(id)
	}
	return kind + " " + strings.Join(key, ",")
}
