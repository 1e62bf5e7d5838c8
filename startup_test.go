package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldPortal is a fake portal on loopback behind a gate the test shuts and
// opens. While the gate is shut, requests arrive and wait in front of it:
// none reaches the portal, so none is answered; they go on when it opens.
type heldPortal struct {
	portal  *fakeportal.Portal
	webhook string

	mu     sync.Mutex
	gate   chan struct{} // closed while the gate is open
	isOpen bool

	arrived atomic.Int64 // requests that reached the gate
	passed  atomic.Int64 // requests let through to the portal
}

// startHeldPortal serves org on 127.0.0.1 behind an open gate until the test ends.
func startHeldPortal(tb testing.TB, org *fakeportal.Org) *heldPortal {
	tb.Helper()
	h := &heldPortal{portal: fakeportal.New(org, fakeportal.Options{WebhookCode: testCode, Rate: -1})}
	h.open()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	h.webhook = "http://" + ln.Addr().String() + "/rest/1/" + testCode + "/"
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() {
		h.open()
		_ = srv.Close()
	})
	return h
}

func (h *heldPortal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.arrived.Add(1)
	h.mu.Lock()
	gate := h.gate
	h.mu.Unlock()
	select {
	case <-gate:
	case <-r.Context().Done():
		return
	}
	h.passed.Add(1)
	h.portal.ServeHTTP(w, r)
}

// shut holds every request from now on, and zeroes the counters.
func (h *heldPortal) shut() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.isOpen {
		h.gate, h.isOpen = make(chan struct{}), false
	}
	h.arrived.Store(0)
	h.passed.Store(0)
}

// open lets the held requests and every later one through.
func (h *heldPortal) open() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gate == nil {
		h.gate = make(chan struct{})
	}
	if !h.isOpen {
		close(h.gate)
		h.isOpen = true
	}
}

// startTUI runs the binary with args in a new tmux server, in a 120×40
// window, its stderr going to the file it returns.
func startTUI(t *testing.T, e *runEnv, args ...string) (*tmux, string) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed by this test: install it (apt-get install tmux)")
	}
	dir := t.TempDir()
	stderr := filepath.Join(dir, "stderr")
	x := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock"),
		env: append(slices.Clone(e.vars), "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8")}
	x.must(append([]string{"-f", "/dev/null", "new-session", "-d", "-s", "tui", "-x", "120", "-y", "40", "-c", e.home,
		"sh", "-c", `exec "$@" 2>"` + stderr + `"`, "sh", testBinaryPath}, args...)...)
	t.Cleanup(func() { _, _ = x.run("kill-server") })
	return x, stderr
}

// quit presses q and waits for the program (and its tmux session) to end.
func (x *tmux) quit() {
	x.t.Helper()
	x.keys("q")
	waitFor(x.t, "the program to quit", func() bool {
		_, err := x.run("has-session", "-t", "tui")
		return err != nil
	})
}

// waitFor polls ok until it says yes; the long limit only stops a hung run.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(40 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("waited in vain for %s", what)
}

// completeCache reports whether the cache of d holds the whole directory;
// d must be new (a Directory takes the cache only while it knows nothing).
func completeCache(d *directory.Directory) bool {
	ok, err := d.LoadCache()
	return err == nil && ok && d.Snapshot().Complete()
}

// cacheReader is a Directory that reads the cache of the portal behind
// webhook in dir (and never asks the portal).
func cacheReader(t *testing.T, dir, webhook string) *directory.Directory {
	t.Helper()
	client, err := api.New(api.Config{WebhookURL: webhook})
	require.NoError(t, err)
	return directory.New(client, directory.Options{CacheDir: dir})
}

// treeTop returns the name of the org's root department and of its children.
func treeTop(org *fakeportal.Org) (root string, children []string) {
	rootID := 0
	for _, d := range org.Departments {
		if d.Parent == 0 {
			root, rootID = d.Name, d.ID
			break
		}
	}
	for _, d := range org.Departments {
		if d.Parent == rootID && d.ID != rootID {
			children = append(children, d.Name)
		}
	}
	return root, children
}

