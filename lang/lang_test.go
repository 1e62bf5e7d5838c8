package lang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// catalog reads one embedded catalog as its messages by id.
func catalog(t *testing.T, code string) map[string]*i18n.Message {
	t.Helper()
	ms, err := parseCatalog(code)
	require.NoError(t, err)
	out := map[string]*i18n.Message{}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// names are the placeholders the forms of m use.
func names(m *i18n.Message) []string {
	var out []string
	for _, form := range []string{m.One, m.Few, m.Many, m.Other} {
		for _, g := range placeholder.FindAllStringSubmatch(form, -1) {
			if !slices.Contains(out, g[1]) {
				out = append(out, g[1])
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestCatalogsComplete lists every message id of both catalogs and fails
// when one lacks an English or a Russian text, when a message said of a
// number lacks a plural form its language needs (English: one, other;
// Russian: one, few, many, other), or when the two texts of an id take
// different values.
func TestCatalogsComplete(t *testing.T) {
	en, ru := catalog(t, "en"), catalog(t, "ru")
	require.NotEmpty(t, en)
	enFiles, err := fs.Glob(files, "messages/en/*.yaml")
	require.NoError(t, err)
	ruFiles, err := fs.Glob(files, "messages/ru/*.yaml")
	require.NoError(t, err)
	for i := range enFiles {
		enFiles[i] = filepath.Base(enFiles[i])
	}
	for i := range ruFiles {
		ruFiles[i] = filepath.Base(ruFiles[i])
	}
	assert.Equal(t, enFiles, ruFiles, "each topic has a file in both languages")
	for id := range ru {
		assert.Contains(t, en, id, "%s has a Russian text but no English one", id)
	}
	for id, e := range en {
		r, ok := ru[id]
		if !assert.True(t, ok, "%s has no Russian text", id) {
			continue
		}
		if e.One != "" || r.One != "" { // said of a number
			assert.True(t, e.One != "" && e.Other != "", "%s: English needs one and other", id)
			assert.True(t, r.One != "" && r.Few != "" && r.Many != "" && r.Other != "", "%s: Russian needs one, few, many and other", id)
		} else {
			assert.NotEmpty(t, e.Other, "%s: empty English text", id)
			assert.NotEmpty(t, r.Other, "%s: empty Russian text", id)
		}
		assert.Equal(t, names(e), names(r), "%s: the two texts take different values", id)
	}
}

// TestCodeUsesOnlyCatalogIDs reads the module's Go code for every message
// id said as a literal (T("id"…), N("id"…), Count("id"…), NewError("id"…),
// and the ids the code puts together: "key."+action, "month."+n, the ids
// of a table) and fails on one the English catalog lacks.
func TestCodeUsesOnlyCatalogIDs(t *testing.T) {
	en := catalog(t, "en")
	root := filepath.Join("..")
	used := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !slices.Contains([]string{"T", "N", "Count", "NewError"}, sel.Sel.Name) {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			used++
			assert.Contains(t, en, id, "%s: message %q is not in the catalogs", path, id)
			return true
		})
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, used, 40, "the walk found the code's messages")
	for m := 1; m <= 12; m++ {
		assert.Contains(t, en, "month."+strconv.Itoa(m))
	}
}

// TestPlurals says a count in each language's forms: Russian has three
// for whole numbers (1 and 21; 2 and 22; 5 and 11).
func TestPlurals(t *testing.T) {
	ru, en := Russian(), English()
	for n, want := range map[int]string{
		0: "0 сотрудников", 1: "1 сотрудник", 2: "2 сотрудника", 4: "4 сотрудника", 5: "5 сотрудников",
		11: "11 сотрудников", 12: "12 сотрудников", 14: "14 сотрудников", 21: "21 сотрудник", 22: "22 сотрудника",
		25: "25 сотрудников", 101: "101 сотрудник", 111: "111 сотрудников",
		1001: "1\u00a0001 сотрудник", 30000: "30\u00a0000 сотрудников",
	} {
		assert.Equal(t, want, ru.Count("people.count", n), "ru %d", n)
	}
	for n, want := range map[int]string{0: "0 people", 1: "1 person", 2: "2 people", 21: "21 people", 30000: "30,000 people"} {
		assert.Equal(t, want, en.Count("people.count", n), "en %d", n)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567", 30000: "30,000"} {
		assert.Equal(t, want, English().Thousands(n))
	}
	assert.Equal(t, "1\u00a0234\u00a0567", Russian().Thousands(1234567))
}

func TestRoughAgeAndDates(t *testing.T) {
	ru, en := Russian(), English()
	for d, want := range map[time.Duration]string{
		-time.Second: "0 с", 45 * time.Second: "45 с", 12 * time.Minute: "12 мин", 3 * time.Hour: "3 ч",
		30 * time.Hour: "30 ч", 72 * time.Hour: "3 дн.",
	} {
		assert.Equal(t, want, ru.RoughAge(d))
	}
	for d, want := range map[time.Duration]string{45 * time.Second: "45s", 12 * time.Minute: "12m", 3 * time.Hour: "3h", 72 * time.Hour: "3d"} {
		assert.Equal(t, want, en.RoughAge(d))
	}
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	assert.Equal(t, "1 дек.", ru.Day(time.Date(2026, 12, 1, 15, 4, 0, 0, time.UTC), now))
	assert.Equal(t, "1 Dec", en.Day(time.Date(2026, 12, 1, 15, 4, 0, 0, time.UTC), now))
	assert.Equal(t, "3 мая 2025", ru.Day(time.Date(2025, 5, 3, 0, 0, 0, 0, time.UTC), now))
	assert.Equal(t, "1 дек. 15:04", ru.DayTime(time.Date(2026, 12, 1, 15, 4, 0, 0, time.UTC), now))
	assert.Equal(t, "1 Dec 21:30", en.DayTime(time.Date(2026, 12, 1, 21, 30, 0, 0, time.UTC), now), "24-hour clock")
}

// TestFromEnv: LC_ALL, then LC_MESSAGES, then LANG; the first set decides.
func TestFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		env  []string
		want *Language
		err  error
	}{
		{[]string{"LANG", "ru_RU.UTF-8"}, Russian(), nil},
		{[]string{"LANG", "en_US.UTF-8"}, English(), nil},
		{[]string{"LANG", "ru_RU.UTF-8", "LC_MESSAGES", "en_GB.UTF-8"}, English(), nil},
		{[]string{"LANG", "en_US.UTF-8", "LC_MESSAGES", "en_GB", "LC_ALL", "ru_UA.UTF-8"}, Russian(), nil},
		{[]string{"LANG", "ru_RU.UTF-8", "LC_ALL", "C"}, English(), nil},
		{[]string{"LANG", "de_DE.UTF-8"}, English(), nil},
		{[]string{"LANG", "ru"}, Russian(), nil},
		{[]string{"LANG", "ru_RU@euro"}, Russian(), nil},
		{nil, English(), ErrNoLocale},
	} {
		got, err := FromEnv(env(c.env...))
		assert.Same(t, c.want, got, "%v", c.env)
		assert.ErrorIs(t, err, c.err, "%v", c.env)
	}
}

func TestParse(t *testing.T) {
	for s, want := range map[string]*Language{"ru": Russian(), "RU": Russian(), " en ": English(), "ru_RU.UTF-8": Russian(),
		"en-US": English(), "Russian": Russian(), "русский": Russian(), "english": English()} {
		got, err := Parse(s)
		require.NoError(t, err, s)
		assert.Same(t, want, got, s)
	}
	for _, s := range []string{"", "de", "klingon", "C"} {
		_, err := Parse(s)
		require.Error(t, err, s)
		assert.Contains(t, err.Error(), "valid: en, ru")
	}
}

// TestCollation: the Russian order puts ё with е, and either language
// sorts names as its readers expect.
func TestCollation(t *testing.T) {
	names := []string{"Жуков", "Ёлкин", "Яковлев", "Егоров", "Абрамов", "Елисеев"}
	Russian().Collator().SortStrings(names)
	assert.Equal(t, []string{"Абрамов", "Егоров", "Елисеев", "Ёлкин", "Жуков", "Яковлев"}, names)
	latin := []string{"zeta", "Émile", "adam", "Eve"}
	English().Collator().SortStrings(latin)
	assert.Equal(t, []string{"adam", "Émile", "Eve", "zeta"}, latin)
}

// TestTexts: a text's only markup is {{.Name}}; values are put in by name,
// the count as the language writes it.
func TestTexts(t *testing.T) {
	for _, bad := range []string{"{{if .A}}x{{end}}", "{{.A", "{{ .A | printf }}", "{{.}}", "{{ .A.B }}"} {
		_, err := compileText(bad)
		assert.Error(t, err, bad)
	}
	tx, err := compileText("{{ .Name }} has {{.N}} ({{.Missing}})")
	require.NoError(t, err)
	assert.Equal(t, "Ann has 1,000 ()", tx.render("1,000", []any{"Name", "Ann"}))
	assert.Equal(t, "unknown.id", English().T("unknown.id"))
	assert.Equal(t, "tab: сотрудники", Russian().T("tab.people", "Key", "tab"))
	assert.Equal(t, "повтор (2/7) через 3s…", Russian().T("retry.in", "Attempt", 2, "Max", 7, "Wait", "3s"))
}

// TestWait says a wait to the second in each language: English as Go
// writes a duration, Russian in words.
func TestWait(t *testing.T) {
	ru, en := Russian(), English()
	for _, c := range []struct {
		d      time.Duration
		en, ru string
	}{
		{0, "0s", "0 с"},
		{3 * time.Second, "3s", "3 с"},
		{1400 * time.Millisecond, "1s", "1 с"},
		{2*time.Minute + 10*time.Second, "2m10s", "2 мин 10 с"},
		{time.Hour + 5*time.Second, "1h0m5s", "1 ч 5 с"},
		{21 * time.Minute, "21m0s", "21 мин"},
	} {
		assert.Equal(t, c.en, en.Wait(c.d))
		assert.Equal(t, c.ru, ru.Wait(c.d))
	}
}
