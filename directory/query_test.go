package directory

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// folded is s as the query language keeps a filter's value.
func folded(s string) string {
	b, _ := foldWords(nil, nil, s)
	return strings.TrimSpace(string(b))
}

func TestParseQuery(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Query
	}{
		{"anna", Query{Text: "anna"}},
		{"dept:sales online anna", Query{Text: "anna", Online: true, Dept: []string{"sales"}}},
		{"ONLINE Absent", Query{Online: true, Absent: true}},
		{`dept:"customer support" pos:lead`, Query{Dept: []string{"customer support"}, Pos: []string{"lead"}}},
		{`Dept:Продажи EMAIL:Anna.Johnson@acme`, Query{Dept: []string{"prodazhi"}, Email: []string{folded("anna johnson acme")}}},
		{"ext:10-42 ext:1", Query{Ext: []string{"1042", "1"}}},
		{"ext:abc", Query{Never: true}},
		// A quoted word is a word, never a filter.
		{`"online" anna`, Query{Text: "online anna"}},
		{`"dept:sales"`, Query{Text: "dept:sales"}},
		// Only whole words are filters.
		{"onlineshop absentee", Query{Text: "onlineshop absentee"}},
		// A field with nothing after it is ignored (the query being typed).
		{"dept:", Query{}},
		{"dept: sales", Query{Text: "sales"}},
		{`pos:""`, Query{}},
		{"email:---", Query{}},
		// Unknown fields are words.
		{"team:red", Query{Text: "team:red"}},
		{"mailto:x", Query{Text: "mailto:x"}},
	} {
		assert.Equal(t, c.want, ParseQuery(c.in), c.in)
	}
}

func TestParseQueryHostile(t *testing.T) {
	// An unbalanced quote runs to the end of the query.
	assert.Equal(t, Query{Dept: []string{"customer support"}}, ParseQuery(`dept:"customer support`))
	assert.Equal(t, Query{Text: "anna online"}, ParseQuery(`"anna online`))
	assert.Equal(t, Query{Text: "anna"}, ParseQuery(`anna "`))
	assert.Equal(t, Query{Online: true}, ParseQuery(`online dept:"`))
	// Escape sequences and control characters are separators, never text
	// that reaches a screen: the folded values hold only words.
	q := ParseQuery("dept:\x1b[31msales\x1b[0m \x00online\x07 pos:\x1b]52;c;aGk=\x07lead")
	for _, v := range append(append(q.Dept, q.Pos...), q.Text) {
		assert.NotContains(t, v, "\x1b", "%q", v)
	}
	assert.Equal(t, []string{"31msales 0m"}, q.Dept, "the letters survive, the escape does not")
	// Colons, quotes and spaces in any number and order never panic.
	for _, s := range []string{":", "::", `:"`, `"`, `""`, `"""`, "dept::", `dept:"a"b"c`, "  \t\n ", "ext:" + strings.Repeat("9", 500),
		strings.Repeat(`dept:"`, 100), "online:", ":online", "dept:\xff\xfe", "\u00a0online\u00a0"} {
		assert.NotPanics(t, func() { ParseQuery(s) }, "%q", s)
	}
	assert.Equal(t, Query{Online: true}, ParseQuery("\u00a0online\u00a0"), "Unicode spaces separate")
}

// FuzzParseQuery checks that any query parses, and that what a filter
// keeps is folded text (no quotes, no control characters).
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"dept:sales online anna", `dept:"customer support`, "ext:10", `"online"`, "\x1b[2J", "email:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		for _, v := range append(append(append([]string{}, q.Dept...), q.Pos...), q.Email...) {
			if v == "" || strings.ContainsAny(v, "\"\x1b\x00") || strings.HasSuffix(v, " ") {
				t.Fatalf("%q: filter value %q", s, v)
			}
		}
		for _, x := range q.Ext {
			if x == "" || digits(x) != x {
				t.Fatalf("%q: ext value %q", s, x)
			}
		}
	})
}

var queryNow = time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)

// queryOrg is a small tree: Acme › Sales › EMEA, Acme › Customer Support,
// Acme › Operations › Inside Sales, Acme › Продажи.
func queryOrg() *Org { return NewOrg(queryData()) }

