package ui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// plainHarness drives the plain front end over a Model as tea.Program
// would, and reads the lines it wrote.
type plainHarness struct {
	*harness
	p   *Plain
	buf *bytes.Buffer
	at  int // how much of buf the test has read
}

func newPlainHarness(t *testing.T, o Options) *plainHarness {
	t.Helper()
	o.Plain = true
	h := newHarness(t, o)
	buf := &bytes.Buffer{}
	ph := &plainHarness{harness: h, buf: buf}
	ph.p = NewPlain(h.m, NewPlainOutput(buf))
	h.top = ph.p
	return ph
}

// plainOver is the plain front end over org (no Directory: nothing loads),
// started; the lines of the start are read.
func plainOver(t *testing.T, org *directory.Org) *plainHarness {
	t.Helper()
	ph := newPlainHarness(t, Options{})
	ph.init()
	ph.send(orgMsg{org: org})
	ph.lines()
	return ph
}

// lines are the lines written since the last call, each checked: ending in
// CR LF, no escape sequence, no box drawing.
func (ph *plainHarness) lines() []string {
	ph.t.Helper()
	require.NoError(ph.t, ph.p.out.Flush())
	out := ph.buf.String()[ph.at:]
	ph.at = ph.buf.Len()
	if out == "" {
		return nil
	}
	require.True(ph.t, strings.HasSuffix(out, "\r\n"), "lines end in CR LF: %q", out)
	lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	for _, l := range lines {
		require.NotContains(ph.t, l, "\x1b", "no escape sequence: %q", l)
		require.NotContains(ph.t, l, "\n", "one line: %q", l)
		for _, r := range l {
			require.False(ph.t, r >= 0x2500 && r <= 0x257f, "no box drawing: %q", l)
		}
	}
	return lines
}

func (ph *plainHarness) init() { ph.run(ph.p.Init()) }

func TestPlainTreeSaysEachMove(t *testing.T) {
	ph := newPlainHarness(t, Options{})
	ph.init()
	start := ph.lines()
	require.NotEmpty(t, start)
	assert.Contains(t, start[0], "?: the keys, q or ctrl+c: quit")

	ph.send(orgMsg{org: directory.NewOrg(orgData(smallPortalOrg()))})
	assert.Equal(t, []string{"Acme Corp, 6 people, 1 of 4, expanded"}, ph.lines())

	ph.keys("down")
	assert.Equal(t, []string{"Acme Corp › Sales, 5 people, 2 of 4, collapsed"}, ph.lines())
	ph.keys("right")
	assert.Equal(t, []string{"Acme Corp › Sales, 5 people, 2 of 5, expanded"}, ph.lines())
	ph.keys("down")
	assert.Equal(t, []string{"Acme Corp › Sales › EMEA, 4 people, 3 of 5"}, ph.lines())
	ph.keys("down") // the cursor moves over the portal's rows only
	assert.Equal(t, []string{"Acme Corp › R&D, 1 person, 4 of 5"}, ph.lines())
	ph.keys("k")
	assert.Equal(t, []string{"Acme Corp › Sales › EMEA, 4 people, 3 of 5"}, ph.lines())
	ph.keys("x") // no key of the browser: nothing changes, nothing is said
	assert.Empty(t, ph.lines())
}

