package directory

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
)

// The query language of search and find, parsed once here (ParseQuery) for
// every front end:
//
//   - free words match names, positions, e-mails and extensions as before
//     (Search);
//   - online and absent, as bare words of their own, keep the people whose
//     badge says so: online (active within the threshold and not on
//     vacation), absent (on vacation now);
//   - dept:, pos:, ext: and email: keep the people whose department path,
//     position, extension or e-mail has the value: dept:sales matches
//     everyone in Sales and in every department below it. Of the
//     department names, only those that match best count: the whole name
//     (Sales), else its beginning (dept:sal), else the start of a later
//     word (dept:support is Customer Support), so dept:sales is not also
//     Inside Sales elsewhere in the tree. pos: and email: match from the
//     start of a word. All are folded like every search word (case-,
//     accent- and script-blind: dept:продажи is dept:prodazhi); ext:
//     matches the start of the extension's digits.
//
// A value in double quotes holds spaces (dept:"customer support"); a quote
// left open runs to the end of the query. A quoted free word is a word,
// never a filter: "online" looks for the word online in names and
// positions. A field with nothing after it (dept: while typing) is ignored,
// as is a field name the language does not have (it is searched as words).
// Every term must hold: dept:sales online anna is the online Annas of
// Sales.

// Query is a parsed search query.
type Query struct {
	// Text is the free words, searched as Search always did.
	Text string
	// Online and Absent keep only the people online, or absent, now.
	Online, Absent bool
	// Dept, Pos and Email are the folded values of dept:, pos: and email:
	// (canonical words joined by single spaces); Ext the digits of ext:.
	Dept, Pos, Email, Ext []string
	// Never is set by a term nobody can match (ext: with letters).
	Never bool

	// Now and Threshold decide who is online or absent (zero Now: the
	// time of the search; Threshold <= 0: DefaultThreshold).
	Now       time.Time
	Threshold time.Duration
}

// field is the slice of q the values of the field name go to (any case),
// nil for a name the query language does not have.
func (q *Query) field(name string) *[]string {
	switch strings.ToLower(name) {
	case "dept":
		return &q.Dept
	case "pos":
		return &q.Pos
	case "ext":
		return &q.Ext
	case "email":
		return &q.Email
	}
	return nil
}

// QueryHelp describes the query language in a few lines, for find --help
// and the browser's help.
const QueryHelp = `Search filters, combined with the words: online and absent (bare words;
"online" in quotes is a word), dept:sales (that department and every one
below it), pos:engineer, ext:10 (extensions that begin with 10),
email:acme; a quoted value holds spaces: dept:"customer support". Like
the words, they are case-, accent- and script-blind. Example:
dept:sales online anna.`

// ParseQuery parses s (see the query language above). It never fails: what
// is not a filter is a word.
func ParseQuery(s string) Query {
	var q Query
	var text []string
	for rest := s; ; {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		if rest[0] == '"' {
			var phrase string
			phrase, rest = quoted(rest[1:])
			if phrase = strings.TrimSpace(phrase); phrase != "" {
				text = append(text, phrase)
			}
			continue
		}
		end := strings.IndexFunc(rest, unicode.IsSpace)
		if end < 0 {
			end = len(rest)
		}
		word := rest[:end]
		name, value, fielded := strings.Cut(word, ":")
		var to *[]string
		if fielded {
			to = q.field(name)
		}
		switch {
		case to != nil:
			rest = rest[len(name)+1:]
			if strings.HasPrefix(rest, `"`) {
				value, rest = quoted(rest[1:])
			} else {
				rest = rest[len(value):]
			}
			q.add(to, value)
		case strings.EqualFold(word, "online"):
			q.Online, rest = true, rest[end:]
		case strings.EqualFold(word, "absent"):
			q.Absent, rest = true, rest[end:]
		default:
			text, rest = append(text, word), rest[end:]
		}
	}
	q.Text = strings.Join(text, " ")
	return q
}

