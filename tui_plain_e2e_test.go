package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// osc52 is the one escape sequence the plain front end writes: a copy to
// the clipboard, ended by BEL or ST.
var osc52 = regexp.MustCompile(`\x1b\]52;[a-z]*;[A-Za-z0-9+/=]*(\x07|\x1b\\)`)

// checkPlainBytes asserts what the plain front end wrote (raw, as tmux's
// pipe-pane got it) holds no terminal control but copies: once every OSC52
// is taken out, no ESC and no C1 control is left, so no colour (SGR), no
// cursor addressing or movement (CUP "CSI … H", HVP "CSI … f", CUU/CUD/
// CUF/CUB "CSI … A-D", "CSI … G/d/E/F"), no erasing (ED/EL), no alternate
// screen (CSI ?1049h), no mode changes (hidden cursor, mouse, bracketed
// paste), no window title (OSC 0/2) and no hyperlink (OSC 8); and no box
// drawing (U+2500–U+257F), no block or spinner glyph (U+2580–U+259F,
// U+2800–U+28FF). Lines end in CR LF and nothing else moves the cursor
// back (no CR alone, no BS).
func checkPlainBytes(t *testing.T, raw string) (text string) {
	t.Helper()
	text = osc52.ReplaceAllString(raw, "")
	assert.NotContains(t, text, "\x1b", "an escape sequence other than OSC52")
	for _, r := range text {
		switch {
		case r >= 0x80 && r <= 0x9f:
			t.Errorf("a C1 control %U", r)
		case r >= 0x2500 && r <= 0x259f:
			t.Errorf("a box-drawing or block character %q", r)
		case r >= 0x2800 && r <= 0x28ff:
			t.Errorf("a braille spinner glyph %q", r)
		case r == '\b':
			t.Error("a backspace")
		}
	}
	assert.NotRegexp(t, `\r[^\n]`, text, "a carriage return that is not a line end")
	return strings.ReplaceAll(text, "\r\n", "\n")
}

// TestPlainInTmux runs the demo with --plain and with ACCESSIBLE=1 in
// tmux, its raw output piped to a file: lines only, a search finds a person
// by extension, enter goes there, y copies the extension (OSC52, which
// tmux with set-clipboard on makes its buffer), q quits and the terminal is
// as before (cooked: what the shell's read gets is echoed).
func TestPlainInTmux(t *testing.T) {
	for _, tc := range []struct {
		name, env, flag string
		w, h            int
	}{
		{"flag", "", " --plain", 120, 40},
		{"ACCESSIBLE=1", "ACCESSIBLE=1", "", 80, 24},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, raw := startPiped(t, tc.w, tc.h, "env "+tc.env+" "+testBinaryPath+" --demo"+tc.flag)
			x.waitScreen("everyone loaded", func(s string) bool { // the search answers from everyone
				return regexp.MustCompile(`loaded [0-9,]+ people`).MatchString(s)
			})
			drivePlain(t, x, raw)
		})
	}
}

// TestPlainOverSSH: a session that sends ACCESSIBLE=1 (ssh -o SetEnv), or
// runs the command --plain, gets the plain front end over SSH, with the
// same checks as TestPlainInTmux.
func TestPlainOverSSH(t *testing.T) {
	srv, user := startServeForOneKey(t, t.TempDir())
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"SetEnv ACCESSIBLE=1", []string{"-o", "SetEnv=ACCESSIBLE=1", "127.0.0.1"}},
		{"command --plain", []string{"127.0.0.1", "--", "--plain"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, raw := startPiped(t, 100, 30, "ssh -t "+strings.Join(srv.sshArgs(user, tc.args...), " "))
			drivePlain(t, x, raw)
		})
	}
}

// startPiped runs command in a new tmux server, its output piped (raw) to
// a file from its start, until the demo's English opening and tree are on
// the screen; after it, the shell says its exit status and echoes a line
// it reads.
func startPiped(t *testing.T, w, h int, command string) (*tmux, string) {
	t.Helper()
	return startPipedUntil(t, w, h, command, "one line for each change", "Acme Corp, 1,162 people, 1 of 9, expanded")
}

// startPipedUntil is startPiped waiting for ready (texts on the screen).
func startPipedUntil(t *testing.T, w, h int, command string, ready ...string) (*tmux, string) {
	t.Helper()
	dir := t.TempDir()
	raw := filepath.Join(dir, "raw")
	// bash -c, not a shell with a prompt: the pipe gets only what the
	// command writes, once the test has started the pipe and pressed
	// enter; after it, read shows whether the terminal echoes.
	script := "read -r _; " + command + "; printf 'EXITED %s\\n' $?; read -r again; echo \"GOT $again\"; sleep 60"
	x := newTmuxServer(t, dir, w, h, "bash -c '"+strings.ReplaceAll(script, "'", `'\''`)+"'")
	x.must("set-option", "-g", "set-clipboard", "on")
	x.must("pipe-pane", "-o", "-t", "tui", "cat >> "+raw)
	x.keys("Enter")
	x.waitText(ready...)
	return x, raw
}

// readPiped closes the pipe of x once the shell has said that the program
// ended (EXITED), and returns what the program wrote to it.
func readPiped(t *testing.T, x *tmux, raw string) string {
	t.Helper()
	x.waitText("EXITED 0")
	x.must("pipe-pane", "-t", "tui")
	var b []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(40 * time.Millisecond) {
		if b, _ = os.ReadFile(raw); strings.Contains(string(b), "EXITED") {
			break
		}
	}
	plain, _, found := strings.Cut(string(b), "EXITED")
	require.True(t, found, "the program ended: %q", b)
	return plain
}

