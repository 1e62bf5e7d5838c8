package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/b24org/b24org/internal/command"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/safetext"
	"github.com/stretchr/testify/require"
)

// personFields are the fields of a person in the JSON contract (README.md,
// JSON fields).
var personFields = []string{
	"id", "name", "first_name", "last_name", "position", "email", "extension", "work_phone",
	"mobile", "department_ids", "departments", "presence", "last_seen", "absent_until", "active",
	"manager_id", "availability", "busy_until", "workday",
}

// asciiName reports whether s is a plain Latin word.
func asciiName(s string) bool {
	if len(s) < 3 {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// pickPerson returns an active person of org with a plain Latin name that no
// one else has, an extension no one else has, and a department.
func pickPerson(t *testing.T, org *fakeportal.Org) fakeportal.User {
	t.Helper()
	names, exts := map[string]int{}, map[string]int{}
	for _, u := range org.Users {
		names[strings.ToLower(u.LastName)]++
		names[strings.ToLower(u.FirstName)]++
		if u.Extension != "" {
			exts[u.Extension]++
		}
	}
	for _, u := range org.Users {
		if u.Active && asciiName(u.FirstName) && asciiName(u.LastName) && u.Extension != "" &&
			len(u.Departments) > 0 && names[strings.ToLower(u.LastName)] == 1 && exts[u.Extension] == 1 &&
			u.Email != "" {
			return u
		}
	}
	t.Fatal("the generated org has no plain, unique person to look for")
	return fakeportal.User{}
}

// deptPath is the " › " path of a department of org.
func deptPath(org *fakeportal.Org, id int) string {
	byID := map[int]fakeportal.Department{}
	for _, d := range org.Departments {
		byID[d.ID] = d
	}
	var names []string
	for seen := 0; id != 0 && seen < len(byID); seen++ {
		d, ok := byID[id]
		if !ok {
			break
		}
		names = append([]string{d.Name}, names...)
		id = d.Parent
	}
	return strings.Join(names, " › ")
}

// decodePeople decodes a find --json answer, checking every object has
// exactly the contract's fields.
func decodePeople(t *testing.T, out string) []command.Person {
	t.Helper()
	var raw []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &raw), out)
	for _, obj := range raw {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		keys = slices.DeleteFunc(keys, func(k string) bool { return k == "match" })
		require.ElementsMatch(t, personFields, keys)
	}
	var people []command.Person
	require.NoError(t, json.Unmarshal([]byte(out), &people))
	for _, p := range people {
		requireContractValues(t, p)
	}
	return people
}

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// requireContractValues checks the value forms the contract promises.
func requireContractValues(t *testing.T, p command.Person) {
	t.Helper()
	require.Positive(t, p.ID)
	require.Contains(t, []string{"online", "idle", "offline"}, p.Presence)
	require.NotNil(t, p.DepartmentIDs)
	require.Len(t, p.Departments, len(p.DepartmentIDs))
	if p.LastSeen != nil {
		_, err := time.Parse(time.RFC3339, *p.LastSeen)
		require.NoError(t, err)
	}
	if p.AbsentUntil != nil {
		require.Regexp(t, dateOnly, *p.AbsentUntil)
	}
}

// findByID returns the person with id among people.
func findByID(people []command.Person, id int) (command.Person, bool) {
	i := slices.IndexFunc(people, func(p command.Person) bool { return p.ID == id })
	if i < 0 {
		return command.Person{}, false
	}
	return people[i], true
}

// requireSamePerson checks that p tells what the portal holds about u.
func requireSamePerson(t *testing.T, org *fakeportal.Org, u fakeportal.User, p command.Person, now time.Time) {
	t.Helper()
	require.Equal(t, u.FirstName, p.FirstName)
	require.Equal(t, u.LastName, p.LastName)
	require.Contains(t, p.Name, u.FirstName)
	require.Contains(t, p.Name, u.LastName)
	require.Equal(t, u.Position, p.Position)
	require.Equal(t, u.Email, p.Email)
	require.Equal(t, u.Extension, p.Extension)
	require.Equal(t, u.Mobile, p.Mobile)
	require.Equal(t, u.WorkPhone, p.WorkPhone)
	require.Equal(t, u.Active, p.Active)
	require.ElementsMatch(t, u.Departments, p.DepartmentIDs)
	paths := make([]string, len(u.Departments))
	for i, id := range u.Departments {
		paths[i] = deptPath(org, id)
	}
	require.ElementsMatch(t, paths, p.Departments)
	if u.LastActivity.IsZero() {
		require.Nil(t, p.LastSeen)
	} else {
		require.NotNil(t, p.LastSeen)
		seen, err := time.Parse(time.RFC3339, *p.LastSeen)
		require.NoError(t, err)
		require.True(t, seen.Equal(u.LastActivity.Truncate(time.Second)), "last_seen %s, portal %s", seen, u.LastActivity)
	}
	if u.AbsentUntil.After(now) {
		require.NotNil(t, p.AbsentUntil)
	} else {
		require.Nil(t, p.AbsentUntil)
	}
}

