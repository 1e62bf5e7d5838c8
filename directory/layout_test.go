package directory

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLayoutKeysPairUp(t *testing.T) {
	assert.Equal(t, utf8.RuneCountInString(qwertyKeys), utf8.RuneCountInString(jcukenKeys))
}

func TestLayoutQueries(t *testing.T) {
	assert.Equal(t, []string{"иванов"}, layoutQueries("bdfyjd"))
	assert.Equal(t, []string{"ИВАНОВ"}, layoutQueries("BDFYJD"))
	assert.Equal(t, []string{"muller"}, layoutQueries("ьгддук"))
	assert.Equal(t, []string{"иванов", "bdfyjd"}, layoutQueries("ивfyjd"), "a mixed word, both ways")
	assert.Equal(t, []string{"лобов"}, layoutQueries("kj,jd"), "punctuation keys are letters there")
	assert.Equal(t, []string{"ёжик"}, layoutQueries("`;br"))
	assert.Empty(t, layoutQueries("bd"), "too short")
	assert.Empty(t, layoutQueries("1042"))
	assert.Empty(t, layoutQueries("陈伟伟"))
}

func TestSearchLayoutSlips(t *testing.T) {
	o := searchOrg()
	ms := o.Search("bdfyjd", 0)
	require.Equal(t, []int{3, 2}, ids(ms), "иванов finds Ivanov and Иванов")
	for _, m := range ms {
		assert.Equal(t, "иванов", m.Layout)
		assert.Equal(t, ScoreNameWord, m.Score)
	}
	ms = o.Search("ьгддук", 0)
	assert.Equal(t, []int{5, 4}, ids(ms))
	assert.Equal(t, "muller", ms[0].Layout)

	// A mixed word: the Russian half typed right, the Latin half not.
	assert.Equal(t, []int{3, 2}, ids(o.Search("ивfyjd", 0)))

	// Found as typed: no retyping.
	for _, m := range o.Search("ivanov", 0) {
		assert.Empty(t, m.Layout)
	}
	// Too short to retype.
	assert.Empty(t, o.Search("bd", 0))
}

func TestSearchLayoutComesAfterDirectMatches(t *testing.T) {
	o := NewOrg(Data{People: []Person{
		{ID: 1, Name: "Иван Иванов", FirstName: "Иван", LastName: "Иванов"},
		{ID: 2, Name: "Bdfyjd Smith", FirstName: "Bdfyjd", LastName: "Smith", Position: "a name as typed"},
		{ID: 3, Name: "Мария Иванова", FirstName: "Мария", LastName: "Иванова"},
	}})
	ms, total := o.SearchCount("bdfyjd", 0)
	require.Equal(t, []int{2, 1, 3}, ids(ms), "the direct match first, then the retyped ones")
	assert.Equal(t, 3, total)
	assert.Empty(t, ms[0].Layout)
	assert.Equal(t, "иванов", ms[1].Layout)
	assert.Equal(t, "иванов", ms[2].Layout)
	assert.Equal(t, ScoreNameWord, ms[1].Score)
	assert.Equal(t, ScoreNamePrefix, ms[2].Score, "Иванова begins with иванов")

	ms, total = o.SearchCount("bdfyjd", 2)
	assert.Equal(t, []int{2, 1}, ids(ms), "the limit counts both")
	assert.Equal(t, 3, total)

	bq := ParseQuery("bdfyjd")
	f := found(o.Search("bdfyjd", 0), &bq)
	assert.Equal(t, []string{MatchName, MatchLayout, MatchLayout}, []string{f[0].Match, f[1].Match, f[2].Match})
	assert.Equal(t, "иванов", f[1].Layout)
}

func TestSearchLayoutNotTriedWhenEnoughMatch(t *testing.T) {
	var people []Person
	for i := range layoutBelow {
		people = append(people, Person{ID: i + 1, Name: "Bdfyjd", LastName: "Bdfyjd"})
	}
	people = append(people, Person{ID: 99, Name: "Иванов", LastName: "Иванов"})
	o := NewOrg(Data{People: people})
	ms := o.Search("bdfyjd", 0)
	assert.Len(t, ms, layoutBelow)
	assert.NotContains(t, ids(ms), 99)
}

// TestSearchLayoutInTheGeneratedDirectory is the acceptance of issue 13:
// bdfyjd finds the Ивановы of the demo, labelled.
func TestSearchLayoutInTheGeneratedDirectory(t *testing.T) {
	o := NewOrg(genData(3000, 50, 1))
	want := ids(o.Search("иванов", 0))
	require.NotEmpty(t, want)
	ms := o.Search("bdfyjd", 0)
	assert.Equal(t, want, ids(ms))
	for _, m := range ms {
		assert.Equal(t, "иванов", m.Layout)
	}
}
