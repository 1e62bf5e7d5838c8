package ui

import (
	"github.com/b24org/b24org/directory"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// onKey routes a key by mode, then by focus. ctrl+c always quits; esc goes
// back and never quits.
func (m *Model) onKey(k tea.KeyMsg) tea.Cmd {
	if k.String() == "ctrl+c" {
		return m.quit()
	}
	switch m.mode {
	case modeHelp:
		switch {
		case key.Matches(k, m.keys.Back, m.keys.Help):
			m.mode = modeNormal
		case key.Matches(k, m.keys.Quit):
			return m.quit()
		case key.Matches(k, m.keys.Up):
			m.helpOff = max(0, m.helpOff-1)
		case key.Matches(k, m.keys.Down):
			m.helpOff++ // helpView clamps it
		}
		return nil
	case modeCopy:
		return m.copyMenuKey(k)
	case modeSearch:
		return m.searchKey(k)
	}
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.quit()
	case key.Matches(k, m.keys.Help):
		m.mode, m.helpOff = modeHelp, 0
	case key.Matches(k, m.keys.Search):
		return m.openSearch()
	case key.Matches(k, m.keys.Tab):
		m.focus = 1 - m.focus
	case key.Matches(k, m.keys.Back):
		m.toast = ""
		if m.focus == panePeople {
			m.focus = paneTree
		}
	case key.Matches(k, m.keys.Copy):
		p := m.people.current()
		if p == nil {
			return m.showToast("no person highlighted")
		}
		return m.copy("extension", p.Extension)
	case key.Matches(k, m.keys.CopyMenu):
		if m.people.current() == nil {
			return m.showToast("no person highlighted")
		}
		m.mode, m.copyIdx = modeCopy, 0
	case key.Matches(k, m.keys.Refresh):
		return m.refresh()
	case m.focus == paneTree:
		return m.treeKey(k)
	default:
		m.peopleKey(k)
	}
	return nil
}

// page is how many rows a page key moves.
func (m *Model) page() int {
	L := m.layout()
	h := L.tree.inner().h
	if m.focus == panePeople {
		in := L.people.inner()
		h, _ = m.peopleSplit(in.w, in.h)
	}
	return max(1, h-1)
}

func (m *Model) treeKey(k tea.KeyMsg) tea.Cmd {
	t := &m.tree
	n := len(t.rows)
	switch {
	case key.Matches(k, m.keys.Up):
		return m.selectDept(t.move(-1), false)
	case key.Matches(k, m.keys.Down):
		return m.selectDept(t.move(1), false)
	case key.Matches(k, m.keys.PageUp):
		return m.selectDept(t.move(-m.page()), false)
	case key.Matches(k, m.keys.PageDown):
		return m.selectDept(t.move(m.page()), false)
	case key.Matches(k, m.keys.Home):
		return m.selectDept(t.move(-n), false)
	case key.Matches(k, m.keys.End):
		return m.selectDept(t.move(n), false)
	case key.Matches(k, m.keys.Right):
		if t.idx >= n {
			return nil
		}
		r := t.rows[t.idx]
		switch {
		case r.children && !t.expanded[r.id]:
			m.toggle(r.id)
		case r.children:
			return m.selectDept(t.move(1), false)
		default:
			m.focus = panePeople
		}
	case key.Matches(k, m.keys.Left):
		if t.idx >= n {
			return nil
		}
		r := t.rows[t.idx]
		if r.children && t.expanded[r.id] {
			m.toggle(r.id)
			return nil
		}
		if d := m.org.Department(r.id); d != nil && d.ParentID != 0 {
			t.sel = d.ParentID
			t.find()
			return m.selectDept(t.sel, false)
		}
	case key.Matches(k, m.keys.Enter):
		m.focus = panePeople
	}
	return nil
}

// toggle expands or collapses a department.
func (m *Model) toggle(id int) {
	m.tree.expanded[id] = !m.tree.expanded[id]
	m.tree.rebuild(m.org)
}

func (m *Model) peopleKey(k tea.KeyMsg) {
	p := &m.people
	switch {
	case key.Matches(k, m.keys.Up):
		p.move(-1)
	case key.Matches(k, m.keys.Down):
		p.move(1)
	case key.Matches(k, m.keys.PageUp):
		p.move(-m.page())
	case key.Matches(k, m.keys.PageDown):
		p.move(m.page())
	case key.Matches(k, m.keys.Home):
		p.move(-len(p.list))
	case key.Matches(k, m.keys.End):
		p.move(len(p.list))
	case key.Matches(k, m.keys.Left):
		m.focus = paneTree
	}
}

