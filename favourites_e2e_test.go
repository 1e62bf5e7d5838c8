package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pinFirstPerson moves to the people pane (down more rows), pins the
// highlighted person and returns their name once the toast confirms.
func pinFirstPerson(t *testing.T, x *tmux, down int) string {
	t.Helper()
	x.waitText("Departments", " people ", "──────")
	x.keys("Tab")
	for i := 0; i < down; i++ {
		x.keys("Down")
	}
	var name string
	x.waitScreen("the person highlighted in the people pane", func(s string) bool {
		rows := peopleRows(s)
		name = detailName(s)
		return name != "" && len(rows) > down && strings.HasPrefix(rows[down], "┃›") && strings.Contains(rows[down], name)
	})
	x.keys("f")
	x.waitText("pinned "+name+" to Favourites", "★ Favourites")
	return name
}

// quitAndWait presses q and waits for the tmux session to end.
func quitAndWait(x *tmux) {
	x.keys("-l", "q")
	x.waitScreen("the session ended", func(string) bool {
		_, err := x.run("has-session", "-t", "tui")
		return err != nil
	})
}

// oneFavourite highlights the Favourites row and returns the screen once
// the people pane shows its one person.
func oneFavourite(t *testing.T, x *tmux) string {
	t.Helper()
	x.waitText("★ Favourites")
	x.keys("Home")
	return x.waitText("Favourites · 1 person")
}

// peopleRows are the rows of the people list on screen: a badge, then a name.
func peopleRows(s string) []string {
	return regexp.MustCompile(`[│┃][ ›][●◐✈○] (?:online|idle|absent|offline) +[^│┃]*`).FindAllString(s, -1)
}

// In a real terminal on the demo: a pinned person survives a restart and
// shows under Favourites with a badge, and the search opens with the
// person looked up before; the state file is private and holds IDs only.
func TestTUIFavouritesSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	run := "XDG_STATE_HOME=" + state + " exec " + testBinaryPath + " --demo"

	x := newTmuxServer(t, filepath.Join(dir, "first"), 120, 40, run)
	name := pinFirstPerson(t, x, 1)
	x.keys("/")
	x.waitText("Search the whole company")
	x.keys("-l", "1042")
	x.waitText(" match")
	x.keys("Enter")
	var looked string
	x.waitScreen("the jump", func(s string) bool {
		looked = detailName(s)
		return looked != "" && !strings.Contains(s, "Search the whole company")
	})
	quitAndWait(x)

	files, err := filepath.Glob(filepath.Join(state, "b24org", "*.state"))
	require.NoError(t, err)
	require.Len(t, files, 1, "one file for the demo portal")
	fi, err := os.Stat(files[0])
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(filepath.Join(state, "b24org"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	assert.NotContains(t, string(data), strings.Fields(name)[0], "IDs, not names")
	assert.NotContains(t, string(data), "127.0.0.1", "nothing of the portal")

	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		x = newTmuxServer(t, filepath.Join(dir, "again", string(rune('a'+size[1]))), size[0], size[1], run)
		s := oneFavourite(t, x)
		assert.Contains(t, s, name, "the pinned person, after a restart")
		assert.Regexp(t, `[●◐✈○] (online|idle|absent|offline) +`+name, s, "with a badge")
		for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
			assert.LessOrEqual(t, len([]rune(l)), size[0], "no row wider than the terminal")
		}
		x.keys("/")
		s = x.waitText("recent lookups")
		assert.Contains(t, s, looked, "the search opens with the last lookup")
		x.keys("Escape")
		// q apart from the Escape: together they read as alt+q, which
		// the search field takes.
		x.waitScreen("the search closed", func(s string) bool { return !strings.Contains(s, "Search the whole company") })
		quitAndWait(x)
	}
}

// Over SSH with the real client, each key has its own favourites: two
// keys pin two people, and each sees only its own, after a reconnect too.
func TestSSHFavouritesPerKey(t *testing.T) {
	requireTools(t, "ssh", "ssh-keygen", "tmux")
	dir := t.TempDir()
	alice, bob := sshKeygen(t, dir, "alice"), sshKeygen(t, dir, "bob")
	var pubs []byte
	for _, k := range []string{alice, bob} {
		pub, err := os.ReadFile(k + ".pub")
		require.NoError(t, err)
		pubs = append(pubs, pub...)
	}
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, pubs, 0o600))
	state := filepath.Join(dir, "state")
	srv := startServeProcessEnv(t, dir, []string{"XDG_STATE_HOME=" + state}, "--authorized-keys", keys, "--per-ip-per-minute", "0")
	login := func(key string) string { return "exec ssh -tt " + strings.Join(srv.sshArgs(key, "127.0.0.1"), " ") }

	// Two sessions of alice's key at once: what one pins, the other shows
	// after a refresh.
	other := newTmuxServer(t, filepath.Join(dir, "a0"), 120, 40, login(alice))
	other.waitText("Departments", " people ")
	x := newTmuxServer(t, filepath.Join(dir, "a1"), 120, 40, login(alice))
	aliceName := pinFirstPerson(t, x, 0)
	quitAndWait(x)
	assert.NotContains(t, other.screen(), "Favourites")
	other.keys("r")
	other.waitText("★ Favourites")
	quitAndWait(other)

	x = newTmuxServer(t, filepath.Join(dir, "b1"), 120, 40, login(bob))
	s := x.waitText("Departments", " people ", "──────")
	assert.NotContains(t, s, "Favourites", "bob does not see alice's favourites")
	bobName := pinFirstPerson(t, x, 1)
	require.NotEqual(t, aliceName, bobName)
	quitAndWait(x)

	for _, c := range []struct{ key, mine, theirs string }{{alice, aliceName, bobName}, {bob, bobName, aliceName}} {
		x = newTmuxServer(t, filepath.Join(dir, "again-"+filepath.Base(c.key)), 120, 40, login(c.key))
		s := oneFavourite(t, x)
		people := strings.Join(peopleRows(s), "\n")
		assert.Contains(t, people, c.mine)
		assert.NotContains(t, people, c.theirs, "one user's favourites are never shown to another")
		quitAndWait(x)
	}
	files, err := filepath.Glob(filepath.Join(state, "b24org", "*.state"))
	require.NoError(t, err)
	assert.Len(t, files, 2, "a file per key")
}