func TestPlainPeopleAndDetails(t *testing.T) {
	ph := plainOver(t, directory.NewOrg(orgData(smallPortalOrg())))
	ph.selectDept("EMEA")
	ph.lines()
	ph.keys("tab")
	assert.Equal(t, []string{
		"4 people in EMEA: 1 online, 1 absent, 2 offline",
		"1 of 4: Dora Müller, head of EMEA, Account Manager, ext 1042, offline",
	}, ph.lines())
	ph.keys("down")
	assert.Equal(t, []string{"2 of 4: Eve Adams, Sales Rep, ext 1045, online"}, ph.lines())
	ph.keys("down")
	assert.Equal(t, []string{"3 of 4: Frank Zeller, Engineer, ext 2001, offline"}, ph.lines())
	ph.keys("up", "up", "enter") // enter reads out the details
	lines := ph.lines()
	require.GreaterOrEqual(t, len(lines), 5, "%q", lines)
	assert.Equal(t, "2 of 4: Eve Adams, Sales Rep, ext 1045, online", lines[0])
	assert.Equal(t, "1 of 4: Dora Müller, head of EMEA, Account Manager, ext 1042, offline", lines[1])
	assert.Equal(t, []string{
		"Dora Müller, head of EMEA",
		"Account Manager · Acme Corp › Sales › EMEA",
		"ext 1042 · work +1 555 0199 · mobile +1 555 0100 · dora@acme.example",
		"offline · seen 3h ago · last activity 2 Jun 07:00",
		"reports to Борис Иванов › Anna Johnson",
	}, lines[2:7])
	assert.Contains(t, strings.Join(lines[7:], "\n"), "2 direct reports: Eve Adams (online) · 伟 陈 (absent)")

	// The whole subtree and back: the list says so.
	ph.keys("tab")
	ph.keys("home")
	ph.lines()
	ph.selectDept("Sales")
	ph.lines()
	ph.keys("a")
	assert.Equal(t, []string{"5 people in Sales and below: 1 online, 1 idle, 1 absent, 2 offline"}, ph.lines())
	ph.keys("tab")
	assert.Equal(t, []string{"5 people in Sales and below: 1 online, 1 idle, 1 absent, 2 offline", "1 of 5: Борис Иванов, head of Sales, Team Lead, ext 1043, idle"}, ph.lines())
	ph.keys("down")
	assert.Equal(t, []string{"2 of 5: Eve Adams, in EMEA, Sales Rep, ext 1045, online"}, ph.lines())
}

func TestPlainSearchSaysCountAndResult(t *testing.T) {
	ph := plainOver(t, directory.NewOrg(orgData(smallPortalOrg())))
	ph.keys("/")
	assert.Equal(t, []string{"search the whole company: type a name, position, e-mail or extension; up or down: the previous or next result; enter: go to the person; esc: back"}, ph.lines())
	ph.typeText("10")
	assert.Equal(t, []string{
		"search “1”: 6 matches",
		"1 of 6: Anna Johnson, CEO, ext 1000, online, Acme Corp",
		"search “10”: 5 matches", // the same first result: not said again
	}, ph.lines())
	ph.keys("down")
	assert.Equal(t, []string{"2 of 5: Dora Müller, Account Manager, ext 1042, offline, Acme Corp › Sales › EMEA"}, ph.lines())
	ph.keys("up")
	assert.Equal(t, []string{"1 of 5: Anna Johnson, CEO, ext 1000, online, Acme Corp"}, ph.lines())
	ph.typeText("42")
	assert.Equal(t, []string{
		"search “104”: 4 matches",
		"1 of 4: Dora Müller, Account Manager, ext 1042, offline, Acme Corp › Sales › EMEA",
		"search “1042”: 1 match",
	}, ph.lines())
	ph.typeText("9")
	assert.Equal(t, []string{"search “10429”: no matches"}, ph.lines())
	ph.keys("backspace")
	ph.lines()

	// Enter jumps: where the person is, then their details.
	ph.keys("enter")
	lines := ph.lines()
	require.GreaterOrEqual(t, len(lines), 3, "%q", lines)
	assert.Equal(t, "4 people in EMEA: 1 online, 1 absent, 2 offline", lines[0])
	assert.Equal(t, "1 of 4: Dora Müller, head of EMEA, Account Manager, ext 1042, offline", lines[1])
	assert.Equal(t, "Dora Müller, head of EMEA", lines[2])
}

