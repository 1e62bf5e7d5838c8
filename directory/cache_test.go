package directory

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/lang"
)

const testPortal = "https://acme.example/rest/1/••••/"

// cacheDir returns a Directory without a client that uses dir as the cache
// of portal, holding data (when not nil) as its snapshot.
func cacheDir(dir, portal string, data *Data) *Directory {
	d := New(nil, Options{CacheDir: dir})
	d.portal = portal
	if data != nil {
		data.Portal = portal
		d.cur.Store(NewOrg(*data))
	}
	return d
}

func TestCacheRoundTrip(t *testing.T) {
	dir := t.TempDir()
	data := smallData()
	data.FetchedAt = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	data.People[0].LastActivity = data.FetchedAt.Add(-time.Minute)
	data.People[0].IdleSince = data.FetchedAt.Add(-30 * time.Second)
	data.People[1].AbsentUntil = data.FetchedAt.Add(72 * time.Hour)
	data.Complete = true
	w := cacheDir(dir, testPortal, &data)
	require.NoError(t, w.SaveCache())

	r := cacheDir(dir, testPortal, nil)
	ok, err := r.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, utcData(w.Snapshot().Data()), utcData(r.Snapshot().Data()))
	assert.Equal(t, 6, r.Snapshot().HeadCount(1))
	assert.Equal(t, ScoreExtension, r.Snapshot().Search("1042", 1)[0].Score)
}

func TestCacheCarriesTheSearchIndex(t *testing.T) {
	dir := t.TempDir()
	data := genData(3000, 60, 21)
	w := cacheDir(dir, testPortal, &data)
	require.NoError(t, w.SaveCache())

	r := cacheDir(dir, testPortal, nil)
	ok, err := r.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	loaded := r.Snapshot()
	require.NotNil(t, loaded.idx.Load(), "no index build after a cache load")
	built := NewOrg(data)
	for _, q := range append(benchQueries, "a", "", "zoe weiss", "+1 555") {
		want, got := built.Search(q, 0), loaded.Search(q, 0)
		require.Len(t, got, len(want), q)
		for i := range want {
			assert.Equal(t, want[i].Person.ID, got[i].Person.ID, q)
			assert.Equal(t, want[i].Score, got[i].Score, q)
			assert.Same(t, loaded.Person(got[i].Person.ID), got[i].Person, q)
		}
	}
}

func TestSearchCacheAgreesWithSearch(t *testing.T) {
	dir := t.TempDir()
	data := genData(3000, 60, 21)
	data.Complete = true
	require.NoError(t, cacheDir(dir, testPortal, &data).SaveCache())
	full := cacheDir(dir, testPortal, nil)
	ok, err := full.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	org := full.Snapshot()

	d := cacheDir(dir, testPortal, nil)
	for _, q := range append(benchQueries, "a", "", "  ", "!!", "zoe weiss", "+1 555", "anna 10", "ivanov 5", "1", "bdfyjd", "ьгддук", "fyodorov", "solovyova", "10 ;',", "1.2.3.4") {
		want := org.Search(q, 50)
		cs, err := d.SearchCache(q, 50)
		require.NoError(t, err, q)
		require.NotNil(t, cs, q)
		assert.True(t, cs.Complete, q)
		assert.False(t, cs.Org.Complete(), "%s: the Org holds the people found only", q)
		assert.Equal(t, org.FetchedAt(), cs.Org.FetchedAt(), q)
		require.Len(t, cs.Matches, len(want), q)
		assert.LessOrEqual(t, cs.Org.PersonCount(), len(want), q)
		for i, m := range cs.Matches {
			assert.Equal(t, want[i].Score, m.Score, q)
			assert.Equal(t, want[i].Layout, m.Layout, q)
			assert.Equal(t, utcPerson(*want[i].Person), utcPerson(*m.Person), q)
			assert.Same(t, cs.Org.Person(m.Person.ID), m.Person, q)
			assert.Equal(t, org.DepartmentPaths(want[i].Person), cs.Org.DepartmentPaths(m.Person), q)
		}
	}
	assert.Zero(t, d.Snapshot().PersonCount(), "SearchCache leaves the snapshot alone")

	data.Complete = false
	partial := t.TempDir()
	require.NoError(t, cacheDir(partial, testPortal, &data).SaveCache())
	cs, err := cacheDir(partial, testPortal, nil).SearchCache("a", 5)
	require.NoError(t, err)
	assert.False(t, cs.Complete)
	assert.Len(t, cs.Matches, 5)
}

