package fakeportal_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

// realWorld is a small generated org with the real-world additions.
func realWorld() *fakeportal.Org {
	return fakeportal.Generate(fakeportal.GenOptions{People: 200, Seed: 5, Now: now, RealWorld: true})
}

func userBy(org *fakeportal.Org, f func(u fakeportal.User) bool) fakeportal.User {
	for _, u := range org.Users {
		if f(u) {
			return u
		}
	}
	return fakeportal.User{}
}

func TestRealWorldAdditionsAreGenerated(t *testing.T) {
	org := realWorld()
	assert.Equal(t, org, realWorld(), "deterministic")
	plain := fakeportal.Generate(fakeportal.GenOptions{People: 200, Seed: 5, Now: now})
	assert.Equal(t, plain.Users[:10], org.Users[:10], "the tidy part is unchanged")

	member := map[[2]int]bool{}
	byID := map[int]fakeportal.User{}
	for _, u := range org.Users {
		byID[u.ID] = u
		for _, d := range u.Departments {
			member[[2]int{d, u.ID}] = true
		}
	}
	var outsideHead, leftHead, inactive int
	for _, d := range org.Departments {
		h, ok := byID[d.Head]
		switch {
		case d.Inactive:
			inactive++
		case ok && !h.Active:
			leftHead++
		case ok && !member[[2]int{d.ID, h.ID}]:
			outsideHead++
		}
	}
	assert.Equal(t, 1, outsideHead, "a head from another department")
	assert.Equal(t, 1, leftHead, "a head who has left")
	assert.Equal(t, 1, inactive)
	assert.NotZero(t, userBy(org, func(u fakeportal.User) bool { return u.Extranet && len(u.Departments) == 0 }).ID)
	assert.NotZero(t, userBy(org, func(u fakeportal.User) bool { return u.Bot && len(u.Departments) == 0 }).ID)
	assert.NotZero(t, userBy(org, func(u fakeportal.User) bool {
		return u.Active && !u.Bot && !u.Extranet && len(u.Departments) == 0
	}).ID, "an active employee without a department")
	assert.NotZero(t, userBy(org, func(u fakeportal.User) bool {
		return u.Position == fakeportal.PositionInvited && u.Active && u.LastActivity.IsZero() && len(u.Departments) == 1
	}).ID, "an invited user who never logged in")
}

func TestRealWorldOverHTTP(t *testing.T) {
	org := realWorld()
	p := start(t, org, fakeportal.Options{})
	var closed, child fakeportal.Department
	for _, d := range org.Departments {
		switch d.Name {
		case fakeportal.InactiveDepartmentName:
			closed = d
		case fakeportal.InactiveChildName:
			child = d
		}
	}
	require.True(t, closed.Inactive)

	// department.get knows only the globally active departments.
	a := get(t, p.WebhookURL(), "department.get?start=-1")
	require.Equal(t, 200, a.status)
	a = postJSON(t, p.WebhookURL(), "department.get", map[string]any{"ID": []int{closed.ID, child.ID}})
	require.Equal(t, 200, a.status)
	assert.Empty(t, list(t, a.body["result"]), "inactive, and under an inactive one")

	// im.department.employees.get: unknown departments have no key.
	a = postJSON(t, p.WebhookURL(), "im.department.employees.get", map[string]any{"ID": []int{closed.ID, child.ID}})
	require.Equal(t, 200, a.status)
	assert.Equal(t, []any{}, a.body["result"])

	// user.get never returns bots; extranet users say so.
	bot := userBy(org, func(u fakeportal.User) bool { return u.Bot })
	ext := userBy(org, func(u fakeportal.User) bool { return u.Extranet })
	a = postJSON(t, p.WebhookURL(), "user.get", map[string]any{"FILTER": map[string]any{"ID": []int{bot.ID, ext.ID}}})
	require.Equal(t, 200, a.status)
	rows := list(t, a.body["result"])
	require.Len(t, rows, 1)
	assert.Equal(t, strconv.Itoa(ext.ID), object(t, rows[0])["ID"])
	assert.Equal(t, "extranet", object(t, rows[0])["USER_TYPE"])
	assert.Equal(t, false, object(t, rows[0])["UF_DEPARTMENT"])

	// The im objects carry the flags; search finds bots and extranet users.
	a = postJSON(t, p.WebhookURL(), "im.search.user.list", map[string]any{"FIND": strings.Fields(fakeportal.BotName)[0]})
	require.Equal(t, 200, a.status)
	found := object(t, a.body["result"])
	require.Contains(t, found, strconv.Itoa(bot.ID))
	assert.Equal(t, true, object(t, found[strconv.Itoa(bot.ID)])["bot"])
	a = postJSON(t, p.WebhookURL(), "im.user.list.get", map[string]any{"ID": []int{ext.ID}})
	require.Equal(t, 200, a.status)
	assert.Equal(t, true, object(t, object(t, a.body["result"])[strconv.Itoa(ext.ID)])["extranet"])
}
