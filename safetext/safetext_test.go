package safetext_test

import (
	"github.com/charmbracelet/x/ansi"
	"regexp"
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
	for _, s := range []string{"\x1b]0;x\x07", "Anna", "\u202e", "\x9b1m", "\xff", "\u0915\u093e", "👩\u200d💻", "🇩"} {
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
		if d := safetext.Display(out); ansi.StringWidth(d) != safetext.Width(out) {
			t.Fatalf("Display(%q) = %q: %d cells by grapheme, %d by code point", out, d, ansi.StringWidth(d), safetext.Width(out))
		}
		if again := safetext.Clean(out); again != out {
			t.Fatalf("Clean is not idempotent on %q: %q then %q", s, out, again)
		}
	})
}

func TestCleanRemovesInvisibleCharacters(t *testing.T) {
	cases := map[string]string{
		"Isolated\u200b\u200d":           "Isolated",    // zero-width space, ZWJ
		"Иванов\u200d":                   "Иванов",      // a ZWJ after a Cyrillic word
		"\ufeffAnna":                     "Anna",        // BOM
		"An\u2060na":                     "Anna",        // word joiner
		"A\u200cB\u2061C\u2064":          "ABC",         // ZWNJ, invisible operators
		"\U000e0041tag\U000e007f":        "tag",         // tag characters
		"\u0600x":                        "x",           // prepended concatenation mark
		"\U0001F469\u200d\U0001F4BB Zoë": "👩💻 Zoë",      // an emoji ZWJ sequence: its emoji side by side
		"\U0001F44D\U0001F3FD ok":        "👍 ok",        // skin tone
		"\u2764\ufe0f love":              "\u2764 love", // emoji presentation selector
		"🇩🇪 Berlin":                      "🇩🇪 Berlin",   // a flag stays
		"\u3164\u3164":                   "",            // Hangul fillers that draw a blank
		"\u0301\u0302start":              "start",       // marks with no base
		"a \u0301b":                      "a b",
		"Z\u0335\u0322\u031ba":           "Z\u0335\u0322\u031ba",
		"x\u0301\u0302\u0303\u0304\u0305\u0306\u0307": "x\u0301\u0302\u0303\u0304", // at most four marks on a base
		"Nguye\u0302\u0303n":                          "Nguye\u0302\u0303n",
	}
	for in, want := range cases {
		assert.Equal(t, want, safetext.Clean(in), "Clean(%q)", in)
	}
}

// Width counts cells as terminals and tmux do, one code point at a time
// (tmux 3.3a on glibc 2.36 was asked: printf, then #{cursor_x}).
func TestWidthIsPerCodePoint(t *testing.T) {
	cases := map[string]int{
		"a": 1, "宽": 2, "e\u0301": 1, "Z\u0335\u0322": 1, "👩": 2, "👩💻": 4, "🇩": 1, "🇩🇪": 2, "🇩🇪🇫": 3,
		"\u2764": 1, "\u1100\u1161": 2, "Иван": 4, "…›●◐✈○★▾▸┃│─": 12,
	}
	for s, want := range cases {
		assert.Equal(t, want, safetext.Width(s), "Width(%q)", s)
	}
}

// Display reduces what terminals (per code point) and Bubble Tea (per
// grapheme cluster) would count differently, so every row keeps its width.
func TestDisplayMakesBothCountsAgree(t *testing.T) {
	cases := map[string]string{
		"Anna":                 "Anna",
		"陈伟 e\u0301":           "陈伟 e\u0301",
		"\u0915\u093e\u0932":   "\u0915\u0932", // a spacing vowel sign (Devanagari): tmux counts 2 cells, Bubble Tea 1
		"\U0001F1E9 x":         "\uFFFD x",     // a lone regional indicator
		"\U0001F1E9\U0001F1EA": "\U0001F1E9\U0001F1EA",
		"\u2630":               "\uFFFD", // wide in Unicode 16, narrow in older tables (and tmux on glibc 2.36)
	}
	for in, want := range cases {
		got := safetext.Display(in)
		assert.Equal(t, want, got, "Display(%q)", in)
		assert.Equal(t, ansi.StringWidth(got), safetext.Width(got), "both counts agree on %q", got)
	}
}

func TestTruncateKeepsMarksWithTheirBase(t *testing.T) {
	assert.Equal(t, "e\u0301e\u0301…", safetext.Truncate("e\u0301e\u0301e\u0301e\u0301", 3))
	assert.Equal(t, "👩…", safetext.Truncate("👩💻👩💻", 4))
	assert.Equal(t, 3, safetext.Width(safetext.Truncate("👩💻👩💻", 4)))
}

func TestFitStyledText(t *testing.T) {
	red, reset := "\x1b[31m", "\x1b[0m"
	assert.Equal(t, red+"abc"+reset+"  ", safetext.Fit(red+"abc"+reset, 5))
	assert.Equal(t, red+"ab"+reset, safetext.Fit(red+"abcdef"+reset, 2), "the reset past the cut is kept")
	assert.Equal(t, "a ", safetext.Fit("a宽", 2), "a wide character that does not fit becomes a space")
	assert.Equal(t, "e\u0301x", safetext.Fit("e\u0301xyz", 2))
	for w := 0; w < 10; w++ {
		for _, s := range []string{red + "陈伟陈伟陈伟" + reset, "👩💻 Zoë", "🇩🇪🇫", "\u0915\u093e\u0915\u093e"} {
			got := safetext.Fit(s, w)
			plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(got, "")
			assert.Equal(t, w, safetext.Width(plain), "Fit(%q, %d) = %q", s, w, got)
		}
	}
}
