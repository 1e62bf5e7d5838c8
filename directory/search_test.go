package directory

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// searchOrg holds the people the search tests talk about.
func searchOrg() *Org {
	return NewOrg(Data{People: []Person{
		{ID: 1, Name: "Anna Johnson", FirstName: "Anna", LastName: "Johnson", Position: "Account Manager", Email: "anna.johnson@acme.example", Extension: "1042", WorkPhone: "+1 555 0100"},
		{ID: 2, Name: "Борис Иванов", FirstName: "Борис", LastName: "Иванов", Position: "Руководитель группы", Extension: "10421"},
		{ID: 3, Name: "Boris Ivanov", FirstName: "Boris", LastName: "Ivanov", Position: "Engineer", Extension: "2042"},
		{ID: 4, Name: "Dora Müller", FirstName: "Dora", LastName: "Müller", Position: "Intern", Extension: "3000", Mobile: "+49 170 1042 999"},
		{ID: 5, Name: "Hans Mueller", FirstName: "Hans", LastName: "Mueller", Position: "Buchhalter"},
		{ID: 6, Name: "Юлия Щукина", FirstName: "Юлия", LastName: "Щукина", Position: "Аналитик"},
		{ID: 7, Name: "Joanna Annabel", FirstName: "Joanna", LastName: "Annabel", Position: "Designer", Email: "jo@acme.example"},
		{ID: 8, Name: "Дмитрий Кузнецов", FirstName: "Дмитрий", LastName: "Кузнецов"},
		{ID: 9, Name: "陈伟", Position: "Engineer"},
		{ID: 10, Name: "Zoë Weiß", FirstName: "Zoë", LastName: "Weiß", Position: "Team Lead for Anna's team"},
		{ID: 11, Name: "Ivan Petrov", FirstName: "Ivan", LastName: "Petrov", Extension: "1042", Position: "Duplicate extension"},
	}})
}

// ids returns the person IDs of ms in order.
func ids(ms []Match) []int {
	out := make([]int, len(ms))
	for i, m := range ms {
		out[i] = m.Person.ID
	}
	return out
}

func TestSearchTransliterationBothWays(t *testing.T) {
	o := searchOrg()
	// Ties go by last name: Ivanov sorts before Иванов.
	assert.Equal(t, []int{3, 2}, ids(o.Search("ivanov", 0)), "Latin finds Cyrillic and Latin")
	assert.Equal(t, []int{3, 2}, ids(o.Search("Иванов", 0)), "Cyrillic finds Latin too")
	assert.Equal(t, []int{3, 2}, ids(o.Search("борис", 0)))
	assert.Equal(t, []int{6}, ids(o.Search("shchukina", 0)), "щ as shch")
	assert.Equal(t, []int{6}, ids(o.Search("schukina", 0)), "щ as sch")
	assert.Equal(t, []int{6}, ids(o.Search("yulia", 0)))
	assert.Equal(t, []int{6}, ids(o.Search("julia", 0)))
	assert.Equal(t, []int{6}, ids(o.Search("iuliia", 0)))
	assert.Equal(t, []int{8}, ids(o.Search("dmitry kuznetsov", 0)))
	assert.Equal(t, []int{8}, ids(o.Search("Dmitrii Kuznetzov", 0)))
	assert.Equal(t, []int{6}, ids(o.Search("аналитик", 0)), "positions in Cyrillic")
	assert.Equal(t, []int{6}, ids(o.Search("analitik", 0)))
}

func TestSearchDiacriticsAndGerman(t *testing.T) {
	o := searchOrg()
	// Ties go by last name: Mueller sorts before Müller (mu-e < mu-l).
	assert.Equal(t, []int{5, 4}, ids(o.Search("müller", 0)))
	assert.Equal(t, []int{5, 4}, ids(o.Search("muller", 0)))
	assert.Equal(t, []int{5, 4}, ids(o.Search("MUELLER", 0)))
	assert.Equal(t, []int{10}, ids(o.Search("zoe weiss", 0)))
	assert.Equal(t, []int{10}, ids(o.Search("Weiß", 0)))
}

func TestSearchWordsAnyOrderAndCase(t *testing.T) {
	o := searchOrg()
	assert.Equal(t, []int{1}, ids(o.Search("johnson anna", 0)))
	assert.Equal(t, []int{1}, ids(o.Search("JOHN ANN", 0)))
	assert.Empty(t, o.Search("anna ivanov", 0), "every word must match")
	assert.Empty(t, o.Search("   ", 0))
	assert.Empty(t, o.Search("", 0))
	assert.Equal(t, []int{9}, ids(o.Search("伟", 0)), "CJK by substring")
}

func TestSearchExtensionExactThenPrefixThenPhone(t *testing.T) {
	o := searchOrg()
	ms := o.Search("1042", 0)
	// Exact extensions (Johnson, Petrov: ties by last name), then the
	// prefix 10421, then the mobile phone holding 1042.
	assert.Equal(t, []int{1, 11, 2, 4}, ids(ms))
	assert.Equal(t, []int{ScoreExtension, ScoreExtension, ScoreExtensionPrefix, ScorePhone},
		[]int{ms[0].Score, ms[1].Score, ms[2].Score, ms[3].Score})
	assert.Equal(t, []int{1, 11}, ids(o.Search("1042", 2)), "limit")
	assert.Equal(t, []int{1}, ids(o.Search("+1 555-0100", 0)), "a phone number with punctuation")
	assert.Equal(t, []int{3}, ids(o.Search("2042", 0)))
}

