package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countsOrg is a company whose departments hold 1, 2, 5, 11, 21 and 22
// people, the counts that take each Russian plural form, with every
// presence among them.
func countsOrg() *directory.Org {
	ago := func(d time.Duration) time.Time { return testNow.Add(-d) }
	po := &fakeportal.Org{Departments: []fakeportal.Department{{ID: 1, Name: "Компания", Sort: 100}}}
	id := 100
	for i, n := range []int{1, 2, 5, 11, 21, 22} {
		dept := 10 + i
		po.Departments = append(po.Departments, fakeportal.Department{ID: dept, Name: fmt.Sprintf("Отдел %d", n), Sort: 100 + i, Parent: 1})
		for j := 0; j < n; j++ {
			id++
			u := fakeportal.User{ID: id, FirstName: "Олександр", LastName: fmt.Sprintf("Шевченко-%d", id), Position: "Инженер",
				Extension: fmt.Sprint(1000 + id), Departments: []int{dept}, Active: true, LastActivity: ago(3 * time.Hour),
				Gender: []string{"", "M", "F"}[(j/4)%3]}
			switch j % 4 {
			case 1:
				u.LastActivity = ago(time.Minute)
			case 2:
				u.LastActivity, u.IdleSince = ago(9*time.Minute), ago(9*time.Minute)
			case 3:
				u.AbsentUntil = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
			}
			po.Users = append(po.Users, u)
		}
	}
	return directory.NewOrg(orgData(po))
}

// checkWidths fails when a line of v is not exactly w cells or v is not h lines.
func checkWidths(t *testing.T, v string, w, h int, what string) {
	t.Helper()
	lines := strings.Split(v, "\n")
	require.Len(t, lines, h, what)
	for i, l := range lines {
		require.Equal(t, w, ansi.StringWidth(l), "%s: line %d is %q", what, i, l)
	}
}

// TestRussianScreen draws the browser in Russian at 80×24 and 120×40: the
// titles, the people count in each plural form, the badges' words and the
// presence summary, the footer and the help, each line exactly as wide as
// the screen.
func TestRussianScreen(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, hgt := size[0], size[1]
		h := newHarness(t, Options{Language: lang.Russian()})
		h.send(tea.WindowSizeMsg{Width: w, Height: hgt})
		h.send(orgMsg{org: countsOrg()})
		v := h.view()
		what := fmt.Sprintf("%d×%d", w, hgt)
		assert.Contains(t, v, "Подразделения", what)
		f := lastLine(v)
		assert.Contains(t, f, "? справка", what)
		assert.Contains(t, f, "q/ctrl+c выход", what)
		checkWidths(t, v, w, hgt, what)

		for _, c := range []struct {
			n    int
			want string
		}{{1, "1 сотрудник"}, {2, "2 сотрудника"}, {5, "5 сотрудников"}, {11, "11 сотрудников"}, {21, "21 сотрудник"}, {22, "22 сотрудника"}} {
			n, want := c.n, c.want
			h.selectDept(fmt.Sprintf("Отдел %d", n))
			h.keys("tab") // the people pane: its title shows at every width
			v := h.view()
			assert.Contains(t, v, fmt.Sprintf("Отдел %d · %s", n, want), "%s: the count of %d", what, n)
			checkWidths(t, v, w, hgt, what)
			h.keys("tab")
		}
		h.keys("home")
		h.selectDept("Отдел 5")
		v = h.view()
		for _, word := range []string{"в сети", "не в сети", "отошёл(ла)", "отсутствует"} {
			assert.Contains(t, v, word, "%s: the badge word %q", what, word)
		}
		assert.Contains(t, v, "был(а) 3 ч назад", "%s: the portal does not say the gender", what)
		if hgt >= 40 {
			h.selectDept("Отдел 11")
			v := h.view()
			assert.Contains(t, v, "был 3 ч назад", "%s: a man, as the portal says", what)
			assert.Contains(t, v, "была 3 ч назад", "%s: a woman", what)
			assert.Contains(t, v, "◐ отошла", what)
		}
		if w >= 120 {
			assert.Contains(t, v, "1 дек.", "%s: the date in the locale's form", what)
		}

		h.keys("?")
		v = h.view()
		assert.Contains(t, v, "Справка", what)
		for _, s := range []string{"вверх", "поиск", "обновить", "к руководителю", "В поиске:"} {
			assert.Contains(t, v, s, "%s: help says %q", what, s)
		}
		checkWidths(t, v, w, hgt, what+" help")
		h.keys("esc")
	}
}

