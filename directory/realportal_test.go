package directory

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

// realWorld is a generated org with what real portals hold (see
// fakeportal.AddRealWorld), and its notable people and departments.
type realWorld struct {
	org                            *fakeportal.Org
	outsideHead, leftHead          fakeportal.Department // headed by a non-member / by someone gone
	closed, closedChild            fakeportal.Department
	bot, extranet, noDept, invitee fakeportal.User
	archived                       []fakeportal.User
}

func newRealWorld(t *testing.T) realWorld {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 300, Seed: 3, Now: genNow, RealWorld: true})
	w := realWorld{org: org}
	byID := map[int]fakeportal.User{}
	for _, u := range org.Users {
		byID[u.ID] = u
		switch {
		case u.Bot:
			w.bot = u
		case u.Extranet:
			w.extranet = u
		case u.Position == fakeportal.PositionNoDepartment:
			w.noDept = u
		case u.Position == fakeportal.PositionInvited:
			w.invitee = u
		case u.Position == fakeportal.PositionArchived:
			w.archived = append(w.archived, u)
		}
	}
	for _, d := range org.Departments {
		h, ok := byID[d.Head]
		switch {
		case d.Name == fakeportal.InactiveDepartmentName:
			w.closed = d
		case d.Name == fakeportal.InactiveChildName:
			w.closedChild = d
		case ok && !h.Active:
			w.leftHead = d
		case ok && !slices.Contains(h.Departments, d.ID):
			w.outsideHead = d
		}
	}
	require.NotZero(t, w.outsideHead.ID)
	require.NotZero(t, w.leftHead.ID)
	require.NotZero(t, w.closed.ID)
	require.NotZero(t, w.bot.ID)
	require.NotZero(t, w.extranet.ID)
	require.NotZero(t, w.noDept.ID)
	require.NotZero(t, w.invitee.ID)
	require.Len(t, w.archived, 2)
	return w
}

// Heads who are not members (of another department, or dismissed) are shown
// first in the department they head and are not members of it; inactive
// departments and their people are nowhere; outsiders are not in the tree's
// lists; the invitee who never logged in is a member, never seen.
func TestLoadAllRealWorld(t *testing.T) {
	w := newRealWorld(t)
	p, c := startPortal(t, w.org, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	org, err := d.LoadAll(context.Background(), nil)
	require.NoError(t, err)
	members := org.PersonCount() - 1 // all but the head who left
	assert.EqualValues(t, (members+199)/200+1, p.Commands()["im.user.list.get"], "the head who left costs one command")

	for _, dep := range []fakeportal.Department{w.outsideHead, w.leftHead} {
		people, loaded := org.People(dep.ID)
		require.True(t, loaded)
		require.NotEmpty(t, people)
		assert.Equal(t, dep.Head, people[0].ID, "the head first, in %s", dep.Name)
		assert.False(t, org.IsMember(dep.ID, dep.Head))
	}
	gone := org.Person(w.leftHead.Head)
	require.NotNil(t, gone)
	assert.False(t, gone.Active)
	for _, dep := range org.Departments() {
		if dep.ID != w.leftHead.ID {
			assert.False(t, org.IsMember(dep.ID, gone.ID), "a head who left is nobody's member")
		}
	}

	assert.Nil(t, org.Department(w.closed.ID), "inactive")
	assert.Nil(t, org.Department(w.closedChild.ID), "under an inactive one")
	for _, u := range append([]fakeportal.User{w.bot, w.extranet, w.noDept}, w.archived...) {
		assert.Nil(t, org.Person(u.ID), "%s %s", u.FirstName, u.LastName)
	}
	inv := org.Person(w.invitee.ID)
	require.NotNil(t, inv, "the invitee is a member of a team")
	assert.True(t, inv.LastActivity.IsZero())
	assert.True(t, org.IsMember(w.invitee.Departments[0], inv.ID))
}

func TestLoadDepartmentShowsAHeadFromElsewhere(t *testing.T) {
	w := newRealWorld(t)
	p, c := startPortal(t, w.org, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	_, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	for _, dep := range []fakeportal.Department{w.outsideHead, w.leftHead} {
		before := p.Total()
		org, err := d.LoadDepartment(context.Background(), dep.ID)
		require.NoError(t, err)
		people, loaded := org.People(dep.ID)
		require.True(t, loaded)
		require.NotEmpty(t, people)
		assert.Equal(t, dep.Head, people[0].ID)
		assert.False(t, org.IsMember(dep.ID, dep.Head))
		assert.EqualValues(t, 2, p.Total()-before, "the members, then the head")
	}
}

// The portal's search finds bots, extranet users and users without a
// department; they are left out unless asked for.
func TestSearchRemoteLeavesOutsidersOut(t *testing.T) {
	w := newRealWorld(t)
	_, c := startPortal(t, w.org, fakeportal.Options{})
	for _, include := range []bool{false, true} {
		d := New(c, Options{NoCache: true, IncludeOutsiders: include})
		for _, u := range []fakeportal.User{w.bot, w.extranet, w.noDept} {
			people, err := d.SearchRemote(context.Background(), u.FirstName+" "+u.LastName)
			require.NoError(t, err)
			got := slices.ContainsFunc(people, func(p *Person) bool { return p.ID == u.ID })
			assert.Equal(t, include, got, "%s %s, include=%v", u.FirstName, u.LastName, include)
		}
		people, err := d.SearchRemote(context.Background(), w.extranet.Extension)
		require.NoError(t, err)
		assert.Equal(t, include, len(people) == 1, "by extension (user.get's USER_TYPE), include=%v", include)
		people, err = d.SearchRemote(context.Background(), w.invitee.LastName)
		require.NoError(t, err)
		assert.True(t, slices.ContainsFunc(people, func(p *Person) bool { return p.ID == w.invitee.ID }), "the invitee is staff")
	}
}
