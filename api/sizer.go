package api

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of CostPolicy (docs/portal.md, Limits).
const (
	DefaultCutOff          = 60 * time.Second
	DefaultAim             = 0.25
	DefaultOperatingLimit  = 480 * time.Second
	DefaultOperatingWindow = 10 * time.Minute
	DefaultShare           = 0.5
	DefaultStartUnits      = 1000
)

// CostPolicy is how the client keeps a portal's server time in bounds: a
// request is sized to take about Aim of the portal's cut-off, and the
// client's use of each method stays under Share of its operating limit per
// window. Zero fields take the defaults; tests scale them down together
// with the fake portal's cost model.
type CostPolicy struct {
	CutOff          time.Duration // the portal's per-request cut-off; zero: 60s
	Aim             float64       // of the cut-off (or Timeout, if shorter) a request aims at; zero: 1/4
	OperatingLimit  time.Duration // a method's operating time per window; zero: 480s
	OperatingWindow time.Duration // zero: 10 minutes
	Share           float64       // of OperatingLimit the client uses at most; zero: 1/2
	StartUnits      int           // objects asked for by the first request of a method; zero: 1000
}

// costPolicy is a CostPolicy with its defaults.
type costPolicy struct {
	cutOff     time.Duration
	aim        float64
	limit      time.Duration
	window     time.Duration
	share      float64
	startUnits int
}

func (p CostPolicy) policy() (costPolicy, error) {
	out := costPolicy{cutOff: p.CutOff, aim: p.Aim, limit: p.OperatingLimit, window: p.OperatingWindow, share: p.Share, startUnits: p.StartUnits}
	if out.cutOff < 0 || out.limit < 0 || out.window < 0 || out.startUnits < 0 || out.aim < 0 || out.aim > 1 || out.share < 0 || out.share > 1 {
		return out, configError("err.config.cost")
	}
	if out.cutOff == 0 {
		out.cutOff = DefaultCutOff
	}
	if out.aim == 0 {
		out.aim = DefaultAim
	}
	if out.limit == 0 {
		out.limit = DefaultOperatingLimit
	}
	if out.window == 0 {
		out.window = DefaultOperatingWindow
	}
	if out.share == 0 {
		out.share = DefaultShare
	}
	if out.startUnits == 0 {
		out.startUnits = DefaultStartUnits
	}
	return out, nil
}

// sizer learns the server time per object of each method from the answers'
// time blocks and sizes the next request by it.
type sizer struct {
	aim   time.Duration // the server time a request aims at
	start int

	mu sync.Mutex
	m  map[string]*unitCost
}

// unitCost is what one object of a method costs the portal.
type unitCost struct {
	per   float64 // seconds per object
	known bool
	last  int // objects in the last request that came back
}

func newSizer(p costPolicy, timeout time.Duration) *sizer {
	return &sizer{aim: time.Duration(float64(min(p.cutOff, timeout)) * p.aim), start: p.startUnits, m: map[string]*unitCost{}}
}

func (s *sizer) cost(method string) *unitCost {
	u := s.m[method]
	if u == nil {
		u = &unitCost{}
		s.m[method] = u
	}
	return u
}

// next is how many objects the next request of method asks for, at most most.
func (s *sizer) next(method string, most int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.cost(method)
	if !u.known {
		return max(1, min(s.start, most))
	}
	n := min(most, 4*max(1, u.last)) // grow while cheap, at most fourfold
	if u.per > 0 {
		n = min(n, int(s.aim.Seconds()/u.per))
	}
	return max(1, n)
}

// perUnit is the learnt server time of one object of method (0: unknown or free).
func (s *sizer) perUnit(method string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return seconds(s.cost(method).per)
}

// learn takes in that units objects of method took d of server time: a
// dearer sample counts at once, a cheaper one by a third.
func (s *sizer) learn(method string, units int, d time.Duration) {
	if units <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.cost(method)
	sample := d.Seconds() / float64(units)
	switch {
	case !u.known || sample > u.per:
		u.per = sample
	default:
		u.per = u.per*2/3 + sample/3
	}
	u.known, u.last = true, units
}

// cutOff takes in that a request of units objects ran past at: each costs
// at least at/units, and the next request is at most half as big.
func (s *sizer) cutOff(method string, units int, at time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.cost(method)
	u.per = max(u.per, at.Seconds()/float64(max(1, units)))
	u.known, u.last = true, max(1, units/8)
}

