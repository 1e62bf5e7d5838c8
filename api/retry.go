package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/b24org/b24org/lang"
)

// maxBody caps an answer's size: a whole directory in one batch is tens of
// megabytes; anything far beyond is not a Bitrix24 answer.
const maxBody = 256 << 20

// call sends method with pacing, retries and (for OAuth) one token refresh.
// Errors retrying will not fix end it at once: a host name that does not
// exist, and an HTML page instead of JSON twice in a row.
func (c *Client) call(ctx context.Context, method string, params map[string]any) (*Response, error) {
	refreshed := false
	pages := 0 // HTML pages in a row, answered without a server error
	for attempt := 0; ; attempt++ {
		token := c.accessToken()
		resp, err := c.attempt(ctx, method, params, token)
		if err == nil {
			c.remember(method, resp.Time)
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", method, ctx.Err())
		}
		class := ClassOf(err)
		if class == ClassAuth && c.oauth != nil && !refreshed {
			if err = c.refresh(ctx, token); err == nil {
				refreshed = true
				continue
			}
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s: %w", method, ctx.Err())
			}
			class = ClassOf(err)
		}
		if class == ClassFatal || class == ClassAuth || isSplitting(ctx) && isCutOff(err) {
			return nil, err // a cut-off sized request is split by its caller (sizer.go)
		}
		if htmlPage(err) {
			pages++
		} else {
			pages = 0
		}
		if pages >= 2 {
			return nil, &gaveUp{err: err, attempts: attempt + 1, same: true}
		}
		if attempt >= c.set.maxRetries {
			return nil, &gaveUp{err: err, attempts: attempt + 1}
		}
		c.retries.Add(1)
		wait := c.delay(method, err, attempt)
		c.notifyRetry(RetryEvent{Method: method, Attempt: attempt + 2, Max: c.set.maxRetries + 1, Wait: wait, Err: err})
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
	}
}

// attempt sends one HTTP request and decodes its answer.
func (c *Client) attempt(ctx context.Context, method string, params map[string]any, token string) (*Response, error) {
	body, err := c.body(params, token)
	if err != nil {
		return nil, lang.NewError("err.api.encoding", "Method", method, "Err", err)
	}
	if err := c.budget.admit(ctx, chargedMethods(method, params), 0); err != nil {
		return nil, lang.NewError("err.api.budget", "Method", method, "Err", err)
	}
	release, err := c.pace.acquire(ctx)
	if err != nil {
		return nil, lang.NewError("err.api.limiter", "Method", method, "Err", err)
	}
	defer release()
	c.requests.Add(1)

	actx, cancel := context.WithTimeout(ctx, c.set.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.ep.base+method, bytes.NewReader(body))
	if err != nil {
		return nil, c.transportError(ctx, method, 0, say("err.api.build"), err, false)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.set.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		if hostNotFound(err) {
			te := c.transportError(ctx, method, 0, say("err.api.dns"), err, false)
			te.hint = "hint.dns"
			return nil, te
		}
		return nil, c.transportError(ctx, method, 0, say("err.api.reach"), err, true)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, c.transportError(ctx, method, resp.StatusCode, redirectReason(resp), nil, false)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, c.transportError(ctx, method, resp.StatusCode, say("err.api.cutoff"), err, true)
	}
	if len(data) > maxBody {
		return nil, c.transportError(ctx, method, resp.StatusCode, say("err.api.toolarge"), nil, false)
	}
	r, perr, err := decodeEnvelope(data)
	switch {
	case err != nil:
		te := c.transportError(ctx, method, resp.StatusCode, badBodyReason(data, err), nil, retryableStatus(resp.StatusCode))
		if te.HTML = isHTML(data); te.HTML && resp.StatusCode < 500 {
			te.hint = "hint.html"
		}
		return nil, te
	case perr != nil:
		return nil, c.newError(method, perr.code, perr.desc, resp.StatusCode)
	}
	return r, nil
}

// body encodes the parameters as the JSON body, with the OAuth token.
func (c *Client) body(params map[string]any, token string) ([]byte, error) {
	m := make(map[string]any, len(params)+1)
	for k, v := range params {
		m[k] = v
	}
	if token != "" {
		m["auth"] = token
	}
	return json.Marshal(m)
}

// retryableStatus says whether an answer that is not an envelope may be
// worth another try: server trouble yes; a 4xx page (wrong address) no.
func retryableStatus(status int) bool {
	return status < 400 || status == 408 || status == 429 || status >= 500
}

// isHTML reports whether a body that is not an envelope is an HTML page.
func isHTML(data []byte) bool {
	trimmed := bytes.TrimSpace(data)
	return len(trimmed) > 0 && trimmed[0] == '<'
}

// htmlPage reports whether err is an HTML page answered without a server
// error status: a proxy's or login page, not the portal. An HTML page with
// a 5xx status (a gateway timeout, a cut-off) is the portal in trouble.
func htmlPage(err error) bool {
	var te *TransportError
	return errors.As(err, &te) && te.HTML && te.Status < 500
}

// hostNotFound reports whether err says the host name does not exist (not
// that the name server could not be asked: that may pass).
func hostNotFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound && !de.IsTemporary && !de.IsTimeout
}

// gaveUp is a call's last failure after its retries: "ERR (gave up after
// 7 attempts)", or "ERR (the same twice in a row; gave up after 2
// attempts)" when an HTML page came twice.
type gaveUp struct {
	err      error
	attempts int
	same     bool
}

// Error is the English text.
func (e *gaveUp) Error() string { return e.In(lang.English()) }

