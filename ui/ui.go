// Package ui is the Bubble Tea front end: the department tree, the people of
// the highlighted department with presence badges, details, search and help.
package ui

import (
	"context"
	"io"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Default intervals.
const (
	DefaultRefreshEvery = 60 * time.Second       // presence refresh of the visible department
	deptDebounce        = 150 * time.Millisecond // rest of the tree cursor before a load
	searchDebounce      = 250 * time.Millisecond // rest of the query before a portal search
	toastFor            = 2 * time.Second
)

// The largest screen the browser draws: a frame costs memory and time in
// proportion to its cells, so a bigger terminal (or one that says it is)
// gets this much, the rest left blank.
const (
	MaxWidth  = 1000
	MaxHeight = 500
)

// NoticeMsg shows Text on the status line as a warning that stops nothing
// (for example, that the terminal is larger than what is drawn); an empty
// Text takes it away.
type NoticeMsg struct{ Text string }

// Options configures a Model.
type Options struct {
	Directory    *directory.Directory
	Renderer     *lipgloss.Renderer // the session's renderer; nil: lipgloss.DefaultRenderer()
	Keys         KeyMap             // zero: DefaultKeyMap()
	Language     *lang.Language     // the words of the screen and its keys' help; nil: English
	Palette      Palette
	Copy         func(text string) // writes text to the clipboard (OSC52); nil: the renderer's output
	CopyNote     string            // said after each copy, e.g. the tmux setting OSC52 needs there
	Threshold    time.Duration     // online threshold; zero: directory.DefaultThreshold
	RefreshEvery time.Duration     // presence refresh of the visible department; zero: 60s
	// PresenceAge is how old the presence in search results may be; zero:
	// directory.DefaultPresenceAge.
	PresenceAge time.Duration
	Background  bool             // load the whole directory in the background for search
	Now         func() time.Time // nil: time.Now
	// Context bounds every load; cancelled loads stop when the program quits.
	// Nil: context.Background().
	Context context.Context
	// Warnings are problems found before the browser started (a config file
	// others can read): the status bar keeps showing them.
	Warnings []string
	// Favourites keeps the user's pinned people and recent lookups between
	// runs (one per SSH key over serve); nil: for this session only.
	Favourites *directory.UserState
	// Links draws names, e-mails and phones as hyperlinks (OSC 8) to the
	// person's profile, mailto: and tel:, and offers a chat link; the
	// terminal's support decides it (see README, Links).
	Links bool
	// Plain makes the model's text for the plain front end (NewPlain):
	// presence in words, no glyphs.
	Plain bool
}

type pane int

const (
	paneTree pane = iota
	panePeople
)

type mode int

const (
	modeNormal mode = iota
	modeSearch
	modeHelp
	modeCopy
	modeErrors   // the error view: every failure with its cause and fix
	modeOrgChart // the org chart of the highlighted department
)

// Model is the root model (used through a pointer; Update and View must be
// called from one goroutine, as tea.Program does). It keeps the layout, the
// focus, the mode and the directory's loads; the panes (tree, people,
// search, help, status bar) each keep their own state over the common they
// share, which embeds here. Update changes state; View only reads it.
type Model struct {
	*common
	dir      *directory.Directory
	ctx      context.Context
	cancel   context.CancelFunc
	r        *lipgloss.Renderer
	copyFrom mode // the mode the copy menu goes back to
	copyFn   func(string)
	copyNote string
	after    func(d time.Duration, msg tea.Msg) tea.Cmd // a timer; tests replace it

	changed    <-chan struct{}                  // the Directory.Changed channel waited on
	waitChange func(ch <-chan struct{}) tea.Cmd // waits for a change; tests replace it

	refreshEvery, debounce, searchDebounce time.Duration
	presenceAge                            time.Duration
	background                             bool

	width, height int
	focus         pane
	mode          mode

	tree       tree
	people     people
	search     search
	helpPage   helpScreen
	chart      orgChart
	status     statusBar
	fav        favourites
	copyIdx    int
	errOff     int // first line of the error view shown
	shownDept  int // the department whose people are on screen
	wantPerson int // the person to highlight once the next department shows

	// schedAsk is what was asked of the calendars and workdays of the
	// people on show: the list whose first look asked for everyone
	// (department, length), when each person was last asked, whether an
	// ask is under way, and whether the missing scopes were said; when the
	// tree cursor (deptSeq) and the search's query (its seq) rested.
	schedAsk struct {
		pending, noted bool
		dept, n        int
		asked          map[int]time.Time
		cursor, query  rest
	}

	deptSeq     int  // bumped whenever the highlighted department changes
	deptWaiting bool // a load of the highlighted department (at deptSeq) is pending
	treeLoading bool
	spinning    bool

	treeErr, peopleErr, bgErr string
	bg                        struct {
		bgState
		ch chan bgProgressMsg
	}
	quitting bool // the browser quit: nothing more is drawn
}

// New returns the root model.
func New(o Options) *Model {
	r := o.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	keys := o.Keys
	if len(keys.Quit.Keys()) == 0 {
		keys = DefaultKeyMap()
	}
	parent := o.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	st := newStyles(r, o.Palette)
	if r.ColorProfile() == termenv.Ascii && r.Output().EnvNoColor() {
		// NO_COLOR asks for no colour, not for no attributes: draw as the
		// mono theme does (bold, reverse, underline), which an Ascii
		// profile would drop too.
		attrs := lipgloss.NewRenderer(io.Discard)
		attrs.SetColorProfile(termenv.ANSI)
		st = newStyles(attrs, Palette{})
	}
	l := o.Language
	if l == nil {
		l = lang.English()
	}
	keys.Localize(l)
	c := &common{st: st, lang: l, keys: keys, skeys: keys.search(), nowFn: o.Now, threshold: o.Threshold, drawn: &drawCache{},
		sched: map[int]*directory.Schedule{}, linksOn: o.Links, plain: o.Plain}
	m := &Model{
		common: c,
		dir:    o.Directory, ctx: ctx, cancel: cancel, r: r,
		copyFn: o.Copy, copyNote: safetext.Clean(o.CopyNote),
		refreshEvery: o.RefreshEvery, presenceAge: o.PresenceAge,
		debounce: deptDebounce, searchDebounce: searchDebounce,
		background: o.Background,
		tree:       newTree(c), people: newPeople(c), search: newSearch(c), helpPage: newHelpScreen(c), chart: newOrgChart(c),
		status: newStatusBar(c, o.Warnings),
		fav:    favourites{store: o.Favourites},
	}
	m.after = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return afterUnless(ctx, d, msg)
	}
	m.waitChange = m.waitForChange
	m.schedAsk.asked = map[int]time.Time{}
	if m.nowFn == nil {
		m.nowFn = time.Now
	}
	if m.threshold <= 0 {
		m.threshold = directory.DefaultThreshold
	}
	if m.refreshEvery <= 0 {
		m.refreshEvery = DefaultRefreshEvery
	}
	if m.dir != nil {
		m.org = m.dir.Snapshot()
		m.treeLoading = true // Init starts it
	} else {
		m.org = directory.NewOrg(directory.Data{})
	}
	m.addr = directory.LinksOf(m.org.Portal())
	m.help = help.New()
	m.help.Styles = m.st.help
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(m.st.spin))
	m.updateKeybindings()
	return m
}

