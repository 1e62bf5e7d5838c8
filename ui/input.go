package ui

import (
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// onKey routes a key by mode, then by focus. ctrl+c always quits; esc goes
// back and never quits.
func (m *Model) onKey(k tea.KeyMsg) tea.Cmd {
	if k.Paste {
		return m.onPaste(k.Runes)
	}
	if k.Type == tea.KeyRunes && len(k.Runes) > 1 && (m.mode != modeSearch || m.search.list) {
		return m.onBurst(k)
	}
	if k.String() == "ctrl+c" {
		return m.quit()
	}
	switch m.mode {
	case modeHelp:
		switch m.helpPage.update(k) {
		case pageClose:
			m.mode = modeNormal
		case pageQuit:
			return m.quit()
		}
		return nil
	case modeCopy:
		return m.copyMenuKey(k)
	case modeErrors:
		return m.errorsKey(k)
	case modeOrgChart:
		switch m.chart.update(k) {
		case pageClose:
			m.mode = modeNormal
		case pageQuit:
			return m.quit()
		}
		return nil
	case modeSearch:
		return m.searchKey(k)
	}
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.quit()
	case key.Matches(k, m.keys.Help):
		m.mode, m.helpPage.off = modeHelp, 0
	case key.Matches(k, m.keys.Search):
		return m.openSearch()
	case key.Matches(k, m.keys.Tab):
		m.focus = 1 - m.focus
	case key.Matches(k, m.keys.Back):
		m.status.toast = ""
		if m.focus == panePeople {
			m.focus = paneTree
		}
	case key.Matches(k, m.keys.Copy): // enabled with a person highlighted
		if p := m.people.current(); p != nil {
			return m.copy("extension", p.Extension)
		}
	case key.Matches(k, m.keys.CopyMenu): // enabled when that person has something to copy
		m.openCopyMenu(modeNormal)
	case key.Matches(k, m.keys.Refresh):
		return m.refresh()
	case key.Matches(k, m.keys.Errors):
		m.mode, m.errOff = modeErrors, 0
	case key.Matches(k, m.keys.Subtree): // enabled on a department with departments below it
		return m.toggleSubtree()
	case key.Matches(k, m.keys.Link): // enabled with a person who has links highlighted
		m.people.nextLink()
	case key.Matches(k, m.keys.Manager): // enabled with a person highlighted
		return m.toManager()
	case key.Matches(k, m.keys.Pin): // enabled with a person highlighted
		return m.togglePin(m.people.current())
	case key.Matches(k, m.keys.OrgChart): // enabled with a department highlighted
		m.mode = modeOrgChart
		m.chart.open(m.tree.sel)
	case m.focus == paneTree:
		switch m.tree.update(k, m.page()) {
		case treeMoved:
			return m.selectDept(m.tree.sel, false)
		case treeToList:
			m.focus = panePeople
		}
	default:
		if m.people.update(k, m.page()) == peopleToTree {
			m.focus = paneTree
		}
	}
	return nil
}

// toggleSubtree switches the people pane between the highlighted
// department's own members and everyone below it, keeping the highlighted
// person when the other list has them, and loads what the new list lacks.
func (m *Model) toggleSubtree() tea.Cmd {
	m.people.subtree = !m.people.subtree
	m.deptSeq++ // a load for the other list no longer answers this one
	m.deptWaiting = false
	m.peopleErr = ""
	m.people.off = 0
	m.syncPeople()
	return m.scheduleLoad(true)
}

// onBurst handles several runes that arrived in one read (typeahead, a slow
// link, an auto-typer): outside a text field each rune is a key of its own;
// once a key opens the search (or gives the keys back to its query), the
// runes after it are its text.
func (m *Model) onBurst(k tea.KeyMsg) tea.Cmd {
	var cmds []tea.Cmd
	for i, r := range k.Runes {
		if m.mode == modeSearch && !m.search.list {
			cmds = append(cmds, m.searchKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: k.Runes[i:]}))
			break
		}
		m.updateKeybindings() // as Update would between two keys
		cmds = append(cmds, m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt}))
		if m.ctx.Err() != nil { // a key quit: the rest is not for this program
			break
		}
	}
	return tea.Batch(cmds...)
}

