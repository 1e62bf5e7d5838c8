package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

// The cost tests run the portal (1 ms per im user object, the
// limits scaled tenfold: 6 s cut-off, 48 s per method per 10 minutes)
// a hundred times faster: 10 µs per object, a 60 ms cut-off, 480 ms per 6 s.
const (
	testPerObject = 10 * time.Microsecond
	testCutOff    = 60 * time.Millisecond
	testBudget    = 480 * time.Millisecond
	testWindow    = 6 * time.Second
)

// costModel is the fake's cost model of the tests, budget and window as given.
func costModel(budget, window time.Duration, chargeBatch bool) *fakeportal.Cost {
	return &fakeportal.Cost{
		PerObject:   map[string]time.Duration{"im.user.list.get": testPerObject},
		Default:     testPerObject / 50,
		CutOff:      testCutOff,
		Budget:      budget,
		Window:      window,
		ChargeBatch: chargeBatch,
	}
}

// sent records the batch requests a client sends: commands, people asked
// for with im.user.list.get, and the status of the answer.
type sent struct {
	mu   sync.Mutex
	reqs []sentRequest
}

type sentRequest struct {
	commands, ids, status int
}

func (s *sent) RoundTrip(req *http.Request) (*http.Response, error) {
	var r sentRequest
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		var b struct {
			Cmd map[string]string `json:"cmd"`
		}
		if json.Unmarshal(body, &b) == nil {
			r.commands = len(b.Cmd)
			for _, q := range b.Cmd {
				if strings.HasPrefix(q, "im.user.list.get?") {
					r.ids += strings.Count(q, "ID%5B%5D=") + strings.Count(q, "ID[]=")
				}
			}
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		r.status = resp.StatusCode
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, r)
	s.mu.Unlock()
	return resp, err
}

func (s *sent) list() []sentRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentRequest(nil), s.reqs...)
}

// costClient is a client of p with the tests' cost policy.
func costClient(t testing.TB, p *fakeportal.Portal, policy api.CostPolicy, rec *sent) *api.Client {
	t.Helper()
	cfg := fast(api.Config{WebhookURL: p.WebhookURL(), Cost: policy})
	if rec != nil {
		cfg.HTTPClient = &http.Client{Transport: rec}
	}
	c, err := api.New(cfg)
	require.NoError(t, err)
	return c
}

// freeLoad is everyone of org loaded from a portal that costs nothing.
func freeLoad(t *testing.T, org *fakeportal.Org) []api.User {
	t.Helper()
	p := startPortal(t, org, fakeportal.Options{})
	users, err := webhookClient(t, p).AllEmployees(ctx(t), allDeptIDs(org), nil)
	require.NoError(t, err)
	return users
}

func TestCostedExportEqualsTheFreeOne(t *testing.T) {
	big := genOrg(30000, 1500)
	bigWant := freeLoad(t, big)
	require.Greater(t, len(bigWant), 25000)
	for _, variant := range []struct {
		name  string
		batch bool
	}{{"charged to inner methods", false}, {"charged to batch", true}} {
		t.Run(variant.name, func(t *testing.T) {
			org, want := big, bigWant
			if variant.batch { // the other variant on a smaller portal: the suite runs on 2 cores
				org = genOrg(10000, 500)
				want = freeLoad(t, org)
			}
			// A budget the load fits in twice over: the share is what it must respect.
			budget := 4 * testBudget
			p := startPortal(t, org, fakeportal.Options{Cost: costModel(budget, testWindow, variant.batch)})
			policy := api.CostPolicy{CutOff: testCutOff, OperatingLimit: budget, OperatingWindow: testWindow}
			rec := &sent{}
			c := costClient(t, p, policy, rec)
			got, err := c.AllEmployees(ctx(t), allDeptIDs(org), nil)
			require.NoError(t, err)
			assert.Equal(t, want, got, "the costed load equals the free one")
			assert.Zero(t, p.CutOffs(), "no request cut off")
			assert.Zero(t, p.OperatingRefusals(), "no 429")
			share := c.BudgetShare()
			assert.Equal(t, budget/2, share)
			for _, m := range []string{"im.user.list.get", "batch", "im.department.employees.get"} {
				assert.LessOrEqual(t, p.PeakOperating(m), share, "the portal's count of %s stays within the share", m)
				assert.LessOrEqual(t, c.Peak()[m], share, "and so does the client's own")
			}
			assert.Less(t, p.MaxRequestTime(), testCutOff/2, "every request well under the cut-off")
			aim := int(testCutOff / 4 / testPerObject) // 1,500 people: a quarter of the cut-off
			people := 0
			for _, r := range rec.list() {
				assert.Equal(t, http.StatusOK, r.status)
				if r.ids > 0 {
					people += r.ids
					assert.LessOrEqual(t, r.ids, aim*4/3, "requests of the size the cut-off allows, not of 10,000 people")
				}
			}
			assert.Equal(t, len(want), people, "each person asked for once")
			assert.Zero(t, c.Stats().Splits)
			assert.Zero(t, c.Stats().Retries)
		})
	}
}