// Init starts loading: what the directory already holds (the disk cache, or
// what other sessions loaded) is drawn at once and, unless the tree is
// fresh, revalidated; the tree, then the highlighted department, then (with
// Background) everyone.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.refreshTick(), m.loadFavourites()}
	if m.dir != nil {
		cmds = append(cmds, m.catchUp()) // the first look: watch, then read the snapshot
		m.treeLoading = !m.dir.TreeFresh()
		if m.treeLoading {
			cmds = append(cmds, m.loadTreeCmd(false))
		}
		if len(m.org.Roots()) > 0 {
			cmds = append(cmds, m.startBackground())
		}
	}
	cmds = append(cmds, m.spinIfBusy())
	return tea.Batch(cmds...)
}

// busy reports foreground work the user waits for.
func (m *Model) busy() bool {
	return m.treeLoading || m.deptWaiting || m.search.pending
}

// spinIfBusy starts the spinner when work begins; it stops by itself after.
func (m *Model) spinIfBusy() tea.Cmd {
	if !m.busy() || m.spinning {
		return nil
	}
	m.spinning = true
	return m.spin.Tick
}

// Update handles a message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.settle()
	return m, tea.Batch(cmd, m.spinIfBusy(), m.schedules())
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case treeLoadedMsg, peopleLoadedMsg, bgDoneMsg, searchResultsMsg:
		m.status.retry = nil // the call it was about has ended, one way or the other
	}
	switch msg := msg.(type) {
	case retryMsg:
		m.status.retry = &retryState{ev: msg.ev, until: m.now().Add(msg.ev.Wait)}
	case tea.WindowSizeMsg:
		m.width, m.height = clamp(msg.Width, 0, MaxWidth), clamp(msg.Height, 0, MaxHeight)
	case NoticeMsg:
		m.status.warning = safetext.Truncate(safetext.Clean(msg.Text), MaxWidth)
	case tea.KeyMsg:
		return m.onKey(msg)
	case tea.MouseMsg:
		return m.onMouse(msg)
	case spinner.TickMsg:
		if !m.busy() {
			m.spinning = false
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case treeLoadedMsg:
		m.treeLoading = false
		if msg.err != nil {
			m.treeErr = m.errLine(m.lang.T("fail.tree"), msg.err)
			return nil
		}
		m.treeErr = ""
		return tea.Batch(m.catchUp(), m.startBackground())
	case deptIdleMsg:
		if msg.seq != m.deptSeq || m.dir == nil {
			return nil
		}
		return m.loadPeopleCmd(m.tree.sel, msg.seq, m.refreshEvery)
	case peopleLoadedMsg:
		if msg.dept != m.tree.sel || msg.seq != m.deptSeq {
			return nil // the user has moved on: never draw it
		}
		m.deptWaiting = false
		if msg.err != nil {
			m.peopleErr = m.errLine(m.lang.T("fail.people"), msg.err)
			return nil
		}
		m.peopleErr = ""
		if msg.dept == favouritesID {
			m.fav.fetched = m.now()
			m.syncPeople() // the pinned people no one knows are gone
		}
		return m.catchUp()
	case favStateMsg:
		return m.onFavState(msg)
	case refreshMsg:
		// Another session of the user (the same SSH key) may have pinned
		// someone: the next read brings it.
		cmds := []tea.Cmd{m.refreshTick(), m.loadFavourites()}
		if m.dir != nil && m.tree.sel != 0 && !m.deptWaiting {
			// The first session to refresh the department asks the portal;
			// the others got its answer (dirChangedMsg) and reuse it.
			m.deptWaiting = true
			cmds = append(cmds, m.loadPeopleCmd(m.tree.sel, m.deptSeq, m.refreshReuse()))
		}
		return tea.Batch(cmds...)
	case dirChangedMsg:
		if msg.ch != m.changed || m.dir == nil {
			return nil // a watch this model no longer keeps
		}
		// Another session's load (or this one's, before its reply) changed
		// the shared snapshot: show it.
		return m.catchUp()
	case orgMsg:
		if m.dir == nil {
			return m.adopt(msg.org)
		}
	case bgProgressMsg:
		m.bg.done, m.bg.total, m.bg.wait = msg.done, msg.total, msg.wait
		return waitProgress(m.bg.ch)
	case bgDoneMsg:
		m.bg.running = false
		if msg.err != nil {
			m.bgErr = m.errLine(m.lang.T("fail.background"), msg.err)
			return nil
		}
		m.bgErr = ""
		cmd := m.catchUp()
		if m.mode == modeSearch && m.org.Complete() {
			m.runSearch()
		}
		return cmd
	case callerMsg:
		if m.mode != modeSearch {
			return nil // the search was left meanwhile
		}
		return m.gotCaller(msg)
	case schedIdleMsg:
		m.schedAsk.cursor.rested = msg.seq
	case searchSchedIdleMsg:
		m.schedAsk.query.rested = msg.seq
	case schedulesMsg:
		m.gotSchedules(msg)
	case presenceMsg:
		if msg.err != nil {
			return nil // the results keep the presence they had; the next search tries again
		}
		cmd := m.catchUp()
		if m.mode == modeSearch && m.search.q.ByPresence() && !m.search.remote {
			m.researchPresence() // who is online has changed
		} else {
			m.freshResults()
		}
		return cmd
	case searchIdleMsg:
		if msg.seq != m.search.seq || m.dir == nil {
			return nil
		}
		return m.searchRemoteCmd(msg.seq, m.search.input.value())
	case searchResultsMsg:
		if msg.seq != m.search.seq {
			return nil
		}
		m.search.pending = false
		if msg.err != nil {
			m.search.err = safetext.Clean(lang.Say(m.lang, msg.err))
			return nil
		}
		m.search.err = ""
		m.search.results, m.search.remote = msg.people, true
		m.search.measure()
		m.search.idx, m.search.off = 0, 0
		m.search.scroll()
	case toastDoneMsg:
		if msg.id == m.status.toastID {
			m.status.toast = ""
		}
	}
	return nil
}

