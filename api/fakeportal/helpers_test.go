package fakeportal_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

// now is the fixed moment the fixture org's presence is relative to.
var now = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return now }

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a small org whose every answer the tests know:
//
//	1 Company (head 10)
//	├─ 3 R&D (SORT 100, no head)
//	│  └─ 4 Backend (head 12)
//	└─ 2 Sales (head 11)
//	   └─ 5 Empty (no head, no members)
func fixture() *fakeportal.Org {
	return &fakeportal.Org{
		Departments: []fakeportal.Department{
			{ID: 1, Name: "Company", Sort: 500, Head: 10},
			{ID: 2, Name: "Sales", Sort: 500, Parent: 1, Head: 11},
			{ID: 3, Name: "R&D", Sort: 100, Parent: 1},
			{ID: 4, Name: "Backend", Sort: 500, Parent: 3, Head: 12},
			{ID: 5, Name: "Empty", Sort: 500, Parent: 2},
		},
		Users: []fakeportal.User{
			{ID: 10, FirstName: "Anna", LastName: "Johnson", Position: "CEO", Email: "anna@acme.example",
				WorkPhone: "+1 555 0100", Mobile: "+1 555 0101", Extension: "100", Departments: []int{1},
				Active: true, Gender: "F", LastActivity: now.Add(-2 * time.Minute)},
			{ID: 11, FirstName: "Борис", LastName: "Иванов", Position: "Head of Sales", Email: "boris@acme.example",
				Mobile: "+7 999 000-00-00", Extension: "1001", Departments: []int{2}, Active: true, Gender: "M",
				LastActivity: now.Add(-time.Minute), IdleSince: now.Add(-30 * time.Minute)},
			{ID: 12, FirstName: "伟", LastName: "陈", Position: "Team Lead", Email: "wei.chen@acme.example",
				Departments: []int{4, 2}, Active: true, Gender: "M", LastActivity: now.Add(-3 * time.Hour)},
			{ID: 13, FirstName: "Dora", LastName: "Müller", Position: "Engineer", Email: "dora@acme.example",
				Extension: "1002", Departments: []int{4}, Active: false, Gender: "F"},
			{ID: 14, FirstName: "فاطمة", LastName: "حداد", Position: "Account Manager", Email: "fatima@acme.example",
				Extension: "1003", Departments: []int{2}, Active: true, Gender: "F",
				LastActivity: now.Add(-48 * time.Hour), AbsentUntil: now.AddDate(0, 0, 3), Status: "dnd"},
			{ID: 15, FirstName: "John", LastName: "Smith", Position: "Analyst", Email: "john@acme.example",
				Extension: "1004", Departments: []int{3}, Active: true, Gender: "M",
				LastActivity: now.Add(-5 * time.Hour), AbsentUntil: now.AddDate(0, 0, -1)},
		},
	}
}

// start serves org on loopback for the test, with the limiter off unless opts sets it.
func start(t testing.TB, org *fakeportal.Org, opts fakeportal.Options) *fakeportal.Portal {
	t.Helper()
	if opts.Rate == 0 {
		opts.Rate = -1
	}
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	p, err := fakeportal.Start(org, opts)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

// answer is a decoded portal answer.
type answer struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func decode(t testing.TB, raw []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m), "body: %.300s", raw)
	return m
}

func do(t testing.TB, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{status: resp.StatusCode, header: resp.Header, raw: raw, body: decode(t, raw)}
}

// get calls base+method?query.
func get(t testing.TB, base, methodAndQuery string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+methodAndQuery, nil)
	require.NoError(t, err)
	return do(t, req)
}

// postJSON calls base+method with a JSON body.
func postJSON(t testing.TB, base, method string, params any) answer {
	t.Helper()
	body, err := json.Marshal(params)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, base+method, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

// postForm calls base+method with a form body.
func postForm(t testing.TB, base, method, form string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+method, bytes.NewBufferString(form))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

func requireError(t testing.TB, a answer, status int, code string) {
	t.Helper()
	require.Equal(t, status, a.status, "body: %.300s", a.raw)
	require.Equal(t, code, a.body["error"], "body: %.300s", a.raw)
	require.IsType(t, "", a.body["error_description"])
}

// list is the result as a JSON list.
func list(t testing.TB, v any) []any {
	t.Helper()
	l, ok := v.([]any)
	require.True(t, ok, "want a list, got %T %v", v, v)
	return l
}

// object is v as a JSON object.
func object(t testing.TB, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	require.True(t, ok, "want an object, got %T %v", v, v)
	return m
}

// ids picks a string field from each row.
func ids(t testing.TB, rows any, key string) []string {
	t.Helper()
	var out []string
	for _, r := range list(t, rows) {
		s, ok := object(t, r)[key].(string)
		require.True(t, ok, "%s is %T", key, object(t, r)[key])
		out = append(out, s)
	}
	return out
}

// num is a JSON integer.
func num(t testing.TB, v any) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	require.True(t, ok, "want a number, got %T %v", v, v)
	i, err := n.Int64()
	require.NoError(t, err, "want an integer, got %s", n)
	return i
}

func q(s string) string { return url.QueryEscape(s) }

// jn is the JSON number n.
func jn(n int) json.Number { return json.Number(strconv.Itoa(n)) }

// postRaw posts a body as it is.
func postRaw(t testing.TB, rawURL, contentType, body string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, rawURL, bytes.NewBufferString(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	return do(t, req)
}
