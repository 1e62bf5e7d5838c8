// Package safetext makes strings from outside (the portal, config files, SSH
// clients) safe to print on a terminal and measures them in terminal cells.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// MaxLen is the longest string, in bytes, that Clean keeps; longer input is cut
// at a rune boundary. Portal fields are short; anything longer is hostile.
const MaxLen = 1024

// Clean returns s with every escape sequence, control character and bidi
// control removed, invalid UTF-8 replaced, runs of white space folded to one
// space, and the result trimmed and limited to MaxLen bytes. The output can be
// written to a terminal without changing its state.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
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
		case unicode.IsControl(r), isBidiControl(r), r == '\u00ad', unicode.Is(unicode.Co, r):
			continue
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

// isBidiControl reports the explicit directional formatting characters, which
// could reorder the rest of a terminal row.
func isBidiControl(r rune) bool {
	switch {
	case r == '\u061c', r == '\u200e', r == '\u200f':
		return true
	case r >= '\u202a' && r <= '\u202e':
		return true
	case r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// Width returns the number of terminal cells s occupies.
func Width(s string) int {
	return runewidth.StringWidth(s)
}

// Truncate cuts s to at most w cells, ending with "…" when anything was cut.
// It never splits a wide character, so the result is never wider than w.
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if runewidth.StringWidth(s) <= w {
		return s
	}
	if w == 1 {
		return "…"
	}
	return runewidth.Truncate(s, w, "…")
}

// Pad returns s truncated to w cells and padded with spaces to exactly w cells.
func Pad(s string, w int) string {
	s = Truncate(s, w)
	if n := runewidth.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
