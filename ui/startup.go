package ui

import tea "github.com/charmbracelet/bubbletea"

// StagedStart is the browser while the disk cache loads in two steps
// (directory.Directory.LoadCacheStaged). It draws a first browser over the
// cache's first part (the tree, the head counts, the root departments'
// people) at once and holds the keys and the mouse while the rest of the
// cache loads; then it hands over to a browser over the whole cache, which
// becomes the program's model and gets the held input. The first browser
// only draws: the loads it would start are never run, the next browser
// starts them.
type StagedStart struct {
	first *Model
	rest  func() error
	next  func() *Model
	size  tea.Msg // the last tea.WindowSizeMsg, for the next browser
	input []tea.Msg
}

// NewStagedStart returns the staged start that shows first until rest (it
// loads the rest of the cache; a failure is the Directory's to report, in
// its Warnings) returns, then runs the browser next builds.
func NewStagedStart(first *Model, rest func() error, next func() *Model) *StagedStart {
	return &StagedStart{first: first, rest: rest, next: next}
}

// restLoadedMsg says the rest of the cache has loaded (or failed to).
type restLoadedMsg struct{}

// Init draws the first part and starts loading the rest.
func (s *StagedStart) Init() tea.Cmd {
	_ = s.first.Init() // what it would load, the next browser loads
	return func() tea.Msg {
		_ = s.rest()
		return restLoadedMsg{}
	}
}

// Update follows the window size, holds the input, and once the rest has
// loaded returns the next browser, with the size and the held input
// already given to it, in its own place.
func (s *StagedStart) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case restLoadedMsg:
		m := s.next()
		cmds := []tea.Cmd{m.Init()}
		for _, in := range append([]tea.Msg{s.size}, s.input...) {
			if in != nil {
				_, cmd := m.Update(in)
				cmds = append(cmds, cmd)
			}
		}
		return m, tea.Batch(cmds...)
	case tea.WindowSizeMsg:
		s.size = msg
		_, _ = s.first.Update(msg)
	case tea.KeyMsg, tea.MouseMsg:
		s.input = append(s.input, msg)
	default:
		_, _ = s.first.Update(msg) // a retry notice shows on the first browser
	}
	return s, nil
}

// View draws the first browser.
func (s *StagedStart) View() string { return s.first.View() }
