package ui

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	tea "github.com/charmbracelet/bubbletea"
)

// Every load is a tea.Cmd returning one of these typed messages. A reply
// says how the load ended, never what it brought: a new snapshot arrives
// only through the Directory's Changed broadcast (see catchUp).
type (
	// treeLoadedMsg answers Directory.LoadTree.
	treeLoadedMsg struct{ err error }
	// peopleLoadedMsg answers Directory.LoadDepartment for dept, asked at seq.
	peopleLoadedMsg struct {
		dept, seq int
		err       error
	}
	// deptIdleMsg fires when the tree cursor has rested on the department of seq.
	deptIdleMsg struct{ seq int }
	// refreshMsg is the presence refresh timer.
	refreshMsg struct{}
	// bgProgressMsg reports the background load.
	// wait > 0: the load pauses that long for the portal's time budget.
	bgProgressMsg struct {
		done, total int
		wait        time.Duration
	}
	// bgDoneMsg ends the background load.
	bgDoneMsg struct{ err error }
	// searchIdleMsg fires when the search query of seq has rested.
	searchIdleMsg struct{ seq int }
	// searchResultsMsg answers Directory.Find for the query of seq.
	searchResultsMsg struct {
		seq    int
		people []*directory.Person
		err    error
	}
	// searchSchedIdleMsg fires when the search query of seq has rested,
	// for the availability of its results.
	searchSchedIdleMsg struct{ seq int }
	// schedIdleMsg fires when the tree cursor has rested on the
	// department of seq long enough to ask for its people's availability.
	schedIdleMsg struct{ seq int }
	// schedulesMsg answers Directory.Schedules: the calendars and workdays
	// found, and which missing scope would add what ("" when none).
	schedulesMsg struct {
		got  map[int]*directory.Schedule
		note string
	}
	// presenceMsg answers Directory.RefreshPresence.
	presenceMsg struct{ err error }
	// orgMsg is the org a model without a Directory shows (a fixed org,
	// as the tests draw); a model with one ignores it.
	orgMsg struct{ org *directory.Org }
	// toastDoneMsg hides the toast id.
	toastDoneMsg struct{ id int }
	// dirChangedMsg says the shared directory's snapshot changed: ch, the
	// channel of Directory.Changed that was waited on, is closed.
	dirChangedMsg struct{ ch <-chan struct{} }
)

// loadTreeCmd loads the tree; forced, it never reuses a recent tree.
func (m *Model) loadTreeCmd(forced bool) tea.Cmd {
	dir, ctx := m.dir, m.ctx
	load := dir.LoadTree
	if forced {
		load = dir.LoadTreeFresh
	}
	return func() tea.Msg {
		_, err := load(ctx)
		return treeLoadedMsg{err: err}
	}
}

// loadPeopleCmd loads dept's people (everyone below dept when the pane
// shows its whole subtree), accepting what the shared directory brought up
// to maxAge ago (0: ask the portal).
func (m *Model) loadPeopleCmd(dept, seq int, maxAge time.Duration) tea.Cmd {
	dir, ctx := m.dir, m.ctx
	load := dir.LoadDepartmentWithin
	if m.wholeSubtree(dept) {
		load = dir.LoadSubtreeWithin
	}
	if dept == favouritesID {
		ids := slices.Clone(m.pinned)
		load = func(ctx context.Context, _ int, _ time.Duration) (*directory.Org, error) {
			return dir.LoadPeople(ctx, ids)
		}
	}
	return func() tea.Msg {
		_, err := load(ctx, dept, maxAge)
		return peopleLoadedMsg{dept: dept, seq: seq, err: err}
	}
}

// wholeSubtree reports whether the people pane shows everyone below dept
// (the subtree toggle is on) rather than dept's own people.
func (m *Model) wholeSubtree(dept int) bool {
	return m.people.subtree && m.org.Department(dept) != nil
}

// shownDepts are the departments whose people the pane shows for dept.
func (m *Model) shownDepts(dept int) []int {
	if m.wholeSubtree(dept) {
		return m.org.Subtree(dept)
	}
	return []int{dept}
}

func (m *Model) searchRemoteCmd(seq int, query string) tea.Cmd {
	dir, ctx := m.dir, m.ctx
	return func() tea.Msg {
		// The find policy of the command line: the portal is asked about
		// the query, and the answer is what the directory then knows,
		// ranked as find ranks it.
		r, err := dir.Find(ctx, query, directory.FindOptions{Limit: searchLimit, AskOnly: true})
		if err != nil {
			return searchResultsMsg{seq: seq, err: err}
		}
		people := make([]*directory.Person, len(r.People))
		for i, f := range r.People {
			people[i] = f.Person
		}
		if len(people) == 0 && r.PortalErr != nil {
			return searchResultsMsg{seq: seq, err: r.PortalErr} // nothing known, and the portal did not answer
		}
		return searchResultsMsg{seq: seq, people: people}
	}
}

