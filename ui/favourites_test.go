package ui

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func peopleIDs(ps []*directory.Person) []int {
	ids := make([]int, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

// userState is a fresh favourites store of one user in a temporary directory.
func userState(t *testing.T) *directory.UserState {
	return directory.NewStates(filepath.Join(t.TempDir(), "state"), "test portal").For("")
}

// withStore is a harness over smallOrg keeping its favourites in u, started
// as the program starts it (Init reads the store).
func withStore(t *testing.T, u *directory.UserState) *harness {
	h := newHarness(t, Options{Favourites: u})
	h.init()
	h.send(orgMsg{org: smallOrg()})
	return h
}

func TestPinShowsTheFavouritesAboveTheTree(t *testing.T) {
	h := loaded(t, smallOrg())
	assert.NotContains(t, h.view(), "Favourites", "no pins, no favourites row")
	h.selectDept("EMEA")
	h.keys("tab")
	require.Equal(t, 30, h.m.people.current().ID)
	h.keys("f")
	assert.Equal(t, []int{30}, h.m.pinned)
	assert.Contains(t, h.view(), "pinned Dora Müller to Favourites (f unpins)", "a toast confirms")
	assert.Equal(t, favouritesID, h.m.tree.rows[0].id, "the favourites come first")
	assert.Equal(t, 3, h.m.tree.sel, "the highlight stays on EMEA")
	assert.Regexp(t, `★ Favourites +1`, h.view(), "with how many they are")

	h.keys("down", "down") // Frank, in R&D and EMEA
	h.keys("f")
	assert.Equal(t, []int{30, 40}, h.m.pinned)

	h.keys("tab", "home")
	require.Equal(t, favouritesID, h.m.tree.sel)
	v := h.view()
	assert.Contains(t, v, "Favourites · 2 people")
	assert.Regexp(t, `○ offline +Dora Müller +EMEA +Account Manager +ext 1042`, v, "each with the badge and department")
	assert.Regexp(t, `Frank Zeller +R&D`, v)
	assert.Contains(t, v, "Acme Corp › Sales › EMEA", "the details of the highlighted one")
	assert.Contains(t, v, "Favourites", "the breadcrumb")
	assert.False(t, h.m.keys.OrgChart.Enabled(), "the favourites have no org chart")
	assert.False(t, h.m.keys.Subtree.Enabled())

	h.keys("tab", "f") // unpin Dora from the favourites themselves
	assert.Equal(t, []int{40}, h.m.pinned)
	assert.Contains(t, h.view(), "unpinned Dora Müller from Favourites")
	assert.Contains(t, h.view(), "Favourites · 1 person")
	assert.Equal(t, 40, h.m.people.current().ID)
	h.keys("f")
	assert.Empty(t, h.m.pinned)
	assert.NotContains(t, rowIDs(&h.m.tree), favouritesID, "the last unpin takes the row away")
	assert.Equal(t, 1, h.m.tree.sel, "and the highlight goes to the department now first")
	assert.Equal(t, 1, h.m.shownDept)
}

func TestPinFromASearchResult(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("/")
	h.typeText("eve")
	require.Equal(t, 32, h.m.search.current().ID)
	h.keys("f")
	assert.Equal(t, "evef", h.m.search.input.value(), "letters type into the query")
	assert.Empty(t, h.m.pinned)
	h.keys("backspace")
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'f'}, Alt: true})
	assert.Equal(t, []int{32}, h.m.pinned, "alt+f pins the highlighted result")
	assert.Equal(t, modeSearch, h.m.mode, "without leaving the search")
	assert.Contains(t, h.view(), "pinned Eve Adams to Favourites (alt+f unpins)")
	assert.Contains(t, h.view(), "alt+f pin", "the search footer offers it")
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'f'}, Alt: true})
	assert.Empty(t, h.m.pinned, "and unpins it")

	h.keys("tab", "f") // the results have the keys: f pins, as y copies
	assert.Equal(t, []int{32}, h.m.pinned)
	assert.Equal(t, "eve", h.m.search.input.value(), "f did not type")
	assert.Equal(t, modeSearch, h.m.mode)
}

func TestSearchOpensWithTheRecentLookups(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("/")
	assert.Empty(t, h.m.search.results, "nothing looked up yet")
	assert.Contains(t, h.view(), "search the whole company")
	h.typeText("1042")
	h.keys("enter") // jump to Dora
	h.keys("/")
	h.typeText("eve")
	h.keys("enter")     // to Eve
	h.keys("down", "y") // copy from 陈伟? the next row of EMEA
	copiedFrom := h.m.people.current().ID

	h.keys("/")
	assert.Equal(t, []int{copiedFrom, 32, 30}, peopleIDs(h.m.search.results), "most recent first")
	v := h.view()
	assert.Contains(t, v, "recent lookups · type to search the whole company")
	assert.Contains(t, v, "Eve Adams")
	h.keys("down", "down", "enter")
	assert.Equal(t, 30, h.m.people.sel, "a recent lookup jumps like a result")
	h.keys("/")
	assert.Equal(t, []int{30, copiedFrom, 32}, peopleIDs(h.m.search.results), "the jump moves Dora first again")
	h.typeText("x")
	h.keys("backspace")
	assert.Equal(t, []int{30, copiedFrom, 32}, peopleIDs(h.m.search.results), "clearing the query lists them again")
}

