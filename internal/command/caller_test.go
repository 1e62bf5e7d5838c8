package command

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Callers looks number up with presence as the directory knows it.
func (s portalSource) Callers(ctx context.Context, number string, _ func(string)) (*directory.Callers, time.Duration, error) {
	r, err := s.d.Callers(ctx, number, -1)
	return r, directory.DefaultThreshold, err
}

// callerCompany is the test company with CRM clients: a contact and a
// company sharing a Moscow number, a lead in Berlin, a hostile name; and
// workdays with where they were opened.
func callerCompany(now time.Time) *fakeportal.Org {
	org := testCompany(now)
	org.Clients = []fakeportal.CRMClient{
		{Type: "COMPANY", ID: 643, Name: "Daisy LLC", Phones: []string{"+7 (495) 123-45-67"}, AssignedBy: 20},
		{Type: "CONTACT", ID: 651, Name: "John Doe", Phones: []string{"8 495 123 45 67", "+1 212-555-0142"}, AssignedBy: 30},
		{Type: "LEAD", ID: 700, Name: "Lead: Klaus", Phones: []string{"030 1234567"}, AssignedBy: 10},
		{Type: "CONTACT", ID: 701, Name: "Bob\x1b[2J\x1b]0;PWNED\x07 \u202eevil", Phones: []string{"+44 20 7946 0958"}, AssignedBy: 31},
	}
	org.Workdays = []fakeportal.Workday{
		{UserID: 30, Status: "PAUSED", Start: now.Add(-3 * time.Hour), Leaks: 10 * time.Minute,
			IPOpen: "203.0.113.77", LatOpen: 55.751244, LonOpen: 37.618423},
		{UserID: 20, Status: "CLOSED", Start: now.Add(-9 * time.Hour), Finish: now.Add(-time.Hour),
			IPOpen: "203.0.113.78", IPClose: "198.51.100.9", LatOpen: 59.93863, LonOpen: 30.31413, LatClose: 59.9, LonClose: 30.3},
	}
	return org
}

// privatePlaces are the IP addresses and coordinates of callerCompany's
// workdays, as they could be printed.
var privatePlaces = []string{"203.0.113.77", "203.0.113.78", "198.51.100.9", "55.751", "37.618", "59.938", "30.314"}

// callerPortal serves callerCompany with the given scopes.
func callerPortal(t *testing.T, scopes []string) *fakeportal.Portal {
	t.Helper()
	p, err := fakeportal.Start(callerCompany(time.Now()), fakeportal.Options{Rate: -1, Scopes: scopes})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

// callerSource is a source over p with the disk cache in dir ("" for none).
func callerSource(t *testing.T, p *fakeportal.Portal, dir string) portalSource {
	t.Helper()
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	return portalSource{directory.New(c, directory.Options{CacheDir: dir, NoCache: dir == "", Availability: true})}
}

// asked counts the calls p answered per method: requests and batch
// commands alike (a batch request itself is not counted).
func asked(p *fakeportal.Portal) map[string]int64 {
	out := p.Commands()
	for m, n := range p.Requests() {
		if m != "batch" {
			out[m] += n
		}
	}
	return out
}

func TestCallerFound(t *testing.T) {
	p := callerPortal(t, fakeportal.AllScopes())
	src := callerSource(t, p, "")
	for _, number := range []string{"+7 (495) 123-45-67", "8-495-123-45-67", "007 495 1234567", "74951234567"} {
		r := run(t, src, 0, "caller", number)
		require.NoError(t, r.err, number)
		out := lines(r.stdout)
		require.Len(t, out, 2, "%s: %q", number, r.stdout)
		assert.True(t, strings.HasPrefix(out[0], "John Doe (contact 651): responsible Dora Müller, ext 1042, away (offline"), out[0])
		assert.Contains(t, out[0], ", on a break)", "the workday says why")
		assert.Contains(t, out[0], "Acme Corp › Sales › EMEA (+1)")
		assert.True(t, strings.HasPrefix(out[1], "Daisy LLC (company 643): responsible Борис Иванов, ext 1043, off (idle"), out[1])
		assert.Contains(t, out[1], ", finished ")
		assert.Equal(t, ExitOK, ExitCode(r.err))
	}

	r := run(t, src, 0, "caller", "--json", "030", "1234567")
	require.NoError(t, r.err)
	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	require.Len(t, got, 1)
	keys := make([]string, 0, len(got[0]))
	for k := range got[0] {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"type", "id", "name", "responsible_id", "responsible", "workday"}, keys)
	assert.Equal(t, "lead", got[0]["type"])
	assert.Equal(t, "Lead: Klaus", got[0]["name"])
	assert.EqualValues(t, 10, got[0]["responsible_id"])
	assert.Equal(t, "closed", got[0]["workday"], "a day never opened")
	resp, ok := got[0]["responsible"].(map[string]any)
	require.True(t, ok)
	assert.Equal(t, "Anna Johnson", resp["name"])
	assert.Equal(t, "1000", resp["extension"])
	assert.Equal(t, "online", resp["presence"])
	assert.Equal(t, "available", resp["availability"])
	for _, f := range contractFields {
		assert.Contains(t, resp, f, "the responsible is a person as find --json prints one")
	}
}

