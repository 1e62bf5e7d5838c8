package api_test

// What real portals hold or do that a tidy portal would not (issue 9, item 6):
// the client side, each against the fake over HTTP.

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

// A 500 ERROR_CORE is the server failing inside the method: retried within
// the usual bound. A 400 ERROR_CORE is the method refusing the arguments:
// asking again would get the same answer, so it is not.
func TestErrorCoreRetriedOnlyWhenTheServerFailed(t *testing.T) {
	org := genOrg(30, 3)
	for _, tc := range []struct {
		fault    fakeportal.Fault
		class    api.Class
		requests int64
	}{
		{fakeportal.FaultCoreError, api.ClassRetryable, 3},
		{fakeportal.FaultCoreRefusal, api.ClassFatal, 1},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			p := startPortal(t, org, fakeportal.Options{})
			p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{tc.fault}})
			c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: 2}))
			require.NoError(t, err)
			_, err = c.Departments(ctx(t))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "ERROR_CORE")
			assert.Equal(t, tc.class, api.ClassOf(err))
			assert.Equal(t, tc.requests, p.Total(), "requests the portal received")

			p.SetFaults(fakeportal.Faults{})
			deps, err := c.Departments(ctx(t))
			require.NoError(t, err)
			assert.Len(t, deps, len(org.Departments))
		})
	}
}

// A webhook copied in the REST 3.0 form /rest/api/USER/CODE/ is the same
// webhook: accepted, shown masked, and it loads the directory.
func TestWebhookOfTheAPIForm(t *testing.T) {
	org := genOrg(60, 4)
	p := startPortal(t, org, fakeportal.Options{})
	url := strings.Replace(p.WebhookURL(), "/rest/", "/rest/api/", 1)
	require.Contains(t, url, "/rest/api/1/")
	c, err := api.New(fast(api.Config{WebhookURL: url}))
	require.NoError(t, err)
	assert.NotContains(t, c.Portal(), fakeportal.DefaultWebhookCode)
	deps, err := c.Departments(ctx(t))
	require.NoError(t, err)
	assert.Len(t, deps, len(org.Departments))
	users, err := c.AllEmployees(ctx(t), allDeptIDs(org), nil)
	require.NoError(t, err)
	assert.NotEmpty(t, users)

	for _, bad := range []string{"/rest/api/", "/rest/api/x/", "/rest/api/1/"} {
		_, err := api.New(fast(api.Config{WebhookURL: p.URL() + bad}))
		assert.ErrorIs(t, err, api.ErrConfig, bad)
	}
}

// user.get sends LAST_ACTIVITY_DATE without a zone, in the portal's wall
// clock; the client reads it in the offset the answer's time.date_start
// carries, so the instant is right on a portal east of UTC.
func TestUserGetDatesReadInThePortalZone(t *testing.T) {
	moscow := time.FixedZone("MSK", 3*3600)
	now := testNow.In(moscow)
	org := genOrg(40, 3)
	// The user whose LAST_ACTIVITY_DATE the fake sends as "2006-01-02 15:04:05"
	// (id%3 == 1) or "02.01.2006 15:04:05" (id%3 == 2), with an extension and
	// a last activity; without the im scope, user.get's date is all there is.
	var want fakeportal.User
	for _, u := range org.Users {
		if u.ID%3 != 0 && u.Extension != "" && !u.LastActivity.IsZero() && u.Active {
			want = u
			break
		}
	}
	require.NotZero(t, want.ID)
	p := startPortal(t, org, fakeportal.Options{Now: func() time.Time { return now }, Scopes: []string{"department", "user"}})
	c := webhookClient(t, p)
	assert.Equal(t, time.UTC, c.PortalZone(), "nothing said yet")

	users, err := c.UsersByExtension(ctx(t), want.Extension)
	require.NoError(t, err)
	require.Len(t, users, 1)
	_, off := time.Date(2025, 1, 1, 0, 0, 0, 0, c.PortalZone()).Zone()
	assert.Equal(t, 3*3600, off)
	assert.True(t, users[0].LastActivity.Equal(want.LastActivity.Truncate(time.Second)),
		"got %v, want %v", users[0].LastActivity, want.LastActivity)
}
