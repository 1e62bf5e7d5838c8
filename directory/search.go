package directory

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Scores of a Match: why a person matched, best first. A query of several
// words scores as its weakest word.
const (
	ScorePhoneNumber     = 700 // the query is the person's work phone or mobile, as a number (phones.go)
	ScoreExtension       = 600 // the query is the person's extension
	ScoreExtensionPrefix = 500 // the query begins the extension
	ScoreNameWord        = 400 // every query word is a whole word of the name
	ScoreNamePrefix      = 300 // every query word begins a word of the name
	ScorePhone           = 200 // the query's digits are in a phone number or inside the extension
	ScoreOther           = 100 // inside a name word, or in the position or the e-mail
)

// levels is the number of score levels (Score/100), 0 meaning no match.
const levels = ScorePhoneNumber/100 + 1

// index is an Org's search index. Everyone is numbered in name order (an
// entry); a search fills one level per entry and reads the entries back in
// order, so ties come out sorted by name without sorting.
//
// Words (names, positions, e-mails, folded by translit.go, and the other
// spellings of Cyrillic names, romanize.go) live in a dictionary: every
// distinct word once in one string, each with a posting list of the entries
// that hold it, so a query word is looked for in the distinct words only. Extension and phone digits live in one string, one
// record per entry, scanned by query words made of digits; the phone
// numbers in E.164 form in another, looked up by hash (phones.go).
type index struct {
	n      int       // entries: one per person
	people []*Person // by entry: name order

	words     string   // distinct words, each followed by a space
	wordStart []uint32 // where each word starts in words; one more at the end
	postStart []uint32 // word w's postings: post[postStart[w]:postStart[w+1]]
	post      []uint32 // entry<<1, | 1 when the word is in the name

	// digits holds per entry: extension, ' ', work phone, ' ', mobile
	// (their digits), '\n'.
	digits   string
	digitEnd []uint32 // where each entry's record ends (past '\n')
	// phones holds per entry: work phone, ' ', mobile (E.164, phones.go), '\n'.
	phones   string
	phoneEnd []uint32 // where each entry's record ends (past '\n')
	// phoneOrder names every number of phones in the order of their
	// hashes, for matchPhone (phones.go).
	phoneOrder []phoneRef
	region     string // the region numbers without a country were read in (phones.go)

	entryOf []int32   // the entry of each person of the Org (by ascending ID)
	scratch sync.Pool // *[]uint8 of len(people): per-entry levels
}

// index returns o's search index, building it on first use.
func (o *Org) index() *index {
	o.idxOnce.Do(func() {
		if o.idx.Load() == nil {
			o.idx.Store(buildIndex(o.people, o.region))
		}
	})
	return o.idx.Load()
}

// idxIfBuilt is o's search index when it has one (nil for a nil o).
func (o *Org) idxIfBuilt() *index {
	if o == nil {
		return nil
	}
	return o.idx.Load()
}

// reuseIndex gives next (a snapshot nobody reads yet, holding the same
// people as o by ID, with the same searchable fields) o's index, if o has
// built one: only the person pointers change.
func (o *Org) reuseIndex(next *Org) {
	old := o.idx.Load()
	if old == nil || len(next.people) != len(old.people) {
		return
	}
	idx := &index{
		n: old.n, people: make([]*Person, len(old.people)),
		words: old.words, wordStart: old.wordStart, postStart: old.postStart, post: old.post,
		digits: old.digits, digitEnd: old.digitEnd, phones: old.phones, phoneEnd: old.phoneEnd, phoneOrder: old.phoneOrder, region: old.region, entryOf: old.entryOf,
	}
	for i, p := range next.people {
		idx.people[old.entryOf[i]] = p
	}
	idx.initScratch()
	next.idx.Store(idx)
}

// sameSearchFields reports whether a and b look the same to the index.
func sameSearchFields(a, b *Person) bool {
	return a.ID == b.ID && a.Name == b.Name && a.FirstName == b.FirstName && a.LastName == b.LastName &&
		a.Position == b.Position && a.Email == b.Email && a.Extension == b.Extension &&
		a.WorkPhone == b.WorkPhone && a.Mobile == b.Mobile
}