func TestPlainCopyHelpAndViews(t *testing.T) {
	keys := DefaultKeyMap()
	require.NoError(t, keys.Rebind(map[string][]string{"copy": {"c"}, "help": {"f1"}}))
	ph := newPlainHarness(t, Options{Keys: keys})
	ph.init()
	ph.send(orgMsg{org: directory.NewOrg(orgData(smallPortalOrg()))})
	ph.selectDept("EMEA")
	ph.keys("tab")
	ph.lines()

	ph.keys("y") // not the copy key any more
	assert.Empty(t, ph.lines())
	ph.keys("c")
	assert.Equal(t, []string{"sent extension 1042 to the clipboard (OSC52)"}, ph.lines())
	assert.Equal(t, []string{"1042"}, ph.copied)
	ph.keys("c") // the same again is said again
	assert.Equal(t, []string{"sent extension 1042 to the clipboard (OSC52)"}, ph.lines())

	ph.keys("Y")
	assert.Equal(t, []string{
		"copy what of Dora Müller? e: e-mail, w: work phone, m: mobile, n: name, c: card; enter: copy the one said, esc: cancel",
		"copy e-mail: dora@acme.example",
	}, ph.lines())
	ph.keys("right")
	assert.Equal(t, []string{"copy work phone: +1 555 0199"}, ph.lines())
	ph.keys("enter")
	assert.Equal(t, []string{"sent work phone +1 555 0199 to the clipboard (OSC52)"}, ph.lines())

	ph.send(tea.KeyMsg{Type: tea.KeyF1})
	help := ph.lines()
	assert.Equal(t, "help: the keys", help[0])
	assert.Contains(t, help, "up or k: up")
	assert.Contains(t, help, "c: copy ext", "the help follows the key map")
	assert.Contains(t, help, "f1: help")
	assert.Equal(t, "esc or f1: close the help", help[len(help)-1])
	ph.keys("esc") // back: where the cursor is
	assert.Equal(t, []string{"4 people in EMEA: 1 online, 1 absent, 2 offline", "1 of 4: Dora Müller, head of EMEA, Account Manager, ext 1042, offline"}, ph.lines())

	ph.keys("o")
	chart := ph.lines()
	assert.Equal(t, []string{
		"org chart of EMEA:",
		"Dora Müller, Account Manager, ext 1042, offline, 2 reports:",
		"  Eve Adams, Sales Rep, ext 1045, online",
	}, chart[:3])
	assert.Equal(t, "esc: back", chart[len(chart)-1])
	ph.keys("esc")
	ph.lines()

	ph.keys("e")
	assert.Equal(t, []string{"no errors", "r: retry, esc: back"}, ph.lines())
}

func TestPlainSaysLoadsAndFailures(t *testing.T) {
	_, d := startPortal(t, smallPortalOrg())
	ph := newPlainHarness(t, Options{Directory: d})
	ph.init()
	ph.fire() // the department's load waits for the cursor to rest
	lines := ph.lines()
	assert.Contains(t, lines, "loading departments…")
	assert.Contains(t, lines, "loaded 5 departments")
	assert.Contains(t, lines, "Acme Corp, 6 people, 1 of 4, expanded")
	assert.Contains(t, lines, "loading people of Acme Corp…")
	assert.Contains(t, lines, "1 person in Acme Corp: 1 online")

	bad := newPlainHarness(t, Options{Directory: wrongCodeDirectory(t)})
	bad.init()
	lines = bad.lines()
	require.NotEmpty(t, lines)
	failure := lines[len(lines)-1]
	assert.True(t, strings.HasPrefix(failure, "error: the department tree did not load: "), failure)
	assert.Contains(t, failure, "INVALID_CREDENTIALS")
	assert.Contains(t, failure, "To fix: check the webhook URL")
	assert.True(t, strings.HasSuffix(failure, "e: details, r: retry."), failure)
}

func TestPlainOutputKeepsOrderAndStripsSequences(t *testing.T) {
	var buf bytes.Buffer
	o := NewPlainOutput(&buf)
	o.line("  indented \x1b[31mred\x1b[0m \x1b[2J\x1b[1;1Hmoved\x07")
	_, _ = o.Write([]byte("\x1b]52;c;MTA0Mg==\x07"))
	o.line("after")
	require.NoError(t, o.Flush())
	assert.Equal(t, "  indented red moved\r\n\x1b]52;c;MTA0Mg==\x07after\r\n", buf.String())
}

func TestAccessibleIsSetAndNotZero(t *testing.T) {
	for v, want := range map[string]bool{"": false, "0": false, "1": true, "yes": true, "true": true} {
		assert.Equal(t, want, Accessible(v), "ACCESSIBLE=%q", v)
	}
}

