package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/directory"
	"github.com/spf13/cobra"
)

// exportJSON is the output of export --format json.
type exportJSON struct {
	Departments []departmentJSON `json:"departments"`
	Employees   []personJSON     `json:"employees"`
}

// exportCmd is `b24org export`.
func (a *app) exportCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "export [--format json|csv]",
		Short: "Print the whole directory: departments and people",
		Long: `export loads the whole directory from the portal (the tree, then every
person with presence, in as few requests as the rate limit allows), writes the
cache, and prints it to stdout.

json is one object {"departments": [...], "employees": [...]}; csv is one row per
person under a header row, with lists joined by ";". Departments and people come
sorted by id. Progress goes to stderr when stderr is a terminal.`,
		Example: `  b24org export > directory.json
  b24org export --format csv > directory.csv
  b24org --demo export | jq '.employees | length'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "json" && format != "csv" {
				return fmt.Errorf("--format %q: use json or csv", format)
			}
			return a.runExport(cmd.Context(), format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", "json or csv")
	completeValues(cmd, "format", "json", "csv")
	return cmd
}

// runExport loads everything and prints it in format.
func (a *app) runExport(ctx context.Context, format string) error {
	if a.served != nil {
		org, err := a.served.servedOrg(ctx)
		if err != nil {
			return err
		}
		return writeExport(a.stdout, org, format, a.served.threshold)
	}
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
	progress, pace, done := a.progress()
	if pace != nil {
		ctx = api.WithPace(ctx, pace)
	}
	if _, err := d.LoadTree(ctx); err != nil {
		done()
		return err
	}
	org, err := d.LoadAll(ctx, progress)
	done()
	if err != nil {
		return err
	}
	return writeExport(a.stdout, org, format, s.threshold)
}

// writeExport prints org in format (json or csv).
func writeExport(w io.Writer, org *directory.Org, format string, threshold time.Duration) error {
	out := bufio.NewWriterSize(w, 64<<10)
	var err error
	if format == "csv" {
		err = writeCSV(out, exportPeople(org, time.Now(), threshold))
	} else {
		err = writeJSON(out, exportData(org, time.Now(), threshold))
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		return fmt.Errorf("writing the export: %w", err)
	}
	return nil
}

// progress returns a progress callback that draws "indexing N / M" on
// stderr when stderr is a terminal (nil otherwise), a Pace callback that
// adds the estimate of the time left or a pause for the portal's time
// budget ("waiting for the portal's time budget: 2m10s"), and a func that
// ends the line.
func (a *app) progress() (func(done, total int), func(api.Pace), func()) {
	if !a.stderrIsTerminal {
		return nil, nil, func() {}
	}
	a.terminalNotes()
	var mu sync.Mutex
	done, total := 0, 0
	var note string
	draw := func() {
		line := "indexing"
		if total > 0 {
			line += " " + thousands(done) + " / " + thousands(total)
		}
		if note != "" {
			line += " · " + note
		}
		a.status.show(line)
	}
	report := func(d, t int) {
		mu.Lock()
		defer mu.Unlock()
		if d != done {
			note = "" // a pause is over once people arrive
		}
		done, total = d, t
		draw()
	}
	pace := func(p api.Pace) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case p.Waiting > 0:
			note = "waiting for the portal's time budget: " + roughDuration(p.Waiting)
		case p.Left > 0:
			note = "about " + roughDuration(p.Left) + " left"
		default:
			return
		}
		draw()
	}
	end := func() { a.status.clear() }
	return report, pace, end
}

// roughDuration is d to the second, at least 1s: 2m10s.
func roughDuration(d time.Duration) string {
	return max(d.Round(time.Second), time.Second).String()
}

// thousands writes n with comma group separators: 12,400.
func thousands(n int) string { return directory.Thousands(n) }

// exportData is the whole directory, sorted by id.
func exportData(org *directory.Org, now time.Time, threshold time.Duration) exportJSON {
	data := org.Data()
	deps := make([]departmentJSON, 0, len(data.Departments))
	for i := range data.Departments {
		deps = append(deps, newDepartmentJSON(&data.Departments[i]))
	}
	slices.SortFunc(deps, func(x, y departmentJSON) int { return x.ID - y.ID })
	return exportJSON{Departments: deps, Employees: exportPeople(org, now, threshold)}
}

// exportPeople is everyone in org, sorted by id.
func exportPeople(org *directory.Org, now time.Time, threshold time.Duration) []personJSON {
	data := org.Data()
	people := make([]personJSON, 0, len(data.People))
	for i := range data.People {
		people = append(people, newPersonJSON(&data.People[i], org, now, threshold))
	}
	slices.SortFunc(people, func(x, y personJSON) int { return x.ID - y.ID })
	return people
}

// writeCSV prints people under the csv header row.
func writeCSV(w io.Writer, people []personJSON) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader()); err != nil {
		return err
	}
	for _, p := range people {
		if err := cw.Write(p.csvRecord()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
