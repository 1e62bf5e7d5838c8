package api_test

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

// TestForegroundGoesFirst queues a large background load, then asks one
// foreground question: it is answered while almost all of the background work
// is still waiting, though that work was queued first.
func TestForegroundGoesFirst(t *testing.T) {
	p := startPortal(t, genOrg(30, 3), fakeportal.Options{Latency: 5 * time.Millisecond})
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 50, Burst: 1}}))
	require.NoError(t, err)

	const background = 40
	var bgDone atomic.Int64
	var wg sync.WaitGroup
	bg := api.Background(ctx(t))
	for i := 0; i < background; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Call(bg, "server.time", nil)
			assert.NoError(t, err)
			bgDone.Add(1)
		}()
	}
	for c.Stats().Requests < 3 { // the background load is under way
		time.Sleep(time.Millisecond)
	}
	_, err = c.Call(ctx(t), "server.time", nil)
	require.NoError(t, err)
	doneWhenForegroundFinished := bgDone.Load()
	wg.Wait()

	assert.Less(t, doneWhenForegroundFinished, int64(background/4),
		"the foreground call overtook the queued background calls (%d of %d were done)", doneWhenForegroundFinished, background)
	assert.Equal(t, int64(background+1), c.Stats().Requests)
}

// TestBackgroundLeavesHeadroom: background work alone never empties the
// bucket below its reserve (a fifth of the burst), so the first foreground
// requests after it go out at once, without waiting for the bucket.
func TestBackgroundLeavesHeadroom(t *testing.T) {
	p := startPortal(t, genOrg(30, 3), fakeportal.Options{Rate: 0.001, Burst: 10})
	// The client's bucket is as slow as the portal's: a request beyond the
	// burst would be refused there (and wait for ever here).
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 0.001, Burst: 10}, MaxRetries: -1}))
	require.NoError(t, err)

	// Background: 8 of the 10 tokens (the reserve is 2) are taken, then it waits.
	bg := api.Background(ctx(t))
	var wg sync.WaitGroup
	for i := 0; i < 9; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.Call(bg, "server.time", nil)
		}()
	}
	for c.Stats().Requests < 8 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, int64(8), c.Stats().Requests, "the ninth background call waits for the bucket")

	// Foreground: the two reserved tokens are there.
	for i := 0; i < 2; i++ {
		_, err := c.Call(ctx(t), "server.time", nil)
		require.NoError(t, err)
	}
	assert.Zero(t, p.Refusals())
	assert.Equal(t, int64(10), c.Stats().Requests)
	// The waiting background goroutine ends with the test's context.
	t.Cleanup(wg.Wait)
}

func TestBackgroundMark(t *testing.T) {
	assert.False(t, api.IsBackground(ctx(t)))
	assert.True(t, api.IsBackground(api.Background(ctx(t))))
}

// inFlight is a transport that records the most requests in flight at once.
type inFlight struct {
	next     http.RoundTripper
	cur, max atomic.Int64
}

func (t *inFlight) RoundTrip(r *http.Request) (*http.Response, error) {
	n := t.cur.Add(1)
	defer t.cur.Add(-1)
	for {
		m := t.max.Load()
		if n <= m || t.max.CompareAndSwap(m, n) {
			break
		}
	}
	return t.next.RoundTrip(r)
}

func TestInFlightBound(t *testing.T) {
	p := startPortal(t, genOrg(30, 3), fakeportal.Options{Latency: 20 * time.Millisecond})
	for _, lane := range []struct {
		name string
		bg   bool
		want int64
	}{{"foreground", false, 3}, {"background", true, 2}} {
		t.Run(lane.name, func(t *testing.T) {
			tr := &inFlight{next: http.DefaultTransport}
			c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxInFlight: 3, HTTPClient: &http.Client{Transport: tr}}))
			require.NoError(t, err)
			cx := ctx(t)
			if lane.bg {
				cx = api.Background(cx)
			}
			var wg sync.WaitGroup
			for i := 0; i < 16; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := c.Call(cx, "server.time", nil)
					assert.NoError(t, err)
				}()
			}
			wg.Wait()
			assert.LessOrEqual(t, tr.max.Load(), lane.want, "background work leaves one slot to the foreground")
			assert.Greater(t, tr.max.Load(), int64(1), "requests do run in parallel")
		})
	}
}
