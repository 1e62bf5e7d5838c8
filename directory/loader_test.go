package directory

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

var genNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// startPortal serves org on loopback without the fake's rate limit and
// returns it with a fast client.
func startPortal(t *testing.T, org *fakeportal.Org, o fakeportal.Options) (*fakeportal.Portal, *api.Client) {
	t.Helper()
	if o.Rate == 0 {
		o.Rate = -1
	}
	p, err := fakeportal.Start(org, o)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}, RetryBase: time.Millisecond})
	require.NoError(t, err)
	return p, c
}

// wantCounts computes the distinct people of every subtree of org the slow
// way (the fake, like the portal, lists active people only).
func wantCounts(org *fakeportal.Org) map[int]int {
	parent := map[int]int{}
	for _, d := range org.Departments {
		parent[d.ID] = d.Parent
	}
	sets := map[int]map[int]bool{}
	for _, u := range activeUsers(org) {
		for _, dep := range u.Departments {
			for a, n := dep, 0; a != 0 && n < 100; a, n = parent[a], n+1 {
				if sets[a] == nil {
					sets[a] = map[int]bool{}
				}
				sets[a][u.ID] = true
			}
		}
	}
	out := map[int]int{}
	for _, d := range org.Departments {
		out[d.ID] = len(sets[d.ID])
	}
	return out
}

// utcData returns d with every time in UTC, for comparing Data that went
// through the cache (which keeps the instant, not the zone).
func utcData(d Data) Data {
	d.FetchedAt = d.FetchedAt.UTC()
	for i := range d.People {
		p := &d.People[i]
		p.LastActivity, p.IdleSince, p.AbsentUntil = p.LastActivity.UTC(), p.IdleSince.UTC(), p.AbsentUntil.UTC()
	}
	return d
}

// activeUsers returns the active users of org.
func activeUsers(org *fakeportal.Org) []fakeportal.User {
	var out []fakeportal.User
	for _, u := range org.Users {
		if u.Active {
			out = append(out, u)
		}
	}
	return out
}

func TestLoadTree(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 400, Departments: 30, Seed: 3, Now: genNow})
	p, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	assert.Zero(t, d.Snapshot().PersonCount(), "empty before anything loads")

	org, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	assert.Same(t, org, d.Snapshot())
	assert.Len(t, org.Departments(), len(fake.Departments))
	for id, n := range wantCounts(fake) {
		assert.Equal(t, n, org.HeadCount(id), "department %d", id)
	}
	assert.Zero(t, org.PersonCount(), "the tree load brings member IDs, not people")
	assert.False(t, org.Complete())
	assert.False(t, org.FetchedAt().IsZero())
	assert.LessOrEqual(t, p.Total(), int64(3), "the tree and every member list in a few requests: %v", p.Requests())
}

func TestLoadDepartmentHeadFirst(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 400, Departments: 30, Seed: 3, Now: genNow})
	_, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	_, err := d.LoadTree(context.Background())
	require.NoError(t, err)

	// The department with a head and the most members.
	var dept fakeportal.Department
	most := 0
	for _, fd := range fake.Departments {
		n := 0
		for _, u := range activeUsers(fake) {
			if slices.Contains(u.Departments, fd.ID) {
				n++
			}
		}
		if fd.Head != 0 && n > most {
			dept, most = fd, n
		}
	}
	require.NotZero(t, dept.ID)

	ps, loaded := d.Snapshot().People(dept.ID)
	assert.False(t, loaded)
	assert.Empty(t, ps)

	org, err := d.LoadDepartment(context.Background(), dept.ID)
	require.NoError(t, err)
	ps, loaded = org.People(dept.ID)
	assert.True(t, loaded)
	require.Len(t, ps, most)
	if slices.ContainsFunc(ps, func(p *Person) bool { return p.ID == dept.Head }) {
		assert.Equal(t, dept.Head, ps[0].ID, "the head comes first")
		ps = ps[1:]
	}
	for i := 1; i < len(ps); i++ {
		a, b := ps[i-1], ps[i]
		assert.LessOrEqual(t, sortKey(a.LastName), sortKey(b.LastName), "%s before %s", a.Name, b.Name)
	}
	for _, p := range ps {
		assert.NotEmpty(t, p.Name)
		assert.Contains(t, p.DepartmentIDs, dept.ID)
	}

	// The next load keeps what is known and adds the next department.
	var other int
	for _, fd := range fake.Departments {
		if fd.ID != dept.ID && wantCounts(fake)[fd.ID] > 0 {
			other = fd.ID
			break
		}
	}
	before := org.PersonCount()
	org2, err := d.LoadDepartment(context.Background(), other)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, org2.PersonCount(), before)
	_, loaded = org2.People(dept.ID)
	assert.True(t, loaded, "still loaded after another department's load")
	assert.False(t, org.Loaded(other), "older snapshots never change")
}

