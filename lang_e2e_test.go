package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countedTitle is a people pane's title with its count in Russian.
var countedTitle = regexp.MustCompile(`[┌┏] .+ · [0-9\x{00a0}]+ сотрудник(а|ов)? [─━]`)

// TestTUIInRussian runs `LANG=ru_RU.UTF-8 b24org --demo` in a real
// terminal (tmux, itself in C.UTF-8): the tree title, the people pane's
// title with its count, the badges' words, the footer and the help are
// Russian; `LANG=en_US.UTF-8` gives English.
func TestTUIInRussian(t *testing.T) {
	// tmux runs in C.UTF-8; the program alone gets the Russian locale.
	x := newTmuxServer(t, t.TempDir(), 120, 40, "env -u LC_ALL LANG=ru_RU.UTF-8 "+testBinaryPath+" --demo")

	s := x.waitScreen("the people pane's title with its count", func(s string) bool {
		return countedTitle.MatchString(s) && strings.Contains(s, "──────")
	})
	assert.Contains(t, s, "Подразделения")
	assert.Contains(t, s, "? справка")
	assert.Contains(t, s, "q/ctrl+c выход")
	assert.Regexp(t, `[●◐✈○] (в сети|отошёл\(ла\)|отсутствует|не в сети)`, s, "the badges' words")
	assert.Contains(t, s, "доб. ")
	assert.NotContains(t, s, "Departments")

	x.keys("?")
	x.waitText("Справка", "страница вниз", "копировать доб.", "В поиске:")
	x.keys("Escape")
	x.waitScreen("the help closed", func(s string) bool { return !strings.Contains(s, "Справка") })
	x.keys("/")
	x.waitText("Поиск по всей компании")
	x.keys("-l", "oleksandr")
	s = x.waitText("/ oleksandr", "совпадени")
	assert.Contains(t, s, "Олександр", "oleksandr finds the Ukrainian Олександр")

	x.must("new-session", "-d", "-s", "en", "-x", "80", "-y", "24", "env -u LC_ALL LANG=en_US.UTF-8 "+testBinaryPath+" --demo")
	var out string
	x.waitScreen("the English browser", func(string) bool {
		out, _ = x.run("capture-pane", "-p", "-t", "en")
		return strings.Contains(out, "Departments") && strings.Contains(out, "? help") && regexp.MustCompile(`· [0-9,]+ people`).MatchString(out)
	})
	assert.NotContains(t, out, "сотрудник")
}

// TestSSHSessionLanguages: over SSH each session speaks its client's
// locale as OpenSSH sends it (SetEnv here, SendEnv LANG LC_* by default on
// Debian and Ubuntu): a Russian browser beside an English one, and the
// commands and refusals in Russian.
func TestSSHSessionLanguages(t *testing.T) {
	dir := t.TempDir()
	srv, user := startServeForOneKey(t, dir)

	ru := []string{"-o", "SetEnv=LANG=ru_RU.UTF-8"}
	r := srv.ssh(t, user, append(ru, "127.0.0.1", "find", "oleksandr")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `^ИМЯ +ДОБ\. +СОВПАЛО`, r.stdout, "the table's headings")
	assert.Contains(t, r.stdout, "Олександр")
	r = srv.ssh(t, user, append(ru, "127.0.0.1", "export")...)
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "b24org: экспорт на этом сервере запрещён\n", r.stderr)
	r = srv.ssh(t, user, "127.0.0.1", "export")
	assert.Equal(t, "b24org: export is not allowed on this server\n", r.stderr, "a client that sends no locale gets English")
	r = srv.ssh(t, user, append(ru, "127.0.0.1", "find", "--json", "oleksandr")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"presence": "`, "JSON keeps its English names")
	assert.NotContains(t, r.stdout, "в сети", "and its English values")

	// The client's locale, as SendEnv (the system's ssh_config) sends it,
	// and as SetEnv sends it where no ssh_config asks.
	login := func(lang string) string {
		return "env -u LC_ALL LANG=" + lang + " ssh -t -o SetEnv=LANG=" + lang + " " + strings.Join(srv.sshArgs(user, "127.0.0.1"), " ")
	}
	x := newTmuxServer(t, dir, 100, 30, login("ru_RU.UTF-8"))
	x.must("new-session", "-d", "-s", "en", "-x", "100", "-y", "30", login("en_US.UTF-8"))
	x.waitScreen("the Russian session with its people", func(s string) bool {
		return countedTitle.MatchString(s) && strings.Contains(s, "? справка")
	})
	var out string
	x.waitScreen("the English session beside it", func(string) bool {
		out, _ = x.run("capture-pane", "-p", "-t", "en")
		return strings.Contains(out, "Departments") && regexp.MustCompile(`· [0-9,]+ people`).MatchString(out) && strings.Contains(out, "? help")
	})
	assert.NotContains(t, out, "сотрудник")
	x.keys("?")
	x.waitText("Справка", "к руководителю")
	out, _ = x.run("capture-pane", "-p", "-t", "en")
	assert.NotContains(t, out, "Справка", "the Russian session's keys do not reach the English one")
}

// TestCommandLineLanguage: the commands speak the locale's language, or
// the config's language: (which wins over the locale, and is checked with
// the accepted values); JSON stays English.
func TestCommandLineLanguage(t *testing.T) {
	e := newRunEnv(t)
	ru := e.with("LANG=ru_RU.UTF-8")
	r := ru.run(t, "--demo", "find", "Олександр")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `^ИМЯ +ДОБ\. +СОВПАЛО +ДОЛЖНОСТЬ`, r.stdout)
	assert.Contains(t, r.stdout, " имя ", "the MATCH column's word")
	same := ru.run(t, "--demo", "find", "oleksandr")
	assert.Equal(t, withoutStatus(r.stdout), withoutStatus(same.stdout), "oleksandr and Олександр find the same people")

	r = ru.run(t, "--demo", "find", "zzzznobody")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "b24org: никто не найден по запросу \"zzzznobody\"\n", r.stderr)
	r = ru.run(t, "--demo", "find", "--json", "oleksandr")
	assert.Contains(t, r.stdout, `"match": "name"`, "JSON keeps its English values")

	r = ru.run(t, "find", "--help")
	require.Equal(t, 0, r.code, r.stderr)
	for _, s := range []string{"Использование:", "Примеры:", "Флаги:", "справка по find", "Код выхода", "Общие флаги:", "встроенный демо-портал"} {
		assert.Contains(t, r.stdout, s)
	}

	// LC_ALL beats LANG; LC_MESSAGES beats LANG.
	assert.Contains(t, e.with("LANG=ru_RU.UTF-8", "LC_ALL=C").run(t, "--demo", "find", "zzzznobody").stderr, "no one matches")
	assert.Contains(t, e.with("LANG=en_US.UTF-8", "LC_MESSAGES=ru_RU.UTF-8").run(t, "--demo", "find", "zzzznobody").stderr, "никто не найден")

	e.writeConfig(t, "language: ru\n")
	assert.Contains(t, e.with("LANG=en_US.UTF-8").run(t, "--demo", "find", "zzzznobody").stderr, "никто не найден",
		"the config's language: wins over the locale")
	e.writeConfig(t, "language: klingon\n")
	r = e.run(t, "--demo", "find", "anna")
	assert.Equal(t, 2, r.code)
	assert.Regexp(t, `config\.yaml: language: unknown language "klingon" \(valid: en, ru\)`, r.stderr)
}