func TestCallerNotFound(t *testing.T) {
	src := callerSource(t, callerPortal(t, fakeportal.AllScopes()), "")
	r := run(t, src, 0, "caller", "+49 89 0000000")
	assert.ErrorIs(t, r.err, ErrNoMatch)
	assert.Equal(t, ExitNoMatch, ExitCode(r.err))
	assert.Empty(t, r.stdout)
	assert.Equal(t, []string{`no CRM client has the number "+49 89 0000000"`}, r.warnings)

	j := run(t, src, 0, "caller", "--json", "+49 89 0000000")
	assert.Equal(t, ExitNoMatch, ExitCode(j.err))
	assert.Equal(t, "[]\n", j.stdout)
	assert.Empty(t, j.warnings, "the empty array says it")

	bad := run(t, src, 0, "caller", "nobody")
	assert.Equal(t, ExitError, ExitCode(bad.err))
	assert.Contains(t, bad.err.Error(), "caller needs a phone number")
}

func TestCallerWithoutTelephonyScope(t *testing.T) {
	src := callerSource(t, callerPortal(t, []string{"department", "user", "im"}), "")
	r := run(t, src, 0, "caller", "+7 (495) 123-45-67")
	require.Error(t, r.err)
	assert.Equal(t, ExitError, ExitCode(r.err))
	line := ErrorLine(lang.English(), r.err)
	assert.NotContains(t, line, "\n")
	assert.True(t, strings.HasPrefix(line, "caller needs the telephony scope, which the webhook lacks: add the scope telephony to the webhook in Bitrix24"), line)
	assert.Empty(t, r.stdout)
}

func TestCallerHostileName(t *testing.T) {
	src := callerSource(t, callerPortal(t, fakeportal.AllScopes()), "")
	for _, args := range [][]string{{"caller", "+44 20 7946 0958"}, {"caller", "--json", "+442079460958"}} {
		r := run(t, src, 0, args...)
		require.NoError(t, r.err)
		assert.NotContains(t, r.stdout, "\x1b")
		assert.NotContains(t, r.stdout, "\x07")
		assert.NotContains(t, r.stdout, "\u202e")
		assert.Contains(t, r.stdout, "Bob")
		assert.Contains(t, r.stdout, "伟 陈", "the responsible's CJK name")
	}
}

