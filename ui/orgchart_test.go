package ui

import (
	"strings"
	"testing"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// highlight shows person id in the people pane, as a search jump does.
func (h *harness) highlight(t *testing.T, id int) {
	t.Helper()
	p := h.m.org.Person(id)
	require.NotNil(t, p)
	h.m.openSearch()
	h.run(h.m.jump(p))
	require.Equal(t, id, h.m.people.current().ID)
}

// In the small org: Anna heads Acme Corp, Борис Sales, Dora EMEA; Eve is
// in EMEA; Frank is in R&D (no head) first and EMEA too.
func TestManagerKeyJumpsToTheManager(t *testing.T) {
	h := loaded(t, smallOrg())
	for _, c := range []struct {
		who, manager, dept int
		why                string
	}{
		{32, 30, 3, "a member: the head of EMEA"},
		{30, 20, 2, "a head: the head of the parent department, Sales"},
		{20, 10, 1, "the head of Sales: the root's head"},
		{40, 10, 1, "Frank's first department, R&D, has no head: the root's head"},
	} {
		h.highlight(t, c.who)
		h.keys("m")
		require.NotNil(t, h.m.people.current(), c.why)
		assert.Equal(t, c.manager, h.m.people.current().ID, c.why)
		assert.Equal(t, c.dept, h.m.tree.sel, c.why)
		assert.Equal(t, panePeople, h.m.focus)
		assert.Contains(t, h.view(), "reports to "+h.m.org.Person(c.manager).Name, c.why)
	}
	h.highlight(t, 10)
	h.keys("m")
	assert.Equal(t, 10, h.m.people.current().ID, "the root's head stays")
	assert.Equal(t, 1, h.m.tree.sel)
	assert.Contains(t, h.view(), "Anna Johnson reports to no one: the head of the top of the tree")
}

func TestDetailsShowTheChainAndDirectReports(t *testing.T) {
	h := loaded(t, smallOrg())
	h.highlight(t, 32)
	text := screenText(h.view())
	assert.Contains(t, text, "reports to Dora Müller › Борис Иванов › Anna Johnson")
	h.highlight(t, 30)
	text = screenText(h.view())
	assert.Contains(t, text, "reports to Борис Иванов › Anna Johnson")
	assert.Contains(t, text, "2 direct reports: ● Eve Adams · ✈ 伟 陈", "each with their badge, by last name")
	h.highlight(t, 10)
	text = screenText(h.view())
	assert.Contains(t, text, "reports to no one (the top of the tree)")
	assert.Contains(t, text, "2 direct reports: ◐ Борис Иванов · ○ Frank Zeller")

	d := h.m.details(h.m.org.Person(10), 1, 40, personLink{})
	last := d[len(d)-1]
	assert.Equal(t, 40, safetext.Width(last), "a line of exactly the width")
	assert.Equal(t, "2 direct reports: +2 more (o: org chart)", last, "what does not fit is counted, with the key that shows it")
	d = h.m.details(h.m.org.Person(10), 1, 45, personLink{})
	assert.Equal(t, "2 direct reports: ◐ Борис Иванов · +1 more   ", d[len(d)-1], "as many as fit")
	d = h.m.details(h.m.org.Person(10), 1, 30, personLink{})
	assert.Equal(t, "2 direct reports: +2 more     ", d[len(d)-1], "no name fits: only how many")
	d = h.m.details(h.m.org.Person(10), 1, 60, personLink{})
	assert.Equal(t, "2 direct reports: ◐ Борис Иванов · ○ Frank Zeller           ", d[len(d)-1], "all that fit")
}

// chartOnScreen reads the org chart view back into a chart of names: each
// line's depth is where its name starts, four cells a level.
func chartOnScreen(t *testing.T, lines []string) []nameNode {
	t.Helper()
	type open struct {
		depth int
		node  *nameNode
	}
	var roots []nameNode
	var stack []open
	for _, l := range lines {
		l = strings.TrimRight(strings.TrimPrefix(l, " "), " ")
		if l == "" {
			continue
		}
		body := strings.TrimLeft(l, "│├└─ ")
		prefix := []rune(l[:len(l)-len(body)])
		depth := (len(prefix) + 3) / 4
		name, _, _ := strings.Cut(body[strings.Index(body, " ")+1:], " · ")
		name = strings.TrimSuffix(name, " ★")
		for len(stack) > 0 && stack[len(stack)-1].depth >= depth {
			stack = stack[:len(stack)-1]
		}
		n := nameNode{Name: name}
		if len(stack) == 0 {
			roots = append(roots, n)
			stack = append(stack, open{depth, &roots[len(roots)-1]})
			continue
		}
		parent := stack[len(stack)-1].node
		parent.Reports = append(parent.Reports, n)
		stack = append(stack, open{depth, &parent.Reports[len(parent.Reports)-1]})
	}
	return roots
}

// nameNode is a chart node by name, to compare a drawn chart with one.
type nameNode struct {
	Name    string
	Reports []nameNode
}

// byName is the chart with each person's name in place of their ID.
func byName(o *directory.Org, chart []directory.ChartNode) []nameNode {
	var out []nameNode
	for _, n := range chart {
		out = append(out, nameNode{Name: o.Person(n.ID).Name, Reports: byName(o, n.Reports)})
	}
	return out
}

// wholeChart scrolls the open org chart from top to bottom and returns
// every line it showed, in order.
func wholeChart(t *testing.T, h *harness) []string {
	t.Helper()
	h.keys("home")
	var lines []string
	for range 1000 {
		lines = append(lines, h.m.chart.view(h.m.chart.w, h.m.chart.h)[0])
		before := h.m.chart.off
		h.keys("down")
		if h.m.chart.off == before {
			lines = append(lines, h.m.chart.view(h.m.chart.w, h.m.chart.h)[1:]...)
			return lines
		}
	}
	t.Fatal("the chart did not end")
	return nil
}

func TestOrgChartViewDrawsTheOrgChart(t *testing.T) {
	h := loaded(t, smallOrg())
	h.keys("o")
	require.Equal(t, modeOrgChart, h.m.mode)
	v := screenText(h.view())
	assert.Contains(t, v, "Org chart · Acme Corp · esc back")
	assert.Contains(t, v, "Anna Johnson ★ · CEO · ext 1000")
	assert.Contains(t, h.view(), "└── ○ Frank Zeller")
	assert.Equal(t, byName(h.m.org, h.m.org.OrgChart(1)), chartOnScreen(t, wholeChart(t, h)))
	require.Len(t, h.m.org.OrgChart(1), 1)

	// a short window scrolls, and the whole chart is the same
	h.keys("esc")
	require.Equal(t, modeNormal, h.m.mode, "esc goes back")
	h.selectDept("Sales")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 7})
	h.keys("o")
	assert.Less(t, h.m.chart.h, len(h.m.chart.lines), "the chart does not fit")
	assert.Equal(t, byName(h.m.org, h.m.org.OrgChart(2)), chartOnScreen(t, wholeChart(t, h)))
	h.keys("end")
	assert.Equal(t, len(h.m.chart.lines)-h.m.chart.h, h.m.chart.off, "end shows the last line at the bottom")
	h.send(tea.MouseMsg{Action: tea.MouseActionPress, Button: tea.MouseButtonWheelUp})
	assert.Equal(t, len(h.m.chart.lines)-h.m.chart.h-1, h.m.chart.off, "the wheel scrolls")
	h.keys("o")
	assert.Equal(t, modeNormal, h.m.mode, "the chart key closes it too")

	h.selectDept("Empty")
	h.keys("o")
	assert.Contains(t, h.view(), "no one is placed in this department yet")
	h.keys("q")
	assert.True(t, h.quit)
}

func TestOrgChartKeysNeedADepartment(t *testing.T) {
	h := newHarness(t, Options{})
	assert.False(t, h.m.keys.OrgChart.Enabled(), "nothing to chart")
	assert.False(t, h.m.keys.Manager.Enabled(), "no one highlighted")
	h.keys("o", "m")
	assert.Equal(t, modeNormal, h.m.mode)
}
