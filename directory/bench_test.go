package directory

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/list"
)

// The two search benchmarks run the same queries over the same 100,000
// generated people: ours through the index, bubbles' list.DefaultFilter
// (sahilm/fuzzy, the default of a bubbles list) over one string per person.
// Each reports the mean (ns/op) and the median search time.

// searchMedian times o.Search over queries, round robin, and reports the
// median and the rest as the search benchmarks do.
func searchMedian(b *testing.B, o *Org, queries []string) {
	b.Helper()
	b.ResetTimer()
	times := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		start := time.Now()
		o.Search(queries[i%len(queries)], 0)
		times = append(times, time.Since(start))
	}
	reportMedian(b, times)
}

func BenchmarkSearch100k(b *testing.B) {
	o := NewOrg(genData(100_000, 1500, 7))
	o.Search("warm up: build the index", 1)
	searchMedian(b, o, benchQueries)
}

// BenchmarkSearchFiltered100k runs queries with filters (query.go) over
// the same 100,000 people, at the generator's clock so that the presence
// filters keep some: filters with words, filters alone (everyone they
// keep, in name order), a department by a Cyrillic name, and a field
// match that needs the folded field of each candidate.
func BenchmarkSearchFiltered100k(b *testing.B) {
	o := NewOrg(genData(100_000, 1500, 7))
	o.Search("warm up: build the index", 1)
	queries := []string{
		"dept:sales online anna", "dept:sales online", "online", "absent", "dept:логистика online",
		"pos:engineer online", "email:ivanov absent", "ext:10 online", `dept:"human resources" online`,
		"dept:vertrieb anna", "online ivanov", "pos:engineer",
	}
	parsed := make([]Query, len(queries))
	for i, s := range queries {
		parsed[i] = ParseQuery(s)
		parsed[i].Now = genNow
		if ms, _ := o.SearchQuery(&parsed[i], 0); len(ms) == 0 {
			b.Fatalf("%q finds no one: not a useful benchmark query", s)
		}
	}
	b.ResetTimer()
	times := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		start := time.Now()
		q := ParseQuery(queries[i%len(queries)]) // the parse is part of a search
		q.Now = genNow
		o.SearchQuery(&q, searchLimitBench)
		times = append(times, time.Since(start))
	}
	reportMedian(b, times)
}

// BenchmarkFilterCols100k is the first filtered search's extra cost on a
// new snapshot of 100,000 people (a presence refresh makes one): each
// part of the columns the filters read (query.go, filterCols), made when
// a filter first needs it.
func BenchmarkFilterCols100k(b *testing.B) {
	o := NewOrg(genData(100_000, 1500, 7))
	idx := o.index()
	for _, part := range []struct {
		name string
		make func(fc *filterCols)
	}{
		{"presence", (*filterCols).presence},
		{"departments", (*filterCols).departments},
		{"positions", (*filterCols).positionIDs},
	} {
		b.Run(part.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				next := assemble(o.portal, o.fetchedAt, o.complete, o.st, o.mem, o.people, o.loaded)
				part.make(next.filterCols(idx))
			}
		})
	}
}

// searchLimitBench is the most results a filtered benchmark search keeps,
// as the browser's search does (ui.searchLimit).
const searchLimitBench = 200

// BenchmarkSearchSlips100k runs queries that find little as typed, so that
// each is also tried as retyped on the other keyboard layout (one or two
// more scans): layout slips both ways, a mixed word, spellings met only
// through the other romanizations, and misses.
func BenchmarkSearchSlips100k(b *testing.B) {
	o := NewOrg(genData(100_000, 1500, 7))
	o.Search("warm up: build the index", 1)
	queries := []string{"bdfyjd", "ьгддук", "ивfyjd", "fyodorov", "solovyova", "zzzz", "sergey miller", "ktutltd"}
	searchMedian(b, o, queries)
}

// BenchmarkSearchPhone100k looks up whole phone numbers (phones.go): the
// generated people's own, written as they are, and numbers nobody has.
func BenchmarkSearchPhone100k(b *testing.B) {
	o := NewOrg(genData(100_000, 1500, 7))
	o.Search("warm up: build the index", 1)
	queries := []string{"+7 (495) 000-00-01", "0049 30 0000001", "8-800-000-00-01"}
	for _, p := range o.people {
		if len(queries) == 16 {
			break
		}
		if s := cmp.Or(p.WorkPhone, p.Mobile); len(digits(s)) >= minPhoneDigits {
			queries = append(queries, s)
		}
	}
	for _, q := range queries[3:] {
		if ms := o.Search(q, 1); len(ms) == 0 || ms[0].Score != ScorePhoneNumber {
			b.Fatalf("%q does not find its owner first", q)
		}
	}
	searchMedian(b, o, queries)
}

