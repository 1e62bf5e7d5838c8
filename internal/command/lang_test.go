package command

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runIn runs the command line args over src as run does, the commands
// speaking l, writing their answers to w (nil: a buffer, kept as the
// stdout of what ran), the find table fitting width cells (0: no limit).
func runIn(t *testing.T, l *lang.Language, src Source, w io.Writer, width int, args ...string) ran {
	t.Helper()
	var out, cobraOut bytes.Buffer
	var r ran
	if w == nil {
		w = &out
	}
	c := &Commands{Source: src, Stdout: w, Warn: func(s string) { r.warnings = append(r.warnings, s) },
		Width: func() int { return width }, Release: "v1.2.3", Lang: func() *lang.Language { return l }}
	root := &cobra.Command{Use: "b24org", SilenceErrors: true, SilenceUsage: true}
	root.SetOut(&cobraOut)
	root.SetErr(&cobraOut)
	root.AddCommand(c.FindCmd(), c.ExportCmd(), c.CallerCmd(), c.VersionCmd())
	root.SetArgs(args)
	r.err = root.ExecuteContext(t.Context())
	r.stdout = out.String()
	return r
}

// genderCompany is a department of three people last seen three hours
// ago: a woman, a man, and one whose gender the portal does not say.
func genderCompany(now time.Time) *fakeportal.Org {
	seen := now.Add(-3*time.Hour - 5*time.Minute)
	return &fakeportal.Org{
		Departments: []fakeportal.Department{{ID: 1, Name: "Acme", Sort: 100}},
		Users: []fakeportal.User{
			{ID: 1, FirstName: "Fiona", LastName: "Gendered", Gender: "F", Extension: "201", Departments: []int{1}, Active: true, LastActivity: seen},
			{ID: 2, FirstName: "Mark", LastName: "Gendered", Gender: "M", Extension: "202", Departments: []int{1}, Active: true, LastActivity: seen},
			{ID: 3, FirstName: "Uma", LastName: "Gendered", Extension: "203", Departments: []int{1}, Active: true, LastActivity: seen},
		},
	}
}

// statusCells are the STATUS cells of a find table by the person's first
// name, the column found by its title.
func statusCells(t *testing.T, table, title string) map[string]string {
	t.Helper()
	ls := lines(table)
	at, ok := columnStarts(ls[0])[title]
	require.True(t, ok, "%q has %s", ls[0], title)
	out := map[string]string{}
	for _, line := range ls[1:] {
		name, _, _ := strings.Cut(line, " ")
		out[name] = strings.TrimSpace(cellsFrom(line, at))
	}
	return out
}

// find's table says when an offline person was last seen with the
// person's gender in Russian, as the browser does: была, был, and был(а)
// when the portal does not say; English says "seen" to all, and the JSON
// holds no gender.
func TestFindSeenSaysTheGender(t *testing.T) {
	p, err := fakeportal.Start(genderCompany(time.Now()), fakeportal.Options{Rate: -1})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	src := portalSource{directory.New(c, directory.Options{NoCache: true})}

	r := runIn(t, lang.Russian(), src, nil, 0, "find", "gendered")
	require.NoError(t, r.err)
	ru := statusCells(t, r.stdout, "СТАТУС")
	assert.Equal(t, map[string]string{
		"Fiona": "не в сети, была 3 ч назад",
		"Mark":  "не в сети, был 3 ч назад",
		"Uma":   "не в сети, был(а) 3 ч назад",
	}, ru)

	r = runIn(t, lang.English(), src, nil, 0, "find", "gendered")
	require.NoError(t, r.err)
	for name, cell := range statusCells(t, r.stdout, "STATUS") {
		assert.Equal(t, "offline, seen 3h ago", cell, name)
	}

	r = runIn(t, lang.Russian(), src, nil, 0, "find", "--json", "gendered")
	require.NoError(t, r.err)
	var people []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &people))
	require.Len(t, people, 3)
	for _, person := range people {
		assert.ElementsMatch(t, append(append([]string{}, contractFields...), "match"), keys(person))
	}
}

// An inactive person's word takes the gender too.
func TestInactiveSaysTheGender(t *testing.T) {
	now := time.Now()
	for g, want := range map[string]string{"F": "уволена", "M": "уволен", "": "уволен(а)"} {
		p := &Person{gender: g, Presence: "offline"}
		assert.Equal(t, want, status(lang.Russian(), p, now), "%q", g)
		assert.Equal(t, "inactive", status(lang.English(), p, now), "%q", g)
	}
}

// An idle person's word takes the gender too, in the table and in
// caller's lines alike.
func TestIdleSaysTheGender(t *testing.T) {
	now := time.Now()
	for g, want := range map[string]string{"F": "отошла", "M": "отошёл", "": "отошёл(ла)"} {
		p := &Person{gender: g, Presence: "idle", Active: true}
		assert.Equal(t, want, status(lang.Russian(), p, now), "%q", g)
		assert.Equal(t, "idle", status(lang.English(), p, now), "%q", g)
	}
}

// brokenWriter fails every write with errBroken.
type brokenWriter struct{}

