package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"
)

// Load test settings: sessions at once, keystrokes each, and the quiet time
// that says a frame is complete.
const (
	loadSessions = 100
	loadKeys     = 50
	frameQuiet   = 25 * time.Millisecond
	settleQuiet  = 300 * time.Millisecond
)

// loadSession is one SSH client of the load test: a PTY session whose
// output arrivals are timed.
type loadSession struct {
	client *gossh.Client
	in     io.Writer
	frames chan time.Time // when output arrived
}

// openLoadSession logs in to addr, asks for a 100×30 PTY and the browser,
// and answers the terminal questions as a terminal would.
func openLoadSession(addr string, key gossh.Signer) (*loadSession, error) {
	client, err := gossh.Dial("tcp", addr, clientConfig(key))
	if err != nil {
		return nil, err
	}
	ls := &loadSession{client: client, frames: make(chan time.Time, 4096)}
	s, err := client.NewSession()
	if err == nil {
		ls.in, err = s.StdinPipe()
	}
	var out io.Reader
	if err == nil {
		out, err = s.StdoutPipe()
	}
	if err == nil {
		err = s.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{})
	}
	if err == nil {
		err = s.Shell()
	}
	if err == nil {
		_, err = io.WriteString(ls.in, terminalAnswer)
	}
	if err != nil {
		client.Close()
		return nil, err
	}
	go func() {
		defer close(ls.frames)
		buf := make([]byte, 64<<10)
		for {
			n, err := out.Read(buf)
			if n > 0 {
				select {
				case ls.frames <- time.Now():
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return ls, nil
}

// drawn waits for the first screen, then for quiet.
func (ls *loadSession) drawn() error {
	select {
	case <-ls.frames:
	case <-time.After(20 * time.Second):
		return fmt.Errorf("no output")
	}
	return ls.settle(settleQuiet)
}

// settle waits for quiet time without output.
func (ls *loadSession) settle(quiet time.Duration) error {
	for {
		select {
		case _, ok := <-ls.frames:
			if !ok {
				return fmt.Errorf("the session ended")
			}
		case <-time.After(quiet):
			return nil
		}
	}
}

// press writes key and returns the time to the first output after it.
func (ls *loadSession) press(key string) (time.Duration, error) {
	start := time.Now()
	if _, err := io.WriteString(ls.in, key); err != nil {
		return 0, err
	}
	select {
	case at, ok := <-ls.frames:
		if !ok {
			return 0, fmt.Errorf("the session ended")
		}
		return at.Sub(start), nil
	case <-time.After(10 * time.Second):
		return 0, fmt.Errorf("no frame after %q", key)
	}
}

// rssBytes reads the resident set size of process pid.
func rssBytes(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// BenchmarkServe100Sessions runs `b24org --demo serve` as a process and
// opens 100 PTY sessions at once; each moves the people cursor 50 times
// (j, k, j...). Reported: p50 and p99 keystroke-to-frame latency (from
// writing a key to reading the first output after it), and the server's
// resident memory growth per open session.
func BenchmarkServe100Sessions(b *testing.B) {
	requireTools(b, "ssh-keygen")
	var latencies []time.Duration
	var perSession []float64
	for range b.N {
		b.StopTimer()
		srv := startServeProcess(b, b.TempDir(), "--allow-anyone", "--per-ip-per-minute", "0",
			"--max-sessions", strconv.Itoa(2*loadSessions))
		time.Sleep(settleQuiet)
		before, err := rssBytes(srv.cmd.Process.Pid)
		require.NoError(b, err)
		key := newTestSigner(b)

		sessions := make([]*loadSession, loadSessions)
		errs := make(chan error, loadSessions)
		var wg sync.WaitGroup
		for i := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ls, err := openLoadSession(srv.addr, key)
				if err == nil {
					sessions[i] = ls
					err = ls.drawn()
				}
				if err == nil {
					if _, err = ls.press("\t"); err == nil { // the people pane
						err = ls.settle(settleQuiet)
					}
				}
				errs <- err
			}()
		}
		wg.Wait()
		for range sessions {
			require.NoError(b, <-errs)
		}
		after, err := rssBytes(srv.cmd.Process.Pid)
		require.NoError(b, err)
		perSession = append(perSession, float64(after-before)/loadSessions)

		b.StartTimer()
		var mu sync.Mutex
		for _, ls := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				var err error
				for k := range loadKeys {
					var d time.Duration
					if d, err = ls.press([]string{"j", "k"}[k%2]); err != nil {
						break
					}
					mine = append(mine, d)
					if err = ls.settle(frameQuiet); err != nil {
						break
					}
				}
				errs <- err
				mu.Lock()
				latencies = append(latencies, mine...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		b.StopTimer()
		for range sessions {
			require.NoError(b, <-errs)
		}
		for _, ls := range sessions {
			ls.client.Close()
		}
		require.Equal(b, 0, srv.stop(b))
	}
	slices.Sort(latencies)
	at := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(at(1), "max-ms")
	var sum float64
	for _, v := range perSession {
		sum += v
	}
	b.ReportMetric(sum/float64(len(perSession))/(1<<20), "MB/session")
}

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
