package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func smallOrg() *directory.Org { return directory.NewOrg(orgData(smallPortalOrg())) }

func rowIDs(t *tree) []int { return idsOf(t.rows, func(r treeRow) int { return r.id }) }

// idsOf is the ID of each of xs, in order.
func idsOf[T any](xs []T, id func(T) int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func TestTreeNavigation(t *testing.T) {
	h := loaded(t, smallOrg())
	m := h.m
	assert.Equal(t, 1, m.tree.sel, "the first root is highlighted")
	assert.Equal(t, []int{1, 2, 4, 5}, rowIDs(&m.tree), "roots start expanded, in display order")

	h.keys("down")
	assert.Equal(t, 2, m.tree.sel)
	h.keys("right")
	assert.Equal(t, []int{1, 2, 3, 4, 5}, rowIDs(&m.tree), "right expands")
	assert.Equal(t, 2, m.tree.sel, "expanding does not move")
	h.keys("right")
	assert.Equal(t, 3, m.tree.sel, "right on an expanded node goes to its first child")
	h.keys("left")
	assert.Equal(t, 2, m.tree.sel, "left on a leaf goes to the parent")
	h.keys("left")
	assert.Equal(t, []int{1, 2, 4, 5}, rowIDs(&m.tree), "left collapses")
	h.keys("j", "j")
	assert.Equal(t, 5, m.tree.sel, "vim keys move")
	h.keys("k")
	assert.Equal(t, 4, m.tree.sel)
	h.keys("g")
	assert.Equal(t, 1, m.tree.sel)
	h.keys("G")
	assert.Equal(t, 5, m.tree.sel)
	h.keys("home", "pgdown")
	assert.Equal(t, 5, m.tree.sel, "page down stops at the end")
	h.keys("up", "up", "up", "up", "up")
	assert.Equal(t, 1, m.tree.sel, "up stops at the top")

	v := h.view()
	assert.Contains(t, v, "▾ Acme Corp")
	assert.Contains(t, v, "▸ Sales")
	assert.Regexp(t, `Acme Corp +6`, v, "head count of the whole subtree")
	assert.Regexp(t, `Sales +5`, v)
}

func TestPeoplePaneAndDetails(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("EMEA")
	m := h.m
	ids := []int{}
	for _, p := range m.people.list {
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []int{30, 32, 40, 31}, ids, "head first, then by last name")
	assert.Equal(t, 30, m.people.sel)

	v := h.view()
	assert.Contains(t, v, "EMEA · 4 people")
	assert.Contains(t, v, "Acme Corp › Sales › EMEA", "breadcrumb")
	assert.Contains(t, v, "● 1 online  ✈ 1 absent  ○ 2 offline", "summary")
	assert.Regexp(t, `○ offline +Dora Müller ★ +Account Manager +ext 1042 +seen 3h ago`, v)
	assert.Regexp(t, `● online +Eve Adams`, v)
	assert.Regexp(t, `✈ absent +伟 陈 .*→ 20 Jun · online`, v)
	assert.Contains(t, v, "never seen")
	assert.Contains(t, v, "Dora Müller ★ head of EMEA", "details")
	assert.Contains(t, v, "+1 555 0100")
	assert.Contains(t, v, "dora@acme.example")

	h.keys("tab")
	assert.Equal(t, panePeople, m.focus)
	h.keys("down")
	assert.Equal(t, 32, m.people.sel)
	h.keys("end", "up")
	assert.Equal(t, 40, m.people.sel)
	v = h.view()
	assert.Contains(t, v, "Acme Corp › R&D", "every department path of the person")
	assert.Contains(t, v, "Acme Corp › Sales › EMEA")
	h.keys("left")
	assert.Equal(t, paneTree, m.focus, "left in the people pane goes back to the tree")
	h.keys("tab", "esc")
	assert.Equal(t, paneTree, m.focus, "esc goes back to the tree")

	h.selectDept("Empty")
	assert.Contains(t, h.view(), "no people in this department")
}

func TestIdleBadge(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("Sales")
	assert.Regexp(t, `◐ idle +Борис Иванов ★ +Team Lead +ext 1043 +idle 9m`, h.view())
}

// isQuit runs cmd and reports whether it asks the program to quit.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if isQuit(c) {
				return true
			}
		}
	}
	return false
}