type splitKey struct{}

// splitting marks ctx as a sized request: a cut-off is handed back to be
// split, never sent again unchanged.
func splitting(ctx context.Context) context.Context { return context.WithValue(ctx, splitKey{}, true) }

func isSplitting(ctx context.Context) bool {
	v, _ := ctx.Value(splitKey{}).(bool)
	return v
}

// isCutOff reports whether err says the portal (or the client's own
// timeout) gave up on a request while it ran: a 504 from the front end, or
// no answer in time. Splitting the request is the cure, not resending it.
func isCutOff(err error) bool {
	var te *TransportError
	if !errors.As(err, &te) {
		return false
	}
	return te.Status == 504 || (te.Status == 0 && (errors.Is(te, context.DeadlineExceeded) || strings.HasPrefix(te.Reason, "no answer within")))
}

// sizedBatch asks method about every one of items (IDs), in batch requests
// of at most 50 commands of perCommand items, each request sized by the
// measured cost per item (aiming at the policy's share of the cut-off) and
// held back while the method's time budget is used up. A request that is
// cut off is split (one of a single item is retried as any request is).
// each is called for every command's result, progress with the items done
// so far. One request is in flight at a time.
func (c *Client) sizedBatch(ctx context.Context, method string, items []int, perCommand int, params func(part []int) map[string]any, each func(r BatchResult) error, progress func(done int)) error {
	charged := []string{"batch", strings.ToLower(method)}
	done := 0
	var wall time.Duration // time spent in requests, pauses left out
	for len(items) > 0 {
		n := min(c.sizes.next(method, BatchSize*perCommand), len(items))
		per := c.sizes.perUnit(method)
		if share := c.budget.laneShare(ctx); per > 0 && time.Duration(n)*per > share/2 {
			n = max(1, int(share/2/per)) // no request takes more than half the share
		}
		expect := time.Duration(n) * per
		if err := c.budget.admit(ctx, charged, expect); err != nil {
			return err
		}
		part := items[:n]
		var cmds []Command
		for chunk := range slices.Chunk(part, perCommand) {
			cmds = append(cmds, Command{Key: "c" + strconv.Itoa(len(cmds)), Method: method, Params: params(chunk)})
		}
		enc, err := encodeCommands(cmds)
		if err != nil {
			return err
		}
		bctx := ctx
		if n > 1 {
			bctx = splitting(ctx) // a cut-off comes back here to be split
		}
		began := time.Now()
		res, err := c.batchChunk(bctx, enc)
		wall += time.Since(began)
		if err != nil {
			if isCutOff(err) && n > 1 && ctx.Err() == nil {
				c.splits.Add(1)
				c.sizes.cutOff(method, n, c.set.cost.cutOff)
				lost := max(c.set.cost.cutOff, time.Duration(n)*c.sizes.perUnit(method))
				for _, m := range charged {
					c.budget.charge(m, lost) // the work behind a cut-off still counts
				}
				continue
			}
			return err
		}
		var server time.Duration
		for _, cmd := range enc {
			r := res[cmd.Key]
			server += seconds(r.Time.Processing)
			if r.Err != nil {
				return r.Err
			}
			if err := each(r); err != nil {
				return err
			}
		}
		if server <= 0 {
			server = time.Since(began) // no processing reported: the wall time bounds it
		}
		c.sizes.learn(method, n, server)
		items = items[n:]
		done += n
		if progress != nil {
			progress(done)
		}
		if len(items) > 0 {
			tell(ctx, Pace{Left: c.timeLeft(method, len(items), wall/time.Duration(done), c.budget.laneShare(ctx))})
		}
	}
	return nil
}

// timeLeft estimates the time a sized load of method needs for left more
// items: the requests at the pace so far, plus a window for every share of
// the budget beyond what is free now.
func (c *Client) timeLeft(method string, left int, wallPer, share time.Duration) time.Duration {
	est := time.Duration(left) * wallPer
	server := time.Duration(left) * c.sizes.perUnit(method)
	free := min(c.budget.free(method, share), c.budget.free("batch", share))
	if server > free && share > 0 {
		windows := (server - free + share - 1) / share
		est += windows * c.set.cost.window
	}
	return max(est, time.Millisecond)
}
