package serve

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/internal/serve/servetest"
	"github.com/b24org/b24org/lang"
	"github.com/charmbracelet/wish/testsession"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"
)

// runIn runs a command without a PTY, the client sending LANG=locale
// first (as ssh -o SetEnv=LANG=… does; "" sends none).
func (f *serveFixture) runIn(t *testing.T, locale, cmd string) commandResult {
	t.Helper()
	var env []string
	if locale != "" {
		env = []string{"LANG", locale}
	}
	r := servetest.RunEnv(t, f.addr, f.user, env, cmd)
	return commandResult{stdout: r.Stdout, stderr: r.Stderr, code: r.Code}
}

// A session's command errors are said in the session's language: the
// commands' own, cobra's flag errors with serve's hint, an unknown
// command, a directory not yet whole; a client that sends no locale gets
// English.
func TestServeCommandErrorsInTheSessionLanguage(t *testing.T) {
	o := testServeOptions()
	o.AllowExport = true
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, o, false) // the tree only: export cannot be whole
	for _, tc := range []struct{ cmd, en, ru string }{
		{"find --bogus anna", "unknown flag: --bogus (see ssh HOST find --help)", "неизвестный флаг: --bogus (см. ssh HOST find --help)"},
		{"caller nobody", "caller needs a phone number (see ssh HOST caller --help)", "caller нужен номер телефона (см. ssh HOST caller --help)"},
		{"--version --bogus", "unknown flag: --bogus (see ssh HOST help)", "неизвестный флаг: --bogus (см. ssh HOST help)"},
		{"--version extra", `unknown command "extra" (see ssh HOST help)`, `неизвестная команда "extra" (см. ssh HOST help)`},
		{"export --format xml", `--format "xml": use json, csv, vcf, mermaid`, `--format "xml": допустимо json, csv, vcf, mermaid`},
		{"export", "the directory is not fully loaded on this server (see its log); try again later",
			"справочник на этом сервере загружен не полностью (см. журнал сервера); попробуйте позже"},
	} {
		ru := f.runIn(t, "ru_RU.UTF-8", tc.cmd)
		requireOneLine(t, ru, command.ExitError)
		assert.Equal(t, "b24org: "+tc.ru+"\n", ru.stderr, "%s", tc.cmd)
		en := f.runIn(t, "", tc.cmd)
		requireOneLine(t, en, command.ExitError)
		assert.Equal(t, "b24org: "+tc.en+"\n", en.stderr, "%s", tc.cmd)
	}
}

// The line that says why a session ended early is in the session's
// language; the log keeps English.
func TestServeSessionEndInTheSessionLanguage(t *testing.T) {
	o := testServeOptions()
	o.IdleTimeout = 300 * time.Millisecond
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, o, false)
	c := f.openPTY(t, 80, 24, "LANG", "ru_RU.UTF-8")
	c.waitOutput("Подразделения")
	require.Equal(t, command.ExitError, c.exit())
	assert.Equal(t, "b24org: закрыто после простоя\r\n", c.stderr.String())
	assert.Equal(t, "closed after the idle timeout", errIdle.Error())
	f.log.WaitLog(t, "refused", "closed after the idle timeout")
}

// A browser whose terminal is larger than what is drawn says so in the
// session's language.
func TestServeClampNoticeInTheSessionLanguage(t *testing.T) {
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), false)
	c := f.openPTY(t, 5000, 4000, "LANG", "ru_RU.UTF-8")
	c.waitOutput("терминал сообщает размер 5000×4000; рисуется не больше 1000×500")
	assert.NotContains(t, c.output(), "the terminal says")
	c.keys("q")
	require.Equal(t, 0, c.exit())
	assert.Equal(t, "the terminal says 5000×4000; at most 1000×500 is drawn", clampNotice(lang.English(), "5000×4000"))
}

// What a client is told before it has logged in (the banner of a refused
// connection, a refused channel) is in the server's language, as it has
// sent no locale yet; the log keeps English.
func TestServeRefusalsInTheServerLanguage(t *testing.T) {
	o := testServeOptions()
	o.PerIPPerMinute = 2
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, o, false, func(c *Config) { c.Language = lang.Russian() })

	client, err := gossh.Dial("tcp", f.addr, servetest.ClientConfig(f.user))
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	_, err = client.Dial("tcp", "127.0.0.1:22")
	require.Error(t, err, "local forwarding")
	assert.Contains(t, err.Error(), "b24org: проброс портов запрещён")
	f.log.WaitLog(t, "refused", `reason="port forwarding"`)

	require.Equal(t, 0, f.run(t, "version").code)
	var banner string
	cfg := servetest.ClientConfig(f.user)
	cfg.BannerCallback = func(msg string) error { banner = msg; return nil }
	_, err = testsession.NewClientSession(t, f.addr, cfg)
	require.Error(t, err)
	assert.Equal(t, "b24org: слишком много новых соединений с 127.0.0.1 (не больше 2 в минуту); попробуйте через минуту\n", banner)
	f.log.WaitLog(t, "refused", "too many new connections from 127.0.0.1 (at most 2 a minute)")
}