func TestEscNeverQuits(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("EMEA")
	for _, open := range [][]string{nil, {"?"}, {"/"}, {"Y"}, {"tab"}, {"/", "d", "o"}} {
		h.keys(open...)
		for i := 0; i < 3; i++ {
			_, cmd := h.m.Update(keyMsg("esc"))
			require.False(t, isQuit(cmd), "esc after %v", open)
		}
		require.Equal(t, modeNormal, h.m.mode, "esc goes back to the browser after %v", open)
	}
}

func TestQuitKeys(t *testing.T) {
	h := loaded(t, smallOrg())
	_, cmd := h.m.Update(keyMsg("q"))
	assert.True(t, isQuit(cmd), "q quits the browser")

	h = loaded(t, smallOrg())
	h.keys("/")
	_, cmd = h.m.Update(keyMsg("q"))
	assert.False(t, isQuit(cmd), "q is text in the search")
	assert.Equal(t, "q", h.m.search.input.value())
	_, cmd = h.m.Update(keyMsg("ctrl+c"))
	assert.True(t, isQuit(cmd), "ctrl+c quits from anywhere")

	h = loaded(t, smallOrg())
	h.keys("?")
	_, cmd = h.m.Update(keyMsg("q"))
	assert.True(t, isQuit(cmd), "q quits from the help")
}

func TestHelpToggle(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("?")
	require.Equal(t, modeHelp, h.m.mode)
	v := h.view()
	for _, b := range h.m.keys.FullHelp() {
		for _, k := range b {
			assert.Contains(t, v, k.Help().Desc, "help lists every binding")
		}
	}
	assert.Contains(t, v, "pgdown/ctrl+f")
	h.keys("?")
	assert.Equal(t, modeNormal, h.m.mode, "? closes the help")
	h.keys("?", "esc")
	assert.Equal(t, modeNormal, h.m.mode, "esc closes the help")

	// Rebinding shows in the help and the footer.
	km := DefaultKeyMap()
	require.NoError(t, km.Rebind(map[string][]string{"search": {"s", "/"}}))
	h = newHarness(t, Options{Keys: km})
	h.send(orgMsg{org: smallOrg()})
	assert.Contains(t, h.view(), "s,/ search", "the footer is generated from the key map")
	h.keys("s")
	assert.Equal(t, modeSearch, h.m.mode, "the rebound key works")
}

func TestCopy(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("EMEA")
	h.keys("y")
	assert.Equal(t, []string{"1042"}, h.copied, "y copies the extension")
	assert.Contains(t, h.view(), "sent extension 1042 to the clipboard (OSC52)", "a toast says what was sent, not that it arrived")
	h.fire()
	assert.NotContains(t, h.view(), "sent extension", "the toast goes away")

	h.keys("Y")
	require.Equal(t, modeCopy, h.m.mode)
	assert.Contains(t, h.view(), "[e]-mail")
	h.keys("enter")
	assert.Equal(t, "dora@acme.example", h.copied[len(h.copied)-1], "enter copies the highlighted entry")
	h.keys("Y", "m")
	assert.Equal(t, "+1 555 0100", h.copied[len(h.copied)-1], "m copies the mobile")
	h.keys("Y", "right", "right", "right", "enter")
	assert.Equal(t, "Dora Müller", h.copied[len(h.copied)-1], "the menu moves")
	n := len(h.copied)
	h.keys("Y", "esc")
	assert.Len(t, h.copied, n, "esc copies nothing")
	assert.Equal(t, modeNormal, h.m.mode)

	h.keys("tab", "end", "Y", "e")
	assert.Len(t, h.copied, n, "nothing to copy: no e-mail")
	assert.Contains(t, h.view(), "no e-mail to copy")
}

