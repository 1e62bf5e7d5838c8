package directory

// The disk cache: one file per portal, named by a hash of the portal as
// Client.Portal() prints it (host and user, never the secret). The file is
//
//	magic "b24orgC\n" | version uint32 | reserved uint32 | payload length uint64 |
//	CRC-32C of the payload uint32 | payload
//
// (little endian); the payload is a compact binary encoding of Data (varints
// for numbers, length-prefixed strings, times as Unix nanoseconds, 0 for
// unknown) followed by the search index, so that neither start-up nor `find`
// has to build it. It decodes faster than JSON or gob (see
// BenchmarkCacheDecode30k and BenchmarkCacheLoad30k with its JSON and gob
// companions). It is written atomically: a temporary file in the same
// directory, fsync, rename.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	cacheMagic   = "b24orgC\n"
	cacheVersion = 1
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
	path := d.CachePath()
	if path == "" {
		return false, nil
	}
	data, idx, err := readCache(path, d.portal)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	org := orgOf(data)
	org.adoptIndex(idx)
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

// readCache reads and checks the cache file at path, written for portal.
func readCache(path, portal string) (Data, *index, error) {
	f, err := os.Open(path)
	if err != nil {
		return Data{}, nil, fmt.Errorf("reading the cache: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Data{}, nil, fmt.Errorf("reading the cache: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxCacheSize {
		return Data{}, nil, &CacheError{path, "is not a cache file"}
	}
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, maxCacheSize+1)); err != nil {
		return Data{}, nil, fmt.Errorf("reading the cache: %w", err)
	}
	if buf.Len() > maxCacheSize {
		return Data{}, nil, &CacheError{path, "is not a cache file"}
	}
	data, idx, reason := decodeCache(buf.Bytes(), portal)
	if reason != "" {
		return Data{}, nil, &CacheError{path, reason}
	}
	return data, idx, nil
}

// encodeCache encodes o as a cache file.
func encodeCache(o *Org) []byte {
	b := make([]byte, headerSize, headerSize+64+len(o.people)*96)
	b = appendString(b, o.portal)
	b = appendTime(b, o.fetchedAt)
	b = appendBool(b, o.complete)
	b = binary.AppendUvarint(b, uint64(len(o.st.depts)))
	for _, d := range o.st.depts {
		b = binary.AppendUvarint(b, uint64(d.ID))
		b = appendString(b, d.Name)
		b = binary.AppendVarint(b, int64(d.Sort))
		b = binary.AppendUvarint(b, uint64(d.ParentID))
		b = binary.AppendUvarint(b, uint64(d.HeadID))
	}
	b = binary.AppendUvarint(b, uint64(len(o.people)))
	for _, p := range o.people {
		b = binary.AppendUvarint(b, uint64(p.ID))
		for _, s := range [...]string{p.Name, p.FirstName, p.LastName, p.Position, p.Email, p.Extension, p.WorkPhone, p.Mobile} {
			b = appendString(b, s)
		}
		b = appendInts(b, p.DepartmentIDs)
		b = appendBool(b, p.Active)
		b = appendTime(b, p.LastActivity)
		b = appendTime(b, p.IdleSince)
		b = appendTime(b, p.AbsentUntil)
	}
	b = binary.AppendUvarint(b, uint64(len(o.st.depts)))
	for _, d := range o.st.depts {
		b = binary.AppendUvarint(b, uint64(d.ID))
		b = appendInts(b, o.mem.members[d.ID])
	}
	var loaded []int
	for _, d := range o.st.depts {
		if o.loaded[d.ID] {
			loaded = append(loaded, d.ID)
		}
	}
	b = appendInts(b, loaded)
	b = o.index().appendTo(b)

	payload := b[headerSize:]
	h := b[:0]
	h = append(h, cacheMagic...)
	h = binary.LittleEndian.AppendUint32(h, cacheVersion)
	h = binary.LittleEndian.AppendUint32(h, 0)
	h = binary.LittleEndian.AppendUint64(h, uint64(len(payload)))
	binary.LittleEndian.AppendUint32(h, crc32.Checksum(payload, crcTable()))
	return b
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

// decodeCache checks and decodes a cache file into its Data and search
// index (nil when the file's index cannot be used); reason says why the file
// cannot be used at all ("" when it can). Nothing in b can make it panic or
// allocate much more than len(b).
func decodeCache(b []byte, portal string) (d Data, idx *index, reason string) {
	if len(b) < headerSize || string(b[:len(cacheMagic)]) != cacheMagic {
		if len(b) < headerSize && strings.HasPrefix(cacheMagic, string(b)) {
			return Data{}, nil, "is truncated"
		}
		return Data{}, nil, "is not a b24org cache"
	}
	h := b[len(cacheMagic):]
	if v := binary.LittleEndian.Uint32(h); v != cacheVersion {
		return Data{}, nil, fmt.Sprintf("has format version %d, not %d", v, cacheVersion)
	}
	size := binary.LittleEndian.Uint64(h[8:])
	sum := binary.LittleEndian.Uint32(h[16:])
	payload := b[headerSize:]
	switch {
	case uint64(len(payload)) < size:
		return Data{}, nil, "is truncated"
	case uint64(len(payload)) > size:
		return Data{}, nil, "has trailing bytes"
	case crc32.Checksum(payload, crcTable()) != sum:
		return Data{}, nil, "is corrupt (checksum mismatch)"
	}
	r := &reader{s: string(payload)}
	d.Portal = r.str()
	if r.err == nil && d.Portal != portal {
		return Data{}, nil, "belongs to another portal"
	}
	d.FetchedAt = r.time()
	d.Complete = r.bool()
	nd := r.count()
	d.Departments = make([]Department, nd)
	for i := range d.Departments {
		dep := &d.Departments[i]
		dep.ID = r.int()
		dep.Name = r.str()
		dep.Sort = r.sint()
		dep.ParentID = r.int()
		dep.HeadID = r.int()
	}
	np := r.count()
	d.People = make([]Person, np)
	var slab []int // department IDs of everyone, in one allocation or a few
	for i := range d.People {
		p := &d.People[i]
		p.ID = r.int()
		for _, s := range [...]*string{&p.Name, &p.FirstName, &p.LastName, &p.Position, &p.Email, &p.Extension, &p.WorkPhone, &p.Mobile} {
			*s = r.str()
		}
		p.DepartmentIDs, slab = r.intsFrom(slab)
		p.Active = r.bool()
		p.LastActivity = r.time()
		p.IdleSince = r.time()
		p.AbsentUntil = r.time()
	}
	nm := r.count()
	d.Members = make(map[int][]int, nm)
	for range nm {
		id := r.int()
		d.Members[id] = r.ints()
	}
	d.Loaded = r.ints()
	idx = readIndex(r)
	if r.err != nil {
		return Data{}, nil, "is corrupt (" + r.err.Error() + ")"
	}
	if r.off != len(r.s) {
		return Data{}, nil, "is corrupt (trailing data)"
	}
	return d, idx, ""
}

// reader decodes the payload; after the first error every read returns zero.
type reader struct {
	s   string
	off int
	err error
}

var errShort = errors.New("unexpected end")

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
	r.err = errors.New("bad number")
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
		r.err = errors.New("bad number")
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

// The search index travels in the cache too, so that the first search after
// start-up (and `find`) need not build it: its strings as they are, its
// offsets as differences.

// appendTo appends the index to a cache payload.
func (idx *index) appendTo(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(idx.entryOf)))
	for _, e := range idx.entryOf {
		b = binary.AppendUvarint(b, uint64(e))
	}
	b = appendString(b, idx.words)
	b = appendDeltas(b, idx.wordStart)
	b = appendDeltas(b, idx.postStart)
	b = binary.AppendUvarint(b, uint64(len(idx.post)))
	for _, p := range idx.post {
		b = binary.AppendUvarint(b, uint64(p))
	}
	b = appendString(b, idx.digits)
	return appendDeltas(b, idx.digitEnd)
}