// onPaste puts pasted text (bracketed paste) into the search field, opening
// it when the browser shows; pasted text is never taken for keys. The field
// cleans it (safetext).
func (m *Model) onPaste(rs []rune) tea.Cmd {
	switch m.mode {
	case modeNormal:
		m.openSearch()
	case modeSearch:
	default:
		return nil // help and the copy menu have no field
	}
	if !m.search.input.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: rs}) {
		return nil
	}
	return m.runSearch()
}

// page is how many rows a page key moves.
func (m *Model) page() int {
	h := m.tree.h
	if m.focus == panePeople {
		h = m.people.listH
	}
	return max(1, h-1)
}

// refresh reloads the tree and the highlighted department now, and restarts
// a background load that stopped.
func (m *Model) refresh() tea.Cmd {
	m.treeErr, m.peopleErr = "", ""
	fav := m.loadFavourites() // another session of the user may have changed them
	if m.dir == nil {
		return fav
	}
	m.treeLoading = true
	cmds := []tea.Cmd{m.loadTreeCmd(true)}
	if m.tree.sel != 0 {
		m.deptWaiting = true
		cmds = append(cmds, m.loadPeopleCmd(m.tree.sel, m.deptSeq, 0))
	}
	if m.bgErr != "" {
		cmds = append(cmds, m.startBackground())
	}
	return tea.Batch(append(cmds, fav)...)
}

// allCopyItems are what the copy menu can offer: the contacts, then the
// addresses the name and the chat item link to (copied whether or not
// links are drawn: some terminals open no link); each as its English word
// (whose letters choose it, in every language: copyKeys) and its value.
func (c *common) allCopyItems(p *directory.Person) [][2]string {
	return [][2]string{{"e-mail", p.Email}, {"work phone", p.WorkPhone}, {"mobile", p.Mobile}, {"name", p.Name}, {"card", c.card(p)},
		{"profile link", c.addr.Profile(p)}, {"chat link", c.addr.Chat(p)}}
}

// copyKeys are the letters that choose the entries of items (allCopyItems):
// each entry's first letter that no entry before it took and no key of the
// open menu moves with ("ch[a]t link": the card has c, and h moves left).
func (c *common) copyKeys(items [][2]string) []string {
	keys := make([]string, len(items))
	taken := map[rune]bool{}
	for i, it := range items {
		for _, r := range it[0] {
			if r < 'a' || r > 'z' || taken[r] ||
				key.Matches(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}, c.keys.Back, c.keys.CopyMenu, c.keys.Left, c.keys.Up, c.keys.Right, c.keys.Down, c.keys.Tab, c.keys.Enter) {
				continue
			}
			keys[i], taken[r] = string(r), true
			break
		}
	}
	return keys
}

// copyLetters is the letter of each entry of p's copy menu, by name (copyKeys).
func (c *common) copyLetters(p *directory.Person) map[string]string {
	all := c.allCopyItems(p)
	letters := make(map[string]string, len(all))
	for i, letter := range c.copyKeys(all) {
		letters[all[i][0]] = letter
	}
	return letters
}

// copyWord is the copy menu's word for the item what in the session's
// language.
func (c *common) copyWord(what string) string {
	return c.lang.T("copy.item." + strings.ReplaceAll(what, " ", ""))
}

// card is p as one line to paste into a chat or a ticket: name, position,
// extension, mobile and e-mail joined by " — ", leaving out what p lacks.
func (c *common) card(p *directory.Person) string {
	var parts []string
	for _, f := range [][2]string{{"", p.Name}, {"", p.Position}, {"contact.ext", p.Extension}, {"contact.mobile", p.Mobile}, {"", p.Email}} {
		switch {
		case f[1] == "":
		case f[0] == "":
			parts = append(parts, f[1])
		default:
			parts = append(parts, c.lang.T(f[0], "Value", f[1]))
		}
	}
	return strings.Join(parts, " — ")
}

