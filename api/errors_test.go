package api_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

func TestClassOfEveryCode(t *testing.T) {
	cases := map[api.Class][]string{
		api.ClassRateLimited: {"QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT", "query_limit_exceeded"},
		api.ClassRetryable:   {"INTERNAL_SERVER_ERROR", "ERROR_UNEXPECTED_ANSWER", "internal_server_error"},
		api.ClassAuth:        {"expired_token", "invalid_token", "EXPIRED_TOKEN", "INVALID_TOKEN"},
		api.ClassFatal: {"NO_AUTH_FOUND", "INVALID_CREDENTIALS", "insufficient_scope", "INSUFFICIENT_SCOPE",
			"ACCESS_DENIED", "ACCESS_ERROR", "allowed_only_intranet_user", "OVERLOAD_LIMIT", "PORTAL_DELETED",
			"user_access_error", "WRONG_AUTH_TYPE", "METHOD_CONFIRM_WAITING", "METHOD_CONFIRM_DENIED",
			"METHOD_CONFIRM_SOMETHING_NEW", "APPLICATION_NOT_FOUND", "authorization_error", "PAYMENT_REQUIRED",
			"invalid_grant", "invalid_client", "INVALID_REQUEST", "invalid_request", "invalid_scope",
			"ERROR_METHOD_NOT_FOUND", "ERROR_MANIFEST_IS_NOT_AVAILABLE", "ID_EMPTY", "INVALID_FORMAT", "FIND_SHORT",
			"USER_NOT_EXISTS", "ERROR_BATCH_METHOD_NOT_ALLOWED", "ERROR_BATCH_LENGTH_EXCEEDED", "ERROR_BATCH_NEW",
			"ERROR_CORE", "ERROR_ARGUMENT", "ERROR_NOT_FOUND", "WRONG_ENCODING", ""},
	}
	for want, codes := range cases {
		for _, code := range codes {
			for _, status := range []int{0, 400, 401, 403, 404, 405, 429, 500, 503} {
				e := &api.Error{Method: "user.get", Code: code, Status: status}
				if (code == "" || code == "ERROR_CORE") && status >= 500 {
					continue // the status decides (below)
				}
				assert.Equal(t, want, e.Class(), "%q at %d", code, status)
				assert.Equal(t, want, api.ClassOf(fmt.Errorf("wrapped: %w", e)))
			}
		}
	}
	// Unknown codes: the status decides.
	for status, want := range map[int]api.Class{500: api.ClassRetryable, 502: api.ClassRetryable, 503: api.ClassRetryable,
		408: api.ClassRetryable, 429: api.ClassRateLimited, 400: api.ClassFatal, 401: api.ClassFatal, 403: api.ClassFatal, 0: api.ClassFatal} {
		assert.Equal(t, want, (&api.Error{Code: "SOMETHING_NEW", Status: status}).Class(), "status %d", status)
	}
	assert.Equal(t, api.ClassRetryable, (&api.Error{Code: "", Status: 502}).Class())
	assert.Equal(t, api.ClassRetryable, (&api.Error{Code: "ERROR_CORE", Status: 500}).Class(), "the server failed")
	assert.Equal(t, api.ClassRetryable, (&api.Error{Code: "error_core", Status: 503}).Class())
	assert.Equal(t, api.ClassFatal, api.ClassOf(errors.New("plain")))
	assert.Equal(t, api.ClassFatal, api.ClassOf(context.Canceled))
}

