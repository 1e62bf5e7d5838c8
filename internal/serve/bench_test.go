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
