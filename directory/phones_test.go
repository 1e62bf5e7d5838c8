package directory

import (
	"context"
	"testing"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ownerFormats are one Moscow and one Berlin number, each written the four
// ways a caller's number reaches the helpdesk.
var ownerFormats = map[string][]string{
	"moscow": {"+7 (495) 123-45-67", "8 495 123 45 67", "007 495 1234567", "8-(495)-123-45-67"},
	"berlin": {"+49 30 1234567", "+49 (30) 123-45-67", "0049 30 1234567", "0049-30-123 45 67"},
}

// requireOwnerFirst asserts that each query of ownerFormats finds the owner
// of its number first, as a phone match of the whole number.
func requireOwnerFirst(t *testing.T, find func(query string) []Found, owners map[string]int) {
	t.Helper()
	for city, queries := range ownerFormats {
		for _, q := range queries {
			got := find(q)
			require.NotEmpty(t, got, q)
			assert.Equal(t, owners[city], got[0].Person.ID, q)
			assert.Equal(t, MatchPhone, got[0].Match, q)
		}
	}
}

func TestPhoneQuery(t *testing.T) {
	for q, want := range map[string]string{
		"+7 (495) 123-45-67": "74951234567",
		"8-495-123-45-67":    "74951234567",
		"0049 30 1234567":    "49301234567",
		"399":                "",            // an extension
		"anna 4951234567":    "",            // letters
		"74951234567":        "74951234567", // digits only, as PBXs send them
	} {
		assert.Equal(t, want, phoneQuery(q, "RU"), q)
	}
	assert.Equal(t, "49301234567", phoneQuery("030 1234567", "DE"))
}

func TestPhoneRegionIsConfiguredOrGuessed(t *testing.T) {
	people := []*Person{
		{ID: 1, WorkPhone: "+7 495 111-22-33"},
		{ID: 2, Mobile: "+7 916 111-22-33"},
		{ID: 3, WorkPhone: "+49 30 7654321"},
		{ID: 4, WorkPhone: "8 (812) 555-12-34"},
	}
	keys, region := phoneKeys(people, "")
	assert.Equal(t, "RU", region, "most international numbers are Russian")
	assert.Equal(t, "78125551234", keys[3][0], "a national number read in the guessed region")
	keys, region = phoneKeys(people, "DE")
	assert.Equal(t, "DE", region)
	assert.Equal(t, "74951112233", keys[0][0], "international numbers do not depend on the region")
	assert.NotEqual(t, "78125551234", keys[3][0])

	r, ok := ValidRegion(" ru ")
	assert.True(t, ok)
	assert.Equal(t, "RU", r)
	_, ok = ValidRegion("XX")
	assert.False(t, ok)
}

func TestSearchFindsTheOwnerOfANumberInAnyFormat(t *testing.T) {
	o := NewOrg(Data{Complete: true, People: []Person{
		{ID: 1, Name: "Anna Orlova", LastName: "Orlova", WorkPhone: "+7 (495) 123-45-67", Extension: "101"},
		{ID: 2, Name: "Boris Petrov", LastName: "Petrov", Mobile: "8 (495) 123-45-60"},
		{ID: 3, Name: "Carl Braun", LastName: "Braun", Mobile: "0049 30 1234567"},
		{ID: 4, Name: "Dora Weiss", LastName: "Weiss", WorkPhone: "+7 916 000-00-00"},
		// Digits of Anna's number inside a longer one: a weaker match.
		{ID: 5, Name: "Egor Ivanov", LastName: "Ivanov", WorkPhone: "+7 (495) 123-45-678"},
	}})
	find := func(q string) []Found {
		ms, _ := o.SearchCount(q, 0)
		pq := ParseQuery(q)
		return found(ms, &pq)
	}
	requireOwnerFirst(t, find, map[string]int{"moscow": 1, "berlin": 3})

	got := find("+7 (495) 123-45-67")
	require.Len(t, got, 2, "the owner and the longer number holding its digits")
	assert.Equal(t, []int{1, 5}, []int{got[0].Person.ID, got[1].Person.ID}, "the exact number first")

	// Extensions and short digit queries work as before.
	got = find("101")
	require.NotEmpty(t, got)
	assert.Equal(t, 1, got[0].Person.ID)
	assert.Equal(t, MatchExtension, got[0].Match)
	got = find("45-60")
	require.Len(t, got, 1)
	assert.Equal(t, 2, got[0].Person.ID)
}

func TestFindFindsTheOwnerOfANumberColdAndFromTheCache(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 300, Departments: 12, Seed: 9, Now: genNow})
	active := activeUsers(fake)
	require.GreaterOrEqual(t, len(active), 2)
	owners := map[string]int{"moscow": active[0].ID, "berlin": active[1].ID}
	for i := range fake.Users {
		switch fake.Users[i].ID {
		case owners["moscow"]:
			fake.Users[i].WorkPhone = "8 (495) 123-45-67" // national, with the trunk prefix
		case owners["berlin"]:
			fake.Users[i].Mobile = "+49 30 123 45 67"
		}
	}
	_, c := startPortal(t, fake, fakeportal.Options{})
	dir := t.TempDir()
	d := New(c, Options{CacheDir: dir, Region: "RU"})
	requireOwnerFirst(t, func(q string) []Found {
		r, err := d.Find(context.Background(), q, FindOptions{PresenceAge: -1})
		require.NoError(t, err, q)
		assert.True(t, r.Complete, q)
		return r.People
	}, owners)

	// A process that has only the cache file (written by the load above).
	cached := New(nil, Options{CacheDir: dir, CacheKey: d.cacheKey(), Region: "RU"})
	requireOwnerFirst(t, func(q string) []Found {
		r, err := cached.Find(context.Background(), q, FindOptions{PresenceAge: -1})
		require.NoError(t, err, q)
		assert.True(t, r.FromCache, q)
		return r.People
	}, owners)
}

func TestACacheReadInAnotherRegionIsRebuilt(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 60, Departments: 4, Seed: 10, Now: genNow})
	_, c := startPortal(t, fake, fakeportal.Options{})
	dir := t.TempDir()
	d := New(c, Options{CacheDir: dir, Region: "RU"})
	_, err := d.LoadAll(context.Background(), nil)
	require.NoError(t, err)

	same := New(nil, Options{CacheDir: dir, CacheKey: d.cacheKey(), Region: "RU"})
	cs, err := same.SearchCache("+7 (495) 123-45-67", 1)
	require.NoError(t, err)
	require.NotNil(t, cs)
	ok, err := same.LoadCache()
	require.NoError(t, err)
	assert.True(t, ok)

	other := New(nil, Options{CacheDir: dir, CacheKey: d.cacheKey(), Region: "DE"})
	var ce *CacheError
	_, err = other.SearchCache("+7 (495) 123-45-67", 1)
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, ce.Reason, "another region than DE")
	_, err = other.LoadCache()
	require.ErrorAs(t, err, &ce, "the numbers would be read in the old region")
}