// presenceCmd brings everyone's presence up to date unless it is younger
// than the presence age (then it asks nothing): search results show it.
func (m *Model) presenceCmd() tea.Cmd {
	if m.dir == nil || m.bg.running {
		return nil // the background load brings everyone's presence anyway
	}
	dir, ctx, age, threshold := m.dir, m.ctx, m.presenceAge, m.threshold
	limit := age
	if limit <= 0 {
		limit = directory.DefaultPresenceAge
	}
	if d, ok := dir.PresenceAge(); ok && d < limit {
		return nil // fresh enough: no goroutine, no request
	}
	return func() tea.Msg {
		_, err := dir.RefreshPresence(ctx, age, threshold)
		return presenceMsg{err: err}
	}
}

// freshResults points the search results at the current snapshot's people
// (same order, same cursor): a presence refresh replaced them.
func (m *Model) freshResults() {
	for i, p := range m.search.results {
		if n := m.org.Person(p.ID); n != nil {
			m.search.results[i] = n
		}
	}
}

// startBackground runs Directory.Revalidate (a full load when the cache
// is old or incomplete); its progress reaches Update through
// a channel read by a re-issued waitProgress command.
func (m *Model) startBackground() tea.Cmd {
	if !m.background || m.dir == nil || m.bg.running {
		return nil
	}
	m.bg.running, m.bg.done, m.bg.total = true, 0, 0
	m.bgErr = ""
	dir, ctx, threshold := m.dir, m.ctx, m.threshold
	ch := make(chan bgProgressMsg, 1)
	var mu sync.Mutex
	var cur bgProgressMsg
	send := func(change func(*bgProgressMsg)) {
		mu.Lock()
		defer mu.Unlock()
		change(&cur)
		latest(ch, cur)
	}
	ctx = directory.WithPauses(ctx, func(left time.Duration) {
		send(func(m *bgProgressMsg) { m.wait = left })
	})
	run := func() tea.Msg {
		defer close(ch)
		_, err := dir.Revalidate(ctx, threshold, func(done, total int) {
			send(func(m *bgProgressMsg) {
				if done != m.done {
					m.wait = 0 // people arrive: the pause is over
				}
				m.done, m.total = done, total
			})
		})
		return bgDoneMsg{err: err}
	}
	m.bg.ch = ch
	return tea.Batch(run, waitProgress(ch))
}