// utcPerson returns p with its times in UTC (the cache keeps the instant).
func utcPerson(p Person) Person {
	p.LastActivity, p.IdleSince, p.AbsentUntil = p.LastActivity.UTC(), p.IdleSince.UTC(), p.AbsentUntil.UTC()
	return p
}

// The cache file is outside input: a file that passes every check but
// holds escape sequences (written by someone else) is cleaned on the way in.
func TestCacheStringsAreCleanedOnRead(t *testing.T) {
	dir := t.TempDir()
	data := smallData()
	w := cacheDir(dir, testPortal, &data)
	o := w.Snapshot()
	anna := o.Person(10)
	anna.Name = "\x1b]52;c;aGk=\x07Anna \x1b[31mJohnson"
	anna.Position = "Account\u202eManager"
	o.st.ptrs[0].Name = "Acme\x1b[2J Corp"
	require.NoError(t, os.MkdirAll(dir, 0o700))
	require.NoError(t, writeAtomic(w.CachePath(), encodeCache(o)))

	r := cacheDir(dir, testPortal, nil)
	ok, err := r.LoadCache()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "Anna Johnson", r.Snapshot().Person(10).Name)
	assert.Equal(t, "AccountManager", r.Snapshot().Person(10).Position)
	assert.Equal(t, "Acme Corp", r.Snapshot().Department(o.st.ptrs[0].ID).Name)

	cs, err := cacheDir(dir, testPortal, nil).SearchCache("anna", 5)
	require.NoError(t, err)
	require.NotEmpty(t, cs.Matches)
	assert.Equal(t, "Anna Johnson", cs.Matches[0].Person.Name)
	assert.Equal(t, "AccountManager", cs.Matches[0].Person.Position)
	assert.Equal(t, "Acme Corp", cs.Org.Path(o.st.ptrs[0].ID)[0])
}

func TestCacheMissingIsNotAnError(t *testing.T) {
	d := cacheDir(t.TempDir(), testPortal, nil)
	ok, err := d.LoadCache()
	assert.False(t, ok)
	assert.NoError(t, err)

	off := New(nil, Options{CacheDir: t.TempDir(), NoCache: true})
	assert.Empty(t, off.CachePath())
	ok, err = off.LoadCache()
	assert.False(t, ok)
	assert.NoError(t, err)
	off.cur.Store(NewOrg(smallData()))
	assert.NoError(t, off.SaveCache())

	for _, dd := range []*Directory{d, off} {
		cs, err := dd.SearchCache("anna", 5)
		assert.Nil(t, cs)
		assert.NoError(t, err)
	}
}

// badCaches returns broken versions of a good cache file, by what is wrong.
func badCaches(t *testing.T, good []byte) map[string][]byte {
	t.Helper()
	bad := map[string][]byte{
		"empty":            {},
		"magic only":       good[:4],
		"header only":      good[:headerSize],
		"cut in the half":  good[:len(good)/2],
		"cut by one byte":  good[:len(good)-1],
		"one byte more":    append(bytes.Clone(good), 0),
		"not a cache":      []byte("{\"people\": []}\n"),
		"flipped bit":      bytes.Clone(good),
		"other version":    bytes.Clone(good),
		"garbage, summed":  bytes.Clone(good),
		"absurd count":     bytes.Clone(good),
		"other portal":     nil,
		"huge length":      bytes.Clone(good),
		"zeroed payload":   bytes.Clone(good),
		"zeroed header":    make([]byte, len(good)),
		"random bytes":     make([]byte, 4096),
		"utf-8 in magic":   append([]byte("b24орг"), good[8:]...),
		"truncated header": good[:headerSize-1],
	}
	bad["flipped bit"][headerSize+len(good[headerSize:])/3] ^= 0x10
	binary.LittleEndian.PutUint32(bad["other version"][len(cacheMagic):], cacheVersion+1)
	resum := func(b []byte) {
		binary.LittleEndian.PutUint32(b[len(cacheMagic)+16:], crc32.Checksum(b[headerSize:], crcTable()))
	}
	g := bad["garbage, summed"]
	for i := headerSize + 40; i < len(g); i += 7 {
		g[i] = 0xff
	}
	resum(g)
	a := bad["absurd count"]
	for i := headerSize + len(testPortal) + 1; i < headerSize+len(testPortal)+12; i++ {
		a[i] = 0xfe
	}
	resum(a)
	binary.LittleEndian.PutUint64(bad["huge length"][len(cacheMagic)+8:], 1<<62)
	z := bad["zeroed payload"]
	clear(z[headerSize:])
	resum(z)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range bad["random bytes"] {
		bad["random bytes"][i] = byte(r.UintN(256))
	}
	other := filepath.Join(t.TempDir(), "other")
	data := smallData()
	require.NoError(t, cacheDir(other, "https://other.example/rest/1/••••/", &data).SaveCache())
	bad["other portal"] = readOnlyFile(t, other)
	return bad
}

