package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/ui"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runIn runs the program in this process, as main does, in e with the
// locale locale (LANG), and returns what it printed and its exit code.
func runIn(t *testing.T, e *runEnv, locale string, args ...string) result {
	t.Helper()
	vars := map[string]string{}
	for _, kv := range append(append([]string{}, e.vars...), "LANG="+locale) {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var stdout, stderr bytes.Buffer
	code := run(args, &env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] }})
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// Words a Russian screen may hold in Latin letters: the program's and the
// shells' commands, the flags' and settings' values and type names,
// technical names.
var latinAllowed = strings.Fields(`b24org find export caller serve version help completion
	bash zsh fish powershell source compinit brew prefix fpath Out-String Invoke-Expression Linux macOS
	auto on off dark light mono standard enterprise string int duration bool true false
	webhook https OAuth YAML tmux ssh SSH language freshness absent online anna pos engineer dept sales
	email acme customer support lead jq ivanov johnson fyodorov fedorov bdfyjd match availability busy_until workday
	calendar timeman verbose json dumb linux vt theme keys rate region budget share links up down per_second burst
	TERM NO_COLOR ACCESSIBLE chmod bash-completion stderr bogus burstt solarized jump
	fields telephony sftp localhost loopback OpenSSH`)

// latinWords returns the words of out written in Latin letters that are not
// the program's commands or values (latinAllowed), leaving out flags,
// paths, URLs, environment variables, quoted values and command lines.
func latinWords(out string) []string {
	allowed := map[string]bool{}
	for _, w := range append(latinAllowed, ui.ActionNames()...) {
		allowed[strings.ToLower(w)] = true
	}
	out = regexp.MustCompile(`"[^"\n]*"|'[^'\n]*'`).ReplaceAllString(out, " ")
	var bad []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "\t") || strings.HasPrefix(strings.TrimSpace(line), "b24org ") || strings.HasPrefix(strings.TrimSpace(line), "B24_") {
			continue // a command line, literal
		}
		for _, tok := range strings.Fields(line) {
			if strings.HasPrefix(tok, "-") || strings.HasPrefix(tok, "!!") || strings.ContainsAny(tok, "/$=~@_") || tok == strings.ToUpper(tok) {
				continue // a flag, a path or URL, a variable
			}
			tok = strings.Trim(tok, "()[]{}«»,;:.!?<>|*#")
			if strings.ContainsAny(tok, ".:") {
				continue // a file name, a filter
			}
			if !regexp.MustCompile(`^[A-Za-z][A-Za-z-]*$`).MatchString(tok) || allowed[strings.ToLower(tok)] {
				continue
			}
			bad = append(bad, tok)
		}
	}
	return bad
}

// assertRussian checks that text holds each of want and no English prose.
func assertRussian(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		assert.Contains(t, text, w)
	}
	assert.Empty(t, latinWords(text), "English left in:\n%s", text)
	assert.Regexp(t, `\p{Cyrillic}`, text)
}

