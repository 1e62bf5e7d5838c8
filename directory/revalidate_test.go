package directory

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

// TestRevalidate loads everyone, changes the portal's org (a person joins,
// one leaves, one moves, three change presence), revalidates, and compares
// the result with a fresh full load: the same people with the same fields,
// for far fewer im objects.
func TestRevalidate(t *testing.T) {
	now := time.Now()
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 1500, Seed: 9, Now: now})
	p, c := startPortal(t, fake, fakeportal.Options{})
	cache := t.TempDir()
	org, err := New(c, Options{CacheDir: cache}).LoadAll(context.Background(), nil)
	require.NoError(t, err)
	full := p.Commands()

	heads := map[int]bool{}
	for _, dep := range fake.Departments {
		heads[dep.Head] = true
	}
	off, on, idle := presenceChanges(t, p, org, now)
	var gone, moved int
	for _, x := range org.AllPeople() {
		if heads[x.ID] || x.ID == off || x.ID == on || x.ID == idle || !x.Active || len(x.DepartmentIDs) != 1 || x.PresenceAt(now, DefaultThreshold) != Offline {
			continue
		}
		if gone == 0 {
			gone = x.ID
		} else if moved == 0 {
			moved = x.ID
		}
	}
	require.NotZero(t, gone)
	require.NotZero(t, moved)
	target := fake.Departments[len(fake.Departments)-1].ID
	newID := 0
	p.Update(func(o *fakeportal.Org) {
		for _, u := range o.Users {
			newID = max(newID, u.ID+1)
		}
		var kept []fakeportal.User
		for _, u := range o.Users {
			switch u.ID {
			case gone:
				continue
			case moved:
				if u.Departments[0] == target {
					target = fake.Departments[0].ID
				}
				u.Departments = []int{target}
			}
			kept = append(kept, u)
		}
		o.Users = append(kept, fakeportal.User{ID: newID, FirstName: "Neue", LastName: "Kollegin", Active: true, Departments: []int{target}})
	})

	// The next start: the cache, then the background load.
	d := New(c, Options{CacheDir: cache})
	ok, err := d.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	p.ResetCounters()
	got, err := d.Revalidate(context.Background(), DefaultThreshold, nil)
	require.NoError(t, err)
	reval := p.Commands()

	fresh := New(c, Options{NoCache: true})
	want, err := fresh.LoadAll(context.Background(), nil)
	require.NoError(t, err)

	assert.True(t, got.Complete())
	assert.Nil(t, got.Person(gone), "who left is dropped")
	require.NotNil(t, got.Person(newID), "who joined is there")
	assert.Equal(t, []int{target}, got.Person(moved).DepartmentIDs, "who moved is in the new department")
	assert.Contains(t, got.Members(target), moved)
	for _, id := range []int{off, on, idle} {
		require.NotNil(t, got.Person(id))
		assert.Equal(t, want.Person(id).PresenceAt(now, DefaultThreshold), got.Person(id).PresenceAt(now, DefaultThreshold), "presence of %d", id)
	}
	require.Equal(t, personIDs(want.AllPeople()), personIDs(got.AllPeople()))
	for _, w := range want.AllPeople() {
		assert.Equal(t, inUTC(*w), inUTC(*got.Person(w.ID)), "person %d", w.ID)
	}
	for _, dep := range fake.Departments {
		assert.ElementsMatch(t, want.Members(dep.ID), got.Members(dep.ID), "members of %d", dep.ID)
	}
	t.Logf("full load commands %v; revalidation %v", full, reval)
	p.ResetCounters()
	_, err = d.RefreshPresence(context.Background(), time.Nanosecond, DefaultThreshold)
	require.NoError(t, err)
	presence := p.Commands()["im.user.list.get"]
	assert.Equal(t, presence+1, reval["im.user.list.get"], "beyond the presence refresh, one command of im objects: the new and the moved")
	assert.Less(t, reval["im.user.list.get"], full["im.user.list.get"])
	assert.Equal(t, int64(1), reval["im.department.employees.get"], "the member lists, without details")
}

// TestRevalidateOldCacheLoadsEveryone checks that a directory older than
// FullLoadEvery is loaded again in full.
func TestRevalidateOldCacheLoadsEveryone(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 300, Seed: 3, Now: time.Now()})
	p, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true, FullLoadEvery: -1})
	_, err := d.LoadAll(context.Background(), nil)
	require.NoError(t, err)
	first := p.Commands()
	p.ResetCounters()
	org, err := d.Revalidate(context.Background(), DefaultThreshold, nil)
	require.NoError(t, err)
	assert.True(t, org.Complete())
	assert.Equal(t, first["im.user.list.get"], p.Commands()["im.user.list.get"], "everyone asked for again")
}

func personIDs(people []*Person) []int {
	out := make([]int, len(people))
	for i, p := range people {
		out[i] = p.ID
	}
	return slices.Sorted(slices.Values(out))
}

// inUTC returns p with its times in UTC (the cache gives them in Local).
func inUTC(p Person) Person {
	p.LastActivity, p.IdleSince, p.AbsentUntil = p.LastActivity.UTC(), p.IdleSince.UTC(), p.AbsentUntil.UTC()
	return p
}