func TestPlainKeepsARealSize(t *testing.T) {
	ph := newPlainHarness(t, Options{})
	ph.send(tea.WindowSizeMsg{Width: 70, Height: 20}) // over SSH, the client's
	ph.init()
	assert.Equal(t, [2]int{70, 20}, [2]int{ph.m.width, ph.m.height})

	local := newPlainHarness(t, Options{})
	local.init() // no size comes: the default one
	assert.Equal(t, [2]int{plainWidth, plainHeight}, [2]int{local.m.width, local.m.height})
}

func TestPlainDetailsFollowTheEnterBinding(t *testing.T) {
	keys := DefaultKeyMap()
	require.NoError(t, keys.Rebind(map[string][]string{"enter": {"ctrl+o"}}))
	ph := newPlainHarness(t, Options{Keys: keys})
	ph.init()
	ph.send(orgMsg{org: directory.NewOrg(orgData(smallPortalOrg()))})
	ph.selectDept("EMEA")
	ph.keys("tab")
	ph.lines()
	ph.keys("enter") // not enter any more: nothing is said
	assert.Empty(t, ph.lines())
	ph.send(tea.KeyMsg{Type: tea.KeyCtrlO})
	lines := ph.lines()
	require.NotEmpty(t, lines)
	assert.Equal(t, "Dora Müller, head of EMEA", lines[0])
}

func TestPlainManagerJump(t *testing.T) {
	ph := plainOver(t, directory.NewOrg(orgData(smallPortalOrg())))
	ph.selectDept("EMEA")
	ph.keys("tab", "down")
	ph.lines()
	ph.keys("m")
	assert.Equal(t, []string{
		"Eve Adams reports to Dora Müller",
		"1 of 4: Dora Müller, head of EMEA, Account Manager, ext 1042, offline",
	}, ph.lines())
	ph.keys("m") // the head of EMEA reports to the head of Sales, in Sales
	assert.Equal(t, []string{
		"Dora Müller reports to Борис Иванов",
		"1 person in Sales: 1 idle", // the focus stays on the people: their list says where

		"1 of 1: Борис Иванов, head of Sales, Team Lead, ext 1043, idle",
	}, ph.lines())
}

func TestPlainCopyMenuFromASearchResult(t *testing.T) {
	ph := plainOver(t, directory.NewOrg(orgData(smallPortalOrg())))
	ph.keys("/")
	ph.typeText("1042")
	ph.lines()
	ph.keys("tab")
	assert.Equal(t, []string{"the results have the keys: y: copy the extension, Y: copy…, /: back to the query"}, ph.lines())
	ph.keys("Y")
	assert.Equal(t, []string{
		"copy what of Dora Müller? e: e-mail, w: work phone, m: mobile, n: name, c: card; enter: copy the one said, esc: cancel",
		"copy e-mail: dora@acme.example",
	}, ph.lines())
	ph.keys("esc") // back to the search, which says nothing again
	assert.Empty(t, ph.lines())
	ph.keys("y")
	assert.Equal(t, []string{"sent extension 1042 to the clipboard (OSC52)"}, ph.lines())
}

