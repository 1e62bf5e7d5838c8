// Package safetext makes strings from outside (the portal, config files, SSH
// clients) safe to print on a terminal and measures them in terminal cells.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
)

// MaxLen is the longest string, in bytes, that Clean keeps; longer input is cut
// at a rune boundary. Portal fields are short; anything longer is hostile.
const MaxLen = 1024

// maxMarks is how many combining marks Clean keeps on one base character:
// enough for any orthography (Vietnamese stacks two), not for "Zalgo" text
// that spills over the rows above and below.
const maxMarks = 4

// Clean returns s with every escape sequence, control character and bidi
// control removed, invalid UTF-8 replaced, runs of white space folded to one
// space, and the result trimmed and limited to MaxLen bytes. The output can be
// written to a terminal without changing its state.
//
// Clean also removes what would make a terminal and this program disagree
// on how wide a row is (see Width): invisible format characters (Unicode
// category Cf: zero-width space, zero-width joiner and non-joiner, word
// joiner, BOM, soft hyphen, tags), emoji presentation selectors (U+FE0E,
// U+FE0F), skin-tone modifiers, invisible Hangul fillers, combining marks
// without a base and marks beyond maxMarks on one base. An emoji ZWJ
// sequence such as 👩‍💻 becomes its emoji side by side (👩💻), which every
// terminal draws at the same width.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	marks := -1 // combining marks on the last base; -1: no base yet
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			i++
			r = '\uFFFD'
		} else {
			i += size
		}
		switch {
		case r == 0x1b: // ESC: drop the whole sequence it starts
			i = skipEscape(s, i)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i)
			continue
		case r == 0x90 || r == 0x9d || r == 0x9e || r == 0x9f || r == 0x98: // C1 DCS, OSC, PM, APC, SOS
			i = skipString(s, i)
			continue
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), isInvisible(r), unicode.Is(unicode.Co, r):
			continue
		case unicode.In(r, unicode.Mn, unicode.Me):
			if space || marks < 0 || marks >= maxMarks {
				continue // no base to sit on, or one too many
			}
			marks++
		default:
			marks = 0
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if b.Len()+utf8.RuneLen(r) > MaxLen {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII without runs of spaces or
// leading/trailing space, the common case that needs no copy.
func isPlain(s string) bool {
	if len(s) > MaxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}

// skipEscape skips an escape sequence whose ESC byte ends just before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', '^', '_', 'X':
		return skipString(s, i+1)
	}
	// Two- or three-byte escapes: ESC, intermediates 0x20-0x2f, a final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) {
		i++
	}
	return i
}

// skipCSI skips parameters and intermediates up to and including the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c > 0x7e {
			return i - 1 // a malformed sequence ends at the first byte it cannot hold
		}
	}
	return i
}

// skipString skips an OSC/DCS/PM/APC/SOS body up to its terminator (BEL, ST, or ESC \).
func skipString(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c == 0x07:
			return i + 1
		case c == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case c == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c: // U+009C ST
			return i + 2
		}
		i++
	}
	return i
}

// isInvisible reports the characters Clean drops because they draw nothing
// yet could change a row: every format character (Cf, which holds the bidi
// controls, zero-width characters, BOM, soft hyphen and tags), the emoji
// and text presentation selectors, skin-tone modifiers and the Hangul
// fillers that draw a blank.
func isInvisible(r rune) bool {
	switch {
	case unicode.Is(unicode.Cf, r):
		return true
	case r == '\ufe0e', r == '\ufe0f': // presentation selectors
		return true
	case r >= 0x1f3fb && r <= 0x1f3ff: // emoji modifiers (skin tones)
		return true
	case r == '\u115f', r == '\u1160', r == '\u3164', r == '\uffa0': // Hangul fillers
		return true
	}
	return false
}

// RuneWidth is the number of cells a terminal gives r: 0 for combining
// marks and format characters, 2 for East Asian wide and emoji, else 1.
// Terminals and tmux measure text one code point at a time (wcwidth), not
// by grapheme cluster, and so does every function of this package; Clean
// removes what would join code points into a cluster of another width.
func RuneWidth(r rune) int {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return 0
	case r < 0x300, r >= 0x0400 && r <= 0x0482:
		return 1
	case r >= 0x4e00 && r <= 0x9fff:
		return 2
	case r >= 0x20f1 && r <= 0x2bff: // symbols and box drawing: no marks, no format characters
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r >= 0x1160 && r <= 0x11ff, r >= 0xd7b0 && r <= 0xd7ff: // Hangul vowels and finals join the syllable
		return 0
	}
	var narrowAmbiguous runewidth.Condition // ambiguous characters are narrow, whatever the locale
	return narrowAmbiguous.RuneWidth(r)
}

// mayDisagree reports whether s holds a code point that could make a
// grapheme cluster's width differ from its width by code point (see
// mightJoin); most text, box drawing and CJK hold none.
func mayDisagree(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0xcc { // below U+0300: ASCII, Latin-1, Latin Extended
			continue
		}
		for _, r := range s[i:] {
			if r >= 0x300 && mightJoin(r) {
				return true
			}
		}
		return false
	}
	return false
}