// TestStartupDrawsFromCacheBeforePortal is issue 4's acceptance: the second
// start draws the tree and people from the cache before the portal has
// answered anything. The portal (the demo company, behind --webhook) holds
// every request of the second start until the screen is checked.
func TestStartupDrawsFromCacheBeforePortal(t *testing.T) {
	org := fakeportal.Demo(time.Now(), false)
	root, children := treeTop(org)
	require.NotEmpty(t, children)
	h := startHeldPortal(t, org)
	e := newRunEnv(t)
	cacheDir := t.TempDir()
	args := []string{"--webhook", h.webhook, "--cache-dir", cacheDir}

	// First start, no cache: the portal answers, the background load
	// leaves the whole directory in the cache.
	x, stderr := startTUI(t, e, args...)
	s := x.waitScreen("the tree and a person", func(s string) bool {
		return strings.Contains(s, root) && detailName(s) != ""
	})
	person := detailName(s)
	waitFor(t, "a complete cache", func() bool { return completeCache(cacheReader(t, cacheDir, h.webhook)) })
	x.quit()
	requireNoStderr(t, stderr)

	// Second start: the portal holds every request.
	h.shut()
	x, stderr = startTUI(t, e, args...)
	x.waitScreen("the tree and the same person, from the cache", func(s string) bool {
		for _, c := range children {
			if !strings.Contains(s, c) {
				return false
			}
		}
		return strings.Contains(s, root) && detailName(s) == person
	})
	waitFor(t, "the program to ask the portal", func() bool { return h.arrived.Load() > 0 })
	require.Zero(t, h.passed.Load(), "the screen was drawn before the portal answered anything")
	s = x.screen()
	assert.Contains(t, s, root)
	assert.Equal(t, person, detailName(s))

	// The portal answers: the background load revalidates everything
	// (and writes the cache again); the cursor has not moved.
	opened := time.Now()
	h.open()
	waitFor(t, "the background load to write the cache", func() bool {
		d := cacheReader(t, cacheDir, h.webhook)
		// A revalidation confirms the tree now; the people it did not
		// ask for again keep the time of the full load (FetchedAt).
		return completeCache(d) && d.Snapshot().Confirmed().Tree.After(opened)
	})
	s = x.screen()
	assert.Contains(t, s, root)
	assert.Equal(t, person, detailName(s))
	x.quit()
	requireNoStderr(t, stderr)
}

// TestStartupDemoKeepsItsOwnCache checks the demo's cache: written by the
// first start's background load under the demo's own key, read by the next
// start (a broken one is reported and rebuilt), and never another portal's.
func TestStartupDemoKeepsItsOwnCache(t *testing.T) {
	e := newRunEnv(t)
	cacheDir := t.TempDir()
	demoReader := func(key string) *directory.Directory {
		return directory.New(nil, directory.Options{CacheDir: cacheDir, CacheKey: key})
	}
	var demo *directory.Directory
	hostile := demoReader("demo-hostile")
	root, _ := treeTop(fakeportal.Demo(time.Now(), false))

	x, stderr := startTUI(t, e, "--demo", "--cache-dir", cacheDir)
	x.waitText(root)
	waitFor(t, "a complete demo cache", func() bool {
		demo = demoReader("demo")
		return completeCache(demo)
	})
	x.quit()
	requireNoStderr(t, stderr)
	require.Greater(t, demo.Snapshot().PersonCount(), 1000)

	entries, err := os.ReadDir(cacheDir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "one file: the demo's")
	require.Equal(t, filepath.Base(demo.CachePath()), entries[0].Name())
	fi, err := entries[0].Info()
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	require.NotEqual(t, demo.CachePath(), hostile.CachePath())
	found, err := hostile.LoadCache()
	require.NoError(t, err)
	require.False(t, found, "the hostile demo has a cache of its own")
	h := startHeldPortal(t, fakeportal.Demo(time.Now(), false))
	found, err = cacheReader(t, cacheDir, h.webhook).LoadCache()
	require.NoError(t, err)
	require.False(t, found, "a real portal never sees the demo's cache")

	// The next start reads the demo's cache: a truncated one is reported
	// once, and the background load writes a good one again.
	raw, err := os.ReadFile(demo.CachePath())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(demo.CachePath(), raw[:len(raw)/2], 0o600))
	x, stderr = startTUI(t, e, "--demo", "--cache-dir", cacheDir)
	x.waitText(root)
	waitFor(t, "the demo cache rebuilt", func() bool {
		return completeCache(demoReader("demo"))
	})
	x.quit()
	out, err := os.ReadFile(stderr)
	require.NoError(t, err)
	assert.Contains(t, string(out), "ignoring the directory cache")
	assert.Contains(t, string(out), "truncated")
	assert.Equal(t, 1, strings.Count(string(out), "\n"), "one warning: %q", out)

	x, stderr = startTUI(t, e, "--demo", "--cache-dir", cacheDir)
	x.waitText(root)
	x.quit()
	requireNoStderr(t, stderr)
}