// latest puts msg in ch, replacing an unread older one, never blocking.
func latest(ch chan bgProgressMsg, msg bgProgressMsg) {
	for {
		select {
		case ch <- msg:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

func waitProgress(ch <-chan bgProgressMsg) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// watchChanges subscribes to the shared directory's next change (before
// the caller reads its snapshot, so that no change is missed) and returns
// the command that waits for it; nil without a directory.
func (m *Model) watchChanges() tea.Cmd {
	if m.dir == nil {
		return nil
	}
	m.changed = m.dir.Changed()
	return m.waitChange(m.changed)
}

// catchUp shows the directory's snapshot if it changed since the model
// last looked (the Changed broadcast it waits on has fired), and waits for
// the next change. A load's reply calls it, so that what the load brought
// shows with its reply; the wait's own message for that broadcast, arriving
// after, is then for a channel the model no longer keeps, and is dropped:
// one load, one rebuild of the rows.
func (m *Model) catchUp() tea.Cmd {
	if m.dir == nil {
		return nil
	}
	if m.changed != nil {
		select {
		case <-m.changed:
		default:
			return nil // nothing new since the model last looked
		}
	}
	watch := m.watchChanges() // before the snapshot is read
	return tea.Batch(watch, m.adopt(m.dir.Snapshot()))
}

// waitForChange waits for ch to close, or for the session to end (then it
// returns nothing): one goroutine per session, never left behind.
func (m *Model) waitForChange(ch <-chan struct{}) tea.Cmd {
	ctx := m.ctx
	return func() tea.Msg {
		select {
		case <-ch:
			return dirChangedMsg{ch: ch}
		case <-ctx.Done():
			return nil
		}
	}
}

// refreshReuse is how old a department's people the presence refresh
// accepts: a little less than the refresh interval. The first session whose
// timer fires asks the portal; every other session showing the department
// gets its answer through Directory.Changed, and its own timer, firing
// within the interval, reuses it. The margin lets a session's own next tick
// ask again.
func (m *Model) refreshReuse() time.Duration {
	return m.refreshEvery - m.refreshEvery/10
}

func (m *Model) refreshTick() tea.Cmd {
	return m.after(m.refreshEvery, refreshMsg{})
}

// selectDept highlights department id: the people pane follows at once from
// what is known, and a load is scheduled (after the cursor rests, unless now).
func (m *Model) selectDept(id int, now bool) tea.Cmd {
	if id == m.shownDept {
		return nil
	}
	m.tree.sel = id
	m.tree.find()
	m.shownDept = m.tree.sel
	m.deptSeq++
	m.deptWaiting = false
	m.peopleErr = ""
	m.people.sel, m.people.idx, m.people.off = m.wantPerson, 0, 0
	m.wantPerson = 0
	m.syncPeople()
	return m.scheduleLoad(now)
}

// syncPeople shows the highlighted department's people from the current org.
func (m *Model) syncPeople() {
	if m.tree.sel == 0 {
		m.people.set(0, nil, false, false)
		return
	}
	if m.tree.sel == favouritesID {
		list, loaded := m.pinnedPeople()
		m.people.set(favouritesID, list, loaded, true)
		return
	}
	if m.wholeSubtree(m.tree.sel) {
		list, loaded := m.org.SubtreePeopleIn(m.lang, m.tree.sel)
		m.people.set(m.tree.sel, list, loaded, true)
		return
	}
	list, loaded := m.org.PeopleIn(m.lang, m.tree.sel)
	m.people.set(m.tree.sel, list, loaded, false)
}

// fresh reports whether the department's people (each department's below
// it, for a whole subtree) are on screen and recent: loaded (by any session
// of the shared directory) or fetched whole less than the refresh interval
// ago.
func (m *Model) fresh(dept int) bool {
	if dept == favouritesID {
		return m.favouritesFresh()
	}
	for _, id := range m.shownDepts(dept) {
		if !m.org.Loaded(id) {
			return false
		}
		if age, ok := m.dir.PeopleAge(id); !ok || age >= m.refreshEvery {
			if m.now().Sub(m.org.FetchedAt()) >= m.refreshEvery {
				return false
			}
		}
	}
	return true
}

// scheduleLoad loads the highlighted department unless it is fresh: now, or
// after the cursor has rested for the debounce interval. What the shared
// directory brought within the refresh interval comes without a request.
func (m *Model) scheduleLoad(now bool) tea.Cmd {
	if m.dir == nil || m.tree.sel == 0 || m.fresh(m.tree.sel) {
		return nil
	}
	m.deptWaiting = true
	if now || m.debounce <= 0 {
		return m.loadPeopleCmd(m.tree.sel, m.deptSeq, m.refreshEvery)
	}
	return m.after(m.debounce, deptIdleMsg{seq: m.deptSeq})
}

// adopt makes o the org on screen, keeping the highlighted department and
// person by ID.
func (m *Model) adopt(o *directory.Org) tea.Cmd {
	if m.dir != nil {
		if w := m.dir.WarningsIn(m.lang); len(w) > 0 {
			m.status.warning = safetext.Clean(w[len(w)-1])
		}
	}
	if o == nil {
		return nil
	}
	if o.Portal() != m.org.Portal() {
		m.addr = directory.LinksOf(o.Portal())
	}
	m.org = o
	if m.shownDept == 0 {
		for _, id := range o.Roots() {
			m.tree.expanded[id] = true
		}
	}
	m.tree.rebuild(o)
	if m.tree.sel != m.shownDept {
		m.shownDept = -1 // force selectDept to treat it as a change
		return m.selectDept(m.tree.sel, true)
	}
	m.syncPeople()
	if !m.people.loaded && !m.deptWaiting {
		return m.scheduleLoad(true)
	}
	return nil
}

// maxScheduleAsk is how many people of the list the first look asks the
// calendars and workdays of: a department whole, and of a larger list (a
// whole subtree) the part around the cursor. 500 people cost the portal
// 11 requests (BENCHMARKS.md).
const maxScheduleAsk = 500

// schedules asks for the calendars and workdays of the people on show:
// when a list first shows (once the cursor rests on its department), for
// the whole list (up to maxScheduleAsk around the cursor); after that, for
// the rows on screen whose answer is older than directory.ScheduleReuse,
// so that a session left open costs a screenful a minute, not a
// department. Nobody is asked twice within ScheduleReuse, whatever the
// answer; one ask is under way at a time. The Directory shares answers
// with every session. Without a Directory it does nothing.
func (m *Model) schedules() tea.Cmd {
	if m.dir == nil || m.schedAsk.pending {
		return nil
	}
	if m.mode == modeSearch {
		return m.searchSchedules()
	}
	list := m.people.list
	if !m.people.loaded || len(list) == 0 {
		return nil
	}
	a := &m.schedAsk
	// The cursor may only be passing over the department: ask once it
	// rests, as its people's load does.
	if wait, waiting := a.cursor.wait(m, m.deptSeq, schedIdleMsg{seq: m.deptSeq}); waiting {
		return wait
	}
	var part []*directory.Person
	if a.dept != m.people.dept || a.n != len(list) {
		from := 0
		if len(list) > maxScheduleAsk {
			from = clamp(m.people.idx-maxScheduleAsk/2, 0, len(list)-maxScheduleAsk)
		}
		part = list[from:min(len(list), from+maxScheduleAsk)]
		a.dept, a.n = m.people.dept, len(list)
	} else {
		part = list[clamp(m.people.off, 0, len(list)):clamp(m.people.off+m.people.listH, 0, len(list))]
	}
	return m.askSchedules(part)
}

// searchSchedules asks for the calendars and workdays of the search's
// results on screen once the query has rested (typing asks nothing), so
// that a result's badge and details say why someone is busy as the
// browser's do. Nobody is asked twice within ScheduleReuse.
func (m *Model) searchSchedules() tea.Cmd {
	s := &m.search
	if len(s.results) == 0 || !m.dir.AsksAvailability() {
		return nil
	}
	if wait, waiting := m.schedAsk.query.wait(m, s.seq, searchSchedIdleMsg{seq: s.seq}); waiting {
		return wait
	}
	n := len(s.results)
	return m.askSchedules(s.results[clamp(s.off, 0, n):clamp(s.off+max(1, s.h-searchTop), 0, n)])
}

// rest is whether a sequence number (the tree cursor's department, the
// search's query) has rested for the debounce interval: rested is the one
// whose timer fired, armed the one a timer runs for.
type rest struct {
	rested, armed int
	armedSet      bool
}

// wait reports whether seq has yet to rest, with the timer that says when
// it has (msg after the debounce; nil while one already runs for seq).
func (r *rest) wait(m *Model, seq int, msg tea.Msg) (tea.Cmd, bool) {
	if r.rested == seq {
		return nil, false
	}
	if r.armed == seq && r.armedSet {
		return nil, true
	}
	r.armed, r.armedSet = seq, true
	return m.after(m.debounce, msg), true
}

// askSchedules asks for the calendars and workdays of those of part not
// known or asked within directory.ScheduleReuse.
func (m *Model) askSchedules(part []*directory.Person) tea.Cmd {
	a := &m.schedAsk
	now := m.now()
	var ids []int
	for _, p := range part {
		if s := m.sched[p.ID]; s != nil && now.Sub(s.AsOf) < directory.ScheduleReuse {
			continue
		}
		if t, ok := a.asked[p.ID]; ok && now.Sub(t) < directory.ScheduleReuse {
			continue
		}
		ids = append(ids, p.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	for _, id := range ids {
		a.asked[id] = now
	}
	a.pending = true
	dir, ctx := m.dir, m.ctx
	return func() tea.Msg {
		got, _ := dir.Schedules(ctx, ids) // a failure leaves presence alone to speak
		return schedulesMsg{got: got, note: dir.ScheduleNote()}
	}
}

// gotSchedules keeps what Directory.Schedules brought, says once which
// missing scope would add what, and measures the list again (the reasons
// widen its detail column).
func (m *Model) gotSchedules(msg schedulesMsg) {
	m.schedAsk.pending = false
	if len(m.sched)+len(m.schedAsk.asked) > 4*maxScheduleAsk {
		for id, s := range m.sched {
			if m.now().Sub(s.AsOf) > 2*directory.ScheduleReuse {
				delete(m.sched, id)
			}
		}
		for id, t := range m.schedAsk.asked {
			if m.now().Sub(t) > 2*directory.ScheduleReuse {
				delete(m.schedAsk.asked, id)
			}
		}
	}
	for id, s := range msg.got {
		if s != nil {
			m.sched[id] = s
		}
	}
	if msg.note != "" && !m.schedAsk.noted {
		m.schedAsk.noted = true
		// Before the other warnings: the bar shows the latest, and a
		// missing scope is news that can wait behind, say, a config file
		// others can read (the error view lists both).
		m.status.startWarnings = append([]string{msg.note}, m.status.startWarnings...)
	}
	if len(msg.got) > 0 && m.people.loaded {
		m.people.need = m.people.measure(m.people.list)
		m.people.scroll()
	}
	if len(msg.got) > 0 && len(m.search.results) > 0 {
		m.search.measure() // the details of a result may take more lines
	}
}
