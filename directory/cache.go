package directory

// The disk cache: one file per portal, named by a hash of its key: the
// portal as Client.Portal() prints it (host and user, never the secret), or
// Options.CacheKey (the demo's). The file is
//
//	magic "b24orgC\n" | version uint32 | reserved uint32 | payload length uint64 |
//	CRC-32C of the payload uint32 | payload
//
// (little endian). Version 7 is version 6 whose index keeps the E.164
// numbers apart from the digits, with their order by hash (phones.go).
// Version 5 is version 4 whose index also holds everyone's
// phone numbers in E.164 form and the region they were read in (phones.go).
// Version 4 is version 3 whose index also holds the other
// spellings of Cyrillic names (romanize.go). Version 3 is version 2 with two more times in meta:
// when the tree was last confirmed and when people were last merged in
// without a whole load (FetchedAt is when the whole directory last loaded).
// Version 2 lays the payload out so that `find` keeps only
// what it needs: numbers are varints, strings length-prefixed, times Unix
// nanoseconds (0 for unknown), and the lists the search reads are plain
// uint32 arrays (count, then 4 bytes each) that decode in one pass:
//
//	meta      key, FetchedAt, Complete, tree confirmed, last merge, number of people
//	tree      departments: ID, name, sort, parent, head
//	members   one length-prefixed block: member IDs per department, then the
//	          loaded departments
//	index     the search index (search.go): entry of each person by ID,
//	          words, word starts, posting starts, postings, digits, digit ends,
//	          E.164 numbers, their ends, their order by hash, phone region
//	people    where each person's record ends, then the records, one per
//	          index entry (name order)
//
// Every reader streams the whole payload through a small buffer and checks
// its checksum, but keeps only what it needs: LoadCache everything (and
// adopts the index), SearchCache the tree, the parts of the index the query
// reads (words or digits) and the records of the people found, the first
// step of LoadCacheStaged the tree, the member lists and the records of the
// root departments' people (the browser's first frame: BenchmarkFirstFrame30k of the main package). In a
// short-lived process fresh memory is the main cost (every page is faulted
// in), so not keeping is what makes `find` fast (BenchmarkFind30k,
// BenchmarkCacheLoad30k and its JSON and gob companions, BENCHMARKS.md).
// The file is written atomically: a temporary file in the same directory,
// fsync, rename.
//
// Strings in the file were clean when they were written, but the file is
// outside input like any other: the checksum proves it is intact, not who
// wrote it. So every string that leaves the cache is cleaned again (safetext):
// LoadCache cleans everyone, SearchCache the people it found and the
// department names. The index is never printed: a hostile file that passes
// its checks can only make a search find the wrong people, never panic.

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
)

const (
	cacheMagic   = "b24orgC\n"
	cacheVersion = 7
	headerSize   = len(cacheMagic) + 4 + 4 + 8 + 4
	// maxCacheSize bounds what LoadCache reads: far above any real portal.
	maxCacheSize = 1 << 30
	// staleTemp is the age after which a temporary file left by a killed
	// writer is removed.
	staleTemp = time.Hour
)

// CacheError says why a cache file was ignored (truncated, corrupt, from
// another version or another portal). The file is rebuilt by the next write.
type CacheError struct {
	Path   string
	Reason string // in English; ReasonIn says it in any language

	why *lang.Error // Reason as the catalog says it
}

// cacheError is the CacheError of the file at path, its reason why: a
// catalog message with its values (cacheread.go's err.cache.* errors).
func cacheError(path string, why *lang.Error) *CacheError {
	return &CacheError{Path: path, Reason: why.Error(), why: why}
}

func (e *CacheError) Error() string {
	return fmt.Sprintf("cache file %s %s; it will be rebuilt", e.Path, e.Reason)
}

// ReasonIn is the reason in the language l: "is truncated", "обрезан". A
// Reason that is not the catalog's (made or changed by hand) stays as it is.
func (e *CacheError) ReasonIn(l *lang.Language) string {
	if e.why == nil || e.why.Error() != e.Reason {
		return e.Reason
	}
	return e.why.In(l)
}

// In is Error in the language l: the reason in l's words, the path and any
// cause from outside as they are.
func (e *CacheError) In(l *lang.Language) string {
	if l == lang.English() {
		return e.Error()
	}
	return l.T("err.cache.ignored", "Path", e.Path, "Reason", e.ReasonIn(l))
}

// cacheFileName returns the cache file name for a cache key: a hash of it.
func cacheFileName(key string) string { return hashedFileName(key, ".cache") }

// hashedFileName names a file of key by a hash of it, ending in ext: the
// key never shows in the name.
func hashedFileName(key, ext string) string {
	sum := sha256.Sum256([]byte(key))
	return "b24org-" + hex.EncodeToString(sum[:12]) + ext
}