// The operator's errors (the options, the host key, the authorized keys)
// are said in the run's language by lang.Say, the command line's error
// line; their English text stays, and they wrap what the system said.
func TestServeSetupErrorsInRussian(t *testing.T) {
	o := testServeOptions()
	o.AllowAnyone, o.Listen = true, "0.0.0.0:2222"
	err := o.Check()
	require.Error(t, err)
	assert.Equal(t, `--allow-anyone is only accepted on a loopback address such as 127.0.0.1:2222, not "0.0.0.0:2222"`, err.Error())
	assert.Equal(t, `--allow-anyone допустимо только на адресе loopback, например 127.0.0.1:2222, а не "0.0.0.0:2222"`, lang.Say(lang.Russian(), err))
	o = testServeOptions()
	o.MaxSessions = 0
	assert.Equal(t, "--max-sessions должно быть не меньше 1", lang.Say(lang.Russian(), o.Check()))

	dir := t.TempDir()
	path := filepath.Join(dir, "host")
	_, _, err = loadHostKey(path)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(path, 0o644))
	_, _, err = loadHostKey(path)
	require.Error(t, err)
	assert.Equal(t, "host key "+path+" may be read by others; run: chmod 600 "+path, err.Error())
	assert.Equal(t, "ключ хоста "+path+" доступен для чтения другим; выполните: chmod 600 "+path, lang.Say(lang.Russian(), err))

	require.NoError(t, os.Mkdir(filepath.Join(dir, "dir"), 0o700))
	_, _, err = loadHostKey(filepath.Join(dir, "dir"))
	assert.Equal(t, "ключ хоста: "+filepath.Join(dir, "dir")+" — не обычный файл", lang.Say(lang.Russian(), err))

	missing := filepath.Join(dir, "authorized_keys")
	_, err = newAuthorizedKeys(missing, nil)
	require.ErrorIs(t, err, fs.ErrNotExist)
	assert.Regexp(t, `^authorized keys: open .*: no such file or directory; add the users' public keys to it, or on a loopback address pass --allow-anyone$`, err.Error())
	assert.Regexp(t, `^разрешённые ключи: open .*: no such file or directory; добавьте в файл открытые ключи пользователей или на адресе loopback укажите --allow-anyone$`, lang.Say(lang.Russian(), err))
	require.NoError(t, os.WriteFile(missing, []byte("# nobody\n"), 0o600))
	_, err = newAuthorizedKeys(missing, nil)
	assert.Equal(t, "разрешённые ключи: в "+missing+" нет пригодного открытого ключа; добавьте в файл открытые ключи пользователей или на адресе loopback укажите --allow-anyone", lang.Say(lang.Russian(), err))
}

// find's table over SSH says when someone was last seen with the person's
// gender, as the browser does: была for a woman in Russian; "seen" in
// English.
func TestServeFindSeenSaysTheGender(t *testing.T) {
	org := oldTestOrg()
	u := findablePerson(t, org)
	for i := range org.Users {
		if org.Users[i].ID == u.ID {
			org.Users[i].Gender, org.Users[i].AbsentUntil = "F", time.Time{}
			org.Users[i].LastActivity = time.Now().Add(-5 * time.Hour)
		}
	}
	f := newServeFixture(t, org, fakeportal.Options{}, testServeOptions(), true)
	ru := f.runIn(t, "ru_RU.UTF-8", "find "+u.Extension)
	require.Equal(t, command.ExitOK, ru.code, ru.stderr)
	assert.Contains(t, ru.stdout, "не в сети, была 5 ч назад")
	assert.NotContains(t, ru.stdout, "был(а)")
	en := f.runIn(t, "", "find "+u.Extension)
	require.Equal(t, command.ExitOK, en.code, en.stderr)
	assert.Contains(t, en.stdout, "offline, seen 5h ago")
}
