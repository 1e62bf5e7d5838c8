package directory

import (
	"bytes"
	"cmp"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/b24org/b24org/lang"
	"golang.org/x/text/collate"
)

// People are listed by last name, then first name, as the reader's
// language orders names (golang.org/x/text/collate, CLDR's rules): ё sorts
// with е, the Ukrainian і, ї, є, ґ beside и, е, г, and accents are a
// secondary difference (Émile right after Emile). In Russian, Cyrillic
// names come before Latin ones (lang.FirstScript), in English after. The
// lists of an Org are sorted once per language asked and kept with the
// snapshot, so sessions in one language share them.

// listKey names a kept list: the language it is ordered in and the department.
type listKey struct {
	lang string
	id   int
}

// collator is the Org's collator for l, made on first use; the caller
// holds peopleMu (a Collator is not safe for concurrent use).
func (o *Org) collator(l *lang.Language) *collate.Collator {
	c, ok := o.collators[l.Code()]
	if !ok {
		c = l.Collator()
		o.collators[l.Code()] = c
	}
	return c
}

// sortPeople orders ps: the head first, then by last name, first name and
// ID in the collator's order, the names that begin in the script first
// before the others (x/text applies no script reordering itself).
func sortPeople(ps []*Person, head int, c *collate.Collator, first *unicode.RangeTable) {
	type keyed struct {
		p           *Person
		other       bool // the last name does not begin in the first script
		last, first []byte
	}
	// Names repeat (first names most), and a key costs far more than a
	// map lookup: each distinct name is keyed once.
	var buf collate.Buffer
	keys := make(map[string][]byte)
	key := func(s string) []byte {
		k, ok := keys[s]
		if !ok {
			k = c.KeyFromString(&buf, s)
			keys[s] = k
		}
		return k
	}
	ks := make([]keyed, len(ps))
	for i, p := range ps {
		last := p.LastName
		if last == "" {
			last = p.Name
		}
		r, _ := utf8.DecodeRuneInString(last)
		other := first != nil && !unicode.Is(first, r)
		ks[i] = keyed{p, other, key(last), key(p.FirstName)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if (a.p.ID == head) != (b.p.ID == head) {
			if a.p.ID == head {
				return -1
			}
			return 1
		}
		return cmp.Or(compareBool(a.other, b.other), bytes.Compare(a.last, b.last), bytes.Compare(a.first, b.first), cmp.Compare(a.p.ID, b.p.ID))
	})
	for i := range ks {
		ps[i] = ks[i].p
	}
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