func TestSearchLocal(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("/")
	require.Equal(t, modeSearch, h.m.mode)
	h.typeText("boris")
	require.NotEmpty(t, h.m.search.results, "a Cyrillic name typed in Latin")
	assert.Equal(t, 20, h.m.search.results[0].ID)
	assert.False(t, h.m.search.remote)
	assert.Empty(t, h.timers, "a local search does not wait")
	v := h.view()
	assert.Regexp(t, `◐ idle +Борис Иванов +Acme Corp › Sales +Team Lead +ext 1043`, v, "badge, name, department path, position, extension")
	h.keys("enter")
	assert.Equal(t, modeNormal, h.m.mode)
	assert.Equal(t, 2, h.m.tree.sel)
	assert.Equal(t, 20, h.m.people.sel)
	assert.Equal(t, panePeople, h.m.focus)

	h.keys("/")
	h.typeText("1042")
	require.NotEmpty(t, h.m.search.results, "by extension")
	assert.Equal(t, 30, h.m.search.results[0].ID)
	h.keys("enter")
	assert.Equal(t, 3, h.m.tree.sel, "the jump expands the ancestors and selects the department")
	assert.Equal(t, 30, h.m.people.sel)
	assert.Contains(t, rowIDs(&h.m.tree), 3)

	h.keys("/")
	h.typeText("muller")
	require.NotEmpty(t, h.m.search.results, "diacritics-blind")
	assert.Equal(t, 30, h.m.search.results[0].ID)
	h.keys("esc")

	h.keys("/")
	h.typeText("zzzz")
	assert.Contains(t, h.view(), "no matches")
	h.keys("backspace", "backspace", "backspace", "backspace")
	assert.Equal(t, []int{30, 20}, peopleIDs(h.m.search.results), "an empty query lists the recent lookups")
	h.keys("esc")
	assert.Equal(t, modeNormal, h.m.mode)
	assert.Equal(t, 30, h.m.people.sel, "esc leaves the selection alone")
}

func TestSearchKeepsPersonAcrossDepartments(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("/")
	h.typeText("frank")
	require.NotEmpty(t, h.m.search.results)
	h.keys("enter")
	assert.Equal(t, 4, h.m.tree.sel, "the person's first department")
	assert.Equal(t, 40, h.m.people.sel)
}

func TestStaleReplyIsDropped(t *testing.T) {
	// Nothing of EMEA or R&D is loaded yet.
	data := orgData(smallPortalOrg())
	data.Complete, data.Loaded = false, []int{1, 2}
	h := loaded(t, directory.NewOrg(data))
	h.selectDept("EMEA")
	emeaSeq := h.m.deptSeq
	assert.False(t, h.m.people.loaded)
	assert.Contains(t, h.view(), "loading people…")
	h.keys("down") // R&D
	require.Equal(t, 4, h.m.tree.sel)

	// The reply for EMEA arrives after the user left it: its failure is
	// for a department no longer on screen. (A reply carries no people:
	// what a load brought arrives as the directory's snapshot.)
	h.send(peopleLoadedMsg{dept: 3, seq: emeaSeq, err: errors.New("STALE failure")})
	v := h.view()
	assert.NotContains(t, v, "STALE", "a reply for a department the user left is never drawn")
	assert.Empty(t, h.m.peopleErr)
	assert.False(t, h.m.people.loaded)

	// A reply for the right department but an old visit is dropped too.
	h.keys("up", "down")
	h.send(peopleLoadedMsg{dept: 4, seq: emeaSeq + 1, err: errors.New("STALE failure")})
	assert.NotContains(t, h.view(), "STALE")

	fresh := orgData(smallPortalOrg())
	h.send(orgMsg{org: directory.NewOrg(fresh)})
	h.send(peopleLoadedMsg{dept: 4, seq: h.m.deptSeq})
	assert.True(t, h.m.people.loaded)
	assert.Contains(t, h.view(), "Frank Zeller")
}

func TestErrorKeepsStaleData(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("EMEA")
	h.send(peopleLoadedMsg{dept: 3, seq: h.m.deptSeq, err: assert.AnError})
	v := h.view()
	assert.Contains(t, v, "people did not load", "one line says what failed")
	assert.Contains(t, v, "e details · r retry")
	assert.Contains(t, v, "Dora Müller", "stale data stays visible")
	assert.Equal(t, 1, strings.Count(v, "r retry"))
}