func TestFindByNameAnyOrder(t *testing.T) {
	now := time.Now()
	org := testOrg(now)
	p := startPortal(t, org, fakeportal.Options{})
	u := pickPerson(t, org)
	e := newRunEnv(t)

	r := e.run(t, "--webhook", p.WebhookURL(), "find", "--json", strings.ToLower(u.LastName), strings.ToUpper(u.FirstName))
	require.Equal(t, 0, r.code, r.stderr)
	requireNoSecret(t, r)
	people := decodePeople(t, r.stdout)
	got, ok := findByID(people, u.ID)
	require.True(t, ok, "%s %s not in %s", u.FirstName, u.LastName, r.stdout)
	requireSamePerson(t, org, u, got, now)

	r = e.run(t, "--webhook", p.WebhookURL(), "find", u.FirstName, u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), 2)
	require.True(t, strings.HasPrefix(lines[0], "NAME "), lines[0])
	for _, col := range []string{"POSITION", "EXT", "MOBILE", "E-MAIL", "DEPARTMENT", "STATUS"} {
		require.Contains(t, lines[0], col)
	}
	require.Contains(t, r.stdout, u.Extension)
	require.Contains(t, r.stdout, u.Email)
}

func TestFindByExtension(t *testing.T) {
	now := time.Now()
	org := testOrg(now)
	p := startPortal(t, org, fakeportal.Options{})
	u := pickPerson(t, org)

	r := newRunEnv(t).run(t, "--webhook", p.WebhookURL(), "find", "--json", u.Extension)
	require.Equal(t, 0, r.code, r.stderr)
	people := decodePeople(t, r.stdout)
	require.NotEmpty(t, people)
	require.Equal(t, u.ID, people[0].ID, "the owner of the extension comes first")
	requireSamePerson(t, org, u, people[0], now)
}

func TestFindNoMatch(t *testing.T) {
	p := startPortal(t, testOrg(time.Now()), fakeportal.Options{})
	e := newRunEnv(t)

	r := e.run(t, "--webhook", p.WebhookURL(), "find", "--json", "Zyxwvutsrq")
	require.Equal(t, 1, r.code, r.stderr)
	require.Equal(t, "[]\n", r.stdout)

	r = e.run(t, "--webhook", p.WebhookURL(), "find", "Zyxwvutsrq")
	require.Equal(t, 1, r.code, r.stderr)
	require.Empty(t, r.stdout)
	require.Contains(t, r.stderr, "no one matches")
}

