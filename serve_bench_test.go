package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/b24org/b24org/internal/serve/servetest"
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
	client, err := gossh.Dial("tcp", addr, servetest.ClientConfig(key))
	if err != nil {
		return nil, err
	}
	ls := &loadSession{client: client, frames: make(chan time.Time, 64)}
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
		_, err = io.WriteString(ls.in, servetest.TerminalAnswer)
	}
	if err != nil {
		client.Close()
		return nil, err
	}
	go func() {
		defer close(ls.frames)
		buf := make([]byte, 32<<10)
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

// openLoadSessions opens n browser sessions to addr, at most atOnce at a
// time, and waits for each one's first screen; the first inPeople of them
// then go to the people pane (tab), where the cursor moves.
func openLoadSessions(addr string, key gossh.Signer, n, atOnce, inPeople int) ([]*loadSession, error) {
	sessions := make([]*loadSession, n)
	errs := make([]error, n)
	slots := make(chan struct{}, atOnce)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			ls, err := openLoadSession(addr, key)
			if err == nil {
				sessions[i] = ls
				err = ls.drawn()
			}
			if err == nil && i < inPeople {
				if _, err = ls.press("\t"); err == nil {
					err = ls.settle(settleQuiet)
				}
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	return sessions, errors.Join(errs...)
}

// closeLoadSessions closes the clients of sessions.
func closeLoadSessions(sessions []*loadSession) {
	for _, ls := range sessions {
		if ls != nil {
			ls.client.Close()
		}
	}
}

// moveCursors makes every one of sessions move the people cursor keys times
// at once (j, k, j...), each key after the last one's frame, and returns
// the keystroke-to-frame latencies.
func moveCursors(sessions []*loadSession, keys int) ([]time.Duration, error) {
	var mu sync.Mutex
	var latencies []time.Duration
	errs := make([]error, len(sessions))
	var wg sync.WaitGroup
	for i, ls := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for k := range keys {
				d, err := ls.press([]string{"j", "k"}[k%2])
				if err == nil {
					mine = append(mine, d)
					err = ls.settle(frameQuiet)
				}
				if err != nil {
					errs[i] = err
					break
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return latencies, errors.Join(errs...)
}

// reportLatencies reports the p50, p99 and largest of latencies, in ms.
func reportLatencies(b *testing.B, latencies []time.Duration) {
	slices.Sort(latencies)
	at := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(at(1), "max-ms")
}

// mean is the average of v.
func mean(v []float64) float64 {
	var sum float64
	for _, x := range v {
		sum += x
	}
	return sum / float64(len(v))
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
		sessions, err := openLoadSessions(srv.addr, servetest.NewSigner(b), loadSessions, loadSessions, loadSessions)
		require.NoError(b, err)
		after, err := rssBytes(srv.cmd.Process.Pid)
		require.NoError(b, err)
		perSession = append(perSession, float64(after-before)/loadSessions)

		b.StartTimer()
		mine, err := moveCursors(sessions, loadKeys)
		b.StopTimer()
		require.NoError(b, err)
		latencies = append(latencies, mine...)
		closeLoadSessions(sessions)
		require.Equal(b, 0, srv.stop(b))
	}
	reportLatencies(b, latencies)
	b.ReportMetric(mean(perSession)/(1<<20), "MB/session")
}

// Settings of the helpdesk benchmark: sessions open at once, how many of
// them move the cursor, how many open at a time, and how long the server
// is watched while every session is idle.
const (
	helpdeskSessions = 1000
	helpdeskMoving   = 100
	helpdeskOpening  = 50
	idleWatch        = 10 * time.Second
)

// goroutineHeader starts each goroutine's stack in a Go runtime dump.
var goroutineHeader = regexp.MustCompile(`(?m)^goroutine \d+ [^\n]*\[`)

// goroutines ends the server with SIGQUIT, on which the Go runtime prints
// every goroutine's stack (GOTRACEBACK=all), and returns how many it
// printed: the server's own, none of the clients'.
func (p *sshServerProcess) goroutines(t testing.TB) int {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGQUIT))
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not end on SIGQUIT")
	}
	return len(goroutineHeader.FindAllStringIndex(p.log.String(), -1))
}