func TestMouse(t *testing.T) {
	h := loaded(t, smallOrg())
	L := h.m.layout()
	// Row 2 of the tree (Sales) is at inner y 1.
	h.send(tea.MouseMsg{X: L.tree.x + 5, Y: L.tree.y + 2, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	assert.Equal(t, 2, h.m.tree.sel, "a click selects a department")
	assert.Equal(t, paneTree, h.m.focus)
	h.send(tea.MouseMsg{X: L.tree.x + 5, Y: L.tree.y + 2, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	assert.True(t, h.m.tree.expanded[2], "a click on the highlighted department expands it")
	h.send(tea.MouseMsg{X: L.tree.x + 5, Y: L.tree.y + 2, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelDown})
	assert.Equal(t, 3, h.m.tree.sel, "the wheel scrolls")

	h.send(tea.MouseMsg{X: L.people.x + 10, Y: L.people.y + 3, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	assert.Equal(t, panePeople, h.m.focus, "a click selects in the people pane")
	assert.Equal(t, h.m.people.list[2].ID, h.m.people.sel)
	h.send(tea.MouseMsg{X: L.people.x + 10, Y: L.people.y + 3, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelUp})
	assert.Equal(t, h.m.people.list[1].ID, h.m.people.sel)
	h.send(tea.MouseMsg{X: L.people.x + 10, Y: L.people.y + 3, Action: tea.MouseActionRelease, Button: tea.MouseButtonLeft})
	assert.Equal(t, h.m.people.list[1].ID, h.m.people.sel, "releases do nothing")
}

func TestNarrowLayouts(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("EMEA")
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	L := h.m.layout()
	assert.Equal(t, L.tree.y, L.people.y, "side by side from 100 columns")

	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	L = h.m.layout()
	assert.Greater(t, L.people.y, L.tree.y, "stacked below 100 columns")
	v := h.view()
	assert.Contains(t, v, "Departments")
	assert.Contains(t, v, "EMEA · 4 people")

	h.send(tea.WindowSizeMsg{Width: 50, Height: 20})
	L = h.m.layout()
	assert.True(t, L.single, "one pane below 60 columns")
	v = h.view()
	assert.Contains(t, v, "Departments · tab: people")
	assert.NotContains(t, v, "Dora Müller")
	h.keys("tab")
	v = h.view()
	assert.Contains(t, v, "EMEA · 4 people · tab: tree")
	assert.Contains(t, v, "Dora Müller")
}

func TestBeforeFirstSize(t *testing.T) {
	m := New(Options{Renderer: asciiRenderer(), Now: fixedNow})
	assert.Empty(t, m.View(), "nothing to draw at 0×0")
	m.Update(orgMsg{org: smallOrg()})
	assert.Empty(t, m.View())
	m.Update(tea.WindowSizeMsg{Width: 30, Height: 6})
	assert.NotEmpty(t, m.View())
}

func TestRebind(t *testing.T) {
	km := DefaultKeyMap()
	require.NoError(t, km.Rebind(map[string][]string{"down": {"n"}, "Quit": {"x"}}))
	assert.Equal(t, []string{"n"}, km.Down.Keys())
	assert.Equal(t, "n", km.Down.Help().Key)
	assert.Equal(t, []string{"x"}, km.Quit.Keys())

	err := km.Rebind(map[string][]string{"jump": {"J"}, "down": {"j"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"jump"`)
	assert.Contains(t, err.Error(), "up, down, left, right, pageup, pagedown, home, end, tab, enter, back, search, copy, copymenu, refresh, errors, help, quit")
	assert.Equal(t, []string{"n"}, km.Down.Keys(), "nothing changes on error")

	err = km.Rebind(map[string][]string{"up": {}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"up"`)
}

// --- against the fake portal ---

func TestLoadingFromThePortal(t *testing.T) {
	_, dir := startPortal(t, smallPortalOrg())
	h := newHarness(t, Options{Directory: dir})
	assert.Contains(t, h.view(), "loading departments…", "nothing is known yet")
	h.init()
	m := h.m
	require.Equal(t, 1, m.tree.sel, "the tree loaded")
	require.True(t, m.people.loaded, "the first department's people loaded at once")
	assert.Contains(t, h.view(), "Anna Johnson")
	assert.False(t, m.busy())

	h.timers = nil
	h.keys("down", "right", "down") // Sales, expand, EMEA
	require.Equal(t, 3, m.tree.sel)
	assert.True(t, m.deptWaiting, "a load waits for the cursor to rest")
	assert.Contains(t, h.view(), "loading people…")
	h.fire()
	assert.True(t, m.people.loaded)
	assert.False(t, m.deptWaiting)
	assert.Contains(t, h.view(), "Dora Müller ★ head of EMEA")
	assert.Contains(t, h.view(), "✈ absent")
}

func TestStaleReplyFromThePortal(t *testing.T) {
	_, dir := startPortal(t, smallPortalOrg())
	h := newHarness(t, Options{Directory: dir})
	h.init()
	h.timers = nil
	h.keys("down") // Sales: its load is held
	salesSeq := h.m.deptSeq
	salesLoad := h.m.loadPeopleCmd(2, salesSeq, 0)
	h.keys("down") // R&D
	reply := salesLoad()
	h.send(reply)
	assert.Equal(t, 4, h.m.tree.sel)
	assert.False(t, h.m.people.loaded, "the Sales reply does not fill R&D")
	assert.NotContains(t, h.view(), "Борис", "nor is it drawn")
	h.fire() // both idle timers: only the newest one loads
	assert.True(t, h.m.people.loaded)
	assert.Contains(t, h.view(), "Frank Zeller")
}

func TestRefreshAndBackground(t *testing.T) {
	p, dir := startPortal(t, smallPortalOrg())
	h := newHarness(t, Options{Directory: dir, Background: true})
	h.init()
	assert.True(t, h.m.org.Complete(), "the background load fills everything")
	assert.False(t, h.m.bg.running)

	// The presence refresh reloads the visible department through the
	// shared directory, which reuses a load of a moment ago (a minute
	// later it asks the portal: see the directory's tests).
	before := p.Requests()
	h.send(refreshMsg{})
	assert.Equal(t, before, p.Requests(), "the department loaded a moment ago is reused")
	assert.False(t, h.m.deptWaiting)
	var again int
	for _, msg := range h.timers {
		if _, ok := msg.(refreshMsg); ok {
			again++
		}
	}
	assert.Positive(t, again, "the refresh timer is re-armed")

	// r reloads the tree (department.get, then the member lists in a batch)
	// and the department's people (a batch) from the portal; the new tree
	// restarts the background load.
	before = p.Requests()
	h.keys("r")
	after := p.Requests()
	assert.Equal(t, before["department.get"]+1, after["department.get"], "%v", after)
	assert.GreaterOrEqual(t, after["batch"], before["batch"]+2, "%v", after)
	assert.False(t, h.m.busy())
}

// A second session over a shared directory that has the tree and the first
// department: it draws them at once, asking the portal nothing.
func TestSecondSessionAsksNothing(t *testing.T) {
	p, dir := startPortal(t, smallPortalOrg())
	first := newHarness(t, Options{Directory: dir})
	first.init()
	require.True(t, first.m.people.loaded)
	before := p.Total()

	h := newHarness(t, Options{Directory: dir})
	cmd := h.m.Init()
	assert.False(t, h.m.busy(), "nothing to wait for")
	assert.Contains(t, h.view(), "Anna Johnson", "drawn at once")
	h.run(cmd)
	assert.Equal(t, before, p.Total(), "%v", p.Requests())
}

// searchWhileLoading is a browser on the small portal whose directory is
// still loading, its search open, no timer waiting.
func searchWhileLoading(t *testing.T) *harness {
	t.Helper()
	_, dir := startPortal(t, smallPortalOrg())
	h := newHarness(t, Options{Directory: dir})
	h.init()
	require.False(t, h.m.org.Complete())
	h.timers = nil
	h.keys("/")
	return h
}

func TestSearchRemote(t *testing.T) {
	h := searchWhileLoading(t)
	assert.Contains(t, h.view(), "asks the portal")
	h.typeText("dor")
	assert.True(t, h.m.search.pending)
	assert.Contains(t, h.view(), "searching the portal…", "the search view says it asks the portal")
	require.Len(t, h.timers, 3, "every keystroke restarts the wait")
	h.typeText("a")
	h.fire() // three stale timers and the current one: one request
	require.False(t, h.m.search.pending)
	require.NotEmpty(t, h.m.search.results)
	assert.Equal(t, 30, h.m.search.results[0].ID)
	assert.True(t, h.m.search.remote)
	assert.Contains(t, h.view(), "from the portal")
	assert.Regexp(t, `○ offline +Dora Müller +Acme Corp › Sales › EMEA +Account Manager +ext 1042`, h.view(),
		"a portal result's row has its columns too")

	// An answer to an older query is dropped.
	h.send(searchResultsMsg{seq: h.m.search.seq - 1, people: nil})
	assert.NotEmpty(t, h.m.search.results)

	h.keys("enter")
	assert.Equal(t, 3, h.m.tree.sel, "the jump works from a portal result")
	assert.Equal(t, 30, h.m.people.sel)
	assert.True(t, h.m.people.loaded, "the department loads at once after a jump")
	assert.Contains(t, h.view(), "Dora Müller ★ head of EMEA")
}

func TestStartFromCacheKeepsCursor(t *testing.T) {
	p, err := fakeportal.Start(smallPortalOrg(), fakeportal.Options{Rate: -1, Now: fixedNow})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	cacheDir := t.TempDir()
	_, err = directory.New(c, directory.Options{CacheDir: cacheDir}).LoadAll(context.Background(), nil)
	require.NoError(t, err)

	// A new run: the cache is drawn before anything answers.
	dir := directory.New(c, directory.Options{CacheDir: cacheDir})
	ok, err := dir.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	h := newHarness(t, Options{Directory: dir})
	revalidate := h.m.Init()
	assert.Contains(t, h.view(), "Anna Johnson", "the cached directory shows at once")
	assert.NotContains(t, h.view(), "no departments")
	h.keys("down", "down") // R&D, third row
	require.Equal(t, 4, h.m.tree.sel)

	// Meanwhile the portal gained a department sorted before Sales.
	p.Update(func(o *fakeportal.Org) {
		o.Departments = append(o.Departments, fakeportal.Department{ID: 6, Name: "Admin", Sort: 50, Parent: 1})
	})
	h.run(revalidate)
	assert.Contains(t, h.view(), "Admin", "the revalidated tree is drawn")
	assert.Equal(t, 4, h.m.tree.sel, "the cursor stays on R&D")
	assert.Equal(t, 3, h.m.tree.idx, "R&D moved down a row")
}

func TestProgressBar(t *testing.T) {
	h := loaded(t, smallOrg())
	h.m.bg.running = true
	h.send(bgProgressMsg{done: 12400, total: 30000})
	assert.Contains(t, h.view(), "indexing 12,400 / 30,000 ▰▰▰▰▱▱▱▱▱▱", "the background load shows its progress")
	h.send(bgProgressMsg{done: 12400, total: 30000, wait: 130 * time.Second})
	assert.Contains(t, h.view(), "waiting for the portal's time budget: 2m10s", "a pause for the budget shows")
	h.send(bgProgressMsg{done: 14000, total: 30000})
	assert.Contains(t, h.view(), "indexing 14,000 / 30,000", "and goes when people arrive")
	h.send(bgDoneMsg{})
	assert.NotContains(t, h.view(), "indexing")
	h.send(bgDoneMsg{err: assert.AnError})
	assert.Contains(t, h.view(), "the background load stopped")
}

func TestCopyWritesOSC52(t *testing.T) {
	var out bytes.Buffer
	r := lipgloss.NewRenderer(&out, termenv.WithProfile(termenv.Ascii))
	m := New(Options{Renderer: r, Now: fixedNow})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(orgMsg{org: smallOrg()})
	m.Update(keyMsg("y"))
	assert.Equal(t, "\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte("1000"))+"\a", out.String(),
		"without Options.Copy, y writes OSC52 to the session's output")
}

func TestWarningShows(t *testing.T) {
	p, err := fakeportal.Start(smallPortalOrg(), fakeportal.Options{Rate: -1, Now: fixedNow})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	notADir := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(notADir, nil, 0o600))
	h := newHarness(t, Options{Directory: directory.New(c, directory.Options{CacheDir: notADir})})
	h.init()
	require.NotEmpty(t, h.m.status.warning, "the cache could not be written")
	assert.Contains(t, h.view(), " ! ", "a warning shows in the status bar")
	assert.Contains(t, h.view(), "Anna Johnson", "and nothing else stops")
}

func TestEmptyNamesShowAPlaceholder(t *testing.T) {
	po := smallPortalOrg()
	po.Departments[2].Name = "" // EMEA
	for i := range po.Users {
		if po.Users[i].ID == 32 {
			po.Users[i].FirstName, po.Users[i].LastName = "", ""
		}
	}
	h := loaded(t, directory.NewOrg(orgData(po)))
	h.keys("/")
	h.typeText("1045")
	require.NotEmpty(t, h.m.search.results)
	assert.Contains(t, h.view(), "(no name)", "the search row of a person without a name")
	h.keys("enter")
	v := h.view()
	assert.Contains(t, v, "Sales › (no name)", "the breadcrumb")
	assert.Contains(t, v, "(no name) · ", "the people pane's title")
	assert.NotContains(t, v, "Sales ›  ", "no blank segment")
}

func TestSearchSaysHowManyAndReachesTheRest(t *testing.T) {
	data := directory.Data{Complete: true, Departments: []directory.Department{{ID: 1, Name: "Acme"}}}
	for i := 1; i <= 450; i++ {
		data.People = append(data.People, directory.Person{ID: i, Name: "Quorvan " + strconv.Itoa(i),
			FirstName: strconv.Itoa(i), LastName: "Quorvan", DepartmentIDs: []int{1}, Active: true})
	}
	h := loaded(t, directory.NewOrg(data))
	h.keys("/")
	h.typeText("quorvan")
	require.Len(t, h.m.search.results, searchLimit)
	assert.Contains(t, h.view(), "200 of 450 matches")
	for range searchLimit {
		h.keys("down")
	}
	assert.Equal(t, searchLimit, h.m.search.idx, "moving past the last result brings the next ones")
	assert.Len(t, h.m.search.results, 2*searchLimit)
	assert.Contains(t, h.view(), "400 of 450 matches")
	for range 100 {
		h.keys("pgdown")
	}
	assert.Len(t, h.m.search.results, 450)
	assert.Equal(t, 449, h.m.search.idx, "everyone can be reached")
	assert.Contains(t, h.view(), "450 matches")
}

func TestSearchLayoutSlip(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("/")
	h.typeText("bdfyjd") // иванов typed with the Latin layout on
	require.Len(t, h.m.search.results, 1)
	assert.Equal(t, 20, h.m.search.results[0].ID)
	v := h.view()
	assert.Contains(t, v, "1 match · layout: иванов")
	assert.Regexp(t, `Борис Иванов +Acme Corp › Sales +Team Lead`, v)
	h.keys("enter")
	assert.Equal(t, 20, h.m.people.sel, "a retyped match jumps like any other")

	h.keys("/")
	h.typeText("ьгддук") // muller typed with the Russian layout on
	require.Len(t, h.m.search.results, 1)
	assert.Equal(t, 30, h.m.search.results[0].ID)
	assert.Contains(t, h.view(), "layout: muller")

	h.keys("esc", "/")
	h.typeText("boris")
	assert.NotContains(t, h.view(), "layout:", "found as typed")
}

func TestSearchLayoutAfterDirectMatches(t *testing.T) {
	d := orgData(smallPortalOrg())
	d.People = append(d.People, directory.Person{ID: 90, Name: "Bdfyjd Smith", FirstName: "Bdfyjd", LastName: "Smith",
		Active: true, DepartmentIDs: []int{1}})
	h := loaded(t, directory.NewOrg(d))
	h.keys("/")
	h.typeText("bdfyjd")
	require.Len(t, h.m.search.results, 2)
	assert.Equal(t, []int{90, 20}, []int{h.m.search.results[0].ID, h.m.search.results[1].ID}, "as typed first")
	assert.Contains(t, h.view(), "2 matches, the last 1 · layout: иванов")
}
