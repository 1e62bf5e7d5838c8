package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTUIInRussian runs `LANG=ru_RU.UTF-8 b24org --demo` in a real
// terminal (tmux, itself in C.UTF-8): the tree title, the people pane's
// title with its count, the badges' words, the footer and the help are
// Russian; `LANG=en_US.UTF-8` gives English.
func TestTUIInRussian(t *testing.T) {
	requireTools(t, "tmux")
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	require.NoError(t, os.MkdirAll(home, 0o700))
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_CACHE_HOME=" + home,
		"TERM=xterm-256color", "LANG=C.UTF-8"}
	x := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock"), env: env}
	x.must("-f", "/dev/null", "new-session", "-d", "-s", "tui", "-x", "120", "-y", "40",
		"env", "LANG=ru_RU.UTF-8", testBinaryPath, "--demo")
	t.Cleanup(func() { _, _ = x.run("kill-server") })

	counted := regexp.MustCompile(`[┌┏] .+ · [0-9 ]+ сотрудник(а|ов)? [─━]`)
	s := x.waitScreen("the people pane's title with its count", func(s string) bool {
		return counted.MatchString(s) && strings.Contains(s, "──────")
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

	x.must("new-session", "-d", "-s", "en", "-x", "80", "-y", "24", "env", "LANG=en_US.UTF-8", testBinaryPath, "--demo")
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
	requireTools(t, "ssh", "ssh-keygen", "tmux")
	dir := t.TempDir()
	user := sshKeygen(t, dir, "user")
	pub, err := os.ReadFile(user + ".pub")
	require.NoError(t, err)
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, pub, 0o600))
	srv := startServeProcess(t, dir, "--authorized-keys", keys, "--per-ip-per-minute", "0")

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

	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TERM=xterm-256color", "LANG=C.UTF-8"}
	x := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock"), env: env}
	// The client's locale, as SendEnv (the system's ssh_config) sends it,
	// and as SetEnv sends it where no ssh_config asks.
	login := func(lang string) string {
		return "LANG=" + lang + " exec ssh -t -o SetEnv=LANG=" + lang + " " + strings.Join(srv.sshArgs(user, "127.0.0.1"), " ")
	}
	counted := regexp.MustCompile(`[┌┏] .+ · [0-9 ]+ сотрудник(а|ов)? [─━]`)
	x.must("-f", "/dev/null", "new-session", "-d", "-s", "tui", "-x", "100", "-y", "30", login("ru_RU.UTF-8"))
	t.Cleanup(func() { _, _ = x.run("kill-server") })
	x.must("new-session", "-d", "-s", "en", "-x", "100", "-y", "30", login("en_US.UTF-8"))
	x.waitScreen("the Russian session with its people", func(s string) bool {
		return counted.MatchString(s) && strings.Contains(s, "? справка")
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
