package main

import (
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
)

// demoRate paces the demo portal and its client: fast enough to feel instant,
// still a real leaky bucket.
func demoRate() api.RateProfile { return api.RateProfile{PerSecond: 50, Burst: 250} }

// openDemo starts the demo portal in this process and returns a Directory
// over it. With s.demoCache (the browser) the demo keeps a cache of its own
// beside the real portals' ones, under a fixed key (its portal's address
// changes on every run), so that a second start draws at once as with a
// real portal; it never mixes with a real portal's cache. find, export and
// serve load the local portal whole and leave the disk alone.
func (a *app) openDemo(s settings) (*directory.Directory, func(), error) {
	rate := demoRate()
	p, err := fakeportal.Start(fakeportal.Demo(time.Now(), s.demoHostile), fakeportal.Options{Rate: rate.PerSecond, Burst: rate.Burst, Scopes: fakeportal.AllScopes()})
	if err != nil {
		return nil, nil, lang.NewError("cli.demo", "Err", err)
	}
	cfg := s.client
	cfg.WebhookURL, cfg.OAuth, cfg.Rate = p.WebhookURL(), nil, rate
	client, err := api.New(cfg)
	if err != nil {
		p.Close()
		return nil, nil, lang.NewError("cli.demo", "Err", err)
	}
	return directory.New(client, directory.Options{CacheDir: s.cacheDir, NoCache: s.noCache || !s.demoCache, CacheKey: demoCacheKey(s.demoHostile), IncludeOutsiders: s.outsiders, Region: s.region, Availability: true}), p.Close, nil
}

// demoCacheKey keys the demo's cache: the hostile demo has different
// people, so a cache of its own. No real portal has such a key (theirs
// are host and user).
func demoCacheKey(hostile bool) string {
	if hostile {
		return "demo-hostile"
	}
	return "demo"
}
