package directory

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

// presenceChanges makes three known people change on the portal: off comes
// online, on leaves (last active 3h ago), idle stops being idle and leaves.
func presenceChanges(t *testing.T, p *fakeportal.Portal, org *Org, now time.Time) (off, on, idle int) {
	for _, x := range org.AllPeople() {
		switch x.PresenceAt(now, DefaultThreshold) {
		case Offline:
			if off == 0 && x.Active && !x.Absent(now) {
				off = x.ID
			}
		case Online:
			if on == 0 && !x.Absent(now) {
				on = x.ID
			}
		case Idle:
			if idle == 0 && !x.Absent(now) {
				idle = x.ID
			}
		}
	}
	require.NotZero(t, off)
	require.NotZero(t, on)
	require.NotZero(t, idle)
	p.Update(func(o *fakeportal.Org) {
		for i := range o.Users {
			u := &o.Users[i]
			switch u.ID {
			case off:
				u.LastActivity = now
			case on, idle:
				u.LastActivity, u.IdleSince = now.Add(-3*time.Hour), time.Time{}
			}
		}
	})
	return off, on, idle
}

func TestRefreshPresence(t *testing.T) {
	now := time.Now()
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 1500, Seed: 9, Now: now})
	p, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	_, err := d.LoadAll(context.Background(), nil)
	require.NoError(t, err)

	before := p.Total()
	_, err = d.RefreshPresence(context.Background(), 0, DefaultThreshold)
	require.NoError(t, err)
	assert.Equal(t, before, p.Total(), "the load just brought everyone's presence")

	off, on, idle := presenceChanges(t, p, d.Snapshot(), now)
	shown := 0 // people the snapshot shows online or idle: asked about, as are the portal's online ones
	for _, x := range d.Snapshot().AllPeople() {
		if x.PresenceAt(time.Now(), DefaultThreshold) != Offline {
			shown++
		}
	}
	p.ResetCounters()
	changed := d.Changed()
	org, err := d.RefreshPresence(context.Background(), time.Nanosecond, DefaultThreshold)
	require.NoError(t, err)
	select {
	case <-changed:
	default:
		t.Fatal("the sessions are told")
	}
	assert.EqualValues(t, 2, p.Total(), "user.online, then one batch")
	assert.EqualValues(t, 1, p.Requests()["user.online"])
	assert.Zero(t, p.Requests()["department.get"]+p.Requests()["im.department.employees.get"], "no reload")
	cmds := p.Commands()["im.user.list.get"]
	assert.LessOrEqual(t, cmds, int64((shown+1+199)/200), "im objects for the online and the shown-online only")
	assert.Less(t, cmds, int64((org.PersonCount()+199)/200), "not for everyone")

	at := time.Now()
	assert.Equal(t, Online, org.Person(off).PresenceAt(at, DefaultThreshold))
	assert.Equal(t, Offline, org.Person(on).PresenceAt(at, DefaultThreshold))
	assert.Equal(t, Offline, org.Person(idle).PresenceAt(at, DefaultThreshold))
	assert.Same(t, org, d.Snapshot())
	assert.Equal(t, org.PersonCount(), len(org.AllPeople()))
	assert.True(t, org.Complete(), "still the whole directory")
	m := org.Search(org.Person(off).LastName, 50)
	found := false
	for _, x := range m {
		found = found || x.Person.ID == off && x.Person.PresenceAt(at, DefaultThreshold) == Online
	}
	assert.True(t, found, "search results show the fresh presence")

	p.ResetCounters()
	_, err = d.RefreshPresence(context.Background(), time.Minute, DefaultThreshold)
	require.NoError(t, err)
	assert.Zero(t, p.Total(), "fresh enough")
	age, ok := d.PresenceAge()
	assert.True(t, ok)
	assert.Less(t, age, time.Minute)
}

func TestFreshPresence(t *testing.T) {
	now := time.Now()
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 300, Seed: 4, Now: now})
	p, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	org, err := d.LoadAll(context.Background(), nil)
	require.NoError(t, err)
	off, on, _ := presenceChanges(t, p, org, now)
	people := []*Person{org.Person(off), org.Person(on)}

	p.ResetCounters()
	same, err := d.FreshPresence(context.Background(), people, time.Now(), 0)
	require.NoError(t, err)
	assert.Equal(t, people, same)
	assert.Zero(t, p.Total(), "recent enough: no request")

	fresh, err := d.FreshPresence(context.Background(), people, time.Now().Add(-6*time.Minute), 0)
	require.NoError(t, err)
	assert.EqualValues(t, 1, p.Total(), "one request for just these")
	at := time.Now()
	assert.Equal(t, Online, fresh[0].PresenceAt(at, DefaultThreshold))
	assert.Equal(t, Offline, fresh[1].PresenceAt(at, DefaultThreshold))
	assert.Equal(t, Offline, org.Person(off).PresenceAt(at, DefaultThreshold), "the snapshot's people are not changed")
	assert.Equal(t, people[0].Name, fresh[0].Name)
}