// backdate makes the loads of the tree (dept 0) or of department dept look
// older than their reuse windows, as if that much time had passed.
func backdate(d *Directory, dept int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if dept == 0 {
		d.treeAt = d.treeAt.Add(-TreeReuse - time.Second)
		return
	}
	d.peopleAt[dept] = d.peopleAt[dept].Add(-PeopleReuse - time.Second)
}

func TestLoadTreeReuse(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 100, Departments: 8, Seed: 5, Now: genNow})
	p, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	assert.False(t, d.TreeFresh())

	// A hundred callers at once, and more after the first answer (as sessions
	// of serve start): one department.get, with no gate at the portal.
	var wg sync.WaitGroup
	var once sync.Once
	start, first := make(chan struct{}), make(chan struct{})
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 1 {
				<-first
			} else {
				<-start
			}
			org, err := d.LoadTree(context.Background())
			assert.NoError(t, err)
			assert.Len(t, org.Departments(), len(fake.Departments))
			once.Do(func() { close(first) })
		}()
	}
	close(start)
	wg.Wait()
	assert.Equal(t, int64(1), p.Requests()["department.get"], "%v", p.Requests())
	assert.True(t, d.TreeFresh())

	// Forced, it asks again; so does a call once the tree is old.
	p.ResetCounters()
	_, err := d.LoadTreeFresh(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(1), p.Requests()["department.get"])
	backdate(d, 0)
	assert.False(t, d.TreeFresh())
	_, err = d.LoadTree(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(2), p.Requests()["department.get"])
}

func TestLoadDepartmentSingleflight(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 200, Departments: 10, Seed: 5, Now: genNow})
	// A slow portal, so that all hundred calls overlap the one request.
	p, c := startPortal(t, fake, fakeportal.Options{Latency: 200 * time.Millisecond})
	d := New(c, Options{NoCache: true})
	_, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	dept := activeUsers(fake)[0].Departments[0]
	p.ResetCounters()

	var wg sync.WaitGroup
	start := make(chan struct{})
	orgs := make([]*Org, 100)
	for i := range orgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			org, err := d.LoadDepartment(context.Background(), dept)
			assert.NoError(t, err)
			orgs[i] = org
		}()
	}
	close(start)
	wg.Wait()
	assert.Equal(t, int64(1), p.Total(), "one portal request for a hundred callers: %v", p.Requests())
	for _, o := range orgs {
		assert.Same(t, orgs[0], o)
		assert.True(t, o.Loaded(dept))
	}
}

// A hundred callers of LoadDepartment, half of them only after the first
// has its answer (sessions that read the snapshot before the load landed),
// with nothing holding the portal back: one request. The presence refresh a
// minute later asks the portal again; so does a forced load.
func TestLoadDepartmentReusesARecentLoad(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 200, Departments: 10, Seed: 5, Now: genNow})
	p, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	_, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	dept := activeUsers(fake)[0].Departments[0]
	_, known := d.PeopleAge(dept)
	assert.False(t, known)
	p.ResetCounters()

	var wg sync.WaitGroup
	var once sync.Once
	start, first := make(chan struct{}), make(chan struct{})
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 1 {
				<-first
			} else {
				<-start
			}
			org, err := d.LoadDepartment(context.Background(), dept)
			assert.NoError(t, err)
			assert.True(t, org.Loaded(dept))
			once.Do(func() { close(first) })
		}()
	}
	close(start)
	wg.Wait()
	assert.Equal(t, int64(1), p.Total(), "one portal request for a hundred callers: %v", p.Requests())
	age, known := d.PeopleAge(dept)
	assert.True(t, known)
	assert.Less(t, age, PeopleReuse)

	backdate(d, dept)
	org, err := d.LoadDepartment(context.Background(), dept)
	require.NoError(t, err)
	assert.True(t, org.Loaded(dept))
	assert.Equal(t, int64(2), p.Total(), "data older than the window: the refresh reaches the portal")
	_, err = d.LoadDepartmentWithin(context.Background(), dept, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, int64(2), p.Total(), "recent enough for this caller")
	_, err = d.LoadDepartmentWithin(context.Background(), dept, 0)
	require.NoError(t, err)
	assert.Equal(t, int64(3), p.Total(), "forced")
}