// readOnlyFile returns the content of the one cache file in dir.
func readOnlyFile(t *testing.T, dir string) []byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "b24org-*.cache"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	raw, err := os.ReadFile(files[0])
	require.NoError(t, err)
	return raw
}

func TestCacheBadFilesIgnoredAndRebuilt(t *testing.T) {
	dir := t.TempDir()
	data := smallData()
	w := cacheDir(dir, testPortal, &data)
	require.NoError(t, w.SaveCache())
	good := readOnlyFile(t, dir)
	path := w.CachePath()

	for name, raw := range badCaches(t, good) {
		require.NoError(t, os.WriteFile(path, raw, 0o600), name)
		d := cacheDir(dir, testPortal, nil)
		ok, err := d.LoadCache()
		assert.False(t, ok, name)
		var ce *CacheError
		if assert.True(t, errors.As(err, &ce), "%s: %v", name, err) {
			assert.Equal(t, path, ce.Path)
			assert.Contains(t, err.Error(), "rebuilt", name)
		}
		assert.Zero(t, d.Snapshot().PersonCount(), name)
		cs, err := d.SearchCache("anna", 5)
		assert.Nil(t, cs, name)
		assert.True(t, errors.As(err, &ce), "%s: %v", name, err)

		// The next write replaces the bad file with a good one.
		d.cur.Store(NewOrg(Data{Portal: testPortal, People: data.People}))
		require.NoError(t, d.SaveCache(), name)
		ok, err = cacheDir(dir, testPortal, nil).LoadCache()
		assert.True(t, ok, name)
		assert.NoError(t, err, name)
	}
}

func TestCacheDecoderSurvivesMutations(t *testing.T) {
	data := genData(100, 10, 5)
	data.Portal = testPortal
	good := encodeCache(NewOrg(data))
	r := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		b := bytes.Clone(good)
		switch r.IntN(3) {
		case 0:
			b[headerSize+r.IntN(len(b)-headerSize)] = byte(r.UintN(256))
		case 1:
			for range 1 + r.IntN(20) {
				b[headerSize+r.IntN(len(b)-headerSize)] ^= byte(1 << r.IntN(8))
			}
		case 2:
			b = b[:headerSize+r.IntN(len(b)-headerSize)]
			binary.LittleEndian.PutUint64(b[len(cacheMagic)+8:], uint64(len(b)-headerSize))
		}
		binary.LittleEndian.PutUint32(b[len(cacheMagic)+16:], crc32.Checksum(b[headerSize:], crcTable()))
		useDecoded(b)
	}
}

// useDecoded reads b as a cache file and, when it passes, loads it whole and
// searches it both ways: whatever passes the checks must be usable.
func useDecoded(b []byte) {
	for _, q := range []string{"a", "ivanov", "10", "1042", "müller", "陈", "anna 10"} {
		cs, why, _ := searchFile(bytes.NewReader(b), int64(len(b)), testPortal, q, 5)
		if why == nil {
			for _, m := range cs.Matches {
				cs.Org.DepartmentPaths(m.Person)
			}
		}
	}
	if o, why, _ := readStart(bytes.NewReader(b), int64(len(b)), testPortal); why == nil {
		for _, d := range o.Departments() {
			o.People(d.ID)
			o.HeadCount(d.ID)
		}
	}
	if o, why, _ := readOrg(bytes.NewReader(b), int64(len(b)), testPortal); why == nil {
		for _, q := range []string{"a", "ivanov", "10", "1042", "müller", "陈"} {
			o.Search(q, 5)
		}
		for _, d := range o.Departments() {
			o.People(d.ID)
		}
	}
}