// TestPlainInTmuxInRussian runs the demo with --plain under LANG=ru_RU.UTF-8
// in tmux: the opening line, the help's lines, the search's and the
// tree's are Russian, and nothing but lines reaches the terminal.
func TestPlainInTmuxInRussian(t *testing.T) {
	x, raw := startPipedUntil(t, 100, 30, "env -u LC_ALL -u LC_MESSAGES LANG=ru_RU.UTF-8 "+testBinaryPath+" --demo --plain",
		"b24org, простой текст: по строке на каждое изменение. ?: клавиши, q или ctrl+c: выход.", "Acme Corp, ", "1 из 9, раскрыт")
	x.keys("?")
	x.waitText("esc или ?: закрыть справку")
	x.keys("?")
	x.keys("/")
	x.waitText("поиск по всей компании: введите имя, должность, эл. почту или добавочный; up или down")
	x.keys("Escape")
	x.keys("q")
	text := checkPlainBytes(t, readPiped(t, x, raw))
	for _, want := range []string{"\nсправка: клавиши\n", "\nup или k: вверх\n", "\n?: справка\n", "\nq или ctrl+c: выход\n", "\nesc или ?: закрыть справку\n",
		"\nпоиск по всей компании: введите имя, должность, эл. почту или добавочный; up или down: предыдущий или следующий результат; enter: перейти к сотруднику; esc: назад\n"} {
		assert.Contains(t, text, want)
	}
	for _, english := range []string{"one line for each change", "help: the keys", "close the help", "search the whole company", " people"} {
		assert.NotContains(t, text, english)
	}
}

// drivePlain searches an extension, goes to its person, copies the
// extension, reads the help and quits, then checks every byte the plain
// front end wrote (checkPlainBytes).
func drivePlain(t *testing.T, x *tmux, raw string) {
	t.Helper()
	x.keys("/")
	x.waitText("search the whole company: type")
	x.keys("-l", "2517")
	x.waitText("search “2517”: 3 matches", ": Olivia Hall, Executive Assistant, ext 2517, ")
	x.keys("Enter")
	x.waitText("people in Platform", "Olivia Hall, Executive Assistant, ext 2517",
		"Executive Assistant · Acme Corp › R&D › Platform") // the details, as lines
	x.keys("y")
	x.waitText("sent extension 2517 to the clipboard (OSC52)")
	x.waitScreen("the copy in tmux's buffer", func(string) bool {
		out, _ := x.run("show-buffer")
		return out == "2517"
	})
	x.keys("?")
	x.waitText("esc or ?: close the help")
	x.keys("?") // closes it, as esc does
	x.keys("q")
	x.waitText("EXITED 0")
	x.keys("-l", "typed")
	x.keys("Enter")
	x.waitText("typed", "GOT typed") // echoed: the terminal is cooked again
	x.must("pipe-pane", "-t", "tui") // closes the pipe

	var b []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(40 * time.Millisecond) {
		if b, _ = os.ReadFile(raw); strings.Contains(string(b), "GOT typed") {
			break
		}
	}
	got := string(b)
	require.Contains(t, got, "GOT typed")
	plain, _, _ := strings.Cut(got, "EXITED")
	require.Regexp(t, osc52, plain, "the copy went out")
	text := checkPlainBytes(t, plain)
	assert.Contains(t, text, "\nsearch “2517”: 3 matches\n")
	assert.Contains(t, text, "\nsent extension 2517 to the clipboard (OSC52)")
	assert.Contains(t, text, "\nhelp: the keys\n")
	assert.Contains(t, text, "\ny: copy ext\n")
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		assert.NotEmpty(t, strings.TrimSpace(l), "no blank lines: %q", text)
	}
}

// TestPlainHostileInTmux browses the hostile demo (escape sequences,
// control characters, bidi controls, very long fields in its strings) in
// plain mode: what reaches the terminal is still lines and the copy only.
func TestPlainHostileInTmux(t *testing.T) {
	x, raw := startPiped(t, 80, 24, testBinaryPath+" --demo-hostile --plain")
	x.keys("-l", "jjjl")
	x.keys("Tab")
	x.waitText("1 of 4: ") // the people have loaded
	x.keys("-l", "jjj")
	x.waitText("4 of 4: ")
	x.keys("Enter")
	x.waitScreen("everyone loaded", func(s string) bool { // the search answers at once
		return regexp.MustCompile(`loaded [0-9,]+ people`).MatchString(s)
	})
	for _, q := range []string{"zoe", "isolated", "zalgo"} {
		x.keys("/")
		x.waitText("search the whole company: type")
		x.keys("-l", q)
		x.waitScreen("matches for "+q, func(s string) bool {
			return regexp.MustCompile(`search “` + q + `”: [0-9,]+ match`).MatchString(s)
		})
		x.keys("Enter") // the jump: the list, the person, the details
		x.waitScreen("the details after the jump", func(s string) bool {
			_, after, _ := strings.Cut(s, "search “"+q+"”: ")
			return strings.Contains(after, "reports to")
		})
	}
	x.keys("y")
	x.keys("q")
	text := checkPlainBytes(t, readPiped(t, x, raw))
	assert.Contains(t, text, "search “zalgo”: ")
	assert.NotRegexp(t, "[\u200e\u200f\u202a-\u202e\u2066-\u2069]", text, "no bidi controls")
}