// TestEnglishStaysTheDefault: without a language the screen is English,
// and a Russian session does not change another's words (the key map is
// each session's copy).
func TestEnglishStaysTheDefault(t *testing.T) {
	keys := DefaultKeyMap()
	ru := newHarness(t, Options{Language: lang.Russian(), Keys: keys})
	en := newHarness(t, Options{Keys: keys})
	ru.send(orgMsg{org: countsOrg()})
	en.send(orgMsg{org: countsOrg()})
	en.selectDept("Отдел 22")
	v := en.view()
	assert.Contains(t, v, "Departments")
	assert.Contains(t, v, "Отдел 22 · 22 people")
	assert.Contains(t, lastLine(v), "? help")
	assert.NotContains(t, v, "сотрудник")
	assert.Contains(t, lastLine(ru.view()), "? справка")
	assert.Equal(t, "help", keys.Help.Help().Desc, "the key map handed in keeps its words")
}

// TestGenderedMessages: every message the browser says by a person's
// gender has both forms in both catalogs, and Russian tells them apart.
func TestGenderedMessages(t *testing.T) {
	for _, id := range []string{"badge.idle", "badge.idle.for", "seen.never", "seen.now", "seen.on", "seen.ago", "head.left", "why.idle", "why.never", "cal.free", "state.available", "state.busy", "state.away"} {
		for _, l := range []*lang.Language{lang.English(), lang.Russian()} {
			for _, g := range []string{"M", "F"} {
				assert.NotEqual(t, id+"."+g, l.T(lang.Gendered(id, g)), "%s has its %s form in %s", id, g, l.Code())
			}
		}
		assert.NotEqual(t, lang.Russian().T(id+".M"), lang.Russian().T(id+".F"), id)
	}
	assert.Equal(t, "seen.ago", lang.Gendered("seen.ago", "x"), "a value the portal should not give")
}

// TestEveryActionHasItsHelpInBothLanguages: a key's help is the catalog's
// "key.<action>" message, so a new action needs one in each catalog.
func TestEveryActionHasItsHelpInBothLanguages(t *testing.T) {
	for _, name := range ActionNames() {
		for _, l := range []*lang.Language{lang.English(), lang.Russian()} {
			assert.NotEqual(t, "key."+name, l.T("key."+name), "action %q has no help in %s", name, l.Code())
		}
	}
	ru := DefaultKeyMap()
	ru.Localize(lang.Russian())
	for _, b := range append(ru.FullHelp(), ru.ShortHelp()) {
		for _, k := range b {
			assert.NotRegexp(t, `^[a-z /…]+$`, k.Help().Desc, "%q is said in Russian", k.Help().Desc)
		}
	}
}

// TestBrowserSaysNoEnglishInRussian: a Russian session's screens say
// nothing in English over the walk that the plain front end's test takes
// (the help, people with availability and details, the copy menu, a pin,
// the search, the error view, the org chart, a link, the favourites), at
// 120×40 and 80×24, nor over a portal that refuses the webhook. What stays
// Latin is what is the same in every language (sameInEveryLanguage).
func TestBrowserSaysNoEnglishInRussian(t *testing.T) {
	allowed, literal := sameInEveryLanguage()
	for _, size := range []tea.WindowSizeMsg{{Width: 120, Height: 40}, {Width: 80, Height: 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.Width, size.Height), func(t *testing.T) {
			var screens []string
			look := func(h *harness, keys []string) {
				h.keys(keys...)
				h.fire()
				screens = append(screens, ansi.Strip(h.view()))
			}
			_, dir := availPortal(t, fakeportal.AllScopes())
			h := newHarness(t, Options{Directory: dir, Favourites: userState(t), Background: true, Language: lang.Russian()})
			h.send(size)
			h.init()
			for range 3 {
				h.fire() // the tree, the first department, everyone in the background
			}
			for _, keys := range russianWalk {
				look(h, keys)
			}
			bad := newHarness(t, Options{Directory: wrongCodeDirectory(t), Language: lang.Russian()})
			bad.send(size)
			bad.init()
			for _, keys := range russianFailingWalk {
				look(bad, keys)
			}

			text := strings.Join(screens, "\n")
			for _, want := range []string{"Справка", "на встрече до 10:50", "Поиск по всей компании", "Ошибок нет", "Оргсхема", "Избранное",
				"во всём поддереве"} {
				assert.Contains(t, text, want, "the walk went there")
			}
			for _, s := range screens {
				// A word cut at the pane's edge ("Representa…") is a
				// word of the data, not a sentence of the program.
				s = regexp.MustCompile(`[A-Za-z]+…`).ReplaceAllString(s, " ")
				assert.Empty(t, englishLeft(s, literal, allowed), "English on the screen:\n%s", s)
			}
		})
	}
}