// copyItems are the entries of the copy menu: what p has of e-mail, work
// phone, mobile, name, card, profile link and chat link. Each is chosen by
// its letter (copyKeys).
func (c *common) copyItems(p *directory.Person) [][2]string {
	var items [][2]string
	for _, it := range c.allCopyItems(p) {
		if it[1] != "" {
			items = append(items, it)
		}
	}
	return items
}

// openCopyMenu opens the copy menu of the highlighted person of mode
// from (the browser's, or the search's highlighted result), to which it
// goes back.
func (m *Model) openCopyMenu(from mode) {
	m.mode, m.copyFrom, m.copyIdx = modeCopy, from, 0
	m.status.toast = "" // esc must not bring back the last copy's toast
}

// copyTarget is the person the copy keys act on: the highlighted result
// in the search (or its copy menu), else the people pane's.
func (m *Model) copyTarget() *directory.Person {
	if m.mode == modeSearch || (m.mode == modeCopy && m.copyFrom == modeSearch) {
		return m.search.current()
	}
	return m.people.current()
}

func (m *Model) copyMenuKey(k tea.KeyMsg) tea.Cmd {
	p := m.copyTarget()
	back := m.copyFrom
	if p == nil {
		m.mode = back
		return nil
	}
	items := m.copyItems(p)
	if len(items) == 0 {
		m.mode = back
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Back, m.keys.CopyMenu):
		m.mode = back
	case key.Matches(k, m.keys.Left, m.keys.Up):
		m.copyIdx = clamp(m.copyIdx-1, 0, len(items)-1)
	case key.Matches(k, m.keys.Right, m.keys.Down, m.keys.Tab):
		m.copyIdx = clamp(m.copyIdx+1, 0, len(items)-1)
	case key.Matches(k, m.keys.Enter):
		m.mode = back
		it := items[m.copyIdx]
		return m.copy(it[0], it[1])
	default:
		// Every entry's letter works; one the person lacks says so.
		all := m.allCopyItems(p)
		for i, letter := range m.copyKeys(all) {
			if it := all[i]; letter != "" && k.String() == letter {
				m.mode = back
				return m.copy(it[0], it[1])
			}
		}
	}
	return nil
}

// copy writes text to the clipboard (OSC52 through the session's output
// unless Options.Copy is set) and says so. A terminal never answers OSC52,
// and tmux drops it unless set-clipboard is on, so the toast says what was
// sent, not that it arrived (with Options.CopyNote, e.g. the tmux setting).
func (m *Model) copy(what, text string) tea.Cmd {
	if text == "" {
		return m.showToast(m.lang.T("copy.none", "What", m.copyWord(what)))
	}
	if m.copyFn != nil {
		m.copyFn(text)
	} else {
		m.r.Output().Copy(text)
	}
	toast := m.lang.T("copy.sent", "What", m.copyWord(what), "Text", text)
	if m.copyNote != "" {
		toast += " · " + m.copyNote
	}
	return tea.Batch(m.lookedUp(m.copyTarget()), m.showToast(toast))
}

func (m *Model) openSearch() tea.Cmd {
	m.mode = modeSearch
	s := &m.search
	s.input.reset()
	s.results, s.idx, s.off, s.err, s.pending, s.remote, s.list = m.recentPeople(), 0, 0, "", false, false, false
	s.link = linkWalk{} // a result the last search walked starts unhighlighted
	s.seq++
	s.scroll()
	return nil
}

