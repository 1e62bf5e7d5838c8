package ui

import (
	"errors"
	"slices"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	tea "github.com/charmbracelet/bubbletea"
)

// favouritesID is the tree row of the favourites, above the departments:
// no department has it (IDs are positive, and -1 is shownDept's "none").
const favouritesID = -2

// favourites is the user's pinned people (in common, for the tree) and
// recent lookups, kept in memory and saved through the store (nil: for this
// session only). Each change is written by a command of its own, in the
// order made (each waits for the one before), and answers with the file as
// written, which may hold other sessions' changes too.
type favourites struct {
	store   *directory.UserState
	recent  []int
	seq     int           // the newest read or change
	last    chan struct{} // closed when the newest change is written
	warned  bool          // a bad file or a failed write was said once
	fetched time.Time     // when the favourites' people were last loaded
}

// favStateMsg answers a read or a change of the store at seq.
type favStateMsg struct {
	seq int
	l   directory.Lookups
	err error
}

// loadFavourites reads the store (at start and on refresh).
func (m *Model) loadFavourites() tea.Cmd {
	return m.storeCmd(func(u *directory.UserState) (directory.Lookups, error) { return u.Load() })
}

// storeCmd runs op (a read or a change) on the store after every change
// asked before it; nil without a store.
func (m *Model) storeCmd(op func(*directory.UserState) (directory.Lookups, error)) tea.Cmd {
	if m.fav.store == nil {
		return nil
	}
	m.fav.seq++
	seq, store, prev := m.fav.seq, m.fav.store, m.fav.last
	done := make(chan struct{})
	m.fav.last = done
	return func() tea.Msg {
		if prev != nil {
			<-prev
		}
		defer close(done)
		l, err := op(store)
		return favStateMsg{seq: seq, l: l, err: err}
	}
}

// onFavState takes the store's answer: the newest one's lists replace the
// model's, unless the file could not be read or written (then the session
// keeps its own, and says once why they are not saved).
func (m *Model) onFavState(msg favStateMsg) tea.Cmd {
	var bad *directory.StateError
	usable := msg.err == nil || errors.As(msg.err, &bad) || errors.Is(msg.err, directory.ErrTooManyPinned)
	var cmd tea.Cmd
	switch {
	case errors.Is(msg.err, directory.ErrTooManyPinned):
		cmd = m.showToast(m.lang.T("fav.toomany", "N", directory.MaxPinned))
	case msg.err != nil && !m.fav.warned:
		m.fav.warned = true
		text := lang.Say(m.lang, msg.err)
		if bad != nil {
			text = bad.In(m.lang)
		}
		if !usable {
			text = m.lang.T("fav.notsaved", "Why", text)
		}
		m.status.warning = safetext.Truncate(safetext.Clean(text), MaxWidth)
	}
	if msg.seq != m.fav.seq || !usable {
		return cmd
	}
	m.fav.recent = msg.l.Recent
	if slices.Equal(m.pinned, msg.l.Pinned) {
		return cmd // the minute's read found nothing new: nothing to lay out
	}
	m.pinned = msg.l.Pinned
	return tea.Batch(cmd, m.pinsChanged())
}

// togglePin pins p, or unpins p when pinned, and says so.
func (m *Model) togglePin(p *directory.Person) tea.Cmd {
	on := !slices.Contains(m.pinned, p.ID)
	m.pinned = slices.DeleteFunc(slices.Clone(m.pinned), func(id int) bool { return id == p.ID })
	toast := m.lang.T("fav.unpinned", "Name", m.named(p.Name))
	if on {
		m.pinned = append(m.pinned, p.ID)
		pin := m.keys.Pin
		if m.mode == modeSearch {
			pin = m.skeys.Pin // the field takes the letters
		}
		toast = m.lang.T("fav.pinned", "Name", m.named(p.Name), "Key", keyName(pin))
	}
	id := p.ID
	return tea.Batch(m.pinsChanged(), m.showToast(toast),
		m.storeCmd(func(u *directory.UserState) (directory.Lookups, error) { return u.SetPinned(id, on) }))
}

// lookedUp puts p first among the recent lookups the search opens with.
func (m *Model) lookedUp(p *directory.Person) tea.Cmd {
	if p == nil {
		return nil
	}
	m.fav.recent = append([]int{p.ID}, slices.DeleteFunc(slices.Clone(m.fav.recent), func(id int) bool { return id == p.ID })...)
	m.fav.recent = m.fav.recent[:min(len(m.fav.recent), directory.MaxRecent)]
	id := p.ID
	return m.storeCmd(func(u *directory.UserState) (directory.Lookups, error) { return u.AddRecent(id) })
}

// recentPeople are the recent lookups the snapshot knows, most recent first.
func (m *Model) recentPeople() []*directory.Person {
	var out []*directory.Person
	for _, id := range m.fav.recent {
		if p := m.org.Person(id); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// pinsChanged lays the tree out again (the favourites row comes and goes)
// and follows: another row when the favourites went, their people when
// they show.
func (m *Model) pinsChanged() tea.Cmd {
	m.tree.rebuild(m.org)
	if m.tree.sel != m.shownDept {
		return m.selectDept(m.tree.sel, false)
	}
	if m.tree.sel == favouritesID {
		m.syncPeople()
		return m.scheduleLoad(true)
	}
	return nil
}

// pinnedPeople are the pinned people the snapshot knows, in pin order;
// loaded is false while some are unknown and have not been asked for.
func (m *Model) pinnedPeople() (list []*directory.Person, loaded bool) {
	loaded = true
	for _, id := range m.pinned {
		if p := m.org.Person(id); p != nil {
			list = append(list, p)
		} else if m.dir != nil && m.fav.fetched.IsZero() {
			loaded = false
		}
	}
	return list, loaded
}

// favouritesFresh reports whether the favourites' people are known and
// were loaded less than the refresh interval ago.
func (m *Model) favouritesFresh() bool {
	_, loaded := m.pinnedPeople()
	return loaded && !m.fav.fetched.IsZero() && m.now().Sub(m.fav.fetched) < m.refreshEvery
}