func FuzzDecodeCache(f *testing.F) {
	data := smallData()
	data.Portal = testPortal
	f.Add(encodeCache(NewOrg(data)), false)
	f.Add(encodeCache(NewOrg(data)), true)
	f.Add([]byte(cacheMagic), false)
	f.Fuzz(func(t *testing.T, b []byte, resum bool) {
		if resum && len(b) >= headerSize { // explore the decoder behind the checksum
			b = bytes.Clone(b)
			binary.LittleEndian.PutUint64(b[len(cacheMagic)+8:], uint64(len(b)-headerSize))
			binary.LittleEndian.PutUint32(b[len(cacheMagic)+16:], crc32.Checksum(b[headerSize:], crcTable()))
		}
		useDecoded(b)
	})
}

func TestCacheFileModeAndNoSecret(t *testing.T) {
	const code = "s3cr3tw3bh00kc0de42"
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 80, Departments: 6, Seed: 1, Now: genNow})
	_, c := startPortal(t, fake, fakeportal.Options{WebhookCode: code})
	dir := filepath.Join(t.TempDir(), "new", "b24org")
	d := New(c, Options{CacheDir: dir})
	_, err := d.LoadAll(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, d.Warnings())

	fi, err := os.Stat(d.CachePath())
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
	assert.NotContains(t, d.CachePath(), code)

	raw := readOnlyFile(t, dir)
	assert.NotContains(t, string(raw), code)
	assert.Contains(t, string(raw), "••••", "the portal is stored redacted")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")
}

func TestCacheUnwritableDirWarnsOnce(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 40, Departments: 4, Seed: 1, Now: genNow})
	_, c := startPortal(t, fake, fakeportal.Options{})
	blocker := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(blocker, nil, 0o600))
	d := New(c, Options{CacheDir: filepath.Join(blocker, "cache")}) // a directory under a file

	for range 3 {
		org, err := d.LoadAll(context.Background(), nil)
		require.NoError(t, err, "the load works without the cache")
		assert.True(t, org.Complete())
	}
	_, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	require.Len(t, d.Warnings(), 1, "said once")
	assert.Contains(t, d.Warnings()[0], "without the directory cache")
	ru := d.WarningsIn(lang.Russian())
	require.Len(t, ru, 1)
	assert.True(t, strings.HasPrefix(ru[0], "работаю без кэша справочника: "), "a Russian session reads it in Russian: %q", ru[0])
	assert.True(t, strings.HasSuffix(ru[0], strings.TrimPrefix(d.Warnings()[0], "working without the directory cache: ")), "with the same cause")
	assert.Error(t, d.SaveCache())
	ok, err := d.LoadCache()
	assert.False(t, ok)
	assert.Error(t, err)
}

func TestLoadCacheNeverReplacesFresherData(t *testing.T) {
	dir := t.TempDir()
	data := smallData()
	require.NoError(t, cacheDir(dir, testPortal, &data).SaveCache())

	fresh := Data{People: []Person{{ID: 99, Name: "Fresh"}}}
	d := cacheDir(dir, testPortal, &fresh)
	ok, err := d.LoadCache()
	assert.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, "Fresh", d.Snapshot().Person(99).Name)
}

// The kill -9 test: a helper process (this test binary, re-executed) writes
// the cache in a loop; it is killed at random moments, and each time the
// cache must load complete.

const (
	writerEnv    = "B24ORG_TEST_CACHE_WRITER"     // the cache directory
	writerGenEnv = "B24ORG_TEST_CACHE_WRITER_GEN" // the first generation to write
)

// TestHelperProcess is the cache writer when run with writerEnv set (it
// prints a line after each write and runs until killed); on its own it does
// nothing.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(writerEnv)
	if dir == "" {
		return
	}
	first, _ := strconv.Atoi(os.Getenv(writerGenEnv))
	for gen := max(first, 1); ; gen++ {
		data := writerData(gen)
		if err := cacheDir(dir, testPortal, &data).SaveCache(); err != nil {
			os.Exit(3)
		}
		fmt.Printf("written %d\n", gen)
	}
}

