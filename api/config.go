package api

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/b24org/b24org/lang"
)

// RateProfile is the client-side leaky bucket: PerSecond drain, Burst size.
type RateProfile struct {
	PerSecond float64
	Burst     int
}

// StandardRate is the bucket of every plan but Enterprise (2/s, burst 50).
func StandardRate() RateProfile { return RateProfile{PerSecond: 2, Burst: 50} }

// EnterpriseRate is the Enterprise plan's bucket (5/s, burst 250).
func EnterpriseRate() RateProfile { return RateProfile{PerSecond: 5, Burst: 250} }

// DefaultTokenURL is the Bitrix24 authorization server's token endpoint.
const DefaultTokenURL = "https://oauth.bitrix.info/oauth/token/"

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "b24org/dev"

// Defaults of the Config fields left at zero.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxRetries    = 6
	DefaultRetryBase     = 500 * time.Millisecond
	DefaultOperatingWait = 10 * time.Second
	DefaultMaxWait       = 10 * time.Minute
	DefaultMaxInFlight   = 4
)

// mask replaces every secret in printed text.
const mask = "••••"

// OAuthConfig holds an OAuth application's tokens.
type OAuthConfig struct {
	PortalURL    string // https://portal.example/
	AccessToken  string
	RefreshToken string
	ClientID     string
	ClientSecret string
	TokenURL     string // default https://oauth.bitrix.info/oauth/token/
	// OnRefresh is called with the new pair after a refresh, to persist it.
	OnRefresh func(access, refresh string)
}

// String describes the OAuth configuration without its tokens or secret.
func (o OAuthConfig) String() string {
	return fmt.Sprintf("OAuth(portal %s, client %s, tokens %s)", printableURL(o.PortalURL), mask, mask)
}

// GoString is String: %#v must not print the tokens either.
func (o OAuthConfig) GoString() string { return o.String() }

// Config configures a Client. Exactly one of WebhookURL and OAuth is set.
type Config struct {
	WebhookURL string
	OAuth      *OAuthConfig
	Rate       RateProfile   // zero value: StandardRate
	HTTPClient *http.Client  // nil: a client with sane timeouts that does not follow redirects
	Timeout    time.Duration // per HTTP attempt; zero: 30s
	MaxRetries int           // zero: 6; negative: no retries
	UserAgent  string        // zero: DefaultUserAgent; main sets b24org/VERSION

	// RetryBase is the first back-off delay; it doubles with each retry
	// (with jitter). Zero: 500ms. Tests use a few milliseconds.
	RetryBase time.Duration
	// OperatingWait is how long to wait after OPERATION_TIME_LIMIT when the
	// method's operating_reset_at is not known. Zero: 10s.
	OperatingWait time.Duration
	// MaxWait caps any single wait between attempts. Zero: 10 minutes.
	MaxWait time.Duration
	// MaxInFlight bounds the HTTP requests in flight at once (the portal
	// counts parallel streams). Zero: 4. Background work may use all but one.
	MaxInFlight int
	// OnRetry, when set, is told about every attempt that failed and will be
	// tried again, before the pause: a front end shows "retrying (2/7) in 3s…"
	// with it. It runs on the caller's goroutine and must return quickly.
	OnRetry func(RetryEvent)
	// Cost sizes the requests of whole-directory loads by measured server
	// time and keeps the client's use of each method's time budget under a
	// share (docs/portal.md, Limits).
	Cost CostPolicy
}

// String describes the configuration with every secret masked.
func (c Config) String() string {
	var b strings.Builder
	b.WriteString("Config(")
	if c.WebhookURL != "" {
		if w, err := parseWebhook(c.WebhookURL); err == nil {
			b.WriteString("webhook " + w.display)
		} else {
			b.WriteString("webhook " + printableURL(c.WebhookURL))
		}
	}
	if c.OAuth != nil {
		b.WriteString(c.OAuth.String())
	}
	b.WriteString(")")
	return b.String()
}

// GoString is String: %#v must not print the secrets either.
func (c Config) GoString() string { return c.String() }

