package fakeportal_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

// Hostile requests get a JSON answer, never a crash.
func TestHostileRequests(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	w := p.WebhookURL()
	queries := []string{
		"user.get?a" + strings.Repeat("[x]", 200) + "=1",
		"user.get?FILTER=string&SORT[]=x&ORDER[a]=b",
		"user.get?FILTER[%25%25ID]=1&FILTER[%3D%25NAME]=" + q(strings.Repeat("%", 50)+"x"),
		"user.get?FILTER[LAST_ACTIVITY_DATE]=not-a-date&start=abc",
		"user.get?FILTER[ID][x][y]=1&FILTER[UF_DEPARTMENT][]=",
		"department.get?ID[][]=1&FILTER[ID]=&sort[]=1",
		"im.department.employees.get?ID=" + q(`[[1],{"a":2},"3",null,true]`),
		"im.department.employees.get?ID=" + q("[1,"),
		"im.user.list.get?ID[]=" + strings.Repeat("9", 40),
		"batch?cmd=scope",
		"batch?cmd[]=&cmd[x][y]=1&cmd[z]=?",
		"batch?cmd[a]=" + q("user.get?FILTER[ID]=$result[a][0][ID]") + "&cmd[b]=" + q("scope?x=$error[zz]$next $time[a]"),
		"im.search.user.list?FIND=" + q("\x1b]0;x\x07 ab"),
		"user.get?%zz=%zz&=&&&[",
	}
	for _, query := range queries {
		a := get(t, w, query)
		assert.Less(t, a.status, 500, "%s: %s", query, a.raw)
	}
	for _, body := range []string{`[1,2,3]`, `"x"`, `{"cmd":{"a":{"b":1}}}`, `{"FILTER":{"ID":[1,[2]]}}`, `{}`} {
		a := postRaw(t, w+"batch", "application/json", body)
		assert.Less(t, a.status, 500, "%s: %s", body, a.raw)
		a = postRaw(t, w+"user.get", "application/json", body)
		assert.Less(t, a.status, 500, "%s: %s", body, a.raw)
	}
}

// Many clients at once while the org changes: the race detector watches.
func TestConcurrentUse(t *testing.T) {
	p := start(t, fakeportal.Generate(fakeportal.GenOptions{People: 300, Seed: 2, Now: now}), fakeportal.Options{})
	p.SetFaults(fakeportal.Faults{Rate: 0.1, Kinds: []fakeportal.Fault{fakeportal.FaultServerError}, Seed: 3})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				resp, err := freshClient().Get(p.WebhookURL() + fmt.Sprintf("im.department.employees.get?ID[]=%d&USER_DATA=Y", i+1))
				if err == nil {
					resp.Body.Close()
				}
			}
		}()
	}
	for i := 0; i < 5; i++ {
		p.Update(func(o *fakeportal.Org) { o.Users[0].FirstName = fmt.Sprint("Renamed ", i) })
		_ = p.Snapshot()
		_ = p.Requests()
	}
	wg.Wait()
	p.SetFaults(fakeportal.Faults{})
	a := get(t, p.WebhookURL(), "user.get?FILTER[ID]=1")
	require.Equal(t, 200, a.status)
	assert.Equal(t, "Renamed 4", object(t, list(t, a.body["result"])[0])["NAME"])
	assert.EqualValues(t, 121, p.Total())
}
