package directory

// The disk cache: one file per portal, named by a hash of the portal as
// Client.Portal() prints it (host and user, never the secret). The file is
//
//	magic "b24orgC\n" | version uint32 | reserved uint32 | payload length uint64 |
//	CRC-32C of the payload uint32 | payload
//
// (little endian). Version 2 lays the payload out so that `find` keeps only
// what it needs: numbers are varints, strings length-prefixed, times Unix
// nanoseconds (0 for unknown), and the lists the search reads are plain
// uint32 arrays (count, then 4 bytes each) that decode in one pass:
//
//	meta      portal, FetchedAt, Complete, number of people
//	tree      departments: ID, name, sort, parent, head
//	members   one length-prefixed block: member IDs per department, then the
//	          loaded departments
//	index     the search index (search.go): entry of each person by ID,
//	          words, word starts, posting starts, postings, digits, digit ends
//	people    where each person's record ends, then the records, one per
//	          index entry (name order)
//
// Every reader streams the whole payload through a small buffer and checks
// its checksum, but keeps only what it needs: LoadCache everything (and
// adopts the index), SearchCache the tree, the parts of the index the query
// reads (words or digits) and the records of the people found. In a
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
)

const (
	cacheMagic   = "b24orgC\n"
	cacheVersion = 2
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
	Reason string
}

func (e *CacheError) Error() string {
	return fmt.Sprintf("cache file %s %s; it will be rebuilt", e.Path, e.Reason)
}

// cacheFileName returns the cache file name for a portal: a hash of the
// portal as Client.Portal() prints it.
func cacheFileName(portal string) string {
	sum := sha256.Sum256([]byte(portal))
	return "b24org-" + hex.EncodeToString(sum[:12]) + ".cache"
}

// CachePath returns the cache file of this Directory's portal, "" when the
// cache is off.
func (d *Directory) CachePath() string {
	if d.opts.NoCache || d.opts.CacheDir == "" {
		return ""
	}
	return filepath.Join(d.opts.CacheDir, cacheFileName(d.portal))
}

// LoadCache reads the disk cache into the current Org; false when there is
// none. The cache becomes the snapshot only while nothing has been loaded
// from the portal (fresher data is never replaced by older). A file that
// cannot be used returns a *CacheError and is otherwise ignored.
func (d *Directory) LoadCache() (bool, error) {
	var org *Org
	found, err := d.readCache(func(r io.Reader, size int64) (reason string, err error) {
		org, reason, err = readOrg(r, size, d.portal)
		return reason, err
	})
	if !found || err != nil {
		return false, err
	}
	installed := false
	d.update(func(old *Org) *Org {
		if len(old.st.depts) > 0 || len(old.people) > 0 {
			return old
		}
		installed = true
		return org
	})
	return installed, nil
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
}

// SearchCache answers Search(query, limit) from the disk cache without
// loading all of it: it keeps the tree, the parts of the search index the
// query needs and the people found (see BenchmarkFind30k). It returns nil
// when the cache is off or there is none, and a *CacheError when the file
// cannot be used. It does not change the Directory's snapshot.
func (d *Directory) SearchCache(query string, limit int) (*CacheSearch, error) {
	var cs *CacheSearch
	found, err := d.readCache(func(r io.Reader, size int64) (reason string, err error) {
		cs, reason, err = searchFile(r, size, d.portal, query, limit)
		return reason, err
	})
	if !found || err != nil {
		return nil, err
	}
	return cs, nil
}

// readCache opens the cache file and hands it to read; false when the cache
// is off or there is no file. A reason from read becomes a *CacheError.
func (d *Directory) readCache(read func(r io.Reader, size int64) (reason string, err error)) (bool, error) {
	path := d.CachePath()
	if path == "" {
		return false, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading the cache: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("reading the cache: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxCacheSize {
		return false, &CacheError{path, "is not a cache file"}
	}
	reason, err := read(f, fi.Size())
	if err != nil {
		return false, fmt.Errorf("reading the cache: %w", err)
	}
	if reason != "" {
		return false, &CacheError{path, reason}
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
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating the cache directory: %w", err)
	}
	removeStaleTemps(path)
	if err := writeAtomic(path, encodeCache(o)); err != nil {
		return fmt.Errorf("writing the cache: %w", err)
	}
	return nil
}

// saveQuietly writes the cache after a load; the first failure becomes a
// warning, later ones are not repeated.
func (d *Directory) saveQuietly() {
	if err := d.SaveCache(); err != nil && d.cacheFailed.CompareAndSwap(false, true) {
		d.warn(fmt.Sprintf("working without the directory cache: %v", err))
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

// encodeCache encodes o as a cache file.
func encodeCache(o *Org) []byte {
	idx := o.index()
	b := make([]byte, headerSize, headerSize+64+len(o.people)*140)
	b = appendString(b, o.portal)
	b = appendTime(b, o.fetchedAt)
	b = appendBool(b, o.complete)
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
	for _, s := range [...]string{p.Name, p.FirstName, p.LastName, p.Position, p.Email, p.Extension, p.WorkPhone, p.Mobile} {
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
	return appendU32s(b, idx.digitEnd)
}
