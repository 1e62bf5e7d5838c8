package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBody caps an answer's size: a whole directory in one batch is tens of
// megabytes; anything far beyond is not a Bitrix24 answer.
const maxBody = 256 << 20

// call sends method with pacing, retries and (for OAuth) one token refresh.
func (c *Client) call(ctx context.Context, method string, params map[string]any) (*Response, error) {
	refreshed := false
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
		if class == ClassFatal || class == ClassAuth {
			return nil, err
		}
		if attempt >= c.set.maxRetries {
			return nil, fmt.Errorf("%w (gave up after %d attempts)", err, attempt+1)
		}
		c.retries.Add(1)
		if err := sleep(ctx, c.delay(method, err, attempt)); err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
	}
}

// attempt sends one HTTP request and decodes its answer.
func (c *Client) attempt(ctx context.Context, method string, params map[string]any, token string) (*Response, error) {
	body, err := c.body(params, token)
	if err != nil {
		return nil, fmt.Errorf("%s: encoding the parameters: %w", method, err)
	}
	release, err := c.pace.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: waiting for the rate limiter: %w", method, err)
	}
	defer release()
	c.requests.Add(1)

	actx, cancel := context.WithTimeout(ctx, c.set.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.ep.base+method, bytes.NewReader(body))
	if err != nil {
		return nil, c.transportError(ctx, method, 0, "cannot build the request", err, false)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.set.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, method, 0, "cannot reach the portal", err, true)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, c.transportError(ctx, method, resp.StatusCode, redirectReason(resp), nil, false)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, c.transportError(ctx, method, resp.StatusCode, "the answer was cut off", err, true)
	}
	if len(data) > maxBody {
		return nil, c.transportError(ctx, method, resp.StatusCode, "the answer is too large", nil, false)
	}
	r, perr, err := decodeEnvelope(data)
	switch {
	case err != nil:
		return nil, c.transportError(ctx, method, resp.StatusCode, badBodyReason(data, err), nil, retryableStatus(resp.StatusCode))
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

// badBodyReason says in words what is wrong with a body that is not an envelope.
func badBodyReason(data []byte, err error) string {
	trimmed := bytes.TrimSpace(data)
	var syntax *json.SyntaxError
	switch {
	case len(trimmed) == 0:
		return "the answer is empty, not JSON"
	case trimmed[0] == '<':
		return "the answer is an HTML page, not JSON (a proxy or portal error page)"
	case errors.Is(err, errNotEnvelope):
		return err.Error()
	case trimmed[0] == '{' || trimmed[0] == '[':
		if errors.As(err, &syntax) || strings.Contains(err.Error(), "unexpected end") {
			return "the answer was cut short (truncated JSON)"
		}
		return "the answer is malformed JSON"
	}
	return "the answer is not JSON"
}

// redirectReason names only the new host: the Location may hold the code.
func redirectReason(resp *http.Response) string {
	if u, err := resp.Location(); err == nil && u.Host != "" {
		return fmt.Sprintf("the portal redirects to %s: it may have moved; update the portal address", u.Hostname())
	}
	return "the portal answered with a redirect: update the portal address"
}

// transportError builds a redacted TransportError. A failure caused by the
// per-attempt timeout says so.
func (c *Client) transportError(ctx context.Context, method string, status int, reason string, cause error, retryable bool) error {
	te := &TransportError{
		Method:    method,
		Op:        http.MethodPost,
		URL:       c.displayURL(method),
		Status:    status,
		Reason:    reason,
		Retryable: retryable,
		Err:       c.red.scrubErr(cause),
	}
	if ctx.Err() == nil && errors.Is(cause, context.DeadlineExceeded) {
		te.Reason = fmt.Sprintf("no answer within %s", c.set.timeout)
		te.Retryable = true
	}
	var ue *url.Error
	if errors.As(cause, &ue) && ue.Timeout() && ctx.Err() == nil {
		te.Reason = fmt.Sprintf("no answer within %s", c.set.timeout)
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