func TestRecentLookupsAreCapped(t *testing.T) {
	h := loaded(t, smallOrg())
	for i := 0; i < 3*directory.MaxRecent; i++ {
		for _, id := range []int{10, 20, 30, 31, 32, 40} {
			h.m.lookedUp(h.m.org.Person(id))
		}
	}
	assert.Len(t, h.m.fav.recent, 6, "each person once")
	for i := 1000; i < 1000+2*directory.MaxRecent; i++ {
		h.m.lookedUp(&directory.Person{ID: i})
	}
	assert.Len(t, h.m.fav.recent, directory.MaxRecent)
}

func TestFavouritesAreSavedAndReadBack(t *testing.T) {
	u := userState(t)
	h := withStore(t, u)
	h.selectDept("EMEA")
	h.keys("tab", "f") // Dora
	h.keys("/")
	h.typeText("eve")
	h.keys("enter")

	saved, err := u.Load()
	require.NoError(t, err)
	assert.Equal(t, []int{30}, saved.Pinned)
	assert.Equal(t, []int{32}, saved.Recent)
	fi, err := os.Stat(u.Path())
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	data, err := os.ReadFile(u.Path())
	require.NoError(t, err)
	assert.NotContains(t, string(data), "Dora", "IDs only, no personal data")

	again := withStore(t, u)
	assert.Equal(t, []int{30}, again.m.pinned, "a new session reads them")
	assert.Equal(t, favouritesID, again.m.tree.rows[0].id)
	assert.Equal(t, 1, again.m.tree.sel, "it starts on the top department, below the favourites")
	again.keys("/")
	assert.Equal(t, []int{32}, peopleIDs(again.m.search.results))

	// A second session of the same user pins someone; the first sees
	// both after its next change, or a refresh.
	again.keys("esc")
	again.selectDept("Acme Corp")
	again.keys("tab", "f") // Anna
	assert.Equal(t, []int{30, 10}, again.m.pinned)
	h.keys("r")
	assert.Equal(t, []int{30, 10}, h.m.pinned, "a refresh reads the other session's pins")
	again.keys("f") // unpins Anna
	h.send(refreshMsg{})
	assert.Equal(t, []int{30}, h.m.pinned, "and so does the presence refresh's tick")
}

func TestABadFavouritesFileIsOneWarning(t *testing.T) {
	u := userState(t)
	require.NoError(t, os.MkdirAll(filepath.Dir(u.Path()), 0o700))
	require.NoError(t, os.WriteFile(u.Path(), []byte("\x1b[2J{not json"), 0o600))
	h := withStore(t, u)
	assert.Empty(t, h.m.pinned)
	v := h.view()
	assert.Contains(t, v, "favourites file")
	assert.NotContains(t, v, "\x1b[2J", "the file's bytes never reach the screen")
	h.m.status.warning = ""
	h.selectDept("EMEA")
	h.keys("tab", "f")
	assert.Empty(t, h.m.status.warning, "said once")
	saved, err := u.Load()
	require.NoError(t, err, "the pin replaced the bad file")
	assert.Equal(t, []int{30}, saved.Pinned)
}

func TestUnsavableFavouritesStayForTheSession(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(blocker, nil, 0o600))
	u := directory.NewStates(filepath.Join(blocker, "state"), "test portal").For("") // a directory under a file
	h := withStore(t, u)
	h.selectDept("EMEA")
	h.keys("tab", "f")
	assert.Equal(t, []int{30}, h.m.pinned, "kept in memory")
	assert.Contains(t, h.m.status.warning, "favourites are not saved")
	h.fire() // the toast goes
	assert.Contains(t, screenText(h.view()), "favourites are not saved")
	h.keys("down", "f")
	assert.Equal(t, []int{30, 32}, h.m.pinned)
}

func TestFavouritesLoadTheirPeople(t *testing.T) {
	_, dir := startPortal(t, smallPortalOrg())
	u := userState(t)
	_, err := u.SetPinned(31, true)
	require.NoError(t, err)
	h := newHarness(t, Options{Directory: dir, Favourites: u})
	h.init()
	require.Equal(t, favouritesID, h.m.tree.rows[0].id)
	h.keys("home")
	require.Equal(t, favouritesID, h.m.tree.sel)
	h.fire() // the rest of the cursor: the pinned people load
	h.changes()
	v := h.view()
	assert.Contains(t, v, "Favourites · 1 person")
	assert.Regexp(t, `✈ absent +伟 陈`, v, "their own presence, from the portal")
	assert.True(t, h.m.favouritesFresh())
}

func TestPinnedPeopleNoLongerKnown(t *testing.T) {
	u := userState(t)
	_, err := u.SetPinned(999, true) // a hostile file, or someone deleted since
	require.NoError(t, err)
	h := withStore(t, u)
	h.keys("home")
	require.Equal(t, favouritesID, h.m.tree.sel)
	v := h.view()
	assert.Contains(t, v, "Favourites · 0 people")
	assert.Contains(t, v, "no one pinned here is in the directory now")
	assert.False(t, h.m.keys.Pin.Enabled(), "nobody highlighted to pin")
}

func TestFavouritesWarningsInRussian(t *testing.T) {
	u := userState(t)
	require.NoError(t, os.MkdirAll(filepath.Dir(u.Path()), 0o700))
	require.NoError(t, os.WriteFile(u.Path(), []byte("{not json"), 0o600))
	h := newHarness(t, Options{Favourites: u, Language: lang.Russian()})
	h.init()
	h.send(orgMsg{org: smallOrg()})
	assert.Contains(t, h.m.status.warning, "файл избранного ", "a Russian session reads the bad file's warning in Russian")
	assert.NotContains(t, h.m.status.warning, "starting with no favourites")

	h.send(favStateMsg{seq: h.m.fav.seq, err: directory.ErrTooManyPinned})
	assert.Contains(t, h.view(), "закрепить можно не больше 500 сотрудников", "and the refused pin's toast")
}
