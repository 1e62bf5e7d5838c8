package directory

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

// TestSearchAfterAFullLoadChangesOnlyWhatItCarries: im.search.user.list
// returns the thin object (no e-mail, no active flag, no last-seen time,
// phones as digits): a search after a full load changes none of those.
func TestSearchAfterAFullLoadChangesOnlyWhatItCarries(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 300, Departments: 12, Seed: 5, Now: genNow})
	var target fakeportal.User
	for _, u := range activeUsers(fake) {
		if u.Email != "" && !u.LastActivity.IsZero() && strings.ContainsAny(u.Mobile+u.WorkPhone, " -()+") && len([]rune(u.LastName)) >= 3 {
			target = u
			break
		}
	}
	require.NotZero(t, target.ID, "the generated org has someone with an e-mail, presence and a formatted phone")
	_, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{CacheDir: t.TempDir()})
	_, err := d.LoadAll(context.Background(), nil)
	require.NoError(t, err)
	before := *d.Snapshot().Person(target.ID)

	found, err := d.SearchRemote(context.Background(), target.LastName)
	require.NoError(t, err)
	require.NotEmpty(t, found)
	after := d.Snapshot().Person(target.ID)
	require.NotNil(t, after)
	assert.Equal(t, before.Email, after.Email)
	assert.Equal(t, before.WorkPhone, after.WorkPhone, "formatted phones stay formatted")
	assert.Equal(t, before.Mobile, after.Mobile)
	assert.Equal(t, before.Active, after.Active)
	assert.True(t, before.LastActivity.Equal(after.LastActivity), "last seen")
	assert.Equal(t, before.Name, after.Name)
	assert.True(t, d.Snapshot().Complete(), "a search leaves the directory complete")

	// And the cache file says the same.
	reread := New(nil, Options{CacheDir: d.opts.CacheDir, CacheKey: d.cacheKey()})
	ok, err := reread.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, reread.Snapshot().Complete())
	assert.Equal(t, before.Email, reread.Snapshot().Person(target.ID).Email)
	conf := reread.Snapshot().Confirmed()
	assert.False(t, conf.Tree.IsZero(), "the file says when the tree was confirmed")
	assert.False(t, conf.Merged.Before(reread.Snapshot().FetchedAt()), "and when the search was merged in, after the whole load")
}

// TestASubsetNeverReplacesACompleteCache: a process that knows a few people
// (a search, one department) writes the cache; the complete file it finds
// keeps everyone and stays complete.
func TestASubsetNeverReplacesACompleteCache(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 300, Departments: 12, Seed: 6, Now: genNow})
	_, c := startPortal(t, fake, fakeportal.Options{})
	dir := t.TempDir()
	full := New(c, Options{CacheDir: dir})
	org, err := full.LoadAll(context.Background(), nil)
	require.NoError(t, err)
	everyone := org.PersonCount()

	u := activeUsers(fake)[0]
	sub := New(c, Options{CacheDir: dir}) // never reads the cache
	_, err = sub.LoadTree(context.Background())
	require.NoError(t, err)
	_, err = sub.SearchRemote(context.Background(), u.LastName)
	require.NoError(t, err)
	require.Less(t, sub.Snapshot().PersonCount(), everyone)
	require.NoError(t, sub.SaveCache())
	require.Empty(t, sub.Warnings())

	again := New(c, Options{CacheDir: dir})
	ok, err := again.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, again.Snapshot().Complete(), "still complete")
	assert.Equal(t, everyone, again.Snapshot().PersonCount(), "nobody dropped")
	assert.Equal(t, org.Person(u.ID).Email, again.Snapshot().Person(u.ID).Email)
}

func TestFindRanksDigitsAndSaysWhatMatched(t *testing.T) {
	o := NewOrg(Data{Complete: true, People: []Person{
		{ID: 1, Name: "Ann Zed", LastName: "Zed", Extension: "3998"},
		{ID: 2, Name: "Bob Young", LastName: "Young", Extension: "399"},
		{ID: 3, Name: "Cy Xu", LastName: "Xu", Extension: "39910"},
		{ID: 4, Name: "Di West", LastName: "West", Extension: "3991"},
		{ID: 5, Name: "Ed Vance", LastName: "Vance", Mobile: "+7 900 8399-11"},
		{ID: 6, Name: "Flo Upton", LastName: "Upton", Extension: "7", Email: "flo@ex.example", Position: "Architect"},
	}})
	ms, total := o.SearchCount("399", 0)
	require.Equal(t, 5, total)
	var got []int
	var kinds []string
	q := ParseQuery("399")
	for _, f := range found(ms, &q) {
		got = append(got, f.Person.ID)
		kinds = append(kinds, f.Match)
	}
	assert.Equal(t, []int{2, 4, 1, 3, 5}, got, "exact, then numeric order, then phones")
	assert.Equal(t, []string{MatchExtension, MatchExtensionPrefix, MatchExtensionPrefix, MatchExtensionPrefix, MatchPhone}, kinds)

	ms, total = o.SearchCount("399", 2)
	assert.Len(t, ms, 2)
	assert.Equal(t, 5, total, "the total counts what the limit cut")

	for q, want := range map[string]string{"upton": MatchName, "flo@ex": MatchEmail, "archit": MatchPosition, "rchitec": MatchPosition} {
		ms, _ = o.SearchCount(q, 0)
		require.Len(t, ms, 1, q)
		pq := ParseQuery(q)
		assert.Equal(t, want, found(ms, &pq)[0].Match, q)
	}
}
