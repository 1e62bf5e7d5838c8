package api

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// Pace is news from the client about a long load: a pause for a method's
// time budget (Waiting > 0, counted down about once a second), or a new
// estimate of the time the load has left (Left > 0).
type Pace struct {
	Method  string        // the method whose budget the client waits for
	Waiting time.Duration // what is left of the pause
	Left    time.Duration // the load's estimated time left
}

type paceKey struct{}

// WithPace returns a context whose loads report their pauses and estimates
// to fn (called from the loading goroutine; it must not block).
func WithPace(ctx context.Context, fn func(Pace)) context.Context {
	return context.WithValue(ctx, paceKey{}, fn)
}

// tell sends p to ctx's Pace callback, if any.
func tell(ctx context.Context, p Pace) {
	if fn, ok := ctx.Value(paceKey{}).(func(Pace)); ok && fn != nil {
		fn(p)
	}
}

// budget keeps the client's use of each method's operating time (the
// Bitrix24 REST docs, settings/performance/limits.md: the portal sums a
// method's server time over 10 minutes and blocks it for everyone at
// 480 s) under its share. It counts what the
// client caused from the `time` blocks (processing, else duration), and
// watches the portal's own count (`operating`, `operating_reset_at`) where
// the portal sends it: other applications use the same budget.
type budget struct {
	limit  time.Duration
	window time.Duration
	share  float64
	now    func() time.Time

	mu sync.Mutex
	m  map[string]*methodUse
	// peak is the most the client had charged to a method within one window.
	peak map[string]time.Duration
}

// methodUse is one method's account.
type methodUse struct {
	own         []spent   // what the client caused, oldest first
	serverOp    float64   // the portal's last `operating`, seconds
	serverReset time.Time // and its operating_reset_at; zero: unknown
}

type spent struct {
	at time.Time
	d  time.Duration
}

func newBudget(p costPolicy) *budget {
	return &budget{limit: p.limit, window: p.window, share: p.share, now: time.Now,
		m: map[string]*methodUse{}, peak: map[string]time.Duration{}}
}

// use returns method's account, pruned at now. The caller holds b.mu.
func (b *budget) use(method string, now time.Time) *methodUse {
	method = strings.ToLower(method)
	u := b.m[method]
	if u == nil {
		u = &methodUse{}
		b.m[method] = u
	}
	i := 0
	for i < len(u.own) && !now.Before(u.own[i].at.Add(b.window)) {
		i++
	}
	u.own = u.own[i:]
	if !u.serverReset.IsZero() && !now.Before(u.serverReset) {
		u.serverOp, u.serverReset = 0, time.Time{} // that count is out of date
	}
	return u
}

// sum is the client's use of u within the window.
func (u *methodUse) sum() time.Duration {
	var s time.Duration
	for _, e := range u.own {
		s += e.d
	}
	return s
}

// record takes in a successful answer's time block for method.
func (b *budget) record(method string, t Time) {
	d := seconds(t.Processing)
	if d <= 0 {
		d = seconds(t.Duration)
	}
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	u := b.use(method, now)
	if d > 0 {
		u.own = append(u.own, spent{at: now, d: d})
		key := strings.ToLower(method)
		b.peak[key] = max(b.peak[key], u.sum())
	}
	if t.OperatingResetAt > 0 {
		// A reset further ahead than one window is not believable: cap it.
		u.serverOp, u.serverReset = t.Operating, time.Unix(min(t.OperatingResetAt, now.Add(b.window).Unix()+1), 0)
	}
}

// charge counts d of server time the client caused without an answer to
// tell it (a request cut off: the work behind it still counts).
func (b *budget) charge(method string, d time.Duration) {
	if d <= 0 {
		return
	}
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	u := b.use(method, now)
	u.own = append(u.own, spent{at: now, d: d})
	key := strings.ToLower(method)
	b.peak[key] = max(b.peak[key], u.sum())
}

// allowed is the client's share of a method's budget.
func (b *budget) allowed() time.Duration {
	return time.Duration(float64(b.limit) * b.share)
}

// free is how much of allowed method has not used now.
func (b *budget) free(method string, allowed time.Duration) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return max(0, allowed-b.use(method, b.now()).sum())
}

// laneShare is what a request on ctx's lane may use of the client's share:
// all of it in the foreground, four fifths in the background, so that what
// the user opens while a big load runs never waits for the load's window.
func (b *budget) laneShare(ctx context.Context) time.Duration {
	if IsBackground(ctx) {
		return b.allowed() * 4 / 5
	}
	return b.allowed()
}

// wait is how long to hold a request expected to cost expect of method's
// time, so that the client's use stays within allowed and the portal's
// count stays under the limit. Zero: send it now.
func (b *budget) wait(method string, expect, allowed time.Duration) time.Duration {
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	u := b.use(method, now)
	var w time.Duration
	if over := u.sum() + expect - allowed; over > 0 && len(u.own) > 0 {
		// Wait for enough of the client's oldest use to drop out; a request
		// bigger than the whole share waits for all of it.
		var freed time.Duration
		for i, e := range u.own {
			freed += e.d
			if freed >= over || i == len(u.own)-1 {
				w = e.at.Add(b.window).Sub(now)
				break
			}
		}
	}
	// Others use the same budget: never be the one who crosses the limit.
	if !u.serverReset.IsZero() && seconds(u.serverOp)+expect >= b.limit*9/10 {
		w = max(w, u.serverReset.Sub(now))
	}
	return max(w, 0)
}

// admit holds the caller until every one of methods can take expect more
// of its time, reporting the pause through ctx's Pace callback.
func (b *budget) admit(ctx context.Context, methods []string, expect time.Duration) error {
	for {
		var w time.Duration
		var which string
		allowed := b.laneShare(ctx)
		for _, m := range methods {
			if d := b.wait(m, expect, allowed); d > w {
				w, which = d, m
			}
		}
		if w <= 0 {
			return ctx.Err()
		}
		tell(ctx, Pace{Method: which, Waiting: w})
		if err := sleep(ctx, min(w, time.Second)); err != nil {
			return err
		}
	}
}

// Peak returns the most server time the client caused a method to use
// within one window (its own count), by method in lower case.
func (c *Client) Peak() map[string]time.Duration {
	c.budget.mu.Lock()
	defer c.budget.mu.Unlock()
	out := make(map[string]time.Duration, len(c.budget.peak))
	for k, v := range c.budget.peak {
		out[k] = v
	}
	return out
}

// BudgetShare is the most of a method's operating time per window the
// client allows itself (the share of the limit).
func (c *Client) BudgetShare() time.Duration { return c.budget.allowed() }

// chargedMethods are the methods a request is charged to: the method, and
// for a batch also every method inside it (the sources disagree on which
// one the portal charges, so both are counted).
func chargedMethods(method string, params map[string]any) []string {
	out := []string{method}
	if method != "batch" {
		return out
	}
	if cmds, ok := params["cmd"].(orderedCommands); ok {
		for _, cmd := range cmds {
			if m := strings.ToLower(cmd.Method); !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// seconds turns a float of seconds into a Duration (negative, NaN: 0).
func seconds(s float64) time.Duration {
	if !(s > 0) || s > 1e6 {
		return 0
	}
	return time.Duration(s * float64(time.Second))
}