func TestLoadDepartmentCallerGivesUp(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 50, Departments: 5, Seed: 5, Now: genNow})
	_, c := startPortal(t, fake, fakeportal.Options{Latency: 100 * time.Millisecond})
	d := New(c, Options{NoCache: true})
	dept := activeUsers(fake)[0].Departments[0]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	org, err := d.LoadDepartment(ctx, dept)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotNil(t, org, "the current snapshot comes back with the error")

	// The shared request went on; a second caller shares or repeats it.
	org, err = d.LoadDepartment(context.Background(), dept)
	require.NoError(t, err)
	assert.NotZero(t, org.PersonCount())
}

func TestLoadAllComplete(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 600, Departments: 40, Seed: 9, Now: genNow})
	p, c := startPortal(t, fake, fakeportal.Options{})
	dir := t.TempDir()
	d := New(c, Options{CacheDir: dir})

	var calls, last, total int
	org, err := d.LoadAll(context.Background(), func(done, all int) { calls++; last, total = done, all })
	require.NoError(t, err)
	assert.True(t, org.Complete())
	assert.Equal(t, len(activeUsers(fake)), org.PersonCount())
	assert.Positive(t, calls)
	assert.Equal(t, total, last, "progress ends at the total")
	for id, n := range wantCounts(fake) {
		assert.Equal(t, n, org.HeadCount(id), "department %d", id)
		ps, loaded := org.People(id)
		assert.True(t, loaded)
		assert.Len(t, ps, len(org.Members(id)))
	}
	assert.LessOrEqual(t, p.Total(), int64(8), "%v", p.Requests())
	assert.Empty(t, d.Warnings())

	// Search is local now, and finds people by translit and extension.
	var u fakeportal.User
	for _, a := range activeUsers(fake) {
		if a.Extension != "" {
			u = a
			break
		}
	}
	ms := org.Search(u.Extension, 1)
	require.NotEmpty(t, ms)
	assert.Equal(t, u.ID, ms[0].Person.ID)

	// The cache holds it: a new Directory answers from it at once.
	d2 := New(c, Options{CacheDir: dir})
	ok, err := d2.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, utcData(org.Data()), utcData(d2.Snapshot().Data()))
}

func TestLoadAllAfterTreeSkipsTheTree(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 100, Departments: 8, Seed: 9, Now: genNow})
	p, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	_, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	p.ResetCounters()
	_, err = d.LoadAll(context.Background(), nil)
	require.NoError(t, err)
	assert.Zero(t, p.Requests()["department.get"])
}

func TestSearchRemote(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 200, Departments: 10, Seed: 11, Now: genNow})
	_, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	var u fakeportal.User
	for _, a := range activeUsers(fake) {
		if a.Extension != "" && a.LastName != "" {
			u = a
			break
		}
	}

	people, err := d.SearchRemote(context.Background(), u.Extension)
	require.NoError(t, err)
	require.Len(t, people, 1)
	assert.Equal(t, u.ID, people[0].ID)
	assert.Same(t, people[0], d.Snapshot().Person(u.ID), "the people found join the snapshot")

	people, err = d.SearchRemote(context.Background(), u.LastName)
	require.NoError(t, err)
	assert.True(t, slices.ContainsFunc(people, func(p *Person) bool { return p.ID == u.ID }), "by name")

	people, err = d.SearchRemote(context.Background(), "x")
	assert.NoError(t, err)
	assert.Empty(t, people, "too short for the portal")
}