// TestCallerColdAndWarmCache: with no cache the responsible people are
// asked for (one im.user.list.get) and the tree names their departments;
// from a cache that knows them, the CRM search is the only request besides
// their calendars and workdays (one command each). No IP
// address or coordinate of a workday appears in any output or cache file.
func TestCallerColdAndWarmCache(t *testing.T) {
	p := callerPortal(t, fakeportal.AllScopes())
	dir := t.TempDir()

	cold := callerSource(t, p, dir)
	_, err := cold.d.LoadCache()
	require.NoError(t, err)
	before := asked(p)
	r := run(t, cold, 0, "caller", "--json", "+7 (495) 123-45-67")
	require.NoError(t, r.err)
	after := asked(p)
	assert.Equal(t, int64(1), after["telephony.externalcall.searchcrmentities"]-before["telephony.externalcall.searchcrmentities"])
	assert.Equal(t, int64(1), after["im.user.list.get"]-before["im.user.list.get"], "the unknown responsible people, in one command")
	assert.Contains(t, r.stdout, `"Acme Corp › Sales › EMEA"`, "the tree names the departments")
	outputs := r.stdout

	_, err = cold.d.LoadTree(t.Context())
	require.NoError(t, err)
	_, err = cold.d.LoadAll(t.Context(), nil)
	require.NoError(t, err)
	require.NoError(t, cold.d.SaveCache())

	warm := callerSource(t, p, dir)
	ok, err := warm.d.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	before = asked(p)
	w := run(t, warm, 0, "caller", "8 (495) 123-45-67")
	require.NoError(t, w.err)
	after = asked(p)
	for m, n := range after {
		switch m {
		case "telephony.externalcall.searchcrmentities", "calendar.accessibility.get":
			assert.Equal(t, int64(1), n-before[m], m)
		case "timeman.status":
			assert.Equal(t, int64(2), n-before[m], "one per responsible employee")
		default:
			assert.Equal(t, before[m], n, "%s asked with a warm cache", m)
		}
	}
	assert.Contains(t, w.stdout, "Dora Müller, ext 1042")
	outputs += w.stdout + strings.Join(r.warnings, "\n") + strings.Join(w.warnings, "\n")

	var files strings.Builder
	require.NoError(t, filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		files.Write(b)
		return err
	}))
	require.NotZero(t, files.Len(), "the cache was written")
	for _, s := range privatePlaces {
		assert.NotContains(t, outputs, s)
		assert.NotContains(t, files.String(), s)
	}
}

func TestCallerHelpHasExamples(t *testing.T) {
	c := &Commands{}
	cmd := c.CallerCmd()
	assert.Contains(t, cmd.Example, "b24org caller '+7 (495) 123-45-67'")
	assert.Contains(t, cmd.Example, "--json")
	assert.Contains(t, cmd.Long, "exits 2")
}

func (s failingSource) Callers(context.Context, string, func(string)) (*directory.Callers, time.Duration, error) {
	return nil, 0, s.err
}

func TestCallerLinesInRussian(t *testing.T) {
	id := 77
	closed := "closed"
	callers := []Caller{
		{Type: "contact", ID: 1, Responsible: &Person{Name: "Анна", Extension: "101", Availability: directory.Busy}, Workday: &closed},
		{Type: "company", ID: 2, Name: "Ромашка", ResponsibleID: &id},
		{Type: "lead", ID: 3, Name: "Klaus"},
	}
	var ru, en strings.Builder
	require.NoError(t, writeCallers(&ru, lang.Russian(), callers, time.Now()))
	require.NoError(t, writeCallers(&en, lang.English(), callers, time.Now()))
	out := lines(ru.String())
	require.Len(t, out, 3)
	assert.True(t, strings.HasPrefix(out[0], "(без имени) (контакт 1): ответственный Анна, доб. "), out[0])
	assert.Contains(t, out[0], "рабочий день закончен")
	assert.Equal(t, "Ромашка (компания 2): ответственный — пользователь 77 (его нет в справочнике)", out[1])
	assert.Equal(t, "Klaus (лид 3): ответственного нет", out[2])
	e := lines(en.String())
	assert.True(t, strings.HasPrefix(e[0], "(no name) (contact 1): responsible Анна, ext 101, busy ("), e[0])
	assert.Contains(t, e[0], "finished for today")
	assert.Equal(t, "Ромашка (company 2): responsible user 77 (not in the directory)", e[1])
	assert.Equal(t, "Klaus (lead 3): no responsible employee", e[2])
}
