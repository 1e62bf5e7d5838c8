// Package fakeportal is an in-process Bitrix24 portal on loopback, faithful to
// the portal as docs/portal.md describes it after the Bitrix24 REST docs (the
// bitrix24/b24restdocs repository): shapes, quirks, limits and faults.
// Tests, benchmarks and the --demo mode run against it.
//
// It serves the inbound-webhook form /rest/{USER_ID}/{CODE}/{method}[.json] and
// the OAuth form /rest/{method} (token in `auth`, `access_token` or an
// `Authorization: Bearer` header), with a token endpoint at /oauth/token/.
// Parameters come as a JSON body or as PHP bracket-syntax form/query pairs.
//
// Methods: department.get, department.fields, user.get, user.search,
// user.current, user.online, user.fields, im.department.get,
// im.department.managers.get, im.department.employees.get,
// im.department.colleagues.list, im.search.user.list,
// im.search.department.list, im.user.get, im.user.list.get,
// calendar.accessibility.get, timeman.status,
// telephony.externalCall.searchCrmEntities, scope, server.time, profile
// and batch.
//
// Choices where the documentation leaves the behaviour open:
//   - im.department.employees.get lists active users only, direct members only.
//   - insufficient_scope is answered with HTTP 401 (the server throws it as an
//     OAuthException, whose default status is 401).
//   - IS_ONLINE means a last activity within OnlineWindow.
//   - department.get with a start past the last page answers the last page
//     again, as the server's CDBResult paging does; follow `next`.
//   - user.get with no match answers `"result":[]` without `total`, as the
//     server code does (it sets the paging data only for a non-empty result).
//   - timeman.status for a user who never opened a workday answers CLOSED
//     with null times; telephony.externalCall.searchCrmEntities compares
//     national significant numbers (see phoneKey) and lists contacts, then
//     companies, then leads.
//   - batch: each command is charged to its own method's operating time; the
//     batch's own time object reports the highest `operating` of those methods.
package fakeportal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of Options.
const (
	// DefaultWebhookCode is the webhook code when Options.WebhookCode is empty.
	DefaultWebhookCode = "f4k3p0rt4lc0d3x9"
	// DefaultClientID is the OAuth client_id when Options.ClientID is empty.
	DefaultClientID = "local.fakeportal000001.00000001"
	// DefaultClientSecret is the OAuth client_secret when Options.ClientSecret is empty.
	DefaultClientSecret = "FakePortalClientSecret0123456789abcdefghijklmnopq"
	// OnlineWindow is how recent a last activity must be for IS_ONLINE = "Y"
	// (the server's default of 1440 s).
	OnlineWindow = 24 * time.Minute
	// PageSize is the fixed page size of the list methods.
	PageSize = 50
	// MaxBatch is the largest number of commands a batch runs.
	MaxBatch = 50
)

// Department is a department as the portal stores it.
type Department struct {
	ID     int
	Name   string
	Sort   int
	Parent int // 0 for the root
	Head   int // user ID, 0 for none
	// Inactive departments (and everything under them) are left out of the
	// structure: department.get and im.department.* do not know them.
	Inactive bool
}

// User is an employee as the portal stores it.
type User struct {
	ID           int
	FirstName    string
	LastName     string
	SecondName   string
	Position     string
	Email        string
	WorkPhone    string
	Mobile       string
	Extension    string // UF_PHONE_INNER
	Departments  []int
	Active       bool
	Gender       string
	LastActivity time.Time // zero: never
	IdleSince    time.Time // zero: not idle
	// AbsentUntil is the last day of the vacation the user is on now; zero: not
	// on vacation. The im object's `absent` is the day after it, 00:00, while
	// that moment is still ahead.
	AbsentUntil time.Time
	// Status is the im status the user chose ("dnd", "away", "break"); empty
	// means "online". It is a preference, not presence.
	Status string
	// Extranet users (USER_TYPE extranet, im `extranet`) and bots (im `bot`;
	// user.get never returns them) have no department.
	Extranet, Bot bool
}