func TestErrorTextAndHints(t *testing.T) {
	e := &api.Error{Method: "im.department.employees.get", Code: "insufficient_scope", Description: "The request requires higher privileges", Status: 401}
	assert.Equal(t, "im.department.employees.get: insufficient_scope: The request requires higher privileges", e.Error())
	assert.Equal(t, "add the scope im to the webhook in Bitrix24: Developer resources → Other → Inbound webhook", e.Hint())
	for method, scope := range map[string]string{"department.get": "scope department", "user.get": "scope user", "batch": "scope department, user and im"} {
		assert.Contains(t, (&api.Error{Method: method, Code: "insufficient_scope"}).Hint(), scope)
	}
	hints := map[string]string{
		"INVALID_CREDENTIALS":    "check the webhook URL: user ID and code",
		"NO_AUTH_FOUND":          "check the webhook URL",
		"OVERLOAD_LIMIT":         "Bitrix24 support",
		"invalid_grant":          "re-authorise the application",
		"invalid_client":         "client ID and client secret",
		"ACCESS_DENIED":          "commercial",
		"ACCESS_ERROR":           "intranet employee",
		"PORTAL_DELETED":         "deleted",
		"QUERY_LIMIT_EXCEEDED":   "wait",
		"OPERATION_TIME_LIMIT":   "time budget",
		"ERROR_METHOD_NOT_FOUND": "does not know",
		"expired_token":          "webhook has expired",
		"METHOD_CONFIRM_WAITING": "administrator must confirm",
		"INTERNAL_SERVER_ERROR":  "retry",
		"WRONG_AUTH_TYPE":        "authorisation",
		"PAYMENT_REQUIRED":       "subscription",
		"user_access_error":      "access to the application",
		"APPLICATION_NOT_FOUND":  "install",
		"FIND_SHORT":             "2 characters",
	}
	for code, want := range hints {
		h := (&api.Error{Method: "user.get", Code: code}).Hint()
		assert.Contains(t, h, want, code)
		assert.NotContains(t, h, "\n", "one sentence")
	}
	assert.Equal(t, "user.get: HTTP 400: User not found", (&api.Error{Method: "user.get", Status: 400, Description: "User not found"}).Error())
}

// portalErr asserts err is a portal *Error with that code and class.
func portalErr(t *testing.T, err error, code string, class api.Class) *api.Error {
	t.Helper()
	var pe *api.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, code, pe.Code)
	assert.Equal(t, class, pe.Class())
	assert.Equal(t, class, api.ClassOf(err))
	return pe
}

func TestFatalErrorsAreNotRetried(t *testing.T) {
	org := genOrg(50, 5)

	t.Run("missing scope", func(t *testing.T) {
		p := startPortal(t, org, fakeportal.Options{Scopes: []string{"department", "user"}})
		c := webhookClient(t, p)
		_, err := c.DepartmentMembers(ctx(t), []int{1})
		pe := portalErr(t, err, "insufficient_scope", api.ClassFatal)
		assert.Contains(t, pe.Hint(), "add the scope im to the webhook")
		_, err = c.Call(ctx(t), "im.user.get", nil)
		portalErr(t, err, "insufficient_scope", api.ClassFatal)
		assert.Equal(t, int64(2), c.Stats().Requests)
		assert.Zero(t, c.Stats().Retries)
		_, err = c.Departments(ctx(t))
		assert.NoError(t, err, "other scopes still work")
	})
	t.Run("wrong webhook code", func(t *testing.T) {
		p := startPortal(t, org, fakeportal.Options{WebhookCode: "r1ghtc0de"})
		c, err := api.New(fast(api.Config{WebhookURL: p.URL() + "/rest/1/wr0ngc0de/"}))
		require.NoError(t, err)
		_, err = c.Departments(ctx(t))
		pe := portalErr(t, err, "INVALID_CREDENTIALS", api.ClassFatal)
		assert.Equal(t, "check the webhook URL: user ID and code (the webhook may have been deleted)", pe.Hint())
		assert.NotContains(t, err.Error(), "wr0ngc0de")
		assert.Equal(t, api.Stats{Requests: 1}, c.Stats())
	})
	t.Run("wrong webhook user", func(t *testing.T) {
		p := startPortal(t, org, fakeportal.Options{})
		c, err := api.New(fast(api.Config{WebhookURL: strings.Replace(p.WebhookURL(), "/rest/1/", "/rest/2/", 1)}))
		require.NoError(t, err)
		_, err = c.Departments(ctx(t))
		portalErr(t, err, "INVALID_CREDENTIALS", api.ClassFatal)
	})
	t.Run("method errors", func(t *testing.T) {
		p := startPortal(t, org, fakeportal.Options{})
		c := webhookClient(t, p)
		_, err := c.Call(ctx(t), "no.such.method", nil)
		portalErr(t, err, "ERROR_METHOD_NOT_FOUND", api.ClassFatal)
		_, err = c.Call(ctx(t), "im.search.user.list", map[string]any{"FIND": "a"})
		pe := portalErr(t, err, "FIND_SHORT", api.ClassFatal)
		assert.Equal(t, http400, pe.Status)
		_, err = c.Call(ctx(t), "im.department.employees.get", map[string]any{"ID": []int{}})
		portalErr(t, err, "ID_EMPTY", api.ClassFatal)
		_, err = c.Call(ctx(t), "im.user.list.get", map[string]any{"ID": "nonsense"})
		portalErr(t, err, "INVALID_FORMAT", api.ClassFatal)
		assert.Zero(t, c.Stats().Retries)
	})
}

