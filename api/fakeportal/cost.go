package fakeportal

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Cost is the server-time model of a cloud portal (docs/portal.md, Limits;
// settings/performance/limits.md of the Bitrix24 REST docs): every
// object a method returns takes server time, which the portal really
// spends (it sleeps) and reports in `time` (processing, duration,
// operating, operating_reset_at). A request that runs past CutOff is
// answered by the front end with a 504 HTML page while the work behind it
// still counts toward the method's operating time; a method whose
// operating time over the last Window reached Budget is refused with 429
// OPERATION_TIME_LIMIT. Every duration is multiplied by Scale, so a test
// can run the real proportions a thousand times faster.
type Cost struct {
	// PerObject is the server time per object returned, by method (lower
	// case); methods not in it cost Default per object.
	PerObject map[string]time.Duration
	Default   time.Duration
	// PerCall is the fixed server time of every call (each batch command).
	PerCall time.Duration
	// CutOff is how long a request may run; zero: 60 s.
	CutOff time.Duration
	// Budget is a method's operating time per Window; zero: 480 s; negative:
	// no budget (on-premise, where the limiter is off by default).
	Budget time.Duration
	// Window is the span operating time is summed over, in ten buckets;
	// zero: 10 minutes.
	Window time.Duration
	// Scale multiplies every duration above; zero: 1.
	Scale float64
	// ChargeBatch charges a batch's whole server time to the method `batch`
	// (inner methods read 0, and every result_time carries the batch's
	// operating), as b24jssdk PR #539 measured; false charges each command
	// to its own method, as the docs say (settings/performance/limits.md;
	// docs/portal.md, Batch).
	ChargeBatch bool
	// NoOperatingKeys leaves operating and operating_reset_at out of every
	// time object, as an on-premise portal does.
	NoOperatingKeys bool
}

// costModel is a Cost with its defaults and scale applied.
type costModel struct {
	perObject map[string]time.Duration
	def       time.Duration
	perCall   time.Duration
	cutOff    time.Duration
	budget    time.Duration // 0: none
	window    time.Duration
	batch     bool
	noKeys    bool
}

// newCostModel applies the defaults and the scale; nil stays nil (no cost).
func newCostModel(c *Cost) *costModel {
	if c == nil {
		return nil
	}
	scale := c.Scale
	if !(scale > 0) {
		scale = 1
	}
	sc := func(d time.Duration) time.Duration { return time.Duration(float64(d) * scale) }
	m := &costModel{
		perObject: map[string]time.Duration{},
		def:       sc(max(0, c.Default)),
		perCall:   sc(max(0, c.PerCall)),
		cutOff:    sc(60 * time.Second),
		budget:    sc(480 * time.Second),
		window:    sc(operatingWindow),
		batch:     c.ChargeBatch,
		noKeys:    c.NoOperatingKeys,
	}
	for k, v := range c.PerObject {
		m.perObject[k] = sc(max(0, v))
	}
	if c.CutOff > 0 {
		m.cutOff = sc(c.CutOff)
	}
	switch {
	case c.Budget > 0:
		m.budget = sc(c.Budget)
	case c.Budget < 0:
		m.budget = 0
	}
	if c.Window > 0 {
		m.window = sc(c.Window)
	}
	m.cutOff = max(m.cutOff, time.Microsecond)
	m.window = max(m.window, 10*time.Microsecond)
	return m
}

// of is the server time of one call of method that returned rows objects.
func (m *costModel) of(method string, rows int) time.Duration {
	per, ok := m.perObject[method]
	if !ok {
		per = m.def
	}
	return m.perCall + time.Duration(rows)*per
}

// work is the server time of one HTTP request under the cost model: the
// commands of a batch run one after another inside one cut-off. The
// cut-off is judged on the modelled time, not on the wall clock: the fake's
// own work (building and encoding the answer) takes no model time, so a
// test on a busy machine gets the same answers as on an idle one.
type work struct {
	ctx    context.Context
	cutOff time.Duration
	spent  time.Duration // server time of the commands so far, cut-off or not
	cut    bool          // the front end gave up on the request
}

// spend spends d of server time: sleeps while the request is within its
// cut-off, and only counts it once it is past (the back end works on, the
// client gets no answer).
func (w *work) spend(d time.Duration) {
	left := w.cutOff - w.spent
	w.spent += d
	if w.cut {
		return
	}
	if d > left {
		d, w.cut = max(left, 0), true
	}
	sleep(w.ctx, d)
}

// costStats are the counters of the cost model.
type costStats struct {
	mu        sync.Mutex
	cutOffs   int64
	tooMany   int64
	maxReq    time.Duration
	perMethod map[string]time.Duration
}

func (s *costStats) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cutOffs, s.tooMany, s.maxReq, s.perMethod = 0, 0, 0, map[string]time.Duration{}
}

func (s *costStats) request(w *work) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maxReq = max(s.maxReq, w.spent)
	if w.cut {
		s.cutOffs++
	}
}

func (s *costStats) charge(method string, d time.Duration) {
	s.mu.Lock()
	s.perMethod[method] += d
	s.mu.Unlock()
}

func (s *costStats) refused() {
	s.mu.Lock()
	s.tooMany++
	s.mu.Unlock()
}