// cacheKey is what names this Directory's cache file and is stored in it:
// Options.CacheKey, else the portal.
func (d *Directory) cacheKey() string {
	if d.opts.CacheKey != "" {
		return d.opts.CacheKey
	}
	return d.portal
}

// CachePath returns the cache file of this Directory's portal, "" when the
// cache is off.
func (d *Directory) CachePath() string {
	if d.opts.NoCache || d.opts.CacheDir == "" {
		return ""
	}
	return filepath.Join(d.opts.CacheDir, cacheFileName(d.cacheKey()))
}

// LoadCache reads the disk cache into the current Org; false when there is
// none. The cache becomes the snapshot only while nothing has been loaded
// from the portal (fresher data is never replaced by older). A file that
// cannot be used returns a *CacheError and is otherwise ignored.
func (d *Directory) LoadCache() (bool, error) {
	org, err := d.cachedOrg(readOrg)
	if org == nil {
		return false, err
	}
	return d.install(org, nil) != nil, nil
}

// LoadCacheStaged is LoadCache in two steps, for a first screen that must
// not wait for the whole cache. It installs at once what the browser's
// first screen shows: the department tree, every department's member IDs
// (so every head count) and the people of the root departments, read
// without keeping the rest of the file (whose checksum it still checks);
// the snapshot is not Complete. Then rest reads the whole cache as
// LoadCache does and installs it in place of that first part, unless
// something else has replaced it meanwhile; a failure of rest is also
// recorded in Warnings. rest is nil when nothing was installed (no cache, a
// *CacheError, or a Directory that already knew something).
func (d *Directory) LoadCacheStaged() (rest func() error, err error) {
	first, err := d.cachedOrg(readStart)
	if first == nil {
		return nil, err
	}
	if d.install(first, nil) == nil {
		return nil, nil
	}
	return func() error {
		org, err := d.cachedOrg(readOrg)
		if err != nil {
			d.warn("cache.ignored", err)
		}
		if org != nil {
			d.install(org, first)
		}
		return err
	}, nil
}

// cachedOrg reads the disk cache with read (readOrg, readStart); nil when
// there is none or it cannot be used (then with a *CacheError).
func (d *Directory) cachedOrg(read func(r io.Reader, size int64, key string) (*Org, *lang.Error, error)) (*Org, error) {
	var org *Org
	found, err := d.readCache(func(r io.Reader, size int64) (why *lang.Error, err error) {
		org, why, err = read(r, size, d.cacheKey())
		if idx := org.idxIfBuilt(); why == nil && err == nil && idx != nil {
			why = d.otherRegion(idx.region)
		}
		return why, err
	})
	if !found || err != nil {
		return nil, err
	}
	org.portal = safetext.Clean(d.portal) // the file holds the key; a snapshot names the portal (as New's)
	return org, nil
}

// otherRegion is why a cache file whose phone numbers were read in region
// cannot be used (nil when it can): a region is configured, and it is another.
// The file's own region is not printed (it is outside input).
func (d *Directory) otherRegion(region string) *lang.Error {
	if d.opts.Region == "" || region == d.opts.Region {
		return nil
	}
	return lang.NewError("err.cache.region", "Region", d.opts.Region)
}

// install makes org the snapshot in place of prev, or (prev nil) while
// nothing is known (fresher data is never replaced by older), and returns
// it; nil when the snapshot is something else.
func (d *Directory) install(org, prev *Org) *Org {
	installed := false
	d.update(func(old *Org) *Org {
		known := len(old.st.depts) > 0 || len(old.people) > 0
		if (prev == nil && known) || (prev != nil && old != prev) {
			return old
		}
		installed = true
		return org
	})
	if !installed {
		return nil
	}
	return org
}

// CacheSearch is a search answered from the disk cache alone (SearchCache).
type CacheSearch struct {
	// Org knows the cached department tree and the people found, no one
	// else: its member lists and head counts count only them, and it is
	// never Complete. Its FetchedAt is the cache's.
	Org *Org
	// Matches are the people found, best first, as Org.Search orders them;
	// each Person is Org's.
	Matches []Match
	// Complete reports whether the cache holds the whole directory, so that
	// Matches are everyone who matches (up to the limit).
	Complete bool
	// Total is how many people of the cache match, however many the limit
	// let into Matches.
	Total int
	// People is how many people the cache holds.
	People int

	region string // the region its phone numbers were read in
}

