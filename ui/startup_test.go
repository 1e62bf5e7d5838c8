package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stagedPortal serves a generated company on loopback until the test ends,
// loads all of it once through a Directory that writes the cache in dir,
// and returns the portal (its counters reset) and what was loaded.
func stagedPortal(t *testing.T, dir string) (*fakeportal.Portal, *directory.Org) {
	t.Helper()
	p, err := fakeportal.Start(fakeportal.Generate(fakeportal.GenOptions{People: 150, Departments: 14, Seed: 11, Now: time.Now()}),
		fakeportal.Options{Rate: -1})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	d := stagedDirectory(t, p, dir)
	_, err = d.LoadTree(t.Context())
	require.NoError(t, err)
	o, err := d.LoadAll(t.Context(), nil)
	require.NoError(t, err)
	require.Empty(t, d.Warnings())
	require.NotEmpty(t, d.CachePath())
	p.ResetCounters()
	return p, o
}

// stagedDirectory is a Directory over p whose cache is in dir.
func stagedDirectory(t *testing.T, p *fakeportal.Portal, dir string) *directory.Directory {
	t.Helper()
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	return directory.New(c, directory.Options{CacheDir: dir})
}

// TestStagedStartHandover checks the browser of a staged start: it draws
// the first part at once, holds the keys pressed meanwhile, and hands them
// to the browser over the whole cache, which it becomes.
func TestStagedStartHandover(t *testing.T) {
	dir := t.TempDir()
	p, w := stagedPortal(t, dir)
	root := w.Roots()[0]
	people, _ := w.People(root)
	require.NotEmpty(t, people)
	require.NotEmpty(t, w.Department(root).Children)
	child := w.Department(root).Children[0]

	d := stagedDirectory(t, p, dir)
	rest, err := d.LoadCacheStaged()
	require.NoError(t, err)
	require.NotNil(t, rest, "the cache loads in two steps")
	built := 0
	browser := func() *Model {
		built++
		return New(Options{Directory: d})
	}
	s := NewStagedStart(browser(), rest, browser)
	loadRest := s.Init() // the first browser's own loads are never run
	m, cmd := s.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	assert.Nil(t, cmd)
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyDown})
	require.Same(t, s, m, "the keys wait for the whole cache")
	view := m.View()
	assert.Contains(t, view, w.Department(root).Name)
	assert.Contains(t, view, people[0].Name)
	top, _, _ := strings.Cut(view, "\n")
	assert.NotContains(t, top, w.Department(child).Name, "the cursor has not moved yet")
	assert.False(t, d.Snapshot().Complete(), "only the first part is in")

	m, _ = m.Update(loadRest())
	require.IsType(t, &Model{}, m, "the browser over the whole cache takes over")
	assert.Equal(t, 2, built)
	assert.True(t, d.Snapshot().Complete())
	view = m.View()
	assert.Len(t, strings.Split(view, "\n"), 40, "the new browser has the window's size")
	top, _, _ = strings.Cut(view, "\n")
	assert.Contains(t, top, w.Department(child).Name, "the key went to the new browser")
	assert.Zero(t, p.Total(), "nothing was asked of the portal")
}

// TestStagedStartRestFails checks that a rest that fails still hands over,
// to a browser over what the Directory holds.
func TestStagedStartRestFails(t *testing.T) {
	dir := t.TempDir()
	p, w := stagedPortal(t, dir)
	d := stagedDirectory(t, p, dir)
	_, err := d.LoadCacheStaged()
	require.NoError(t, err)
	next := New(Options{Directory: d})
	s := NewStagedStart(New(Options{Directory: d}), func() error { return errors.New("the disk went away") },
		func() *Model { return next })
	loadRest := s.Init()
	require.NotNil(t, loadRest)
	m, _ := s.Update(loadRest())
	require.Same(t, next, m, "the next browser takes over all the same")
	_, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	assert.Contains(t, m.View(), w.Department(w.Roots()[0]).Name, "it draws what the first part holds")
	assert.Zero(t, p.Total(), "nothing was asked of the portal")
}
