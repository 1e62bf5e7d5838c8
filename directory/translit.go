package directory

// The one folding scheme of search. Names, positions, e-mails and queries all
// pass through the same two steps, so a query meets a name whenever both fold
// to the same key.
//
// Step 1, fold (foldWords): Unicode NFD, combining marks removed (so ü → u,
// é → e, ё → е, й → и), lower case; Cyrillic becomes Latin by a simplified
// BGN/PCGN-like table:
//
//	а a  б b  в v  г g  д d  е e  ж zh  з z  и i  й y  к k  л l  м m  н n
//	о o  п p  р r  с s  т t  у u  ф f  х kh  ц ts  ч ch  ш sh  щ shch
//	ъ -  ы y  ь -  э e  ю yu  я ya  є ye  і i  ґ g  ђ dj  ј j  љ lj  њ nj  ћ c  џ dz
//
// and ß → ss, æ → ae, œ → oe, ø → o, ł → l, đ ð → d, þ → th, ı → i.
// Apostrophes are dropped (O'Brien → obrien); every other character that is
// neither a letter nor a digit separates words. Other scripts (CJK, Arabic…)
// stay as they are, lower-cased and without combining marks.
//
// Step 2, canonical spelling of each word (canonWord), so that the usual
// spellings of one name meet:
//
//	shch, sch → sh     Щукин = Shchukin = Schukin = Shukin
//	tch → ch           Tchaikovsky = Chaikovsky
//	tz → ts            Kuznetzov = Kuznetsov = Кузнецов
//	ph → f             Philipp = Filipp = Филипп
//	x → ks, w → v      Alexey = Aleksey; Wladimir = Vladimir
//	ae oe ue → a o u   Mueller = Müller = Muller
//	j, y → i; ii → i   Yuliya = Julia = Iuliia = Юлия; Dmitry = Dmitriy = Dmitrii
//	leading ie → e     Yevgeny = Evgeny = Евгений
//
// Every rule but ph, sch, tch and the leading ie keeps the first letter it
// rewrites, so a query typed letter by letter keeps matching as a prefix.
//
// One key per word cannot meet every usual spelling of a Cyrillic name (ё
// as e or yo, ь as nothing or y, х as kh or h): romanize.go indexes the
// other spellings of the usual schemes beside the key.

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// cyrillic maps the lower-case Cyrillic letters U+0430..U+045F to Latin.
// Letters with a combining mark in NFD (ё й ї ў ѓ ќ ѐ ѝ) never reach it.
var cyrillic = [...]string{
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", // а..п
	"r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", // р..я
	"e", "e", "dj", "g", "ye", "dz", "i", "yi", "j", "lj", "nj", "c", "k", "i", "u", "dz", // ѐ..џ
}

// latinSpecial folds the Latin letters that NFD does not decompose.
func latinSpecial(r rune) (string, bool) {
	switch r {
	case 'ß':
		return "ss", true
	case 'æ':
		return "ae", true
	case 'œ':
		return "oe", true
	case 'ø':
		return "o", true
	case 'ł':
		return "l", true
	case 'đ', 'ð':
		return "d", true
	case 'þ':
		return "th", true
	case 'ı':
		return "i", true
	case 'ґ':
		return "g", true
	}
	return "", false
}

// isApostrophe reports the characters dropped inside words.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '`', '´', 'ʻ', '‘':
		return true
	}
	return false
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// baseRunes yields the runes of s in canonical decomposition (NFD) without
// the combining marks, allocating nothing.
func baseRunes(s string) iter.Seq[rune] {
	return func(yield func(rune) bool) {
		for i := 0; i < len(s); {
			if c := s[i]; c < utf8.RuneSelf {
				if !yield(rune(c)) {
					return
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if d := norm.NFD.PropertiesString(s[i-size:]).Decomposition(); d != nil && r != utf8.RuneError {
				for j := 0; j < len(d); {
					dr, n := utf8.DecodeRune(d[j:])
					j += n
					if !unicode.Is(unicode.Mn, dr) && !yield(dr) {
						return
					}
				}
				continue
			}
			if !unicode.Is(unicode.Mn, r) && !yield(r) {
				return
			}
		}
	}
}

// foldWords appends the canonical words of s to dst, each followed by one
// space, and returns the extended buffer. scratch is reused between calls.
func foldWords(dst, scratch []byte, s string) ([]byte, []byte) {
	word := scratch[:0]
	flush := func() {
		if len(word) > 0 {
			dst = canonWord(dst, word)
			dst = append(dst, ' ')
			word = word[:0]
		}
	}
	for r := range baseRunes(s) {
		if r < utf8.RuneSelf {
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
				word = append(word, byte(r))
			case r >= 'A' && r <= 'Z':
				word = append(word, byte(r)+'a'-'A')
			case r == '\'' || r == '`':
			default:
				flush()
			}
			continue
		}
		if isApostrophe(r) {
			continue
		}
		r = unicode.ToLower(r)
		if r >= 0x430 && r <= 0x45f {
			word = append(word, cyrillic[r-0x430]...)
			continue
		}
		if t, ok := latinSpecial(r); ok {
			word = append(word, t...)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			word = utf8.AppendRune(word, r)
			continue
		}
		flush()
	}
	flush()
	return dst, word
}

// canonWord appends the canonical spelling of one folded word to dst.
func canonWord(dst, w []byte) []byte {
	start := len(dst)
	emit := func(c byte) {
		if c == 'i' && len(dst) > start && dst[len(dst)-1] == 'i' {
			return // ii → i
		}
		dst = append(dst, c)
	}
	for i := 0; i < len(w); {
		c := w[i]
		rest := w[i:]
		switch {
		case hasPrefix(rest, "shch"):
			dst = append(dst, 's', 'h')
			i += 4
		case hasPrefix(rest, "sch"):
			dst = append(dst, 's', 'h')
			i += 3
		case hasPrefix(rest, "tch"):
			dst = append(dst, 'c', 'h')
			i += 3
		case hasPrefix(rest, "tz"):
			dst = append(dst, 't', 's')
			i += 2
		case hasPrefix(rest, "ph"):
			dst = append(dst, 'f')
			i += 2
		case (c == 'a' || c == 'o' || c == 'u') && len(rest) > 1 && rest[1] == 'e':
			dst = append(dst, c)
			i += 2
		case c == 'x':
			dst = append(dst, 'k', 's')
			i++
		case c == 'w':
			dst = append(dst, 'v')
			i++
		case c == 'j' || c == 'y' || c == 'i':
			emit('i')
			i++
		default:
			dst = append(dst, c)
			i++
		}
	}
	if len(dst)-start >= 2 && dst[start] == 'i' && dst[start+1] == 'e' {
		dst = append(dst[:start], dst[start+1:]...)
	}
	return dst
}

// hasPrefix is bytes.HasPrefix with a string prefix, without allocating.
func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// sortKey is the collation-friendly key people are ordered by: lower case,
// without combining marks (so ё sorts as е and é as e), ß as ss. It keeps the
// script, so Cyrillic names sort in Cyrillic order after Latin ones.
func sortKey(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	b := make([]byte, 0, len(s))
	for r := range baseRunes(s) {
		if r == 'ß' {
			b = append(b, "ss"...)
			continue
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return string(b)
}

// digits returns the ASCII digits of s.
func digits(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	if n == len(s) {
		return s
	}
	b := make([]byte, 0, n)
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}
