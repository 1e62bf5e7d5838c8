package directory

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// Reverse lookup of phone numbers. The work phone and the mobile of
// everyone are parsed once, when the search index is built, and kept in
// E.164 form (without the +) apart from their digits; a query that reads as a
// phone number is parsed the same way and matches the people whose number
// is the same, however either was written: "+7 (495) 123-45-67",
// "8-495-123-45-67", "0049 30 1234567". Numbers written without a country
// are read in the index's region: the configured one (Options.Region), else
// the one most of the portal's international numbers belong to.

// minPhoneDigits is how many digits a query needs to be read as a phone
// number; shorter digit queries are extensions (and phone digits) as before.
const minPhoneDigits = 6

// ValidRegion returns the region code s names (two letters, any case) in
// upper case, and whether phone numbers know it.
func ValidRegion(s string) (string, bool) {
	r := strings.ToUpper(strings.TrimSpace(s))
	return r, r != "" && phonenumbers.GetCountryCodeForRegion(r) != 0
}

// phoneQuery returns the E.164 digits of query when it reads as a phone
// number in region: at least minPhoneDigits digits, and besides them only
// + ( ) - . / and spaces; "" otherwise.
func phoneQuery(query, region string) string {
	if !plainNumber(query) || len(digits(query)) < minPhoneDigits {
		return ""
	}
	return e164(query, region)
}

// plainNumber reports whether s holds only digits, + ( ) - . / and spaces.
func plainNumber(s string) bool {
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '+' || r == '(' || r == ')' || r == '-' || r == '.' || r == '/' || unicode.IsSpace(r):
		default:
			return false
		}
	}
	return true
}

// e164 returns the E.164 digits (without the +) of the phone number s read
// in region ("" for international numbers only), or "" when s is not one.
// A plain international number is its digits (the parser is the most of an
// index build's cost, and says the same of them).
func e164(s, region string) string {
	d := digits(s)
	if len(d) < minPhoneDigits {
		return ""
	}
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "00") {
		// 00 dials abroad almost everywhere, though not from every region
		// (Russia's own prefix is 810): read it as +.
		t, d = "+"+t[2:], d[2:]
	}
	if strings.HasPrefix(t, "+") && plainNumber(t) && !strings.Contains(t, "(0)") &&
		len(d) >= 8 && len(d) <= 15 && countryCode(d) != 0 {
		return d
	}
	num, err := phonenumbers.Parse(t, cmp.Or(region, "ZZ"))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(phonenumbers.Format(num, phonenumbers.E164), "+")
}

// countryCode is the country calling code the E.164 digits d begin with, 0
// when none.
func countryCode(d string) int {
	for n := 1; n <= 3 && n < len(d); n++ {
		cc := 0
		for _, c := range d[:n] {
			cc = cc*10 + int(c-'0')
		}
		if r := phonenumbers.GetRegionCodeForCountryCode(cc); r != "" && r != "ZZ" {
			return cc
		}
	}
	return 0
}

// phoneKeys are the E.164 digits of everyone's work phone and mobile, in
// the order of people, and the region they were read in: region when it is
// set, else the one guessed from the international numbers (the country
// code most of them have).
func phoneKeys(people []*Person, region string) (keys [][2]string, used string) {
	keys = make([][2]string, len(people))
	counts := map[int]int{}
	for i, p := range people {
		for j, s := range [2]string{p.WorkPhone, p.Mobile} {
			t := strings.TrimSpace(s)
			if !strings.HasPrefix(t, "+") && !strings.HasPrefix(t, "00") {
				continue
			}
			if k := e164(t, ""); k != "" {
				keys[i][j] = k
				counts[countryCode(k)]++
			}
		}
	}
	used = region
	if used == "" {
		best := 0
		for cc, n := range counts {
			if cc != 0 && (n > counts[best] || n == counts[best] && cc < best) {
				best = cc
			}
		}
		if best != 0 {
			used = phonenumbers.GetRegionCodeForCountryCode(best)
		}
	}
	if used == "" || used == "ZZ" {
		return keys, ""
	}
	for i, p := range people {
		for j, s := range [2]string{p.WorkPhone, p.Mobile} {
			if keys[i][j] == "" && s != "" {
				keys[i][j] = e164(s, used)
			}
		}
	}
	return keys, used
}

// The exact match of a whole number (matchPhone) does not scan: the index
// keeps everyone's E.164 numbers in order of a hash of their digits
// (index.phoneOrder), and a query finds its own by binary search, checking
// each candidate's number in its digits record (hashes may collide). The
// hash is FNV-1a, the same in every process, as the order travels in the
// cache file.

// phoneRef names one E.164 number of the index: entry<<1, | 1 for the mobile.
type phoneRef = uint32

// phoneHash is the 64-bit FNV-1a hash of the E.164 digits s.
func phoneHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// phoneOrder returns the refs of every E.164 number of keys (by entry: work
// phone, mobile), ordered by the hash of the number, then by ref.
func phoneOrder(keys [][2]string) []phoneRef {
	type hashed struct {
		h   uint64
		ref phoneRef
	}
	hs := make([]hashed, 0, 2*len(keys))
	for e, k := range keys {
		for j, num := range k {
			if num != "" {
				hs = append(hs, hashed{phoneHash(num), phoneRef(e)<<1 | phoneRef(j)})
			}
		}
	}
	slices.SortFunc(hs, func(a, b hashed) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.ref, b.ref)) })
	refs := make([]phoneRef, len(hs))
	for i, x := range hs {
		refs[i] = x.ref
	}
	return refs
}
