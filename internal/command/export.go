package command

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/spf13/cobra"
)

// Export is the output of export --format json.
type Export struct {
	Departments []Department `json:"departments"`
	Employees   []Person     `json:"employees"`
}

// ExportCmd is `b24org export`.
func (c *Commands) ExportCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "export [--format " + strings.Join(exportFormats(), "|") + "]",
		Short: c.lang().T("export.short"),
		Long:  c.lang().T("export.long"),
		Example: `  b24org export > directory.json
  b24org export --format csv > directory.csv
  b24org export --format vcf > directory.vcf
  b24org export --format mermaid > orgchart.mmd
  b24org --demo export | jq '.employees | length'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(exportFormats(), format) {
				return lang.NewError("cmd.export.format", "Format", strconv.Quote(format), "Formats", strings.Join(exportFormats(), ", "))
			}
			return c.runExport(cmd.Context(), format)
		},
	}
	cmd.Flags().StringVar(&format, "format", exportFormats()[0], strings.Join(exportFormats(), ", "))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(exportFormats(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// exportFormats are the values of export --format, the default first.
func exportFormats() []string { return []string{"json", "csv", "vcf", "mermaid"} }

// runExport prints the source's whole directory in format.
func (c *Commands) runExport(ctx context.Context, format string) error {
	org, threshold, err := c.Source.Org(ctx)
	if err != nil {
		return err
	}
	return writeExport(c.Stdout, org, format, threshold)
}

// writeExport prints org in format (one of exportFormats).
func writeExport(w io.Writer, org *directory.Org, format string, threshold time.Duration) error {
	out := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch format {
	case "csv":
		err = writeCSV(out, exportPeople(org, time.Now(), threshold))
	case "vcf":
		err = writeVCF(out, org)
	case "mermaid":
		err = WriteMermaid(out, org, org.OrgChart(0))
	default:
		err = writeJSON(out, ExportData(org, time.Now(), threshold))
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		return lang.NewError("cmd.write.export", "Err", err)
	}
	return nil
}

// ExportData is the whole directory, sorted by id.
func ExportData(org *directory.Org, now time.Time, threshold time.Duration) Export {
	data := org.Data()
	deps := make([]Department, 0, len(data.Departments))
	for i := range data.Departments {
		deps = append(deps, newDepartment(&data.Departments[i]))
	}
	slices.SortFunc(deps, func(x, y Department) int { return x.ID - y.ID })
	return Export{Departments: deps, Employees: exportPeople(org, now, threshold)}
}

// exportPeople is everyone in org, sorted by id.
func exportPeople(org *directory.Org, now time.Time, threshold time.Duration) []Person {
	data := org.Data()
	people := make([]Person, 0, len(data.People))
	for i := range data.People {
		people = append(people, newPerson(&data.People[i], nil, org, now, threshold))
	}
	slices.SortFunc(people, func(x, y Person) int { return x.ID - y.ID })
	return people
}

// writeCSV prints people under the csv header row.
func writeCSV(w io.Writer, people []Person) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader()); err != nil {
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