// endpoint is a validated portal address.
type endpoint struct {
	base    string // calls go to base + method
	display string // base with the secret masked
	host    string // host[:port], lower case
	secret  string // the webhook code ("" for OAuth)
}

// ErrConfig is wrapped by every configuration error.
var ErrConfig error = lang.NewError("err.config")

// configError is "invalid configuration: " and the message id with its
// values; a value named What or Field is itself a message id, said in the
// same language.
func configError(id string, kv ...any) error { return &configErr{id: id, kv: kv} }

// configErr is a configuration error, said from the catalogs.
type configErr struct {
	id string
	kv []any
}

// Error is the English text: "invalid configuration: the webhook URL is empty".
func (e *configErr) Error() string { return e.In(lang.English()) }

// In is the text in l.
func (e *configErr) In(l *lang.Language) string {
	kv := append([]any(nil), e.kv...)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, _ := kv[i].(string); k == "What" || k == "Field" {
			if id, ok := kv[i+1].(string); ok {
				kv[i+1] = l.T(id)
			}
		}
	}
	return lang.Say(l, ErrConfig) + ": " + l.T(e.id, kv...)
}

// Unwrap is ErrConfig, so errors.Is(err, ErrConfig) holds.
func (e *configErr) Unwrap() error { return ErrConfig }

// webhookShape is the expected form, for error messages.
const webhookShape = "https://PORTAL/rest/USER_ID/CODE/"

// parseWebhook validates an inbound webhook URL. Its errors never contain the code.
func parseWebhook(raw string) (endpoint, error) {
	u, err := parseBase("err.config.what.webhook", raw)
	if err != nil {
		return endpoint{}, err
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return endpoint{}, configError("err.config.webhook.query", "Shape", webhookShape)
	}
	parts := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if len(parts) >= 4 && parts[0] == "rest" && parts[1] == "api" {
		// The REST 3.0 form /rest/api/USER_ID/CODE/ (docs/portal.md,
		// Addresses; api-reference/departments/node/humanresources-node-list.md
		// in the Bitrix24 REST docs) names
		// the same webhook. The methods used here are REST v2 ones, which
		// live under /rest/USER_ID/CODE/, so the client calls them there.
		parts = append(parts[:1], parts[2:]...)
	}
	if len(parts) < 3 || parts[0] != "rest" {
		return endpoint{}, configError("err.config.webhook.path", "Shape", webhookShape)
	}
	if len(parts) > 3 {
		return endpoint{}, configError("err.config.webhook.method", "Shape", webhookShape)
	}
	userID, code := parts[1], parts[2]
	if n, err := strconv.Atoi(userID); err != nil || n <= 0 || strconv.Itoa(n) != userID {
		return endpoint{}, configError("err.config.webhook.user", "Shape", webhookShape)
	}
	if !validCode(code) {
		return endpoint{}, configError("err.config.webhook.code", "Shape", webhookShape)
	}
	origin := u.Scheme + "://" + u.Host
	return endpoint{
		base:    origin + "/rest/" + userID + "/" + code + "/",
		display: origin + "/rest/" + userID + "/" + mask + "/",
		host:    strings.ToLower(u.Host),
		secret:  code,
	}, nil
}

// validCode reports whether s looks like a webhook code: 1..64 ASCII letters,
// digits, '_' or '-'.
func validCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// parseOAuthPortal validates the portal address of an OAuth app. It accepts
// https://portal/ and the client_endpoint form https://portal/rest/.
func parseOAuthPortal(raw string) (endpoint, error) {
	u, err := parseBase("err.config.what.portal", raw)
	if err != nil {
		return endpoint{}, err
	}
	p := strings.Trim(u.Path, "/")
	if p != "" && p != "rest" || u.RawQuery != "" || u.Fragment != "" {
		return endpoint{}, configError("err.config.portal")
	}
	origin := u.Scheme + "://" + u.Host
	return endpoint{base: origin + "/rest/", display: origin + "/", host: strings.ToLower(u.Host)}, nil
}