func TestCostedLoadSplitsARequestTooBigForTheCutOff(t *testing.T) {
	org := genOrg(12000, 300)
	want := freeLoad(t, org)
	p := startPortal(t, org, fakeportal.Options{Cost: costModel(100*testBudget, testWindow, false)})
	rec := &sent{}
	// The first request asks for 10,000 people: 100 ms of server time, past the 60 ms cut-off.
	c := costClient(t, p, api.CostPolicy{CutOff: testCutOff, OperatingLimit: 100 * testBudget, OperatingWindow: testWindow, StartUnits: 10000}, rec)
	got, err := c.AllEmployees(ctx(t), allDeptIDs(org), nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	var people []sentRequest
	for _, r := range rec.list() {
		if r.ids > 0 {
			people = append(people, r)
		}
	}
	require.NotEmpty(t, people)
	assert.Equal(t, 10000, people[0].ids)
	assert.Equal(t, http.StatusGatewayTimeout, people[0].status, "the first request is cut off")
	assert.Equal(t, int64(1), p.CutOffs(), "once: it is not sent again unchanged")
	assert.Equal(t, int64(1), c.Stats().Splits)
	assert.Zero(t, c.Stats().Retries)
	aim := int(testCutOff / 4 / testPerObject) // 1,500 people
	for i, r := range people[1:] {
		assert.Less(t, r.ids, 10000, "request %d is smaller than the one cut off", i+1)
		assert.Equal(t, http.StatusOK, r.status)
	}
	last := people[len(people)-2] // the last full one
	assert.InDelta(t, aim, last.ids, float64(aim)/3, "the size converges on a quarter of the cut-off")
	assert.Less(t, p.MaxRequestTime(), 2*testCutOff, "the largest was the cut-off one")
}

func TestCostedLoadWithoutOperatingKeys(t *testing.T) {
	org := genOrg(5000, 100)
	want := freeLoad(t, org)
	m := costModel(-1, testWindow, false)
	m.NoOperatingKeys = true
	p := startPortal(t, org, fakeportal.Options{Cost: m})
	c := costClient(t, p, api.CostPolicy{CutOff: testCutOff, OperatingLimit: testBudget, OperatingWindow: testWindow}, nil)
	got, err := c.AllEmployees(ctx(t), allDeptIDs(org), nil)
	require.NoError(t, err)
	assert.Equal(t, want, got, "an on-premise portal, no operating keys: the client counts on its own")
	assert.Zero(t, p.CutOffs())
	assert.Positive(t, c.Peak()["im.user.list.get"], "its own count from processing")
	assert.LessOrEqual(t, c.Peak()["im.user.list.get"], c.BudgetShare())
}

func TestCostedLoadPausesForTheBudget(t *testing.T) {
	org := genOrg(5000, 100)
	want := freeLoad(t, org)
	// 5,000 people at 100 µs cost 500 ms; the share is 200 ms per 2 s:
	// the load needs three windows.
	budget, window, cutOff := 400*time.Millisecond, 2*time.Second, 600*time.Millisecond
	m := costModel(budget, window, false)
	m.PerObject["im.user.list.get"], m.CutOff = 100*time.Microsecond, cutOff
	p := startPortal(t, org, fakeportal.Options{Cost: m})
	c := costClient(t, p, api.CostPolicy{CutOff: cutOff, OperatingLimit: budget, OperatingWindow: window}, nil)
	var mu sync.Mutex
	var paces []api.Pace
	pctx := api.WithPace(ctx(t), func(pc api.Pace) {
		mu.Lock()
		paces = append(paces, pc)
		mu.Unlock()
	})
	start := time.Now()
	got, err := c.AllEmployees(pctx, allDeptIDs(org), nil)
	elapsed := time.Since(start)
	require.NoError(t, err)
	assert.Equal(t, want, got, "complete after the windows free")
	assert.Zero(t, p.OperatingRefusals(), "no 429")
	assert.Zero(t, p.CutOffs())
	assert.LessOrEqual(t, p.PeakOperating("im.user.list.get"), budget/2)
	mu.Lock()
	defer mu.Unlock()
	var waits, estimates int
	for _, pc := range paces {
		if pc.Waiting > 0 {
			waits++
			assert.LessOrEqual(t, pc.Waiting, window)
			assert.Contains(t, []string{"im.user.list.get", "batch"}, pc.Method)
		}
		if pc.Left > 0 {
			estimates++
		}
	}
	// The load costs 2.5 shares, so it needs two windows more than its
	// first. Within them it must pause and say so; a machine so loaded that
	// the requests alone spread it over them (the race detector beside
	// other tests) needs no pause, and the share above held either way.
	if waits == 0 {
		assert.GreaterOrEqual(t, elapsed, 2*window, "no pause is reported: only a load slow enough to need none may do without")
	} else {
		assert.Positive(t, estimates, "the pause comes with the time left")
	}
}