// TestStartupStagedCache checks LoadCacheStaged: the first part holds the
// tree, every head count and the root departments' people as the whole
// cache has them; rest installs the whole cache, unless the portal has
// replaced the first part meanwhile; a broken file installs nothing.
func TestStartupStagedCache(t *testing.T) {
	h := startHeldPortal(t, testOrg(time.Now()))
	dir := t.TempDir()
	warmCache(t, h.webhook, dir)
	whole := cacheReader(t, dir, h.webhook)
	found, err := whole.LoadCache()
	require.NoError(t, err)
	require.True(t, found)
	w := whole.Snapshot()
	require.True(t, w.Complete())

	d := cacheReader(t, dir, h.webhook)
	rest, err := d.LoadCacheStaged()
	require.NoError(t, err)
	require.NotNil(t, rest)
	first := d.Snapshot()
	assert.False(t, first.Complete())
	assert.Less(t, first.PersonCount(), w.PersonCount())
	assert.Equal(t, w.Portal(), first.Portal())
	assert.Equal(t, w.FetchedAt(), first.FetchedAt())
	require.Len(t, first.Departments(), len(w.Departments()))
	for i, dep := range w.Departments() {
		assert.Equal(t, *dep, *first.Departments()[i])
		assert.Equal(t, w.HeadCount(dep.ID), first.HeadCount(dep.ID), "head count of %d", dep.ID)
	}
	for _, root := range w.Roots() {
		wp, wl := w.People(root)
		fp, fl := first.People(root)
		assert.Equal(t, wl, fl)
		require.Equal(t, len(wp), len(fp))
		for i := range wp {
			assert.Equal(t, *wp[i], *fp[i])
		}
	}

	require.NoError(t, rest())
	all := d.Snapshot()
	assert.True(t, all.Complete())
	assert.Equal(t, w.PersonCount(), all.PersonCount())
	assert.Equal(t, w.Portal(), all.Portal())
	assert.Empty(t, d.Warnings())

	// What the portal brought is never replaced by the cache.
	d = directory.New(fastClient(t, h.webhook), directory.Options{CacheDir: dir})
	rest, err = d.LoadCacheStaged()
	require.NoError(t, err)
	require.NotNil(t, rest)
	fromPortal, err := d.LoadDepartment(t.Context(), w.Roots()[0])
	require.NoError(t, err)
	require.NoError(t, rest())
	assert.Same(t, fromPortal, d.Snapshot())

	// Nor is anything a Directory knows already.
	_, err = d.LoadTree(t.Context())
	require.NoError(t, err)
	rest, err = d.LoadCacheStaged()
	require.NoError(t, err)
	assert.Nil(t, rest)

	// A broken file installs nothing and says why.
	path := whole.CachePath()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	flipped := slices.Clone(raw)
	flipped[len(flipped)-3] ^= 0x40
	for reason, data := range map[string][]byte{"truncated": raw[:len(raw)-100], "checksum": flipped} {
		require.NoError(t, os.WriteFile(path, data, 0o600))
		d = cacheReader(t, dir, h.webhook)
		rest, err = d.LoadCacheStaged()
		var ce *directory.CacheError
		require.ErrorAs(t, err, &ce, reason)
		assert.Contains(t, err.Error(), reason)
		assert.Nil(t, rest)
		assert.Empty(t, d.Snapshot().Departments())
	}
}

