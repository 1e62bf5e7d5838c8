package directory

import (
	"context"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

// BenchmarkPresenceRefresh30k measures what bringing everyone's presence up
// to date costs the portal, 30,000 people, three ways: RefreshPresence
// (user.online, then im objects for the online and the shown-online), the
// same with user.get FILTER[IS_ONLINE]=Y for the IDs, and reloading everyone
// (LoadAll). It reports requests, batch commands, im objects and the fake's
// server time (its cost model) per refresh.
func BenchmarkPresenceRefresh30k(b *testing.B) {
	ctx := context.Background()
	now := time.Now()
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 30_000, Seed: 30, Now: now})
	online := 0
	for _, u := range fake.Users {
		if !u.LastActivity.IsZero() && now.Sub(u.LastActivity) < fakeportal.OnlineWindow {
			online++
		}
	}
	methods := []string{"user.online", "user.get", "im.user.list.get", "im.department.employees.get", "department.get"}
	run := func(b *testing.B, refresh func(d *Directory) error) {
		p, err := fakeportal.Start(fake, fakeportal.Options{Rate: -1})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
		if err != nil {
			b.Fatal(err)
		}
		d := New(c, Options{NoCache: true})
		if _, err := d.LoadAll(ctx, nil); err != nil {
			b.Fatal(err)
		}
		shown := 0
		for _, x := range d.Snapshot().AllPeople() {
			if x.PresenceAt(time.Now(), DefaultThreshold) != Offline {
				shown++
			}
		}
		p.ResetCounters()
		var server time.Duration
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			before := time.Duration(0)
			for _, m := range methods {
				before += p.Operating(m)
			}
			if err := refresh(d); err != nil {
				b.Fatal(err)
			}
			after := time.Duration(0)
			for _, m := range methods {
				after += p.Operating(m)
			}
			server += after - before
		}
		b.StopTimer()
		n := float64(b.N)
		var cmds int64
		for _, v := range p.Commands() {
			cmds += v
		}
		b.ReportMetric(float64(p.Total())/n, "requests/op")
		b.ReportMetric(float64(cmds)/n, "commands/op")
		b.ReportMetric(float64(online), "online")
		b.ReportMetric(float64(shown), "shown-online")
		b.ReportMetric(server.Seconds()*1000/n, "server-ms/op")
	}
	b.Run("user.online+im", func(b *testing.B) {
		run(b, func(d *Directory) error {
			_, err := d.RefreshPresence(ctx, time.Nanosecond, DefaultThreshold)
			return err
		})
	})
	b.Run("user.get-IS_ONLINE+im", func(b *testing.B) {
		run(b, func(d *Directory) error {
			ids, err := d.client.OnlineUserIDsByFilter(ctx)
			if err != nil {
				return err
			}
			_, err = d.client.UsersByID(ctx, ids)
			return err
		})
	})
	b.Run("reload", func(b *testing.B) {
		run(b, func(d *Directory) error {
			ids := make([]int, 0)
			for _, dep := range d.Snapshot().Departments() {
				ids = append(ids, dep.ID)
			}
			_, err := d.client.AllEmployees(ctx, ids, nil)
			return err
		})
	})
}