// settle brings the panes up to what an update changed: their sizes for
// the layout (which depends on the focus too), their offsets, and which
// bindings can act. After it, View has only to read.
func (m *Model) settle() {
	L := m.layout()
	m.tree.setSize(L.tree.inner().h)
	in := L.people.inner()
	m.people.setSize(in.w, in.h)
	in = L.main.inner()
	m.search.setSize(in.w, in.h)
	if m.mode == modeHelp {
		m.helpPage.setSize(in.w, in.h)
	}
	if m.mode == modeErrors {
		m.scrollErrors(0)
	}
	if m.mode == modeOrgChart {
		m.chart.setSize(in.w, in.h)
	}
	m.people.link.follow(m.people.current()) // another person: their links start unhighlighted
	m.search.link.follow(m.search.current())
	m.updateKeybindings()
}

// quit stops every load of this session and ends the program.
func (m *Model) quit() tea.Cmd {
	m.quitting = true
	m.cancel()
	return tea.Quit
}

// afterUnless is a timer: msg after d, or nothing once ctx ends (the
// timer and its goroutine end with the session, not d later).
func afterUnless(ctx context.Context, d time.Duration, msg tea.Msg) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return msg
		case <-ctx.Done():
			return nil
		}
	}
}

func (m *Model) showToast(text string) tea.Cmd { return m.showToastFor(text, toastFor) }

// showToastFor shows text in the status bar for d.
func (m *Model) showToastFor(text string, d time.Duration) tea.Cmd {
	return m.after(d, toastDoneMsg{id: m.status.show(text)})
}
