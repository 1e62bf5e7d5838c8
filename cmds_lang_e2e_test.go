package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve's help, and the errors its operator reads when it cannot start,
// are in the run's language; English stays as it was.
func TestServeSpeaksTheRunLanguage(t *testing.T) {
	e := newRunEnv(t)
	ru := e.with("LANG=ru_RU.UTF-8")

	r := ru.run(t, "serve", "--help")
	require.Equal(t, 0, r.code, r.stderr)
	for _, s := range []string{"serve запускает SSH-сервер", "адрес, на котором слушать", "разрешить команду export", "Флаги:",
		"  ssh -p 2222 localhost find 1042  # один ответ\n"} {
		assert.Contains(t, r.stdout, s)
	}
	assert.NotContains(t, r.stdout, "address to listen on")
	r = e.run(t, "serve", "--help")
	require.Equal(t, 0, r.code, r.stderr)
	for _, s := range []string{"serve runs an SSH server: a user who connects with a terminal gets the\nbrowser;", "address to listen on", "allow the export command",
		"Examples:\n  b24org serve --authorized-keys ~/.ssh/authorized_keys\n  b24org --demo serve", "  ssh -p 2222 localhost find 1042  # one answer\n"} {
		assert.Contains(t, r.stdout, s)
	}

	r = ru.run(t, "serve", "--max-sessions", "0")
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "b24org: --max-sessions должно быть не меньше 1\n", r.stderr)
	r = e.run(t, "serve", "--max-sessions", "0")
	assert.Equal(t, "b24org: --max-sessions must be at least 1\n", r.stderr)

	dir := filepath.Join(e.home, "not-a-key")
	require.NoError(t, os.Mkdir(dir, 0o700))
	args := []string{"--demo", "serve", "--allow-anyone", "--listen", "127.0.0.1:0", "--host-key", dir}
	r = ru.run(t, args...)
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "b24org: ключ хоста: "+dir+" — не обычный файл\n", r.stderr)
	r = e.run(t, args...)
	assert.Equal(t, "b24org: host key: "+dir+" is not a regular file\n", r.stderr)
}

// The retry line on a terminal's stderr is in the run's language, as the
// browser's status bar says it.
func TestRetryLineInRussian(t *testing.T) {
	p := startPortal(t, testOrg(time.Now()), fakeportal.Options{})
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultServerError}})
	e := newRunEnv(t).with("LANG=ru_RU.UTF-8")
	r := runOnTerminal(t, e, "--webhook", p.WebhookURL(), "--retries", "2", "find", "anna")
	require.Equal(t, 2, r.code, r.stderr)
	assert.Regexp(t, `\rb24org: [a-z.]+: повтор \(2/3\) через 1 с… \(INTERNAL_SERVER_ERROR\)\x1b\[K`, r.stderr)
	assert.NotContains(t, r.stderr, "retrying")
}
