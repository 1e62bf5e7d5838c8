package directory

// Several romanizations per Cyrillic name.
//
// The one folding of translit.go makes a single Latin key per word, and no
// single key meets every usual spelling of a Russian or Ukrainian name: ё
// is e in a passport and yo in a newspaper, ь is nothing or i or y, х is kh
// or h or x. So the index also holds, for every Cyrillic word of a name, the
// other spellings the usual schemes give it (variants), each folded by
// canonWord like any word. A query meets a name when it folds to the one
// key or begins one of the variants.
//
// The schemes, letter by letter where they differ from the key of
// translit.go (after canonWord, j and y are i, so yo, jo and io are one
// spelling, and so are yu, ju, iu and ya, ja, ia):
//
//	letter  key   also indexed       from
//	ё       e     yo (jo, io)        GOST 7.79 B, BGN/PCGN, English; e is the passport's (ICAO 9303)
//	е       e     yo after a consonant (ё written without its dots: Федоров = Fyodorov)
//	              ye after a vowel   BGN/PCGN, English (Андреев = Andreyev)
//	ь       -     y, i before a vowel  BGN/PCGN y', English (Соловьёва = Solovyova, Solovieva)
//	ъ       -     ie                 ICAO 9303
//	х       kh    h, x               English, Ukrainian h-habit; GOST 7.79 B x
//	ц       ts    c, cz              GOST 7.79 B
//	ч       ch    tsch               German (tch meets through canonWord)
//	щ       shch  shh                GOST 7.79 B (sch and sh meet through canonWord)
//	г       g     h                  Ukrainian national scheme (Ольга = Olha, Олег = Oleh); gh after з
//
// The letters where every scheme already meets in canonWord need nothing
// more: й (y, j, i, and ий, ый as iy, y, ii, yi), ы (y), ю (yu, iu, ju),
// я (ya, ia, ja), кс and x, the Ukrainian и (y), і (i), ї (yi, i), є (ye,
// ie), ґ (g) and the apostrophe (dropped). The examples a test checks, with
// the scheme each spelling comes from, are in romanize_test.go.
//
// Variants are words of the name only, marked in the index's dictionary
// with a leading '~', and they match only from their first letter (as a
// whole word or a prefix), never inside a word: the extra spellings make
// no short query match more people than a prefix of a real spelling would.
// A word has at most maxVariants of them. Latin names are indexed as
// typed: "Solovieva" typed in Latin in the portal is found by solovieva
// and its canonWord spellings only.

import (
	"unicode"
)

// variantMark begins every variant word of the index's dictionary.
const variantMark = '~'

// maxVariants is the most spellings a word is given besides its key, and
// maxCombos the most combinations of letter spellings tried for it.
const (
	maxVariants = 12
	maxCombos   = 64
)

// romanizer computes the variants of the Cyrillic words of names, once per
// distinct word (an index build makes one and drops it).
type romanizer struct {
	memo  map[string]string // a lower-case word -> its variants, each "~v "
	runes []rune
	alts  [][]string
	combo []byte
	out   []byte
	key   []byte
}

// isCyrillic reports whether r is one of the Cyrillic letters U+0400..U+045F or ґ.
func isCyrillic(r rune) bool { return r >= 0x400 && r <= 0x45f || r == 'ґ' || r == 'Ґ' }

// isVowel reports whether r is a Cyrillic vowel (of Russian or Ukrainian).
func isVowel(r rune) bool {
	switch r {
	case 'а', 'е', 'ё', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'і', 'ї', 'є':
		return true
	}
	return false
}

// isConsonant reports whether r is a Cyrillic consonant.
func isConsonant(r rune) bool {
	return isCyrillic(r) && !isVowel(r) && r != 'ь' && r != 'ъ' && r != 'й'
}

// letterSpellings are the Latin spellings of the lower-case Cyrillic letter
// r of word w at i, the key's first (see the table above).
func letterSpellings(w []rune, i int) []string {
	r := w[i]
	var prev, next rune
	if i > 0 {
		prev = w[i-1]
	}
	if i+1 < len(w) {
		next = w[i+1]
	}
	switch r {
	case 'ё':
		return []string{"e", "yo"}
	case 'е':
		switch {
		case isConsonant(prev):
			return []string{"e", "yo"}
		case isVowel(prev):
			return []string{"e", "ye"}
		}
		return []string{"e"}
	case 'ь':
		if isVowel(next) {
			return []string{"", "y"}
		}
		return []string{""}
	case 'ъ':
		return []string{"", "ie"}
	case 'х':
		return []string{"kh", "h", "x"}
	case 'ц':
		return []string{"ts", "c", "cz"}
	case 'ч':
		return []string{"ch", "tsch"}
	case 'щ':
		return []string{"shch", "shh"}
	case 'г':
		if prev == 'з' {
			return []string{"g", "h", "gh"}
		}
		return []string{"g", "h"}
	case 'й':
		return []string{"y"}
	case 'ї':
		return []string{"yi"}
	case 'ґ':
		return []string{"g"}
	}
	if r >= 0x430 && r <= 0x45f {
		return []string{cyrillic[r-0x430]}
	}
	return nil
}