// TestCommandLineErrorsInRussian: under a Russian locale the command
// line's own errors (a bad flag value, an unknown flag or command, a flag
// without its value, no portal) are Russian, and the English ones stay as
// they were under LANG=C.
func TestCommandLineErrorsInRussian(t *testing.T) {
	e := newRunEnv(t)
	for _, c := range []struct {
		args    []string
		ru, en  string
		noWords bool // the line holds a value of the user's: the word check is left out
	}{
		{[]string{"--links", "maybe", "--demo"}, `b24org: --links: допустимо auto, on или off, а не "maybe"`, `b24org: --links must be auto, on or off, not "maybe"`, false},
		{[]string{"--bogus"}, "b24org: неизвестный флаг: --bogus (см. b24org --help)", "b24org: unknown flag: --bogus (see b24org --help)", false},
		{[]string{"-z"}, "b24org: неизвестный короткий флаг: 'z' в -z (см. b24org --help)", "b24org: unknown shorthand flag: 'z' in -z (see b24org --help)", false},
		{[]string{"--timeout"}, "b24org: флагу нужно значение: --timeout (см. b24org --help)", "b24org: flag needs an argument: --timeout (see b24org --help)", false},
		{[]string{"--timeout", "soon"}, `b24org: недопустимое значение "soon" флага --timeout: нужна длительность, например 30s, 2m или 1h30m (см. b24org --help)`,
			`b24org: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon" (see b24org --help)`, false},
		{[]string{"--retries", "many"}, `b24org: недопустимое значение "many" флага --retries: нужно целое число (см. b24org --help)`,
			`b24org: invalid argument "many" for "--retries" flag: strconv.ParseInt: parsing "many": invalid syntax (see b24org --help)`, false},
		{[]string{"frob"}, `b24org: неизвестная команда "frob" (см. b24org --help)`, `b24org: unknown command "frob" (see b24org --help)`, false},
		{[]string{"--theme", "solarized", "--demo"}, `b24org: --theme: неизвестная тема "solarized" (допустимы: auto, dark, light, mono)`,
			`b24org: --theme: unknown theme "solarized" (valid: auto, dark, light, mono)`, false},
		{[]string{"--rate", "premium", "find", "x"}, `b24org: --rate: неизвестный профиль скорости "premium" (есть standard и enterprise)`,
			`b24org: --rate: unknown rate profile "premium" (standard or enterprise)`, false},
		{[]string{"--retries", "-1", "--demo"}, "b24org: --retries не может быть отрицательным", "b24org: --retries must not be negative", false},
		{[]string{"--timeout", "-1s", "--demo"}, "b24org: --timeout должен быть положительным", "b24org: --timeout must be positive", false},
		{[]string{"--demo"}, "b24org: браузеру нужен терминал; в скриптах используйте b24org find или b24org export",
			"b24org: the browser needs a terminal; in scripts use b24org find or b24org export", false},
	} {
		ru := runIn(t, e, "ru_RU.UTF-8", c.args...)
		assert.Equal(t, 2, ru.code, "%v", c.args)
		assert.Equal(t, c.ru+"\n", ru.stderr, "%v", c.args)
		if !c.noWords {
			assertRussian(t, ru.stderr)
		}
		en := runIn(t, e, "C", c.args...)
		assert.Equal(t, c.en+"\n", en.stderr, "%v", c.args)
	}

	// find and caller say their own "(see …)", their flag's error is
	// said in the language all the same.
	ru := runIn(t, e, "ru_RU.UTF-8", "find", "--jsno", "anna")
	assert.Contains(t, ru.stderr, "b24org: неизвестный флаг: --jsno (")
	assert.Equal(t, "b24org: unknown flag: --jsno (see b24org find --help)\n", runIn(t, e, "C", "find", "--jsno", "anna").stderr)

	ru = runIn(t, e, "ru_RU.UTF-8", "find", "anna")
	assert.Equal(t, 2, ru.code)
	assertRussian(t, ru.stderr, "b24org: портал не настроен: передайте --webhook https://your.bitrix24.com/rest/1/CODE/, задайте B24_WEBHOOK_URL",
		"или напишите \"webhook: https://…\" в "+e.configFile()+"; или попробуйте --demo")
	en := runIn(t, e, "C", "find", "anna")
	assert.Equal(t, "b24org: no portal configured: pass --webhook https://your.bitrix24.com/rest/1/CODE/, set B24_WEBHOOK_URL "+
		"(or B24_PORTAL_URL and the OAuth variables), or write \"webhook: https://…\" in "+e.configFile()+"; or try --demo\n", en.stderr)
}

