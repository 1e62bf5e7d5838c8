package fakeportal_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

func TestLeakyBucket(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{Rate: 0.0001, Burst: 5})
	for i := 0; i < 5; i++ {
		require.Equal(t, 200, get(t, p.WebhookURL(), "scope").status, "request %d", i)
	}
	a := get(t, p.WebhookURL(), "scope")
	requireError(t, a, 503, "QUERY_LIMIT_EXCEEDED")
	assert.Equal(t, "Too many requests", a.body["error_description"])
	assert.EqualValues(t, 1, p.Refusals())
	assert.EqualValues(t, 6, p.Requests()["scope"], "refused requests count too")

	p.SetLimits(-1, 0)
	require.Equal(t, 200, get(t, p.WebhookURL(), "scope").status, "rate < 0 switches the bucket off")
	p.ResetCounters()
	assert.Zero(t, p.Total())
}

func TestOperatingTimeLimit(t *testing.T) {
	c := &clock{t: now}
	p := start(t, fixture(), fakeportal.Options{OperatingLimit: 10 * time.Millisecond, Now: c.Now})
	w := p.WebhookURL()

	var last float64
	for i := 0; ; i++ {
		a := get(t, w, "department.get")
		if a.status != 200 {
			requireError(t, a, 429, "OPERATION_TIME_LIMIT")
			tm := object(t, a.body["time"])
			op, _ := tm["operating"].(json.Number).Float64()
			assert.GreaterOrEqual(t, op, 0.01)
			assert.EqualValues(t, now.Add(10*time.Minute).Unix(), num(t, tm["operating_reset_at"]))
			break
		}
		require.Less(t, i, 10, "the limit never struck")
		op, err := object(t, a.body["time"])["operating"].(json.Number).Float64()
		require.NoError(t, err)
		assert.Greater(t, op, last, "operating grows with each call")
		last = op
	}
	assert.Greater(t, p.Operating("department.get"), 10*time.Millisecond-time.Nanosecond)
	require.Equal(t, 200, get(t, w, "user.get").status, "other methods still work")

	c.Add(10*time.Minute + time.Second)
	require.Equal(t, 200, get(t, w, "department.get").status, "the budget drops out after 10 minutes")
}

func TestOAuth(t *testing.T) {
	c := &clock{t: now}
	p := start(t, fixture(), fakeportal.Options{OAuth: true, Now: c.Now})
	require.Equal(t, p.URL()+"/oauth/token/", p.TokenURL())
	access, refresh := p.IssueTokens()
	rest := p.URL() + "/rest/"

	require.Equal(t, 200, get(t, rest, "user.get?auth="+access).status)
	require.Equal(t, 200, get(t, rest, "user.get.json?access_token="+access).status)
	require.Equal(t, 200, postJSON(t, rest, "user.get", map[string]any{"auth": access}).status)
	req, err := http.NewRequest(http.MethodGet, rest+"user.get", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+access)
	require.Equal(t, 200, do(t, req).status)
	a := get(t, rest, "user.get?auth="+access+"&FILTER[ID]=10")
	assert.Equal(t, []string{"10"}, ids(t, a.body["result"], "ID"), "auth is not a filter")

	requireError(t, get(t, rest, "user.get?auth=bogus"), 401, "invalid_token")
	requireError(t, get(t, rest, "user.get"), 401, "NO_AUTH_FOUND")

	token := func(values url.Values) answer {
		return get(t, p.TokenURL(), "?"+values.Encode())
	}
	grant := func(refresh string) url.Values {
		return url.Values{"grant_type": {"refresh_token"}, "client_id": {p.ClientID()},
			"client_secret": {p.ClientSecret()}, "refresh_token": {refresh}}
	}
	bad := grant(refresh)
	bad.Set("client_secret", "wrong")
	requireError(t, token(bad), 401, "invalid_client")

	a = token(grant(refresh))
	require.Equal(t, 200, a.status, "%s", a.raw)
	newAccess, _ := a.body["access_token"].(string)
	newRefresh, _ := a.body["refresh_token"].(string)
	require.NotEmpty(t, newAccess)
	assert.NotEqual(t, refresh, newRefresh, "a new refresh token each time")
	assert.EqualValues(t, 3600, num(t, a.body["expires_in"]))
	assert.EqualValues(t, now.Add(time.Hour).Unix(), num(t, a.body["expires"]))
	assert.Equal(t, rest, a.body["client_endpoint"])
	assert.Equal(t, "oauth.bitrix.info", a.body["domain"])
	assert.EqualValues(t, 1, num(t, a.body["user_id"]))
	assert.Equal(t, "department,user,im", a.body["scope"])
	requireError(t, token(grant(refresh)), 400, "invalid_grant")

	p.ExpireAccessTokens()
	requireError(t, get(t, rest, "scope?auth="+newAccess), 401, "expired_token")
	a = token(grant(newRefresh))
	require.Equal(t, 200, a.status)
	fresh := a.body["access_token"].(string)
	require.Equal(t, 200, get(t, rest, "scope?auth="+fresh).status)

	c.Add(time.Hour)
	requireError(t, get(t, rest, "scope?auth="+fresh), 401, "expired_token")

	p.RevokeRefreshTokens()
	requireError(t, token(grant(a.body["refresh_token"].(string))), 400, "invalid_grant")
	require.Equal(t, 200, get(t, p.WebhookURL(), "scope").status, "the webhook still works")
	assert.EqualValues(t, 5, p.TokenRequests())

	off := start(t, fixture(), fakeportal.Options{})
	requireError(t, get(t, off.TokenURL(), "?"+grant("x").Encode()), 404, "invalid_request")
}