func TestPlainSentencesInRussian(t *testing.T) {
	ph := newPlainHarness(t, Options{Language: lang.Russian()})
	ph.init()
	assert.Equal(t, []string{
		"b24org, простой текст: по строке на каждое изменение. ?: клавиши, q или ctrl+c: выход.",
		"нет подразделений", // nothing loaded yet
	}, ph.lines())
	ph.send(orgMsg{org: directory.NewOrg(orgData(smallPortalOrg()))})
	ph.lines()
	ph.selectDept("EMEA")
	ph.lines()
	ph.keys("tab")
	lines := ph.lines()
	require.Len(t, lines, 2, "%q", lines)
	assert.True(t, strings.HasPrefix(lines[0], "EMEA: 4 "), lines[0])
	assert.NotContains(t, lines[0], "online", "the presence counts too")
	assert.True(t, strings.HasPrefix(lines[1], "1 из 4: Dora Müller"), lines[1])
	assert.NotContains(t, lines[1], " of ")

	// The help: its own lines, and the key map's, with " или " between keys.
	ph.keys("?")
	help := ph.lines()
	assert.Equal(t, "справка: клавиши", help[0])
	assert.Contains(t, help, "up или k: вверх")
	assert.Contains(t, help, "q или ctrl+c: выход")
	assert.Equal(t, "esc или ?: закрыть справку", help[len(help)-1])
	ph.keys("esc")
	ph.lines()

	// The copy menu: the items in Russian, chosen by the same letters.
	ph.keys("Y")
	assert.Equal(t, []string{
		"что копировать у Dora Müller? e: эл. почта, w: рабочий телефон, m: мобильный, n: имя, c: визитка; enter: копировать названное, esc: отмена",
		"копировать — эл. почта: dora@acme.example",
	}, ph.lines())
	ph.keys("right")
	assert.Equal(t, []string{"копировать — рабочий телефон: +1 555 0199"}, ph.lines())
	ph.keys("m") // the letter of "mobile"
	assert.Equal(t, []string{"+1 555 0100"}, ph.copied[len(ph.copied)-1:])
	ph.lines()

	// The search: the intro, the recent lookups (the copy made one), the
	// query, the keys of the results and back.
	ph.keys("/")
	lines = ph.lines()
	require.Len(t, lines, 3, "%q", lines)
	assert.Equal(t, "поиск по всей компании: введите имя, должность, эл. почту или добавочный; "+
		"up или down: предыдущий или следующий результат; enter: перейти к сотруднику; esc: назад", lines[0])
	assert.Equal(t, "недавние поиски: 1 сотрудник; введите запрос для поиска", lines[1])
	assert.Equal(t, "1 из 1: Dora Müller, Account Manager, доб. 1042, не в сети, Acme Corp › Sales › EMEA", lines[2])
	ph.typeText("1042")
	assert.Contains(t, ph.lines(), "поиск «1042»: 1 совпадение")
	ph.keys("tab")
	assert.Equal(t, []string{"клавиши переданы результатам: y: копировать добавочный, Y: копировать…, /: обратно к запросу"}, ph.lines())
	ph.keys("/")
	assert.Equal(t, []string{"клавиши снова у запроса"}, ph.lines())
	ph.keys("esc")
	ph.lines()

	// The error view without errors, the org chart, one of an empty
	// department.
	ph.keys("e")
	assert.Equal(t, []string{"ошибок нет", "r: повторить, esc: назад"}, ph.lines())
	ph.keys("esc")
	ph.lines()
	ph.send(NoticeMsg{Text: "x"})
	assert.Equal(t, []string{"предупреждение: x"}, ph.lines())
	ph.keys("e")
	assert.Equal(t, []string{"предупреждение: x", "r: повторить, esc: назад"}, ph.lines())
	ph.keys("esc")
	ph.lines()
	ph.keys("o")
	chart := ph.lines()
	assert.Equal(t, []string{
		"оргсхема подразделения «EMEA»:",
		"Dora Müller, Account Manager, доб. 1042, не в сети, 2 подчинённых:",
		"  Eve Adams, Sales Rep, доб. 1045, в сети",
	}, chart[:3])
	assert.Equal(t, "esc: назад", chart[len(chart)-1])
	ph.keys("esc", "tab")
	ph.selectDept("Empty")
	ph.lines()
	ph.keys("o")
	assert.Equal(t, []string{"оргсхема подразделения «Empty»:", "в подразделении пока никого нет", "esc: назад"}, ph.lines())
}