// initScratch sets up the pool of per-entry level arrays.
func (idx *index) initScratch() {
	n := idx.n
	idx.scratch.New = func() any {
		s := make([]uint8, n)
		return &s
	}
}

// buildIndex folds everyone's words into a new index, their phone numbers
// read in region (guessed from them when "", see phoneKeys).
func buildIndex(people []*Person, region string) *index {
	type keyed struct {
		p           *Person
		last, first string
		pos         int32 // in people
	}
	ks := make([]keyed, len(people))
	for i, p := range people {
		last := p.LastName
		if last == "" {
			last = p.Name
		}
		ks[i] = keyed{p, sortKey(last), sortKey(p.FirstName), int32(i)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(strings.Compare(a.last, b.last), strings.Compare(a.first, b.first), cmp.Compare(a.p.ID, b.p.ID))
	})

	n := len(people)
	idx := &index{n: n, people: make([]*Person, n), digitEnd: make([]uint32, n), phoneEnd: make([]uint32, n), entryOf: make([]int32, n)}
	keys, region := phoneKeys(people, region)
	idx.region = region
	entryKeys := make([][2]string, n) // keys by entry
	ids := make(map[string]uint32, n) // word -> word number
	var (
		words    = make([]byte, 0, 8*n)
		digitBuf = make([]byte, 0, 24*n)
		phoneBuf = make([]byte, 0, 24*n)
		postings = make([][2]uint32, 0, 8*n) // word number, posting
		lastPost = make([]uint32, 0, n)      // per word: its last posting + 1

		folded, scratch []byte
		ro              romanizer
	)
	add := func(e int, name bool) {
		for rest := folded; len(rest) > 0; {
			var w []byte
			w, rest = nextWord(rest)
			if len(w) == 0 {
				continue
			}
			id, ok := ids[string(w)]
			if !ok {
				id = uint32(len(idx.wordStart))
				ids[string(w)] = id
				idx.wordStart = append(idx.wordStart, uint32(len(words)))
				words = append(words, w...)
				words = append(words, ' ')
				lastPost = append(lastPost, 0)
			}
			p := uint32(e) << 1
			if name {
				p |= 1
			}
			if lastPost[id] == p+1 {
				continue // the same word twice in one field
			}
			lastPost[id] = p + 1
			postings = append(postings, [2]uint32{id, p})
		}
	}
	for e, k := range ks {
		p := k.p
		idx.people[e] = p
		idx.entryOf[k.pos] = int32(e)
		folded = folded[:0]
		for _, s := range [...]string{p.Name, p.FirstName, p.LastName} {
			folded, scratch = foldWords(folded, scratch, s)
			folded = ro.appendVariants(folded, s)
		}
		add(e, true)
		folded = folded[:0]
		for _, s := range [...]string{p.Position, p.Email} {
			folded, scratch = foldWords(folded, scratch, s)
		}
		add(e, false)
		digitBuf = append(digitBuf, digits(p.Extension)...)
		digitBuf = append(digitBuf, ' ')
		digitBuf = append(digitBuf, digits(p.WorkPhone)...)
		digitBuf = append(digitBuf, ' ')
		digitBuf = append(digitBuf, digits(p.Mobile)...)
		digitBuf = append(digitBuf, '\n')
		idx.digitEnd[e] = uint32(len(digitBuf))
		entryKeys[e] = keys[k.pos]
		phoneBuf = append(phoneBuf, keys[k.pos][0]...)
		phoneBuf = append(phoneBuf, ' ')
		phoneBuf = append(phoneBuf, keys[k.pos][1]...)
		phoneBuf = append(phoneBuf, '\n')
		idx.phoneEnd[e] = uint32(len(phoneBuf))
	}
	idx.wordStart = append(idx.wordStart, uint32(len(words)))
	idx.words = string(words)
	idx.digits = string(digitBuf)
	idx.phones = string(phoneBuf)
	idx.phoneOrder = phoneOrder(entryKeys)

	// Postings grouped by word (a counting sort keeps entry order inside a
	// word), repeats dropped.
	idx.postStart = make([]uint32, len(idx.wordStart))
	for _, wp := range postings {
		idx.postStart[wp[0]+1]++
	}
	for w := 1; w < len(idx.postStart); w++ {
		idx.postStart[w] += idx.postStart[w-1]
	}
	idx.post = make([]uint32, len(postings))
	fill := slices.Clone(idx.postStart)
	for _, wp := range postings {
		idx.post[fill[wp[0]]] = wp[1]
		fill[wp[0]]++
	}
	idx.initScratch()
	return idx
}

