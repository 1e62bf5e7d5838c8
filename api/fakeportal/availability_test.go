package fakeportal_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

func genAvail(seed int64) *fakeportal.Org {
	return fakeportal.Generate(fakeportal.GenOptions{People: 400, Seed: seed, Now: now, Availability: true})
}

func TestAvailabilityIsDeterministic(t *testing.T) {
	a, b := genAvail(3), genAvail(3)
	assert.Equal(t, a.Events, b.Events)
	assert.Equal(t, a.Workdays, b.Workdays)
	assert.Equal(t, a.Clients, b.Clients)
	assert.NotEqual(t, a.Clients, genAvail(4).Clients, "another seed, other clients")
	without := fakeportal.Generate(fakeportal.GenOptions{People: 400, Seed: 3, Now: now})
	assert.Equal(t, without.Users, a.Users, "the people are the same with availability")
	assert.Equal(t, without.Departments, a.Departments)
	assert.Empty(t, without.Clients, "availability only when asked for")

	statuses := map[string]int{}
	for _, w := range a.Workdays {
		statuses[w.Status]++
	}
	for _, s := range []string{"OPENED", "PAUSED", "CLOSED", "EXPIRED"} {
		assert.Positive(t, statuses[s], s)
	}
	kinds := map[string]int{}
	for _, e := range a.Events {
		kinds[e.Accessibility]++
	}
	assert.Positive(t, kinds["busy"])
	assert.Positive(t, kinds["absent"])
	types := map[string]int{}
	formats := map[string]int{}
	for _, c := range a.Clients {
		types[c.Type]++
		assert.Positive(t, c.AssignedBy)
		for _, ph := range c.Phones {
			switch {
			case strings.HasPrefix(ph, "+") && strings.Contains(ph, "("):
				formats["international, brackets"]++
			case strings.HasPrefix(ph, "+"):
				formats["international"]++
			case strings.HasPrefix(ph, "00"):
				formats["00"]++
			case strings.HasPrefix(ph, "8 (") || strings.HasPrefix(ph, "0"):
				formats["national, trunk prefix"]++
			default:
				formats["digits"]++
			}
		}
	}
	for _, ty := range []string{"CONTACT", "COMPANY", "LEAD"} {
		assert.Positive(t, types[ty], ty)
	}
	assert.Len(t, formats, 5, "phone formats: %v", formats)
}

