package serve

import (
	"encoding/json"
	"testing"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callerOrg is the old test org with one CRM client on a Moscow number,
// its responsible a findable person whose workday is on a break.
func callerOrg(t *testing.T) (*fakeportal.Org, fakeportal.User) {
	org := oldTestOrg()
	owner := findablePerson(t, org)
	org.Clients = []fakeportal.CRMClient{{Type: "COMPANY", ID: 643, Name: "Daisy LLC", Phones: []string{"+7 (495) 123-45-67"}, AssignedBy: owner.ID}}
	org.Workdays = []fakeportal.Workday{{UserID: owner.ID, Status: "PAUSED", IPOpen: "203.0.113.77", LatOpen: 55.751244, LonOpen: 37.618423}}
	return org, owner
}

func TestServeCaller(t *testing.T) {
	org, owner := callerOrg(t)
	f := newServeFixture(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()}, testServeOptions(), true)

	r := f.run(t, "caller --json 8-495-123-45-67")
	require.Equal(t, 0, r.code, r.stderr)
	var got []struct {
		Type        string `json:"type"`
		Name        string `json:"name"`
		Workday     string `json:"workday"`
		Responsible struct {
			ID        int    `json:"id"`
			Extension string `json:"extension"`
		} `json:"responsible"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
	require.Len(t, got, 1)
	assert.Equal(t, "company", got[0].Type)
	assert.Equal(t, "Daisy LLC", got[0].Name)
	assert.Equal(t, "paused", got[0].Workday)
	assert.Equal(t, owner.ID, got[0].Responsible.ID)
	assert.Equal(t, owner.Extension, got[0].Responsible.Extension)

	r = f.run(t, "caller 74951234567")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Daisy LLC (company 643): responsible ")
	assert.Contains(t, r.stdout, "ext "+owner.Extension)
	assert.Contains(t, r.stdout, "on a break")

	r = f.run(t, "caller +49 30 0000000")
	require.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "no CRM client has the number")

	r = f.run(t, "help")
	assert.Contains(t, r.stdout, "caller [--json] NUMBER")

	// find --json over SSH carries the combined availability.
	fr := f.run(t, "find --json "+owner.LastName)
	require.Equal(t, 0, fr.code, fr.stderr)
	var found []struct {
		ID           int     `json:"id"`
		Availability string  `json:"availability"`
		Workday      *string `json:"workday"`
	}
	require.NoError(t, json.Unmarshal([]byte(fr.stdout), &found), fr.stdout)
	require.NotEmpty(t, found)
	assert.Equal(t, owner.ID, found[0].ID)
	assert.Equal(t, "away", found[0].Availability, "on a break")
	require.NotNil(t, found[0].Workday)
	assert.Equal(t, "paused", *found[0].Workday)
	for _, s := range []string{"203.0.113.77", "55.751", "37.618"} {
		assert.NotContains(t, f.log.String(), s, "the server log holds no place")
		assert.NotContains(t, fr.stdout+fr.stderr+r.stdout, s)
	}
}

func TestServeCallerWithoutScope(t *testing.T) {
	org, _ := callerOrg(t)
	f := newServeFixture(t, org, fakeportal.Options{}, testServeOptions(), true)
	r := f.run(t, "caller 74951234567")
	requireOneLine(t, r, 2)
	assert.Contains(t, r.stderr, "caller needs the telephony scope")
	assert.Contains(t, r.stderr, "add the scope telephony to the webhook")
}
