package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/internal/command"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// prefixOrg is the test org with extensions and phones rigged around 418:
// the IDs come back in the order find must print them.
func prefixOrg(now time.Time) (*fakeportal.Org, []int) {
	org := testOrg(now)
	for i := range org.Users {
		u := &org.Users[i]
		u.Active = true
		if strings.Contains(u.Extension, "418") {
			u.Extension = fmt.Sprintf("7%03d", i)
		}
		for _, ph := range []*string{&u.WorkPhone, &u.Mobile} {
			if strings.Contains(strings.Map(keepDigit, *ph), "418") {
				*ph = ""
			}
		}
	}
	// Given out of order on purpose: 418 first, then numeric order.
	exts := map[int]string{3: "41812", 5: "4189", 7: "418", 9: "4181", 11: "4185"}
	for i, ext := range exts {
		org.Users[i].Extension = ext
	}
	org.Users[20].Mobile = "+7 (900) 418-00-11" // a phone holding the digits
	org.Users[21].WorkPhone = "+1 555 041 8000"
	order := []int{org.Users[7].ID, org.Users[9].ID, org.Users[11].ID, org.Users[5].ID, org.Users[3].ID}
	a, b := org.Users[20], org.Users[21]
	if strings.ToLower(b.LastName+b.FirstName) < strings.ToLower(a.LastName+a.FirstName) {
		a, b = b, a
	}
	return org, append(order, a.ID, b.ID)
}

func keepDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

func ids(people []command.Person) []int {
	out := make([]int, len(people))
	for i, p := range people {
		out[i] = p.ID
	}
	return out
}

func matches(people []command.Person) []string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = p.Match
	}
	return out
}

func TestFindPrefixWithAColdCacheIsComplete(t *testing.T) {
	now := time.Now()
	org, want := prefixOrg(now)
	p := startPortal(t, org, fakeportal.Options{})
	e := newRunEnv(t)

	r := e.run(t, "--webhook", p.WebhookURL(), "find", "--json", "418")
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr, "a complete answer says nothing")
	people := decodePeople(t, r.stdout)
	assert.Equal(t, want, ids(people), "exact, then the prefix in numeric order, then phones")
	assert.Equal(t, []string{"extension", "extension_prefix", "extension_prefix", "extension_prefix", "extension_prefix", "phone", "phone"},
		matches(people))
	assert.LessOrEqual(t, p.Total(), int64(7), "the whole directory is a few requests")

	// The cache is complete now: the table answers alone, and labels each match.
	before := p.Total()
	r = e.run(t, "--webhook", p.WebhookURL(), "find", "418")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, before, p.Total(), "a complete cache answers alone")
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	require.Len(t, lines, 1+len(want))
	assert.Regexp(t, `^NAME +EXT +MATCH `, lines[0])
	assert.Regexp(t, `\s418\s+ext\s`, lines[1])
	assert.Regexp(t, `\s4181\s+ext…\s`, lines[2])
	assert.Regexp(t, `\sphone\s`, lines[len(lines)-1])
}

func TestFindSaysWhatTheLimitLeftOut(t *testing.T) {
	org := testOrg(time.Now())
	for i := range 67 {
		org.Users[i].LastName = "Quorvan"
		org.Users[i].Active = true
	}
	p := startPortal(t, org, fakeportal.Options{})
	e := newRunEnv(t)
	url := p.WebhookURL()

	r := e.run(t, "--webhook", url, "find", "--json", "quorvan")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Len(t, decodePeople(t, r.stdout), command.DefaultFindLimit)
	assert.Equal(t, "b24org: 50 of 67 shown; --limit 0 for all\n", r.stderr)

	r = e.run(t, "--webhook", url, "find", "--json", "--limit", "0", "quorvan")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Len(t, decodePeople(t, r.stdout), 67)
	assert.Empty(t, r.stderr)

	r = e.run(t, "--webhook", url, "find", "--limit=5", "quorvan")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Len(t, strings.Split(strings.TrimRight(r.stdout, "\n"), "\n"), 6, "a title and five rows")
	assert.Equal(t, "b24org: 5 of 67 shown; --limit 0 for all\n", r.stderr)
}

