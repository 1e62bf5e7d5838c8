package directory

// Reading the disk cache (the format is described in cache.go).

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
)

// stream reads a cache payload in order through a small buffer, summing
// every byte on the way: a reader touches the memory of what it keeps, not
// of the whole file (fresh memory is what a short-lived `find` pays for most).
// After the first error every read returns zero.
type stream struct {
	br   *bufio.Reader
	crc  hash.Hash32
	left int64 // payload bytes not consumed yet
	err  error
}

// errShort is what a reader meets when the payload ends before what it
// reads: the catalog's err.cache.end.
var errShort = lang.NewError("err.cache.end")

// corrupt is why a file whose checksum matches cannot be used: what the
// reader found wrong, the catalog's message id (err.cache.number, …).
func corrupt(id string) *lang.Error {
	return lang.NewError("err.cache.corrupt", "Why", lang.NewError(id))
}

// newStream reads a payload of size bytes from r.
func newStream(r io.Reader, size int64) *stream {
	crc := crc32.New(crcTable())
	return &stream{br: bufio.NewReaderSize(io.TeeReader(io.LimitReader(r, size), crc), 32<<10), crc: crc, left: size}
}

func (s *stream) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// take checks that n more bytes are left and counts them consumed.
func (s *stream) take(n int64) bool {
	if s.err != nil {
		return false
	}
	if n < 0 || n > s.left {
		s.fail(errShort)
		return false
	}
	s.left -= n
	return true
}

// readErr records a failure of the underlying reader.
func (s *stream) readErr(err error) {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = errShort
	}
	s.fail(err)
}

