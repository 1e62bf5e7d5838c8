package api_test

import (
	"net/http"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
)

// BenchmarkAllEmployees30k loads the tree and every person with presence from
// a 30,000-person, 1,500-department portal, with the standard limiter on in
// the client and the standard bucket in the fake, for each strategy. It
// reports the HTTP requests per load and fails if a load takes more than 10
// requests with the chosen strategy, or if the fake refuses any request.
func BenchmarkAllEmployees30k(b *testing.B) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 30000, Departments: 1500, Seed: 1, Now: testNow})
	ids := allDeptIDs(org)
	names := make([]string, 0, len(api.AllEmployeesStrategies))
	for name := range api.AllEmployeesStrategies {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		load := api.AllEmployeesStrategies[name]
		b.Run(name, func(b *testing.B) {
			p := startPortal(b, org, fakeportal.Options{Rate: 2, Burst: 50})
			var requests, refusals, people int64
			counter := &byteCounter{next: http.DefaultTransport}
			for b.Loop() {
				p.SetLimits(2, 50) // a full bucket for each load, as for a new client
				p.ResetCounters()
				c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.StandardRate(),
					HTTPClient: &http.Client{Transport: counter}})
				require.NoError(b, err)
				_, err = c.Departments(b.Context())
				require.NoError(b, err)
				users, err := load(c, b.Context(), ids)
				require.NoError(b, err)
				requests += p.Total()
				refusals += p.Refusals()
				people = int64(len(users))
			}
			n := float64(b.N)
			b.ReportMetric(float64(requests)/n, "requests/op")
			b.ReportMetric(float64(refusals)/n, "refusals/op")
			b.ReportMetric(float64(people), "people")
			b.ReportMetric(float64(counter.bytes.Load())/n/1e6, "MB/op")
			if refusals > 0 {
				b.Errorf("%s: the portal refused %d requests", name, refusals)
			}
			if name == "members+list" && float64(requests)/n > 10 {
				b.Errorf("%s: %.1f requests per load, the bar is 10", name, float64(requests)/n)
			}
		})
	}
}

// byteCounter counts the bytes of the answers (their Content-Length).
type byteCounter struct {
	next  http.RoundTripper
	bytes atomic.Int64
}

func (t *byteCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err == nil && resp.ContentLength > 0 {
		t.bytes.Add(resp.ContentLength)
	}
	return resp, err
}