// Org is the portal's company.
type Org struct {
	Departments []Department
	Users       []User
	Events      []Event     // calendar events (calendar.accessibility.get)
	Workdays    []Workday   // current workdays (timeman.status)
	Clients     []CRMClient // CRM clients (telephony.externalCall.searchCrmEntities)
}

// Clone returns a deep copy of the org.
func (o *Org) Clone() *Org {
	if o == nil {
		return &Org{}
	}
	c := &Org{
		Departments: append([]Department(nil), o.Departments...),
		Users:       append([]User(nil), o.Users...),
		Events:      append([]Event(nil), o.Events...),
		Workdays:    append([]Workday(nil), o.Workdays...),
		Clients:     append([]CRMClient(nil), o.Clients...),
	}
	for i := range c.Clients {
		c.Clients[i].Phones = append([]string(nil), c.Clients[i].Phones...)
	}
	for i := range c.Users {
		c.Users[i].Departments = append([]int(nil), c.Users[i].Departments...)
	}
	return c
}

// Options configures a Portal.
type Options struct {
	WebhookUser int    // default 1
	WebhookCode string // default DefaultWebhookCode
	// Scopes granted to the webhook and to OAuth tokens; default department,
	// user, im (a directory's webhook; AllScopes adds calendar, timeman and
	// telephony). user_basic and user_brief narrow the user fields.
	Scopes []string
	// Leaky bucket: Rate per second drain, Burst size. Zero: 2 and 50. Rate < 0: off.
	Rate  float64
	Burst int
	// OperatingLimit per method per 10 minutes; zero: off. Each call costs
	// 2 ms + 0.4 ms per row returned + 0.01 ms per row counted for `total`
	// (a start=-1 call counts nothing), measured on the Now clock.
	OperatingLimit time.Duration
	// OAuth enables the OAuth endpoint and token auth.
	OAuth        bool
	ClientID     string        // default DefaultClientID
	ClientSecret string        // default DefaultClientSecret
	AccessTTL    time.Duration // default 1h
	// Now is the portal's clock: presence, time objects, token expiry and
	// operating-time windows follow it; the leaky bucket runs on the wall
	// clock. Default time.Now.
	Now     func() time.Time
	Latency time.Duration // added to every answer (the token endpoint's too)
	// Cost is the server-time model (see Cost); nil: answers cost nothing
	// but the OperatingLimit simulation above. With a Cost, OperatingLimit
	// is ignored and operating time runs on the wall clock.
	Cost *Cost
}

// AllScopes are the scopes of a webhook that may call every method the
// fake serves: the directory's, and calendar, timeman and telephony.
func AllScopes() []string {
	return []string{"department", "user", "im", "calendar", "timeman", "telephony"}
}

// Portal is the fake portal. It is an http.Handler and safe for concurrent use.
type Portal struct {
	opts   Options
	scopes map[string]bool

	mu  sync.RWMutex
	org *Org
	idx *index

	cmu       sync.Mutex
	reqs      map[string]int64
	cmds      map[string]int64
	total     int64
	refusals  int64
	tokenReqs int64

	bucket bucket
	ops    operating
	cost   *costModel // nil: no cost model
	costs  costStats
	faults faultState
	tokens tokenStore

	srv       *http.Server
	url       string
	closeOnce sync.Once
}