// refresh reloads the tree and the highlighted department now, and restarts
// a background load that stopped.
func (m *Model) refresh() tea.Cmd {
	m.treeErr, m.peopleErr = "", ""
	if m.dir == nil {
		return nil
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
	return tea.Batch(cmds...)
}

// copyItems are the entries of the copy menu.
func copyItems(p *directory.Person) [][2]string {
	return [][2]string{{"e-mail", p.Email}, {"mobile", p.Mobile}, {"name", p.Name}}
}

func (m *Model) copyMenuKey(k tea.KeyMsg) tea.Cmd {
	p := m.people.current()
	if p == nil {
		m.mode = modeNormal
		return nil
	}
	items := copyItems(p)
	switch {
	case key.Matches(k, m.keys.Back, m.keys.CopyMenu):
		m.mode = modeNormal
	case key.Matches(k, m.keys.Left, m.keys.Up):
		m.copyIdx = clamp(m.copyIdx-1, 0, len(items)-1)
	case key.Matches(k, m.keys.Right, m.keys.Down, m.keys.Tab):
		m.copyIdx = clamp(m.copyIdx+1, 0, len(items)-1)
	case key.Matches(k, m.keys.Enter):
		m.mode = modeNormal
		it := items[m.copyIdx]
		return m.copy(it[0], it[1])
	default:
		for _, it := range items {
			if k.String() == it[0][:1] {
				m.mode = modeNormal
				return m.copy(it[0], it[1])
			}
		}
	}
	return nil
}

// copy writes text to the clipboard (OSC52 through the session's output
// unless Options.Copy is set) and confirms with a toast.
func (m *Model) copy(what, text string) tea.Cmd {
	if text == "" {
		return m.showToast("no " + what + " to copy")
	}
	if m.copyFn != nil {
		m.copyFn(text)
	} else {
		m.r.Output().Copy(text)
	}
	return m.showToast("✓ copied " + what + " " + text)
}

func (m *Model) openSearch() tea.Cmd {
	m.mode = modeSearch
	s := &m.search
	s.input.reset()
	s.results, s.idx, s.off, s.err, s.pending, s.remote = nil, 0, 0, "", false, false
	s.seq++
	return nil
}

func (m *Model) searchKey(k tea.KeyMsg) tea.Cmd {
	s := &m.search
	switch k.Type {
	case tea.KeyEsc:
		m.closeSearch()
		return nil
	case tea.KeyUp:
		s.move(-1)
		return nil
	case tea.KeyDown:
		s.move(1)
		return nil
	case tea.KeyPgUp:
		s.move(-10)
		return nil
	case tea.KeyPgDown:
		s.move(10)
		return nil
	case tea.KeyEnter:
		if p := s.current(); p != nil {
			return m.jump(p)
		}
		return nil
	}
	if key.Matches(k, m.keys.Back) {
		m.closeSearch()
		return nil
	}
	if !s.input.update(k) {
		return nil
	}
	return m.runSearch()
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
		s.results, s.remote = nil, false
		return nil
	}
	if m.org.Complete() || m.dir == nil {
		s.searchLocal(m.org, q, searchLimit)
		return nil
	}
	s.pending = true
	return m.after(m.searchDebounce, searchIdleMsg{seq: s.seq})
}

// jump shows p in the tree and the people pane: ancestors expanded, the
// department highlighted, the person highlighted.
func (m *Model) jump(p *directory.Person) tea.Cmd {
	dept := 0
	for _, id := range p.DepartmentIDs {
		if m.org.Department(id) != nil {
			dept = id
			break
		}
	}
	m.closeSearch()
	if dept == 0 {
		return m.showToast(p.Name + " is in no known department")
	}
	m.focus = panePeople
	m.tree.reveal(m.org, dept)
	m.tree.sel = dept
	m.tree.rebuild(m.org)
	if dept == m.shownDept {
		m.people.sel = p.ID
		m.syncPeople()
		return nil
	}
	m.wantPerson = p.ID
	return m.selectDept(dept, true)
}