// queryData is the data of queryOrg.
func queryData() Data {
	on := queryNow.Add(-2 * time.Minute)
	off := queryNow.Add(-5 * time.Hour)
	away := queryNow.Add(72 * time.Hour)
	return Data{
		Complete: true, FetchedAt: queryNow,
		Departments: []Department{
			{ID: 1, Name: "Acme"}, {ID: 2, Name: "Sales", ParentID: 1}, {ID: 3, Name: "EMEA", ParentID: 2},
			{ID: 4, Name: "Customer Support", ParentID: 1}, {ID: 5, Name: "Operations", ParentID: 1},
			{ID: 6, Name: "Inside Sales", ParentID: 5}, {ID: 7, Name: "Продажи", ParentID: 1},
		},
		People: []Person{
			{ID: 1, Name: "Anna Johnson", FirstName: "Anna", LastName: "Johnson", Position: "Account Manager", Email: "anna.johnson@acme.example", Extension: "1042", DepartmentIDs: []int{2}, LastActivity: on, Active: true},
			{ID: 2, Name: "Anna Online", FirstName: "Anna", LastName: "Online", Position: "Online Marketing Lead", Extension: "1050", DepartmentIDs: []int{3}, LastActivity: off, Active: true},
			{ID: 3, Name: "Boris Ivanov", FirstName: "Boris", LastName: "Ivanov", Position: "Engineer", Email: "boris@acme.example", Extension: "2042", DepartmentIDs: []int{3}, LastActivity: on, Active: true},
			{ID: 4, Name: "Dora Müller", FirstName: "Dora", LastName: "Müller", Position: "Support Lead", Extension: "3000", DepartmentIDs: []int{4}, LastActivity: on, Active: true},
			{ID: 5, Name: "Ed Vance", FirstName: "Ed", LastName: "Vance", Position: "Sales Rep", DepartmentIDs: []int{6}, LastActivity: on, Active: true},
			{ID: 6, Name: "Юлия Щукина", FirstName: "Юлия", LastName: "Щукина", Position: "Аналитик", DepartmentIDs: []int{7}, LastActivity: on, Active: true},
			{ID: 7, Name: "Flo Upton", FirstName: "Flo", LastName: "Upton", Position: "Account Manager", Extension: "1043", DepartmentIDs: []int{2}, LastActivity: on, AbsentUntil: away, Active: true},
			{ID: 8, Name: "Gus Idle", FirstName: "Gus", LastName: "Idle", DepartmentIDs: []int{3}, LastActivity: on, IdleSince: on, Active: true},
		},
	}
}

// find is the IDs SearchQuery finds for s at queryNow.
func find(o *Org, s string) []int {
	q := ParseQuery(s)
	q.Now = queryNow
	ms, total := o.SearchQuery(&q, 0)
	if total != len(ms) {
		panic("total")
	}
	return ids(ms)
}

func TestQueryFilters(t *testing.T) {
	o := queryOrg()
	// Ties go by last name.
	assert.Equal(t, []int{8, 3, 1, 2, 7}, find(o, "dept:sales"), "Sales and everyone below it, not Inside Sales")
	assert.Equal(t, []int{3, 1}, find(o, "dept:sales online"), "online: not offline, idle nor absent")
	assert.Equal(t, []int{1}, find(o, "dept:sales online anna"))
	assert.Equal(t, []int{1}, find(o, "anna online dept:SALES"), "any order, any case")
	assert.Equal(t, []int{7}, find(o, "absent"), "absent: on vacation now")
	assert.Equal(t, []int{7}, find(o, "dept:sales absent account"))
	assert.Equal(t, []int{5}, find(o, `dept:"inside sales"`))
	assert.Equal(t, []int{5}, find(o, `dept:"inside sal`), "an open quote runs to the end")
	assert.Equal(t, []int{4}, find(o, "dept:support"), "a word inside a name, when no name begins so")
	assert.Equal(t, []int{8, 3, 1, 2, 7}, find(o, "dept:sal"), "the beginning of Sales, not a word inside Inside Sales")
	assert.Equal(t, []int{8, 3, 2}, find(o, "dept:emea"))
	assert.Equal(t, []int{8, 3, 2}, find(o, "dept:sales dept:emea"), "every term holds")
	assert.Equal(t, []int{6}, find(o, "dept:prodazhi"), "script-blind")
	assert.Equal(t, []int{6}, find(o, "dept:ПРОДАЖИ online"))
	assert.Empty(t, find(o, "dept:nowhere"))

	assert.Equal(t, []int{1, 7}, find(o, "pos:account"))
	assert.Equal(t, []int{1, 7}, find(o, `pos:"account manager"`))
	assert.Empty(t, find(o, `pos:"manager account"`), "the words in their order")
	assert.Empty(t, find(o, "pos:ccount"), "from the start of a word")
	assert.Equal(t, []int{6}, find(o, "pos:analitik"))
	assert.Equal(t, []int{4, 2}, find(o, "pos:lead"))
	assert.Equal(t, []int{1}, find(o, "email:anna.johnson"))
	assert.Equal(t, []int{3, 1}, find(o, "email:acme.example"))
	assert.Empty(t, find(o, "email:johnson pos:engineer"))
	assert.Equal(t, []int{1, 7}, find(o, "ext:104"), "extensions that begin with it")
	assert.Equal(t, []int{1}, find(o, "ext:1042"))
	assert.Empty(t, find(o, "ext:042"))
	assert.Empty(t, find(o, "ext:abc"), "letters: no extension has them")

	// online as a word of a name: quoted, it is a word.
	assert.Equal(t, []int{1}, find(o, "anna online"), "the filter")
	assert.Equal(t, []int{2}, find(o, `anna "online"`), "the word")
	assert.Equal(t, []int{2}, find(o, "pos:online"))

	// The words rank as always; the filters only keep.
	ms := o.Search("1042", 0)
	require.NotEmpty(t, ms)
	q := ParseQuery("1042 dept:sales")
	q.Now = queryNow
	fms, _ := o.SearchQuery(&q, 0)
	require.Len(t, fms, 1)
	assert.Equal(t, ScoreExtension, fms[0].Score)

	// A query of nothing but an empty field finds no one.
	assert.Empty(t, find(o, "dept:"))
	assert.Empty(t, find(o, ""))
}