// New returns a portal serving a copy of org. It does not listen: use it as an
// http.Handler, or call Start instead.
func New(org *Org, o Options) *Portal {
	if o.WebhookUser == 0 {
		o.WebhookUser = 1
	}
	if o.WebhookCode == "" {
		o.WebhookCode = DefaultWebhookCode
	}
	if len(o.Scopes) == 0 {
		o.Scopes = []string{"department", "user", "im"}
	}
	if o.Rate == 0 {
		o.Rate = 2
	}
	if o.Burst <= 0 {
		o.Burst = 50
	}
	if o.ClientID == "" {
		o.ClientID = DefaultClientID
	}
	if o.ClientSecret == "" {
		o.ClientSecret = DefaultClientSecret
	}
	if o.AccessTTL <= 0 {
		o.AccessTTL = time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	p := &Portal{
		opts:   o,
		scopes: map[string]bool{},
		org:    org.Clone(),
		reqs:   map[string]int64{},
		cmds:   map[string]int64{},
	}
	for _, s := range o.Scopes {
		p.scopes[strings.ToLower(strings.TrimSpace(s))] = true
	}
	p.idx = buildIndex(p.org)
	p.bucket.init(o.Rate, o.Burst)
	p.cost = newCostModel(o.Cost)
	window := time.Duration(0)
	if p.cost != nil {
		window = p.cost.window
	}
	p.ops.init(window)
	p.costs.reset()
	p.faults.init()
	p.tokens.init()
	return p
}

// Start serves a new portal on 127.0.0.1 on a random port.
func Start(org *Org, o Options) (*Portal, error) {
	p := New(org, o)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fakeportal: listen: %w", err)
	}
	p.url = "http://" + ln.Addr().String()
	p.srv = &http.Server{
		Handler:           p,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// Close stops the server started by Start; requests under way are cut off.
// It is safe to call more than once.
func (p *Portal) Close() {
	p.closeOnce.Do(func() {
		if p.srv != nil {
			_ = p.srv.Close()
		}
	})
}

// URL is the base URL, http://127.0.0.1:PORT ("" for a portal made by New).
func (p *Portal) URL() string { return p.url }

// WebhookURL is the inbound webhook URL, URL()+"/rest/1/CODE/".
func (p *Portal) WebhookURL() string {
	return p.url + "/rest/" + strconv.Itoa(p.opts.WebhookUser) + "/" + p.opts.WebhookCode + "/"
}

// OAuthURL is the REST base for OAuth calls, URL()+"/rest/" (the token
// answer's client_endpoint).
func (p *Portal) OAuthURL() string { return p.url + "/rest/" }

// Update changes the org under a lock (for tests that need data to change).
func (p *Portal) Update(fn func(*Org)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p.org)
	p.idx = buildIndex(p.org)
}

// Snapshot returns a deep copy of the org the portal serves now.
func (p *Portal) Snapshot() *Org {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.org.Clone()
}

// Requests returns the number of HTTP requests received per method (lower
// case, without .json; a batch counts as "batch"), refused ones included.
func (p *Portal) Requests() map[string]int64 {
	p.cmu.Lock()
	defer p.cmu.Unlock()
	out := make(map[string]int64, len(p.reqs))
	for k, v := range p.reqs {
		out[k] = v
	}
	return out
}

// Commands returns the number of batch commands run per method.
func (p *Portal) Commands() map[string]int64 {
	p.cmu.Lock()
	defer p.cmu.Unlock()
	out := make(map[string]int64, len(p.cmds))
	for k, v := range p.cmds {
		out[k] = v
	}
	return out
}

// Total returns the number of REST HTTP requests received (token requests excluded).
func (p *Portal) Total() int64 {
	p.cmu.Lock()
	defer p.cmu.Unlock()
	return p.total
}

// Refusals counts QUERY_LIMIT_EXCEEDED answers the bucket gave (not injected faults).
func (p *Portal) Refusals() int64 {
	p.cmu.Lock()
	defer p.cmu.Unlock()
	return p.refusals
}

// TokenRequests returns the number of requests to the OAuth token endpoint.
func (p *Portal) TokenRequests() int64 {
	p.cmu.Lock()
	defer p.cmu.Unlock()
	return p.tokenReqs
}

// ResetCounters sets every counter to zero.
func (p *Portal) ResetCounters() {
	p.cmu.Lock()
	defer p.cmu.Unlock()
	p.reqs = map[string]int64{}
	p.cmds = map[string]int64{}
	p.total, p.refusals, p.tokenReqs = 0, 0, 0
	p.costs.reset()
	p.ops.mu.Lock()
	p.ops.peak = map[string]float64{}
	p.ops.mu.Unlock()
}

func (p *Portal) countRequest(method string) {
	p.cmu.Lock()
	p.total++
	p.reqs[method]++
	p.cmu.Unlock()
}

func (p *Portal) countCommand(method string) {
	p.cmu.Lock()
	p.cmds[method]++
	p.cmu.Unlock()
}

func (p *Portal) countRefusal() {
	p.cmu.Lock()
	p.refusals++
	p.cmu.Unlock()
}

// ---------------------------------------------------------------- HTTP

// reply is an answer before it is written.
type reply struct {
	status      int
	body        []byte
	contentType string
}

func jsonReply(status int, v any) reply {
	return reply{status: status, body: encodeJSON(v), contentType: "application/json; charset=utf-8"}
}

// ServeHTTP answers one request: REST under /rest/, tokens at /oauth/token/,
// and the profile and chat pages the browser links to (pages.go).
func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			writeReply(w, apiErr(http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "Internal server error").reply())
		}
	}()
	path := r.URL.Path
	switch {
	case path == "/oauth/token/" || path == "/oauth/token":
		p.serveToken(w, r)
	case strings.HasPrefix(path, "/rest/"):
		p.serveREST(w, r)
	case r.Method == http.MethodGet && p.servePage(w, r):
	default:
		writeReply(w, jsonReply(http.StatusNotFound, errBody("NOT_FOUND", "Not found")))
	}
}