func (s *stream) uvarint() uint64 {
	var x uint64
	var shift uint
	for i := 0; i < binary.MaxVarintLen64; i++ {
		if !s.take(1) {
			return 0
		}
		c, err := s.br.ReadByte()
		if err != nil {
			s.readErr(err)
			return 0
		}
		if c < 0x80 {
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	s.fail(lang.NewError("err.cache.number"))
	return 0
}

func (s *stream) int() int {
	u := s.uvarint()
	if u > math.MaxInt {
		s.fail(lang.NewError("err.cache.number"))
		return 0
	}
	return int(u)
}

func (s *stream) sint() int {
	u := s.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return int(x)
}

func (s *stream) bool() bool { return s.uvarint() != 0 }

func (s *stream) time() time.Time {
	n := s.sint()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(n))
}

// count reads a number of items, each at least one byte long.
func (s *stream) count() int {
	n := s.int()
	if int64(n) > s.left {
		s.fail(errShort)
		return 0
	}
	return n
}

func (s *stream) str() string { return s.text(s.count()) }

// text reads the next n bytes as a string.
func (s *stream) text(n int) string {
	if n == 0 || !s.take(int64(n)) {
		return ""
	}
	var b strings.Builder
	b.Grow(n)
	for b.Len() < n {
		chunk, err := s.br.Peek(min(n-b.Len(), s.br.Size()))
		b.Write(chunk)
		_, _ = s.br.Discard(len(chunk))
		if err != nil {
			s.readErr(err)
			return ""
		}
	}
	return b.String()
}

// peek returns the next n bytes without consuming them (fewer at the end
// of the payload); n is small.
func (s *stream) peek(n int) []byte {
	if s.err != nil {
		return nil
	}
	b, err := s.br.Peek(int(min(int64(n), s.left)))
	if err != nil {
		s.readErr(err)
		return nil
	}
	return b
}

// skip passes over the next n bytes (summed all the same).
func (s *stream) skip(n int64) {
	if !s.take(n) {
		return
	}
	if _, err := s.br.Discard(int(n)); err != nil {
		s.readErr(err)
	}
}

func (s *stream) skipStr() { s.skip(int64(s.count())) }

// u32sLen reads the count of a list appendU32s wrote and takes its bytes.
func (s *stream) u32sLen() int {
	n := s.int()
	if n > math.MaxInt64/4 || !s.take(4*int64(n)) {
		s.fail(errShort)
		return 0
	}
	return n
}

// skipU32s passes over a list appendU32s wrote.
func (s *stream) skipU32s() {
	if n := s.u32sLen(); n > 0 {
		if _, err := s.br.Discard(4 * n); err != nil {
			s.readErr(err)
		}
	}
}

// u32s reads a list appendU32s wrote.
func (s *stream) u32s() []uint32 {
	n := s.u32sLen()
	if s.err != nil {
		return nil
	}
	xs := make([]uint32, n)
	for i := 0; i < n; {
		chunk, err := s.br.Peek(min(4*(n-i), s.br.Size()&^3))
		k := len(chunk) / 4
		for j := range k {
			xs[i+j] = binary.LittleEndian.Uint32(chunk[4*j:])
		}
		i += k
		_, _ = s.br.Discard(4 * k)
		if err != nil {
			s.readErr(err)
			return nil
		}
	}
	return xs
}

// finish reads the rest of the payload and says why the file cannot be used
// (nil when it can): a checksum that does not match first, else the first
// error met.
func (s *stream) finish(sum uint32) *lang.Error {
	if s.err == nil && s.left > 0 {
		s.fail(lang.NewError("err.cache.trailingdata"))
	}
	if _, err := io.Copy(io.Discard, s.br); err != nil {
		return lang.NewError("err.cache.unreadable", "Err", err)
	}
	switch {
	case s.crc.Sum32() != sum:
		return corrupt("err.cache.checksum")
	case s.err != nil:
		return lang.NewError("err.cache.corrupt", "Why", s.err) // a catalog error, or the file system's
	}
	return nil
}

// cacheHead is the beginning of a cache file: what every reader needs.
type cacheHead struct {
	sum       uint32 // the payload's checksum from the header
	key       string // the portal, or Options.CacheKey
	fetchedAt time.Time
	complete  bool
	confirmed Confirmed
	n         int // people
	depts     []Department
}

// readHead checks the header of a cache file of size bytes read from r,
// written under key (cacheKey), and reads the payload up to the department tree.
// why says why the file cannot be used (nil when it can: an err.cache.*
// message); err is a failure to read. Nothing in the file can make a reader
// panic or allocate much more than size.
func readHead(r io.Reader, size int64, key string) (h cacheHead, s *stream, why *lang.Error, err error) {
	var hd [headerSize]byte
	n, err := io.ReadFull(r, hd[:])
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		if strings.HasPrefix(cacheMagic, string(hd[:n])) || strings.HasPrefix(string(hd[:n]), cacheMagic) {
			return h, nil, lang.NewError("err.cache.truncated"), nil
		}
		return h, nil, lang.NewError("err.cache.notours"), nil
	case err != nil:
		return h, nil, nil, err
	case string(hd[:len(cacheMagic)]) != cacheMagic:
		return h, nil, lang.NewError("err.cache.notours"), nil
	}
	if v := binary.LittleEndian.Uint32(hd[len(cacheMagic):]); v != cacheVersion {
		return h, nil, lang.NewError("err.cache.version", "Have", v, "Want", cacheVersion), nil
	}
	want := binary.LittleEndian.Uint64(hd[len(cacheMagic)+8:])
	h.sum = binary.LittleEndian.Uint32(hd[len(cacheMagic)+16:])
	switch have := size - int64(headerSize); {
	case have < 0 || uint64(have) < want:
		return h, nil, lang.NewError("err.cache.truncated"), nil
	case uint64(have) > want:
		return h, nil, lang.NewError("err.cache.trailing"), nil
	}
	s = newStream(r, int64(want))
	h.key = s.str()
	if s.err == nil && h.key != key {
		return h, nil, lang.NewError("err.cache.otherportal"), nil
	}
	h.fetchedAt = s.time()
	h.complete = s.bool()
	h.confirmed.Tree = s.time()
	h.confirmed.Merged = s.time()
	h.n = s.count()
	h.depts = make([]Department, s.count())
	for i := range h.depts {
		dep := &h.depts[i]
		dep.ID = s.int()
		dep.Name = s.str()
		dep.Sort = s.sint()
		dep.ParentID = s.int()
		dep.HeadID = s.int()
	}
	return h, s, nil, nil
}

// readOrg reads a whole cache file into an Org (see readHead), with the
// index the file carries.
func readOrg(r io.Reader, size int64, key string) (*Org, *lang.Error, error) {
	h, s, why, err := readHead(r, size, key)
	if s == nil {
		return nil, why, err
	}
	members := s.str()
	idx := readIndex(s, h.n, true, true, true)
	ends := s.u32s()
	records := s.str()
	if why := s.finish(h.sum); why != nil {
		return nil, why, nil
	}
	if !idx.valid(true, true, true) || !validEnds(ends, h.n, len(records)) {
		return nil, corrupt("err.cache.index"), nil
	}

	arr := make([]Person, h.n) // by entry
	if !decodePeople(arr, records, ends) {
		return nil, corrupt("err.cache.person"), nil
	}
	people := make([]*Person, h.n) // by ID
	for i, e := range idx.entryOf {
		p := &arr[e]
		if p.ID <= 0 || (i > 0 && p.ID <= people[i-1].ID) {
			return nil, corrupt("err.cache.order"), nil
		}
		people[i] = p
	}
	byDept, loaded, ok := readMembers(members)
	if !ok {
		return nil, corrupt("err.cache.members"), nil
	}
	o := orgFrom(h.key, h.fetchedAt, h.complete, h.depts, byDept, loaded, people)
	o.confirmed = h.confirmed
	idx.people = make([]*Person, h.n)
	for e := range arr {
		idx.people[e] = &arr[e]
	}
	o.idx.Store(idx)
	return o, nil, nil
}