// The filters apply to the layout retry too: a query retyped on the
// other layout finds only the people the filters keep.
func TestQueryFiltersLayout(t *testing.T) {
	o := queryOrg()
	assert.Equal(t, []int{3}, find(o, "ищкшы online"), "boris typed on the Russian layout")
	assert.Empty(t, find(o, "ищкшы absent"))
}

// A filtered search keeps limit and total as Search does.
func TestQueryLimitAndTotal(t *testing.T) {
	o := queryOrg()
	q := ParseQuery("dept:acme")
	q.Now = queryNow
	ms, total := o.SearchQuery(&q, 3)
	assert.Len(t, ms, 3)
	assert.Equal(t, 8, total)
}

// The cache file cannot answer filters (they need every record): Find
// answers them from the whole cache, complete, without the portal.
func TestFindFilteredFromCache(t *testing.T) {
	dir := t.TempDir()
	data := queryData()
	require.NoError(t, cacheDir(dir, testPortal, &data).SaveCache())
	d := cacheDir(dir, testPortal, nil)
	cs, err := d.SearchCache("dept:sales", 0)
	require.NoError(t, err)
	assert.Nil(t, cs, "filters: not from the index alone")

	r, err := d.Find(t.Context(), "dept:sales pos:account", FindOptions{})
	require.NoError(t, err)
	assert.True(t, r.Complete)
	assert.True(t, r.FromCache)
	var got []int
	for _, f := range r.People {
		got = append(got, f.Person.ID)
		assert.Equal(t, MatchFilter, f.Match)
	}
	assert.Equal(t, []int{1, 7}, got)

	// A presence filter with no portal to ask: answered, and honest.
	r, err = d.Find(t.Context(), "online", FindOptions{})
	require.NoError(t, err)
	assert.True(t, r.ByPresence)
	require.Error(t, r.PresenceErr)
	assert.Contains(t, r.PresenceNote(), "online/absent chosen by presence as of")
	assert.Contains(t, r.PresenceNote(), "could not be refreshed")

	// Words alone say nothing of presence.
	r, err = d.Find(t.Context(), "anna", FindOptions{})
	require.NoError(t, err)
	assert.Empty(t, r.PresenceNote())
}

// Sessions share snapshots: filtered searches of one Org run at once (the
// columns are made once), and each finds what it finds alone.
func TestQueryFiltersConcurrently(t *testing.T) {
	o := queryOrg()
	queries := []string{"dept:sales online", "absent", "pos:account", "email:acme", "ext:10 dept:sales", "online anna"}
	want := make([][]int, len(queries))
	for i, s := range queries {
		want[i] = find(queryOrg(), s)
	}
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 50 {
				k := (g + i) % len(queries)
				assert.Equal(t, want[k], find(o, queries[k]), queries[k])
			}
		}()
	}
	for range 8 {
		<-done
	}
}
