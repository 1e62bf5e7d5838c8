package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/internal/command"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// availOrg is testOrg with meetings, workdays and CRM clients.
func availOrg(now time.Time) *fakeportal.Org {
	return fakeportal.Generate(fakeportal.GenOptions{People: 150, Departments: 14, Seed: 11, Now: now, Availability: true})
}

// callerClient is a CRM client of org on a Moscow number, with its
// responsible employee: an active person with an extension.
func callerClient(t *testing.T, org *fakeportal.Org) (fakeportal.CRMClient, fakeportal.User) {
	t.Helper()
	owner := pickPerson(t, org)
	c := fakeportal.CRMClient{Type: "CONTACT", ID: 9001, Name: "John Doe", Phones: []string{"+7 (495) 123-45-67"}, AssignedBy: owner.ID}
	org.Clients = append(org.Clients, c)
	return c, owner
}

// places are the IP addresses and coordinates of org's workdays as a
// program could print or store them.
func places(org *fakeportal.Org) []string {
	var out []string
	for _, w := range org.Workdays {
		for _, ip := range []string{w.IPOpen, w.IPClose} {
			if ip != "" {
				out = append(out, ip)
			}
		}
		for _, f := range []float64{w.LatOpen, w.LonOpen, w.LatClose, w.LonClose} {
			if f != 0 {
				out = append(out, strconv.FormatFloat(f, 'f', 4, 64))
			}
		}
	}
	return out
}

// filesUnder is the content of every file under dir.
func filesUnder(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		b.Write(data)
		return err
	}))
	return b.String()
}

func TestCallerColdThenWarm(t *testing.T) {
	org := availOrg(time.Now())
	client, owner := callerClient(t, org)
	p := startPortal(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	e := newRunEnv(t).with("B24_WEBHOOK_URL=" + p.WebhookURL())

	cold := e.run(t, "caller", "--json", "8 (495) 123-45-67")
	require.Equal(t, 0, cold.code, cold.stderr)
	var got []command.Caller
	require.NoError(t, json.Unmarshal([]byte(cold.stdout), &got), cold.stdout)
	require.Len(t, got, 1)
	assert.Equal(t, "contact", got[0].Type)
	assert.Equal(t, client.Name, got[0].Name)
	require.NotNil(t, got[0].Responsible)
	assert.Equal(t, owner.ID, got[0].Responsible.ID)
	assert.Equal(t, owner.Extension, got[0].Responsible.Extension)
	assert.NotEmpty(t, got[0].Responsible.Presence)

	exp := e.run(t, "export")
	require.Equal(t, 0, exp.code, exp.stderr)
	before := p.Total()
	warm := e.run(t, "caller", "+7 495 123 45 67")
	require.Equal(t, 0, warm.code, warm.stderr)
	assert.Contains(t, warm.stdout, "John Doe (contact 9001): responsible ")
	assert.Contains(t, warm.stdout, "ext "+owner.Extension)
	assert.LessOrEqual(t, p.Total()-before, int64(4), "the CRM search, the responsible's calendar and workday, and presence at most")
	assert.Regexp(t, `ext `+owner.Extension+`, (available|busy|away|off|absent|unknown) \(`, warm.stdout, "the combined availability")

	none := e.run(t, "caller", "+49 89 0000000")
	assert.Equal(t, 1, none.code)
	assert.Empty(t, none.stdout)
	assert.Contains(t, none.stderr, "no CRM client has the number")

	everything := cold.all() + exp.all() + warm.all() + none.all() + filesUnder(t, e.cache)
	require.NotEmpty(t, places(org))
	for _, s := range places(org) {
		assert.NotContains(t, everything, s, "no place of a workday in output or cache")
	}
}

func TestCallerWithoutTelephony(t *testing.T) {
	org := availOrg(time.Now())
	callerClient(t, org)
	p := startPortal(t, org, fakeportal.Options{})
	e := newRunEnv(t).with("B24_WEBHOOK_URL=" + p.WebhookURL())
	r := e.run(t, "caller", "+7 (495) 123-45-67")
	requireOneErrorLine(t, r, testCode)
	assert.Contains(t, r.stderr, "caller needs the telephony scope")
	assert.Contains(t, r.stderr, "add the scope telephony to the webhook")
}

func TestDemoCaller(t *testing.T) {
	e := newRunEnv(t)
	r := e.run(t, "--demo", "caller", "0049", "30", "1234567")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Klaus Schmidt (lead 3): responsible ")
	r = e.run(t, "--demo", "caller", "--json", "+7 (495) 123-45-67")
	require.Equal(t, 0, r.code, r.stderr)
	var got []command.Caller
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	require.Len(t, got, 2)
	assert.Equal(t, []string{"contact", "company"}, []string{got[0].Type, got[1].Type})
}