// quoted splits s, which follows an opening quote, at its closing quote
// (or its end).
func quoted(s string) (value, rest string) {
	if i := strings.IndexByte(s, '"'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// add adds the value v of a field to its slice to (one of q's); an empty
// value is ignored.
func (q *Query) add(to *[]string, v string) {
	if to == &q.Ext {
		d := digits(v)
		if strings.ContainsFunc(v, unicode.IsLetter) {
			q.Never = true
		} else if d != "" {
			q.Ext = append(q.Ext, d)
		}
		return
	}
	folded, _ := foldWords(nil, nil, v)
	if t := strings.TrimSuffix(string(folded), " "); t != "" {
		*to = append(*to, t)
	}
}

// Filtered reports whether q has filters besides its words.
func (q *Query) Filtered() bool {
	return q.Online || q.Absent || q.Never || len(q.Dept)+len(q.Pos)+len(q.Email)+len(q.Ext) > 0
}

// ByPresence reports whether q keeps people by their presence.
func (q *Query) ByPresence() bool { return q.Online || q.Absent }

// hasWords reports whether the folded text field (words each followed by
// a space) holds the folded words term from the start of one of its words.
func hasWords(field, term string) bool {
	return strings.HasPrefix(field, term) || strings.Contains(field, " "+term)
}

// nameMatch is how well the folded term matches the folded name (words
// each followed by a space): 3 the whole name, 2 its beginning, 1 from the
// start of a later word, 0 not at all.
func nameMatch(name, term string) int {
	switch {
	case len(name) == len(term)+1 && strings.HasPrefix(name, term):
		return 3
	case strings.HasPrefix(name, term):
		return 2
	case strings.Contains(name, " "+term):
		return 1
	}
	return 0
}

// deptNames are the folded names of a structure's departments, by index,
// computed on first use and shared by every Org with the structure.
type deptNames struct {
	once  sync.Once
	names []string
}

// foldedNames returns the folded name of every department of st, by index.
func (st *structure) foldedNames() []string {
	st.folded.once.Do(func() {
		names := make([]string, len(st.depts))
		var buf, scratch []byte
		for i, d := range st.depts {
			buf, scratch = foldWords(buf[:0], scratch, d.Name)
			names[i] = string(buf)
		}
		st.folded.names = names
	})
	return st.folded.names
}

// filterCols are the facts of an Org the filters read, by index entry,
// each part made when a filter first needs it on a snapshot (see
// BenchmarkFilterCols100k): a filter over everyone reads these compact
// arrays, not every Person.
type filterCols struct {
	idx *index
	org *Org

	presenceOnce sync.Once
	// lastActive and absentUntil are Unix nanoseconds, clamped to
	// 1900–2200 so that differences never overflow; never for none.
	lastActive, absentUntil []int64
	idle                    []bool

	deptOnce sync.Once
	// deptEntries are, by department index, the entries of its members.
	deptEntries [][]int32

	posOnce sync.Once
	// positions are the distinct positions, folded; posID is, by entry,
	// which one the person holds (a directory has few distinct ones).
	positions []string
	posID     []int32
}

// never marks a time a Person does not have, in filterCols.
const never = math.MinInt64

// The bounds nanos clamps to, in Unix seconds: 1900-01-01 and 2200-01-01.
const (
	nanosLo = -2208988800
	nanosHi = 7258118400
)

// nanos is t in Unix nanoseconds, clamped to 1900–2200; never when zero.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return never
	}
	switch sec := t.Unix(); {
	case sec < nanosLo:
		return nanosLo * int64(time.Second)
	case sec >= nanosHi:
		return nanosHi * int64(time.Second)
	}
	return t.UnixNano()
}

// filterCols returns o's filter columns over idx (o's index).
func (o *Org) filterCols(idx *index) *filterCols {
	o.fcOnce.Do(func() { o.fc = &filterCols{idx: idx, org: o} })
	return o.fc
}

// presence makes the presence columns.
func (fc *filterCols) presence() {
	fc.presenceOnce.Do(func() {
		n := fc.idx.n
		fc.lastActive, fc.absentUntil, fc.idle = make([]int64, n), make([]int64, n), make([]bool, n)
		for e, p := range fc.idx.people {
			fc.lastActive[e], fc.absentUntil[e], fc.idle[e] = nanos(p.LastActivity), nanos(p.AbsentUntil), !p.IdleSince.IsZero()
		}
	})
}

// departments makes the entries of every department's members.
func (fc *filterCols) departments() {
	fc.deptOnce.Do(func() {
		o, idx := fc.org, fc.idx
		entry := func(id int) int32 {
			j := sort.Search(len(o.people), func(j int) bool { return o.people[j].ID >= id })
			if j < len(o.people) && o.people[j].ID == id {
				return idx.entryOf[j]
			}
			return -1
		}
		if n := len(o.people); n > 0 && o.people[n-1].ID <= 8*n+1024 {
			// IDs are dense, as portals hand them out: a table, read
			// without visiting each Person again.
			table := make([]int32, o.people[n-1].ID+1)
			for i := range table {
				table[i] = -1
			}
			for j, p := range o.people {
				table[p.ID] = idx.entryOf[j]
			}
			entry = func(id int) int32 {
				if id < 0 || id >= len(table) {
					return -1
				}
				return table[id]
			}
		}
		fc.deptEntries = make([][]int32, len(o.st.depts))
		for i, d := range o.st.depts {
			ids := o.mem.members[d.ID]
			entries := make([]int32, 0, len(ids))
			for _, id := range ids {
				if e := entry(id); e >= 0 {
					entries = append(entries, e)
				}
			}
			fc.deptEntries[i] = entries
		}
	})
}

// positionIDs makes the distinct folded positions and who holds which.
func (fc *filterCols) positionIDs() {
	fc.posOnce.Do(func() {
		fc.posID = make([]int32, fc.idx.n)
		ids := map[string]int32{}
		var buf, scratch []byte
		for e, p := range fc.idx.people {
			id, ok := ids[p.Position]
			if !ok {
				id = int32(len(fc.positions))
				ids[p.Position] = id
				buf, scratch = foldWords(buf[:0], scratch, p.Position)
				fc.positions = append(fc.positions, string(buf))
			}
			fc.posID[e] = id
		}
	})
}

