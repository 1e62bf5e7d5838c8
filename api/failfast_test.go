package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

const loginPage = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>…</form></body></html>\n"

// pageServer is a loopback HTTP server standing in front of the portal, as
// a proxy or a captive portal does: it answers the first pages requests
// with an HTML page of the given status, the rest from behind (nil: the
// page every time). It counts the requests it got.
type pageServer struct {
	*httptest.Server
	hits atomic.Int64
}

func startPageServer(t *testing.T, status, pages int, behind *fakeportal.Portal) *pageServer {
	t.Helper()
	s := &pageServer{}
	var proxy http.Handler
	if behind != nil {
		u, err := url.Parse(behind.URL())
		require.NoError(t, err)
		proxy = httputil.NewSingleHostReverseProxy(u)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.hits.Add(1)
		if proxy != nil && (pages < 0 || n > int64(pages)) {
			proxy.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(loginPage))
	}))
	t.Cleanup(s.Close)
	return s
}

// webhook is the server's webhook URL with the fake's default code.
func (s *pageServer) webhook() string {
	return s.URL + "/rest/1/" + fakeportal.DefaultWebhookCode + "/"
}

// retryLog collects the retry events a client reports.
type retryLog struct {
	mu     sync.Mutex
	events []api.RetryEvent
}

func (l *retryLog) add(ev api.RetryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, ev)
}

func (l *retryLog) all() []api.RetryEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]api.RetryEvent(nil), l.events...)
}

func TestHostNotFoundFailsFast(t *testing.T) {
	var log retryLog
	c, err := api.New(fast(api.Config{WebhookURL: "https://nonexistent.invalid/rest/1/" + fakeportal.DefaultWebhookCode + "/", OnRetry: log.add}))
	require.NoError(t, err)
	_, err = c.Departments(ctx(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "host name does not exist")
	assert.Contains(t, api.HintOf(err), "spelling of the portal address")
	assert.Equal(t, api.ClassFatal, api.ClassOf(err))
	assert.Equal(t, api.Stats{Requests: 1}, c.Stats(), "one attempt: asking again will not make the name exist")
	assert.Empty(t, log.all())
	assert.NotContains(t, err.Error(), fakeportal.DefaultWebhookCode)
}

func TestHTMLPageTwiceFailsFast(t *testing.T) {
	page := startPageServer(t, http.StatusOK, 0, nil)
	var log retryLog
	c, err := api.New(fast(api.Config{WebhookURL: page.webhook(), OnRetry: log.add}))
	require.NoError(t, err)
	_, err = c.Departments(ctx(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HTML page")
	assert.Contains(t, err.Error(), "twice in a row")
	assert.Contains(t, err.Error(), "gave up after 2 attempts")
	assert.Contains(t, api.HintOf(err), "not the Bitrix24 REST API")
	assert.Equal(t, int64(2), page.hits.Load(), "one retry, then it stops")
	assert.Len(t, log.all(), 1)
	assert.NotContains(t, err.Error(), fakeportal.DefaultWebhookCode)
}

func TestOneHTMLPageIsRetried(t *testing.T) {
	p := startPortal(t, genOrg(20, 3), fakeportal.Options{})
	page := startPageServer(t, http.StatusOK, 1, p)
	c, err := api.New(fast(api.Config{WebhookURL: page.webhook()}))
	require.NoError(t, err)
	deps, err := c.Departments(ctx(t))
	require.NoError(t, err, "a single stray page is retried")
	assert.NotEmpty(t, deps)
	assert.Equal(t, int64(1), c.Stats().Retries)
}

func TestGatewayPagesAreRetried(t *testing.T) {
	// A 502 or 504 page is the portal in trouble (or a cut-off request),
	// not a wrong address: every attempt is made.
	for _, status := range []int{http.StatusBadGateway, http.StatusGatewayTimeout} {
		page := startPageServer(t, status, 0, nil)
		c, err := api.New(fast(api.Config{WebhookURL: page.webhook(), MaxRetries: 3}))
		require.NoError(t, err)
		_, err = c.Departments(ctx(t))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "gave up after 4 attempts", status)
		assert.Equal(t, int64(4), page.hits.Load(), status)
	}
}

func TestUnauthorizedAndForbiddenFailFast(t *testing.T) {
	org := genOrg(20, 3)
	good := startPortal(t, org, fakeportal.Options{})
	noScope := startPortal(t, org, fakeportal.Options{Scopes: []string{"im"}})
	cases := map[string]func() (string, func() int64){
		"wrong code": func() (string, func() int64) {
			return good.URL() + "/rest/1/wr0ngC0de/", good.Total
		},
		"missing scope": func() (string, func() int64) {
			return noScope.WebhookURL(), noScope.Total
		},
	}
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		page := startPageServer(t, status, 0, nil)
		cases[http.StatusText(status)+" page"] = func() (string, func() int64) {
			return page.webhook(), page.hits.Load
		}
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			hook, hits := mk()
			before := hits()
			var log retryLog
			c, err := api.New(fast(api.Config{WebhookURL: hook, OnRetry: log.add}))
			require.NoError(t, err)
			_, err = c.Departments(ctx(t))
			require.Error(t, err)
			assert.Equal(t, api.ClassFatal, api.ClassOf(err), err.Error())
			assert.NotEmpty(t, api.HintOf(err), err.Error())
			assert.Equal(t, int64(1), hits()-before, "one request: %v", err)
			assert.Equal(t, int64(1), c.Stats().Requests)
			assert.Empty(t, log.all())
		})
	}
}

func TestOnRetryReportsEachRetry(t *testing.T) {
	p := startPortal(t, genOrg(20, 3), fakeportal.Options{})
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultServerError}})
	var log retryLog
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: 2, OnRetry: log.add}))
	require.NoError(t, err)
	_, err = c.Departments(ctx(t))
	require.Error(t, err)
	events := log.all()
	require.Len(t, events, 2)
	for i, ev := range events {
		assert.Equal(t, "department.get", ev.Method)
		assert.Equal(t, i+2, ev.Attempt)
		assert.Equal(t, 3, ev.Max)
		assert.Positive(t, ev.Wait)
		assert.Contains(t, ev.Err.Error(), "INTERNAL_SERVER_ERROR")
	}
	assert.Equal(t, "department.get: retrying (2/3) in 1s…", events[0].String())
}

func TestRetryEventText(t *testing.T) {
	ev := api.RetryEvent{Method: "im.department.employees.get", Attempt: 2, Max: 7, Wait: 2300 * time.Millisecond}
	assert.Equal(t, "im.department.employees.get: retrying (2/7) in 3s…", ev.String())
	for d, want := range map[time.Duration]string{
		0: "0s", time.Millisecond: "1s", time.Second: "1s", 90 * time.Second: "1m30s", 130500 * time.Millisecond: "2m11s",
	} {
		assert.Equal(t, want, api.WaitText(d), d)
	}
}

func TestGaveUpAfterOneAttempt(t *testing.T) {
	p := startPortal(t, genOrg(20, 3), fakeportal.Options{})
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultServerError}})
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: -1}))
	require.NoError(t, err)
	_, err = c.Departments(ctx(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "(gave up after 1 attempt)")
	assert.NotContains(t, err.Error(), "1 attempts")
}
