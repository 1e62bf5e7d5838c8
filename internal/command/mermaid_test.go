package command

import (
	"bufio"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/b24org/b24org/directory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseMermaid reads WriteMermaid's output back: the labels by ID, and the
// chart (each node's reports in edge order; the roots in node order).
func parseMermaid(t *testing.T, text string) (map[int]string, []directory.ChartNode) {
	t.Helper()
	node := regexp.MustCompile(`^    p(\d+)\["([^"]*)"\]$`)
	edge := regexp.MustCompile(`^    p(\d+) --> p(\d+)$`)
	labels := map[int]string{}
	var order []int
	reports := map[int][]int{}
	managed := map[int]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
	require.True(t, sc.Scan())
	require.Equal(t, "flowchart TD", sc.Text())
	for sc.Scan() {
		line := sc.Text()
		if m := node.FindStringSubmatch(line); m != nil {
			id, _ := strconv.Atoi(m[1])
			labels[id] = m[2]
			order = append(order, id)
			continue
		}
		m := edge.FindStringSubmatch(line)
		require.NotNil(t, m, "a node or an edge: %q", line)
		from, _ := strconv.Atoi(m[1])
		to, _ := strconv.Atoi(m[2])
		require.Contains(t, labels, from, "nodes come before edges")
		require.Contains(t, labels, to)
		reports[from] = append(reports[from], to)
		managed[to] = true
	}
	var build func(id int) directory.ChartNode
	build = func(id int) directory.ChartNode {
		n := directory.ChartNode{ID: id}
		for _, r := range reports[id] {
			n.Reports = append(n.Reports, build(r))
		}
		return n
	}
	var roots []directory.ChartNode
	for _, id := range order {
		if !managed[id] {
			roots = append(roots, build(id))
		}
	}
	return labels, roots
}

func TestExportMermaidIsTheOrgChart(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 80, "export", "--format", "mermaid")
	require.NoError(t, r.err)
	org, _, err := src.Org(t.Context())
	require.NoError(t, err)
	labels, chart := parseMermaid(t, r.stdout)
	assert.Equal(t, org.OrgChart(0), chart, "the same tree as the org chart")
	assert.Len(t, labels, org.PersonCount(), "everyone once")
	assert.Equal(t, "Anna Johnson<br/>CEO", labels[10])
	require.Len(t, chart, 1, "one root: the head of Acme Corp")
	assert.Equal(t, 10, chart[0].ID)
	assert.Equal(t, 20, chart[0].Reports[0].ID, "the head of Sales reports to her, first as a head")
}

func TestMermaidEscapesLabels(t *testing.T) {
	org := directory.NewOrg(directory.Data{
		Departments: []directory.Department{{ID: 1, Name: "Root", HeadID: 1}},
		People: []directory.Person{
			{ID: 1, Name: `Ann "The Boss" <b>`, Position: "R&D #1", DepartmentIDs: []int{1}},
			{ID: 2, Name: "Bob", DepartmentIDs: []int{1}},
		},
		Members: map[int][]int{1: {1, 2, 3}},
	})
	var b strings.Builder
	require.NoError(t, WriteMermaid(&b, org, org.OrgChart(0)))
	assert.Equal(t, "flowchart TD\n"+
		`    p1["Ann #quot;The Boss#quot; #lt;b#gt;<br/>R#amp;D #35;1"]`+"\n"+
		`    p2["Bob"]`+"\n"+
		`    p3["user 3"]`+"\n"+
		"    p1 --> p2\n    p1 --> p3\n", b.String())
}

func TestExportFormatsAreListed(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 80, "export", "--format", "xml")
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), fmt.Sprintf("use %s", "json, csv, vcf, mermaid"))
}
