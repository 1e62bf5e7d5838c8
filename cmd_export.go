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
	s, err := a.settings()
	if err != nil {
		return err
	}
	d, closeFn, err := a.open(s)
	if err != nil {
		return err
	}
	defer closeFn()
	if _, err := d.LoadTree(ctx); err != nil {
		return err
	}
	progress, done := a.progress()
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
// stderr when stderr is a terminal (nil otherwise), and a func that ends the line.
func (a *app) progress() (func(done, total int), func()) {
	if !a.stderrIsTerminal {
		return nil, func() {}
	}
	var mu sync.Mutex
	drawn := false
	report := func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(a.stderr, "\rindexing %s / %s\x1b[K", thousands(done), thousands(total))
		drawn = true
	}
	end := func() {
		mu.Lock()
		defer mu.Unlock()
		if drawn {
			fmt.Fprint(a.stderr, "\r\x1b[K")
		}
	}
	return report, end
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