// searchKey handles a key in the search view.
func (m *Model) searchKey(k tea.KeyMsg) tea.Cmd {
	switch m.search.update(k) {
	case searchClose:
		m.closeSearch()
	case searchJump:
		return m.jump(m.search.current())
	case searchPin:
		return m.togglePin(m.search.current())
	case searchChanged:
		return m.runSearch()
	case searchCaller:
		return m.callerCmd(m.search.input.value())
	case searchCopy:
		if p := m.search.current(); p != nil {
			return m.copy("extension", p.Extension)
		}
	case searchCopyMenu:
		if p := m.search.current(); p != nil && (m.addr.Known() || len(m.copyItems(p)) > 0) {
			m.openCopyMenu(modeSearch)
		}
	}
	return nil
}

// stalePresence is how old everyone's presence is, and whether that is
// older than the presence age allows (a presence refresh is then asked
// for, and a presence filter's answer says so).
func (m *Model) stalePresence() (time.Duration, bool) {
	limit := m.presenceAge
	if limit <= 0 {
		limit = directory.DefaultPresenceAge
	}
	age := m.now().Sub(m.org.FetchedAt())
	if m.dir != nil {
		if a, ok := m.dir.PresenceAge(); ok {
			age = min(age, a)
		}
	}
	return age, age > limit
}

// researchPresence answers the search again after a presence refresh,
// when its query keeps people by presence, keeping the highlighted person
// when they are still found.
func (m *Model) researchPresence() {
	s := &m.search
	sel := 0
	if p := s.current(); p != nil {
		sel = p.ID
	}
	limit := max(searchLimit, len(s.results))
	s.searchLocal(m.org, s.query, limit)
	s.presenceNote = ""
	if age, stale := m.stalePresence(); stale {
		s.presenceNote = m.lang.T("search.presenceas", "Age", m.lang.RoughAge(age))
	}
	s.idx = 0
	for i, p := range s.results {
		if p.ID == sel {
			s.idx = i
		}
	}
	s.scroll()
}

func (m *Model) closeSearch() {
	m.mode = modeNormal
	m.search.pending = false
	m.search.seq++
}

// runSearch answers the current query: from the local index when the whole
// directory is in memory, else from the portal after the query rests.
func (m *Model) runSearch() tea.Cmd {
	s := &m.search
	s.seq++
	s.idx, s.off, s.err, s.pending = 0, 0, "", false
	q := s.input.value()
	if q == "" {
		s.results, s.remote, s.list = m.recentPeople(), false, false // what the search opened with
		return nil
	}
	pq := directory.ParseQuery(q)
	s.partial, s.presenceNote = 0, ""
	if m.org.Complete() || m.dir == nil || pq.Filtered() {
		// Filters need everyone's records, which the portal's search does
		// not return: while the directory loads, the people known so far
		// answer, and the status says so.
		s.searchLocal(m.org, q, searchLimit)
		if !m.org.Complete() && m.dir != nil {
			s.partial = m.org.PersonCount()
		}
		if age, stale := m.stalePresence(); stale && pq.ByPresence() {
			s.presenceNote = m.lang.T("search.presenceas", "Age", m.lang.RoughAge(age))
		}
		return m.presenceCmd()
	}
	s.pending = true
	return m.after(m.searchDebounce, searchIdleMsg{seq: s.seq})
}

// jump shows p in the tree and the people pane: ancestors expanded, the
// department highlighted, the person highlighted.
func (m *Model) jump(p *directory.Person) tea.Cmd {
	dept := m.firstDept(p)
	m.closeSearch()
	if dept == 0 {
		return tea.Batch(m.lookedUp(p), m.showToast(m.lang.T("jump.nodepartment", "Name", m.named(p.Name))))
	}
	return tea.Batch(m.lookedUp(p), m.show(p.ID, dept))
}

// show highlights person id in department dept, which the tree knows: its
// ancestors expanded, the focus on the people pane.
func (m *Model) show(id, dept int) tea.Cmd {
	m.focus = panePeople
	m.tree.reveal(m.org, dept)
	m.tree.sel = dept
	m.tree.rebuild(m.org)
	if dept == m.shownDept {
		m.people.sel = id
		m.syncPeople()
		return nil
	}
	m.wantPerson = id
	return m.selectDept(dept, true)
}