// TestConfigErrorsInRussian: the config file's errors say the file and
// the line in Russian, YAML's own complaints included; under LANG=C they
// are the English of before. The config's language: speaks the errors
// after it even under an English locale.
func TestConfigErrorsInRussian(t *testing.T) {
	e := newRunEnv(t)
	for _, c := range []struct{ text, ru, en string }{
		{"theme: dark\nrate: standard\nbogus: 1\n", "строка 3: неизвестная настройка bogus", "line 3: unknown setting bogus"},
		{"theme: dark\n  quit: q\n", "строка 2: здесь не может быть пары «ключ: значение»", "line 2: mapping values are not allowed in this context"},
		{"\tfoo: bar\n", "строка 1: табуляция там, где YAML ждёт пробелы: делайте отступы только пробелами", "line 1: a tab where YAML expects spaces: indent with spaces only"},
		{"theme: dark\nkeys:\n  quit: [q\n", "строка 3: скобка [ нигде не закрыта", "line 3: this [ is never closed"},
		{"webhook: https://p.example/rest/1/abc/\nfreshness: soon\n", "строка 2: нужна положительная длительность, например 10m или 90s", "line 2: expected a positive duration such as 10m or 90s"},
		{"links: maybe\n", "строка 1: links может быть только auto, on или off", "line 1: links must be auto, on or off"},
		{"rate:\n  per_second: 3\n  burstt: 9\n", `строка 3: rate: неизвестная настройка "burstt" (есть per_second, burst)`, `line 3: rate: unknown setting "burstt" (per_second, burst)`},
		{"rate:\n  per_second: 0\n  burst: 1\n", "строка 2: для rate нужны per_second > 0 и burst >= 1", "line 2: rate needs per_second > 0 and burst >= 1"},
		{"theme: solarized\n", `строка 1: theme: неизвестная тема "solarized" (допустимы: auto, dark, light, mono)`, `line 1: theme: unknown theme "solarized" (valid: auto, dark, light, mono)`},
		{"keys:\n  jump: [j]\n", `строка 2: keys: неизвестное действие клавиш "jump" (допустимы: up, down,`, `line 2: keys: unknown key action "jump" (valid: up, down,`},
		{"keys:\n  up: []\n", `строка 2: keys: не заданы клавиши для действия "up"`, `line 2: keys: no keys given for action "up"`},
		{"keys:\n  up: 5\n", "строка 2: здесь нужен список строк, а не !!int", "line 2: cannot unmarshal !!int into []string"},
		{"oauth: " + testCode + "\n", "строка 1: здесь не может быть значение !!str", "line 1: cannot unmarshal !!str here"},
	} {
		path := e.writeConfig(t, c.text)
		ru := runIn(t, e, "ru_RU.UTF-8", "find", "anna")
		assert.Equal(t, 2, ru.code, c.text)
		assert.Contains(t, ru.stderr, "b24org: файл настроек "+path+": "+c.ru, c.text)
		assertRussian(t, strings.ReplaceAll(ru.stderr, path, ""))
		requireNoSecret(t, ru)
		en := runIn(t, e, "C", "find", "anna")
		assert.Contains(t, en.stderr, "b24org: config file "+path+": "+c.en, c.text)
	}

	for _, c := range []struct{ text, ru, en string }{
		{"budget:\n  share: 2\n", ": budget.share должно быть больше 0 и не больше 1", ": budget.share must be above 0 and at most 1"},
		{"region: XYZ\n", `: region "XYZ" — не код региона вроде RU или DE`, `: region "XYZ" is not a region code such as RU or DE`},
		{"language: klingon\n", `: language: неизвестный язык "klingon" (допустимы: en, ru)`, `: language: unknown language "klingon" (valid: en, ru)`},
	} {
		path := e.writeConfig(t, c.text)
		ru := runIn(t, e, "ru_RU.UTF-8", "find", "anna")
		assert.Equal(t, "b24org: "+path+c.ru+"\n", ru.stderr)
		en := runIn(t, e, "C", "find", "anna")
		assert.Equal(t, "b24org: "+path+c.en+"\n", en.stderr)
	}

	path := e.writeConfig(t, "language: ru\nregion: XYZ\n")
	assert.Equal(t, "b24org: "+path+`: region "XYZ" — не код региона вроде RU или DE`+"\n", runIn(t, e, "C", "find", "anna").stderr,
		"the config's language: speaks its errors")
	path = e.writeConfig(t, "language: ru\nlinks: maybe\n")
	assert.Equal(t, "b24org: файл настроек "+path+": строка 2: links может быть только auto, on или off\n", runIn(t, e, "C", "find", "anna").stderr,
		"also the errors of a file that does not decode, when it names its language")
	path = e.writeConfig(t, "language: en\nlinks: maybe\n")
	assert.Equal(t, "b24org: config file "+path+": line 2: links must be auto, on or off\n", runIn(t, e, "ru_RU.UTF-8", "find", "anna").stderr)
	ru := runIn(t, e, "ru_RU.UTF-8", "--config", filepath.Join(e.home, "missing.yaml"), "find", "anna")
	assert.Equal(t, 2, ru.code)
	assert.True(t, strings.HasPrefix(ru.stderr, "b24org: файл настроек: open "), "the OS's words stay within: %s", ru.stderr)
}

