package command

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// contractFields are the fields of a person in find --json and export,
// a public contract (README.md, JSON fields), and the CSV header.
var contractFields = []string{
	"id", "name", "first_name", "last_name", "position", "email", "extension", "work_phone",
	"mobile", "department_ids", "departments", "presence", "last_seen", "absent_until", "active",
	"manager_id", "availability", "busy_until", "workday",
}

// sidorovs is how many people of the test company share the name Sidorov:
// more than a thousand, so that the limit line groups its digits.
const sidorovs = 1200

// testCompany is a small company as the portal stores it, its presence
// relative to now: a head in two departments, a person in two departments
// (one of them deep), every presence, a vacation, Cyrillic and CJK names,
// and the Sidorovs.
func testCompany(now time.Time) *fakeportal.Org {
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	org := &fakeportal.Org{
		Departments: []fakeportal.Department{
			{ID: 1, Name: "Acme Corp", Sort: 100, Head: 10},
			{ID: 2, Name: "Sales", Sort: 100, Parent: 1, Head: 20},
			{ID: 3, Name: "EMEA", Sort: 100, Parent: 2},
			{ID: 4, Name: "R&D", Sort: 200, Parent: 1},
			{ID: 5, Name: "Archive", Sort: 300, Parent: 1},
		},
		Users: []fakeportal.User{
			{ID: 10, FirstName: "Anna", LastName: "Johnson", Position: "CEO", Extension: "1000",
				Email: "anna@acme.example", Departments: []int{1}, Active: true, LastActivity: ago(2 * time.Minute)},
			{ID: 20, FirstName: "Борис", LastName: "Иванов", Position: "Team Lead", Extension: "1043",
				Departments: []int{2}, Active: true, LastActivity: ago(9 * time.Minute), IdleSince: ago(9 * time.Minute)},
			{ID: 30, FirstName: "Dora", LastName: "Müller", Position: "Account Manager", Extension: "1042",
				Email: "dora@acme.example", Mobile: "+1 555 0100", WorkPhone: "+1 555 0199",
				Departments: []int{3, 4}, Active: true, LastActivity: ago(3 * time.Hour)},
			{ID: 31, FirstName: "伟", LastName: "陈", Position: "Analyst", Extension: "1044",
				Departments: []int{3}, Active: true, LastActivity: ago(time.Minute), AbsentUntil: now.AddDate(0, 0, 10)},
		},
	}
	for i := range sidorovs {
		org.Users = append(org.Users, fakeportal.User{ID: 1000 + i, FirstName: fmt.Sprintf("Ivan%d", i), LastName: "Sidorov",
			Position: "Engineer", Extension: fmt.Sprint(5000 + i), Departments: []int{4}, Active: true})
	}
	return org
}

// portalSource answers find and export from a Directory over a fake portal,
// as a front end does: find with the directory's one policy, export with
// a whole load.
type portalSource struct{ d *directory.Directory }

// Find looks query up in the directory.
func (s portalSource) Find(ctx context.Context, query string, limit int, _ func(string)) (*directory.FindResult, time.Duration, error) {
	r, err := s.d.Find(ctx, query, directory.FindOptions{Limit: limit, PresenceAge: -1})
	return r, directory.DefaultThreshold, err
}

// Org loads the whole directory.
func (s portalSource) Org(ctx context.Context) (*directory.Org, time.Duration, error) {
	if _, err := s.d.LoadTree(ctx); err != nil {
		return nil, 0, err
	}
	o, err := s.d.LoadAll(ctx, nil)
	return o, directory.DefaultThreshold, err
}

// newSource serves the test company on loopback until the test ends and
// returns a source over it, with nothing cached.
func newSource(t *testing.T) portalSource {
	t.Helper()
	p, err := fakeportal.Start(testCompany(time.Now()), fakeportal.Options{Rate: -1})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	return portalSource{directory.New(c, directory.Options{NoCache: true})}
}

// ran is what one command printed and said.
type ran struct {
	stdout   string
	warnings []string
	err      error
}

// run runs the command line args (find, export, caller or version) over src, its
// find table fitting width cells (0: no limit).
func run(t *testing.T, src Source, width int, args ...string) ran {
	t.Helper()
	return runIn(t, lang.English(), src, nil, width, args...)
}

