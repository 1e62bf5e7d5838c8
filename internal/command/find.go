package command

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
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
		Use:   c.lang().T("cmd.use.find"),
		Short: c.lang().T("find.short"),
		Long:  c.lang().T("find.long", "Filters", c.lang().T("query.help")),
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
				return lang.NewError("find.noquery", "Run", c.invocation("find"))
			}
			if pq := directory.ParseQuery(q); pq.Text == "" && !pq.Filtered() {
				return lang.NewError("find.nofilter", "Query", strconv.Quote(q), "Run", c.invocation("find"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return lang.NewError("find.badlimit", "Limit", limit, "Run", c.invocation("find"))
			}
			q := cleanQuery(args)
			if raw := strings.Join(args, " "); strings.Join(strings.Fields(raw), " ") != q {
				c.Warn(c.lang().T("find.controls", "Query", strconv.Quote(q)))
			}
			return c.runFind(cmd.Context(), q, findFlags{json: asJSON, limit: limit, verbose: verbose})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, c.lang().T("find.flag.json"))
	cmd.Flags().IntVar(&limit, "limit", DefaultFindLimit, c.lang().T("find.flag.limit"))
	cmd.Flags().BoolVar(&verbose, "verbose", false, c.lang().T("find.flag.verbose"))
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return lang.NewError("cmd.find.flagerr", "Err", FlagError(err), "Run", c.invocation("find"))
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
		c.Warn(c.lang().T("avail.presenceonly", "Why", directory.FailureOf(c.lang(), r.ScheduleErr).Line()))
	} else if f.verbose && r.ScheduleNote != "" {
		c.Warn(r.ScheduleNote)
	}
	width := 0
	if c.Width != nil {
		width = c.Width()
	}
	return printFound(c.Stdout, c.Warn, c.lang(), query, r, threshold, f, width)
}

// printFound prints the result of find for query, local or over SSH: one
// JSON array with --json ([] when none), else a table aligned in terminal
// cells, at most width cells wide (0: no limit). When a limit left people
// out, warn says how many. When no one matched it returns ErrNoMatch,
// having said so with warn (not with --json: the empty array says it).
func printFound(w io.Writer, warn func(string), l *lang.Language, query string, r *directory.FindResult,
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
		err = writeTable(w, l, out, now, width)
	}
	if err != nil {
		return lang.NewError("cmd.write.result", "Err", err)
	}
	if line := r.PresenceNote(l); line != "" {
		warn(line) // also when no one matched: stale presence may be why
	}
	if len(out) == 0 {
		if !f.json {
			warn(l.T("find.nomatch", "Query", strconv.Quote(safetext.Clean(query))))
		}
		return ErrNoMatch
	}
	if layout != "" {
		// The people matched as if typed on the other keyboard layout.
		warn(l.T("search.layout", "Query", safetext.Clean(layout)))
	}
	if r.Total > len(out) {
		warn(l.N("find.limited", r.Total, "Shown", l.Thousands(len(out))))
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

// matchLabel is the short word of the MATCH column for what matched (the
// JSON's match value), in the language l.
func matchLabel(l *lang.Language, match string) string {
	switch match {
	case directory.MatchExtension, directory.MatchExtensionPrefix, directory.MatchPhone, directory.MatchName,
		directory.MatchEmail, directory.MatchPosition, directory.MatchLayout, directory.MatchFilter:
		return l.T("match." + match)
	}
	return ""
}

// findColumns are the columns of the find table at now, titled in l.
func findColumns(l *lang.Language, now time.Time) []tableColumn {
	cut := safetext.Truncate
	return []tableColumn{
		{l.T("column.name"), 12, func(p *Person) string { return p.Name }, cut},
		{l.T("column.ext"), 0, func(p *Person) string { return p.Extension }, cut},
		{l.T("column.match"), 0, func(p *Person) string { return matchLabel(l, p.Match) }, cut},
		{l.T("column.position"), 8, func(p *Person) string { return p.Position }, cut},
		{l.T("column.mobile"), 8, func(p *Person) string { return p.Mobile }, cut},
		{l.T("column.email"), 8, func(p *Person) string { return p.Email }, cut},
		{l.T("column.department"), 8, department, truncateLeft},
		{l.T("column.status"), 6, func(p *Person) string { return status(l, p, now) }, cut},
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

// status is the badge word of p at now in the language l: inactive, absent
// (until when), or presence with what the calendar or the workday says
// ("online, in a meeting until 15:00"), else with when an offline person
// was last seen. Words that take a gender in l take the person's, as the
// browser's do (lang.Gendered: "уволена", "была 3 ч назад").
func status(l *lang.Language, p *Person, now time.Time) string {
	switch {
	case !p.Active:
		return l.T(lang.Gendered("cmd.inactive", p.gender))
	case p.AbsentUntil != nil:
		until := *p.AbsentUntil
		if t, err := time.Parse(time.DateOnly, until); err == nil {
			until = l.Day(t, now)
		}
		return l.T("details.absentuntil", "Day", until)
	case p.reason != nil:
		return presenceWord(l, p) + ", " + p.reason.Say(l)
	case p.Presence == "offline" && p.LastSeen != nil:
		if seen, err := time.Parse(time.RFC3339, *p.LastSeen); err == nil && now.After(seen) {
			return presenceWord(l, p) + ", " + l.T(lang.Gendered("seen.ago", p.gender), "Age", l.RoughAge(now.Sub(seen)))
		}
	}
	return presenceWord(l, p)
}

// presenceWord is p's presence (the JSON's value) in the language l, in
// p's gender where l's word takes one (отошёл, отошла); the value itself
// when the catalogs have no word for it.
func presenceWord(l *lang.Language, p *Person) string {
	switch p.Presence {
	case "idle":
		return l.T(lang.Gendered("badge.idle", p.gender))
	case "online", "offline", "absent":
		return l.T("badge." + p.Presence)
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
func writeTable(w io.Writer, l *lang.Language, people []Person, now time.Time, width int) error {
	cols := findColumns(l, now)
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