// appendVariants appends to dst the variants of the Cyrillic words of s,
// each as "~variant ", skipping the spellings equal to a word's key.
func (ro *romanizer) appendVariants(dst []byte, s string) []byte {
	start := -1
	flush := func(end int) {
		if start >= 0 {
			dst = append(dst, ro.wordVariants(s[start:end])...)
			start = -1
		}
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || isApostrophe(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return dst
}

// wordVariants returns the variants of one word ("" when it is not
// Cyrillic or has none), from the memo when it was seen before.
func (ro *romanizer) wordVariants(word string) string {
	if v, ok := ro.memo[word]; ok {
		return v
	}
	v := ro.compute(word)
	if ro.memo == nil {
		ro.memo = make(map[string]string)
	}
	ro.memo[word] = v
	return v
}

// compute is wordVariants without the memo.
func (ro *romanizer) compute(word string) string {
	// Lower case, combining marks folded into ё й ї or dropped, apostrophes dropped.
	ro.runes = ro.runes[:0]
	for _, r := range word {
		if isApostrophe(r) {
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			if n := len(ro.runes); n > 0 {
				switch {
				case r == 0x308 && ro.runes[n-1] == 'е':
					ro.runes[n-1] = 'ё'
				case r == 0x308 && ro.runes[n-1] == 'і':
					ro.runes[n-1] = 'ї'
				case r == 0x306 && ro.runes[n-1] == 'и':
					ro.runes[n-1] = 'й'
				}
			}
			continue
		}
		r = unicode.ToLower(r)
		if !isCyrillic(r) || (r < 0x430 && r != 'ґ') {
			return "" // not (only) Cyrillic
		}
		ro.runes = append(ro.runes, r)
	}
	if len(ro.runes) == 0 {
		return ""
	}
	ro.alts = ro.alts[:0]
	combos := 1
	for i := range ro.runes {
		a := letterSpellings(ro.runes, i)
		ro.alts = append(ro.alts, a)
		combos = min(combos*len(a), maxCombos+1)
	}
	if combos == 1 {
		return ""
	}
	ro.key = canonWord(ro.key[:0], appendCombo(ro.combo[:0], ro.alts, 0))
	ro.out = ro.out[:0]
	for c, n := 1, 0; c < min(combos, maxCombos) && n < maxVariants; c++ {
		ro.combo = appendCombo(ro.combo[:0], ro.alts, c)
		start := len(ro.out)
		ro.out = append(ro.out, variantMark)
		ro.out = canonWord(ro.out, ro.combo)
		v := ro.out[start+1:]
		if string(v) == string(ro.key) || hasVariant(ro.out[:start], v) {
			ro.out = ro.out[:start]
			continue
		}
		ro.out = append(ro.out, ' ')
		n++
	}
	return string(ro.out)
}

// appendCombo appends combination c of the letters' spellings alts: c in
// mixed radix, the last letter varying fastest; 0 is every letter's first
// spelling (the key).
func appendCombo(dst []byte, alts [][]string, c int) []byte {
	start := len(dst)
	for i := len(alts) - 1; i >= 0; i-- {
		a := alts[i]
		pick := c % len(a)
		c /= len(a)
		// Built backwards, reversed below: spellings are prepended.
		for j := len(a[pick]) - 1; j >= 0; j-- {
			dst = append(dst, a[pick][j])
		}
	}
	for i, j := start, len(dst)-1; i < j; i, j = i+1, j-1 {
		dst[i], dst[j] = dst[j], dst[i]
	}
	return dst
}

// hasVariant reports whether the variants "~v ~w " of vs hold v.
func hasVariant(vs, v []byte) bool {
	for len(vs) > 0 {
		w, rest := nextWord(vs)
		if len(w) > 0 && string(w[1:]) == string(v) {
			return true
		}
		vs = rest
	}
	return false
}