// mightJoin reports the code points whose width as a grapheme cluster (by
// itself or with its neighbours) can differ from their width one by one:
// marks, format characters, Hangul jamo, spacing vowels that are Lo (Thai
// and Lao AM, Malayalam dot reph), skin tones, regional indicators, the few
// symbols the width tables disagree on, and anything unassigned or in the
// supplementary planes outside the emoji and CJK blocks. (Measured against
// charmbracelet/x/ansi v0.11.6 and go-runewidth v0.0.19 for every code
// point.)
func mightJoin(r rune) bool {
	switch {
	case r >= 0x0400 && r <= 0x0482, r >= 0x4e00 && r <= 0x9fff: // Cyrillic letters, CJK ideographs
		return false
	case r >= 0x20f1 && r <= 0x2bff: // arrows, box drawing, shapes, symbols: no marks, no format characters
		return (r >= 0x2630 && r <= 0x2637) || (r >= 0x268a && r <= 0x268f)
	case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me, unicode.Cf), !unicode.IsPrint(r):
		return true
	case r == 0x0e33, r == 0x0eb3, r == 0x0d4e:
		return true
	case r >= 0x1100 && r <= 0x11ff, r >= 0xa960 && r <= 0xa97f, r >= 0xd7b0 && r <= 0xd7ff:
		return true
	case r >= 0x2630 && r <= 0x2637, r >= 0x268a && r <= 0x268f, r >= 0x4dc0 && r <= 0x4dff:
		return true
	case r >= 0x1f1e6 && r <= 0x1f1ff, r >= 0x1f3fb && r <= 0x1f3ff:
		return true
	case r >= 0x10000:
		return !(r >= 0x1f300 && r <= 0x1faff) && r < 0x20000
	}
	return false
}

// Display returns s as this package draws and measures it. Terminals and
// tmux count cells one code point at a time; Bubble Tea and lipgloss count
// by grapheme cluster. Where the two disagree on a cluster (a spacing vowel
// sign of an Indic script, a lone regional indicator, a character newer
// than one of the width tables), the cluster is reduced to its base and
// nonspacing marks, or to U+FFFD, so that both count the same.
func Display(s string) string {
	if !mayDisagree(s) {
		return s
	}
	var b strings.Builder
	done := 0 // s[:done] is in b, once a cluster had to change
	for at := 0; at < len(s); {
		c, gw := ansi.FirstGraphemeCluster(s[at:], ansi.GraphemeWidth)
		if c == "" {
			break
		}
		at += len(c)
		if width(c) == gw {
			continue
		}
		b.WriteString(s[done : at-len(c)])
		done = at
		base := baseOf(c)
		if _, bw := ansi.FirstGraphemeCluster(base, ansi.GraphemeWidth); base != "" && bw == width(base) {
			b.WriteString(base)
			continue
		}
		b.WriteRune('\uFFFD')
	}
	if done == 0 {
		return s
	}
	return b.String() + s[done:]
}

// baseOf is the first code point of cluster c with the nonspacing marks
// right after it.
func baseOf(c string) string {
	for i, r := range c {
		if i > 0 && !unicode.In(r, unicode.Mn, unicode.Me) {
			return c[:i]
		}
	}
	return c
}

// Width returns the number of terminal cells s occupies, as drawn (see Display).
func Width(s string) int {
	return width(Display(s))
}

// width counts cells by code point.
func width(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			for _, r := range s[i:] {
				n += RuneWidth(r)
			}
			return n
		}
		if s[i] >= 0x20 && s[i] != 0x7f {
			n++
		}
	}
	return n
}

// Truncate cuts s to at most w cells, ending with "…" when anything was cut.
// It never splits a wide character, and a base keeps its combining marks,
// so the result is never wider than w.
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = Display(s)
	if width(s) <= w {
		return s
	}
	if w == 1 {
		return "…"
	}
	return cut(s, w-1) + "…"
}

// Cut returns the longest start of s, as Display draws it, that is at
// most w cells, without an ellipsis. It never splits a wide character, and
// a base keeps its combining marks.
func Cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return cut(Display(s), w)
}

// cut is Cut of s as drawn.
func cut(s string, w int) string {
	used, end := 0, 0
	for i, r := range s {
		rw := RuneWidth(r)
		if rw > 0 && used+rw > w {
			break
		}
		used += rw
		end = i + utf8.RuneLen(r)
	}
	return s[:end]
}

// Pad returns s truncated to w cells and padded with spaces to exactly w cells.
func Pad(s string, w int) string {
	s = Truncate(s, w)
	if n := width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// Fit cuts or pads styled text (this program's own output: text with CSI
// sequences such as SGR colours) to exactly w cells, drawn and measured as
// Display and Width do. Text past the cut is dropped but its sequences are
// kept, so every style still ends; a wide character that does not fit
// becomes spaces.
func Fit(s string, w int) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	used := 0
	full := false
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			j := skipEscape(s, i+1)
			b.WriteString(s[i:j])
			i = j
			continue
		}
		j := strings.IndexByte(s[i:], 0x1b)
		if j < 0 {
			j = len(s)
		} else {
			j += i
		}
		text := Display(s[i:j])
		i = j
		if full {
			continue
		}
		for k, r := range text {
			rw := RuneWidth(r)
			_, size := utf8.DecodeRuneInString(text[k:])
			switch {
			case rw == 0:
				if used > 0 {
					b.WriteString(text[k : k+size])
				}
			case used+rw <= w:
				b.WriteString(text[k : k+size])
				used += rw
			default:
				full = true
			}
			if full {
				break
			}
		}
	}
	if used < w {
		b.WriteString(strings.Repeat(" ", w-used))
	}
	return b.String()
}
