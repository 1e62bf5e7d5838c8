package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/stretchr/testify/require"
)

func TestFindAnswersFromTheCacheWithThePortalStopped(t *testing.T) {
	now := time.Now()
	org := testOrg(now)
	p := startPortal(t, org, fakeportal.Options{})
	u := pickPerson(t, org)
	e := newRunEnv(t)
	url := p.WebhookURL()

	r := e.run(t, "--webhook", url, "export")
	require.Equal(t, 0, r.code, r.stderr)
	p.Close()

	for _, q := range [][]string{{u.Extension}, {u.LastName}, {strings.ToUpper(u.LastName), u.FirstName}} {
		r = e.run(t, append([]string{"--webhook", url, "find", "--json"}, q...)...)
		require.Equal(t, 0, r.code, "%v: %s", q, r.stderr)
		require.Empty(t, r.stderr, "a fresh cache says nothing")
		people := decodePeople(t, r.stdout)
		got, ok := findByID(people, u.ID)
		require.True(t, ok, "%v: %s", q, r.stdout)
		requireSamePerson(t, org, u, got, now)
	}
	r = e.run(t, "--webhook", url, "find", "--json", u.Extension)
	require.Equal(t, u.ID, decodePeople(t, r.stdout)[0].ID, "the owner of the extension comes first")

	r = e.run(t, "--webhook", url, "find", u.Extension)
	require.Equal(t, 0, r.code, r.stderr)
	require.True(t, strings.HasPrefix(r.stdout, "NAME "), r.stdout)
	require.Contains(t, r.stdout, u.Email)

	r = e.run(t, "--webhook", url, "find", "Zyxwvutsrq")
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, "no one matches")
}

func TestFindWithAPartialCacheAsksThePortal(t *testing.T) {
	now := time.Now()
	org := testOrg(now)
	p := startPortal(t, org, fakeportal.Options{})
	u := pickPerson(t, org)
	e := newRunEnv(t)

	// The tree alone in the cache, as a TUI that never finished its load leaves it.
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	d := directory.New(c, directory.Options{CacheDir: filepath.Join(e.cache, "b24org")})
	_, err = d.LoadTree(context.Background())
	require.NoError(t, err)
	require.Empty(t, d.Warnings())
	before := p.Total()

	r := e.run(t, "--webhook", p.WebhookURL(), "find", "--json", u.Extension)
	require.Equal(t, 0, r.code, r.stderr)
	got, ok := findByID(decodePeople(t, r.stdout), u.ID)
	require.True(t, ok, r.stdout)
	requireSamePerson(t, org, u, got, now)
	require.Greater(t, p.Total(), before, "an incomplete cache cannot say no one else matches")
}

// TestFindIsScriptAndAccentBlind checks that find, from the cache export
// left, transliterates Cyrillic and Latin both ways and ignores diacritics.
func TestFindIsScriptAndAccentBlind(t *testing.T) {
	now := time.Now()
	org := testOrg(now)
	var named []int
	rename := func(first, last string) int {
		for i := range org.Users {
			u := &org.Users[i]
			if u.Active && len(u.Departments) > 0 && !slices.Contains(named, u.ID) {
				u.FirstName, u.LastName = first, last
				named = append(named, u.ID)
				return u.ID
			}
		}
		t.Fatal("no active person left to rename")
		return 0
	}
	boris := rename("Борис", "Шаповалов")
	dora := rename("Dora", "Müller")
	ivan := rename("Ivan", "Zhukovsky")
	p := startPortal(t, org, fakeportal.Options{})
	e := newRunEnv(t)
	url := p.WebhookURL()
	r := e.run(t, "--webhook", url, "export")
	require.Equal(t, 0, r.code, r.stderr)
	p.Close()

	for _, c := range []struct {
		query []string
		want  int
	}{
		{[]string{"shapovalov"}, boris},          // Cyrillic name typed in Latin
		{[]string{"boris", "SHAPOVALOV"}, boris}, // any order, any case
		{[]string{"Жуковский"}, ivan},            // Latin name typed in Cyrillic
		{[]string{"muller"}, dora},               // without the umlaut
		{[]string{"mueller", "dora"}, dora},      // the German spelling of ü
	} {
		r = e.run(t, append([]string{"--webhook", url, "find", "--json"}, c.query...)...)
		require.Equal(t, 0, r.code, "%v: %s", c.query, r.stderr)
		_, ok := findByID(decodePeople(t, r.stdout), c.want)
		require.True(t, ok, "%v should find %d: %s", c.query, c.want, r.stdout)
	}
}

// find answers from a complete cache but shows presence no older than the
// presence age: when the cache is older, one request brings the presence of
// just the people found.
func TestFindShowsFreshPresence(t *testing.T) {
	now := time.Now()
	org := testOrg(now)
	u := pickPerson(t, org)
	for i := range org.Users {
		if org.Users[i].ID == u.ID {
			org.Users[i].LastActivity, org.Users[i].IdleSince, org.Users[i].AbsentUntil = now.Add(-3*time.Hour), time.Time{}, time.Time{}
		}
	}
	p := startPortal(t, org, fakeportal.Options{})
	e := newRunEnv(t)
	url := p.WebhookURL()
	r := e.run(t, "--webhook", url, "export")
	require.Equal(t, 0, r.code, r.stderr)
	p.Update(func(o *fakeportal.Org) {
		for i := range o.Users {
			if o.Users[i].ID == u.ID {
				o.Users[i].LastActivity = time.Now()
			}
		}
	})

	p.ResetCounters()
	r = e.run(t, "--webhook", url, "find", "--json", u.Extension)
	require.Equal(t, 0, r.code, r.stderr)
	got, ok := findByID(decodePeople(t, r.stdout), u.ID)
	require.True(t, ok, r.stdout)
	require.Equal(t, "offline", got.Presence, "the cache is younger than the presence age (5m)")
	require.Zero(t, p.Total())

	e.writeConfig(t, "presence_age: 1ns\n")
	r = e.run(t, "--webhook", url, "find", "--json", u.Extension)
	require.Equal(t, 0, r.code, r.stderr)
	got, ok = findByID(decodePeople(t, r.stdout), u.ID)
	require.True(t, ok, r.stdout)
	require.Equal(t, "online", got.Presence)
	require.EqualValues(t, 1, p.Total(), "one request for the people found")
	require.EqualValues(t, 1, p.Commands()["im.user.list.get"])
	require.Zero(t, p.Requests()["department.get"], "no reload")
}

