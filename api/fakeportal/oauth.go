package fakeportal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
)

// refreshTTL is the lifetime of a refresh token.
const refreshTTL = 180 * 24 * time.Hour

type accessToken struct {
	expires time.Time
	dead    bool // expired by ExpireAccessTokens
}

// tokenStore holds the OAuth tokens the portal issued.
type tokenStore struct {
	mu      sync.Mutex
	access  map[string]*accessToken
	refresh map[string]time.Time // token -> expiry
}

func (s *tokenStore) init() {
	s.access = map[string]*accessToken{}
	s.refresh = map[string]time.Time{}
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *tokenStore) issue(now time.Time, ttl time.Duration) (access, refresh string, expires time.Time) {
	access, refresh, expires = newToken(), newToken(), now.Add(ttl)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access[access] = &accessToken{expires: expires}
	s.refresh[refresh] = now.Add(refreshTTL)
	return access, refresh, expires
}

// check answers nil for a live access token, else the portal's error.
func (s *tokenStore) check(token string, now time.Time) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.access[token]
	if !ok {
		return apiErr(http.StatusUnauthorized, "invalid_token", "Unable to get application by token")
	}
	if t.dead || !now.Before(t.expires) {
		return apiErr(http.StatusUnauthorized, "expired_token", "The access token provided has expired")
	}
	return nil
}

// redeem uses up a refresh token and reports whether it was alive.
func (s *tokenStore) redeem(token string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.refresh[token]
	delete(s.refresh, token)
	return ok && now.Before(exp)
}

// TokenURL is the OAuth token endpoint, URL()+"/oauth/token/".
func (p *Portal) TokenURL() string { return p.url + "/oauth/token/" }

// ClientID is the OAuth client_id the token endpoint accepts.
func (p *Portal) ClientID() string { return p.opts.ClientID }

// ClientSecret is the OAuth client_secret the token endpoint accepts.
func (p *Portal) ClientSecret() string { return p.opts.ClientSecret }

// IssueTokens issues a fresh access and refresh token, as an installed app
// would hold them.
func (p *Portal) IssueTokens() (access, refresh string) {
	access, refresh, _ = p.tokens.issue(p.opts.Now(), p.opts.AccessTTL)
	return access, refresh
}

// ExpireAccessTokens makes every access token issued so far expired.
func (p *Portal) ExpireAccessTokens() {
	p.tokens.mu.Lock()
	defer p.tokens.mu.Unlock()
	for _, t := range p.tokens.access {
		t.dead = true
	}
}

// RevokeRefreshTokens kills every refresh token issued so far (the user must
// authorize the app again).
func (p *Portal) RevokeRefreshTokens() {
	p.tokens.mu.Lock()
	defer p.tokens.mu.Unlock()
	p.tokens.refresh = map[string]time.Time{}
}

// serveToken is the token endpoint: grant_type=refresh_token with client_id,
// client_secret and refresh_token, by GET or POST. Each answer carries a new
// refresh token and the old one dies.
func (p *Portal) serveToken(w http.ResponseWriter, r *http.Request) {
	p.cmu.Lock()
	p.tokenReqs++
	p.cmu.Unlock()
	if !sleep(r.Context(), p.opts.Latency) {
		return
	}
	if !p.opts.OAuth {
		writeReply(w, jsonReply(http.StatusNotFound, errBody("invalid_request", "OAuth is not enabled on this portal")))
		return
	}
	params, err := readParams(r)
	if err != nil {
		writeReply(w, jsonReply(http.StatusBadRequest, errBody("invalid_request", "The request could not be read")))
		return
	}
	get := func(k string) string { v, _ := params.get(k); return phpString(v) }
	if get("grant_type") != "refresh_token" {
		writeReply(w, jsonReply(http.StatusBadRequest, errBody("invalid_request", "Unsupported grant_type")))
		return
	}
	okID := subtle.ConstantTimeCompare([]byte(get("client_id")), []byte(p.opts.ClientID)) == 1
	okSecret := subtle.ConstantTimeCompare([]byte(get("client_secret")), []byte(p.opts.ClientSecret)) == 1
	if !okID || !okSecret {
		writeReply(w, jsonReply(http.StatusUnauthorized, errBody("invalid_client", "Invalid client credentials")))
		return
	}
	now := p.opts.Now()
	if !p.tokens.redeem(get("refresh_token"), now) {
		writeReply(w, jsonReply(http.StatusBadRequest, errBody("invalid_grant", "Invalid refresh token")))
		return
	}
	access, refresh, expires := p.tokens.issue(now, p.opts.AccessTTL)
	a := newArr()
	a.set("access_token", access)
	a.set("expires", int(expires.Unix()))
	a.set("expires_in", int(p.opts.AccessTTL/time.Second))
	a.set("scope", strings.Join(p.opts.Scopes, ","))
	a.set("domain", "oauth.bitrix.info")
	a.set("server_endpoint", "https://oauth.bitrix.info/rest/")
	a.set("status", "L")
	a.set("client_endpoint", p.OAuthURL())
	a.set("member_id", "0f0e0d0c0b0a09080706050403020100")
	a.set("user_id", p.opts.WebhookUser)
	a.set("refresh_token", refresh)
	writeReply(w, jsonReply(http.StatusOK, a))
}
