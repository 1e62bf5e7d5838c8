package fakeportal_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

func TestBatchReferencesAndErrors(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	w := p.WebhookURL()

	a := postJSON(t, w, "batch", map[string]any{
		"halt": 0,
		"cmd": map[string]any{
			"deps":   "department.get",
			"head":   "user.get?FILTER[ID]=$result[deps][0][UF_HEAD]",          // a whole value
			"emp":    "im.department.employees.get?ID=[$result[deps][2][ID] ]", // inside a string: "[4 ]"
			"greedy": "im.department.employees.get?ID=[$result[deps][2][ID]]",  // the reference eats "]": "[4"
			"online": "user.online",
			"who":    "im.user.list.get?ID=$result[online]",    // a whole value that is an array
			"stop":   "im.user.list.get?ID=$result[online][7]", // stops at the last level that exists
			"bad":    "no.such.method",
			"nested": "batch?cmd[x]=scope",
			"empty":  "im.department.employees.get",
		},
	})
	require.Equal(t, 200, a.status, "a batch answers 200 whatever its commands do")
	res := object(t, a.body["result"])
	results := object(t, res["result"])
	assert.Equal(t, []string{"10"}, ids(t, results["head"], "ID"))
	assert.Equal(t, map[string]any{"4": []any{jn(12)}}, results["emp"])
	assert.Equal(t, []any{"10", "11"}, results["online"])
	assert.Equal(t, []string{"10", "11"}, keys(object(t, results["who"])))
	assert.Equal(t, []string{"10", "11"}, keys(object(t, results["stop"])))

	errs := object(t, res["result_error"])
	assert.Equal(t, "ERROR_METHOD_NOT_FOUND", object(t, errs["bad"])["error"])
	assert.Equal(t, "ERROR_BATCH_METHOD_NOT_ALLOWED", object(t, errs["nested"])["error"])
	assert.Equal(t, "ID_EMPTY", object(t, errs["empty"])["error"])
	assert.Equal(t, "ID_EMPTY", object(t, errs["greedy"])["error"], "a reference runs to the next white space")
	assert.NotContains(t, results, "bad")

	totals := object(t, res["result_total"])
	assert.EqualValues(t, 5, num(t, totals["deps"]))
	assert.Equal(t, []any{}, res["result_next"], "no next anywhere: an empty list")
	times := object(t, res["result_time"])
	assert.Contains(t, object(t, times["deps"]), "operating")
	assert.Contains(t, object(t, a.body["time"]), "operating")

	// A clean batch: result_error is an empty list.
	a = get(t, w, "batch?cmd[a]=scope&cmd[b]="+q("department.get?ID=3"))
	res = object(t, a.body["result"])
	assert.Equal(t, []any{}, res["result_error"])
	assert.Equal(t, []string{"3"}, ids(t, object(t, res["result"])["b"], "ID"))

	// cmd as a list of strings: the results are lists too.
	a = postJSON(t, w, "batch", map[string]any{"cmd": []string{"scope", "department.get?ID=2", "server.time"}})
	res = object(t, a.body["result"])
	results2 := list(t, res["result"])
	require.Len(t, results2, 3)
	assert.Equal(t, []string{"2"}, ids(t, results2[1], "ID"))
	assert.Len(t, list(t, res["result_time"]), 3)

	// halt stops at the first failure.
	a = postJSON(t, w, "batch", map[string]any{"halt": 1, "cmd": map[string]any{"a": "nope", "b": "scope"}})
	res = object(t, a.body["result"])
	assert.Equal(t, []any{}, res["result"])
	assert.Contains(t, object(t, res["result_error"]), "a")
	a = postJSON(t, w, "batch", map[string]any{"halt": false, "cmd": map[string]any{"a": "nope", "b": "scope"}})
	assert.Contains(t, object(t, object(t, a.body["result"])["result"]), "b")
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestBatchPagingWithNextAndTotal(t *testing.T) {
	p := start(t, fakeportal.Generate(fakeportal.GenOptions{Departments: 130, Seed: 3, Now: now}), fakeportal.Options{})
	w := p.WebhookURL()
	a := postJSON(t, w, "batch", map[string]any{"cmd": map[string]any{
		"p0": "department.get",
		"p1": "department.get?start=$next[p0]",
		"p2": "department.get?start=$next[p1]",
		"t":  "department.get?start=$total[p0]", // 130: past the end, the last page
	}})
	res := object(t, a.body["result"])
	results := object(t, res["result"])
	direct := get(t, w, "department.get?start=50")
	assert.Equal(t, ids(t, direct.body["result"], "ID"), ids(t, results["p1"], "ID"))
	assert.Len(t, list(t, results["p2"]), 30)
	assert.Equal(t, ids(t, results["p2"], "ID"), ids(t, results["t"], "ID"))
	assert.Equal(t, map[string]any{"p0": jn(50), "p1": jn(100)}, res["result_next"])
	assert.EqualValues(t, 130, num(t, object(t, res["result_total"])["p2"]))
}

func TestBatchFastPagingChain(t *testing.T) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 230, Seed: 9, Now: now})
	p := start(t, org, fakeportal.Options{})
	cmd := map[string]any{"c0": "user.get?SORT=ID&ORDER=ASC&FILTER[>ID]=0&start=-1"}
	for i := 1; i < 5; i++ {
		cmd["c"+strconv.Itoa(i)] = fmt.Sprintf("user.get?SORT=ID&ORDER=ASC&FILTER[%%3EID]=$result[c%d][49][ID]&start=-1", i-1)
	}
	a := postJSON(t, p.WebhookURL(), "batch", map[string]any{"cmd": cmd})
	results := object(t, object(t, a.body["result"])["result"])
	var got []string
	for i := 0; i < 5; i++ {
		got = append(got, ids(t, results["c"+strconv.Itoa(i)], "ID")...)
	}
	var want []string
	for _, u := range org.Users {
		want = append(want, strconv.Itoa(u.ID))
	}
	assert.Equal(t, want, got)
}