func TestCalendarAccessibilityShape(t *testing.T) {
	org := genAvail(5)
	p := start(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	w := p.WebhookURL()
	ev := org.Events[0]
	day := now.Format("2006-01-02")
	a := postJSON(t, w, "calendar.accessibility.get", map[string]any{"users": []int{ev.UserID, 999999}, "from": day, "to": day})
	require.Equal(t, 200, a.status, "%s", a.raw)
	res := object(t, a.body["result"])
	assert.Empty(t, list(t, res["999999"]), "a user without events has an empty list")
	events := list(t, res[strconv.Itoa(ev.UserID)])
	require.NotEmpty(t, events)
	first := object(t, events[0])
	for _, k := range []string{"ID", "NAME", "DATE_FROM", "DATE_TO", "DATE_FROM_TS_UTC", "DATE_TO_TS_UTC",
		"~USER_OFFSET_FROM", "~USER_OFFSET_TO", "DT_SKIP_TIME", "TZ_FROM", "TZ_TO", "ACCESSIBILITY", "IMPORTANCE"} {
		assert.Contains(t, first, k)
	}
	assert.Equal(t, strconv.FormatInt(ev.From.Unix(), 10), first["DATE_FROM_TS_UTC"])
	assert.Equal(t, ev.Accessibility, first["ACCESSIBILITY"])

	for _, missing := range []string{"from", "to", "users"} {
		params := map[string]any{"users": []int{ev.UserID}, "from": day, "to": day}
		delete(params, missing)
		e := postJSON(t, w, "calendar.accessibility.get", params)
		requireError(t, e, 400, "")
		assert.Contains(t, e.body["error_description"], `"`+missing+`"`)
	}
	// In a batch, as the client sends it: users[] in bracket syntax.
	b := get(t, w, "batch?cmd[a]="+q("calendar.accessibility.get?users[]="+strconv.Itoa(ev.UserID)+"&from="+day+"&to="+day))
	require.Equal(t, 200, b.status, "%s", b.raw)
	inner := object(t, object(t, b.body["result"])["result"])
	assert.NotEmpty(t, list(t, object(t, inner["a"])[strconv.Itoa(ev.UserID)]))
}

func TestTimemanStatusShape(t *testing.T) {
	org := genAvail(5)
	p := start(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	w := p.WebhookURL()
	var closed fakeportal.Workday
	for _, d := range org.Workdays {
		if d.Status == "CLOSED" {
			closed = d
			break
		}
	}
	require.NotZero(t, closed.UserID)
	a := postJSON(t, w, "timeman.status", map[string]any{"USER_ID": closed.UserID})
	require.Equal(t, 200, a.status, "%s", a.raw)
	res := object(t, a.body["result"])
	for _, k := range []string{"STATUS", "TIME_START", "TIME_FINISH", "DURATION", "TIME_LEAKS", "ACTIVE",
		"IP_OPEN", "IP_CLOSE", "LAT_OPEN", "LON_OPEN", "LAT_CLOSE", "LON_CLOSE", "TZ_OFFSET"} {
		assert.Contains(t, res, k)
	}
	assert.Equal(t, "CLOSED", res["STATUS"])
	assert.Equal(t, closed.IPOpen, res["IP_OPEN"], "the portal does send where the day was opened")
	assert.Equal(t, closed.Finish.Format("2006-01-02T15:04:05-07:00"), res["TIME_FINISH"])

	requireError(t, postJSON(t, w, "timeman.status", map[string]any{"USER_ID": 999999}), 400, "")
	noScope := start(t, org, fakeportal.Options{})
	requireError(t, postJSON(t, noScope.WebhookURL(), "timeman.status", map[string]any{"USER_ID": closed.UserID}), 401, "insufficient_scope")
	requireError(t, postJSON(t, noScope.WebhookURL(), "calendar.accessibility.get", map[string]any{}), 401, "insufficient_scope")
	requireError(t, postJSON(t, noScope.WebhookURL(), "telephony.externalCall.searchCrmEntities", map[string]any{}), 401, "insufficient_scope")
}

func TestSearchCrmEntitiesShape(t *testing.T) {
	org := genAvail(5)
	p := start(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes()})
	w := p.WebhookURL()
	cl := org.Clients[0]
	a := postJSON(t, w, "telephony.externalCall.searchCrmEntities", map[string]any{"PHONE_NUMBER": cl.Phones[0]})
	require.Equal(t, 200, a.status, "%s", a.raw)
	found := list(t, a.body["result"])
	require.NotEmpty(t, found)
	var hit map[string]any
	for _, f := range found {
		if o := object(t, f); num(t, o["CRM_ENTITY_ID"]) == int64(cl.ID) {
			hit = o
		}
	}
	require.NotNil(t, hit)
	assert.Equal(t, cl.Type, hit["CRM_ENTITY_TYPE"])
	assert.Equal(t, cl.Name, hit["NAME"])
	assert.Equal(t, int64(cl.AssignedBy), num(t, hit["ASSIGNED_BY_ID"]))
	by := object(t, hit["ASSIGNED_BY"])
	for _, k := range []string{"ID", "TIMEMAN_STATUS", "USER_PHONE_INNER", "WORK_PHONE", "PERSONAL_PHONE", "PERSONAL_MOBILE"} {
		assert.Contains(t, by, k)
	}
	assert.Equal(t, strconv.Itoa(cl.AssignedBy), by["ID"])

	none := postJSON(t, w, "telephony.externalCall.searchCrmEntities", map[string]any{"PHONE_NUMBER": "+999 0000000000"})
	assert.Empty(t, list(t, none.body["result"]))
	e := postJSON(t, w, "telephony.externalCall.searchCrmEntities", map[string]any{"PHONE_NUMBER": ""})
	requireError(t, e, 400, "ERROR_CORE")
	assert.Equal(t, "PHONE_NUMBER is empty", e.body["error_description"])
}

func TestDemoHasTheDocumentedNumbers(t *testing.T) {
	org := fakeportal.Demo(now, false)
	byPhone := map[string]fakeportal.CRMClient{}
	for _, c := range org.Clients {
		for _, ph := range c.Phones {
			byPhone[ph] = c
		}
	}
	heads := map[int]bool{}
	for _, d := range org.Departments {
		heads[d.Head] = true
	}
	for _, ph := range []string{"+7 (495) 123-45-67", "8 (495) 123-45-67", "+49 30 1234567"} {
		c, ok := byPhone[ph]
		require.True(t, ok, ph)
		assert.True(t, heads[c.AssignedBy], "%s: a head is responsible", ph)
	}
	assert.Greater(t, len(org.Clients), 200, "and the generated clients")
}

// TestAvailabilityCosts: the new methods cost server time like the others:
// a fixed time per call (per batch command) and a time per object returned
// (an event, a workday, a CRM entity).
func TestAvailabilityCosts(t *testing.T) {
	org := genAvail(5)
	p := start(t, org, fakeportal.Options{Scopes: fakeportal.AllScopes(), Cost: &fakeportal.Cost{
		PerObject: map[string]time.Duration{"calendar.accessibility.get": 2 * time.Millisecond},
		Default:   time.Millisecond,
		PerCall:   time.Millisecond,
	}})
	w := p.WebhookURL()
	byUser := map[int]int{}
	for _, e := range org.Events {
		byUser[e.UserID]++
	}
	var users []int
	events := 0
	for id, n := range byUser {
		users = append(users, id)
		events += n
		if len(users) == 3 {
			break
		}
	}
	day := now.Format("2006-01-02")
	a := postJSON(t, w, "calendar.accessibility.get", map[string]any{"users": users, "from": day, "to": day})
	require.Equal(t, 200, a.status, "%s", a.raw)
	assert.Equal(t, time.Millisecond+time.Duration(events)*2*time.Millisecond, p.ServerTime()["calendar.accessibility.get"])

	cl := org.Clients[0]
	b := get(t, w, "batch?cmd[a]="+q("timeman.status?USER_ID="+strconv.Itoa(cl.AssignedBy))+
		"&cmd[b]="+q("telephony.externalCall.searchCrmEntities?PHONE_NUMBER="+cl.Phones[0]))
	require.Equal(t, 200, b.status, "%s", b.raw)
	assert.Equal(t, 2*time.Millisecond, p.ServerTime()["timeman.status"], "a call and one workday")
	found := list(t, object(t, object(t, b.body["result"])["result"])["b"])
	assert.Equal(t, time.Millisecond+time.Duration(len(found))*time.Millisecond, p.ServerTime()["telephony.externalcall.searchcrmentities"])
}

func TestHostileOrgHasHostileClients(t *testing.T) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 200, Seed: 9, Now: now, Hostile: true, Availability: true})
	samples := map[string]bool{}
	for _, s := range fakeportal.HostileSamples() {
		samples[s] = true
	}
	hostile := 0
	for _, c := range org.Clients {
		if samples[c.Name] {
			hostile++
		}
	}
	assert.Positive(t, hostile)
	plain := fakeportal.Generate(fakeportal.GenOptions{People: 200, Seed: 9, Now: now, Availability: true})
	for _, c := range plain.Clients {
		assert.False(t, samples[c.Name], "only when asked for")
	}
}
