package fakeportal

import (
	"crypto/subtle"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// apiError is an error answer: {"error","error_description"} with an HTTP status.
type apiError struct {
	status int
	code   string
	desc   string
	time   *parr // set for OPERATION_TIME_LIMIT
}

func apiErr(status int, code, desc string) *apiError {
	return &apiError{status: status, code: code, desc: desc}
}

func errBody(code, desc string) *parr {
	a := newArr()
	a.set("error", code)
	a.set("error_description", desc)
	return a
}

func (e *apiError) body() *parr {
	b := errBody(e.code, e.desc)
	if e.time != nil {
		b.set("time", e.time)
	}
	return b
}

func (e *apiError) reply() reply { return jsonReply(e.status, e.body()) }

// Errors shared by several methods.
func errMethodNotFound() *apiError {
	return apiErr(http.StatusNotFound, "ERROR_METHOD_NOT_FOUND", "Method not found!")
}

func errQueryLimit() *apiError {
	return apiErr(http.StatusServiceUnavailable, "QUERY_LIMIT_EXCEEDED", "Too many requests")
}

func errOperatingLimit() *apiError {
	return apiErr(http.StatusTooManyRequests, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.")
}

// result is what a method returns before it is put in an envelope.
type result struct {
	value    any
	total    int
	hasTotal bool
	next     int
	hasNext  bool
	rows     int // rows returned, for the operating-time cost
	counted  int // rows counted for total, likewise
}

// call is one method call: an HTTP request or one command of a batch.
type call struct {
	p        *Portal
	idx      *index
	method   string
	params   *parr
	start    int
	hasStart bool
	now      time.Time
	user     int  // the calling user
	oauth    bool // called with an OAuth token rather than a webhook

	// Under a cost model: the request's server time, whether this is a
	// batch command, and (for the batch) the highest operating time of its
	// commands' methods with the earliest reset.
	work           *work
	inBatch        bool
	batchOperating float64
	batchReset     int64
}

// methodDef describes a REST method: its handler and the scopes that allow it.
type methodDef struct {
	fn     func(c *call) (result, *apiError)
	scopes []string // any one of them allows the call; nil: no scope needed
}

var (
	scopeDepartment = []string{"department"}
	scopeUser       = []string{"user", "user_basic", "user_brief"}
	scopeIM         = []string{"im"}
	scopeCalendar   = []string{"calendar"}
	scopeTimeman    = []string{"timeman"}
	scopeTelephony  = []string{"telephony"}
)

// lookup finds a method by its lower-case name.
func lookup(method string) (methodDef, bool) {
	switch method {
	case "department.get":
		return methodDef{departmentGet, scopeDepartment}, true
	case "department.fields":
		return methodDef{departmentFields, scopeDepartment}, true
	case "user.get", "user.search":
		return methodDef{userGet, scopeUser}, true
	case "user.current":
		return methodDef{userCurrent, scopeUser}, true
	case "user.online":
		return methodDef{userOnline, scopeUser}, true
	case "user.fields":
		return methodDef{userFields, scopeUser}, true
	case "im.department.get":
		return methodDef{imDepartmentGet, scopeIM}, true
	case "im.department.managers.get":
		return methodDef{imDepartmentManagers, scopeIM}, true
	case "im.department.employees.get":
		return methodDef{imDepartmentEmployees, scopeIM}, true
	case "im.department.colleagues.list":
		return methodDef{imDepartmentColleagues, scopeIM}, true
	case "im.search.user.list":
		return methodDef{imSearchUsers, scopeIM}, true
	case "im.search.department.list":
		return methodDef{imSearchDepartments, scopeIM}, true
	case "im.user.get":
		return methodDef{imUserGet, scopeIM}, true
	case "im.user.list.get":
		return methodDef{imUserListGet, scopeIM}, true
	case "calendar.accessibility.get":
		return methodDef{calendarAccessibility, scopeCalendar}, true
	case "timeman.status":
		return methodDef{timemanStatus, scopeTimeman}, true
	case "telephony.externalcall.searchcrmentities":
		return methodDef{searchCrmEntities, scopeTelephony}, true
	case "scope":
		return methodDef{scopeMethod, nil}, true
	case "server.time":
		return methodDef{serverTime, nil}, true
	case "profile":
		return methodDef{profile, nil}, true
	}
	return methodDef{}, false
}

func (p *Portal) hasScope(scopes []string) bool {
	if scopes == nil {
		return true
	}
	for _, s := range scopes {
		if p.scopes[s] {
			return true
		}
	}
	return false
}

func (c *call) errScope() *apiError {
	token := "webhook token"
	if c.oauth {
		token = "access token"
	}
	return apiErr(http.StatusUnauthorized, "insufficient_scope",
		"The request requires higher privileges than provided by the "+token)
}

// handleREST answers a REST request after faults and latency.
func (p *Portal) handleREST(r *http.Request, method, user, code string, webhook bool) reply {
	began := time.Now()
	if !p.bucket.take(began) {
		p.countRefusal()
		return errQueryLimit().reply()
	}
	params, err := readParams(r)
	if err != nil {
		return apiErr(http.StatusBadRequest, "INVALID_REQUEST", "The request could not be read").reply()
	}
	p.mu.RLock()
	idx := p.idx
	p.mu.RUnlock()
	c := &call{p: p, idx: idx, method: method, params: params, now: p.opts.Now(), user: p.opts.WebhookUser}
	if e := p.authenticate(c, r, user, code, webhook); e != nil {
		return e.reply()
	}
	c.takeStart()
	if p.cost != nil {
		return p.serveCosted(r, c, began)
	}
	if method == "batch" {
		res, tm := p.runBatch(c, began)
		return p.envelope(res, tm)
	}
	def, ok := lookup(method)
	if !ok {
		return errMethodNotFound().reply()
	}
	res, tm, e := p.exec(c, def, began)
	if e != nil {
		return e.reply()
	}
	return p.envelope(res, tm)
}

// authenticate checks the webhook code or the OAuth token and removes the
// auth parameters, as the server does.
func (p *Portal) authenticate(c *call, r *http.Request, user, code string, webhook bool) *apiError {
	if webhook {
		okUser := user == strconv.Itoa(p.opts.WebhookUser)
		okCode := subtle.ConstantTimeCompare([]byte(code), []byte(p.opts.WebhookCode)) == 1
		if !okUser || !okCode {
			return apiErr(http.StatusUnauthorized, "INVALID_CREDENTIALS", "Invalid request credentials")
		}
		return nil
	}
	token := ""
	for _, k := range []string{"auth", "access_token"} {
		if v, ok := c.params.get(k); ok && token == "" {
			token = phpString(v)
		}
	}
	if h := r.Header.Get("Authorization"); token == "" && len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		token = strings.TrimSpace(h[7:])
	}
	c.params.del("auth")
	c.params.del("access_token")
	if token == "" {
		return apiErr(http.StatusUnauthorized, "NO_AUTH_FOUND", "Wrong authorization data")
	}
	c.oauth = true
	return p.tokens.check(token, c.now)
}

// takeStart moves the paging parameter `start` out of the parameters.
func (c *call) takeStart() {
	if v, ok := c.params.get("start"); ok {
		c.start, c.hasStart = phpInt(v), true
		c.params.del("start")
	}
}

// exec runs one method call with its scope and operating-time checks.
func (p *Portal) exec(c *call, def methodDef, began time.Time) (result, *parr, *apiError) {
	if !p.hasScope(def.scopes) {
		return result{}, nil, c.errScope()
	}
	if p.cost != nil {
		return p.execCosted(c, def)
	}
	if blocked, sum, resetAt := p.ops.blocked(c.method, c.now, p.opts.OperatingLimit); blocked {
		e := errOperatingLimit()
		e.time = timeObj(c.now, time.Since(began), 0, sum, resetAt)
		return result{}, nil, e
	}
	res, e := def.fn(c)
	if e != nil {
		return result{}, nil, e
	}
	cost := 0.002 + 0.0004*float64(res.rows) + 0.00001*float64(res.counted)
	sum, resetAt := p.ops.charge(c.method, c.now, cost)
	return res, timeObj(c.now, time.Since(began), cost, sum, resetAt), nil
}

// envelope wraps a result as {result, total, next, time}.
func (p *Portal) envelope(res result, tm *parr) reply {
	env := newArr()
	env.set("result", res.value)
	if res.hasTotal {
		env.set("total", res.total)
	}
	if res.hasNext {
		env.set("next", res.next)
	}
	env.set("time", tm)
	return jsonReply(http.StatusOK, env)
}

// isoTime formats like PHP's date('c').
func isoTime(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

// timeObj builds the `time` object of an answer.
func timeObj(start time.Time, elapsed time.Duration, processing, operating float64, resetAt int64) *parr {
	s := float64(start.UnixMicro()) / 1e6
	f := s + elapsed.Seconds()
	t := newArr()
	t.set("start", round6(s))
	t.set("finish", round6(f))
	t.set("duration", round6(f-s))
	t.set("processing", round6(processing))
	t.set("date_start", isoTime(start))
	t.set("date_finish", isoTime(start.Add(elapsed)))
	t.set("operating_reset_at", int(resetAt))
	t.set("operating", round6(operating))
	return t
}

// round6 keeps six decimals, as the portal's timings have.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
