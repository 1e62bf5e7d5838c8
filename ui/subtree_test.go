package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rowOf is the line of the screen that holds text.
func rowOf(t *testing.T, v, text string) string {
	t.Helper()
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	t.Fatalf("no line holds %q:\n%s", text, v)
	return ""
}

func TestSubtreeToggle(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("Sales")
	sales := h.m.tree.sel
	v := h.view()
	assert.Contains(t, v, "Sales · 1 person", "Sales' own members: Boris")

	h.keys("a")
	require.True(t, h.m.people.subtree)
	v = h.view()
	count := h.m.org.HeadCount(sales)
	require.Equal(t, 5, count)
	assert.Contains(t, v, "Sales · 5 people in all", "the title says it is the whole subtree")
	assert.Len(t, h.m.people.list, count, "as many people as the tree counts for Sales")
	assert.Contains(t, rowOf(t, v, "Dora Müller"), "EMEA", "a row says the sub-department")
	assert.NotContains(t, rowOf(t, v, "Борис Иванов ★"), "EMEA", "Sales' own member has no sub-department")
	assert.Equal(t, 20, h.m.people.list[0].ID, "the head of Sales first")

	// The toggle stays on from one department to the next; a department
	// without any below lists its own people, as many as it counts.
	h.selectDept("EMEA")
	assert.True(t, h.m.people.subtree)
	assert.Contains(t, h.view(), "EMEA · 4 people in all")
	assert.Len(t, h.m.people.list, h.m.org.HeadCount(h.m.tree.sel))

	// The highlighted person stays highlighted across the toggle.
	h.keys("tab", "end")
	last := h.m.people.sel
	require.NotEqual(t, h.m.people.list[0].ID, last)
	h.keys("a")
	assert.False(t, h.m.people.subtree)
	assert.Contains(t, h.view(), "EMEA · 4 people")
	assert.NotContains(t, h.view(), "in all")
	assert.Equal(t, last, h.m.people.sel, "the person highlighted before is highlighted still")
}

func TestSubtreeInHelp(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("?")
	assert.Contains(t, screenText(h.view()), "a whole subtree / own people")
}

// Against a portal the toggle loads the whole subtree (one request for all
// its departments) and shows it once loaded.
func TestSubtreeLoads(t *testing.T) {
	p, dir := startPortal(t, smallPortalOrg())
	h := newHarness(t, Options{Directory: dir})
	h.init()
	h.keys("down") // Sales
	h.fire()
	h.changes()
	require.Equal(t, "Sales", h.m.org.Department(h.m.tree.sel).Name)
	require.True(t, h.m.people.loaded)
	require.False(t, h.m.org.Loaded(h.m.org.Subtree(h.m.tree.sel)[1]), "EMEA is not loaded yet")

	p.ResetCounters()
	h.keys("a")
	h.changes()
	assert.True(t, h.m.people.loaded)
	assert.Equal(t, int64(1), p.Requests()["batch"], "%v", p.Requests())
	assert.Len(t, h.m.people.list, h.m.org.HeadCount(h.m.tree.sel))
	assert.Contains(t, h.view(), "Sales · 5 people in all")
}

// The rows of a whole subtree, with their sub-department column, keep to
// the pane's width at every width, narrow or wide.
func TestSubtreeRowsFitEveryWidth(t *testing.T) {
	h := loaded(t, smallOrg())
	h.selectDept("Acme Corp")
	h.keys("a")
	require.True(t, h.m.people.whole)
	for w := 20; w <= 200; w++ {
		h.send(tea.WindowSizeMsg{Width: w, Height: 30})
		for i, l := range strings.Split(h.view(), "\n") {
			require.Equal(t, w, ansi.StringWidth(l), "width %d, line %d: %q", w, i, l)
		}
	}
	h.send(tea.WindowSizeMsg{Width: 200, Height: 30})
	assert.Contains(t, rowOf(t, h.view(), "Dora Müller"), "EMEA", "a wide pane names the sub-department")
}