func TestHostileOrgFromPortal(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 300, Departments: 20, Seed: 13, Now: genNow, Hostile: true})
	_, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	org, err := d.LoadAll(context.Background(), nil)
	require.NoError(t, err)
	clean := func(s string) {
		assert.False(t, strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' }), "%q", s)
		assert.LessOrEqual(t, len(s), 1024)
	}
	for _, dep := range org.Departments() {
		clean(dep.Name)
		assert.LessOrEqual(t, len(org.Path(dep.ID)), len(fake.Departments))
	}
	for _, p := range org.AllPeople() {
		for _, s := range []string{p.Name, p.FirstName, p.LastName, p.Position, p.Email, p.Extension, p.WorkPhone, p.Mobile} {
			clean(s)
		}
	}
	for _, q := range []string{"\x1b[2J", "a", "é", "0", "\u202e", strings.Repeat("x", 5000)} {
		org.Search(q, 10) // never panics
	}
}

func TestNoClient(t *testing.T) {
	d := New(nil, Options{})
	_, err := d.LoadTree(context.Background())
	assert.ErrorIs(t, err, ErrNoClient)
	_, err = d.LoadDepartment(context.Background(), 1)
	assert.ErrorIs(t, err, ErrNoClient)
	_, err = d.LoadAll(context.Background(), nil)
	assert.ErrorIs(t, err, ErrNoClient)
	_, err = d.SearchRemote(context.Background(), "anna")
	assert.ErrorIs(t, err, ErrNoClient)
	ok, err := d.LoadCache()
	assert.False(t, ok)
	assert.NoError(t, err)
	assert.NotNil(t, d.Snapshot())
}

func TestPortalErrorKeepsSnapshot(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 50, Departments: 5, Seed: 5, Now: genNow})
	p, c := startPortal(t, fake, fakeportal.Options{WebhookCode: "rightcode123456"})
	d := New(c, Options{NoCache: true})
	org, err := d.LoadTree(context.Background())
	require.NoError(t, err)

	bad, err := api.New(api.Config{WebhookURL: strings.Replace(p.WebhookURL(), "rightcode123456", "wrongcode654321", 1), MaxRetries: -1})
	require.NoError(t, err)
	d2 := New(bad, Options{NoCache: true})
	got, err := d2.LoadTree(context.Background())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "wrongcode654321")
	assert.NotNil(t, got)
	assert.Same(t, org, d.Snapshot())
}

func TestConcurrentUse(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 300, Departments: 20, Seed: 17, Now: genNow})
	_, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{CacheDir: t.TempDir()})
	_, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	depts := d.Snapshot().Departments()

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				dep := depts[(g*20+i)%len(depts)].ID
				if g%2 == 0 {
					_, err := d.LoadDepartment(context.Background(), dep)
					assert.NoError(t, err)
					continue
				}
				o := d.Snapshot()
				o.Search("an", 20)
				o.People(dep)
				o.HeadCount(dep)
				o.DepartmentPaths(&Person{DepartmentIDs: []int{dep}})
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err := d.LoadAll(context.Background(), nil)
		assert.NoError(t, err)
		assert.NoError(t, d.SaveCache())
	}()
	wg.Wait()
	assert.Equal(t, len(activeUsers(fake)), d.Snapshot().PersonCount())
}

// Start-up from the cache, then the tree's revalidation: the people are the
// same, so the index read from the cache serves on instead of being rebuilt.
func TestTreeRevalidationKeepsTheIndex(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 200, Departments: 12, Seed: 4, Now: genNow})
	p, c := startPortal(t, fake, fakeportal.Options{})
	dir := t.TempDir()
	_, err := New(c, Options{CacheDir: dir}).LoadAll(context.Background(), nil)
	require.NoError(t, err)

	d := New(c, Options{CacheDir: dir})
	ok, err := d.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	cached := d.Snapshot()
	idx := cached.idx.Load()
	require.NotNil(t, idx)

	u := activeUsers(fake)[5]
	dept := u.Departments[0]
	p.Update(func(o *fakeportal.Org) {
		for i := range o.Departments {
			if o.Departments[i].ID == dept {
				o.Departments[i].Name = "Renamed Desk"
			}
		}
	})
	org, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	assert.Same(t, idx, org.idx.Load(), "the index carried over")
	ms := org.Search(u.LastName+" "+u.FirstName, 0)
	require.NotEmpty(t, ms)
	var found *Person
	for _, m := range ms {
		if m.Person.ID == u.ID {
			found = m.Person
		}
	}
	require.NotNil(t, found)
	assert.Same(t, org.Person(u.ID), found)
	assert.Contains(t, org.DepartmentPaths(found)[0], "Renamed Desk")
}

