package fakeportal_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

func TestGenerateIsDeterministic(t *testing.T) {
	o := fakeportal.GenOptions{People: 1500, Seed: 7, Now: now, Hostile: true}
	a, b := fakeportal.Generate(o), fakeportal.Generate(o)
	require.Equal(t, a, b, "the same options give the same org")
	o.Seed = 8
	assert.NotEqual(t, a, fakeportal.Generate(o))
	assert.Equal(t, fakeportal.Demo(now, false), fakeportal.Demo(now, false))
}

// depthOf returns the number of levels above d, following parents.
func depthOf(t *testing.T, byID map[int]fakeportal.Department, d fakeportal.Department) int {
	t.Helper()
	depth := 0
	for d.Parent != 0 {
		p, ok := byID[d.Parent]
		require.True(t, ok, "department %d has an unknown parent %d", d.ID, d.Parent)
		d = p
		depth++
		require.Less(t, depth, len(byID), "a cycle above department %d", d.ID)
	}
	return depth
}

func TestGenerateInvariants(t *testing.T) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 4000, Seed: 11, Now: now})
	require.Len(t, org.Users, 4000)
	require.Len(t, org.Departments, 200, "Departments defaults to People/20")

	depts := map[int]fakeportal.Department{}
	roots, maxDepth, offDefaultSort, noHead := 0, 0, 0, 0
	for _, d := range org.Departments {
		require.NotContains(t, depts, d.ID, "department IDs are unique")
		depts[d.ID] = d
	}
	for _, d := range org.Departments {
		if d.Parent == 0 {
			roots++
		}
		maxDepth = max(maxDepth, depthOf(t, depts, d)) // every department reaches the root
		if d.Sort != 500 {
			offDefaultSort++
		}
		if d.Head == 0 {
			noHead++
		}
		assert.NotEmpty(t, d.Name)
	}
	assert.Equal(t, 1, roots)
	assert.GreaterOrEqual(t, maxDepth+1, 3, "at least 3 levels")
	assert.LessOrEqual(t, maxDepth+1, 5, "at most 5 levels")
	assert.Positive(t, offDefaultSort)
	assert.Less(t, offDefaultSort, len(org.Departments)/3, "SORT is mostly 500")
	assert.Positive(t, noHead, "some departments have no head")

	users := map[int]fakeportal.User{}
	members := map[int]int{}
	exts, emails := map[string]bool{}, map[string]bool{}
	extPattern := regexp.MustCompile(`^[0-9]{3,5}$`)
	var noPhones, inactive, twoDepts, online, idle, offline, never, absent int
	scripts := map[string]int{}
	for _, u := range org.Users {
		require.NotContains(t, users, u.ID, "user IDs are unique")
		users[u.ID] = u
		require.NotEmpty(t, u.Departments)
		for _, d := range u.Departments {
			require.Contains(t, depts, d, "user %d in an unknown department", u.ID)
			members[d]++
		}
		if u.Extension != "" {
			require.Regexp(t, extPattern, u.Extension)
			require.False(t, exts[u.Extension], "extension %s twice", u.Extension)
			exts[u.Extension] = true
		}
		if u.Email != "" {
			require.False(t, emails[u.Email], "e-mail %s twice", u.Email)
			emails[u.Email] = true
			for _, r := range u.Email {
				require.Less(t, r, rune(128), "e-mail %q is not ASCII", u.Email)
			}
		}
		if u.WorkPhone == "" && u.Mobile == "" && u.Extension == "" {
			noPhones++
		}
		if !u.Active {
			inactive++
			continue
		}
		if len(u.Departments) > 1 {
			twoDepts++
		}
		switch {
		case !u.AbsentUntil.IsZero():
			absent++
			assert.False(t, u.AbsentUntil.Before(now.Truncate(24*time.Hour)), "a vacation that is over")
		case u.LastActivity.IsZero():
			never++
		case !u.IdleSince.IsZero():
			idle++
		case now.Sub(u.LastActivity) < 10*time.Minute:
			online++
		default:
			offline++
		}
		for _, r := range u.FirstName + u.LastName {
			switch {
			case unicode.Is(unicode.Cyrillic, r):
				scripts["cyrillic"]++
			case unicode.Is(unicode.Han, r):
				scripts["han"]++
			case unicode.Is(unicode.Arabic, r):
				scripts["arabic"]++
			case strings.ContainsRune("äöüÄÖÜß", r):
				scripts["umlaut"]++
			case r < 128:
				scripts["latin"]++
			}
		}
	}
	for _, k := range []string{"cyrillic", "han", "arabic", "umlaut", "latin"} {
		assert.Positive(t, scripts[k], k)
	}
	for name, n := range map[string]int{"no phones": noPhones, "inactive": inactive, "two departments": twoDepts,
		"online": online, "idle": idle, "offline": offline, "never seen": never, "absent": absent} {
		assert.Positive(t, n, name)
		assert.Less(t, n, len(org.Users)/2, name)
	}
	empty := 0
	for _, d := range org.Departments {
		if members[d.ID] == 0 {
			empty++
			assert.Zero(t, d.Head, "an empty department has no head")
		}
		if d.Head != 0 {
			h, ok := users[d.Head]
			require.True(t, ok, "head %d of %d is not a user", d.Head, d.ID)
			assert.True(t, h.Active, "head %d is inactive", d.Head)
			assert.Contains(t, h.Departments, d.ID, "head %d is not a member of %d", d.Head, d.ID)
		}
	}
	assert.Positive(t, empty, "at least one empty department")
	assert.Equal(t, 1, org.Users[0].ID)
	assert.Equal(t, org.Users[0].ID, rootOf(org).Head, "user 1 heads the company")

	for _, s := range fakeportal.HostileSamples() {
		assert.False(t, contains(org, s), "hostile %q without Hostile", s)
	}
}