// lines are the lines of s, without the last newline.
func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }

// cellsFrom is what line shows from terminal cell col on.
func cellsFrom(line string, col int) string {
	w := 0
	for i, r := range line {
		if w >= col {
			return line[i:]
		}
		w += safetext.Width(string(r))
	}
	return ""
}

// cellBetween is what line shows from cell from up to cell to (the start
// of the next column), without the gap.
func cellBetween(line string, from, to int) string {
	rest := cellsFrom(line, from)
	w := 0
	for i, r := range rest {
		if w >= to-from {
			return strings.TrimRight(rest[:i], " ")
		}
		w += safetext.Width(string(r))
	}
	return strings.TrimRight(rest, " ")
}

// columnStarts are the cells at which each title of the header begins.
func columnStarts(header string) map[string]int {
	starts := map[string]int{}
	for _, title := range strings.Fields(header) {
		i := strings.Index(header, title)
		starts[title] = safetext.Width(header[:i])
	}
	return starts
}

func TestFindTableWholeWithoutWidth(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 0, "find", "dora")
	require.NoError(t, r.err)
	assert.Empty(t, r.warnings)
	rows := lines(r.stdout)
	require.Len(t, rows, 2, "a header and Dora")
	assert.Equal(t, []string{"NAME", "EXT", "MATCH", "POSITION", "MOBILE", "E-MAIL", "DEPARTMENT", "STATUS"}, strings.Fields(rows[0]))
	titles := strings.Fields(rows[0])
	starts := columnStarts(rows[0])
	var cells []string
	for i, title := range titles {
		end := safetext.Width(rows[1])
		if i+1 < len(titles) {
			end = starts[titles[i+1]]
		}
		cells = append(cells, cellBetween(rows[1], starts[title], end))
	}
	assert.Equal(t, []string{"Dora Müller", "1042", "name", "Account Manager", "+1 555 0100", "dora@acme.example",
		"Acme Corp" + directory.PathSeparator + "Sales" + directory.PathSeparator + "EMEA (+1)", "offline, seen 3h ago"}, cells,
		"every value whole, under its title")
}

func TestFindTableFitsWidth(t *testing.T) {
	src := newSource(t)
	for _, width := range []int{120, 100, 80} {
		r := run(t, src, width, "find", "dora")
		require.NoError(t, r.err)
		rows := lines(r.stdout)
		require.Len(t, rows, 2)
		for _, row := range rows {
			assert.LessOrEqual(t, safetext.Width(row), width, "%q", row)
		}
		starts := columnStarts(rows[0])
		dept := cellBetween(rows[1], starts["DEPARTMENT"], starts["STATUS"])
		assert.True(t, strings.HasSuffix(dept, "EMEA (+1)"), "a path keeps its end: %q", rows[1])
		assert.True(t, strings.HasPrefix(dept, "…"), "a path is cut from the left: %q", rows[1])
		assert.Equal(t, "1042", cellBetween(rows[1], starts["EXT"], starts["MATCH"]), "the extension is never cut")
		assert.Equal(t, "name", cellBetween(rows[1], starts["MATCH"], starts["POSITION"]), "the match is never cut")
	}
	// Too narrow to fit: the columns stop at their least width, and the
	// table is as wide as it can be made.
	narrow := lines(run(t, src, 30, "find", "dora").stdout)
	narrower := lines(run(t, src, 10, "find", "dora").stdout)
	assert.Equal(t, narrow, narrower)
	require.Len(t, narrow, 2)
	assert.Greater(t, safetext.Width(narrow[1]), 30)
	starts := columnStarts(narrow[0])
	assert.Equal(t, "Dora Müller", cellBetween(narrow[1], starts["NAME"], starts["EXT"]), "a name under 12 cells is never cut")
	dept := cellBetween(narrow[1], starts["DEPARTMENT"], starts["STATUS"])
	assert.Equal(t, safetext.Width("DEPARTMENT"), safetext.Width(dept), "a column is never narrower than its title: %q", dept)
	assert.True(t, strings.HasSuffix(dept, "(+1)"), dept)
}

