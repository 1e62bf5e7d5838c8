package directory

import (
	"bytes"
	"context"
	"slices"
	"strings"
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

// phoneTestOrg is a generated directory of n people whose numbers are made
// harder for the lookup: some written nationally (Russian and German), one
// switchboard number shared by many as their work phone, and people whose
// work phone and mobile are the same number.
func phoneTestOrg(n int) *Org {
	d := genData(n, n/40, 21)
	for i := range d.People {
		p := &d.People[i]
		switch i % 11 {
		case 1:
			if rest, ok := strings.CutPrefix(p.WorkPhone, "+7 "); ok {
				p.WorkPhone = "8 (" + rest[:3] + ") " + rest[4:] // 8 (495) 123-45-67
			}
		case 2:
			if rest, ok := strings.CutPrefix(p.Mobile, "+49 "); ok {
				p.Mobile = "0" + rest // 0151 1234567
			}
		case 3:
			p.WorkPhone = "+7 (495) 100-00-00" // the switchboard
		case 4:
			p.Mobile = p.WorkPhone
		}
	}
	return NewOrg(d)
}

// phoneTestQueries are the queries of the lookup tests for the E.164
// numbers keys (by person): each number as written and in other formats,
// numbers nobody has, and parts of numbers.
func phoneTestQueries(people []*Person, keys [][2]string) []string {
	var qs []string
	for i, p := range people {
		for j, raw := range [2]string{p.WorkPhone, p.Mobile} {
			k := keys[i][j]
			if raw == "" {
				continue
			}
			qs = append(qs, raw, digits(raw))
			if k == "" {
				continue
			}
			qs = append(qs, "+"+k, k, "00"+k, "00 "+k[:3]+" "+k[3:],
				k[:len(k)-1],                // a digit short
				k+"0",                       // a digit more
				k[:len(k)-1]+"9",            // the last digit changed: mostly nobody's
				k[2:],                       // without (part of) the country code
				k[len(k)-minPhoneDigits:],   // the shortest tail that is read as a number
				k[len(k)-minPhoneDigits+1:], // one digit less: digits only
			)
			if rest, ok := strings.CutPrefix(k, "7"); ok {
				qs = append(qs, "8 "+rest, "8-("+rest[:3]+")-"+rest[3:]) // national, Russian
			}
			if rest, ok := strings.CutPrefix(k, "49"); ok {
				qs = append(qs, "0"+rest) // national, German
			}
		}
	}
	return append(qs, "+7 (495) 000-00-01", "0049 30 0000001", "8-800-000-00-01", "+1 555 999 99 99")
}

// phoneScan is everyone's extension and phone digits (as o.people) and their
// numbers in E.164 form, for scanLevels.
type phoneScan struct {
	ext, work, mobile []string
	keys              [][2]string
}

func newPhoneScan(people []*Person, keys [][2]string) *phoneScan {
	s := &phoneScan{keys: keys}
	for _, p := range people {
		s.ext = append(s.ext, digits(p.Extension))
		s.work = append(s.work, digits(p.WorkPhone))
		s.mobile = append(s.mobile, digits(p.Mobile))
	}
	return s
}

// levels is what a search of the digits token toks finds, by person,
// worked out one person at a time: the level of the query's digits in their
// extension and phones, and the exact match of the whole number against
// their numbers in E.164 form.
func (s *phoneScan) levels(toks []token, out []uint8) {
	clear(out)
	if len(toks) != 1 || !toks[0].digits {
		return
	}
	t := toks[0]
	for i, ext := range s.ext {
		switch {
		case ext == t.s:
			out[i] = ScoreExtension / 100
		case strings.HasPrefix(ext, t.s):
			out[i] = ScoreExtensionPrefix / 100
		case strings.Contains(ext, t.s) || strings.Contains(s.work[i], t.s) || strings.Contains(s.mobile[i], t.s):
			out[i] = ScorePhone / 100
		}
		if t.phone != "" && (s.keys[i][0] == t.phone || s.keys[i][1] == t.phone) {
			out[i] = ScorePhoneNumber / 100
		}
	}
}

// TestPhoneLookupAgreesWithTheScan checks the index's phone search (its
// digits scan and its lookup of whole numbers by hash, phones.go) against a
// scan of everyone's numbers, for every person's numbers in several
// formats, numbers nobody has and partial numbers, in the guessed region and
// in configured ones, built and read back from the cache's encoding.
func TestPhoneLookupAgreesWithTheScan(t *testing.T) {
	o := phoneTestOrg(600)
	shared := 0
	for _, p := range o.people {
		if p.WorkPhone == "+7 (495) 100-00-00" {
			shared++
		}
	}
	require.Greater(t, shared, 20, "the switchboard number is many people's")

	for _, region := range []string{"", "RU", "DE"} {
		idx := buildIndex(o.people, region)
		keys, used := phoneKeys(o.people, region)
		require.Equal(t, idx.region, used)

		// The index as the cache file carries it.
		b := idx.appendTo(nil)
		s := newStream(bytes.NewReader(b), int64(len(b)))
		cached := readIndex(s, idx.n, true, true, true)
		require.NoError(t, s.err)
		require.True(t, cached.valid(true, true, true))
		require.Equal(t, idx.phoneOrder, cached.phoneOrder)
		require.Equal(t, used, cached.region)

		exact := 0
		scan := newPhoneScan(o.people, keys)
		lv, want := make([]uint8, idx.n), make([]uint8, idx.n)
		for _, q := range phoneTestQueries(o.people, keys) {
			toks := queryTokens(q, used)
			scan.levels(toks, want)
			for name, x := range map[string]*index{"built": idx, "cached": cached} {
				x.levels(toks, lv)
				for i := range o.people {
					if lv[idx.entryOf[i]] != want[i] {
						require.Equal(t, want[i], lv[idx.entryOf[i]], "%s index, region %q, query %q, person %d", name, region, q, o.people[i].ID)
					}
				}
			}
			if slices.Contains(want, ScorePhoneNumber/100) {
				exact++
			}
		}
		assert.Greater(t, exact, 500, "region %q: most queries find a whole number", region)
	}
}