// A failure, its line and the error view, and a failed portal search say
// their own words in the session's language (the cause is what the portal
// answered); English stays as it was.
func TestPlainFailuresInEachLanguage(t *testing.T) {
	for _, tc := range []struct {
		l                                     *lang.Language
		failure, fix, keys, errKeys           string
		busy, searchFailed, searchFailedRetry string
	}{
		{lang.English(), "error: the department tree did not load: ", " To fix: check the webhook URL", ". e: details, r: retry.", "r: retry, esc: back",
			"search “%s”: searching the portal…", "search “dor”: the portal search failed: ", " (edit the query to retry)"},
		{lang.Russian(), "ошибка: дерево подразделений не загрузилось: ", " Что сделать: проверьте адрес вебхука", ". e: подробнее, r: повторить.", "r: повторить, esc: назад",
			"поиск «%s»: поиск на портале…", "поиск «dor»: поиск на портале не удался: ", " (измените запрос, чтобы повторить)"},
	} {
		t.Run(tc.l.Code(), func(t *testing.T) {
			ph := newPlainHarness(t, Options{Directory: wrongCodeDirectory(t), Language: tc.l})
			ph.init()
			lines := ph.lines()
			require.NotEmpty(t, lines)
			failure := lines[len(lines)-1]
			assert.True(t, strings.HasPrefix(failure, tc.failure), failure)
			assert.Contains(t, failure, "INVALID_CREDENTIALS")
			assert.Contains(t, failure, tc.fix)
			assert.True(t, strings.HasSuffix(failure, tc.keys), failure)

			ph.keys("e")
			assert.Equal(t, []string{failure, tc.errKeys}, ph.lines())
			ph.keys("esc")
			ph.lines()

			ph.keys("/") // nothing loaded: the portal is asked, and fails
			ph.lines()
			ph.typeText("dor")
			assert.Equal(t, []string{fmt.Sprintf(tc.busy, "d"), fmt.Sprintf(tc.busy, "do"), fmt.Sprintf(tc.busy, "dor")}, ph.lines())
			ph.fire()
			lines = ph.lines()
			require.Len(t, lines, 1)
			assert.True(t, strings.HasPrefix(lines[0], tc.searchFailed), lines[0])
			assert.Contains(t, lines[0], "INVALID_CREDENTIALS")
			assert.True(t, strings.HasSuffix(lines[0], tc.searchFailedRetry), lines[0])
		})
	}
}

// The favourites are said in the session's language: their row, their
// list, and the sentence when no one pinned is in the directory; an empty
// department's org chart says so.
func TestPlainFavouritesInEachLanguage(t *testing.T) {
	for _, tc := range []struct {
		l                       *lang.Language
		list, person, row, none string
		chart                   []string
	}{
		{lang.English(), "1 person in Favourites: 1 offline", "1 of 1: Dora Müller, Account Manager, ext 1042, offline",
			"Favourites, 1 person, 1 of 5", "no one pinned is in the directory now (f or alt+f pins the highlighted person)",
			[]string{"org chart of Empty:", "no one is placed in this department yet", "esc: back"}},
		{lang.Russian(), "Избранное: 1 сотрудник: 1 не в сети", "1 из 1: Dora Müller, Account Manager, доб. 1042, не в сети",
			"Избранное, 1 сотрудник, 1 из 5", "никого из закреплённых сейчас нет в справочнике (f или alt+f закрепляет выбранного сотрудника)",
			[]string{"оргсхема подразделения «Empty»:", "в подразделении пока никого нет", "esc: назад"}},
	} {
		t.Run(tc.l.Code(), func(t *testing.T) {
			u := userState(t)
			_, err := u.SetPinned(30, true)
			require.NoError(t, err)
			ph := newPlainHarness(t, Options{Favourites: u, Language: tc.l})
			ph.init()
			ph.send(orgMsg{org: directory.NewOrg(orgData(smallPortalOrg()))})
			ph.lines()
			ph.keys("home")
			ph.lines()
			require.Equal(t, favouritesID, ph.m.tree.sel)
			ph.keys("tab")
			assert.Equal(t, []string{tc.list, tc.person}, ph.lines())
			ph.keys("tab")
			assert.Equal(t, []string{tc.row}, ph.lines())
			ph.selectDept("Empty")
			ph.lines()
			ph.keys("o")
			assert.Equal(t, tc.chart, ph.lines())

			gone := userState(t)
			_, err = gone.SetPinned(999, true) // someone deleted since
			require.NoError(t, err)
			ph = newPlainHarness(t, Options{Favourites: gone, Language: tc.l})
			ph.init()
			ph.send(orgMsg{org: directory.NewOrg(orgData(smallPortalOrg()))})
			ph.lines()
			ph.keys("home", "tab")
			lines := ph.lines()
			require.NotEmpty(t, lines)
			assert.Equal(t, tc.none, lines[len(lines)-1])
		})
	}
}

