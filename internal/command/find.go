package command

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
)

// DefaultFindLimit is how many people find prints unless --limit says otherwise.
const DefaultFindLimit = 50

// FindCmd is `b24org find`.
func (c *Commands) FindCmd() *cobra.Command {
	var (
		asJSON, verbose bool
		limit           int
	)
	cmd := &cobra.Command{
		Use:   "find [--json] [--limit N] QUERY...",
		Short: "Print the people matching a name, an extension, an e-mail or filters (dept:sales online)",
		Long: `find prints the people matching QUERY: name words in any order (case- and
accent-blind, Latin and Cyrillic both ways: fyodorov, fedorov and Фёдоров
meet, as do the other usual romanizations), a phone extension (exact, then
extensions that begin with it in numeric order, then phones that hold the
digits), or an e-mail address. Each person says what matched (MATCH, or
"match" in --json). A query that finds fewer than 3 people as typed is also
tried as retyped on the other keyboard layout (bdfyjd is иванов typed with
the Latin layout on): those people come after, marked "layout", and stderr
says the retyped query.

It answers from the directory cache when the cache holds the whole directory
(and says how old it is when it is older than the freshness setting, 10
minutes by default). Otherwise it loads the whole directory from the portal
(a few requests; the cache is then complete), so that the answer is complete.
With --refresh it asks the portal about the query and merges what it says
into the cache, which keeps everything else. When the portal cannot be
asked, the answer comes from what the cache holds and stderr says it is
partial.

` + directory.QueryHelp + `
A query of filters alone lists everyone they keep (MATCH "filter"). A
presence filter first brings everyone's presence up to date (a request or
two); when it cannot, stderr says how old the presence it chose by is.
Quote the whole query for the shell: find 'dept:"customer support"'.

At most --limit people are printed (0 for all); stderr says when some were
left out.

Each person's availability (STATUS, or "availability", "busy_until" and
"workday" in --json) combines presence and vacation with the calendar
(meetings, absences) and the workday (opened, on a break, closed), asked
for the people printed: two requests or so, reused for a minute. Without
the calendar or timeman scope it comes from presence and vacation alone;
--verbose says on stderr which scope would add what, or why the portal
could not say. An answer from the cache asks the portal nothing, so its
availability comes from presence and vacation: --refresh adds the rest.

Exit status: 0 when someone matched, 1 when no one did, 2 on an error.`,
		Example: `  b24org find anna
  b24org find johnson anna
  b24org find 1042
  b24org find 'dept:sales online'
  b24org find 'dept:"customer support" pos:lead'
  b24org find --limit 0 ivanov
  b24org --demo find --json ivan | jq '.[0].extension'`,
		Args: func(_ *cobra.Command, args []string) error {
			q := cleanQuery(args)
			if q == "" {
				return errors.New("find needs a query: a name, an extension or an e-mail (see b24org find --help)")
			}
			if pq := directory.ParseQuery(q); pq.Text == "" && !pq.Filtered() {
				return fmt.Errorf("find needs a query: %q has neither words nor a filter with a value, such as dept:sales (see b24org find --help)", q)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return fmt.Errorf("--limit %d: use 0 (all) or more (see b24org find --help)", limit)
			}
			q := cleanQuery(args)
			if raw := strings.Join(args, " "); strings.Join(strings.Fields(raw), " ") != q {
				c.Warn(fmt.Sprintf("the query held control characters; looking for %q", q))
			}
			return c.runFind(cmd.Context(), q, findFlags{json: asJSON, limit: limit, verbose: verbose})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON array of people ([] when none)")
	cmd.Flags().IntVar(&limit, "limit", DefaultFindLimit, "print at most N people (0: all)")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "say on stderr what the answer lacks (a scope that would add availability)")
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return fmt.Errorf("%w (see b24org find --help)", err)
	})
	return cmd
}

// findFlags are the flags of find.
type findFlags struct {
	json, verbose bool
	limit         int
}

// cleanQuery joins the query words with their escape sequences and control
// characters removed: what is searched and what messages quote.
func cleanQuery(args []string) string {
	return safetext.Clean(strings.Join(args, " "))
}

// runFind looks query up in the source and prints the people found.
func (c *Commands) runFind(ctx context.Context, query string, f findFlags) error {
	r, threshold, err := c.Source.Find(ctx, query, f.limit, c.Warn)
	if err != nil {
		return err
	}
	if f.verbose && r.ScheduleErr != nil {
		c.Warn("availability from presence only: " + directory.FailureOf(r.ScheduleErr).Line())
	} else if f.verbose && r.ScheduleNote != "" {
		c.Warn(r.ScheduleNote)
	}
	width := 0
	if c.Width != nil {
		width = c.Width()
	}
	return printFound(c.Stdout, c.Warn, query, r, threshold, f, width)
}

