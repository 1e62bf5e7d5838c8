// Package lang is the language b24org speaks to a person: English or
// Russian, chosen from the locale (LC_ALL, LC_MESSAGES, LANG), the config's
// language: setting, or an SSH client's LANG. A Language says messages from
// the catalogs in messages/ (one YAML file per language, embedded, in
// go-i18n's message-file format), in the CLDR plural form its language
// gives a number (Russian: one, few, many, other; the rules of
// golang.org/x/text/feature/plural), and writes numbers, ages and dates as
// its readers expect.
//
// The catalogs are read once, when the program starts, and only read after:
// every session and command is handed the Language it speaks in.
package lang

import (
	"embed"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/collate"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

//go:embed messages/*/*.yaml
var files embed.FS

// Language is one interface language. It is safe for concurrent use.
type Language struct {
	code  string // "en", "ru"
	tag   language.Tag
	msgs  map[string]*message // by id; read only after load
	group string              // between groups of three digits
	// first is the script whose names a reader of the language expects
	// first (CLDR's "reorder": Cyrillic for Russian), nil for none.
	first *unicode.RangeTable
}

// The languages, built from the embedded catalogs when the program starts
// and never changed after.
var (
	english, russian = load()
)

// English is the English interface, the default.
func English() *Language { return english }

// Russian is the Russian interface.
func Russian() *Language { return russian }

// Codes lists the languages' codes, as the config's language: takes them.
func Codes() []string { return []string{"en", "ru"} }

// load reads the catalogs; a broken catalog is a broken build, which the
// catalog tests catch.
func load() (en, ru *Language) {
	en = &Language{code: "en", tag: language.English, group: ","}
	// CLDR's Russian groups digits with a no-break space: 30 000.
	ru = &Language{code: "ru", tag: language.Russian, group: "\u00a0", first: unicode.Cyrillic}
	for _, l := range []*Language{en, ru} {
		ms, err := parseCatalog(l.code)
		if err != nil {
			panic(fmt.Errorf("lang: catalog %s: %w", l.code, err))
		}
		l.msgs = make(map[string]*message, len(ms))
		for _, m := range ms {
			c, err := compileMessage(m)
			if err != nil {
				panic(fmt.Errorf("lang: catalog %s: %w", l.code, err))
			}
			l.msgs[m.ID] = c
		}
	}
	return en, ru
}

// parseCatalog reads the catalog of the language code, the files of
// messages/CODE/ in name order, with go-i18n's reader of message files
// (plain texts, or the CLDR plural forms by name). An id said by two files
// is an error.
func parseCatalog(code string) ([]*i18n.Message, error) {
	dir := path.Join("messages", code)
	entries, err := files.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*i18n.Message
	from := map[string]string{}
	for _, e := range entries {
		buf, err := files.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		// go-i18n takes the language from the file's name.
		f, err := i18n.ParseMessageFileBytes(buf, code+".yaml", map[string]i18n.UnmarshalFunc{"yaml": yaml.Unmarshal})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		for _, m := range f.Messages {
			if other, ok := from[m.ID]; ok {
				return nil, fmt.Errorf("%s: %s is said in %s too", e.Name(), m.ID, other)
			}
			from[m.ID] = e.Name()
		}
		out = append(out, f.Messages...)
	}
	return out, nil
}

// Code is the language's code: "en" or "ru".
func (l *Language) Code() string { return l.code }

// Tag is the language's BCP 47 tag.
func (l *Language) Tag() language.Tag { return l.tag }

// Parse names a language as the config's language: setting may: a code
// ("ru"), a locale ("ru_RU.UTF-8", "en-US") or a name ("Russian",
// "русский"). Anything else is an error that lists what is accepted.
func Parse(s string) (*Language, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch v {
	case "english", "английский":
		return english, nil
	case "russian", "русский":
		return russian, nil
	}
	if l := fromLocale(v); l != nil {
		return l, nil
	}
	return nil, fmt.Errorf("unknown language %q (valid: %s)", s, strings.Join(Codes(), ", "))
}

// fromLocale is the language of a POSIX locale or a tag such as
// "ru_RU.UTF-8", "ru", "en-GB"; nil when it names neither.
func fromLocale(v string) *Language {
	v = strings.ToLower(v)
	if i := strings.IndexAny(v, ".@"); i >= 0 {
		v = v[:i]
	}
	base, _, _ := strings.Cut(strings.ReplaceAll(v, "-", "_"), "_")
	switch base {
	case "ru":
		return russian
	case "en":
		return english
	}
	return nil
}

// ErrNoLocale says that the environment names no locale.
var ErrNoLocale = errors.New("no locale set")

// FromEnv chooses the language from the environment as POSIX does for
// messages: LC_ALL, else LC_MESSAGES, else LANG; the first set decides. A
// locale that is neither Russian nor English (C, POSIX, de_DE…) gives
// English; no locale at all is ErrNoLocale, so that the caller may fall
// back on a setting of its own.
func FromEnv(getenv func(string) string) (*Language, error) {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			if l := fromLocale(v); l != nil {
				return l, nil
			}
			return english, nil
		}
	}
	return english, ErrNoLocale
}