func TestFindJSONRecords(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 80, "find", "--json", "1042")
	require.NoError(t, r.err)
	var people []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &people))
	require.Len(t, people, 1, "an extension matches one person")
	p := people[0]
	assert.ElementsMatch(t, append(slices.Clone(contractFields), "match"), keys(p), "the fields of the contract, and what matched")
	assert.Equal(t, directory.MatchExtension, p["match"])
	assert.Equal(t, "Dora Müller", p["name"], "JSON is never cut to a width")
	assert.Equal(t, []any{3.0, 4.0}, p["department_ids"])
	assert.Equal(t, []any{"Acme Corp" + directory.PathSeparator + "Sales" + directory.PathSeparator + "EMEA",
		"Acme Corp" + directory.PathSeparator + "R&D"}, p["departments"], "one path per ID, in their order")
	assert.Equal(t, "offline", p["presence"])
	seen, err := time.Parse(time.RFC3339, p["last_seen"].(string))
	require.NoError(t, err)
	assert.InDelta(t, 3*time.Hour, time.Since(seen), float64(time.Minute))
	assert.Nil(t, p["absent_until"])
	assert.Equal(t, true, p["active"])
	assert.NotContains(t, r.stdout, `\u0026`, "& and <> are written as they are")
}

func TestFindNoMatch(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 80, "find", "--json", "zzzz")
	require.ErrorIs(t, r.err, ErrNoMatch)
	assert.Equal(t, ExitNoMatch, ExitCode(r.err))
	assert.Equal(t, "[]\n", r.stdout, "--json says it with an empty array")
	assert.Empty(t, r.warnings)

	r = run(t, src, 80, "find", "zzzz")
	require.ErrorIs(t, r.err, ErrNoMatch)
	assert.Empty(t, r.stdout)
	assert.Equal(t, []string{`no one matches "zzzz"`}, r.warnings)
}

func TestFindLimitLine(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 0, "find", "sidorov")
	require.NoError(t, r.err)
	assert.Len(t, lines(r.stdout), 1+DefaultFindLimit, "a header and the default limit's people")
	assert.Equal(t, []string{fmt.Sprintf("%d of %s shown; --limit 0 for all", DefaultFindLimit, lang.English().Thousands(sidorovs))}, r.warnings)
	assert.Contains(t, r.warnings[0], "1,200", "thousands are grouped")

	r = run(t, src, 0, "find", "--limit", "7", "sidorov")
	require.NoError(t, r.err)
	assert.Len(t, lines(r.stdout), 1+7)
	assert.Equal(t, []string{"7 of 1,200 shown; --limit 0 for all"}, r.warnings)

	r = run(t, src, 0, "find", "--json", "--limit", "0", "sidorov")
	require.NoError(t, r.err)
	var people []Person
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &people))
	assert.Len(t, people, sidorovs, "--limit 0 prints everyone")
	assert.Empty(t, r.warnings, "and says nothing")

	r = run(t, src, 0, "find", "--limit", "-1", "sidorov")
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), "--limit -1")
	assert.Equal(t, ExitError, ExitCode(r.err))
	assert.Empty(t, r.stdout)
}

func TestFindQueryCleaning(t *testing.T) {
	assert.Equal(t, "anna johnson", cleanQuery([]string{"an\x1b[31mna", "john\x07son"}))
	assert.Equal(t, "1042", cleanQuery([]string{"  10\x1b]0;title\x0742 "}))
	assert.Empty(t, cleanQuery([]string{"\x1b[2J", "\x00"}))

	src := newSource(t)
	r := run(t, src, 0, "find", "--json", "jo\x1b[2Jhnson")
	require.NoError(t, r.err)
	assert.Equal(t, []string{`the query held control characters; looking for "johnson"`}, r.warnings)
	var people []Person
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &people))
	require.Len(t, people, 1)
	assert.Equal(t, 10, people[0].ID)

	r = run(t, src, 0, "find", "anna ", " johnson")
	require.NoError(t, r.err)
	assert.Empty(t, r.warnings, "spaces are not control characters")

	for _, args := range [][]string{{"find"}, {"find", "\x1b[2J"}, {"find", "  "}} {
		r = run(t, src, 0, args...)
		require.Error(t, r.err, "%q", args)
		assert.Contains(t, r.err.Error(), "find needs a query")
		assert.Equal(t, ExitError, ExitCode(r.err))
	}
}