// filter is a Query's filters, ready to keep or drop the entries of an
// index.
type filter struct {
	idx       *index
	q         *Query
	cols      *filterCols
	now       int64 // Unix nanoseconds
	threshold int64
	dept      []bool // by entry: in a department every dept: term matches (nil: no dept:)
	pos       []bool // by distinct position: every pos: term matches (nil: no pos:)
	// words is, by entry, whether the index has every word of the email:
	// values (nil: none), which the folded e-mail then confirms.
	words    []bool
	buf, tmp []byte
}

// newFilter prepares q's filters over o's index; nil when q has none.
func (o *Org) newFilter(idx *index, q *Query) *filter {
	if !q.Filtered() {
		return nil
	}
	now, threshold := q.Now, q.Threshold
	if now.IsZero() {
		now = time.Now()
	}
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	f := &filter{idx: idx, q: q, cols: o.filterCols(idx), now: nanos(now), threshold: int64(threshold)}
	if q.ByPresence() {
		f.cols.presence()
	}
	if len(q.Dept) > 0 {
		f.cols.departments()
		f.dept = o.inDepartments(f.cols, idx.n, q.Dept)
	}
	if len(q.Pos) > 0 {
		f.cols.positionIDs()
		f.pos = make([]bool, len(f.cols.positions))
		for i, p := range f.cols.positions {
			f.pos[i] = !slices.ContainsFunc(q.Pos, func(t string) bool { return !hasWords(p, t) })
		}
	}
	if terms := q.Email; len(terms) > 0 {
		f.words = make([]bool, idx.n)
		lv := make([]uint8, idx.n)
		first := true
		for _, t := range terms {
			for _, w := range strings.Fields(t) {
				clear(lv)
				idx.matchWords(w, lv)
				for e, l := range lv {
					f.words[e] = l > 0 && (first || f.words[e])
				}
				first = false
			}
		}
	}
	return f
}

// inDepartments marks the entries of idx who are members of a department
// whose path has a name matching each of terms (each term may match a
// different name of the path, or a different department of the person).
func (o *Org) inDepartments(fc *filterCols, n int, terms []string) []bool {
	st := o.st
	names := st.foldedNames()
	match := make([]bool, len(st.depts))
	var out, cur []bool
	for k, t := range terms {
		cur = make([]bool, n)
		// Only the departments whose names match best count: the whole
		// name, else its beginning, else a word inside (dept:sales is
		// Sales, not Inside Sales; dept:support finds Customer Support).
		best := 0
		for i := range st.depts {
			best = max(best, nameMatch(names[i], t))
		}
		// Tree order puts a parent before its children.
		for i := range st.depts {
			match[i] = (best > 0 && nameMatch(names[i], t) == best) || (st.parent[i] >= 0 && match[st.parent[i]])
		}
		for i := range st.depts {
			if match[i] {
				for _, e := range fc.deptEntries[i] {
					cur[e] = true
				}
			}
		}
		if k == 0 {
			out = cur
			continue
		}
		for e := range out {
			out[e] = out[e] && cur[e]
		}
	}
	return out
}

// apply drops from lv (levels by entry) the entries f does not keep, and
// returns how many are left.
func (f *filter) apply(lv []uint8) int {
	n := 0
	for e, l := range lv {
		if l == 0 {
			continue
		}
		if f.keeps(e) {
			n++
		} else {
			lv[e] = 0
		}
	}
	return n
}

// keeps reports whether entry e passes every filter, the cheap ones first.
func (f *filter) keeps(e int) bool {
	q := f.q
	if q.Never || (f.dept != nil && !f.dept[e]) || (f.words != nil && !f.words[e]) {
		return false
	}
	// As Person.Absent and Person.PresenceAt say, from the columns.
	fc := f.cols
	if q.ByPresence() {
		absent := fc.absentUntil[e] > f.now
		if q.Absent && !absent {
			return false
		}
		if q.Online && (absent || fc.idle[e] || fc.lastActive[e] == never || f.now-fc.lastActive[e] > f.threshold) {
			return false
		}
	}
	if len(q.Ext) > 0 {
		ext := f.idx.extension(int32(e))
		for _, x := range q.Ext {
			if !strings.HasPrefix(ext, x) {
				return false
			}
		}
	}
	if f.pos != nil && !f.pos[fc.posID[e]] {
		return false
	}
	return len(q.Email) == 0 || f.fieldHas(f.idx.people[e].Email, q.Email)
}

// fieldHas reports whether the text field s holds every one of the folded
// terms.
func (f *filter) fieldHas(s string, terms []string) bool {
	if len(terms) == 0 {
		return true
	}
	f.buf, f.tmp = foldWords(f.buf[:0], f.tmp, s)
	for _, t := range terms {
		if !hasWords(string(f.buf), t) {
			return false
		}
	}
	return true
}