// The person line says what the calendar or the workday says, as the rows
// do (in a meeting, on a break, finished for today), in the session's
// language; someone absent is said as before.
func TestPlainSaysAvailability(t *testing.T) {
	for _, tc := range []struct {
		l     *lang.Language
		lines [4]string
	}{
		{lang.English(), [4]string{
			"1 of 4: Dora Müller, head of EMEA, Account Manager, ext 1042, offline, on a break",
			"2 of 4: Eve Adams, Sales Rep, ext 1045, online, in a meeting until 10:50",
			"3 of 4: Frank Zeller, Engineer, ext 2001, offline, finished for today at 09:00",
			"4 of 4: 伟 陈, Analyst, ext 1044, absent until 21 Jun",
		}},
		{lang.Russian(), [4]string{
			"1 из 4: Dora Müller, руководитель: EMEA, Account Manager, доб. 1042, не в сети, на перерыве",
			"2 из 4: Eve Adams, Sales Rep, доб. 1045, в сети, на встрече до 10:50",
			"3 из 4: Frank Zeller, Engineer, доб. 2001, не в сети, рабочий день окончен в 09:00",
			"4 из 4: 伟 陈, Analyst, доб. 1044, отсутствует до 21 июн.",
		}},
	} {
		t.Run(tc.l.Code(), func(t *testing.T) {
			_, dir := availPortal(t, fakeportal.AllScopes())
			ph := newPlainHarness(t, Options{Directory: dir, Language: tc.l})
			ph.init()
			ph.selectDept("EMEA")
			ph.fire() // the people load, once the cursor rests
			ph.fire() // their availability, once the cursor rested on them
			require.True(t, ph.m.people.loaded)
			ph.lines()
			ph.keys("tab")
			lines := ph.lines()
			require.Len(t, lines, 2, "%q", lines)
			assert.Equal(t, tc.lines[0], lines[1])
			for _, want := range tc.lines[1:] {
				ph.keys("down")
				assert.Equal(t, []string{want}, ph.lines())
			}
		})
	}
}

// englishLeft is what of text reads as English: each run of three or more
// Latin letters that is not in allowed (lower case), once the literals
// that stay as they are in any language are taken out: e-mails, the
// portal's methods (department.get), the search's filters (dept:sales,
// dept:"customer support") and literal (each of literal's strings).
func englishLeft(text string, literal []string, allowed map[string]bool) []string {
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`https?://\S+`),                   // addresses: the status bar's → URL
		regexp.MustCompile(`\S+@\S+`),                        // e-mails
		regexp.MustCompile(`\b[a-z]+(\.[a-zA-Z]+)+\b`),       // methods: im.search.user.list
		regexp.MustCompile(`\b[a-z]+:("[^"]*"|[^\s,;.)"]+)`), // filters: dept:sales, ext:10
		regexp.MustCompile(`\b(mailto|tel|links):`),          // link schemes, the config's key
	} {
		text = re.ReplaceAllString(text, " ")
	}
	for _, s := range literal {
		text = strings.ReplaceAll(text, s, " ")
	}
	var out []string
	latin := regexp.MustCompile(`[A-Za-z]{3,}`)
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if latin.MatchString(w) && !allowed[strings.ToLower(w)] {
			out = append(out, w)
		}
	}
	return out
}

