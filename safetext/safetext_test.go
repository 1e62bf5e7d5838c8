package safetext_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/b24org/b24org/safetext"
	"github.com/stretchr/testify/assert"
)

func TestCleanRemovesTerminalControl(t *testing.T) {
	cases := map[string]string{
		"Anna Johnson":                        "Anna Johnson",
		"\x1b]0;PWNED\x07Anna":                "Anna",
		"\x1b]52;c;ZXZpbA==\x1b\\Bob":         "Bob",
		"\x1b[2J\x1b[HCarl":                   "Carl",
		"\x1b[31mred\x1b[0m":                  "red",
		"a\x00b\x07c\x7fd":                    "abcd",
		"\u009b31mC1 csi":                     "C1 csi",
		"\u009d0;title\u009cafter":            "after",
		"\x1bPdcs body\x1b\\ok":               "ok",
		"tab\tand\nnewline":                   "tab and newline",
		"  padded   out  ":                    "padded out",
		"left\u202eright\u202c":               "leftright",
		"iso\u2066late\u2069":                 "isolate",
		"soft\u00adhyphen":                    "softhyphen",
		"Борис Иванов":                        "Борис Иванов",
		"陈伟":                                  "陈伟",
		"Müller":                              "Müller",
		"e\u0301":                             "e\u0301",
		"\x1b":                                "",
		"\x1b[":                               "",
		"\x1b]0;never terminated":             "",
		"ok\x1b7saved":                        "oksaved",
		string([]byte{0xff, 'x', 0xfe}):       "\uFFFDx\uFFFD",
		"\x1b[38;5;196;48;2;1;2;3mdeep\x1b[m": "deep",
	}
	for in, want := range cases {
		assert.Equal(t, want, safetext.Clean(in), "Clean(%q)", in)
	}
}

func TestCleanOutputHasNoControls(t *testing.T) {
	inputs := []string{
		"\x1b]0;PWNED\x07", "\x1b[6n", "\x9b6n", "a\x1b\x1b\x1bb", strings.Repeat("\x1b[", 100),
		"\u202e\u2067\u200f", "\r\n\r\n", string([]byte{0xc2, 0x9b, '3', '1', 'm'}),
	}
	for _, in := range inputs {
		out := safetext.Clean(in)
		assert.True(t, utf8.ValidString(out))
		for _, r := range out {
			assert.False(t, r < 0x20 || (r >= 0x7f && r < 0xa0), "control %U left in Clean(%q)", r, in)
			assert.NotEqual(t, '\u202e', r)
		}
	}
}

func TestCleanLimitsLength(t *testing.T) {
	long := strings.Repeat("Я", 2000)
	out := safetext.Clean(long)
	assert.LessOrEqual(t, len(out), safetext.MaxLen)
	assert.True(t, utf8.ValidString(out))
	assert.Equal(t, safetext.MaxLen, len(safetext.Clean(strings.Repeat("a", 5000))))
}

func TestTruncateAndPadMeasureCells(t *testing.T) {
	assert.Equal(t, "Anna", safetext.Truncate("Anna", 10))
	assert.Equal(t, "Ann…", safetext.Truncate("Anna Johnson", 4))
	assert.Equal(t, "陈…", safetext.Truncate("陈伟陈伟", 4))
	assert.Equal(t, 3, safetext.Width(safetext.Truncate("陈伟陈伟", 3)))
	assert.Equal(t, "…", safetext.Truncate("Anna", 1))
	assert.Equal(t, "", safetext.Truncate("Anna", 0))
	assert.Equal(t, "", safetext.Truncate("Anna", -3))
	assert.Equal(t, 4, safetext.Width("陈伟"))
	assert.Equal(t, 1, safetext.Width("e\u0301"))
	for w := 0; w < 12; w++ {
		for _, s := range []string{"Борис Иванов", "陈伟陈伟陈伟", "e\u0301e\u0301e\u0301", "abc"} {
			p := safetext.Pad(s, w)
			assert.Equal(t, w, safetext.Width(p), "Pad(%q, %d) = %q", s, w, p)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"\x1b]0;x\x07", "Anna", "\u202e", "\x9b1m", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := safetext.Clean(s)
		if !utf8.ValidString(out) || len(out) > safetext.MaxLen {
			t.Fatalf("Clean(%q) = %q", s, out)
		}
		for _, r := range out {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) {
				t.Fatalf("Clean(%q) left control %U", s, r)
			}
		}
		if again := safetext.Clean(out); again != out {
			t.Fatalf("Clean is not idempotent on %q: %q then %q", s, out, again)
		}
	})
}
