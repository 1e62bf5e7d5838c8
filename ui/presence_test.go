package ui

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
)

// A local search over a directory from the cache shows the presence the
// portal has now: the search asks for a presence refresh (two requests, no
// reload), and the results follow it; a search soon after asks nothing.
func TestSearchShowsFreshPresence(t *testing.T) {
	p, err := fakeportal.Start(smallPortalOrg(), fakeportal.Options{Rate: -1, Now: fixedNow})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	cacheDir := t.TempDir()
	_, err = directory.New(c, directory.Options{CacheDir: cacheDir}).LoadAll(context.Background(), nil)
	require.NoError(t, err)

	// Dora was seen 3h ago when the cache was written; she is back now.
	p.Update(func(o *fakeportal.Org) {
		for i := range o.Users {
			if o.Users[i].ID == 30 {
				o.Users[i].LastActivity = testNow
			}
		}
	})
	dir := directory.New(c, directory.Options{CacheDir: cacheDir})
	ok, err := dir.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	require.True(t, dir.Snapshot().Complete())
	p.ResetCounters()

	h := newHarness(t, Options{Directory: dir})
	h.send(treeLoadedMsg{}) // the tree the directory holds
	h.keys("/")
	h.typeText("dora")
	require.NotEmpty(t, h.m.search.results)
	assert.Equal(t, 30, h.m.search.results[0].ID)
	assert.False(t, h.m.search.remote, "answered from the local index")
	assert.EqualValues(t, 1, p.Requests()["user.online"], "one refresh for the whole search")
	assert.EqualValues(t, 2, p.Total(), "user.online and one batch; no reload")
	assert.Equal(t, directory.Online, h.m.search.results[0].PresenceAt(testNow, directory.DefaultThreshold))
	assert.Contains(t, h.view(), "›● online  Dora Müller", "the result shows her online")

	h.keys("backspace")
	h.typeText("a")
	assert.EqualValues(t, 2, p.Total(), "fresh enough: no more requests")
}

// A head who is not a member of the department, or who has left, is shown
// first and marked; loading the department brings them (one more request).
func TestHeadsOutsideTheirDepartmentAreMarked(t *testing.T) {
	org := smallPortalOrg()
	for i := range org.Departments {
		switch org.Departments[i].Name {
		case "R&D":
			org.Departments[i].Head = 30 // Dora, a member of EMEA
		case "Empty":
			org.Departments[i].Head = 99
		}
	}
	org.Users = append(org.Users, fakeportal.User{ID: 99, FirstName: "Victor", LastName: "Gone", Position: "Former head",
		Departments: []int{5}, Active: false})
	_, dir := startPortal(t, org)
	h := newHarness(t, Options{Directory: dir})
	h.init()
	h.fire()

	h.selectDept("R&D")
	h.fire()
	require.True(t, h.m.people.loaded)
	assert.Contains(t, h.view(), "Dora Müller ★ (not a member)")
	h.keys("tab")
	assert.Contains(t, h.view(), "Dora Müller ★ head of EMEA, R&D (not a member)")
	h.keys("tab")

	h.selectDept("Empty")
	h.fire()
	require.True(t, h.m.people.loaded)
	assert.Contains(t, h.view(), "Victor Gone ★ (left)")
	h.keys("tab")
	assert.Contains(t, h.view(), "Victor Gone ★ head of Empty (left)")
}
