package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chartEntry is one person of an org chart as the test compares them: the
// name and position, and how deep in the chart.
type chartEntry struct {
	depth          int
	name, position string
}

// mermaidSubtree reads `export --format mermaid` and returns the chart
// under node p<root> (root included), depth first, reports in edge order.
func mermaidSubtree(t *testing.T, text string, root int) []chartEntry {
	t.Helper()
	node := regexp.MustCompile(`^    p(\d+)\["(.*)"\]$`)
	edge := regexp.MustCompile(`^    p(\d+) --> p(\d+)$`)
	unescape := strings.NewReplacer("#quot;", `"`, "#lt;", "<", "#gt;", ">", "#amp;", "&", "#35;", "#")
	labels := map[string][2]string{}
	reports := map[string][]string{}
	for _, l := range strings.Split(text, "\n") {
		if m := node.FindStringSubmatch(l); m != nil {
			name, pos, _ := strings.Cut(m[2], "<br/>")
			labels[m[1]] = [2]string{unescape.Replace(name), unescape.Replace(pos)}
		} else if m := edge.FindStringSubmatch(l); m != nil {
			reports[m[1]] = append(reports[m[1]], m[2])
		}
	}
	var out []chartEntry
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		l, ok := labels[id]
		require.True(t, ok, "p%s has a node", id)
		out = append(out, chartEntry{depth, l[0], l[1]})
		for _, r := range reports[id] {
			walk(r, depth+1)
		}
	}
	walk(strconv.Itoa(root), 0)
	return out
}

// chartOnScreen reads the org-chart view off a tmux screen: each person
// line's depth (four cells of tree drawing a level), name and position.
func chartOnScreen(screen string) []chartEntry {
	var out []chartEntry
	for _, l := range strings.Split(screen, "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "┃") || !strings.HasSuffix(l, "┃") {
			continue
		}
		l = strings.TrimSuffix(strings.TrimPrefix(l, "┃"), "┃")
		body := strings.TrimLeft(l, "│├└─ ")
		if body == "" {
			continue
		}
		depth := (len([]rune(l)) - len([]rune(body)) - 1 + 3) / 4
		_, label, _ := strings.Cut(body, " ") // after the badge glyph
		parts := strings.Split(strings.TrimSpace(label), " · ")
		e := chartEntry{depth: depth, name: strings.TrimSuffix(parts[0], " ★")}
		if len(parts) > 1 && !strings.HasPrefix(parts[1], "ext ") {
			e.position = parts[1]
		}
		out = append(out, e)
	}
	return out
}

// demoPerson is what the test needs of an employee of the demo's export.
type demoPerson struct {
	ID            int    `json:"id"`
	Name          string `json:"name"`
	Extension     string `json:"extension"`
	DepartmentIDs []int  `json:"department_ids"`
	ManagerID     *int   `json:"manager_id"`
}