const http400 = 400

func TestRealQueryLimitIsRetried(t *testing.T) {
	org := genOrg(30, 3)
	p := startPortal(t, org, fakeportal.Options{Rate: 20, Burst: 3})
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), RetryBase: 20 * time.Millisecond, MaxWait: time.Second, MaxRetries: 10}))
	require.NoError(t, err)
	for i := 0; i < 8; i++ {
		_, err := c.Call(ctx(t), "server.time", nil)
		require.NoError(t, err)
	}
	assert.Positive(t, p.Refusals(), "the client was faster than the portal's bucket")
	assert.Positive(t, c.Stats().Retries)

	// Without retries the refusal comes back, classified.
	c, err = api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: -1}))
	require.NoError(t, err)
	var last error
	for i := 0; i < 10 && last == nil; i++ {
		_, last = c.Call(ctx(t), "server.time", nil)
	}
	pe := portalErr(t, last, "QUERY_LIMIT_EXCEEDED", api.ClassRateLimited)
	assert.Equal(t, 503, pe.Status)
}

func TestOperationTimeLimit(t *testing.T) {
	org := genOrg(30, 3)

	t.Run("retried once the window moves", func(t *testing.T) {
		var clock atomic.Int64
		clock.Store(testNow.Unix())
		now := func() time.Time { return time.Unix(clock.Add(120), 0).UTC() } // two minutes a request
		p := startPortal(t, org, fakeportal.Options{OperatingLimit: time.Millisecond, Now: now})
		c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: 8}))
		require.NoError(t, err)
		_, err = c.Departments(ctx(t))
		require.NoError(t, err)
		_, err = c.Departments(ctx(t))
		require.NoError(t, err, "blocked until the first minute's bucket dropped out")
		assert.Positive(t, c.Stats().Retries)
	})
	t.Run("gives up classified", func(t *testing.T) {
		p := startPortal(t, org, fakeportal.Options{OperatingLimit: time.Millisecond})
		c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: 2}))
		require.NoError(t, err)
		_, err = c.Departments(ctx(t))
		require.NoError(t, err)
		_, err = c.Departments(ctx(t))
		pe := portalErr(t, err, "OPERATION_TIME_LIMIT", api.ClassRateLimited)
		assert.Equal(t, 429, pe.Status)
		assert.Contains(t, err.Error(), "gave up after 3 attempts")
		assert.Equal(t, int64(2), c.Stats().Retries)
	})
	t.Run("waits for operating_reset_at", func(t *testing.T) {
		// The fake's clock is the wall clock: the remembered reset is ten
		// minutes ahead, so the client waits rather than hammering, and the
		// caller's deadline ends the wait.
		p := startPortal(t, org, fakeportal.Options{OperatingLimit: time.Millisecond, Now: time.Now})
		c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxWait: time.Hour, OperatingWait: time.Millisecond}))
		require.NoError(t, err)
		_, err = c.Departments(ctx(t))
		require.NoError(t, err)
		dctx, cancel := context.WithTimeout(ctx(t), 200*time.Millisecond)
		defer cancel()
		_, err = c.Departments(dctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, int64(2), c.Stats().Requests, "one refused attempt, then a wait, no more requests")
	})
}