func writeReply(w http.ResponseWriter, rep reply) {
	h := w.Header()
	h.Set("Content-Type", rep.contentType)
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

// sleep waits d or until ctx ends; it reports whether the full time passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// restPath splits /rest/... into the method and, for a webhook, user and code.
func restPath(path string) (method, user, code string, webhook bool) {
	parts := strings.Split(strings.TrimPrefix(path, "/rest/"), "/")
	switch {
	case len(parts) == 1:
		method = parts[0]
	case len(parts) == 2 && parts[1] == "":
		method = parts[0]
	case len(parts) == 3 || (len(parts) == 4 && parts[3] == ""):
		user, code, method, webhook = parts[0], parts[1], parts[2], true
	case parts[0] == "api" && (len(parts) == 4 || (len(parts) == 5 && parts[4] == "")):
		// The REST 3.0 form /rest/api/USER/CODE/method: the same webhook.
		user, code, method, webhook = parts[1], parts[2], parts[3], true
	default:
		return "", "", "", false
	}
	method = strings.ToLower(method)
	method = strings.TrimSuffix(method, ".json")
	method = strings.TrimSuffix(method, ".xml")
	return method, user, code, webhook
}

func (p *Portal) serveREST(w http.ResponseWriter, r *http.Request) {
	method, user, code, webhook := restPath(r.URL.Path)
	p.countRequest(method)
	truncate := false
	if f, ok := p.faults.pick(); ok {
		switch f {
		case FaultStall:
			if !sleep(r.Context(), p.faults.stall()) {
				return
			}
		case FaultTruncated:
			truncate = true
		default:
			p.writeFault(w, f)
			return
		}
	}
	if !sleep(r.Context(), p.opts.Latency) {
		return
	}
	rep := p.handleREST(r, method, user, code, webhook)
	if truncate && len(rep.body) > 1 {
		rep.status = http.StatusOK
		rep.body = rep.body[:len(rep.body)/2]
		w.Header().Set("Content-Type", rep.contentType)
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.body)
		return
	}
	writeReply(w, rep)
}

// maxBody is the largest request body read; PHP's post_max_size is far smaller.
const maxBody = 16 << 20

var errBodyTooLarge = errors.New("request body too large")

// readParams merges query-string and body parameters, body winning.
func readParams(r *http.Request) (*parr, error) {
	params := newArr()
	parseQuery(params, r.URL.RawQuery)
	if r.Body == nil || r.Method != http.MethodPost {
		return params, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(body) > maxBody {
		return nil, errBodyTooLarge
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return params, nil
	}
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	ct = strings.ToLower(strings.TrimSpace(ct))
	bodyParams := newArr()
	switch {
	case ct == "application/json":
		v, err := decodeJSON(body)
		if err != nil {
			return nil, err
		}
		if a, ok := v.(*parr); ok {
			bodyParams = a
		}
	case strings.HasPrefix(ct, "multipart/"):
		return nil, errors.New("multipart bodies are not supported")
	default:
		parseQuery(bodyParams, string(body))
	}
	for _, k := range bodyParams.keys {
		params.set(k, bodyParams.vals[k])
	}
	return params, nil
}
