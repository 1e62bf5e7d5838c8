package fakeportal

import (
	"sync"
	"time"
)

// bucket is the portal's leaky bucket: each request adds 1, the level drains
// by rate per second, and a request that would lift it over burst is refused.
// It runs on the wall clock, whatever Options.Now says.
type bucket struct {
	mu    sync.Mutex
	rate  float64
	burst float64
	level float64
	last  time.Time
}

func (b *bucket) init(rate float64, burst int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rate, b.burst = rate, float64(burst)
}

// take reports whether a request may pass, and counts it if so.
func (b *bucket) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rate < 0 {
		return true
	}
	if !b.last.IsZero() {
		b.level -= now.Sub(b.last).Seconds() * b.rate
		if b.level < 0 {
			b.level = 0
		}
	}
	b.last = now
	if b.level+1 > b.burst {
		return false
	}
	b.level++
	return true
}

// SetLimits changes the leaky bucket (rate per second, burst; rate < 0: off)
// and empties it. Zero values mean 2 and 50, as in Options.
func (p *Portal) SetLimits(rate float64, burst int) {
	if rate == 0 {
		rate = 2
	}
	if burst <= 0 {
		burst = 50
	}
	p.bucket.init(rate, burst)
	p.bucket.mu.Lock()
	p.bucket.level, p.bucket.last = 0, time.Time{}
	p.bucket.mu.Unlock()
}

// operatingWindow is the span over which a method's execution time is summed.
const operatingWindow = 10 * time.Minute

// opBucket is one of the one-minute buckets of a method's operating time; its
// minute starts with the first call in it.
type opBucket struct {
	start time.Time
	sum   float64
}

// operating sums the execution time per method over a window of 10 minutes
// (shorter under a scaled cost model), in buckets of a tenth of it.
type operating struct {
	mu     sync.Mutex
	m      map[string][]opBucket
	window time.Duration
	peak   map[string]float64 // the highest sum each method reached
}

func (o *operating) init(window time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if window <= 0 {
		window = operatingWindow
	}
	o.m, o.window, o.peak = map[string][]opBucket{}, window, map[string]float64{}
}

// state prunes the buckets of method and returns the sum and the unix time
// at which the oldest bucket drops out. The caller holds o.mu.
func (o *operating) state(method string, now time.Time) (float64, int64) {
	list := o.m[method]
	i := 0
	for i < len(list) && !now.Before(list[i].start.Add(o.window)) {
		i++
	}
	list = list[i:]
	o.m[method] = list
	sum := 0.0
	for _, b := range list {
		sum += b.sum
	}
	reset := now.Add(o.window)
	if len(list) > 0 {
		reset = list[0].start.Add(o.window)
	}
	return sum, ceilUnix(reset)
}

// blocked reports whether method's budget is used up.
func (o *operating) blocked(method string, now time.Time, limit time.Duration) (bool, float64, int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	sum, reset := o.state(method, now)
	return limit > 0 && sum >= limit.Seconds(), sum, reset
}

// charge adds cost seconds to method and returns the new state.
func (o *operating) charge(method string, now time.Time, cost float64) (float64, int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.state(method, now)
	list := o.m[method]
	if n := len(list); n > 0 && now.Before(list[n-1].start.Add(o.window/10)) {
		list[n-1].sum += cost
	} else {
		list = append(list, opBucket{start: now, sum: cost})
	}
	o.m[method] = list
	sum, reset := o.state(method, now)
	o.peak[method] = max(o.peak[method], sum)
	return sum, reset
}

// peek returns the state of method without charging it.
func (o *operating) peek(method string, now time.Time) (float64, int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.state(method, now)
}

// Operating returns the operating time method has used over the last 10
// minutes of the Now clock (of the wall clock under a cost model, over its
// scaled window).
func (p *Portal) Operating(method string) time.Duration {
	sum, _ := p.ops.peek(method, p.opsNow())
	return seconds(sum)
}

// PeakOperating returns the highest operating time method reached within
// one window since the portal started (or ResetCounters).
func (p *Portal) PeakOperating(method string) time.Duration {
	p.ops.mu.Lock()
	defer p.ops.mu.Unlock()
	return seconds(p.ops.peak[method])
}

// opsNow is the clock of operating time: the Now clock, or the wall clock
// under a cost model (its time is really spent).
func (p *Portal) opsNow() time.Time {
	if p.cost != nil {
		return time.Now()
	}
	return p.opts.Now()
}

// seconds turns a float of seconds into a Duration.
func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// ceilUnix is t in unix seconds, rounded up: a client that waits until then
// finds the bucket gone.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}