// requireNoStderr checks that a run printed nothing on stderr.
func requireNoStderr(t *testing.T, path string) {
	t.Helper()
	out, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Empty(t, string(out))
}

// BenchmarkFirstFrame30k is issue 4's start-up bar, whole process: from
// exec of b24org (against a warm cache of 30,000 people, and a portal that
// holds every request) until the terminal has received a frame with the
// tree and a person. The program runs in a pseudo-terminal of 120×40 that
// answers the colour and cursor queries a terminal answers. It reports
// the median and the slowest first frame. B24ORG_BENCH_BINARY names another
// build of b24org to measure instead (say, an older one, to compare).
//
//	go test -run '^$' -bench FirstFrame30k -benchtime 30x .
func BenchmarkFirstFrame30k(b *testing.B) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 30000, Departments: 1500, Seed: 1})
	for i := range org.Users {
		org.Users[i].Active = true
	}
	h := startHeldPortal(b, org)
	cacheDir := b.TempDir()
	o := warmCache(b, h.webhook, cacheDir)
	require.Equal(b, 30000, o.PersonCount())
	root := o.Roots()[0]
	people, _ := o.People(root)
	require.NotEmpty(b, people)
	want := []string{o.Department(root).Name, people[0].Name}
	h.shut()

	home := b.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_CACHE_HOME=" + home,
		"PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "LANG=C.UTF-8"}
	bin := cmp.Or(os.Getenv("B24ORG_BENCH_BINARY"), testBinaryPath) // another build, to compare
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		times = append(times, firstFrame(b, bin, env, want, "--webhook", h.webhook, "--cache-dir", cacheDir))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms/median")
	b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "ms/max")
	require.Zero(b, h.passed.Load(), "the portal answered nothing")
}

// warmCache loads the whole directory from the portal behind webhook (as
// `export` does), which writes the cache in dir, and returns it.
func warmCache(tb testing.TB, webhook, dir string) *directory.Org {
	tb.Helper()
	d := directory.New(fastClient(tb, webhook), directory.Options{CacheDir: dir})
	ctx, cancel := context.WithTimeout(tb.Context(), 5*time.Minute)
	defer cancel()
	_, err := d.LoadTree(ctx)
	require.NoError(tb, err)
	o, err := d.LoadAll(ctx, nil)
	require.NoError(tb, err)
	require.Empty(tb, d.Warnings())
	return o
}

// fastClient is a client of the portal behind webhook without rate limit.
func fastClient(tb testing.TB, webhook string) *api.Client {
	tb.Helper()
	client, err := api.New(api.Config{WebhookURL: webhook, Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(tb, err)
	return client
}

// firstFrame runs the binary in a pseudo-terminal and returns the time from
// exec until everything in want has been drawn; then it kills the program.
func firstFrame(b *testing.B, bin string, env, want []string, args ...string) time.Duration {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	start := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	require.NoError(b, err)
	hung := time.AfterFunc(time.Minute, func() { _ = cmd.Process.Kill() })
	defer func() {
		hung.Stop()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = tty.Close()
	}()
	var out bytes.Buffer
	buf := make([]byte, 64<<10)
	for {
		n, err := tty.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			answerQueries(tty, chunk)
			out.Write(chunk)
			if drawn(out.Bytes(), want) {
				return time.Since(start)
			}
		}
		if err != nil {
			b.Fatalf("no first frame (%v); the program printed %q", err, out.String())
		}
	}
}

// answerQueries answers, as a dark terminal does, the queries lipgloss
// sends to learn the background colour (OSC 11, then a cursor position
// report that every terminal answers).
func answerQueries(w io.Writer, chunk []byte) {
	if bytes.Contains(chunk, []byte("\x1b]11;?")) {
		fmt.Fprint(w, "\x1b]11;rgb:0000/0000/0000\x1b\\")
	}
	if bytes.Contains(chunk, []byte("\x1b[6n")) {
		fmt.Fprint(w, "\x1b[1;1R")
	}
}

// drawn reports whether the terminal output, without its escape
// sequences, shows every string of want.
func drawn(out []byte, want []string) bool {
	text := ansi.Strip(string(out))
	for _, s := range want {
		if !strings.Contains(text, s) {
			return false
		}
	}
	return true
}
