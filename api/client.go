// Package api is the Bitrix24 REST client of b24org: transport, auth (inbound
// webhook or OAuth app), the response envelope, errors and their classes,
// pacing with a foreground and a background lane, retries, batches, and the
// typed calls the directory needs. It follows the portal as it behaves
// (docs/portal.md, after the Bitrix24 REST docs, the bitrix24/b24restdocs
// repository): every answer is decoded defensively and no secret
// (webhook code, tokens, client secret) ever appears in an error or String().
package api

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Client talks to one Bitrix24 portal. It is safe for concurrent use.
type Client struct {
	ep    endpoint
	set   settings
	http  *http.Client
	pace  *pacer
	red   redactor
	oauth *oauthState // nil for an inbound webhook

	opMu    sync.Mutex
	resetAt map[string]int64 // method (lower case) -> operating_reset_at of its last success

	budget *budget // the client's use of each method's time budget
	sizes  *sizer  // the server time per object of each method

	requests, retries, refreshes, splits atomic.Int64
	zone                                 atomic.Pointer[time.Location] // the portal's offset, from the last date_start seen

}

// New validates cfg (https unless loopback; well-formed webhook) and returns a Client.
func New(cfg Config) (*Client, error) {
	set, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	c := &Client{set: set, resetAt: map[string]int64{}, budget: newBudget(set.cost), sizes: newSizer(set.cost, set.timeout)}
	switch {
	case cfg.WebhookURL != "" && cfg.OAuth != nil:
		return nil, configError("err.config.both")
	case cfg.WebhookURL != "":
		if c.ep, err = parseWebhook(cfg.WebhookURL); err != nil {
			return nil, err
		}
		c.red.add(c.ep.secret)
	case cfg.OAuth != nil:
		ep, tokenURL, err := validateOAuth(cfg.OAuth)
		if err != nil {
			return nil, err
		}
		c.ep = ep
		c.oauth = newOAuthState(cfg.OAuth, tokenURL)
		c.red.add(cfg.OAuth.AccessToken, cfg.OAuth.RefreshToken, cfg.OAuth.ClientSecret)
	default:
		return nil, configError("err.config.none", "Shape", webhookShape)
	}
	c.http = cfg.HTTPClient
	if c.http == nil {
		c.http = defaultHTTPClient(set.maxInFlight)
	}
	c.pace = newPacer(set.rate, set.maxInFlight)
	return c, nil
}

// defaultHTTPClient has its own transport and does not follow redirects: a
// redirect would carry the webhook code to another host.
func defaultHTTPClient(maxInFlight int) *http.Client {
	tr, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		tr = &http.Transport{}
	}
	tr = tr.Clone()
	tr.MaxIdleConnsPerHost = maxInFlight
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Portal returns the portal address with the secret hidden, e.g. https://p.example/rest/1/••••/.
func (c *Client) Portal() string { return c.ep.display }

// Host returns the portal host name, for cache keys.
func (c *Client) Host() string { return c.ep.host }

// String is Portal, so printing a Client never shows its secrets.
func (c *Client) String() string { return c.Portal() }

// GoString is Portal, so %#v never shows the secrets either.
func (c *Client) GoString() string { return fmt.Sprintf("api.Client(%s)", c.Portal()) }

// Redact replaces every secret the client knows (webhook code, tokens,
// client secret, old and new) in s with a mask: the last line of defence for
// text bound for a log or the screen.
func (c *Client) Redact(s string) string { return c.red.scrub(s) }

// Stats counts what the client has sent.
type Stats struct {
	Requests  int64 // HTTP requests sent, retries included
	Retries   int64
	Refreshes int64 // OAuth token refreshes
	Splits    int64 // sized requests cut off and split
}

// Stats returns the counters so far.
func (c *Client) Stats() Stats {
	return Stats{Requests: c.requests.Load(), Retries: c.retries.Load(), Refreshes: c.refreshes.Load(), Splits: c.splits.Load()}
}

// Call invokes one method (JSON POST) with pacing and retries.
func (c *Client) Call(ctx context.Context, method string, params map[string]any) (*Response, error) {
	if !validMethod(method) {
		return nil, fmt.Errorf("invalid method name %q", method)
	}
	return c.call(ctx, method, params)
}

// validMethod reports whether m looks like a REST method name (so it cannot
// change the URL's path or query).
func validMethod(m string) bool {
	if m == "" || len(m) > 128 || m[0] == '.' {
		return false
	}
	for i := 0; i < len(m); i++ {
		ch := m[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '.' || ch == '_') {
			return false
		}
	}
	return true
}

// PortalZone is the portal's UTC offset as its answers state it
// (time.date_start), UTC until an answer has said. user.get dates come
// without a zone and are read in it.
func (c *Client) PortalZone() *time.Location {
	if z := c.zone.Load(); z != nil {
		return z
	}
	return time.UTC
}