// Bots, extranet users and users without a department are found by the
// portal's search, and left out unless --include-outsiders.
func TestFindLeavesOutsidersOut(t *testing.T) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 120, Seed: 2, Now: time.Now(), RealWorld: true})
	p := startPortal(t, org, fakeportal.Options{})
	e := newRunEnv(t)
	for _, name := range []string{fakeportal.BotName, "Eli Outside", "Ada Admin"} {
		r := e.run(t, "--webhook", p.WebhookURL(), "--no-cache", "find", "--json", name)
		require.Equal(t, 1, r.code, "%s: %s %s", name, r.stdout, r.stderr)
		r = e.run(t, "--webhook", p.WebhookURL(), "--no-cache", "--include-outsiders", "find", "--json", name)
		require.Equal(t, 0, r.code, "%s: %s", name, r.stderr)
		require.Len(t, decodePeople(t, r.stdout), 1, name)
	}
}

// find takes the query language of the browser's search: presence and
// fielded filters, combinable with words, the same on the command line.
func TestFindQueryLanguage(t *testing.T) {
	e := newRunEnv(t)
	r := e.run(t, "--demo", "find", "--json", "--limit", "0", "dept:sales online")
	require.Equal(t, 0, r.code, r.stderr)
	people := decodePeople(t, r.stdout)
	require.NotEmpty(t, people)
	underSales := func(p command.Person) bool {
		return slices.ContainsFunc(p.Departments, func(d string) bool { return strings.HasPrefix(d, "Acme Corp › Sales") })
	}
	for _, p := range people {
		require.Equal(t, "online", p.Presence, "%s", p.Name)
		require.True(t, underSales(p), "%s in %v: Sales or below it, not Inside Sales elsewhere", p.Name, p.Departments)
		require.Equal(t, directory.MatchFilter, p.Match)
	}

	// The words still rank; the filters only keep.
	r = e.run(t, "--demo", "find", "--json", "--limit", "0", "dept:sales", "anna")
	require.Equal(t, 0, r.code, r.stderr)
	for _, p := range decodePeople(t, r.stdout) {
		require.True(t, underSales(p), "%s", p.Name)
		require.Contains(t, strings.ToLower(p.Name+p.Email+p.Position), "ann")
		require.NotEqual(t, directory.MatchFilter, p.Match)
	}

	// A quoted value holds spaces; the table says "filter".
	r = e.run(t, "--demo", "find", `dept:"customer support" pos:engineer`)
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Greater(t, len(lines), 1, r.stdout)
	for _, l := range lines[1:] {
		require.Contains(t, l, "Customer Support", l)
		require.Contains(t, l, " filter ", l)
	}

	r = e.run(t, "--demo", "find", "ext:")
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, "has neither words nor a filter with a value")

	r = e.run(t, "find", "--help")
	require.Equal(t, 0, r.code, r.stderr)
	for _, want := range []string{"online and absent", "dept:sales", `dept:"customer support"`, "b24org find 'dept:sales online'"} {
		require.Contains(t, r.stdout, want)
	}
}

// A presence filter brings everyone's presence up to date first; when the
// portal cannot be asked, the answer comes from the cache with one line
// saying how old the presence it chose by is.
func TestFindPresenceFilterIsHonest(t *testing.T) {
	now := time.Now()
	org := testOrg(now)
	p := startPortal(t, org, fakeportal.Options{})
	e := newRunEnv(t)
	url := p.WebhookURL()
	r := e.run(t, "--webhook", url, "export")
	require.Equal(t, 0, r.code, r.stderr)

	e.writeConfig(t, "presence_age: 1ns\n")
	p.ResetCounters()
	r = e.run(t, "--webhook", url, "find", "--json", "--limit", "0", "online")
	require.Contains(t, []int{0, 1}, r.code, r.stderr)
	require.NotContains(t, r.stderr, "online/absent chosen", "the portal answered")
	require.EqualValues(t, 1, p.Requests()["user.online"], "everyone's presence, once")
	require.Zero(t, p.Requests()["department.get"], "no reload")
	if r.code == 0 {
		for _, x := range decodePeople(t, r.stdout) {
			require.Equal(t, "online", x.Presence)
		}
	}

	p.Close()
	r = e.run(t, "--webhook", url, "find", "--limit", "0", "absent")
	require.Contains(t, []int{0, 1}, r.code, r.stderr)
	require.Contains(t, r.stderr, "online/absent chosen by presence as of")
	require.Contains(t, r.stderr, "could not be refreshed")
	require.Equal(t, 1, strings.Count(r.stderr, "presence as of"), "one line: %s", r.stderr)
}