var errBroken = errors.New("broken pipe")

func (brokenWriter) Write([]byte) (int, error) { return 0, errBroken }

// The commands' own errors are said in the commands' language on the
// error line (ErrorLine), and stay English in Error, which logs keep; the
// errors they wrap are still theirs.
func TestCommandErrorsInRussian(t *testing.T) {
	src := newSource(t)
	for _, tc := range []struct {
		args   []string
		en, ru string
	}{
		{[]string{"find", "--bogus", "anna"}, "unknown flag: --bogus (see b24org find --help)", "неизвестный флаг: --bogus (см. b24org find --help)"},
		{[]string{"caller", "--bogus", "1"}, "unknown flag: --bogus (see b24org caller --help)", "неизвестный флаг: --bogus (см. b24org caller --help)"},
		{[]string{"caller", "nobody"}, "caller needs a phone number (see b24org caller --help)", "caller нужен номер телефона (см. b24org caller --help)"},
		{[]string{"export", "--format", "xml"}, `--format "xml": use json, csv, vcf, mermaid`, `--format "xml": допустимо json, csv, vcf, mermaid`},
		{[]string{"find", "-jz", "anna"}, "unknown shorthand flag: 'j' in -jz (see b24org find --help)", "неизвестный короткий флаг: 'j' в -jz (см. b24org find --help)"},
		{[]string{"find", "anna", "--limit"}, "flag needs an argument: --limit (see b24org find --help)", "флагу нужно значение: --limit (см. b24org find --help)"},
		{[]string{"find", "--limit", "abc", "anna"}, `invalid argument "abc" for "--limit" flag: strconv.ParseInt: parsing "abc": invalid syntax (see b24org find --help)`,
			`недопустимое значение "abc" флага --limit: нужно целое число (см. b24org find --help)`},
		{[]string{"find", "---x", "anna"}, "bad flag syntax: ---x (see b24org find --help)", "неверная запись флага: ---x (см. b24org find --help)"},
		{[]string{"export", "extra"}, `unknown command "extra" for "b24org export"`, `неизвестная команда "extra" для "b24org export"`},
		{[]string{"version", "x"}, `unknown command "x" for "b24org version"`, `неизвестная команда "x" для "b24org version"`},
	} {
		en := runIn(t, lang.English(), src, nil, 0, tc.args...)
		require.Error(t, en.err, "%q", tc.args)
		assert.Equal(t, tc.en, en.err.Error(), "%q", tc.args)
		assert.Equal(t, tc.en, ErrorLine(lang.English(), en.err), "%q", tc.args)
		assert.Equal(t, ExitError, ExitCode(en.err))
		ru := runIn(t, lang.Russian(), src, nil, 0, tc.args...)
		require.Error(t, ru.err, "%q", tc.args)
		assert.Equal(t, tc.en, ru.err.Error(), "the error's own text stays English: %q", tc.args)
		assert.Equal(t, tc.ru, ErrorLine(lang.Russian(), ru.err), "%q", tc.args)
	}

	for _, args := range [][]string{{"find", "anna"}, {"export"}, {"export", "--format", "mermaid"}} {
		r := runIn(t, lang.Russian(), src, brokenWriter{}, 0, args...)
		require.ErrorIs(t, r.err, errBroken, "%q", args)
		line := ErrorLine(lang.Russian(), r.err)
		assert.True(t, strings.HasPrefix(line, "не удалось вывести "), "%q: %s", args, line)
		assert.True(t, strings.HasSuffix(line, ": broken pipe"), "%q: %s", args, line)
		assert.Regexp(t, `^writing the (result|export): `, r.err.Error(), "%q", args)
	}
	var chart error = WriteMermaid(brokenWriter{}, directory.NewOrg(directory.Data{}), nil)
	require.ErrorIs(t, chart, errBroken)
	assert.Equal(t, "writing the chart: broken pipe", chart.Error())
	assert.Equal(t, "не удалось вывести схему: broken pipe", ErrorLine(lang.Russian(), chart))
}

// caller's refusal for a scope the webhook lacks says the scope and
// where to add it in the commands' language.
func TestCallerScopeInRussian(t *testing.T) {
	src := callerSource(t, callerPortal(t, []string{"department", "user", "im"}), "")
	r := runIn(t, lang.Russian(), src, nil, 0, "caller", "+7 (495) 123-45-67")
	require.Error(t, r.err)
	assert.Equal(t, ExitError, ExitCode(r.err))
	assert.True(t, strings.HasPrefix(r.err.Error(), "caller needs the telephony scope, which the webhook lacks: add the scope telephony to the webhook in Bitrix24"), r.err.Error())
	line := ErrorLine(lang.Russian(), r.err)
	assert.True(t, strings.HasPrefix(line, "caller нужно право telephony, которого нет у вебхука: добавьте право telephony входящему вебхуку в Битрикс24"), line)
	assert.NotContains(t, line, "add the scope")
	assert.Equal(t, 1, strings.Count(line, "telephony входящему"), "the fix is said once: %s", line)
}