// A Russian session says nothing in English over a walk through everything
// the plain front end says: the start and the loads, the help, a
// department's people with their availability and details, the copy menu,
// a pin, the search with its results' keys and copy menu, the error view,
// the org chart, the favourites, then a portal that refuses the webhook
// (the failure, the error view, a failed search). What stays Latin is
// what is the same in every language: key names, the program's name,
// literal commands and settings, e-mails, the portal's method names and
// its own error text, and the names and positions of the test portal's
// people and departments.
func TestPlainSaysNoEnglishInRussian(t *testing.T) {
	allowed, literal := sameInEveryLanguage()

	var said []string
	_, dir := availPortal(t, fakeportal.AllScopes())
	u := userState(t)
	ph := newPlainHarness(t, Options{Directory: dir, Favourites: u, Background: true, Language: lang.Russian()})
	ph.init()
	for range 3 {
		ph.fire() // the tree, the first department, everyone in the background
	}
	for _, keys := range russianWalk {
		ph.keys(keys...)
		ph.fire() // what waits for the cursor or the query to rest
		said = append(said, ph.lines()...)
	}
	bad := newPlainHarness(t, Options{Directory: wrongCodeDirectory(t), Language: lang.Russian()})
	bad.init()
	for _, keys := range russianFailingWalk {
		bad.keys(keys...)
		bad.fire()
	}
	said = append(said, bad.lines()...)

	text := strings.Join(said, "\n")
	for _, want := range []string{"справка: клавиши", "на встрече до 10:50", "копировать — визитка", "поиск «eve»: 1 совпадение",
		"клавиши переданы результатам", "ошибок нет", "оргсхема подразделения «EMEA»:", "Избранное, 1 сотрудник",
		"ошибка: дерево подразделений не загрузилось", "поиск на портале не удался", " и ниже", "нет номера «555»"} {
		assert.Contains(t, text, want, "the walk went there")
	}
	for _, l := range said {
		assert.Empty(t, englishLeft(l, literal, allowed), "English in %q", l)
	}
}

// russianWalk goes through everything a session shows: the help, a
// department's people with their availability and details, the copy menu,
// a pin, the search with its results' keys and copy menu, the error view,
// the org chart, a link, the favourites and the recent lookups.
var russianWalk = [][]string{
	{"?"}, {"esc"}, {"down", "right", "down"}, {"tab"}, {"down"}, {"enter"}, {"f"}, {"Y"}, {"right"}, {"esc"}, {"y"},
	{"/"}, {"e", "v", "e"}, {"tab"}, {"Y"}, {"esc"}, {"/"}, {"enter"},
	{"e"}, {"esc"}, {"o"}, {"esc"}, {"L"}, {"tab", "home"}, {"tab"}, {"/"},
	{"esc"}, {"tab", "down", "a"}, {"a"}, {"/"}, {"5", "5", "5"}, {"ctrl+r"}, {"esc"}, {"?"},
}

// russianFailingWalk goes through what a portal that refuses the webhook
// shows: the failure, the error view, a failed search.
var russianFailingWalk = [][]string{{"e"}, {"esc"}, {"/"}, {"e", "v", "e"}}

// sameInEveryLanguage are the Latin words a Russian session may show
// (allowed, lower case) and the literal texts it may show, because they are
// the same in every language: key names, the program's name, the names and
// positions of the test portal's people and departments, a command to
// type, the portal's own error text.
func sameInEveryLanguage() (allowed map[string]bool, literal []string) {
	allowed = map[string]bool{"b24org": true, "osc52": true, "crm": true, "online": true, "absent": true}
	for _, b := range DefaultKeyMap().FullHelp() { // key names: up, pgdown, ctrl+c
		for _, k := range b {
			for _, name := range k.Keys() {
				for _, part := range strings.Split(name, "+") {
					allowed[strings.ToLower(part)] = true
				}
			}
		}
	}
	org := smallPortalOrg()
	for _, d := range org.Departments {
		for _, w := range strings.Fields(d.Name) {
			allowed[strings.ToLower(w)] = true
		}
	}
	for _, u := range org.Users {
		for _, w := range strings.Fields(u.FirstName + " " + u.LastName + " " + u.Position) {
			allowed[strings.ToLower(w)] = true
		}
	}
	for _, w := range []string{"invalid_credentials", "invalid", "credentials", "request"} {
		allowed[w] = true // the portal's own words, which a pane may wrap anywhere
	}
	literal = []string{
		"set -g set-clipboard on", "tmux", // a command to type
		"INVALID_CREDENTIALS: Invalid request credentials", // the portal's own words
	}
	return allowed, literal
}