// writerData is generation gen of the writer's org: its size and its
// FetchedAt say which generation a loaded cache is.
func writerData(gen int) Data {
	data := genData(300+gen%5*300, 20, uint64(gen))
	data.FetchedAt = time.Unix(int64(gen), 0)
	data.Complete = true // a whole directory replaces the last one; a subset would merge into it
	return data
}

func TestCacheSurvivesKill9(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 8))
	gens := map[int]bool{}
	for i := range 60 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), writerEnv+"="+dir, writerGenEnv+"="+strconv.Itoa(1+100*i))
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		// Once the writer is writing, kill it at a random moment.
		line, err := bufio.NewReader(out).ReadString('\n')
		require.NoError(t, err, "the writer wrote nothing")
		require.True(t, strings.HasPrefix(line, "written "), line)
		time.Sleep(time.Duration(r.IntN(50_000)) * time.Microsecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		err = cmd.Wait()
		var exit *exec.ExitError
		require.True(t, errors.As(err, &exit), "the writer runs until killed: %v", err)

		d := cacheDir(dir, testPortal, nil)
		ok, err := d.LoadCache()
		require.NoError(t, err, "kill %d left a cache that does not load", i)
		require.True(t, ok, "kill %d: the cache vanished", i)
		org := d.Snapshot()
		gen := int(org.FetchedAt().Unix())
		gens[gen] = true
		want := writerData(gen)
		assert.Equal(t, len(want.People), org.PersonCount(), "kill %d: generation %d complete", i, gen)
		last := want.People[len(want.People)-1]
		assert.Equal(t, last.Name, org.Person(last.ID).Name)
	}
	t.Logf("60 kills; the cache held %d different generations", len(gens))
}

// TestCacheReasonsSayTheirCatalogWords reads files broken in every way a
// reader notices and checks that each reason keeps its English words and
// is said in Russian from the catalog, not by matching the English.
func TestCacheReasonsSayTheirCatalogWords(t *testing.T) {
	dir := t.TempDir()
	data := smallData()
	w := cacheDir(dir, testPortal, &data)
	require.NoError(t, w.SaveCache())
	good := readOnlyFile(t, dir)
	path := w.CachePath()

	// payload returns a copy of good whose payload is edited by edit, with
	// the header's length and checksum made to fit it again.
	payload := func(edit func(p []byte) []byte) []byte {
		p := edit(bytes.Clone(good[headerSize:]))
		b := append(bytes.Clone(good[:headerSize]), p...)
		binary.LittleEndian.PutUint64(b[len(cacheMagic)+8:], uint64(len(p)))
		binary.LittleEndian.PutUint32(b[len(cacheMagic)+16:], crc32.Checksum(p, crcTable()))
		return b
	}
	// The member lists follow the department tree: a length, then the block.
	_, s, why, err := readHead(bytes.NewReader(good), int64(len(good)), testPortal)
	require.NoError(t, err)
	require.Nil(t, why)
	members := len(good) - headerSize - int(s.left)
	blockLen, k := binary.Uvarint(good[headerSize+members:])
	require.Greater(t, k, 0)
	require.GreaterOrEqual(t, blockLen, uint64(binary.MaxVarintLen64))

	bad := badCaches(t, good)
	for _, c := range []struct {
		name   string
		raw    []byte // nil: a directory in the file's place
		en, ru string
	}{
		{"empty", bad["empty"], "is truncated", "обрезан"},
		{"not a cache", bad["not a cache"], "is not a b24org cache", "не является кэшем b24org"},
		{"other version", bad["other version"], fmt.Sprintf("has format version %d, not %d", cacheVersion+1, cacheVersion),
			fmt.Sprintf("в формате версии %d, а не %d", cacheVersion+1, cacheVersion)},
		{"one byte more", bad["one byte more"], "has trailing bytes", "содержит лишние байты в конце"},
		{"other portal", bad["other portal"], "belongs to another portal", "относится к другому порталу"},
		{"flipped bit", bad["flipped bit"], "is corrupt (checksum mismatch)", "повреждён (не совпадает контрольная сумма)"},
		{"absurd count", bad["absurd count"], "is corrupt (bad number)", "повреждён (неверное число)"},
		{"payload cut short", payload(func(p []byte) []byte { return p[:len(p)-1] }),
			"is corrupt (unexpected end)", "повреждён (неожиданный конец)"},
		{"payload too long", payload(func(p []byte) []byte { return append(p, 0) }),
			"is corrupt (trailing data)", "повреждён (лишние данные)"},
		{"member lists", payload(func(p []byte) []byte {
			block := p[members+k : members+k+int(blockLen)]
			for i := range block {
				block[i] = 0xff
			}
			return p
		}), "is corrupt (bad member lists)", "повреждён (неверные списки состава)"},
		{"person record", payload(func(p []byte) []byte {
			p[len(p)-1] = 0x80 // the last record's last number runs past its end
			return p
		}), "is corrupt (bad person record)", "повреждён (неверная запись о сотруднике)"},
		{"directory", nil, "is not a cache file", "не является файлом кэша"},
	} {
		require.NoError(t, os.RemoveAll(path), c.name)
		if c.raw == nil {
			require.NoError(t, os.Mkdir(path, 0o700), c.name)
		} else {
			require.NoError(t, os.WriteFile(path, c.raw, 0o600), c.name)
		}
		_, err := cacheDir(dir, testPortal, nil).LoadCache()
		var ce *CacheError
		require.ErrorAs(t, err, &ce, c.name)
		assert.Equal(t, c.en, ce.Reason, c.name)
		assert.Equal(t, "cache file "+path+" "+c.en+"; it will be rebuilt", err.Error(), c.name)
		assert.Equal(t, c.en, ce.ReasonIn(lang.English()), c.name)
		assert.Equal(t, c.ru, ce.ReasonIn(lang.Russian()), c.name)
		said := lang.Say(lang.Russian(), err)
		assert.Equal(t, "файл кэша "+path+" "+c.ru+"; он будет создан заново", said, c.name)
		assert.Empty(t, leftoverEnglish(said, []string{path, "b24org"}), "%s: %s", c.name, said)
	}
	require.NoError(t, os.RemoveAll(path))
}