// appendDeltas appends an ascending list as its count and differences.
func appendDeltas(b []byte, xs []uint32) []byte {
	b = binary.AppendUvarint(b, uint64(len(xs)))
	prev := uint32(0)
	for _, x := range xs {
		b = binary.AppendUvarint(b, uint64(x-prev))
		prev = x
	}
	return b
}

// readIndex reads the index appendTo wrote, without its people; nil when it
// does not hold together (then it is built again on first search).
func readIndex(r *reader) *index {
	n := r.count()
	idx := &index{entryOf: make([]int32, n)}
	for i := range idx.entryOf {
		idx.entryOf[i] = int32(r.int())
	}
	idx.words = r.str()
	idx.wordStart = r.deltas()
	idx.postStart = r.deltas()
	idx.post = make([]uint32, r.count())
	for i := range idx.post {
		idx.post[i] = uint32(r.int())
	}
	idx.digits = r.str()
	idx.digitEnd = r.deltas()
	if r.err != nil || !idx.valid() {
		return nil
	}
	return idx
}

func (r *reader) deltas() []uint32 {
	xs := make([]uint32, r.count())
	sum := uint64(0)
	for i := range xs {
		sum += r.uvarint()
		if sum > math.MaxUint32 {
			r.err = errors.New("bad offset")
			return nil
		}
		xs[i] = uint32(sum)
	}
	return xs
}

// valid reports whether every offset of idx stays inside what it indexes,
// as the search loops need.
func (idx *index) valid() bool {
	n := len(idx.entryOf)
	seen := make([]bool, n)
	for _, e := range idx.entryOf {
		if e < 0 || int(e) >= n || seen[e] {
			return false
		}
		seen[e] = true
	}
	ws := idx.wordStart
	if len(ws) == 0 || ws[0] != 0 || int(ws[len(ws)-1]) != len(idx.words) || len(idx.postStart) != len(ws) {
		return false
	}
	for w := 1; w < len(ws); w++ {
		if ws[w] <= ws[w-1] || idx.words[ws[w]-1] != ' ' { // deltas make them ascending; no empty word
			return false
		}
	}
	if idx.postStart[0] != 0 || int(idx.postStart[len(ws)-1]) != len(idx.post) {
		return false
	}
	for _, p := range idx.post {
		if int(p>>1) >= n {
			return false
		}
	}
	if len(idx.digitEnd) != n || (n == 0 && idx.digits != "") || (n > 0 && int(idx.digitEnd[n-1]) != len(idx.digits)) {
		return false
	}
	prev := uint32(0)
	for _, end := range idx.digitEnd {
		if end <= prev || idx.digits[end-1] != '\n' {
			return false
		}
		prev = end
	}
	return true
}