// freshClient opens a new connection for each request, so a dropped one is
// not retried by the transport.
func freshClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func TestFaultKinds(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	w := p.WebhookURL()
	call := func(ctx context.Context) (*http.Response, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, w+"department.get", nil)
		require.NoError(t, err)
		resp, err := freshClient().Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp, body, err
	}
	only := func(f fakeportal.Fault) {
		p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{f}, Stall: 50 * time.Millisecond, Seed: 1})
	}

	only(fakeportal.FaultQueryLimit)
	resp, body, err := call(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Contains(t, string(body), `"QUERY_LIMIT_EXCEEDED"`)
	assert.Zero(t, p.Refusals(), "injected faults are not bucket refusals")

	only(fakeportal.FaultServerError)
	resp, body, err = call(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Contains(t, string(body), `"INTERNAL_SERVER_ERROR"`)

	only(fakeportal.FaultOperatingLimit)
	resp, body, err = call(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 429, resp.StatusCode)
	assert.Contains(t, string(body), `"OPERATION_TIME_LIMIT"`)

	only(fakeportal.FaultHTML)
	resp, body, err = call(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 502, resp.StatusCode)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(body), "502 Bad Gateway")

	only(fakeportal.FaultTruncated)
	resp, body, err = call(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	var v any
	assert.Error(t, json.Unmarshal(body, &v), "a truncated body is not JSON")
	assert.True(t, strings.HasPrefix(string(body), `{"result":`))

	only(fakeportal.FaultDrop)
	_, _, err = call(context.Background())
	assert.Error(t, err, "the connection is closed without an answer")

	only(fakeportal.FaultStall)
	resp, _, err = call(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode, "a stalled request is answered after the stall")
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultStall}, Stall: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, _, err = call(ctx)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)

	p.SetFaults(fakeportal.Faults{})
	resp, _, err = call(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, 9, p.Requests()["department.get"])
}

func TestFaultStallEndsWithClose(t *testing.T) {
	p, err := fakeportal.Start(fixture(), fakeportal.Options{Rate: -1})
	require.NoError(t, err)
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultStall}, Stall: time.Hour})
	done := make(chan error, 1)
	go func() {
		resp, err := freshClient().Get(p.WebhookURL() + "scope")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for p.Total() == 0 {
		time.Sleep(time.Millisecond)
	}
	p.Close()
	assert.Error(t, <-done, "closing the portal cuts a stalled request off")
	p.Close() // twice is fine
}

func TestFaultsAreDeterministic(t *testing.T) {
	run := func() []int {
		p := start(t, fixture(), fakeportal.Options{})
		p.SetFaults(fakeportal.Faults{Rate: 0.5, Seed: 42,
			Kinds: []fakeportal.Fault{fakeportal.FaultQueryLimit, fakeportal.FaultServerError, fakeportal.FaultHTML}})
		var codes []int
		for i := 0; i < 40; i++ {
			resp, err := freshClient().Get(p.WebhookURL() + "scope")
			require.NoError(t, err)
			resp.Body.Close()
			codes = append(codes, resp.StatusCode)
		}
		return codes
	}
	first := run()
	assert.Equal(t, first, run())
	assert.Contains(t, first, 200)
	assert.Contains(t, first, 503)
}

func TestLatency(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.WebhookURL()+"scope", nil)
	require.NoError(t, err)
	_, err = freshClient().Do(req)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
}