// printFound prints the result of find for query, local or over SSH: one
// JSON array with --json ([] when none), else a table aligned in terminal
// cells, at most width cells wide (0: no limit). When a limit left people
// out, warn says how many. When no one matched it returns ErrNoMatch,
// having said so with warn (not with --json: the empty array says it).
func printFound(w io.Writer, warn func(string), query string, r *directory.FindResult,
	threshold time.Duration, f findFlags, width int) error {
	now := time.Now()
	out := make([]Person, 0, len(r.People))
	layout := ""
	for _, fp := range r.People {
		pj := newPerson(fp.Person, r.Schedules[fp.Person.ID], r.Org, now, threshold)
		pj.Match = fp.Match
		out = append(out, pj)
		if fp.Layout != "" {
			layout = fp.Layout
		}
	}
	var err error
	if f.json {
		err = writeJSON(w, out)
	} else if len(out) > 0 {
		err = writeTable(w, out, now, width)
	}
	if err != nil {
		return fmt.Errorf("writing the result: %w", err)
	}
	if line := r.PresenceNote(); line != "" {
		warn(line) // also when no one matched: stale presence may be why
	}
	if len(out) == 0 {
		if !f.json {
			warn(fmt.Sprintf("no one matches %q", safetext.Clean(query)))
		}
		return ErrNoMatch
	}
	if layout != "" {
		// The people matched as if typed on the other keyboard layout.
		warn("layout: " + safetext.Clean(layout))
	}
	if r.Total > len(out) {
		warn(fmt.Sprintf("%s of %s shown; --limit 0 for all", directory.Thousands(len(out)), directory.Thousands(r.Total)))
	}
	return nil
}

// writeJSON prints v as indented JSON, leaving <, > and & as they are.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// tableColumn is one column of the find table: its title, the width it
// may be cut to on a terminal (0: never cut), its cell for a person, and
// how a long cell is shortened.
type tableColumn struct {
	title   string
	min     int
	cell    func(p *Person) string
	shorten func(s string, w int) string
}

// matchLabel is the short word of the MATCH column for what matched.
func matchLabel(match string) string {
	switch match {
	case directory.MatchExtension:
		return "ext"
	case directory.MatchExtensionPrefix:
		return "ext…"
	case directory.MatchPhone:
		return "phone"
	case directory.MatchName:
		return "name"
	case directory.MatchEmail:
		return "e-mail"
	case directory.MatchPosition:
		return "position"
	case directory.MatchLayout:
		return "layout"
	case directory.MatchFilter:
		return "filter"
	}
	return ""
}

// findColumns are the columns of the find table at now.
func findColumns(now time.Time) []tableColumn {
	cut := safetext.Truncate
	return []tableColumn{
		{"NAME", 12, func(p *Person) string { return p.Name }, cut},
		{"EXT", 0, func(p *Person) string { return p.Extension }, cut},
		{"MATCH", 0, func(p *Person) string { return matchLabel(p.Match) }, cut},
		{"POSITION", 8, func(p *Person) string { return p.Position }, cut},
		{"MOBILE", 8, func(p *Person) string { return p.Mobile }, cut},
		{"E-MAIL", 8, func(p *Person) string { return p.Email }, cut},
		{"DEPARTMENT", 8, department, truncateLeft},
		{"STATUS", 6, func(p *Person) string { return status(p, now) }, cut},
	}
}

// department is the path of p's first department, and how many more there are.
func department(p *Person) string {
	if len(p.Departments) == 0 {
		return ""
	}
	if more := len(p.Departments) - 1; more > 0 {
		return fmt.Sprintf("%s (+%d)", p.Departments[0], more)
	}
	return p.Departments[0]
}

// status is the badge word of p at now: inactive, absent (until when), or
// presence with what the calendar or the workday says ("online, in a
// meeting until 15:00"), else with when an offline person was last seen.
func status(p *Person, now time.Time) string {
	switch {
	case !p.Active:
		return "inactive"
	case p.AbsentUntil != nil:
		return "absent until " + *p.AbsentUntil
	case p.reason != "":
		return p.Presence + ", " + p.reason
	case p.Presence == "offline" && p.LastSeen != nil:
		if seen, err := time.Parse(time.RFC3339, *p.LastSeen); err == nil && now.After(seen) {
			return "offline, seen " + directory.RoughAge(now.Sub(seen)) + " ago"
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

// tableGap is the space between two columns.
const tableGap = 2

// writeTable prints people as a table aligned in terminal cells. With a
// width (a terminal's) the widest columns are cut until the table fits;
// without one (a file, a pipe) no value is cut.
func writeTable(w io.Writer, people []Person, now time.Time, width int) error {
	cols := findColumns(now)
	values := make([][]string, len(people))
	widths := make([]int, len(cols))
	for c, col := range cols {
		widths[c] = safetext.Width(col.title)
	}
	for r := range people {
		values[r] = make([]string, len(cols))
		for c, col := range cols {
			v := col.cell(&people[r])
			values[r][c] = v
			widths[c] = max(widths[c], safetext.Width(v))
		}
	}
	if width > 0 {
		fitWidths(cols, widths, width)
	}
	var b strings.Builder
	row := func(cells []string, cut bool) {
		var line strings.Builder
		for c, v := range cells {
			if c > 0 {
				line.WriteString(strings.Repeat(" ", tableGap))
			}
			if cut && safetext.Width(v) > widths[c] {
				v = cols[c].shorten(v, widths[c])
			}
			line.WriteString(safetext.Pad(v, widths[c]))
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	titles := make([]string, len(cols))
	for c, col := range cols {
		titles[c] = col.title
	}
	row(titles, false)
	for _, v := range values {
		row(v, true)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fitWidths narrows the widest cuttable column, one cell at a time, until
// the columns and their gaps fit width or none can be cut further.
func fitWidths(cols []tableColumn, widths []int, width int) {
	total := tableGap * (len(cols) - 1)
	for _, w := range widths {
		total += w
	}
	for total > width {
		widest := -1
		for c, col := range cols {
			if col.min > 0 && widths[c] > max(col.min, safetext.Width(col.title)) && (widest < 0 || widths[c] > widths[widest]) {
				widest = c
			}
		}
		if widest < 0 {
			return
		}
		widths[widest]--
		total--
	}
}