// TestConfigWarningsSpeakTheRunsLanguage: the warning about a config file
// others can read comes out in the language the run ends up speaking (the
// config's language:, else the locale), on stderr and kept for the
// browser's status bar; under LANG=C it is the English of before. The
// warning about OAuth tokens that cannot be saved speaks it too.
func TestConfigWarningsSpeakTheRunsLanguage(t *testing.T) {
	p := startPortal(t, testOrg(time.Now()), fakeportal.Options{})
	u := pickPerson(t, testOrg(time.Now()))
	e := newRunEnv(t)
	path := e.writeConfig(t, "webhook: "+p.WebhookURL()+"\n")
	require.NoError(t, os.Chmod(path, 0o644))
	ruWarn := "b24org: предупреждение: файл настроек могут читать другие, а в нём секрет; выполните: chmod 600 " + path + "\n"
	enWarn := "b24org: warning: others can read the config file, and it holds a secret; run: chmod 600 " + path + "\n"

	r := runIn(t, e, "ru_RU.UTF-8", "find", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, ruWarn, r.stderr)
	assertRussian(t, strings.ReplaceAll(r.stderr, path, ""))
	requireNoSecret(t, r)
	r = runIn(t, e, "C", "find", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, enWarn, r.stderr)

	// language: comes after the check of the file's mode, and still speaks.
	require.NoError(t, os.WriteFile(path, []byte("webhook: "+p.WebhookURL()+"\nlanguage: ru\n"), 0o644))
	r = runIn(t, e, "C", "find", u.LastName)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, ruWarn, r.stderr)

	// The browser's status bar is given what stderr was.
	var stderr bytes.Buffer
	a := &app{env: &env{stdout: &bytes.Buffer{}, stderr: &stderr, getenv: envMap(map[string]string{"HOME": e.home, "LANG": "C"})}}
	a.flags.config = path
	_, err := a.settings()
	require.NoError(t, err)
	assert.Equal(t, []string{strings.TrimSuffix(strings.TrimPrefix(ruWarn, "b24org: "), "\n")}, a.warnings)
	assert.Equal(t, lang.Russian(), a.lang())

	// OAuth tokens that cannot be written back.
	oauth := filepath.Join(t.TempDir(), "oauth.yaml")
	require.NoError(t, os.WriteFile(oauth, []byte("oauth:\n  portal_url: https://p.example\n  refresh_token: r1\n"), 0o600))
	for locale, want := range map[string]string{
		"ru_RU.UTF-8": "предупреждение: не удалось сохранить обновлённые токены OAuth в " + oauth + ": в файле не словарь настроек",
		"C":           "warning: could not save the refreshed OAuth tokens to " + oauth + ": the file is not a mapping",
	} {
		var said []string
		s, err := resolve(flagValues{config: oauth, retries: 6}, envMap(map[string]string{"HOME": e.home, "LANG": locale}), func(w string) { said = append(said, w) })
		require.NoError(t, err)
		require.NotNil(t, s.client.OAuth)
		require.NotNil(t, s.client.OAuth.OnRefresh)
		require.NoError(t, os.WriteFile(oauth, []byte("- a list\n"), 0o600))
		s.client.OAuth.OnRefresh("a2", "r2")
		assert.Equal(t, []string{want}, said, locale)
		require.NoError(t, os.WriteFile(oauth, []byte("oauth:\n  portal_url: https://p.example\n  refresh_token: r1\n"), 0o600))
	}
}