func TestSearchRanking(t *testing.T) {
	o := searchOrg()
	ms := o.Search("anna", 0)
	require.Len(t, ms, 3)
	// Anna Johnson: whole word. Joanna Annabel: a name word starts with it.
	// Zoë Weiß: only her position mentions Anna.
	assert.Equal(t, []int{1, 7, 10}, ids(ms))
	assert.Equal(t, []int{ScoreNameWord, ScoreNamePrefix, ScoreOther}, []int{ms[0].Score, ms[1].Score, ms[2].Score})

	ms = o.Search("oann", 0)
	assert.Equal(t, []int{7}, ids(ms), "inside a word")
	assert.Equal(t, ScoreOther, ms[0].Score)
}

func TestSearchPositionAndEmail(t *testing.T) {
	o := searchOrg()
	assert.Equal(t, []int{3, 9}, ids(o.Search("engineer", 0)))
	assert.Equal(t, []int{1}, ids(o.Search("anna.johnson@acme.example", 0)))
	assert.Equal(t, []int{7}, ids(o.Search("jo@acme.example", 1)))
	assert.Equal(t, []int{5}, ids(o.Search("buchhalter", 0)))
}

func TestSearchTypingLetterByLetter(t *testing.T) {
	o := searchOrg()
	for _, q := range []string{"m", "mu", "mue", "muel", "muell", "muelle", "mueller", "mü", "mül"} {
		assert.Contains(t, ids(o.Search(q, 0)), 4, q)
	}
	for _, q := range []string{"и", "ив", "iva", "ivano", "Ивано"} {
		assert.Contains(t, ids(o.Search(q, 0)), 2, q)
	}
}

func TestSearchScalesAndStaysConsistent(t *testing.T) {
	o := NewOrg(genData(3000, 50, 1))
	for _, q := range benchQueries {
		ms := o.Search(q, 0)
		for i := 1; i < len(ms); i++ {
			assert.GreaterOrEqual(t, ms[i-1].Score, ms[i].Score, q)
		}
	}
	ms := o.Search("1042", 0)
	require.NotEmpty(t, ms)
	assert.Equal(t, "1042", ms[0].Person.Extension)
	assert.Equal(t, ScoreExtension, ms[0].Score)
}

func TestFoldWords(t *testing.T) {
	fold := func(s string) string {
		b, _ := foldWords(nil, nil, s)
		return string(b)
	}
	for in, want := range map[string]string{
		"Иванов Борис":    "ivanov boris ",
		"Щукин":           "shukin ",
		"Shchukin":        "shukin ",
		"Юлия":            "iulia ",
		"Iuliia":          "iulia ",
		"Евгений":         "evgeni ",
		"Yevgeniy":        "evgeni ",
		"Straße":          "strasse ",
		"O'Brien":         "obrien ",
		"Alexey":          "aleksei ",
		"Алексей":         "aleksei ",
		"Цой":             "tsoi ",
		"Björn":           "biorn ",
		"Bjoern":          "biorn ",
		"Philipp":         "filipp ",
		"Wladimir":        "vladimir ",
		"Chloé":           "chlo ", // oe → o, as in Köhler = Koehler
		"a.b@c-d.example": "a b c d eksample ",
		"":                "",
	} {
		assert.Equal(t, want, fold(in), in)
	}
}

func TestSearchAfterMerges(t *testing.T) {
	o := searchOrg()
	require.Len(t, o.Search("anna johnson", 0), 1) // builds the index

	// A presence refresh keeps the index but serves the new person.
	fresh := *o.Person(1)
	fresh.LastActivity = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	next := o.withPeople([]*Person{&fresh}, nil)
	assert.NotNil(t, next.idx.Load(), "the index carried over")
	ms := next.Search("anna johnson", 0)
	require.Len(t, ms, 1)
	assert.Same(t, next.Person(1), ms[0].Person)
	assert.Equal(t, fresh.LastActivity, ms[0].Person.LastActivity)
	assert.True(t, o.Person(1).LastActivity.IsZero(), "the old snapshot is unchanged")

	// A renamed person and a newcomer: a new index.
	renamed := *o.Person(1)
	renamed.LastName, renamed.Name = "Smith", "Anna Smith"
	newcomer := &Person{ID: 50, Name: "Олег Новиков", FirstName: "Олег", LastName: "Новиков"}
	next = next.withPeople([]*Person{&renamed, newcomer}, nil)
	assert.Nil(t, next.idx.Load())
	ms = next.Search("johnson", 0)
	require.Len(t, ms, 1)
	assert.Equal(t, ScoreOther, ms[0].Score, "only the e-mail still says Johnson")
	assert.Equal(t, []int{1}, ids(next.Search("smith", 0)))
	assert.Equal(t, []int{50}, ids(next.Search("oleg novikov", 0)))
	assert.Equal(t, []int{1}, ids(o.Search("johnson", 0)), "the old snapshot still finds the old name")
}