func TestEachFaultKind(t *testing.T) {
	org := genOrg(30, 3)
	for _, tc := range []struct {
		fault fakeportal.Fault
		text  string
		class api.Class
	}{
		{fakeportal.FaultQueryLimit, "QUERY_LIMIT_EXCEEDED", api.ClassRateLimited},
		{fakeportal.FaultServerError, "INTERNAL_SERVER_ERROR", api.ClassRetryable},
		{fakeportal.FaultStall, "no answer within 50ms", api.ClassRetryable},
		{fakeportal.FaultTruncated, "cut short (truncated JSON)", api.ClassRetryable},
		{fakeportal.FaultDrop, "cannot reach the portal", api.ClassRetryable},
		{fakeportal.FaultHTML, "HTML page", api.ClassRetryable},
		{fakeportal.FaultOperatingLimit, "OPERATION_TIME_LIMIT", api.ClassRateLimited},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			p := startPortal(t, org, fakeportal.Options{})
			p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{tc.fault}, Stall: 2 * time.Second})
			c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: 2, Timeout: 50 * time.Millisecond}))
			require.NoError(t, err)
			_, err = c.Departments(ctx(t))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.text)
			assert.Contains(t, err.Error(), "gave up after 3 attempts")
			assert.Equal(t, tc.class, api.ClassOf(err))
			assert.Equal(t, api.Stats{Requests: 3, Retries: 2}, c.Stats())
			assert.NotContains(t, err.Error(), fakeportal.DefaultWebhookCode)

			p.SetFaults(fakeportal.Faults{})
			_, err = c.Departments(ctx(t))
			assert.NoError(t, err, "the same client works once the portal does")
		})
	}
}

// everything fetches what the directory needs, for comparing runs.
func everything(t *testing.T, c *api.Client, ids []int) ([]api.Department, []api.User, map[int][]int, map[int][]api.User) {
	deps, err := c.Departments(ctx(t))
	require.NoError(t, err)
	users, err := c.AllEmployees(ctx(t), ids, nil)
	require.NoError(t, err)
	heads, err := c.DepartmentManagers(ctx(t), ids)
	require.NoError(t, err)
	emps, err := c.DepartmentEmployees(ctx(t), ids[:min(len(ids), 25)])
	require.NoError(t, err)
	return deps, users, heads, emps
}

func TestFaultsGiveTheFaultFreeResults(t *testing.T) {
	org := genOrg(800, 130)
	ids := allDeptIDs(org)
	p := startPortal(t, org, fakeportal.Options{})
	deps, users, heads, emps := everything(t, webhookClient(t, p), ids)

	p.SetFaults(fakeportal.Faults{Rate: 0.2, Stall: 3 * time.Second, Seed: 42})
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: 12, Timeout: 500 * time.Millisecond}))
	require.NoError(t, err)
	for round := 0; round < 2 || c.Stats().Retries < 3 && round < 20; round++ {
		deps2, users2, heads2, emps2 := everything(t, c, ids)
		assert.Equal(t, deps, deps2)
		assert.Equal(t, users, users2)
		assert.Equal(t, heads, heads2)
		assert.Equal(t, emps, emps2)
	}
	assert.GreaterOrEqual(t, c.Stats().Retries, int64(3), "faults happened and were retried")
}

func TestUnreachableHost(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	c, err := api.New(fast(api.Config{WebhookURL: "http://" + addr + "/rest/1/" + secretCode + "/", MaxRetries: 2}))
	require.NoError(t, err)
	_, err = c.Departments(ctx(t))
	var te *api.TransportError
	require.ErrorAs(t, err, &te)
	assert.True(t, te.Retryable)
	assert.Equal(t, "department.get", te.Method)
	assert.Equal(t, "http://"+addr+"/rest/1/••••/department.get", te.URL)
	assert.Contains(t, err.Error(), "cannot reach the portal")
	assert.Contains(t, err.Error(), "connection refused")
	assert.NotContains(t, err.Error(), secretCode)
	var ue *url.Error
	assert.False(t, errors.As(err, &ue), "no *url.Error (it prints the whole URL) in the chain")
	assert.Equal(t, api.Stats{Requests: 3, Retries: 2}, c.Stats())
	assert.Equal(t, "check the network and the portal address, then retry", api.HintOf(err))
}