// nextWord splits the first space-separated word off b.
func nextWord(b []byte) (word, rest []byte) {
	for i, c := range b {
		if c == ' ' {
			return b[:i], b[i+1:]
		}
	}
	return b, nil
}

// token is one word of a query.
type token struct {
	s      string
	digits bool // only digits: looked for in extensions and phones
	// phone is the E.164 digits of a query that reads as a phone number
	// (phones.go): people with that number match first.
	phone string
}

// queryTokens folds a query into its words. A query without letters is a
// phone number or an extension: its digits make one token, whatever
// punctuation separates them ("+1 555-0100"), and one that reads as a phone
// number in region also carries that number in E.164 form.
func queryTokens(query, region string) []token {
	if !strings.ContainsFunc(query, unicode.IsLetter) {
		if d := digits(query); d != "" {
			return []token{{s: d, digits: true, phone: phoneQuery(query, region)}}
		}
	}
	folded, _ := foldWords(nil, nil, query)
	var toks []token
	for _, w := range strings.Fields(string(folded)) {
		toks = append(toks, token{s: w, digits: digits(w) == w})
	}
	return toks
}

// Search finds people by name words (any order, case-, diacritics- and
// script-blind: see translit.go), position and e-mail words, and by
// extension and phone digits (a query word of digits looks there only),
// best first (see the Score constants), ties by last name, first name and
// ID. Every query word must match. A query that finds fewer than
// layoutBelow people is also tried as retyped on the other keyboard layout
// (layout.go): those matches come after, with Layout set. The query may
// hold filters (online, dept:sales…: ParseQuery); a query of filters alone
// lists everyone they keep, in name order, at ScoreOther. limit <= 0 means
// no limit.
//
// The first search of a snapshot builds its index (see
// BenchmarkSearchIndexBuild100k) unless the snapshot came from the cache or
// only refreshed known people; searches scan distinct words and digits only.
func (o *Org) Search(query string, limit int) []Match {
	if len(o.people) == 0 {
		return nil
	}
	out, _ := o.SearchCount(query, limit)
	return out
}

// SearchCount is Search that also says how many people match in all,
// however many limit lets through.
func (o *Org) SearchCount(query string, limit int) ([]Match, int) {
	q := ParseQuery(query)
	return o.SearchQuery(&q, limit)
}

// SearchQuery is SearchCount of a parsed query.
func (o *Org) SearchQuery(q *Query, limit int) ([]Match, int) {
	if len(o.people) == 0 {
		return nil, 0
	}
	idx := o.index()
	hits, total, layout := idx.search(q.Text, limit, o.newFilter(idx, q))
	if len(hits) == 0 {
		return nil, total
	}
	out := make([]Match, len(hits))
	for i, h := range hits {
		out[i] = Match{Person: idx.people[h.entry], Score: h.score}
		if h.layout {
			out[i].Layout = layout
		}
	}
	return out, total
}

// hit is one result of an index search: an entry and its score, and
// whether it matched the query retyped on the other keyboard layout.
type hit struct {
	entry  int32
	score  int
	layout bool
}

