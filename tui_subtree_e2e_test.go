package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// In a real terminal on the demo, the subtree key on Sales lists as many
// people as the tree counts for Sales, each row naming its sub-department,
// and the key switches back to Sales' own people.
func TestTUISubtreeSales(t *testing.T) {
	x := newTmuxServer(t, t.TempDir(), 120, 40, testBinaryPath+" --demo")
	x.waitText("Departments", "Sales")
	crumb := func(s string) string {
		first, _, _ := strings.Cut(s, "\n")
		return strings.TrimSpace(first)
	}
	// Sales is the first department below the root.
	x.keys("Down")
	s := x.waitScreen("Sales highlighted", func(s string) bool {
		c := crumb(s)
		return strings.HasPrefix(c, "Acme Corp › Sales") && !strings.HasPrefix(c, "Acme Corp › Sales ›")
	})
	require.NotEmpty(t, s)
	s = x.waitScreen("Sales' own people", func(s string) bool {
		return regexp.MustCompile(`Sales · \d+ (person|people) `).MatchString(s)
	})

	// The tree's count for Sales: the number at the end of its row.
	m := regexp.MustCompile(`›\s+▸ Sales\s+([\d,]+)┃`).FindStringSubmatch(s)
	require.NotNil(t, m, "the Sales row of the tree:\n%s", s)
	count, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	require.NoError(t, err)
	own := regexp.MustCompile(`Sales · (\d+) (?:person|people) `).FindStringSubmatch(s)
	require.NotNil(t, own)
	ownCount, _ := strconv.Atoi(own[1])
	require.Less(t, ownCount, count, "Sales has people below it")

	x.keys("a")
	title := fmt.Sprintf("Sales · %s people in all", m[1])
	x.waitText(title)
	// Rows below Sales name their sub-department: some row holds the name
	// of a department below Sales from the tree (expanded by the right key).
	x.keys("Right")
	s = x.waitText(title, "▾ Sales")
	var subs []string
	for _, l := range strings.Split(s, "\n") {
		if sm := regexp.MustCompile(`┃\s{5,}(?:▸ )?(\S[^┃]*?)\s+[\d,]+┃`).FindStringSubmatch(l); sm != nil {
			subs = append(subs, sm[1])
		}
	}
	require.NotEmpty(t, subs, "departments below Sales in the tree:\n%s", s)
	found := false
	for _, sub := range subs {
		for _, l := range strings.Split(s, "\n") {
			if _, right, ok := strings.Cut(l, "┃│"); ok && strings.Contains(right, " "+sub+" ") {
				found = true
			}
		}
	}
	assert.True(t, found, "a row of the people pane names one of %v:\n%s", subs, s)

	x.keys("a")
	x.waitScreen("Sales' own people again", func(s string) bool {
		return strings.Contains(s, own[0]) && !strings.Contains(s, "in all")
	})
}
