package ui

import (
	"strconv"
	"strings"

	"github.com/b24org/b24org/directory"
	tea "github.com/charmbracelet/bubbletea"
)

// orgChart is the org-chart view of a department's subtree: each person
// under the one they report to, in the reader's order
// (directory.Org.OrgChartIn with the session's language), drawn with
// lipgloss's tree, scrolling. Its lines are drawn in Update (setSize) for
// the snapshot and department on screen, whatever the width (a resize
// costs nothing); View only reads them and cuts the ones it shows.
type orgChart struct {
	*common
	dept  int
	off   int      // the first line shown
	w, h  int      // the inside of its box
	lines []string // the chart of dept in org, uncut
	drawn struct {
		org  *directory.Org
		dept int
	}
}

func newOrgChart(c *common) orgChart { return orgChart{common: c} }

// open shows the chart of department dept from its top.
func (v *orgChart) open(dept int) {
	v.dept, v.off = dept, 0
	v.drawn.org = nil
}

// setSize gives the chart's inside w×h cells, drawing the chart again when
// the snapshot or the department changed.
func (v *orgChart) setSize(w, h int) {
	v.w, v.h = w, h
	if v.drawn.org != v.org || v.drawn.dept != v.dept {
		v.lines = v.chartLines()
		v.drawn.org, v.drawn.dept = v.org, v.dept
	}
	v.scroll(0)
}

// scroll moves the first line shown by n, within the lines there are.
func (v *orgChart) scroll(n int) {
	v.off = clamp(v.off+n, 0, len(v.lines)-v.h)
}

// update handles a key of the org chart.
func (v *orgChart) update(k tea.KeyMsg) pageDid {
	return pageKey(k, &v.keys, v.keys.OrgChart, v.h, len(v.lines), v.scroll)
}

// title is the chart box's title.
func (v *orgChart) title() string {
	name := v.lang.T("chart.title")
	if d := v.org.Department(v.dept); d != nil {
		name += " · " + v.named(d.Name)
	}
	return name + " · " + v.lang.T("search.title.back", "Key", keyName(v.keys.Back))
}

// view draws the chart's inside, w×h, from the first line shown.
func (v *orgChart) view(w, h int) []string {
	shown := v.lines[clamp(v.off, 0, len(v.lines)-h):]
	out := make([]string, 0, h)
	for _, l := range shown[:min(h, len(shown))] {
		out = append(out, fitANSI(l, w))
	}
	return fill(out, w, h)
}

// chartLines draws the chart: one line a person, " " first, uncut. The
// lines are lipgloss's tree drawing (drawChart), written directly: a
// company's whole chart is tens of thousands of lines, drawn again for
// each new snapshot.
func (v *orgChart) chartLines() []string {
	chart := v.org.OrgChartIn(v.lang, v.dept)
	if len(chart) == 0 {
		return []string{v.st.muted.on(" " + v.lang.T("chart.none"))}
	}
	var out []string
	add := func(prefix string, id int) { out = append(out, " "+prefix+v.chartLabel(id)) }
	if len(chart) == 1 {
		add("", chart[0].ID)
		drawChart(chart[0].Reports, "", add)
	} else {
		drawChart(chart, "", add)
	}
	return out
}

// drawChart draws nodes and the people under them as lipgloss's default
// tree does: "├── " before each but the last, "└── " before the last, and
// under each, its people indented by "│   " (by "    " under the last).
func drawChart(nodes []directory.ChartNode, indent string, add func(prefix string, id int)) {
	for i, n := range nodes {
		branch, under := "├── ", "│   "
		if i == len(nodes)-1 {
			branch, under = "└── ", "    "
		}
		add(indent+branch, n.ID)
		drawChart(n.Reports, indent+under, add)
	}
}

// chartLabel is one person of the chart: the badge glyph, the name (★ for
// a head), the position and the extension.
func (v *orgChart) chartLabel(id int) string {
	p := v.org.Person(id)
	if p == nil {
		return "? " + v.unknownPerson(id)
	}
	b := v.badgeOf(p, v.now(), v.threshold)
	parts := []string{hyperlink(v.profileLink(p), v.named(p.Name))} // a link takes no cells: the tree measures as drawn
	if v.org.IsHead(id) {
		parts[0] += " ★"
	}
	if p.Position != "" {
		parts = append(parts, p.Position)
	}
	if p.Extension != "" {
		parts = append(parts, v.lang.T("contact.ext", "Value", p.Extension))
	}
	return v.badgePaint(b.kind).on(b.glyph) + " " + strings.Join(parts, " · ")
}

// unknownPerson names someone the snapshot has no details of yet.
func (c *common) unknownPerson(id int) string {
	return c.lang.T("person.unknown", "ID", strconv.Itoa(id))
}

// toManager highlights the manager of the highlighted person in the
// department they head, or says there is none.
func (m *Model) toManager() tea.Cmd {
	p := m.people.current()
	if p == nil {
		return nil
	}
	boss, ok := m.org.Manager(p.ID)
	if !ok {
		if m.org.IsHead(p.ID) {
			return m.showToast(m.lang.T("manager.top", "Name", m.named(p.Name)))
		}
		return m.showToast(m.lang.T("manager.unknown", "Name", m.named(p.Name)))
	}
	return tea.Batch(m.show(boss, m.org.ManagerDepartment(p.ID)), m.showToast(m.lang.T("manager.is", "Name", m.named(p.Name), "Manager", m.personName(boss))))
}

// personName is the name of person id, or what stands in for it when the
// snapshot has no details of them yet.
func (c *common) personName(id int) string {
	if p := c.org.Person(id); p != nil {
		return c.named(p.Name)
	}
	return c.unknownPerson(id)
}