// search finds the entries matching query, best first, at most limit of
// them (limit <= 0: all), and how many match in all. Extensions that begin
// with the query come in numeric order. When fewer than layoutBelow match,
// the query retyped on the other keyboard layout (layout.go) is looked for
// too: the entries it alone finds come after, best first, and layout is
// the retyped query. It reads only the index's words and digits, never its
// people, so that a search of the cache file can decode just the people it
// finds, unless a filter f (nil: none) keeps only some of the entries.
// Without words, every entry f keeps matches, at ScoreOther.
func (idx *index) search(query string, limit int, f *filter) (hits []hit, total int, layout string) {
	toks := queryTokens(query, idx.region)
	if (len(toks) == 0 && f == nil) || idx.n == 0 {
		return nil, 0, ""
	}
	accP := idx.scratch.Get().(*[]uint8)
	defer idx.scratch.Put(accP)
	acc := *accP
	if len(toks) == 0 {
		for e := range acc {
			acc[e] = ScoreOther / 100
		}
		total = f.apply(acc)
	} else if total = idx.levels(toks, acc); f != nil {
		total = f.apply(acc)
	}
	var lay []uint8
	if total < layoutBelow && len(toks) > 0 {
		best := 0
		for _, q := range layoutQueries(query) {
			lt := queryTokens(q, idx.region)
			if len(lt) == 0 {
				continue
			}
			lvP := idx.scratch.Get().(*[]uint8)
			defer idx.scratch.Put(lvP)
			lv := *lvP
			idx.levels(lt, lv)
			if f != nil {
				f.apply(lv)
			}
			n := 0
			for e, l := range lv {
				if l > 0 && acc[e] > 0 {
					lv[e] = 0 // found as typed
				} else if l > 0 {
					n++
				}
			}
			if n > best {
				best, lay, layout = n, lv, q
			}
		}
		total += best
	}
	hits = idx.collect(acc, limit, nil, false)
	if lay != nil && (limit <= 0 || len(hits) < limit) {
		hits = idx.collect(lay, limit, hits, true)
	}
	return hits, total, layout
}

// levels fills lv (one per entry) with the level at which every one of toks
// matches each entry (0: not all match), and returns how many match.
func (idx *index) levels(toks []token, lv []uint8) int {
	clear(lv)
	var tmpP *[]uint8
	for i, t := range toks {
		cur := lv
		if i > 0 {
			if tmpP == nil {
				tmpP = idx.scratch.Get().(*[]uint8)
				defer idx.scratch.Put(tmpP)
			}
			cur = *tmpP
			clear(cur)
		}
		if t.digits {
			idx.matchDigits(t.s, cur)
			if t.phone != "" {
				idx.matchPhone(t.phone, cur)
			}
		} else {
			idx.matchWords(t.s, cur)
		}
		if i > 0 {
			for e, l := range cur {
				lv[e] = min(lv[e], l)
			}
		}
	}
	n := 0
	for _, l := range lv {
		if l > 0 {
			n++
		}
	}
	return n
}

// collect appends to out the entries of lv with a level, best first (ties
// in entry order, extensions that begin with the query in numeric order),
// until out holds limit (<= 0: no limit), marked layout.
//
// Only the entries that can make it are gathered: with a limit, a count
// of each level finds the lowest level needed (the floor) and how many of
// it (room), so that "online" over 100,000 people gathers 200, not 30,000.
func (idx *index) collect(lv []uint8, limit int, out []hit, layout bool) []hit {
	floor, room := uint8(1), -1 // room < 0: all of the floor level
	if limit > 0 {
		need := limit - len(out)
		if need <= 0 {
			return out
		}
		var counts [levels]int
		for _, l := range lv {
			counts[l]++
		}
		for l := levels - 1; l > 0; l-- {
			if counts[l] >= need {
				floor, room = uint8(l), need
				break
			}
			need -= counts[l]
		}
		if floor == ScoreExtensionPrefix/100 {
			room = -1 // sorted below before it is cut
		}
	}
	var buckets [levels][]int32
	for e, l := range lv {
		if l < floor || (l == floor && room >= 0 && len(buckets[l]) == room) {
			continue
		}
		buckets[l] = append(buckets[l], int32(e))
	}
	if b := buckets[ScoreExtensionPrefix/100]; len(b) > 1 {
		// Numeric order: shorter extensions first, then digit by digit;
		// the sort is stable, so equal extensions stay in name order.
		slices.SortStableFunc(b, func(a, c int32) int {
			x, y := idx.extension(a), idx.extension(c)
			return cmp.Or(cmp.Compare(len(x), len(y)), strings.Compare(x, y))
		})
	}
	for l := levels - 1; l > 0; l-- {
		for _, e := range buckets[l] {
			if limit > 0 && len(out) == limit {
				return out
			}
			out = append(out, hit{entry: e, score: l * 100, layout: layout})
		}
	}
	return out
}

// extension returns the extension digits of entry e.
func (idx *index) extension(e int32) string {
	start := uint32(0)
	if e > 0 {
		start = idx.digitEnd[e-1]
	}
	end := idx.digitEnd[e]
	if end <= start || int(end) > len(idx.digits) {
		return ""
	}
	ext, _, _ := strings.Cut(idx.digits[start:end-1], " ")
	return ext
}

