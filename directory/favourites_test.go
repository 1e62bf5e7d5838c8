package directory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/lang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStateRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "b24org")
	u := NewStates(dir, "acme.bitrix24.example user 1").For("")
	l, err := u.Load()
	require.NoError(t, err, "no file yet: empty")
	assert.Empty(t, l.Pinned)

	_, err = u.SetPinned(30, true)
	require.NoError(t, err)
	_, err = u.SetPinned(10, true)
	require.NoError(t, err)
	_, err = u.SetPinned(30, true)
	require.NoError(t, err)
	_, err = u.AddRecent(5)
	require.NoError(t, err)
	l, err = u.AddRecent(7)
	require.NoError(t, err)
	assert.Equal(t, Lookups{Pinned: []int{10, 30}, Recent: []int{7, 5}}, l, "a pin again moves it last; recent is newest first")
	assert.True(t, l.IsPinned(30))

	again, err := NewStates(dir, "acme.bitrix24.example user 1").For("").Load()
	require.NoError(t, err)
	assert.Equal(t, l, again, "another process reads the same")

	l, err = u.SetPinned(10, false)
	require.NoError(t, err)
	assert.Equal(t, []int{30}, l.Pinned)

	fi, err := os.Stat(u.Path())
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
	data, err := os.ReadFile(u.Path())
	require.NoError(t, err)
	assert.JSONEq(t, `{"b24org_state":1,"pinned":[30],"recent":[7,5]}`, string(data), "IDs only")
}

func TestStateNamesNoSecret(t *testing.T) {
	dir := t.TempDir()
	const portal = "acme.bitrix24.example user 1"
	local := NewStates(dir, portal).For("")
	alice := NewStates(dir, portal).For("SHA256:alice")
	bob := NewStates(dir, portal).For("SHA256:bob")
	other := NewStates(dir, "other.bitrix24.example user 1").For("")
	names := map[string]bool{}
	for _, u := range []*UserState{local, alice, bob, other} {
		name := filepath.Base(u.Path())
		assert.Regexp(t, `^b24org-[0-9a-f]{24}\.state$`, name, "a hash: no host, user or key in the name")
		names[name] = true
	}
	assert.Len(t, names, 4, "one file per portal and user")

	// The webhook's code is in no cache key (Client.Portal is host and
	// user), so in no state file or name either: the demo's key proves the
	// file holds nothing but IDs.
	_, err := alice.SetPinned(1, true)
	require.NoError(t, err)
	data, err := os.ReadFile(alice.Path())
	require.NoError(t, err)
	assert.NotContains(t, string(data), "acme")
	assert.NotContains(t, string(data), "alice")
}

func TestStatePerUser(t *testing.T) {
	s := NewStates(t.TempDir(), "portal")
	alice, bob := s.For("SHA256:alice"), s.For("SHA256:bob")
	_, err := alice.SetPinned(1, true)
	require.NoError(t, err)
	_, err = bob.SetPinned(2, true)
	require.NoError(t, err)
	_, err = bob.AddRecent(3)
	require.NoError(t, err)
	a, err := alice.Load()
	require.NoError(t, err)
	b, err := bob.Load()
	require.NoError(t, err)
	assert.Equal(t, Lookups{Pinned: []int{1}, Recent: []int{}}, a)
	assert.Equal(t, Lookups{Pinned: []int{2}, Recent: []int{3}}, b)
	l, err := s.For("").Load()
	require.NoError(t, err)
	assert.Empty(t, l.Pinned, "the local user has neither")
}

func TestStateChangesOfOneUserAllCount(t *testing.T) {
	s := NewStates(t.TempDir(), "portal")
	var wg sync.WaitGroup
	for i := 1; i <= 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.For("SHA256:same").SetPinned(i, true) // two sessions of one key
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	l, err := s.For("SHA256:same").Load()
	require.NoError(t, err)
	assert.Len(t, l.Pinned, 40, "read, change and write under one lock: no pin lost")
}

func TestStateWriteIsAtomic(t *testing.T) {
	dir := t.TempDir()
	u := NewStates(dir, "portal").For("")
	_, err := u.SetPinned(1, true)
	require.NoError(t, err)
	// A writer killed between its temporary file and the rename leaves
	// the old file whole, and its temporary file is not read.
	tmp := filepath.Join(dir, "."+filepath.Base(u.Path())+".tmp-123")
	require.NoError(t, os.WriteFile(tmp, []byte(`{"b24org_state":1,"pin`), 0o600))
	l, err := u.Load()
	require.NoError(t, err)
	assert.Equal(t, []int{1}, l.Pinned)
	_, err = u.SetPinned(2, true)
	require.NoError(t, err)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var left []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") && e.Name() != filepath.Base(tmp) {
			left = append(left, e.Name())
		}
	}
	assert.Empty(t, left, "a write leaves no temporary file of its own")
}

