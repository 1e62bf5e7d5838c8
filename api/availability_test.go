package api_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

// genAvailOrg is genOrg with meetings, workdays and CRM clients.
func genAvailOrg(people, departments int) *fakeportal.Org {
	return fakeportal.Generate(fakeportal.GenOptions{People: people, Departments: departments, Seed: 7, Now: testNow, Availability: true})
}

// activeIDs lists the org's active employees.
func activeIDs(org *fakeportal.Org) []int {
	var ids []int
	for _, u := range org.Users {
		if u.Active && !u.Bot && !u.Extranet {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

func TestAccessibilityManyUsersPerCommand(t *testing.T) {
	org := genAvailOrg(300, 15)
	p := startPortal(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	c := webhookClient(t, p)
	ids := activeIDs(org)
	require.Greater(t, len(ids), 200)

	got, err := c.Accessibility(ctx(t), ids, testNow, testNow)
	require.NoError(t, err)

	want := map[int][]fakeportal.Event{}
	for _, e := range org.Events {
		want[e.UserID] = append(want[e.UserID], e) // the generator's events all touch today
	}
	require.NotEmpty(t, want)
	require.Len(t, got, len(want), "users with events")
	for id, evs := range want {
		require.Len(t, got[id], len(evs), "events of user %d", id)
		for i, e := range evs {
			g := got[id][i]
			assert.Equal(t, e.Accessibility, g.Accessibility)
			assert.Equal(t, e.AllDay, g.AllDay)
			assert.True(t, e.From.Equal(g.From), "from of user %d: %v, want %v", id, g.From, e.From)
			end := e.To
			if e.AllDay {
				end = end.AddDate(0, 0, 1)
			}
			assert.True(t, end.Equal(g.To), "end of user %d: %v, want %v", id, g.To, end)
		}
	}
	assert.Equal(t, int64(1), p.Requests()["batch"], "one request")
	assert.Equal(t, int64((len(ids)+99)/100), p.Commands()["calendar.accessibility.get"], "100 users per command")
}

func TestWorkdaysFiftyPerRequest(t *testing.T) {
	org := genAvailOrg(130, 6)
	p := startPortal(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	c := webhookClient(t, p)
	ids := append(activeIDs(org), 999999) // a user the portal does not know

	got, err := c.Workdays(ctx(t), ids)
	require.NoError(t, err)

	byUser := map[int]fakeportal.Workday{}
	for _, w := range org.Workdays {
		byUser[w.UserID] = w
	}
	seen := map[string]bool{}
	for _, id := range ids[:len(ids)-1] {
		g, ok := got[id]
		require.True(t, ok, "user %d", id)
		w, has := byUser[id]
		if !has {
			assert.Equal(t, api.WorkdayClosed, g.Status, "a day never opened")
			assert.True(t, g.Started.IsZero())
			continue
		}
		seen[w.Status] = true
		assert.Equal(t, w.Status, g.Status)
		assert.True(t, w.Start.Equal(g.Started), "start of %d", id)
		assert.True(t, w.Finish.Equal(g.Finished), "finish of %d", id)
		assert.Equal(t, w.Leaks, g.Breaks)
	}
	assert.NotContains(t, got, 999999, "an unknown user is left out")
	for _, s := range []string{api.WorkdayOpened, api.WorkdayPaused, api.WorkdayClosed, api.WorkdayExpired} {
		assert.True(t, seen[s], "the generator gives %s days", s)
	}
	assert.Equal(t, int64((len(ids)+49)/50), p.Requests()["batch"], "50 commands per request")
	assert.Equal(t, int64(len(ids)), p.Commands()["timeman.status"])
}

// TestWorkdaysKeepNoPlace proves that no IP address or coordinate of the
// fake's timeman.status answers survives decoding.
func TestWorkdaysKeepNoPlace(t *testing.T) {
	org := genAvailOrg(80, 4)
	p := startPortal(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	c := webhookClient(t, p)
	got, err := c.Workdays(ctx(t), activeIDs(org))
	require.NoError(t, err)
	js, err := json.Marshal(got)
	require.NoError(t, err)
	text := string(js) + fmt.Sprintf("%+v %#v", got, got)
	for _, w := range org.Workdays {
		for _, ip := range []string{w.IPOpen, w.IPClose} {
			if ip != "" {
				assert.NotContains(t, text, ip)
			}
		}
		for _, f := range []float64{w.LatOpen, w.LonOpen, w.LatClose, w.LonClose} {
			if f != 0 {
				assert.NotContains(t, text, strconv.FormatFloat(f, 'f', 4, 64))
			}
		}
	}
	assert.NotRegexp(t, `203\.0\.113\.|198\.51\.100\.`, text)
}

func TestCRMByPhoneFormats(t *testing.T) {
	org := genAvailOrg(200, 10)
	p := startPortal(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	c := webhookClient(t, p)
	users := map[int]fakeportal.User{}
	for _, u := range org.Users {
		users[u.ID] = u
	}
	var ru *fakeportal.CRMClient
	for i, cl := range org.Clients {
		for _, ph := range cl.Phones {
			if strings.HasPrefix(ph, "+7 (495) ") {
				ru = &org.Clients[i]
			}
		}
	}
	require.NotNil(t, ru, "the generator gives Moscow numbers")
	var phone string
	for _, ph := range ru.Phones {
		if strings.HasPrefix(ph, "+7 (495) ") {
			phone = ph
		}
	}
	local := strings.NewReplacer("+7 (495) ", "", "-", "").Replace(phone)
	for _, written := range []string{phone, "8-495-" + local, "8 (495) " + local, "007495" + local, "7495" + local} {
		got, err := c.CRMByPhone(ctx(t), written)
		require.NoError(t, err, written)
		require.NotEmpty(t, got, written)
		found := false
		for _, e := range got {
			if e.ID == ru.ID {
				found = true
				assert.Equal(t, ru.Type, e.Type)
				assert.Equal(t, ru.Name, e.Name)
				assert.Equal(t, ru.AssignedBy, e.Responsible.ID)
				assert.Equal(t, users[ru.AssignedBy].Extension, e.Responsible.Extension)
			}
		}
		assert.True(t, found, "%q finds client %d", written, ru.ID)
	}

	none, err := c.CRMByPhone(ctx(t), "+999 000 000 0000")
	require.NoError(t, err)
	assert.Empty(t, none)

	_, err = c.CRMByPhone(ctx(t), "call me")
	assert.ErrorIs(t, err, api.ErrBadPhoneNumber)
}

func TestOptionalScopesAreTyped(t *testing.T) {
	org := genOrg(40, 3)
	p := startPortal(t, org, fakeportal.Options{}) // department, user, im only
	c := webhookClient(t, p)
	ids := activeIDs(org)
	_, errCal := c.Accessibility(ctx(t), ids, testNow, testNow.Add(24*time.Hour))
	_, errTm := c.Workdays(ctx(t), ids)
	_, errTel := c.CRMByPhone(ctx(t), "+7 495 123-45-67")
	for scope, err := range map[string]error{api.ScopeCalendar: errCal, api.ScopeTimeman: errTm, api.ScopeTelephony: errTel} {
		require.Error(t, err, scope)
		var se *api.ScopeError
		require.True(t, errors.As(err, &se), "%s: %v is a ScopeError", scope, err)
		assert.Equal(t, scope, se.Scope)
		got, ok := api.MissingScope(err)
		assert.True(t, ok)
		assert.Equal(t, scope, got)
		assert.Contains(t, se.Hint(), "add the scope "+scope+" to the webhook")
	}
	_, ok := api.MissingScope(errors.New("other"))
	assert.False(t, ok)
}