// closed reports whether ch is closed, without waiting.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestChangedWakesEveryWaiterOncePerChange(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 40, Departments: 4, Seed: 2, Now: genNow})
	_, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})

	first := d.Changed()
	assert.Equal(t, first, d.Changed(), "one channel for every waiter of one change")
	assert.False(t, closed(first))

	// Several waiters, each woken by the same swap.
	var wg sync.WaitGroup
	for range 20 {
		ch := d.Changed() // subscribed before the change
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ch
		}()
	}
	org, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	wg.Wait() // every waiter woke
	assert.True(t, closed(first))
	assert.Same(t, org, d.Snapshot(), "the waiters read the new snapshot")

	// A waiter that subscribes again sees the next change, and only that.
	next := d.Changed()
	assert.NotEqual(t, first, next)
	assert.False(t, closed(next))
	_, err = d.LoadTree(context.Background()) // reused: nothing changes
	require.NoError(t, err)
	assert.False(t, closed(next), "a load that brings nothing new wakes nobody")
	dept := org.Roots()[0]
	_, err = d.LoadDepartmentWithin(context.Background(), dept, 0)
	require.NoError(t, err)
	assert.True(t, closed(next), "a department's people are a change")

	// Nothing accumulates: between changes there is at most one channel,
	// and a waiter that gives up leaves nothing behind.
	d.mu.Lock()
	assert.Nil(t, d.changed, "nobody waits after the swap")
	d.mu.Unlock()
	abandoned := d.Changed()
	_, err = d.LoadDepartmentWithin(context.Background(), dept, time.Hour)
	require.NoError(t, err)
	assert.False(t, closed(abandoned), "reused within maxAge: no change")
	_, err = d.LoadDepartmentWithin(context.Background(), dept, 0)
	require.NoError(t, err)
	assert.True(t, closed(abandoned))
}

func TestChangedSkipsARejectedCacheInstall(t *testing.T) {
	d := New(nil, Options{NoCache: true})
	ch := d.Changed()
	prev := NewOrg(Data{})
	assert.Nil(t, d.install(NewOrg(smallData()), prev), "not the snapshot it was read against")
	assert.False(t, closed(ch), "the snapshot stayed: no change")
	assert.NotNil(t, d.install(NewOrg(smallData()), nil))
	assert.True(t, closed(ch))
}

// The people of a whole subtree come in one batch request, as many as the
// tree counts, and a second call within the reuse window asks nothing.
func TestLoadSubtree(t *testing.T) {
	p, c := startPortal(t, fakeportal.Demo(genNow, false), fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	org, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	var sales int
	for _, dep := range org.Departments() {
		if dep.Name == "Sales" {
			sales = dep.ID
		}
	}
	require.NotZero(t, sales)
	require.Greater(t, len(org.Subtree(sales)), 2, "Sales has departments below it")
	ps, loaded := org.SubtreePeople(sales)
	assert.False(t, loaded)
	assert.Empty(t, ps, "nobody's details before the load")

	p.ResetCounters()
	org, err = d.LoadSubtreeWithin(context.Background(), sales, PeopleReuse)
	require.NoError(t, err)
	ps, loaded = org.SubtreePeople(sales)
	assert.True(t, loaded)
	assert.Len(t, ps, org.HeadCount(sales), "as many people as the tree counts for Sales")
	for _, id := range org.Subtree(sales) {
		assert.True(t, org.Loaded(id), "department %d", id)
	}
	assert.Equal(t, int64(1), p.Requests()["batch"], "one batch for every department of the subtree: %v", p.Requests())

	p.ResetCounters()
	_, err = d.LoadSubtreeWithin(context.Background(), sales, PeopleReuse)
	require.NoError(t, err)
	assert.Zero(t, p.Total(), "loaded a moment ago: no request")
}