// TestRefreshAndSearchKeepTheCacheComplete: after a full export, a
// --refresh find (a portal search, with its thin objects) and a search from
// a second process leave the cache complete and every field as it was.
func TestRefreshAndSearchKeepTheCacheComplete(t *testing.T) {
	now := time.Now()
	org, want := prefixOrg(now)
	p := startPortal(t, org, fakeportal.Options{})
	u := pickPerson(t, org)
	require.NotEmpty(t, u.Email)
	e := newRunEnv(t)
	url := p.WebhookURL()

	r := e.run(t, "--webhook", url, "export")
	require.Equal(t, 0, r.code, r.stderr)
	r = e.run(t, "--webhook", url, "find", "--json", "418")
	require.Equal(t, 0, r.code, r.stderr)
	before := r.stdout
	require.Equal(t, want, ids(decodePeople(t, before)))

	searches := p.Requests()["im.search.user.list"]
	r = e.run(t, "--webhook", url, "--refresh", "find", "--json", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	require.Greater(t, p.Requests()["im.search.user.list"], searches, "--refresh asks the portal about the query")
	got, ok := findByID(decodePeople(t, r.stdout), u.ID)
	require.True(t, ok, r.stdout)
	requireSamePerson(t, org, u, got, now)

	// A portal search through the directory, as the browser's search does.
	c, err := api.New(api.Config{WebhookURL: url, Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	d := directory.New(c, directory.Options{CacheDir: filepath.Join(e.cache, "b24org")})
	_, err = d.LoadCache()
	require.NoError(t, err)
	found, err := d.SearchRemote(context.Background(), u.FirstName+" "+u.LastName)
	require.NoError(t, err)
	require.NotEmpty(t, found)
	require.True(t, d.Snapshot().Complete())

	p.Close()
	r = e.run(t, "--webhook", url, "--retries", "0", "find", "--json", "418")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stderr, "the cache is still complete")
	assert.Equal(t, before, r.stdout, "the same list as before")
	r = e.run(t, "--webhook", url, "--retries", "0", "find", "--json", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	got, ok = findByID(decodePeople(t, r.stdout), u.ID)
	require.True(t, ok, r.stdout)
	requireSamePerson(t, org, u, got, now) // e-mail, formatted phones, active, last seen
}

// TestFindExitCodes covers every outcome of find: found, no one, a usage
// error, a portal that cannot be reached (with and without a cache).
func TestFindExitCodes(t *testing.T) {
	org := testOrg(time.Now())
	p := startPortal(t, org, fakeportal.Options{})
	u := pickPerson(t, org)
	e := newRunEnv(t)
	url := p.WebhookURL()

	// A partial cache: the tree and one department, as a browser that
	// never finished its load leaves it.
	c, err := api.New(api.Config{WebhookURL: url, Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	d := directory.New(c, directory.Options{CacheDir: filepath.Join(e.cache, "b24org")})
	_, err = d.LoadTree(context.Background())
	require.NoError(t, err)
	_, err = d.LoadDepartment(context.Background(), u.Departments[0])
	require.NoError(t, err)
	require.NoError(t, d.SaveCache())
	known := d.Snapshot().PersonCount()
	active := 0
	for _, u := range org.Users {
		if u.Active {
			active++
		}
	}
	require.Less(t, known, active)

	r := e.run(t, "--webhook", url, "find", "")
	requireOneErrorLine(t, r)
	assert.Contains(t, r.stderr, "find needs a query")
	r = e.run(t, "--webhook", url, "find", "\x1b[2J\x07")
	requireOneErrorLine(t, r)
	assert.Contains(t, r.stderr, "find needs a query", "a query of control characters only is no query")
	r = e.run(t, "--webhook", url, "find", "--jsno", "anna")
	requireOneErrorLine(t, r)
	assert.Contains(t, r.stderr, "(see b24org find --help)")
	r = e.run(t, "--webhook", url, "find", "--limit", "-1", "anna")
	requireOneErrorLine(t, r)

	// The portal is down: the partial cache answers, and says so once.
	p.Close()
	partial := regexp.MustCompile(`^b24org: partial: answered from a cache that holds ` + fmt.Sprint(known) +
		` of ~` + lang.English().Thousands(active) + ` people \(the portal did not answer: .*\); run b24org export\n`)
	r = e.run(t, "--webhook", url, "--retries", "0", "find", "--json", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, partial, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"))
	_, ok := findByID(decodePeople(t, r.stdout), u.ID)
	assert.True(t, ok)

	r = e.run(t, "--webhook", url, "--retries", "0", "find", "zzzznobody")
	require.Equal(t, 1, r.code, r.stderr)
	assert.Regexp(t, partial, r.stderr)
	assert.Contains(t, r.stderr, `no one matches "zzzznobody"`)

	r = e.run(t, "--webhook", url, "--retries", "0", "find", u.LastName+"\x1b[2J")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, fmt.Sprintf("the query held control characters; looking for %q", u.LastName))

	// No cache and no portal: nothing to answer from.
	r = newRunEnv(t).run(t, "--webhook", url, "--retries", "0", "find", u.LastName)
	requireOneErrorLine(t, r)
}

// TestFindFitsTheTerminal: in an 80-column terminal (tmux) the table fits,
// no row wraps; into a pipe the same rows come whole.
func TestFindFitsTheTerminal(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed by this test: install it (apt-get install tmux)")
	}
	e := newRunEnv(t)
	piped := e.run(t, "--demo", "find", "--limit", "8", "an")
	require.Equal(t, 0, piped.code, piped.stderr)
	widest := 0
	for _, l := range strings.Split(strings.TrimRight(piped.stdout, "\n"), "\n") {
		widest = max(widest, safetext.Width(l))
	}
	require.Greater(t, widest, 80, "the piped rows are whole, wider than the terminal below")
	assert.NotContains(t, piped.stdout, "…", "nothing is cut in a pipe")

	dir := t.TempDir()
	x := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock"), env: append(e.vars[:len(e.vars):len(e.vars)], "LANG=C.UTF-8", "LC_ALL=C.UTF-8")}
	x.must("-f", "/dev/null", "new-session", "-d", "-s", "tui", "-x", "80", "-y", "24",
		"sh", "-c", testBinaryPath+" --demo find --limit 8 an; echo FIND-DONE; sleep 60")
	t.Cleanup(func() { _, _ = x.run("kill-server") })
	x.waitText("FIND-DONE")
	joined := x.must("capture-pane", "-p", "-J", "-t", "tui") // wrapped rows joined back: a wrap shows as a long line
	rows := 0
	for _, l := range strings.Split(joined, "\n") {
		if strings.TrimSpace(l) == "" || strings.Contains(l, "FIND-DONE") {
			continue
		}
		rows++
		assert.LessOrEqual(t, safetext.Width(strings.TrimRight(l, " ")), 80, "row %q", l)
	}
	assert.GreaterOrEqual(t, rows, 9, "a title and eight people: %s", joined)
	assert.Regexp(t, `(?m)^NAME +EXT +MATCH +POSITION`, joined)
}

// TestAnOldCacheIsRebuiltWithOneWarning: a cache file of the previous
// format is ignored with one line and rebuilt complete by the next find.
func TestAnOldCacheIsRebuiltWithOneWarning(t *testing.T) {
	org := testOrg(time.Now())
	p := startPortal(t, org, fakeportal.Options{})
	u := pickPerson(t, org)
	e := newRunEnv(t)
	url := p.WebhookURL()
	r := e.run(t, "--webhook", url, "export")
	require.Equal(t, 0, r.code, r.stderr)
	files, err := filepath.Glob(filepath.Join(e.cache, "b24org", "*.cache"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	binary.LittleEndian.PutUint32(data[len("b24orgC\n"):], 3) // the previous format's version
	require.NoError(t, os.WriteFile(files[0], data, 0o600))

	r = e.run(t, "--webhook", url, "find", "--json", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `^b24org: ignoring the directory cache: cache file .* has format version 3, not [0-9]+; it will be rebuilt\n$`, r.stderr)
	r = e.run(t, "--webhook", url, "find", "--json", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stderr, "rebuilt")
	p.Close()
	r = e.run(t, "--webhook", url, "--retries", "0", "find", "--json", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stderr, "rebuilt complete: no portal needed")
}