// readMembers decodes the member lists block: the member IDs of each
// department, and the loaded departments; false when it is broken.
func readMembers(block string) (byDept map[int][]int, loaded []int, ok bool) {
	mr := &reader{s: block}
	nm := mr.count()
	byDept = make(map[int][]int, nm)
	for range nm {
		id := mr.int()
		byDept[id] = mr.ints()
	}
	loaded = mr.ints()
	return byDept, loaded, mr.err == nil && mr.off == len(mr.s)
}

// readStart reads what the browser's first screen shows from a cache file
// (see readHead): the tree, every department's member lists (the head
// counts) and the people of the root departments (their members and
// heads), into an Org that is not Complete and has no index. The other
// records stream past, summed but neither kept nor decoded: only the
// start of each is looked at, for its ID.
func readStart(r io.Reader, size int64, key string) (*Org, *lang.Error, error) {
	h, s, why, err := readHead(r, size, key)
	if s == nil {
		return nil, why, err
	}
	byDept, loadedIDs, ok := readMembers(s.str())
	if s.err == nil && !ok {
		s.fail(lang.NewError("err.cache.members"))
	}
	st := buildStructure(h.depts)
	want := map[int]bool{}
	loaded := map[int]bool{}
	for _, id := range st.roots {
		for _, p := range byDept[id] {
			want[p] = true
		}
		if head := st.ptrs[st.pos[id]].HeadID; head > 0 {
			want[head] = true
		}
		if h.complete || slices.Contains(loadedIDs, id) {
			loaded[id] = true
		}
	}
	readIndex(s, h.n, false, false, false) // passes over it
	ends := s.u32s()
	size = int64(s.count())
	if s.err == nil && !validEnds(ends, h.n, int(size)) {
		s.fail(lang.NewError("err.cache.people"))
	}
	var recs []string
	start := uint32(0)
	for _, end := range ends {
		if s.err != nil {
			break
		}
		n := int(end - start)
		id, k := binary.Uvarint(s.peek(min(n, binary.MaxVarintLen64)))
		if k > 0 && id <= math.MaxInt && want[int(id)] {
			recs = append(recs, s.text(n))
		} else {
			s.skip(int64(n))
		}
		start = end
	}
	if why := s.finish(h.sum); why != nil {
		return nil, why, nil
	}
	arr := make([]Person, len(recs))
	people := make([]*Person, len(recs))
	var slab []int
	for i, rec := range recs {
		if slab, ok = decodePerson(rec, &arr[i], slab); !ok || arr[i].ID <= 0 {
			return nil, corrupt("err.cache.person"), nil
		}
		cleanPerson(&arr[i])
		people[i] = &arr[i]
	}
	people = sortUnique(people)
	o := assemble(safetext.Clean(h.key), h.fetchedAt, false, st, newMembership(st, byDept, people), people, loaded)
	o.confirmed = h.confirmed
	return o, nil, nil
}

