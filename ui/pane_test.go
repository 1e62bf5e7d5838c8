package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// state is everything of m that View must not change: the Model's fields,
// the panes' (values inside it) and the common's, all but what the last
// frame drew (the draw cache, which nothing drawn depends on).
func state(m *Model) string {
	c := *m.common
	c.drawn = nil
	mm := *m
	mm.common = nil
	return fmt.Sprintf("%#v\n%#v", mm, c)
}

// View only reads: across screens, sizes and scroll positions, the state
// after a frame is the state before it, and the mouse (which reads the
// offsets) acts the same whether or not a frame was drawn in between.
func TestViewWritesNothing(t *testing.T) {
	h := demoHarness(t, false)
	screens := []struct {
		name string
		keys []string
	}{
		{"people", nil},
		{"people, far down", []string{"end"}},
		{"tree", []string{"tab", "end"}},
		{"tree, back up", []string{"home"}},
		{"help", []string{"?", "down", "down", "down"}},
		{"errors", []string{"e", "down"}},
		{"search", []string{"/", "a"}},
		{"search, far down", []string{"pgdown", "pgdown", "down"}},
		{"copy menu", []string{"tab", "Y", "right"}},
		{"toast", []string{"y"}},
		{"org chart", []string{"o", "down", "pgdown"}},
		{"org chart, far down", []string{"o", "end", "up"}},
		{"manager", []string{"m"}},
	}
	for _, s := range screens {
		h.keys(s.keys...)
		for _, sz := range [][2]int{{200, 60}, {120, 40}, {80, 24}, {50, 20}, {30, 8}, {100, 12}} {
			h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			before := state(h.m)
			v := h.view()
			require.Equal(t, before, state(h.m), "%s at %dx%d: View changed the model", s.name, sz[0], sz[1])
			require.Equal(t, v, h.view(), "%s at %dx%d: a second frame is the same", s.name, sz[0], sz[1])
		}
		h.keys("esc")
		if s.name == "errors" {
			h.keys("esc")
		}
	}
}

// The offsets the mouse reads are set by Update: a click lands on the row
// under it on a model that has drawn no frame since its last update.
func TestMouseNeedsNoFrame(t *testing.T) {
	click := func(drawn bool) (int, int) {
		h := demoHarness(t, false)
		h.send(tea.WindowSizeMsg{Width: 120, Height: 8})
		h.keys("tab", "end") // far down the tree: it scrolled
		if drawn {
			h.view()
		}
		in := h.m.layout().tree.inner()
		h.send(tea.MouseMsg{X: in.x + in.w - 2, Y: in.y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
		return h.m.tree.idx, h.m.tree.off
	}
	idx, off := click(false)
	require.Positive(t, off, "the list scrolled without a frame")
	assert.Equal(t, off, idx, "the click picks the first row in sight")
	idx2, off2 := click(true)
	assert.Equal(t, idx, idx2)
	assert.Equal(t, off, off2)
}

// TestPaneGolden pins each pane's own drawing, the demo's people pane
// and tree with a department and person highlighted, and the search
// with results (colour profile ASCII; regenerate with
// go test ./ui -run TestPaneGolden -update).
func TestPaneGolden(t *testing.T) {
	h := demoHarness(t, false)
	const w, ht = 60, 16
	join := func(lines []string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }
	t.Run("tree", func(t *testing.T) {
		teatest.RequireEqualOutput(t, join(h.m.tree.view(w, ht, false, false, "")))
	})
	t.Run("people", func(t *testing.T) {
		h.m.people.setSize(w, ht)
		teatest.RequireEqualOutput(t, join(h.m.people.view(w, ht, true, "")))
	})
	t.Run("search", func(t *testing.T) {
		h.keys("/", "a", "n", "down")
		require.NotEmpty(t, h.m.search.results)
		h.m.search.setSize(w, ht)
		teatest.RequireEqualOutput(t, join(h.m.search.view(w, ht)))
	})
}