func BenchmarkBubblesDefaultFilter100k(b *testing.B) {
	o := NewOrg(genData(100_000, 1500, 7))
	targets := make([]string, 0, o.PersonCount())
	for _, p := range o.AllPeople() {
		targets = append(targets, listTarget(p))
	}
	b.ResetTimer()
	times := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		start := time.Now()
		list.DefaultFilter(benchQueries[i%len(benchQueries)], targets)
		times = append(times, time.Since(start))
	}
	reportMedian(b, times)
}

// reportMedian adds the median of times as "ms/median".
func reportMedian(b *testing.B, times []time.Duration) {
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2])/float64(time.Millisecond), "ms/median")
}

// BenchmarkSearchIndexBuild100k is the first search of a snapshot. It also
// reports the index's size: its words, postings and digits, in bytes, and how
// many distinct words it holds.
func BenchmarkSearchIndexBuild100k(b *testing.B) {
	o := NewOrg(genData(100_000, 1500, 7))
	b.ResetTimer()
	var idx *index
	for i := 0; i < b.N; i++ {
		idx = buildIndex(o.people, "")
	}
	b.StopTimer()
	size := len(idx.words) + 4*(len(idx.wordStart)+len(idx.postStart)+len(idx.post)+len(idx.digitEnd)+len(idx.entryOf)+len(idx.phoneEnd)+len(idx.phoneOrder)) + len(idx.digits) + len(idx.phones)
	b.ReportMetric(float64(size), "index-bytes")
	b.ReportMetric(float64(len(idx.wordStart)-1), "words")
	b.ReportMetric(float64(len(idx.post)), "postings")
}

// BenchmarkDepartmentMerge30k is the cost of merging one loaded department
// (20 people) into a snapshot of 30,000 people whose index is built: with the
// same members (a presence refresh) and with a changed member list.
func BenchmarkDepartmentMerge30k(b *testing.B) {
	o := NewOrg(genData(30_000, 1500, 7))
	o.Search("warm up: build the index", 1)
	fresh := convertUsersForBench(o, 20)
	same := o.Members(5)
	changed := slices.Clone(same)
	b.Run("refresh", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			o.withPeople(fresh, map[int][]int{5: same})
		}
	})
	b.Run("changed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			changed = append(changed[:len(same)], 1+i%30_000)
			o.withPeople(fresh, map[int][]int{5: changed})
		}
	})
}

// convertUsersForBench copies the first n people of o as if fetched again.
func convertUsersForBench(o *Org, n int) []*Person {
	out := make([]*Person, n)
	for i, p := range o.people[:n] {
		c := *p
		out[i] = &c
	}
	return out
}

// The cache load benchmarks read a 30,000-person cache file into a snapshot
// (what LoadCache does at start-up): in our binary format, and the same Data
// as JSON and as gob for comparison.

// cacheFiles writes 30,000 people in the three encodings and returns the
// Directory that wrote the binary one.
func cacheFiles(b *testing.B) (d *Directory, jsonPath, gobPath string) {
	b.Helper()
	dir := b.TempDir()
	data := genData(30_000, 1500, 7)
	d = cacheDir(dir, testPortal, &data)
	must(b, d.SaveCache())
	raw, err := json.Marshal(d.Snapshot().Data())
	must(b, err)
	jsonPath = filepath.Join(dir, "c.json")
	must(b, os.WriteFile(jsonPath, raw, 0o600))
	var buf bytes.Buffer
	must(b, gob.NewEncoder(&buf).Encode(d.Snapshot().Data()))
	gobPath = filepath.Join(dir, "c.gob")
	must(b, os.WriteFile(gobPath, buf.Bytes(), 0o600))
	return d, jsonPath, gobPath
}

func readJSON(b *testing.B, path string) Data {
	raw, err := os.ReadFile(path)
	must(b, err)
	var d Data
	must(b, json.Unmarshal(raw, &d))
	return d
}

