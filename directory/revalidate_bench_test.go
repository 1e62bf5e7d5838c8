package directory

import (
	"context"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

// BenchmarkStart30k measures, for 30,000 people under the fake's cost model
// (1 ms per im object, 1/50 of that per ID or department, scaled by 0.01),
// a first load (LoadAll), a start's revalidation of a cache of a moment ago
// (Revalidate, one person joined) and a presence refresh: requests and
// server time per method (scaled) per operation.
func BenchmarkStart30k(b *testing.B) {
	ctx := context.Background()
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 30_000, Seed: 30, Now: time.Now()})
	cost := &fakeportal.Cost{
		PerObject: map[string]time.Duration{"im.user.list.get": time.Millisecond, "im.user.get": time.Millisecond},
		Default:   time.Millisecond / 50, Budget: -1, Scale: 0.01,
	}
	run := func(b *testing.B, op func(p *fakeportal.Portal, c *api.Client, cache string) error) {
		p, err := fakeportal.Start(fake, fakeportal.Options{Rate: -1, Cost: cost})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
		if err != nil {
			b.Fatal(err)
		}
		cache := b.TempDir()
		if _, err := New(c, Options{CacheDir: cache}).LoadAll(ctx, nil); err != nil {
			b.Fatal(err)
		}
		p.ResetCounters()
		before := p.ServerTime()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := op(p, c, cache); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		reportCost(b, p, before)
	}
	b.Run("first-load", func(b *testing.B) {
		run(b, func(_ *fakeportal.Portal, c *api.Client, _ string) error {
			_, err := New(c, Options{NoCache: true}).LoadAll(ctx, nil)
			return err
		})
	})
	b.Run("revalidation", func(b *testing.B) {
		run(b, func(_ *fakeportal.Portal, c *api.Client, cache string) error {
			d := New(c, Options{CacheDir: cache})
			if _, err := d.LoadCache(); err != nil {
				return err
			}
			d.treeAt = time.Time{} // a new start: no tree of a moment ago
			_, err := d.Revalidate(ctx, DefaultThreshold, nil)
			return err
		})
	})
	b.Run("presence-refresh", func(b *testing.B) {
		run(b, func(_ *fakeportal.Portal, c *api.Client, cache string) error {
			d := New(c, Options{CacheDir: cache})
			if _, err := d.LoadCache(); err != nil {
				return err
			}
			_, err := d.RefreshPresence(ctx, time.Nanosecond, DefaultThreshold)
			return err
		})
	})
}

// reportCost reports, per operation of b, the requests p answered and the
// server time of each method since before (and in all): scaled times,
// as the portal's cost model charged them.
func reportCost(b *testing.B, p *fakeportal.Portal, before map[string]time.Duration) {
	n := float64(b.N)
	b.ReportMetric(float64(p.Total())/n, "requests/op")
	var all time.Duration
	for m, t := range p.ServerTime() {
		if d := t - before[m]; d > 0 {
			b.ReportMetric(d.Seconds()*1000/n, m+"-ms/op")
			all += d
		}
	}
	b.ReportMetric(all.Seconds()*1000/n, "server-ms/op")
}