func TestBatchLimitsAndCounting(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	cmd := map[string]any{}
	for i := 0; i < 51; i++ {
		cmd[fmt.Sprintf("c%02d", i)] = "scope"
	}
	a := postJSON(t, p.WebhookURL(), "batch", map[string]any{"cmd": cmd})
	require.Equal(t, 200, a.status)
	res := object(t, a.body["result"])
	assert.Len(t, object(t, res["result"]), 50)
	errs := object(t, res["result_error"])
	require.Len(t, errs, 1)
	assert.Equal(t, "ERROR_BATCH_LENGTH_EXCEEDED", object(t, errs["c50"])["error"])

	assert.EqualValues(t, 1, p.Requests()["batch"])
	assert.EqualValues(t, 1, p.Total())
	assert.EqualValues(t, 50, p.Commands()["scope"])

	// A batch is one request for the bucket.
	limited := start(t, fixture(), fakeportal.Options{Rate: 0.0001, Burst: 2})
	a = postJSON(t, limited.WebhookURL(), "batch", map[string]any{"cmd": cmd})
	require.Equal(t, 200, a.status)
	require.Equal(t, 200, get(t, limited.WebhookURL(), "scope").status)
	requireError(t, get(t, limited.WebhookURL(), "scope"), 503, "QUERY_LIMIT_EXCEEDED")
}

func TestBatchScopes(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{Scopes: []string{"department"}})
	a := postJSON(t, p.WebhookURL(), "batch", map[string]any{"cmd": map[string]any{"d": "department.get", "u": "user.get"}})
	require.Equal(t, 200, a.status)
	res := object(t, a.body["result"])
	assert.Contains(t, object(t, res["result"]), "d")
	assert.Equal(t, "insufficient_scope", object(t, object(t, res["result_error"])["u"])["error"])
}