// T says the message id with its named values (pairs of a name and a
// value: "Name", "Ann"; an error value is said in l, as Say says it). A message missing from the language's catalog,
// which the catalog test forbids, is said in English, or as its id.
func (l *Language) T(id string, kv ...any) string {
	m := l.message(id)
	if m == nil {
		return id
	}
	return m.forms[plural.Other].render("", l.values(kv))
}

// N says the message id in the language's CLDR plural form for n, with n
// written as Thousands writes it in {{.N}} and the other named values as T
// takes them.
func (l *Language) N(id string, n int, kv ...any) string {
	m := l.message(id)
	if m == nil {
		return id
	}
	i := n
	if i < 0 {
		i = -i
	}
	t := m.forms[plural.Cardinal.MatchPlural(l.tag, i, 0, 0, 0, 0)]
	if t == nil {
		t = m.forms[plural.Other]
	}
	return t.render(l.Thousands(n), l.values(kv))
}

// message is the compiled message id of l, or of English when l lacks it.
func (l *Language) message(id string) *message {
	if m, ok := l.msgs[id]; ok {
		return m
	}
	return english.msgs[id]
}

// Thousands writes n with the language's separator between groups of three
// digits: 30,000 in English, 30 000 (a no-break space) in Russian.
func (l *Language) Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(l.group)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Count is n with the noun of the plural message id in the right form:
// "1 session", "3,000 people"; "21 сотрудник", "22 сотрудника".
func (l *Language) Count(id string, n int) string { return l.N(id, n) }

// Wait says a wait or a time left of d in whole seconds (d is rounded to
// the second first): "3s", "2m10s", "1h0m5s" in English, as Go writes a
// duration, "3 с", "2 мин 10 с", "1 ч 5 с" in Russian; "0s", "0 с" for
// none.
func (l *Language) Wait(d time.Duration) string {
	d = max(d.Round(time.Second), 0)
	if l == english {
		return d.String()
	}
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var parts []string
	for _, u := range []struct {
		n  int
		id string
	}{{h, "age.hours"}, {m, "age.minutes"}, {s, "age.seconds"}} {
		if u.n > 0 {
			parts = append(parts, l.N(u.id, u.n))
		}
	}
	if len(parts) == 0 {
		return l.N("age.seconds", 0)
	}
	return strings.Join(parts, " ")
}

// RoughAge says d in its largest unit: "45s", "12m", "3h", "2d" in English,
// "45 с", "12 мин", "3 ч", "2 дн." in Russian (hours up to two days, so
// "30h" rather than "1d").
func (l *Language) RoughAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return l.N("age.seconds", int(max(d, 0)/time.Second))
	case d < time.Hour:
		return l.N("age.minutes", int(d/time.Minute))
	case d < 48*time.Hour:
		return l.N("age.hours", int(d/time.Hour))
	}
	return l.N("age.days", int(d/(24*time.Hour)))
}

// Day writes t's date as the language does, "1 Dec" or "1 дек.", with the
// year when it is not the year of now.
func (l *Language) Day(t, now time.Time) string {
	t = t.In(now.Location())
	month := l.T("month." + strconv.Itoa(int(t.Month())))
	if t.Year() != now.Year() {
		return l.T("date.year", "Day", t.Day(), "Month", month, "Year", t.Year())
	}
	return l.T("date.day", "Day", t.Day(), "Month", month)
}

// DayTime writes t's date and time on the 24-hour clock: "2 Dec 15:04",
// "2 дек. 15:04".
func (l *Language) DayTime(t, now time.Time) string {
	t = t.In(now.Location())
	return l.Day(t, now) + " " + t.Format("15:04")
}

// Collator returns a new collator of the language's order, for sorting
// names as its readers expect (Russian: ё with е). A Collator is not safe
// for concurrent use: each sort, or each owner, takes its own. x/text's
// collators do not apply CLDR's script reordering: see FirstScript.
func (l *Language) Collator() *collate.Collator {
	return collate.New(l.tag, collate.IgnoreCase)
}

// FirstScript is the script whose names a reader of the language expects
// before the others (CLDR's Russian "[reorder Cyrl]": Cyrillic names, then
// Latin ones), or nil when the collator's own order stands (English: Latin
// first).
func (l *Language) FirstScript() *unicode.RangeTable { return l.first }