// SearchCache answers Search(query, limit) from the disk cache without
// loading all of it: it keeps the tree, the parts of the search index the
// query needs and the people found (see BenchmarkFind30k). It returns nil
// when the cache is off or there is none, or when the query has filters
// (ParseQuery: they need everyone's records, LoadCache), and a *CacheError
// when the file cannot be used. It does not change the Directory's snapshot.
func (d *Directory) SearchCache(query string, limit int) (*CacheSearch, error) {
	q := ParseQuery(query)
	if q.Filtered() {
		return nil, nil
	}
	var cs *CacheSearch
	found, err := d.readCache(func(r io.Reader, size int64) (why *lang.Error, err error) {
		cs, why, err = searchFile(r, size, d.cacheKey(), q.Text, limit)
		if why == nil && err == nil {
			why = d.otherRegion(cs.region)
		}
		return why, err
	})
	if !found || err != nil {
		return nil, err
	}
	cs.Org.portal = safetext.Clean(d.portal) // as in cachedOrg
	return cs, nil
}

// readCache opens the cache file and hands it to read; false when the cache
// is off or there is no file. A reason why from read becomes a *CacheError.
func (d *Directory) readCache(read func(r io.Reader, size int64) (why *lang.Error, err error)) (bool, error) {
	path := d.CachePath()
	if path == "" {
		return false, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, lang.NewError("err.cache.read", "Err", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, lang.NewError("err.cache.read", "Err", err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxCacheSize {
		return false, cacheError(path, lang.NewError("err.cache.notfile"))
	}
	why, err := read(f, fi.Size())
	if err != nil {
		return false, lang.NewError("err.cache.read", "Err", err)
	}
	if why != nil {
		return false, cacheError(path, why)
	}
	return true, nil
}

// SaveCache writes the current snapshot to the disk cache (nothing when the
// cache is off or nothing is known yet).
func (d *Directory) SaveCache() error {
	path := d.CachePath()
	if path == "" {
		return nil
	}
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	o := d.Snapshot()
	if len(o.st.depts) == 0 && len(o.people) == 0 {
		return nil
	}
	if !o.complete {
		// The cache only moves forward: what the file knows and the
		// snapshot does not stays in it.
		if onDisk, _ := d.cachedOrg(readOrg); onDisk != nil && len(onDisk.people) > 0 {
			o = onDisk.overlaidWith(o)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return lang.NewError("err.cache.mkdir", "Err", err)
	}
	removeStaleTemps(path)
	if err := writeAtomic(path, encodeCacheAs(o, d.cacheKey())); err != nil {
		return lang.NewError("err.cache.write", "Err", err)
	}
	return nil
}

// saveQuietly writes the cache after a load; the first failure becomes a
// warning, later ones are not repeated.
func (d *Directory) saveQuietly() {
	if err := d.SaveCache(); err != nil && d.cacheFailed.CompareAndSwap(false, true) {
		d.warn("cache.unwritable", err)
	}
}

// writeAtomic replaces path with data so that a reader (or a crash at any
// moment) sees the old file or the new one, never a mix: a temporary file
// in the same directory, written, synced, renamed over path, the directory
// synced.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if df, derr := os.Open(dir); derr == nil {
		_ = df.Sync() // best effort: the rename is durable on most systems already
		_ = df.Close()
	}
	return nil
}

// removeStaleTemps removes temporary files of path that a killed writer left
// behind long ago (a fresh one may belong to another process writing now).
func removeStaleTemps(path string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*"))
	for _, m := range matches {
		if fi, err := os.Lstat(m); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > staleTemp {
			_ = os.Remove(m)
		}
	}
}

// encodeCache encodes o as the cache file of its portal.
func encodeCache(o *Org) []byte { return encodeCacheAs(o, o.portal) }

// encodeCacheAs encodes o as a cache file under key.
func encodeCacheAs(o *Org, key string) []byte {
	idx := o.index()
	b := make([]byte, headerSize, headerSize+64+len(o.people)*140)
	b = appendString(b, key)
	b = appendTime(b, o.fetchedAt)
	b = appendBool(b, o.complete)
	b = appendTime(b, o.confirmed.Tree)
	b = appendTime(b, o.confirmed.Merged)
	b = binary.AppendUvarint(b, uint64(len(o.people)))

	b = binary.AppendUvarint(b, uint64(len(o.st.depts)))
	for _, d := range o.st.depts {
		b = binary.AppendUvarint(b, uint64(d.ID))
		b = appendString(b, d.Name)
		b = binary.AppendVarint(b, int64(d.Sort))
		b = binary.AppendUvarint(b, uint64(d.ParentID))
		b = binary.AppendUvarint(b, uint64(d.HeadID))
	}

	var m []byte
	m = binary.AppendUvarint(m, uint64(len(o.st.depts)))
	for _, d := range o.st.depts {
		m = binary.AppendUvarint(m, uint64(d.ID))
		m = appendInts(m, o.mem.members[d.ID])
	}
	var loaded []int
	for _, d := range o.st.depts {
		if o.loaded[d.ID] {
			loaded = append(loaded, d.ID)
		}
	}
	m = appendInts(m, loaded)
	b = appendString(b, string(m))

	b = idx.appendTo(b)

	var recs []byte
	ends := make([]uint32, len(idx.people))
	for e, p := range idx.people {
		recs = appendPerson(recs, p)
		ends[e] = uint32(len(recs))
	}
	b = appendU32s(b, ends)
	b = appendString(b, string(recs))

	payload := b[headerSize:]
	h := b[:0]
	h = append(h, cacheMagic...)
	h = binary.LittleEndian.AppendUint32(h, cacheVersion)
	h = binary.LittleEndian.AppendUint32(h, 0)
	h = binary.LittleEndian.AppendUint64(h, uint64(len(payload)))
	binary.LittleEndian.AppendUint32(h, crc32.Checksum(payload, crcTable()))
	return b
}

// appendPerson appends the record of one person.
func appendPerson(b []byte, p *Person) []byte {
	b = binary.AppendUvarint(b, uint64(p.ID))
	for _, s := range [...]string{p.Name, p.FirstName, p.LastName, p.Position, p.Email, p.Extension, p.WorkPhone, p.Mobile, p.Gender} {
		b = appendString(b, s)
	}
	b = appendInts(b, p.DepartmentIDs)
	b = appendBool(b, p.Active)
	b = appendTime(b, p.LastActivity)
	b = appendTime(b, p.IdleSince)
	return appendTime(b, p.AbsentUntil)
}

// crcTable is the CRC-32C table (hardware accelerated on amd64 and arm64).
func crcTable() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	return binary.AppendVarint(b, t.UnixNano())
}

func appendInts(b []byte, ids []int) []byte {
	b = binary.AppendUvarint(b, uint64(len(ids)))
	for _, id := range ids {
		b = binary.AppendUvarint(b, uint64(id))
	}
	return b
}

// appendU32s appends a list as its count and 4 little-endian bytes each.
func appendU32s(b []byte, xs []uint32) []byte {
	b = binary.AppendUvarint(b, uint64(len(xs)))
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return b
}

// The search index travels in the cache, so that neither start-up nor
// `find` has to build it: its strings as they are, its offsets as uint32s.

// appendTo appends the index to a cache payload.
func (idx *index) appendTo(b []byte) []byte {
	entryOf := make([]uint32, len(idx.entryOf))
	for i, e := range idx.entryOf {
		entryOf[i] = uint32(e)
	}
	b = appendU32s(b, entryOf)
	b = appendString(b, idx.words)
	b = appendU32s(b, idx.wordStart)
	b = appendU32s(b, idx.postStart)
	b = appendU32s(b, idx.post)
	b = appendString(b, idx.digits)
	b = appendU32s(b, idx.digitEnd)
	b = appendString(b, idx.phones)
	b = appendU32s(b, idx.phoneEnd)
	b = appendU32s(b, idx.phoneOrder)
	return appendString(b, idx.region)
}

// overlaidWith returns o (read from the cache file) with what the snapshot
// s knows laid over it: s's tree when it has one, and s's people, each
// field that s knows (not empty) replacing o's. Nobody o knows is dropped.
func (o *Org) overlaidWith(s *Org) *Org {
	people := make([]*Person, 0, len(s.people))
	for _, p := range s.people {
		if base := o.Person(p.ID); base != nil {
			people = append(people, overlay(base, p))
		} else {
			people = append(people, p)
		}
	}
	next := o.withPeople(people, nil)
	if len(s.st.depts) > 0 {
		next = next.withTree(s.st.depts, s.mem.members, time.Now())
	}
	return next
}

// overlay returns base with the fields p knows (not empty) taken from p.
func overlay(base, p *Person) *Person {
	out := *base
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&out.Name, p.Name}, {&out.FirstName, p.FirstName}, {&out.LastName, p.LastName},
		{&out.Position, p.Position}, {&out.Email, p.Email}, {&out.Extension, p.Extension},
		{&out.WorkPhone, p.WorkPhone}, {&out.Mobile, p.Mobile}, {&out.Gender, p.Gender},
	} {
		if f.src != "" {
			*f.dst = f.src
		}
	}
	if len(p.DepartmentIDs) > 0 {
		out.DepartmentIDs = p.DepartmentIDs
	}
	for _, f := range []struct {
		dst *time.Time
		src time.Time
	}{{&out.LastActivity, p.LastActivity}, {&out.IdleSince, p.IdleSince}, {&out.AbsentUntil, p.AbsentUntil}} {
		if !f.src.IsZero() {
			*f.dst = f.src
		}
	}
	out.Active = p.Active
	return &out
}
