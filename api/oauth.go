package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/b24org/b24org/lang"
)

// tokenMethod names the token refresh in errors.
const tokenMethod = "oauth/token"

// oauthState is an OAuth app's current token pair.
type oauthState struct {
	mu      sync.Mutex
	access  string
	refresh string

	clientID  string
	secret    string
	tokenURL  string
	onRefresh func(access, refresh string)

	flight singleflight.Group // concurrent refreshes share one request
}

func newOAuthState(o *OAuthConfig, tokenURL string) *oauthState {
	return &oauthState{
		access:    o.AccessToken,
		refresh:   o.RefreshToken,
		clientID:  o.ClientID,
		secret:    o.ClientSecret,
		tokenURL:  tokenURL,
		onRefresh: o.OnRefresh,
	}
}

// accessToken is the current access token ("" for a webhook).
func (c *Client) accessToken() string {
	if c.oauth == nil {
		return ""
	}
	c.oauth.mu.Lock()
	defer c.oauth.mu.Unlock()
	return c.oauth.access
}

// refresh replaces the token pair after the portal rejected used. If another
// request already replaced used, it returns at once; concurrent callers share
// one request to the authorization server.
func (c *Client) refresh(ctx context.Context, used string) error {
	o := c.oauth
	if c.accessToken() != used {
		return nil
	}
	_, err, _ := o.flight.Do("refresh", func() (any, error) {
		o.mu.Lock()
		current, refreshToken := o.access, o.refresh
		o.mu.Unlock()
		if current != used {
			return nil, nil
		}
		access, refresh, err := c.requestTokens(ctx, refreshToken)
		if err != nil {
			return nil, err
		}
		c.red.add(access, refresh)
		o.mu.Lock()
		o.access, o.refresh = access, refresh
		o.mu.Unlock()
		c.refreshes.Add(1)
		if o.onRefresh != nil {
			o.onRefresh(access, refresh)
		}
		return nil, nil
	})
	return err
}

// requestTokens asks the authorization server for a new pair (GET with
// grant_type=refresh_token, as settings/oauth/auto-renewal.md of the
// Bitrix24 REST docs says).
func (c *Client) requestTokens(ctx context.Context, refreshToken string) (access, refresh string, err error) {
	o := c.oauth
	q := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {o.clientID},
		"client_secret": {o.secret},
		"refresh_token": {refreshToken},
	}
	// The refresh is shared by every waiting request: one caller giving up
	// must not fail it for the others.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.set.timeout)
	defer cancel()
	fail := func(status int, reason words, cause error, retryable bool) (string, string, error) {
		return "", "", &TransportError{
			Method: tokenMethod, Op: http.MethodGet, URL: o.tokenURL, Status: status,
			Reason: reason.in(lang.English()), reason: reason, Retryable: retryable, Err: c.red.scrubErr(cause),
		}
	}
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, o.tokenURL+"?"+q.Encode(), nil)
	if err != nil {
		return fail(0, say("err.api.token.build"), err, false)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.set.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return fail(0, say("err.api.token.reach"), err, true)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fail(resp.StatusCode, say("err.api.token.cutoff"), err, true)
	}
	var tr struct {
		AccessToken      json.RawMessage `json:"access_token"`
		RefreshToken     json.RawMessage `json:"refresh_token"`
		Error            json.RawMessage `json:"error"`
		ErrorDescription json.RawMessage `json:"error_description"`
	}
	if err := json.Unmarshal(data, &tr); err != nil {
		return fail(resp.StatusCode, badBodyReason(data, err), nil, retryableStatus(resp.StatusCode))
	}
	if present(tr.Error) {
		perr := decodeError(tr.Error, tr.ErrorDescription)
		return "", "", c.newError(tokenMethod, perr.code, perr.desc, resp.StatusCode)
	}
	access, refresh = tokenString(tr.AccessToken), tokenString(tr.RefreshToken)
	if access == "" || refresh == "" {
		return fail(resp.StatusCode, say("err.api.token.nopair"), nil, false)
	}
	return access, refresh, nil
}

// tokenString reads a token: a JSON string of 1..4096 printable ASCII
// characters without spaces; anything else is "".
func tokenString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil || s == "" || len(s) > 4096 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return ""
		}
	}
	return s
}
