package main

import (
	"fmt"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
)

// demoRate paces the demo portal and its client: fast enough to feel instant,
// still a real leaky bucket.
func demoRate() api.RateProfile { return api.RateProfile{PerSecond: 50, Burst: 250} }

// openDemo starts the demo portal in this process and returns a Directory
// over it. The demo never touches the user's cache.
func (a *app) openDemo(s settings) (*directory.Directory, func(), error) {
	rate := demoRate()
	p, err := fakeportal.Start(fakeportal.Demo(time.Now(), s.demoHostile), fakeportal.Options{Rate: rate.PerSecond, Burst: rate.Burst})
	if err != nil {
		return nil, nil, fmt.Errorf("demo portal: %w", err)
	}
	cfg := s.client
	cfg.WebhookURL, cfg.OAuth, cfg.Rate = p.WebhookURL(), nil, rate
	client, err := api.New(cfg)
	if err != nil {
		p.Close()
		return nil, nil, fmt.Errorf("demo portal: %w", err)
	}
	return directory.New(client, directory.Options{NoCache: true}), p.Close, nil
}