// TestHelpInRussian: cobra's own help and completion commands, the usage
// lines and the flags' defaults are Russian under a Russian locale, with
// nothing English left in the prose; LANG=C keeps cobra's English.
func TestHelpInRussian(t *testing.T) {
	e := newRunEnv(t)
	for _, c := range []struct {
		args   []string
		ru, en []string
	}{
		{[]string{"completion", "--help"},
			[]string{"Создаёт скрипт автодополнения b24org для указанной оболочки.", "b24org completion [команда]",
				"bash        Создать скрипт автодополнения для bash", "справка по completion", "(по умолчанию 6)"},
			[]string{"Generate the autocompletion script for b24org for the specified shell.", "b24org completion [command]",
				"bash        Generate the autocompletion script for bash", "help for completion", "(default 6)"}},
		{[]string{"completion", "bash", "--help"},
			[]string{"Создаёт скрипт автодополнения для оболочки bash.", "Скрипту нужен пакет bash-completion.",
				"\tsource <(b24org completion bash)\n", "\tb24org completion bash > /etc/bash_completion.d/b24org\n",
				"\tb24org completion bash > $(brew --prefix)/etc/bash_completion.d/b24org\n",
				"Настройка подействует в новом экземпляре оболочки.", "  b24org completion bash\n",
				"--no-descriptions   без описаний в вариантах автодополнения"},
			[]string{"Generate the autocompletion script for the bash shell.", "This script depends on the 'bash-completion' package.",
				"\tsource <(b24org completion bash)\n", "You will need to start a new shell for this setup to take effect.",
				"--no-descriptions   disable completion descriptions"}},
		{[]string{"completion", "zsh", "--help"},
			[]string{"Создаёт скрипт автодополнения для оболочки zsh.", "\techo \"autoload -U compinit; compinit\" >> ~/.zshrc\n",
				"\tb24org completion zsh > \"${fpath[1]}/_b24org\"\n", "b24org completion zsh [флаги]"},
			[]string{"Generate the autocompletion script for the zsh shell.", "b24org completion zsh [flags]"}},
		{[]string{"completion", "powershell", "--help"},
			[]string{"\tb24org completion powershell | Out-String | Invoke-Expression\n", "в свой профиль powershell."},
			[]string{"to your powershell profile."}},
		{[]string{"help"},
			[]string{"b24org [флаги]\n  b24org [команда]\n", "help        Справка по любой команде",
				"completion  Создать скрипт автодополнения для оболочки", "(по умолчанию 6)"},
			[]string{"b24org [flags]\n  b24org [command]\n", "help        Help about any command",
				"completion  Generate the autocompletion script for the specified shell", "(default 6)"}},
		{[]string{"help", "help"},
			[]string{"help выводит справку по любой команде программы.\nПодробности: b24org help [путь к команде].", "b24org help [команда] [флаги]"},
			[]string{"Help provides help for any command in the application.\nSimply type b24org help [path to command] for full details.", "b24org help [command] [flags]"}},
		{[]string{"help", "find"},
			[]string{"Использование:", "b24org find [--json] [--limit N] ЗАПРОС... [флаги]", "справка по find", "(по умолчанию 6)"},
			[]string{"Usage:", "b24org find [--json] [--limit N] QUERY... [flags]", "help for find", "(default 6)"}},
		{[]string{"caller", "--help"},
			[]string{"b24org caller [--json] НОМЕР... [флаги]"},
			[]string{"b24org caller [--json] NUMBER... [flags]"}},
		{[]string{"serve", "--help"},
			[]string{"b24org serve [--listen АДРЕС] [--host-key ПУТЬ] [--authorized-keys ПУТЬ] [флаги]"},
			[]string{"b24org serve [--listen ADDR] [--host-key PATH] [--authorized-keys PATH] [flags]"}},
		{[]string{"--help"},
			[]string{"Использование:", "--retries int         сколько раз повторять неудавшийся запрос (по умолчанию 6)\n", "справка по b24org"},
			[]string{"Usage:", "--retries int         how many times a failed request is retried (default 6)\n", "help for b24org"}},
	} {
		ru := runIn(t, e, "ru_RU.UTF-8", c.args...)
		require.Equal(t, 0, ru.code, "%v: %s", c.args, ru.stderr)
		assertRussian(t, ru.stdout, c.ru...)
		assert.NotContains(t, ru.stdout, "(default", "%v", c.args)
		assert.NotContains(t, ru.stdout, "[flags]", "%v", c.args)
		en := runIn(t, e, "C", c.args...)
		require.Equal(t, 0, en.code, "%v: %s", c.args, en.stderr)
		for _, w := range c.en {
			assert.Contains(t, en.stdout, w, "%v", c.args)
		}
		for _, w := range []string{"Использование", "по умолчанию", "справка", "флаги", "команда", "автодополнения"} {
			assert.NotContains(t, en.stdout, w, "%v", c.args)
		}
	}

}

// TestRussianHelpKeepsTheFlags: the defaults moved into the usage under a
// Russian locale are still the flags' values.
func TestRussianHelpKeepsTheFlags(t *testing.T) {
	a := &app{env: &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: envMap(map[string]string{"LANG": "ru_RU.UTF-8"})}}
	root := a.rootCmd()
	require.NoError(t, root.ParseFlags(nil))
	assert.Equal(t, 6, a.flags.retries)
	f := root.PersistentFlags().Lookup("retries")
	assert.Equal(t, "сколько раз повторять неудавшийся запрос (по умолчанию 6)", f.Usage)
	require.NoError(t, root.ParseFlags([]string{"--retries", "2"}))
	assert.Equal(t, 2, a.flags.retries)

	en := &app{env: &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: envMap(map[string]string{"LANG": "C"})}}
	en.rootCmd()
	assert.Equal(t, 6, en.flags.retries)
}