// CutOffs counts the requests the front end cut off (504) under the cost model.
func (p *Portal) CutOffs() int64 {
	p.costs.mu.Lock()
	defer p.costs.mu.Unlock()
	return p.costs.cutOffs
}

// OperatingRefusals counts the answers of 429 OPERATION_TIME_LIMIT the
// budget gave (whole requests and batch commands; not injected faults).
func (p *Portal) OperatingRefusals() int64 {
	p.costs.mu.Lock()
	defer p.costs.mu.Unlock()
	return p.costs.tooMany
}

// MaxRequestTime is the largest server time one request took under the
// cost model (a cut-off one counts with all its work).
func (p *Portal) MaxRequestTime() time.Duration {
	p.costs.mu.Lock()
	defer p.costs.mu.Unlock()
	return p.costs.maxReq
}

// ServerTime returns the server time charged per method since the start
// (or ResetCounters), whatever the windows.
func (p *Portal) ServerTime() map[string]time.Duration {
	p.costs.mu.Lock()
	defer p.costs.mu.Unlock()
	out := make(map[string]time.Duration, len(p.costs.perMethod))
	for k, v := range p.costs.perMethod {
		out[k] = v
	}
	return out
}

// CostLimits returns the cut-off, the budget per window (0: none) and the
// window after defaults and scale; all zero without a cost model.
func (p *Portal) CostLimits() (cutOff, budget, window time.Duration) {
	if p.cost == nil {
		return 0, 0, 0
	}
	return p.cost.cutOff, p.cost.budget, p.cost.window
}

const gatewayTimeoutPage = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n" +
	"<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// cutOffReply is the front end's answer to a request past its cut-off.
func cutOffReply() reply {
	return reply{status: http.StatusGatewayTimeout, body: []byte(gatewayTimeoutPage), contentType: "text/html"}
}

// blockedBy reports whether method's budget is used up, counting the refusal.
func (p *Portal) blockedBy(method string) (*apiError, bool) {
	if p.cost.budget <= 0 {
		return nil, false
	}
	now := time.Now()
	blocked, sum, reset := p.ops.blocked(method, now, p.cost.budget)
	if !blocked {
		return nil, false
	}
	p.costs.refused()
	e := errOperatingLimit()
	e.time = p.costTime(now, 0, 0, sum, reset)
	return e, true
}

// execCosted is exec under the cost model: the budget check, the call, its
// server time really spent and charged.
func (p *Portal) execCosted(c *call, def methodDef) (result, *parr, *apiError) {
	began := time.Now()
	charged := c.method
	if c.inBatch && p.cost.batch {
		charged = "" // the batch pays
	}
	if charged != "" {
		if e, blocked := p.blockedBy(charged); blocked {
			return result{}, nil, e
		}
	}
	res, e := def.fn(c)
	if e != nil {
		return result{}, nil, e
	}
	d := p.cost.of(c.method, res.rows)
	c.work.spend(d)
	var sum float64
	var reset int64
	if charged != "" {
		sum, reset = p.ops.charge(charged, time.Now(), d.Seconds())
		p.costs.charge(charged, d)
	} else {
		sum, reset = p.ops.peek("batch", time.Now())
		sum += c.work.spent.Seconds()
	}
	return res, p.costTime(began, time.Since(began), d.Seconds(), sum, reset), nil
}

// serveCosted answers a REST request (already authenticated) under the cost model.
func (p *Portal) serveCosted(r *http.Request, c *call, began time.Time) reply {
	c.work = &work{ctx: r.Context(), cutOff: p.cost.cutOff}
	defer p.costs.request(c.work)
	if c.method != "batch" {
		def, ok := lookup(c.method)
		if !ok {
			return errMethodNotFound().reply()
		}
		if !p.hasScope(def.scopes) {
			return c.errScope().reply()
		}
		res, tm, e := p.execCosted(c, def)
		switch {
		case c.work.cut:
			return cutOffReply()
		case e != nil:
			return e.reply()
		}
		return p.envelope(res, tm)
	}
	if p.cost.batch {
		if e, blocked := p.blockedBy("batch"); blocked {
			return e.reply()
		}
	}
	res, _ := p.runBatch(c, began)
	now := time.Now()
	var sum float64
	var reset int64
	if p.cost.batch {
		sum, reset = p.ops.charge("batch", now, c.work.spent.Seconds())
		p.costs.charge("batch", c.work.spent)
	} else {
		sum, reset = c.batchOperating, c.batchReset
	}
	if c.work.cut {
		return cutOffReply()
	}
	if reset == 0 {
		reset = ceilUnix(now.Add(p.cost.window))
	}
	return p.envelope(res, p.costTime(began, time.Since(began), c.work.spent.Seconds(), sum, reset))
}

// costTime is timeObj on the wall clock, without the operating keys when
// the model leaves them out.
func (p *Portal) costTime(start time.Time, elapsed time.Duration, processing, operating float64, resetAt int64) *parr {
	t := timeObj(start, elapsed, processing, operating, resetAt)
	if p.cost.noKeys {
		t.del("operating")
		t.del("operating_reset_at")
	}
	return t
}