func readGob(b *testing.B, path string) Data {
	raw, err := os.ReadFile(path)
	must(b, err)
	var d Data
	must(b, gob.NewDecoder(bytes.NewReader(raw)).Decode(&d))
	return d
}

func BenchmarkCacheLoad30k(b *testing.B) {
	w, _, _ := cacheFiles(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := cacheDir(w.opts.CacheDir, testPortal, nil)
		ok, err := d.LoadCache()
		must(b, err)
		if !ok {
			b.Fatal("not loaded")
		}
	}
	reportSize(b, w.CachePath())
}

// BenchmarkFind30k is `find 1042` in process with a warm cache of 30,000
// people: search the cache file, make the department paths of the results.
func BenchmarkFind30k(b *testing.B) {
	w, _, _ := cacheFiles(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := cacheDir(w.opts.CacheDir, testPortal, nil)
		cs, err := d.SearchCache("1042", 500)
		must(b, err)
		if cs == nil || len(cs.Matches) == 0 {
			b.Fatal("nothing found")
		}
		for _, m := range cs.Matches {
			cs.Org.DepartmentPaths(m.Person)
		}
	}
}

func BenchmarkCacheLoadJSON30k(b *testing.B) {
	_, path, _ := cacheFiles(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		orgOf(readJSON(b, path))
	}
	reportSize(b, path)
}

func BenchmarkCacheLoadGob30k(b *testing.B) {
	_, _, path := cacheFiles(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		orgOf(readGob(b, path))
	}
	reportSize(b, path)
}

// BenchmarkCacheWrite30k encodes and writes a 30,000-person cache atomically.
func BenchmarkCacheWrite30k(b *testing.B) {
	data := genData(30_000, 1500, 7)
	d := cacheDir(b.TempDir(), testPortal, &data)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		must(b, d.SaveCache())
	}
}

// BenchmarkMemory100k loads a 100,000-person cache into a Directory, builds
// the search index and every department's people list, and reports the heap
// in use and the process's resident set afterwards.
func BenchmarkMemory100k(b *testing.B) {
	dir := b.TempDir()
	data := genData(100_000, 1500, 7)
	must(b, cacheDir(dir, testPortal, &data).SaveCache())
	data = Data{}
	for i := 0; i < b.N; i++ {
		d := cacheDir(dir, testPortal, nil)
		ok, err := d.LoadCache()
		must(b, err)
		if !ok {
			b.Fatal("cache not loaded")
		}
		o := d.Snapshot()
		o.Search("ivanov", 10)
		for _, dep := range o.Departments() {
			o.People(dep.ID)
		}
		runtime.GC()
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		b.ReportMetric(rssMB(), "rss-MB")
		runtime.KeepAlive(d)
	}
}

// rssMB returns the resident set of this process in MiB (0 where /proc is missing).
func rssMB() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}

func reportSize(b *testing.B, path string) {
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
	}
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkBuildStructure is the department tree of a snapshot: 1,500
// departments (a 30,000-person portal) and 15,000, each built from the
// departments as loaded. NewOrg30k is the whole snapshot of 30,000 people
// around it.
func BenchmarkBuildStructure(b *testing.B) {
	for _, n := range []int{1500, 15_000} {
		deps := genData(10, n, 7).Departments
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if st := buildStructure(deps); len(st.depts) != len(deps) {
					b.Fatalf("%d departments of %d", len(st.depts), len(deps))
				}
			}
		})
	}
}

// BenchmarkNewOrg30k builds a snapshot of 30,000 people in 1,500
// departments from its Data.
func BenchmarkNewOrg30k(b *testing.B) {
	data := genData(30_000, 1500, 7)
	b.ReportAllocs()
	for b.Loop() {
		if o := NewOrg(data); o.PersonCount() != 30_000 {
			b.Fatalf("%d people", o.PersonCount())
		}
	}
}

// BenchmarkSubtreePeopleRoot30k lists everyone below the root of a
// 30,000-person org (the subtree toggle on the top department), on a new
// snapshot each time, as after a load: no list kept from before.
func BenchmarkSubtreePeopleRoot30k(b *testing.B) {
	d := genData(30000, 600, 1)
	d.Complete = true
	org := NewOrg(d)
	root := org.Roots()[0]
	want := org.HeadCount(root)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := org.withPeople(nil, nil)
		ps, _ := o.SubtreePeople(root)
		if len(ps) != want {
			b.Fatalf("%d people, want %d", len(ps), want)
		}
	}
}