// exportOf decodes an export --format json answer.
func exportOf(t *testing.T, out string) command.Export {
	t.Helper()
	var raw struct {
		Departments []map[string]json.RawMessage `json:"departments"`
		Employees   json.RawMessage              `json:"employees"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	for _, d := range raw.Departments {
		keys := make([]string, 0, len(d))
		for k := range d {
			keys = append(keys, k)
		}
		require.ElementsMatch(t, []string{"id", "name", "parent_id", "head_id"}, keys)
	}
	var x command.Export
	require.NoError(t, json.Unmarshal([]byte(out), &x))
	decodePeople(t, string(raw.Employees))
	return x
}

// employedIDs are the people of org that belong to a department, the ones a
// directory lists.
func employedIDs(org *fakeportal.Org) []int {
	var ids []int
	for _, u := range org.Users {
		if len(u.Departments) > 0 && u.Active {
			ids = append(ids, u.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestExportJSONHoldsEveryone(t *testing.T) {
	now := time.Now()
	org := testOrg(now)
	p := startPortal(t, org, fakeportal.Options{})
	e := newRunEnv(t)

	r := e.run(t, "--webhook", p.WebhookURL(), "export")
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr, "no progress when stderr is not a terminal")
	x := exportOf(t, r.stdout)

	var wantDeps, gotDeps []int
	for _, d := range org.Departments {
		wantDeps = append(wantDeps, d.ID)
	}
	for _, d := range x.Departments {
		gotDeps = append(gotDeps, d.ID)
		require.NotEmpty(t, d.Name)
	}
	require.ElementsMatch(t, wantDeps, gotDeps)
	require.True(t, slices.IsSorted(gotDeps))

	gotPeople := make([]int, len(x.Employees))
	for i, p := range x.Employees {
		gotPeople[i] = p.ID
	}
	require.True(t, slices.IsSorted(gotPeople))
	for _, id := range employedIDs(org) {
		require.Contains(t, gotPeople, id)
	}
	u := pickPerson(t, org)
	got, ok := findByID(x.Employees, u.ID)
	require.True(t, ok)
	requireSamePerson(t, org, u, got, now)
}

func TestExportCSV(t *testing.T) {
	org := testOrg(time.Now())
	p := startPortal(t, org, fakeportal.Options{})
	r := newRunEnv(t).run(t, "--webhook", p.WebhookURL(), "export", "--format", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	require.True(t, strings.HasPrefix(r.stdout, strings.Join(personFields, ",")+"\n"), r.stdout[:min(200, len(r.stdout))])
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	ids := map[int]bool{}
	for _, row := range rows[1:] {
		require.Len(t, row, len(personFields))
		id, err := strconv.Atoi(row[0])
		require.NoError(t, err)
		ids[id] = true
	}
	for _, id := range employedIDs(org) {
		require.True(t, ids[id], "person %d missing from the csv", id)
	}
}

func TestFindUsesTheCacheExportWrote(t *testing.T) {
	org := testOrg(time.Now())
	p := startPortal(t, org, fakeportal.Options{})
	u := pickPerson(t, org)
	e := newRunEnv(t)

	r := e.run(t, "--webhook", p.WebhookURL(), "export")
	require.Equal(t, 0, r.code, r.stderr)
	before := p.Total()
	r = e.run(t, "--webhook", p.WebhookURL(), "find", "--json", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr, "a fresh cache says nothing")
	_, ok := findByID(decodePeople(t, r.stdout), u.ID)
	require.True(t, ok)
	require.Equal(t, before, p.Total(), "find answered from the cache without asking the portal")

	e.writeConfig(t, "freshness: 1ns\n")
	r = e.run(t, "--webhook", p.WebhookURL(), "find", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stderr, "old")
	require.Equal(t, before, p.Total())

	r = e.run(t, "--webhook", p.WebhookURL(), "--refresh", "find", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	require.Greater(t, p.Total(), before, "--refresh asks the portal")
}

func TestDemoFindAndExport(t *testing.T) {
	e := newRunEnv(t)
	r := e.run(t, "--demo", "export")
	require.Equal(t, 0, r.code, r.stderr)
	x := exportOf(t, r.stdout)
	require.Greater(t, len(x.Employees), 1000)
	require.NotEmpty(t, x.Departments)

	var who command.Person
	for _, p := range x.Employees {
		if p.Active && asciiName(p.LastName) && p.Extension != "" {
			who = p
			break
		}
	}
	require.NotZero(t, who.ID)
	r = e.run(t, "--demo", "find", "--json", who.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	_, ok := findByID(decodePeople(t, r.stdout), who.ID)
	require.True(t, ok)

	r = e.run(t, "--demo", "find", who.Extension)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, who.Extension)

	entries, err := readDirNames(e.cache)
	require.NoError(t, err)
	require.Empty(t, entries, "the demo never writes the user's cache")
}

func TestDemoHostileKeepsTheTableClean(t *testing.T) {
	r := newRunEnv(t).run(t, "--demo-hostile", "export", "--format", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	for _, c := range r.stdout {
		require.False(t, c == 0x1b || c == 0x9b || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'),
			fmt.Sprintf("control character %U in the export", c))
	}
}

func TestDemoHostileFindTable(t *testing.T) {
	r := newRunEnv(t).run(t, "--demo-hostile", "find", "a")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	require.Greater(t, len(lines), 1)
	statusAt := strings.Index(lines[0], "STATUS")
	require.Positive(t, statusAt)
	for _, line := range lines {
		for _, c := range line {
			require.False(t, c == 0x1b || c == 0x9b || c == 0x9d || c < 0x20 || c == 0x7f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069),
				"control character %U in %q", c, line)
		}
		require.LessOrEqual(t, safetext.Width(line), statusAt+40, "a row wider than its columns: %q", line)
	}
}