// matchWords raises lv[e] to the level at which tok occurs in entry e's words.
func (idx *index) matchWords(tok string, lv []uint8) {
	words := idx.words
	w := 0
	for pos := 0; pos < len(words); {
		i := strings.Index(words[pos:], tok)
		if i < 0 {
			return
		}
		hit := uint32(pos + i)
		w = idx.wordAt(hit, w)
		start, end := idx.wordStart[w], idx.wordStart[w+1]-1
		if words[start] == variantMark {
			if hit != start+1 {
				// Another spelling matches from its first letter only.
				pos = int(end) + 1
				w++
				continue
			}
			start++
		}
		nameLevel := uint8(ScoreOther / 100)
		if hit == start {
			nameLevel = ScoreNamePrefix / 100
			if hit+uint32(len(tok)) == end {
				nameLevel = ScoreNameWord / 100
			}
		}
		for _, p := range idx.post[idx.postStart[w]:idx.postStart[w+1]] {
			l := uint8(ScoreOther / 100)
			if p&1 != 0 {
				l = nameLevel
			}
			if e := p >> 1; l > lv[e] {
				lv[e] = l
			}
		}
		pos = int(end) + 1
		w++
	}
}

// wordAt returns the word holding offset off of words, searching from word lo on.
func (idx *index) wordAt(off uint32, lo int) int {
	hi := len(idx.wordStart) - 1
	for lo < hi {
		m := int(uint(lo+hi+1) >> 1)
		if idx.wordStart[m] <= off {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return lo
}

// matchDigits raises lv[e] to the level at which the digits tok occur in
// entry e's extension or phones.
func (idx *index) matchDigits(tok string, lv []uint8) {
	d, ends := idx.digits, idx.digitEnd
	e := 0
	for pos := 0; pos < len(d); {
		i := strings.Index(d[pos:], tok)
		if i < 0 {
			return
		}
		hit := uint32(pos + i)
		e = entryAt(ends, hit, e)
		start := uint32(0)
		if e > 0 {
			start = ends[e-1]
		}
		ext, _, _ := strings.Cut(d[start:ends[e]-1], " ")
		l := uint8(ScorePhone / 100)
		switch {
		case ext == tok:
			l = ScoreExtension / 100
		case strings.HasPrefix(ext, tok):
			l = ScoreExtensionPrefix / 100
		}
		lv[e] = max(lv[e], l)
		pos = int(ends[e])
		e++
	}
}

// matchPhone raises lv[e] to ScorePhoneNumber when the E.164 digits num
// are entry e's work phone or mobile. It looks num up in phoneOrder
// (phones.go) instead of scanning the digits.
func (idx *index) matchPhone(num string, lv []uint8) {
	h := phoneHash(num)
	refs := idx.phoneOrder
	i, _ := slices.BinarySearchFunc(refs, h, func(r phoneRef, h uint64) int {
		return cmp.Compare(phoneHash(idx.phoneKey(r)), h)
	})
	for ; i < len(refs); i++ {
		k := idx.phoneKey(refs[i])
		if phoneHash(k) != h {
			return
		}
		if e := int(refs[i] >> 1); k == num && e < len(lv) {
			lv[e] = ScorePhoneNumber / 100
		}
	}
}

// phoneKey returns the E.164 number ref names, from its entry's phones
// record ("" when it has none).
func (idx *index) phoneKey(ref phoneRef) string {
	e := int(ref >> 1)
	if e >= len(idx.phoneEnd) {
		return ""
	}
	start := uint32(0)
	if e > 0 {
		start = idx.phoneEnd[e-1]
	}
	end := idx.phoneEnd[e]
	if end <= start || int(end) > len(idx.phones) {
		return ""
	}
	work, mobile, _ := strings.Cut(idx.phones[start:end-1], " ")
	if ref&1 != 0 {
		return mobile
	}
	return work
}

// entryAt returns the first entry from lo on whose record (ending at ends)
// ends past offset off.
func entryAt(ends []uint32, off uint32, lo int) int {
	hi := len(ends)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ends[m] <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
