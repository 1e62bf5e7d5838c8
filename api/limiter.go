package api

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// bgKey marks a context as background work.
type bgKey struct{}

// Background marks ctx as low-priority work: it waits behind foreground requests.
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, bgKey{}, true)
}

// IsBackground reports whether ctx was marked by Background.
func IsBackground(ctx context.Context) bool {
	v, _ := ctx.Value(bgKey{}).(bool)
	return v
}

// pacer paces the requests of one Client with two lanes.
//
// Tokens: one leaky bucket (rate.Limiter) per Client, as the portal keeps one
// per source. A foreground request reserves its token at once (rate.Limiter
// queues reservations in order). A background request never reserves ahead:
// it takes a token only while no foreground request is waiting for one, and
// only when at least reserve+1 tokens are in the bucket, so it leaves a head
// room of reserve tokens for the requests a person waits for.
//
// Slots: at most maxInFlight requests are in flight; background work may hold
// all but one of them, so a foreground request never waits for a slot behind
// background requests.
type pacer struct {
	lim     *rate.Limiter
	reserve float64

	mu     sync.Mutex
	fgWait int           // foreground requests waiting for a token
	fgIdle chan struct{} // closed (and replaced) when fgWait drops to 0

	slots   chan struct{} // every request holds one while in flight
	bgSlots chan struct{} // background requests also hold one of these
}

func newPacer(p RateProfile, maxInFlight int) *pacer {
	bg := maxInFlight - 1
	if bg < 1 {
		bg = 1
	}
	return &pacer{
		lim:     rate.NewLimiter(rate.Limit(p.PerSecond), p.Burst),
		reserve: float64(p.Burst / 5),
		fgIdle:  make(chan struct{}),
		slots:   make(chan struct{}, maxInFlight),
		bgSlots: make(chan struct{}, bg),
	}
}

// acquire waits for a token and a slot in ctx's lane; release frees the slot.
func (p *pacer) acquire(ctx context.Context) (release func(), err error) {
	bg := IsBackground(ctx)
	if bg {
		err = p.backgroundToken(ctx)
	} else {
		err = p.foregroundToken(ctx)
	}
	if err != nil {
		return nil, err
	}
	if bg {
		select {
		case p.bgSlots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		if bg {
			<-p.bgSlots
		}
		return nil, ctx.Err()
	}
	return func() {
		<-p.slots
		if bg {
			<-p.bgSlots
		}
	}, nil
}

func (p *pacer) foregroundToken(ctx context.Context) error {
	p.mu.Lock()
	p.fgWait++
	p.mu.Unlock()
	err := p.lim.Wait(ctx)
	p.mu.Lock()
	p.fgWait--
	if p.fgWait == 0 {
		close(p.fgIdle)
		p.fgIdle = make(chan struct{})
	}
	p.mu.Unlock()
	return err
}

func (p *pacer) backgroundToken(ctx context.Context) error {
	for {
		p.mu.Lock()
		if p.fgWait > 0 {
			idle := p.fgIdle
			p.mu.Unlock()
			select {
			case <-idle:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		now := time.Now()
		tokens := p.lim.TokensAt(now)
		if tokens >= p.reserve+1 && p.lim.AllowN(now, 1) {
			p.mu.Unlock()
			return nil
		}
		idle := p.fgIdle
		p.mu.Unlock()
		wait := time.Duration((p.reserve + 1 - tokens) / float64(p.lim.Limit()) * float64(time.Second))
		wait = max(wait, time.Millisecond)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-idle: // a foreground wait ended: look again
			t.Stop()
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// drain takes n tokens from the bucket (the portal said it is full), so the
// next requests of both lanes wait for it to refill.
func (p *pacer) drain(n int) {
	n = min(n, p.lim.Burst())
	if n > 0 {
		p.lim.ReserveN(time.Now(), n)
	}
}