func TestStateCorruptOrHostileFile(t *testing.T) {
	huge := bytes.Repeat([]byte("1,"), maxStateSize)
	cases := map[string][]byte{
		"not json":      []byte("\x1b[2J\x00garbage"),
		"wrong shape":   []byte(`{"b24org_state":1,"pinned":"everyone"}`),
		"other version": []byte(`{"b24org_state":99,"pinned":[1]}`),
		"too big":       append(append([]byte(`{"b24org_state":1,"pinned":[`), huge...), []byte(`1]}`)...),
		"deep nesting":  []byte(strings.Repeat("[", 100000)),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			u := NewStates(t.TempDir(), "portal").For("")
			require.NoError(t, os.WriteFile(u.Path(), data, 0o600))
			l, err := u.Load()
			var se *StateError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, err.Error(), u.Path())
			assert.Contains(t, err.Error(), "starting with no favourites")
			ru := lang.Say(lang.Russian(), err)
			assert.Contains(t, ru, u.Path())
			assert.Contains(t, ru, "начинаю без избранного")
			assert.Regexp(t, `^файл избранного \S+ (не файл избранного|версии 99, а не 1|больше 64 КиБ)`, ru,
				"the reason in the reader's language too")
			assert.Equal(t, Lookups{}, l, "read as empty")
			l, err = u.SetPinned(5, true)
			require.ErrorAs(t, err, &se, "the change says once more what it replaced")
			assert.Equal(t, []int{5}, l.Pinned)
			l, err = u.Load()
			require.NoError(t, err, "the change replaced the bad file")
			assert.Equal(t, []int{5}, l.Pinned)
		})
	}

	t.Run("bounded lists", func(t *testing.T) {
		u := NewStates(t.TempDir(), "portal").For("")
		var ids []string
		for i := 0; i < 2000; i++ {
			ids = append(ids, fmt.Sprint(i%1500-3))
		}
		list := strings.Join(ids, ",")
		require.NoError(t, os.WriteFile(u.Path(), []byte(`{"b24org_state":1,"pinned":[`+list+`],"recent":[`+list+`]}`), 0o600))
		l, err := u.Load()
		require.NoError(t, err)
		assert.Len(t, l.Pinned, MaxPinned)
		assert.Len(t, l.Recent, MaxRecent)
		assert.Equal(t, 1, l.Pinned[0], "no zero or negative ID")
		_, err = u.SetPinned(100000, true)
		assert.ErrorIs(t, err, ErrTooManyPinned)
	})

	t.Run("a fifo is not opened", func(t *testing.T) {
		u := NewStates(t.TempDir(), "portal").For("")
		require.NoError(t, syscall.Mkfifo(u.Path(), 0o600))
		_, err := u.Load() // would block for ever if it were opened
		var se *StateError
		require.ErrorAs(t, err, &se)
		assert.Contains(t, err.Error(), "not a regular file")
		assert.Equal(t, "не обычный файл", se.ReasonIn(lang.Russian()))
	})

	t.Run("unreadable is not overwritten", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Log("as root every file is readable: the case cannot arise") // not a skip: the rest ran
			return
		}
		u := NewStates(t.TempDir(), "portal").For("")
		_, err := u.SetPinned(1, true)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(u.Path(), 0o000))
		_, err = u.SetPinned(2, true)
		var se *StateError
		require.Error(t, err)
		assert.False(t, errors.As(err, &se), "a permission problem is not a bad file")
		require.NoError(t, os.Chmod(u.Path(), 0o600))
		l, err := u.Load()
		require.NoError(t, err)
		assert.Equal(t, []int{1}, l.Pinned, "the file kept what it had")
	})
}

func TestLoadPeopleBringsTheirPresence(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 400, Departments: 30, Seed: 3, Now: genNow})
	p, c := startPortal(t, fake, fakeportal.Options{})
	d := New(c, Options{NoCache: true})
	ctx := context.Background()
	_, err := d.LoadTree(ctx)
	require.NoError(t, err)
	users := activeUsers(fake)
	ids := []int{users[3].ID, users[200].ID, users[380].ID}
	before := p.Total()
	org, err := d.LoadPeople(ctx, ids)
	require.NoError(t, err)
	assert.Equal(t, int64(1), p.Total()-before, "one request, whatever their departments")
	for i, id := range ids {
		got := org.Person(id)
		require.NotNil(t, got)
		assert.Equal(t, users[[]int{3, 200, 380}[i]].LastActivity.Unix(), got.LastActivity.Unix())
	}
	for _, dept := range users[3].Departments {
		assert.False(t, org.Loaded(dept), "a department is not loaded by one of its people")
	}
	p.Update(func(o *fakeportal.Org) {
		for i := range o.Users {
			if o.Users[i].ID == ids[0] {
				o.Users[i].LastActivity = genNow.Add(-time.Second)
			}
		}
	})
	org, err = d.LoadPeople(ctx, ids)
	require.NoError(t, err)
	assert.Equal(t, genNow.Add(-time.Second).Unix(), org.Person(ids[0]).LastActivity.Unix(), "live: asked again each time")
}

// BenchmarkStateAddRecent is one lookup's cost on the update's side: read
// the file, change it, write it atomically (fsync, rename), with a full
// file (MaxPinned pinned, MaxRecent recent).
func BenchmarkStateAddRecent(b *testing.B) {
	u := NewStates(b.TempDir(), "portal").For("SHA256:bench")
	for i := 1; i <= MaxPinned; i++ {
		_, err := u.SetPinned(i, true)
		require.NoError(b, err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, err := u.AddRecent(i%50 + 1)
		require.NoError(b, err)
	}
}

// BenchmarkStateLoad is a browser start's read of a full file.
func BenchmarkStateLoad(b *testing.B) {
	u := NewStates(b.TempDir(), "portal").For("")
	for i := 1; i <= MaxPinned; i++ {
		_, err := u.SetPinned(i, true)
		require.NoError(b, err)
	}
	for b.Loop() {
		_, err := u.Load()
		require.NoError(b, err)
	}
}