func TestCancelledContext(t *testing.T) {
	p := startPortal(t, genOrg(30, 3), fakeportal.Options{})
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultStall}, Stall: 5 * time.Second})
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), Timeout: time.Minute}))
	require.NoError(t, err)
	cctx, cancel := context.WithCancel(ctx(t))
	go func() {
		for c.Stats().Requests == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err = c.Departments(cctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, c.Stats().Retries, "cancellation is not retried")
}

// oauthClient is a fast OAuth client of p, recording refreshes.
func oauthClient(t *testing.T, p *fakeportal.Portal, access, refresh string, onRefresh func(a, r string)) *api.Client {
	t.Helper()
	c, err := api.New(fast(api.Config{OAuth: &api.OAuthConfig{
		PortalURL: p.URL() + "/", AccessToken: access, RefreshToken: refresh,
		ClientID: p.ClientID(), ClientSecret: p.ClientSecret(), TokenURL: p.TokenURL(), OnRefresh: onRefresh,
	}}))
	require.NoError(t, err)
	return c
}

func TestOAuthRefresh(t *testing.T) {
	org := genOrg(100, 10)
	p := startPortal(t, org, fakeportal.Options{OAuth: true})
	access, refresh := p.IssueTokens()

	var mu sync.Mutex
	var pairs [][2]string
	c := oauthClient(t, p, access, refresh, func(a, r string) {
		mu.Lock()
		pairs = append(pairs, [2]string{a, r})
		mu.Unlock()
	})
	assert.Equal(t, p.URL()+"/", c.Portal())
	_, err := c.Departments(ctx(t))
	require.NoError(t, err)
	assert.Zero(t, p.TokenRequests(), "no refresh while the token is good")

	// Expired: one refresh shared by concurrent requests, then each retries once.
	p.ExpireAccessTokens()
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Departments(ctx(t))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int64(1), p.TokenRequests(), "one refresh for all")
	assert.Equal(t, int64(1), c.Stats().Refreshes)
	require.Len(t, pairs, 1, "OnRefresh persists the new pair once")
	assert.NotEqual(t, access, pairs[0][0])
	assert.NotEqual(t, refresh, pairs[0][1])

	// The persisted pair works in a new client, and the old refresh token is dead.
	c2 := oauthClient(t, p, pairs[0][0], pairs[0][1], nil)
	_, err = c2.Departments(ctx(t))
	require.NoError(t, err)

	// An unknown token (invalid_token) is refreshed too.
	_, fresh := p.IssueTokens()
	c3 := oauthClient(t, p, "not-a-token", fresh, nil)
	_, err = c3.Departments(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, int64(1), c3.Stats().Refreshes)
}

func TestOAuthInvalidGrantIsFatal(t *testing.T) {
	p := startPortal(t, genOrg(30, 3), fakeportal.Options{OAuth: true})
	access, refresh := p.IssueTokens()
	c := oauthClient(t, p, access, refresh, func(string, string) { t.Error("no refresh should succeed") })
	p.ExpireAccessTokens()
	p.RevokeRefreshTokens()
	_, err := c.Departments(ctx(t))
	pe := portalErr(t, err, "invalid_grant", api.ClassFatal)
	assert.Contains(t, pe.Hint(), "re-authorise the application")
	assert.Equal(t, int64(1), p.TokenRequests())
	assert.Zero(t, c.Stats().Retries)
	for _, s := range []string{access, refresh, p.ClientSecret()} {
		assert.NotContains(t, err.Error(), s)
	}
}

