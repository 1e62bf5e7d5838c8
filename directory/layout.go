package directory

// Keyboard-layout slips: "bdfyjd" is иванов typed with the Latin layout on,
// "ьгддук" muller typed with the Russian one. A query that finds fewer than
// layoutBelow people as typed is also looked for as retyped on the other
// layout of the same keys (ЙЦУКЕН and QWERTY); what that finds comes after
// the direct matches, each Match saying the retyped query in Layout.

import (
	"strings"
	"unicode"
)

// layoutBelow: a query that finds fewer people than this as typed is also
// tried through the other keyboard layout.
const layoutBelow = 3

// layoutMinLetters is the fewest letters (or keys of a letter on the other
// layout, such as ; for ж) a query needs to be retyped: a letter or two on
// the other layout would match nearly everyone.
const layoutMinLetters = 3

// The keys of the Latin (QWERTY) and Russian (ЙЦУКЕН) layouts, in the same
// order, unshifted then shifted.
const (
	qwertyKeys = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`" + `QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~`
	jcukenKeys = "йцукенгшщзхъфывапролджэячсмитьбюё" + "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ"
)

// retype maps the runes of s found in from to the rune at the same place of
// to, keeping the others.
func retype(s string, from, to []rune) string {
	return strings.Map(func(r rune) rune {
		for i, f := range from {
			if f == r {
				return to[i]
			}
		}
		return r
	}, s)
}

// layoutQueries returns query retyped on the other layout: with the Latin
// keys read as Russian ones and with the Russian ones read as Latin ones
// (both for a word typed partly on each), leaving out what equals query.
// A query of fewer than layoutMinLetters letters has none.
func layoutQueries(query string) []string {
	letters := 0
	for _, r := range query {
		if unicode.IsLetter(r) || strings.ContainsRune(qwertyKeys, r) {
			letters++
		}
	}
	if letters < layoutMinLetters {
		return nil
	}
	lat, cyr := []rune(qwertyKeys), []rune(jcukenKeys)
	var out []string
	for _, q := range [...]string{retype(query, lat, cyr), retype(query, cyr, lat)} {
		if q != query && !strings.EqualFold(q, query) {
			out = append(out, q)
		}
	}
	return out
}
