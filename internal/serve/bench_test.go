package serve

import (
	"sync"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/require"
)

// Settings of the load benchmark: sessions at once, and the quiet time that
// says the portal has stopped being asked.
const (
	loadSessions = 100
	settleQuiet  = 300 * time.Millisecond
)

// BenchmarkServeSameDepartment opens 100 browser sessions at once on a
// server that has loaded the tree but nobody's people (in-process, over a
// fake portal answering in 20 ms): all of them show the first department.
// Reported: the portal requests for that department's people (1: the
// sessions share one load, or reuse it), and the portal requests per
// session in all (the sessions reuse the server's fresh tree).
func BenchmarkServeSameDepartment(b *testing.B) {
	for range b.N {
		b.StopTimer()
		f := newServeFixture(b, oldTestOrg(), fakeportal.Options{Latency: 20 * time.Millisecond}, testServeOptions(), false)
		org := f.svc.dir.Snapshot()
		dept := org.Department(org.Roots()[0])
		f.portal.ResetCounters()
		b.StartTimer()
		sessions := make([]*ptyClient, loadSessions)
		var wg sync.WaitGroup
		for i := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sessions[i] = f.openPTY(b, 100, 30)
			}()
		}
		wg.Wait()
		for _, c := range sessions {
			c.waitOutput(dept.Name+" · ", " people ─", "ext ")
		}
		b.StopTimer()
		for total := int64(-1); total != f.portal.Total(); time.Sleep(settleQuiet) {
			total = f.portal.Total() // the sessions' tree loads end
		}
		b.ReportMetric(float64(f.departmentLoads.Load()), "dept-portal-calls")
		b.ReportMetric(float64(f.portal.Total())/loadSessions, "portal-requests/session")
		for _, c := range sessions {
			c.keys("q")
		}
		for _, c := range sessions {
			require.Equal(b, 0, c.exit())
		}
	}
}

// BenchmarkServeAvailability opens 100 browser sessions at once on a
// server that has loaded everyone (in-process, over a fake portal of
// 12,000 people in 120 departments with meetings and workdays, every
// scope granted, under the cost model of 1 ms a call and 1 ms an object,
// scaled by 0.01): each session jumps (search by extension) to a person of
// another department, whose people's calendars and workdays it then asks.
// Reported per run: the portal requests, the calendar and workday
// commands, and the server time per method (scaled: ×100 for a real
// portal).
func BenchmarkServeAvailability(b *testing.B) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 12_000, Departments: 120, Seed: 12, Now: time.Now(), Availability: true})
	exts := map[string]int{}
	for _, u := range org.Users {
		exts[u.Extension]++
	}
	var targets []fakeportal.User
	seen := map[int]bool{}
	for _, u := range org.Users {
		if u.Active && len(u.Departments) > 0 && !seen[u.Departments[0]] && u.Extension != "" && exts[u.Extension] == 1 {
			seen[u.Departments[0]] = true
			targets = append(targets, u)
		}
	}
	require.GreaterOrEqual(b, len(targets), loadSessions, "a department for every session")
	targets = targets[:loadSessions]
	cost := &fakeportal.Cost{PerCall: time.Millisecond, Default: time.Millisecond, Budget: -1, Scale: 0.01}
	for range b.N {
		b.StopTimer()
		f := newServeFixture(b, org, fakeportal.Options{Scopes: fakeportal.AllScopes(), Cost: cost}, testServeOptions(), true)
		f.portal.ResetCounters()
		before := f.portal.ServerTime()
		b.StartTimer()
		sessions := make([]*ptyClient, loadSessions)
		var wg sync.WaitGroup
		for i := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := f.openPTY(b, 120, 40)
				c.waitOutput("Departments", "? help")
				c.keys("/" + targets[i].Extension)
				c.waitOutput("ext " + targets[i].Extension)
				c.keys("\r")
				sessions[i] = c
			}()
		}
		wg.Wait()
		for total := int64(-1); total != f.portal.Total(); time.Sleep(settleQuiet) {
			total = f.portal.Total() // the sessions' asks end
		}
		b.StopTimer()
		cmds := f.portal.Commands()
		b.ReportMetric(float64(f.portal.Total()), "portal-requests")
		b.ReportMetric(float64(cmds["calendar.accessibility.get"]), "calendar-cmds")
		b.ReportMetric(float64(cmds["timeman.status"]), "timeman-cmds")
		var all time.Duration
		for m, t := range f.portal.ServerTime() {
			if d := t - before[m]; d > 0 {
				b.ReportMetric(d.Seconds()*1000, m+"-ms")
				all += d
			}
		}
		b.ReportMetric(all.Seconds()*1000, "server-ms")
		for _, c := range sessions {
			c.keys("q")
		}
		for _, c := range sessions {
			require.Equal(b, 0, c.exit())
		}
	}
}