// TestCacheReasonsKeepTheirEnglish checks the English of the reasons no
// file above reaches, and that a reason set by hand stays as it is.
func TestCacheReasonsKeepTheirEnglish(t *testing.T) {
	cause := errors.New("input/output error")
	for _, c := range []struct {
		why    *lang.Error
		en, ru string
	}{
		{corrupt("err.cache.order"), "is corrupt (people out of order)", "повреждён (нарушен порядок сотрудников)"},
		{corrupt("err.cache.index"), "is corrupt (bad search index)", "повреждён (неверный поисковый индекс)"},
		{corrupt("err.cache.people"), "is corrupt (bad person records)", "повреждён (неверные записи о сотрудниках)"},
		{corrupt("err.cache.result"), "is corrupt (bad search result)", "повреждён (неверный результат поиска)"},
		{lang.NewError("err.cache.corrupt", "Why", cause), "is corrupt (input/output error)", "повреждён (input/output error)"},
		{lang.NewError("err.cache.unreadable", "Err", cause), "cannot be read (input/output error)", "не читается (input/output error)"},
		{(&Directory{opts: Options{Region: "DE"}}).otherRegion("RU"), "read its phone numbers in another region than DE",
			"хранит номера телефонов, прочитанные не в регионе DE"},
	} {
		ce := cacheError("x", c.why)
		assert.Equal(t, "cache file x "+c.en+"; it will be rebuilt", ce.Error())
		assert.Equal(t, "файл кэша x "+c.ru+"; он будет создан заново", ce.In(lang.Russian()))
	}
	assert.Nil(t, (&Directory{opts: Options{Region: "DE"}}).otherRegion("DE"))

	byHand := &CacheError{Path: "x", Reason: "is truncated"}
	assert.Equal(t, "is truncated", byHand.ReasonIn(lang.Russian()), "no catalog id: said as it is")
	changed := cacheError("x", lang.NewError("err.cache.truncated"))
	changed.Reason = "was eaten"
	assert.Equal(t, "was eaten", changed.ReasonIn(lang.Russian()), "a Reason changed by hand wins")
	assert.Equal(t, "cache file x was eaten; it will be rebuilt", changed.Error())
}
