package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"
)

// findLimit bounds the number of people find prints.
const findLimit = 500

// findCmd is `b24org find`.
func (a *app) findCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "find [--json] QUERY...",
		Short: "Print the people matching a name, an extension or an e-mail",
		Long: `find prints the people matching QUERY: name words in any order (case- and
accent-blind, Latin and Cyrillic both ways), a phone extension (exact or prefix),
or an e-mail address.

It answers from the directory cache when there is one (and says how old it is
when it is older than the freshness setting, 10 minutes by default); without a
cache, or with --refresh, it asks the portal.

Exit status: 0 when someone matched, 1 when no one did, 2 on an error.`,
		Example: `  b24org find anna
  b24org find johnson anna
  b24org find 1042
  b24org --demo find --json ivan | jq '.[0].extension'`,
		Args: func(_ *cobra.Command, args []string) error {
			if strings.TrimSpace(strings.Join(args, " ")) == "" {
				return errors.New("find needs a query: a name, an extension or an e-mail (see b24org find --help)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runFind(cmd.Context(), strings.Join(args, " "), asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON array of people ([] when none)")
	return cmd
}

// runFind looks query up and prints the people found.
func (a *app) runFind(ctx context.Context, query string, asJSON bool) error {
	a.terminalNotes()
	s, err := a.settings()
	if err != nil {
		return err
	}
	d, closeFn, err := a.open(s)
	if err != nil {
		return err
	}
	defer closeFn()
	org, people, err := a.lookUp(ctx, s, d, query)
	if err != nil {
		return err
	}
	// A whole directory (the cache's) holds presence as of when it was
	// fetched; the portal's search brought it just now.
	asOf := time.Now()
	if org.Complete() {
		asOf = org.FetchedAt()
	}
	if people, err = d.FreshPresence(ctx, people, asOf, s.presenceAge); err != nil {
		a.warn(fmt.Sprintf("showing presence as of %s ago: %v", roughAge(time.Since(asOf)), err))
	}
	return printFound(a.stdout, a.warn, query, org, people, s.threshold, asJSON)
}

// printFound prints the people found in org for query as find does, local
// or over SSH: one JSON array with asJSON ([] when none), else a table
// aligned in terminal cells. When no one matched it returns errNoMatch,
// having said so with warn (not with asJSON: the empty array says it).
func printFound(w io.Writer, warn func(string), query string, org *directory.Org, people []*directory.Person,
	threshold time.Duration, asJSON bool) error {
	now := time.Now()
	out := make([]personJSON, 0, len(people))
	for _, p := range people {
		out = append(out, newPersonJSON(p, org, now, threshold))
	}
	var err error
	if asJSON {
		err = writeJSON(w, out)
	} else if len(out) > 0 {
		err = writeTable(w, out, now)
	}
	if err != nil {
		return fmt.Errorf("writing the result: %w", err)
	}
	if len(out) == 0 {
		if !asJSON {
			warn(fmt.Sprintf("no one matches %q", safetext.Clean(query)))
		}
		return errNoMatch
	}
	return nil
}

// lookUp finds the people matching query: in the cache when it holds the
// whole directory, else with the cheapest portal calls (the demo portal is
// local, so there everything is loaded and searched here).
func (a *app) lookUp(ctx context.Context, s settings, d *directory.Directory, query string) (*directory.Org, []*directory.Person, error) {
	if s.demo {
		if _, err := d.LoadTree(ctx); err != nil {
			return nil, nil, err
		}
		org, err := d.LoadAll(ctx, nil)
		if err != nil {
			return nil, nil, err
		}
		return org, persons(org.Search(query, findLimit)), nil
	}
	if !s.refresh {
		// A complete cache answers alone, and only the people found are
		// read from it; a partial one goes into the snapshot, so that what
		// the portal adds is written back beside it.
		cs, err := d.SearchCache(query, findLimit)
		switch {
		case err != nil:
			a.warn(fmt.Sprintf("ignoring the directory cache: %v", err))
		case cs != nil && cs.Complete:
			if age := time.Since(cs.Org.FetchedAt()); age > s.freshness {
				a.warn(fmt.Sprintf("answering from a cache %s old; add --refresh to ask the portal", roughAge(age)))
			}
			return cs.Org, persons(cs.Matches), nil
		case cs != nil:
			if _, err := d.LoadCache(); err != nil {
				a.warn(fmt.Sprintf("ignoring the directory cache: %v", err))
			}
		}
	}
	var (
		org    *directory.Org
		people []*directory.Person
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		org, err = d.LoadTree(gctx)
		return err
	})
	g.Go(func() (err error) {
		people, err = d.SearchRemote(gctx, query)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	if len(people) > findLimit {
		people = people[:findLimit]
	}
	return org, people, nil
}

// persons returns the people of ms.
func persons(ms []directory.Match) []*directory.Person {
	people := make([]*directory.Person, len(ms))
	for i, m := range ms {
		people[i] = m.Person
	}
	return people
}

// roughAge says d in its largest unit: "45s", "12m", "3h", "2d".
func roughAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}

// writeJSON prints v as indented JSON, leaving <, > and & as they are.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// tableColumn is one column of the find table: its title, its widest
// allowed width, its cell for a person, and how a long cell is shortened.
type tableColumn struct {
	title   string
	max     int
	cell    func(p *personJSON) string
	shorten func(s string, w int) string
}

// findColumns are the columns of the find table at now.
func findColumns(now time.Time) []tableColumn {
	cut := safetext.Truncate
	return []tableColumn{
		{"NAME", 32, func(p *personJSON) string { return p.Name }, cut},
		{"POSITION", 28, func(p *personJSON) string { return p.Position }, cut},
		{"EXT", 10, func(p *personJSON) string { return p.Extension }, cut},
		{"MOBILE", 20, func(p *personJSON) string { return p.Mobile }, cut},
		{"E-MAIL", 32, func(p *personJSON) string { return p.Email }, cut},
		{"DEPARTMENT", 44, department, truncateLeft},
		{"STATUS", 40, func(p *personJSON) string { return status(p, now) }, cut},
	}
}

// department is the path of p's first department, and how many more there are.
func department(p *personJSON) string {
	if len(p.Departments) == 0 {
		return ""
	}
	if more := len(p.Departments) - 1; more > 0 {
		return fmt.Sprintf("%s (+%d)", p.Departments[0], more)
	}
	return p.Departments[0]
}

// status is the badge word of p at now: inactive, absent (until when), or
// presence, with when an offline person was last seen.
func status(p *personJSON, now time.Time) string {
	switch {
	case !p.Active:
		return "inactive"
	case p.AbsentUntil != nil:
		return "absent until " + *p.AbsentUntil
	case p.Presence == "offline" && p.LastSeen != nil:
		if seen, err := time.Parse(time.RFC3339, *p.LastSeen); err == nil && now.After(seen) {
			return "offline, seen " + roughAge(now.Sub(seen)) + " ago"
		}
	}
	return p.Presence
}

// truncateLeft cuts s from the left to at most w cells, starting with "…"
// when anything was cut: the end of a department path says the most.
func truncateLeft(s string, w int) string {
	if safetext.Width(s) <= w {
		return s
	}
	if w <= 1 {
		return safetext.Truncate(s, w)
	}
	r := []rune(s)
	for len(r) > 0 && (safetext.Width(string(r))+1 > w || safetext.Width(string(r[0])) == 0) {
		r = r[1:]
	}
	return "…" + string(r)
}

// writeTable prints people as a table aligned in terminal cells.
func writeTable(w io.Writer, people []personJSON, now time.Time) error {
	cols := findColumns(now)
	cells := make([][]string, len(people)+1)
	widths := make([]int, len(cols))
	for r := range cells {
		cells[r] = make([]string, len(cols))
		for c, col := range cols {
			v := col.title
			if r > 0 {
				v = col.shorten(col.cell(&people[r-1]), col.max)
			}
			cells[r][c] = v
			widths[c] = max(widths[c], safetext.Width(v))
		}
	}
	var b strings.Builder
	for _, row := range cells {
		var line strings.Builder
		for c, v := range row {
			if c > 0 {
				line.WriteString("  ")
			}
			line.WriteString(safetext.Pad(v, widths[c]))
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