// In is the text in l, the last failure said as lang.Say says it.
func (e *gaveUp) In(l *lang.Language) string {
	if e.same {
		return l.N("err.api.gaveup.same", e.attempts, "Err", lang.Say(l, e.err))
	}
	return l.N("err.api.gaveup", e.attempts, "Err", lang.Say(l, e.err))
}

// Unwrap is the last failure.
func (e *gaveUp) Unwrap() error { return e.err }

// RetryEvent says that an attempt failed and the call will try again.
type RetryEvent struct {
	Method  string
	Attempt int           // the attempt about to be made: 2 for the first retry
	Max     int           // how many attempts the call may make in all
	Wait    time.Duration // the pause before it
	Err     error         // why the last attempt failed
}

// String is "department.get: retrying (2/7) in 3s…".
func (e RetryEvent) String() string { return e.In(lang.English()) }

// In is String in the language l: "department.get: повтор (2/7) через 3s…".
func (e RetryEvent) In(l *lang.Language) string {
	method := e.Method
	if method == "" {
		method = l.T("hint.thismethod")
	}
	return l.T("err.api.retrying", "Method", method, "Attempt", e.Attempt, "Max", e.Max, "Wait", WaitIn(l, e.Wait))
}

// WaitText says a pause in whole seconds, rounded up: "1s", "3s", "2m10s".
func WaitText(d time.Duration) string { return WaitIn(lang.English(), d) }

// WaitIn is WaitText in the language l: "3 с", "2 мин 10 с".
func WaitIn(l *lang.Language, d time.Duration) string {
	if d <= 0 {
		return l.Wait(0)
	}
	return l.Wait((d + time.Second - 1) / time.Second * time.Second)
}

// notifyRetry tells Config.OnRetry, if set.
func (c *Client) notifyRetry(ev RetryEvent) {
	if c.set.onRetry != nil {
		c.set.onRetry(ev)
	}
}

// badBodyReason says in words what is wrong with a body that is not an envelope.
func badBodyReason(data []byte, err error) words {
	trimmed := bytes.TrimSpace(data)
	var syntax *json.SyntaxError
	switch {
	case len(trimmed) == 0:
		return say("err.api.empty")
	case trimmed[0] == '<':
		return say("err.api.html")
	case errors.Is(err, errNotEnvelope):
		return say("err.api.notenvelope")
	case trimmed[0] == '{' || trimmed[0] == '[':
		if errors.As(err, &syntax) || strings.Contains(err.Error(), "unexpected end") {
			return say("err.api.truncated")
		}
		return say("err.api.malformed")
	}
	return say("err.api.notjson")
}

// redirectReason names only the new host: the Location may hold the code.
func redirectReason(resp *http.Response) words {
	if u, err := resp.Location(); err == nil && u.Host != "" {
		return say("err.api.redirect", "Host", u.Hostname())
	}
	return say("err.api.redirected")
}

// transportError builds a redacted TransportError. A failure caused by the
// per-attempt timeout says so.
func (c *Client) transportError(ctx context.Context, method string, status int, reason words, cause error, retryable bool) *TransportError {
	te := &TransportError{
		Method:    method,
		Op:        http.MethodPost,
		URL:       c.displayURL(method),
		Status:    status,
		Reason:    reason.in(lang.English()),
		reason:    reason,
		Retryable: retryable,
		Err:       c.red.scrubErr(cause),
	}
	if ctx.Err() == nil && errors.Is(cause, context.DeadlineExceeded) {
		te.reason = say("err.api.timeout", "Timeout", c.set.timeout)
		te.Reason = te.reason.in(lang.English())
		te.Retryable = true
	}
	var ue *url.Error
	if errors.As(cause, &ue) && ue.Timeout() && ctx.Err() == nil {
		te.reason = say("err.api.timeout", "Timeout", c.set.timeout)
		te.Reason = te.reason.in(lang.English())
		te.Retryable = true
	}
	return te
}

// displayURL is the URL of method with the secret masked.
func (c *Client) displayURL(method string) string {
	if c.oauth != nil {
		return c.ep.base + method
	}
	return c.ep.display + method
}

// delay is the wait before retry number attempt+1 after err.
func (c *Client) delay(method string, err error, attempt int) time.Duration {
	var pe *Error
	if errors.As(err, &pe) {
		switch strings.ToLower(pe.Code) {
		case "operation_time_limit":
			return c.operatingWait(method)
		case "query_limit_exceeded":
			c.pace.drain(max(1, c.set.rate.Burst/10))
		}
	}
	return c.backoff(attempt)
}

// backoff is exponential with jitter: base·2^attempt, between half and all of it.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.set.retryBase << min(attempt, 20)
	if d <= 0 || d > c.set.maxWait {
		d = c.set.maxWait
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// operatingWait is how long OPERATION_TIME_LIMIT blocks method: until the
// operating_reset_at of its last success, else OperatingWait; at most MaxWait.
func (c *Client) operatingWait(method string) time.Duration {
	c.opMu.Lock()
	reset := c.resetAt[strings.ToLower(method)]
	c.opMu.Unlock()
	d := c.set.operatingWait
	if reset > 0 {
		if until := time.Until(time.Unix(reset, 0)); until > 0 {
			d = until
		}
	}
	return min(d, c.set.maxWait)
}

// remember keeps a method's operating_reset_at from a successful answer,
// and the portal's time zone.
func (c *Client) remember(method string, t Time) {
	c.budget.record(method, t)
	if t.Zone != nil {
		c.zone.Store(t.Zone)
	}
	if t.OperatingResetAt <= 0 {
		return
	}
	c.opMu.Lock()
	c.resetAt[strings.ToLower(method)] = t.OperatingResetAt
	c.opMu.Unlock()
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