// searchFile answers a search from a cache file (see readHead): it reads
// the parts of the index the query needs and the records of the people
// found; the rest streams past, summed but not kept. query is the free
// words of a Query: filters need everyone's records (LoadCache).
func searchFile(r io.Reader, size int64, key, query string, limit int) (*CacheSearch, *lang.Error, error) {
	h, s, why, err := readHead(r, size, key)
	if s == nil {
		return nil, why, err
	}
	toks := queryTokens(query, "")
	words := slices.ContainsFunc(toks, func(t token) bool { return !t.digits }) || layoutQueries(query) != nil
	digits := slices.ContainsFunc(toks, func(t token) bool { return t.digits })
	s.skipStr() // the member lists
	idx := readIndex(s, h.n, false, words, digits)
	if s.err == nil && !idx.valid(false, words, digits) {
		s.fail(lang.NewError("err.cache.index"))
	}
	var (
		hits   []hit
		total  int
		layout string
	)
	if s.err == nil {
		hits, total, layout = idx.search(query, limit, nil)
	}

	// The records of the hits, in file order.
	ends := s.u32s()
	size = int64(s.count())
	if s.err == nil && !validEnds(ends, h.n, int(size)) {
		s.fail(lang.NewError("err.cache.people"))
	}
	order := make([]int, len(hits))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(hits[a].entry, hits[b].entry) })
	recs := make([]string, len(hits))
	pos := int64(0)
	for _, i := range order {
		if s.err != nil {
			break
		}
		e := hits[i].entry
		start := int64(0)
		if e > 0 {
			start = int64(ends[e-1])
		}
		if start < pos { // the same entry twice: not from a search
			s.fail(lang.NewError("err.cache.result"))
			break
		}
		s.skip(start - pos)
		recs[i] = s.text(int(int64(ends[e]) - start))
		pos = int64(ends[e])
	}
	s.skip(size - pos)
	if why := s.finish(h.sum); why != nil {
		return nil, why, nil
	}

	arr := make([]Person, len(hits))
	people := make([]*Person, 0, len(hits))
	var slab []int
	for i := range hits {
		var ok bool
		if slab, ok = decodePerson(recs[i], &arr[i], slab); !ok {
			return nil, corrupt("err.cache.person"), nil
		}
		if arr[i].ID > 0 {
			cleanPerson(&arr[i])
			people = append(people, &arr[i])
		}
	}
	o := orgFrom(h.key, h.fetchedAt, false, h.depts, nil, nil, sortUnique(people))
	o.confirmed = h.confirmed
	cs := &CacheSearch{Org: o, Complete: h.complete, Total: total, People: h.n, Matches: make([]Match, 0, len(hits)), region: idx.region}
	for i, ht := range hits {
		if p := o.Person(arr[i].ID); p != nil {
			m := Match{Person: p, Score: ht.score}
			if ht.layout {
				m.Layout = layout
			}
			cs.Matches = append(cs.Matches, m)
		}
	}
	return cs, nil, nil
}

// validEnds reports whether ends holds n ascending record ends, the last
// at size.
func validEnds(ends []uint32, n, size int) bool {
	if len(ends) != n || (n == 0 && size != 0) || (n > 0 && int(ends[n-1]) != size) {
		return false
	}
	prev := uint32(0)
	for _, end := range ends {
		if end <= prev {
			return false
		}
		prev = end
	}
	return true
}

// decodePeople decodes and cleans the records of everyone into arr (by
// entry), a share of them on each CPU: cleaning is most of a load's work.
// false when a record is broken.
func decodePeople(arr []Person, records string, ends []uint32) bool {
	var (
		wg    sync.WaitGroup
		nProc = runtime.GOMAXPROCS(0)
		share = max((len(arr)+nProc-1)/nProc, 1000)
		bad   atomic.Bool
	)
	for lo := 0; lo < len(arr); lo += share {
		hi := min(lo+share, len(arr))
		wg.Go(func() {
			var slab []int
			for e := lo; e < hi; e++ {
				start := uint32(0)
				if e > 0 {
					start = ends[e-1]
				}
				var ok bool
				if slab, ok = decodePerson(records[start:ends[e]], &arr[e], slab); !ok {
					bad.Store(true)
					return
				}
				cleanPerson(&arr[e])
			}
		})
	}
	wg.Wait()
	return !bad.Load()
}

// decodePerson decodes one record into p, its department IDs taken from
// the free end of slab; false when the record is broken.
func decodePerson(rec string, p *Person, slab []int) ([]int, bool) {
	r := &reader{s: rec}
	p.ID = r.int()
	for _, s := range [...]*string{&p.Name, &p.FirstName, &p.LastName, &p.Position, &p.Email, &p.Extension, &p.WorkPhone, &p.Mobile, &p.Gender} {
		*s = r.str()
	}
	if p.Gender != "M" && p.Gender != "F" {
		p.Gender = "" // a file is outside input too
	}
	p.DepartmentIDs, slab = r.intsFrom(slab)
	p.Active = r.bool()
	p.LastActivity = r.time()
	p.IdleSince = r.time()
	p.AbsentUntil = r.time()
	return slab, r.err == nil && r.off == len(r.s)
}

// reader decodes a block already in memory (a person record, the member
// lists), as stream decodes the file; after the first error every read
// returns zero.
type reader struct {
	s   string
	off int
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	var x uint64
	var shift uint
	for i := 0; i < binary.MaxVarintLen64; i++ {
		if r.off >= len(r.s) {
			r.err = errShort
			return 0
		}
		c := r.s[r.off]
		r.off++
		if c < 0x80 {
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	r.err = lang.NewError("err.cache.number")
	return 0
}

func (r *reader) sint() int {
	u := r.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return int(x)
}

func (r *reader) int() int {
	u := r.uvarint()
	if u > math.MaxInt {
		r.err = lang.NewError("err.cache.number")
		return 0
	}
	return int(u)
}

// count reads a number of items, each at least one byte long.
func (r *reader) count() int {
	n := r.int()
	if n > len(r.s)-r.off {
		r.err = errShort
		return 0
	}
	return n
}

func (r *reader) str() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) bool() bool { return r.uvarint() != 0 }

func (r *reader) time() time.Time {
	n := r.sint()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(n))
}