// In tmux on the demo: the manager key jumps to the right person for a
// member, a head and the root's head, and the org-chart view of a
// department draws the same tree as `export --format mermaid`.
func TestTUIManagerKeyAndOrgChart(t *testing.T) {
	e := newRunEnv(t)
	r := e.run(t, "--demo", "export")
	require.Equal(t, 0, r.code, r.stderr)
	var data struct {
		Departments []struct {
			ID       int    `json:"id"`
			Name     string `json:"name"`
			ParentID *int   `json:"parent_id"`
			HeadID   *int   `json:"head_id"`
		} `json:"departments"`
		Employees []demoPerson `json:"employees"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &data))
	mermaid := e.run(t, "--demo", "export", "--format", "mermaid")
	require.Equal(t, 0, mermaid.code, mermaid.stderr)

	byID := map[int]demoPerson{}
	exts := map[string]int{}
	for _, p := range data.Employees {
		byID[p.ID] = p
		exts[p.Extension]++
	}
	heads, parents := map[int]int{}, map[int]bool{}
	for _, d := range data.Departments {
		if d.HeadID != nil {
			heads[*d.HeadID]++
		}
		if d.ParentID != nil {
			parents[*d.ParentID] = true
		}
	}
	// A department with departments below it, whose head heads only it and
	// is a member of it first, found by a unique extension, with a chart of
	// two levels or more that fits on the screen.
	var dept, head int
	var deptName string
	var want []chartEntry
	for _, d := range data.Departments {
		if d.HeadID == nil || !parents[d.ID] {
			continue
		}
		h := byID[*d.HeadID]
		if heads[h.ID] != 1 || len(h.DepartmentIDs) == 0 || h.DepartmentIDs[0] != d.ID || h.Extension == "" || exts[h.Extension] != 1 {
			continue
		}
		sub := mermaidSubtree(t, mermaid.stdout, h.ID)
		deep := slices.ContainsFunc(sub, func(e chartEntry) bool { return e.depth >= 2 })
		if !deep || len(sub) > 40 {
			continue
		}
		dept, head, deptName, want = d.ID, h.ID, d.Name, sub
		break
	}
	require.NotZero(t, dept, "the demo has such a department")
	var root demoPerson
	for _, p := range data.Employees {
		if p.ManagerID == nil && heads[p.ID] > 0 {
			root = p
		}
	}
	require.NotZero(t, root.ID, "the root's head")
	require.Equal(t, 1, exts[root.Extension])

	x := newTmuxServer(t, t.TempDir(), 160, 50, testBinaryPath+" --demo")
	x.waitText("Departments", "? help")
	jumpTo := func(p demoPerson) {
		t.Helper()
		x.keys("/")
		x.waitText("Search the whole company")
		x.keys("-l", p.Extension)
		x.waitText("/ "+p.Extension, "ext "+p.Extension)
		x.keys("Enter")
		x.waitScreen("the jump to "+p.Name, func(s string) bool {
			return !strings.Contains(s, "Search the whole company") && detailName(s) == p.Name
		})
	}
	managerOf := func(id int) demoPerson {
		m := byID[id].ManagerID
		require.NotNil(t, m, "%d has a manager", id)
		return byID[*m]
	}

	// The org chart of the head's department is the mermaid chart under them.
	jumpTo(byID[head])
	x.keys("o")
	// The chart names who is not loaded yet while the background load
	// runs; it is drawn again when they are.
	s := x.waitScreen("the whole chart of "+deptName, func(s string) bool {
		return strings.Contains(s, "Org chart · "+deptName+" · esc back") && strings.Contains(s, "scroll") && !strings.Contains(s, "not loaded yet")
	})
	assert.Equal(t, want, chartOnScreen(s), "the view and export --format mermaid show the same tree:\n%s", s)
	x.keys("Escape")
	x.waitText("Departments", "? help")

	// A member: the next person after the head in the list.
	x.keys("Down")
	s = x.waitScreen("a member highlighted", func(s string) bool { n := detailName(s); return n != "" && n != byID[head].Name })
	member := detailName(s)
	var m demoPerson
	for _, p := range data.Employees {
		if p.Name == member && slices.Contains(p.DepartmentIDs, dept) {
			m = p
		}
	}
	require.NotZero(t, m.ID, "the member %q is in the export", member)
	boss := managerOf(m.ID)
	x.keys("m")
	x.waitScreen("the member's manager, "+boss.Name, func(s string) bool {
		return detailName(s) == boss.Name && strings.Contains(s, member+" reports to "+boss.Name)
	})

	// The head: the head of the parent department.
	jumpTo(byID[head])
	boss = managerOf(head)
	x.keys("m")
	x.waitScreen("the head's manager, "+boss.Name, func(s string) bool { return detailName(s) == boss.Name })

	// The root's head: there is none, and the browser says so.
	jumpTo(root)
	x.keys("m")
	s = x.waitText(root.Name + " reports to no one")
	assert.Equal(t, root.Name, detailName(s), "the highlight stays")
}
