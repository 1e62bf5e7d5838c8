package ui

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/b24org/b24org/directory"
	lgtree "github.com/charmbracelet/lipgloss/tree"
	"github.com/stretchr/testify/assert"
)

// TestDrawChartIsLipglossTree: the chart's own drawing (drawChart) gives
// the lines lipgloss's tree gives for the same chart, for one root and for
// several, flat and deep, over random charts.
func TestDrawChartIsLipglossTree(t *testing.T) {
	label := func(id int) string { return "p" + strconv.Itoa(id) }
	var lg func(n directory.ChartNode) *lgtree.Tree
	lg = func(n directory.ChartNode) *lgtree.Tree {
		tr := lgtree.Root(label(n.ID))
		for _, r := range n.Reports {
			if len(r.Reports) == 0 {
				tr.Child(label(r.ID))
			} else {
				tr.Child(lg(r))
			}
		}
		return tr
	}
	rng := rand.New(rand.NewPCG(1, 2))
	next := 0
	var grow func(depth int) directory.ChartNode
	grow = func(depth int) directory.ChartNode {
		next++
		n := directory.ChartNode{ID: next}
		if depth < 5 {
			for range rng.IntN(4) {
				n.Reports = append(n.Reports, grow(depth+1))
			}
		}
		return n
	}
	for i := range 200 {
		var roots []directory.ChartNode
		for range 1 + i%3 {
			roots = append(roots, grow(0))
		}
		var want *lgtree.Tree
		var got []string
		add := func(prefix string, id int) { got = append(got, prefix+label(id)) }
		if len(roots) == 1 {
			want = lg(roots[0])
			add("", roots[0].ID)
			drawChart(roots[0].Reports, "", add)
		} else {
			want = lgtree.New()
			for _, r := range roots {
				want.Child(lg(r))
			}
			drawChart(roots, "", add)
		}
		if !assert.Equal(t, want.String(), strings.Join(got, "\n"), "chart %d", i) {
			return
		}
	}
}