// parseBase parses an absolute http(s) URL without ever echoing it, and
// enforces https for everything but loopback hosts. what is the catalog's
// id of the URL's name, for its errors.
func parseBase(what, raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, configError("err.config.empty", "What", what)
	}
	u, err := url.Parse(raw)
	if err != nil { // url.Error holds the whole URL: don't wrap it
		return nil, configError("err.config.invalid", "What", what)
	}
	if u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return nil, configError("err.config.relative", "What", what)
	}
	if u.User != nil {
		return nil, configError("err.config.userinfo", "What", what)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, configError("err.config.http", "What", what)
		}
	default:
		return nil, configError("err.config.scheme", "What", what)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Port() != "" {
		if n, err := strconv.Atoi(u.Port()); err != nil || n <= 0 || n > 65535 {
			return nil, configError("err.config.port", "What", what)
		}
	}
	return u, nil
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// printableURL shows only the scheme and host of a URL (for String methods).
func printableURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	return u.Scheme + "://" + u.Host + "/"
}

// settings are the Config values with defaults applied.
type settings struct {
	rate          RateProfile
	timeout       time.Duration
	maxRetries    int
	retryBase     time.Duration
	operatingWait time.Duration
	maxWait       time.Duration
	maxInFlight   int
	userAgent     string
	onRetry       func(RetryEvent)
	cost          costPolicy
}

func (c Config) settings() (settings, error) {
	s := settings{
		rate:          c.Rate,
		timeout:       c.Timeout,
		maxRetries:    c.MaxRetries,
		retryBase:     c.RetryBase,
		operatingWait: c.OperatingWait,
		maxWait:       c.MaxWait,
		maxInFlight:   c.MaxInFlight,
		userAgent:     strings.TrimSpace(c.UserAgent),
		onRetry:       c.OnRetry,
	}
	if s.rate == (RateProfile{}) {
		s.rate = StandardRate()
	}
	if !(s.rate.PerSecond > 0) || s.rate.Burst < 1 {
		return s, configError("err.config.rate")
	}
	if s.timeout < 0 || s.retryBase < 0 || s.operatingWait < 0 || s.maxWait < 0 || s.maxInFlight < 0 {
		return s, configError("err.config.negative")
	}
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	switch {
	case s.maxRetries == 0:
		s.maxRetries = DefaultMaxRetries
	case s.maxRetries < 0:
		s.maxRetries = 0
	}
	if s.retryBase == 0 {
		s.retryBase = DefaultRetryBase
	}
	if s.operatingWait == 0 {
		s.operatingWait = DefaultOperatingWait
	}
	if s.maxWait == 0 {
		s.maxWait = DefaultMaxWait
	}
	if s.maxInFlight == 0 {
		s.maxInFlight = DefaultMaxInFlight
	}
	cost, err := c.Cost.policy()
	if err != nil {
		return s, err
	}
	s.cost = cost
	if s.userAgent == "" || strings.ContainsAny(s.userAgent, "\r\n") {
		s.userAgent = DefaultUserAgent
	}
	return s, nil
}

// validateOAuth checks that every field an OAuth app needs is there.
func validateOAuth(o *OAuthConfig) (endpoint, string, error) {
	ep, err := parseOAuthPortal(o.PortalURL)
	if err != nil {
		return endpoint{}, "", err
	}
	for _, f := range []struct{ name, value string }{
		{"err.config.field.access", o.AccessToken},
		{"err.config.field.refresh", o.RefreshToken},
		{"err.config.field.clientid", o.ClientID},
		{"err.config.field.secret", o.ClientSecret},
	} {
		if strings.TrimSpace(f.value) == "" {
			return endpoint{}, "", configError("err.config.oauth.empty", "Field", f.name)
		}
		if strings.ContainsAny(f.value, " \t\r\n") {
			return endpoint{}, "", configError("err.config.oauth.space", "Field", f.name)
		}
	}
	tokenURL := o.TokenURL
	if strings.TrimSpace(tokenURL) == "" {
		tokenURL = DefaultTokenURL
	}
	u, err := parseBase("err.config.what.token", tokenURL)
	if err != nil {
		return endpoint{}, "", err
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return endpoint{}, "", configError("err.config.token.query")
	}
	return ep, u.String(), nil
}
