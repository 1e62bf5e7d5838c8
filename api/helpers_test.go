package api_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

// testNow is the fixed "now" of generated orgs and of the fake's clock.
var testNow = time.Date(2025, 3, 12, 10, 30, 0, 0, time.UTC)

// genOrg builds a deterministic org.
func genOrg(people, departments int) *fakeportal.Org {
	return fakeportal.Generate(fakeportal.GenOptions{People: people, Departments: departments, Seed: 7, Now: testNow})
}

// startPortal serves org on loopback until the test ends. Unless opts says
// otherwise, the fake's bucket is off and its clock is testNow.
func startPortal(t testing.TB, org *fakeportal.Org, opts fakeportal.Options) *fakeportal.Portal {
	t.Helper()
	if opts.Rate == 0 {
		opts.Rate = -1
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	p, err := fakeportal.Start(org, opts)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

// fast fills in quick pacing and retry settings for tests.
func fast(cfg api.Config) api.Config {
	if cfg.Rate == (api.RateProfile{}) {
		cfg.Rate = api.RateProfile{PerSecond: 10000, Burst: 10000}
	}
	if cfg.RetryBase == 0 {
		cfg.RetryBase = time.Millisecond
	}
	if cfg.OperatingWait == 0 {
		cfg.OperatingWait = 5 * time.Millisecond
	}
	if cfg.MaxWait == 0 {
		cfg.MaxWait = 50 * time.Millisecond
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	return cfg
}

// webhookClient is a fast client of p's webhook.
func webhookClient(t testing.TB, p *fakeportal.Portal) *api.Client {
	t.Helper()
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL()}))
	require.NoError(t, err)
	return c
}

// allDeptIDs lists the org's department IDs.
func allDeptIDs(org *fakeportal.Org) []int {
	ids := make([]int, len(org.Departments))
	for i, d := range org.Departments {
		ids[i] = d.ID
	}
	return ids
}

// activeMembers is what im.department.employees.get should answer: the
// active direct members of each department, sorted.
func activeMembers(org *fakeportal.Org) map[int][]int {
	out := map[int][]int{}
	for _, d := range org.Departments {
		out[d.ID] = []int{}
	}
	for _, u := range org.Users {
		if !u.Active {
			continue
		}
		for _, d := range u.Departments {
			if _, ok := out[d]; ok && !slices.Contains(out[d], u.ID) {
				out[d] = append(out[d], u.ID)
			}
		}
	}
	for _, l := range out {
		slices.Sort(l)
	}
	return out
}

func sortedCopy(ids []int) []int {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func ctx(t testing.TB) context.Context {
	return t.Context()
}