func TestExportJSON(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 80, "export")
	require.NoError(t, r.err)
	var raw struct {
		Departments []map[string]any `json:"departments"`
		Employees   []map[string]any `json:"employees"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &raw))
	require.Len(t, raw.Departments, 5)
	require.Len(t, raw.Employees, 4+sidorovs)
	for _, d := range raw.Departments {
		assert.ElementsMatch(t, []string{"id", "name", "parent_id", "head_id"}, keys(d))
	}
	for _, p := range raw.Employees {
		assert.ElementsMatch(t, contractFields, keys(p), "export leaves match out")
	}
	assert.True(t, slices.IsSortedFunc(raw.Departments, byID), "departments by id")
	assert.True(t, slices.IsSortedFunc(raw.Employees, byID), "employees by id")
	root, sales := raw.Departments[0], raw.Departments[1]
	assert.Nil(t, root["parent_id"], "a root has no parent")
	assert.Equal(t, 10.0, root["head_id"])
	assert.Equal(t, 1.0, sales["parent_id"])
	assert.Nil(t, raw.Departments[2]["head_id"], "EMEA has no head")
	assert.Equal(t, "R&D", raw.Departments[3]["name"])

	var data Export
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &data))
	byPerson := map[int]Person{}
	for _, p := range data.Employees {
		byPerson[p.ID] = p
	}
	assert.Equal(t, "online", byPerson[10].Presence)
	assert.Equal(t, "idle", byPerson[20].Presence)
	assert.Equal(t, "offline", byPerson[30].Presence)
	require.NotNil(t, byPerson[31].AbsentUntil)
	until, err := time.Parse(time.DateOnly, *byPerson[31].AbsentUntil)
	require.NoError(t, err, "absent_until is a date")
	assert.True(t, until.After(time.Now()))
	assert.Nil(t, byPerson[1000].LastSeen, "never seen is null")
}

func TestExportCSV(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 80, "export", "--format", "csv")
	require.NoError(t, r.err)
	records, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err, "every row has the header's fields")
	require.Len(t, records, 1+4+sidorovs)
	header := records[0]
	assert.Equal(t, contractFields, header, "the header is the contract's fields, in its order")
	col := map[string]int{}
	for i, name := range header {
		col[name] = i
	}
	rows := records[1:]
	assert.True(t, slices.IsSortedFunc(rows, func(a, b []string) int { return cmpID(a[col["id"]], b[col["id"]]) }), "by id")
	byPerson := map[string][]string{}
	for _, row := range rows {
		byPerson[row[col["id"]]] = row
	}
	dora := byPerson["30"]
	require.NotNil(t, dora)
	assert.Equal(t, "Dora Müller", dora[col["name"]])
	assert.Equal(t, "3;4", dora[col["department_ids"]], "lists are joined with ;")
	assert.Equal(t, "Acme Corp"+directory.PathSeparator+"Sales"+directory.PathSeparator+"EMEA;Acme Corp"+directory.PathSeparator+"R&D", dora[col["departments"]])
	assert.Equal(t, "+1 555 0199", dora[col["work_phone"]])
	_, err = time.Parse(time.RFC3339, dora[col["last_seen"]])
	require.NoError(t, err)
	assert.Empty(t, dora[col["absent_until"]], "null is empty")
	assert.Equal(t, "true", dora[col["active"]])
	chen := byPerson["31"]
	_, err = time.Parse(time.DateOnly, chen[col["absent_until"]])
	require.NoError(t, err)
	assert.Equal(t, "陈", chen[col["last_name"]])

	var asJSON Export
	require.NoError(t, json.Unmarshal([]byte(run(t, src, 80, "export").stdout), &asJSON))
	for i, p := range asJSON.Employees {
		assert.Equal(t, p.csvRecord(), rows[i], "csv and json say the same of %d", p.ID)
	}
}

func TestExportFormat(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 80, "export", "--format", "xml")
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `--format "xml"`)
	assert.Equal(t, ExitError, ExitCode(r.err))
	assert.Empty(t, r.stdout)
}

// failingSource fails every question with err.
type failingSource struct{ err error }

func (s failingSource) Find(context.Context, string, int, func(string)) (*directory.FindResult, time.Duration, error) {
	return nil, 0, s.err
}

func (s failingSource) Org(context.Context) (*directory.Org, time.Duration, error) {
	return nil, 0, s.err
}

func TestExitCodes(t *testing.T) {
	assert.Equal(t, 0, ExitOK)
	assert.Equal(t, ExitOK, ExitCode(nil))
	assert.Equal(t, ExitNoMatch, ExitCode(ErrNoMatch))
	assert.Equal(t, ExitNoMatch, ExitCode(fmt.Errorf("find: %w", ErrNoMatch)), "wrapped too")
	assert.Equal(t, ExitError, ExitCode(errors.New("portal down")))
	assert.Len(t, map[int]bool{ExitOK: true, ExitNoMatch: true, ExitError: true}, 3, "three codes")

	down := errors.New("portal down")
	for _, args := range [][]string{{"find", "anna"}, {"export"}} {
		r := run(t, failingSource{down}, 80, args...)
		require.ErrorIs(t, r.err, down, "%q", args)
		assert.Equal(t, ExitError, ExitCode(r.err))
		assert.Empty(t, r.stdout)
	}
}

func TestVersionText(t *testing.T) {
	text := VersionText("v1.2.3")
	got := lines(text)
	require.GreaterOrEqual(t, len(got), 2)
	assert.Equal(t, "b24org v1.2.3", got[0])
	assert.Equal(t, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH, got[1])
	assert.True(t, strings.HasSuffix(text, "\n"))
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				assert.Contains(t, text, "commit "+s.Value)
			}
		}
		dev := lines(VersionText("dev"))[0]
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			assert.Equal(t, "b24org "+v, dev, "dev asks the build")
		} else {
			assert.Equal(t, "b24org dev", dev, "a build without a module version stays dev")
		}
	}

	r := run(t, failingSource{errors.New("unused")}, 80, "version")
	require.NoError(t, r.err)
	assert.Equal(t, text, r.stdout, "version prints the text of the release")
}

// keys are the keys of m.
func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// byID orders two JSON objects by their id.
func byID(a, b map[string]any) int { return int(a["id"].(float64) - b["id"].(float64)) }

// cmpID orders two decimal ids (one that is not a number first).
func cmpID(a, b string) int {
	x, errX := strconv.Atoi(a)
	y, errY := strconv.Atoi(b)
	if errX != nil || errY != nil {
		return -1
	}
	return x - y
}

func TestFindLayoutSlip(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 0, "find", "bdfyjd")
	require.NoError(t, r.err)
	out := lines(r.stdout)
	require.Len(t, out, 2, "a header and Борис Иванов")
	starts := columnStarts(out[0])
	assert.Equal(t, "Борис Иванов", cellBetween(out[1], starts["NAME"], starts["EXT"]))
	assert.Equal(t, "layout", cellBetween(out[1], starts["MATCH"], starts["POSITION"]))
	assert.Equal(t, []string{"layout: иванов"}, r.warnings)

	r = run(t, src, 0, "find", "--json", "ьгддук")
	require.NoError(t, r.err)
	var people []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &people))
	require.Len(t, people, 1)
	assert.Equal(t, "Dora Müller", people[0]["name"])
	assert.Equal(t, directory.MatchLayout, people[0]["match"])
	assert.Equal(t, []string{"layout: muller"}, r.warnings)

	r = run(t, src, 0, "find", "ivanov")
	require.NoError(t, r.err)
	assert.Empty(t, r.warnings, "found as typed: no retyping said")
}

// find's table and caller's lines say the reason the calendar or the
// workday gives in the session's language; the JSON keeps the English
// state only.
func TestStatusSaysTheReasonInTheLanguage(t *testing.T) {
	now := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
	pp := &directory.Person{ID: 7, Active: true, LastActivity: now.Add(-time.Hour)}
	s := &directory.Schedule{Calendar: true, Events: []directory.Event{{From: now.Add(-time.Hour), To: now.Add(time.Hour), Kind: "busy"}}}
	a := pp.AvailabilityAt(s, now, 0)
	p := &Person{Active: true, Presence: "offline", Availability: a.State, reason: &a}
	assert.Equal(t, "offline, in a meeting until 15:00", status(lang.English(), p, now))
	ru := status(lang.Russian(), p, now)
	assert.True(t, strings.HasSuffix(ru, ", на встрече до 15:00"), ru)
	data, err := json.Marshal(p)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "встрече")
	assert.Contains(t, string(data), `"availability":"busy"`)
}