// intsFrom reads a list of numbers into the free end of slab, growing it
// when it is full, and returns the list and the slab.
func (r *reader) intsFrom(slab []int) ([]int, []int) {
	n := r.count()
	if n == 0 {
		return nil, slab
	}
	if cap(slab)-len(slab) < n {
		slab = make([]int, 0, max(n, 4096))
	}
	start := len(slab)
	for range n {
		slab = append(slab, r.int())
	}
	return slab[start:len(slab):len(slab)], slab
}

func (r *reader) ints() []int {
	n := r.count()
	if n == 0 {
		return nil
	}
	ids := make([]int, n)
	for i := range ids {
		ids[i] = r.int()
	}
	return ids
}

// readIndex reads the index appendTo wrote, without its people, keeping the
// parts asked for (check them with valid before use): the entry of each
// person, the words, the digits.
func readIndex(s *stream, n int, entries, words, digits bool) *index {
	idx := &index{n: n}
	if entries {
		entryOf := s.u32s()
		idx.entryOf = make([]int32, len(entryOf))
		for i, e := range entryOf {
			idx.entryOf[i] = int32(min(e, math.MaxInt32))
		}
	} else {
		s.skipU32s()
	}
	if words {
		idx.words = s.str()
		idx.wordStart = s.u32s()
		idx.postStart = s.u32s()
		idx.post = s.u32s()
	} else {
		s.skipStr()
		for range 3 {
			s.skipU32s()
		}
	}
	if digits {
		idx.digits = s.str()
		idx.digitEnd = s.u32s()
		idx.phones = s.str()
		idx.phoneEnd = s.u32s()
		idx.phoneOrder = s.u32s()
	} else {
		s.skipStr()
		s.skipU32s()
		s.skipStr()
		s.skipU32s()
		s.skipU32s()
	}
	idx.region = s.str()
	idx.initScratch()
	return idx
}

// valid reports whether every offset of the parts of idx asked for stays
// inside what it indexes, as the search loops need.
func (idx *index) valid(entries, words, digits bool) bool {
	n := idx.n
	if entries {
		if len(idx.entryOf) != n {
			return false
		}
		seen := make([]bool, n)
		for _, e := range idx.entryOf {
			if e < 0 || int(e) >= n || seen[e] {
				return false
			}
			seen[e] = true
		}
	}
	if words && !idx.validWords() {
		return false
	}
	if !digits {
		return true
	}
	if !validRecords(idx.digits, idx.digitEnd, n) || !validRecords(idx.phones, idx.phoneEnd, n) || len(idx.phoneOrder) > 2*n {
		return false
	}
	for _, r := range idx.phoneOrder {
		if int(r>>1) >= n {
			return false
		}
	}
	return true
}

// validRecords reports whether ends holds the ends of n records of s, each
// ending in '\n', the last at its end.
func validRecords(s string, ends []uint32, n int) bool {
	if len(ends) != n || (n == 0 && s != "") || (n > 0 && int(ends[n-1]) != len(s)) {
		return false
	}
	prev := uint32(0)
	for _, end := range ends {
		if end <= prev || int(end) > len(s) || s[end-1] != '\n' {
			return false
		}
		prev = end
	}
	return true
}

// validWords is valid for the words of idx.
func (idx *index) validWords() bool {
	ws := idx.wordStart
	if len(ws) == 0 || ws[0] != 0 || int(ws[len(ws)-1]) != len(idx.words) || len(idx.postStart) != len(ws) {
		return false
	}
	for w := 1; w < len(ws); w++ {
		if ws[w] <= ws[w-1] || int(ws[w]) > len(idx.words) || idx.words[ws[w]-1] != ' ' { // no empty word
			return false
		}
	}
	ps := idx.postStart
	if ps[0] != 0 || int(ps[len(ps)-1]) != len(idx.post) {
		return false
	}
	for w := 1; w < len(ps); w++ {
		if ps[w] < ps[w-1] || int(ps[w]) > len(idx.post) {
			return false
		}
	}
	for _, p := range idx.post {
		if int(p>>1) >= idx.n {
			return false
		}
	}
	return true
}
