package command

import (
	"fmt"
	"io"
	"strings"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
)

// WriteMermaid writes chart (from org.OrgChart) as a Mermaid flowchart, top
// down: first every person as a node p<ID> labelled with their name and
// position, in the chart's depth-first order, then an edge from each
// manager to each direct report, in the same order. The output is what
// goes between ```mermaid fences in a Markdown document.
func WriteMermaid(w io.Writer, org *directory.Org, chart []directory.ChartNode) error {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	var nodes func(ns []directory.ChartNode)
	nodes = func(ns []directory.ChartNode) {
		for _, n := range ns {
			fmt.Fprintf(&b, "    p%d[\"%s\"]\n", n.ID, mermaidLabel(org, n.ID))
			nodes(n.Reports)
		}
	}
	var edges func(ns []directory.ChartNode)
	edges = func(ns []directory.ChartNode) {
		for _, n := range ns {
			for _, r := range n.Reports {
				fmt.Fprintf(&b, "    p%d --> p%d\n", n.ID, r.ID)
			}
			edges(n.Reports)
		}
	}
	nodes(chart)
	edges(chart)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return lang.NewError("cmd.write.chart", "Err", err)
	}
	return nil
}

// mermaidLabel is the label of person id: the name, and the position on a
// second line; "user ID" for someone not loaded.
func mermaidLabel(org *directory.Org, id int) string {
	p := org.Person(id)
	if p == nil {
		return fmt.Sprintf("user %d", id)
	}
	label := mermaidText(p.Name)
	if p.Position != "" {
		label += "<br/>" + mermaidText(p.Position)
	}
	return label
}

// mermaidText escapes s for a quoted Mermaid label: the characters that
// would end the label or read as markup become entity codes.
func mermaidText(s string) string {
	return strings.NewReplacer(
		"#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "&", "#amp;",
	).Replace(s)
}