func TestOAuthInvalidClientIsFatal(t *testing.T) {
	p := startPortal(t, genOrg(30, 3), fakeportal.Options{OAuth: true})
	access, refresh := p.IssueTokens()
	c, err := api.New(fast(api.Config{OAuth: &api.OAuthConfig{
		PortalURL: p.URL(), AccessToken: access, RefreshToken: refresh,
		ClientID: p.ClientID(), ClientSecret: "wr0ngS3cret", TokenURL: p.TokenURL(),
	}}))
	require.NoError(t, err)
	p.ExpireAccessTokens()
	_, err = c.Departments(ctx(t))
	pe := portalErr(t, err, "invalid_client", api.ClassFatal)
	assert.Contains(t, pe.Hint(), "client secret")
	assert.NotContains(t, err.Error(), "wr0ngS3cret")
}

func TestStallPastTimeoutIsRetried(t *testing.T) {
	p := startPortal(t, genOrg(30, 3), fakeportal.Options{})
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), Timeout: 50 * time.Millisecond}))
	require.NoError(t, err)
	p.SetFaults(fakeportal.Faults{Rate: 0.5, Kinds: []fakeportal.Fault{fakeportal.FaultStall}, Stall: 2 * time.Second, Seed: 1})
	for i := 0; i < 5; i++ {
		_, err := c.Departments(ctx(t))
		require.NoError(t, err)
	}
	assert.Positive(t, c.Stats().Retries)
}

// TestNoSecretInAnyError runs every failing call there is and checks that no
// secret shows in any error's text, %+v or hint.
func TestNoSecretInAnyError(t *testing.T) {
	org := genOrg(30, 3)
	var errs []error
	collect := func(_ any, err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	code := "Sup3rS3cretC0de"
	p := startPortal(t, org, fakeportal.Options{WebhookCode: code, Scopes: []string{"department"}, OAuth: true})
	access, refresh := p.IssueTokens()
	secrets := []string{code, access, refresh, p.ClientSecret()}

	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: 1, Timeout: 50 * time.Millisecond}))
	require.NoError(t, err)
	collect(c.DepartmentMembers(ctx(t), []int{1}))
	collect(c.UsersByExtension(ctx(t), "1"))
	collect(c.Call(ctx(t), "no.such.method", nil))
	for _, f := range fakeportal.AllFaults() {
		p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{f}, Stall: time.Second})
		collect(c.Departments(ctx(t)))
		collect(c.Batch(ctx(t), []api.Command{{Method: "department.get"}}))
	}
	p.SetFaults(fakeportal.Faults{})
	wrong, err := api.New(fast(api.Config{WebhookURL: strings.Replace(p.WebhookURL(), code, code+"x", 1)}))
	require.NoError(t, err)
	secrets = append(secrets, code+"x")
	collect(wrong.Departments(ctx(t)))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := ln.Addr().String()
	require.NoError(t, ln.Close())
	gone, err := api.New(fast(api.Config{WebhookURL: "http://" + closed + "/rest/1/" + code + "/", MaxRetries: -1}))
	require.NoError(t, err)
	collect(gone.Departments(ctx(t)))

	o := oauthClient(t, p, access, refresh, nil)
	p.ExpireAccessTokens()
	p.RevokeRefreshTokens()
	collect(o.Departments(ctx(t)))
	badToken, err := api.New(fast(api.Config{MaxRetries: -1, OAuth: &api.OAuthConfig{
		PortalURL: p.URL(), AccessToken: access, RefreshToken: refresh, ClientID: p.ClientID(),
		ClientSecret: p.ClientSecret(), TokenURL: "http://" + closed + "/oauth/token/",
	}}))
	require.NoError(t, err)
	collect(badToken.Departments(ctx(t)))

	for _, bad := range []string{"http://example.com/rest/1/" + code + "/", "https://p.example/rest/x/" + code + "/", "https://p.example/rest/1/" + code + "/profile", "ht!tp://p/rest/1/" + code} {
		_, err := api.New(api.Config{WebhookURL: bad})
		errs = append(errs, err)
	}

	require.GreaterOrEqual(t, len(errs), 20)
	for _, err := range errs {
		require.Error(t, err)
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), api.HintOf(err)} {
			for _, s := range secrets {
				assert.NotContains(t, text, s)
			}
		}
		var ue *url.Error
		assert.False(t, errors.As(err, &ue), "no *url.Error in %v", err)
	}
}
