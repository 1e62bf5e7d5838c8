package directory

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

// BenchmarkAvailability measures what the availability of the people
// looked at costs the portal, on a generated 31,000-person portal (30,000 and more active) with
// meetings and workdays, under the fake's cost model (1 ms a call and 1 ms
// an object returned, an event or a workday, scaled by 0.01): requests and
// server time per method (scaled; ×100 for a real portal) per operation.
//
//   - one-department-500: one look at a department of 500 people;
//   - 100-sessions-different: 100 sessions of one server (one shared
//     Directory) each opening another department of 300 people at once;
//   - 100-sessions-same: the same 100 sessions all opening one department
//     of 300 people;
//   - 100-sessions-a-minute-later: the 100 sessions of different
//     departments a minute later, each asking again about the 26 rows a
//     120×40 screen shows (what the browser asks of a list it keeps open).
func BenchmarkAvailability(b *testing.B) {
	ctx := context.Background()
	now := time.Now()
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 31_000, Seed: 30, Now: now, Availability: true})
	ids := activeIDs(fake)
	if len(ids) < 100*300 {
		b.Fatalf("%d active people: fewer than 100 departments of 300", len(ids))
	}
	cost := &fakeportal.Cost{PerCall: time.Millisecond, Default: time.Millisecond, Budget: -1, Scale: 0.01}
	p, err := fakeportal.Start(fake, fakeportal.Options{Rate: -1, Cost: cost, Scopes: fakeportal.AllScopes()})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, op func(d *Directory) error) {
		p.ResetCounters()
		before := p.ServerTime()
		b.ResetTimer()
		for range b.N {
			if err := op(New(c, Options{NoCache: true, Availability: true})); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		reportCost(b, p, before)
		n := float64(b.N)
		cmds := p.Commands()
		b.ReportMetric(float64(cmds["calendar.accessibility.get"])/n, "calendar-cmds/op")
		b.ReportMetric(float64(cmds["timeman.status"])/n, "timeman-cmds/op")
	}
	sessions := func(groups [][]int) func(d *Directory) error {
		return func(d *Directory) error {
			var wg sync.WaitGroup
			errs := make(chan error, len(groups))
			for _, g := range groups {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := d.Schedules(ctx, g); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			return <-errs
		}
	}
	b.Run("one-department-500", func(b *testing.B) {
		run(b, func(d *Directory) error {
			_, err := d.Schedules(ctx, ids[:500])
			return err
		})
	})
	var different, same, screens [][]int
	for i := range 100 {
		different = append(different, ids[i*300:(i+1)*300])
		same = append(same, ids[:300])
		screens = append(screens, ids[i*300:i*300+26])
	}
	b.Run("100-sessions-different", func(b *testing.B) { run(b, sessions(different)) })
	b.Run("100-sessions-same", func(b *testing.B) { run(b, sessions(same)) })
	b.Run("100-sessions-a-minute-later", func(b *testing.B) { run(b, sessions(screens)) })
}