// BenchmarkServe1000Sessions is a helpdesk on this machine: `b24org --demo
// serve` as a process of its own and 1,000 PTY browser sessions open on it
// at once (x/crypto/ssh clients in the benchmark's process), 900 idle and
// 100 moving the people cursor 50 times each (j, k, j...). Reported: p50,
// p99 and the largest keystroke-to-frame latency, as the clients see it;
// and of the server process alone, its resident memory growth (RSS,
// /proc/PID/status) per open session, its goroutines per session (counted
// in the runtime's SIGQUIT dump, less those of a server with no session),
// and the CPU it used (user and system ticks, /proc/PID/stat) over 10 s
// while every session was idle.
func BenchmarkServe1000Sessions(b *testing.B) {
	requireTools(b, "ssh-keygen")
	args := []string{"--allow-anyone", "--per-ip-per-minute", "0", "--max-sessions", strconv.Itoa(2 * helpdeskSessions)}
	env := []string{"GOTRACEBACK=all"}
	empty := startServeProcessEnv(b, b.TempDir(), env, args...)
	time.Sleep(settleQuiet)
	baseGoroutines := empty.goroutines(b)

	var latencies []time.Duration
	var memPer, goroutinesPer, idleTicks []float64
	for range b.N {
		b.StopTimer()
		srv := startServeProcessEnv(b, b.TempDir(), env, args...)
		pid := srv.cmd.Process.Pid
		time.Sleep(settleQuiet)
		before, err := rssBytes(pid)
		require.NoError(b, err)
		sessions, err := openLoadSessions(srv.addr, servetest.NewSigner(b), helpdeskSessions, helpdeskOpening, helpdeskMoving)
		b.Cleanup(func() { closeLoadSessions(sessions) })
		require.NoError(b, err)
		after, err := rssBytes(pid)
		require.NoError(b, err)
		memPer = append(memPer, float64(after-before)/helpdeskSessions)

		ticks0, err := cpuTicks(pid)
		require.NoError(b, err)
		time.Sleep(idleWatch)
		ticks1, err := cpuTicks(pid)
		require.NoError(b, err)
		idleTicks = append(idleTicks, float64(ticks1-ticks0))

		b.StartTimer()
		mine, err := moveCursors(sessions[:helpdeskMoving], loadKeys)
		b.StopTimer()
		require.NoError(b, err)
		latencies = append(latencies, mine...)
		goroutinesPer = append(goroutinesPer, float64(srv.goroutines(b)-baseGoroutines)/helpdeskSessions)
		closeLoadSessions(sessions)
	}
	reportLatencies(b, latencies)
	b.ReportMetric(mean(memPer)/(1<<20), "RSS-MB/session")
	b.ReportMetric(mean(goroutinesPer), "goroutines/session")
	b.ReportMetric(mean(idleTicks), "idle-cpu-ticks/10s")
	b.ReportMetric(mean(idleTicks)/100/idleWatch.Seconds()*100, "idle-cpu-%")
}

// cpuTicks is the user and system CPU time of process pid, in clock ticks
// (1/100 s on Linux).
func cpuTicks(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name (which may hold spaces) in parentheses.
	rest := string(data[bytes.LastIndexByte(data, ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	return utime + stime, errors.Join(err1, err2)
}

// BenchmarkServeHostileSession runs `b24org --demo serve` as a process and
// opens 10 sessions that each ask for a 65535×65535 terminal and then send
// window changes as fast as they can for 3 s (each a full repaint of the
// clamped 1000×500 screen), reading their output (read) or never reading
// it (never-read). Reported per hostile session: the server's resident
// memory growth at its peak, and its CPU use while attacked.
func BenchmarkServeHostileSession(b *testing.B) {
	requireTools(b, "ssh-keygen")
	const sessions, attack = 10, 3 * time.Second
	for _, read := range []bool{true, false} {
		name := map[bool]string{true: "read", false: "never-read"}[read]
		b.Run(name, func(b *testing.B) {
			var peakMB, cpuPct []float64
			for range b.N {
				srv := startServeProcess(b, b.TempDir(), "--allow-anyone", "--per-ip-per-minute", "0")
				pid := srv.cmd.Process.Pid
				time.Sleep(settleQuiet)
				before, err := rssBytes(pid)
				require.NoError(b, err)
				key := servetest.NewSigner(b)
				var clients []*gossh.Client
				var chans []gossh.Channel
				for range sessions {
					client, err := gossh.Dial("tcp", srv.addr, servetest.ClientConfig(key))
					require.NoError(b, err)
					ch, reqs, err := client.OpenChannel("session", nil)
					require.NoError(b, err)
					go gossh.DiscardRequests(reqs)
					_, err = ch.SendRequest("pty-req", true, servetest.PTYPayload("xterm-256color", 65535, 65535, nil))
					require.NoError(b, err)
					_, err = ch.SendRequest("shell", true, nil)
					require.NoError(b, err)
					_, err = io.WriteString(ch, servetest.TerminalAnswer)
					require.NoError(b, err)
					if read {
						go func() { _, _ = io.Copy(io.Discard, ch) }()
					}
					clients, chans = append(clients, client), append(chans, ch)
				}
				ticks0, err := cpuTicks(pid)
				require.NoError(b, err)
				b.StartTimer()
				start := time.Now()
				var wg sync.WaitGroup
				for _, ch := range chans {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; time.Since(start) < attack; i++ {
							if servetest.Resize(ch, uint32(65535-i%2), 65535) != nil {
								return
							}
						}
					}()
				}
				peak := before
				for time.Since(start) < attack {
					if rss, err := rssBytes(pid); err == nil {
						peak = max(peak, rss)
					}
					time.Sleep(50 * time.Millisecond)
				}
				wg.Wait()
				took := time.Since(start)
				b.StopTimer()
				ticks1, err := cpuTicks(pid)
				require.NoError(b, err)
				for _, c := range clients {
					c.Close()
				}
				peakMB = append(peakMB, float64(peak-before)/sessions/(1<<20))
				cpuPct = append(cpuPct, float64(ticks1-ticks0)/100/took.Seconds()/sessions*100)
				require.Equal(b, 0, srv.stop(b))
			}
			var m, c float64
			for i := range peakMB {
				m += peakMB[i]
				c += cpuPct[i]
			}
			b.ReportMetric(m/float64(len(peakMB)), "peak-MB/session")
			b.ReportMetric(c/float64(len(cpuPct)), "cpu-%/session")
		})
	}
}