func rootOf(org *fakeportal.Org) fakeportal.Department {
	for _, d := range org.Departments {
		if d.Parent == 0 {
			return d
		}
	}
	return fakeportal.Department{}
}

func contains(org *fakeportal.Org, s string) bool {
	for _, d := range org.Departments {
		if strings.Contains(d.Name, s) {
			return true
		}
	}
	for _, u := range org.Users {
		if strings.Contains(u.FirstName+"\x00"+u.LastName+"\x00"+u.Position, s) {
			return true
		}
	}
	return false
}

func TestGenerateHostile(t *testing.T) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 60, Seed: 1, Now: now, Hostile: true})
	for _, s := range fakeportal.HostileSamples() {
		assert.True(t, contains(org, s), "hostile %q missing", s)
	}
	emptyName := false
	for _, u := range org.Users {
		emptyName = emptyName || (u.FirstName == "" && u.LastName == "")
	}
	assert.True(t, emptyName, "someone without a name")

	// The hostile strings travel through the API, escaped as JSON.
	p := start(t, org, fakeportal.Options{})
	a := get(t, p.WebhookURL(), "user.get?start=-1")
	require.Equal(t, 200, a.status)
	assert.NotContains(t, string(a.raw), "\x1b", "raw escape bytes never travel in the JSON text")
}

func TestDemo(t *testing.T) {
	org := fakeportal.Demo(now, true)
	require.Len(t, org.Users, 1200+7, "1,200 staff and the real-world additions")
	root := rootOf(org)
	assert.Equal(t, "Acme Corp", root.Name)
	var top []string
	for _, d := range org.Departments {
		if d.Parent == root.ID {
			top = append(top, d.Name)
		}
	}
	assert.ElementsMatch(t, []string{"Sales", "R&D", "Customer Support", "Operations", "Finance",
		"Human Resources", "Marketing", "IT"}, top)
	assert.Equal(t, "Anna", org.Users[0].FirstName)
	assert.Equal(t, "Johnson", org.Users[0].LastName)

	// The top of the tree and the first people stay pleasant, even hostile.
	byID := map[int]fakeportal.Department{}
	for _, d := range org.Departments {
		byID[d.ID] = d
	}
	pleasant := &fakeportal.Org{Users: org.Users[:20]}
	for _, d := range org.Departments {
		if depthOf(t, byID, d) <= 2 {
			pleasant.Departments = append(pleasant.Departments, d)
		}
	}
	for _, s := range fakeportal.HostileSamples() {
		assert.False(t, contains(pleasant, s), "hostile %q at the top", s)
		assert.True(t, contains(org, s), "hostile %q missing", s)
	}
	assert.False(t, contains(fakeportal.Demo(now, false), fakeportal.HostileSamples()[0]))
}

func TestGenerateSmallAndEmpty(t *testing.T) {
	for _, o := range []fakeportal.GenOptions{{}, {People: 1}, {People: 3, Departments: 2}, {People: 5, Departments: 40}, {People: 2, Hostile: true}} {
		o.Now = now
		org := fakeportal.Generate(o)
		require.NotEmpty(t, org.Departments, "%+v", o)
		require.Len(t, org.Users, o.People)
		p := start(t, org, fakeportal.Options{})
		require.Equal(t, 200, get(t, p.WebhookURL(), "department.get").status)
		require.Equal(t, 200, get(t, p.WebhookURL(), "user.get").status)
	}
}
