package directory

import (
	"strconv"
	"testing"

	"github.com/b24org/b24org/lang"
	"github.com/stretchr/testify/assert"
)

// TestPeopleInTheReadersOrder: a department's people by last name as a
// Russian reader expects them in the Russian interface (ё with е, Cyrillic
// first), as an English reader does in the English one (Latin first), the
// head first in both; each language's list is kept apart.
func TestPeopleInTheReadersOrder(t *testing.T) {
	last := []string{"Smith", "Ёлкин", "Adams", "Жуков", "Егоров", "Іваненко", "Елисеев", "Иванов", "Яковлев", "Émile", "Eaton"}
	d := Data{Complete: true, Departments: []Department{{ID: 1, Name: "Отдел", HeadID: 99}}}
	for i, l := range last {
		d.People = append(d.People, Person{ID: 10 + i, FirstName: "A", LastName: l, DepartmentIDs: []int{1}, Active: true})
	}
	d.People = append(d.People, Person{ID: 99, FirstName: "Я", LastName: "Юрьев", DepartmentIDs: []int{1}, Active: true})
	o := NewOrg(d)
	names := func(ps []*Person) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.LastName
		}
		return out
	}
	ru, _ := o.PeopleIn(lang.Russian(), 1)
	en, _ := o.PeopleIn(lang.English(), 1)
	assert.Equal(t, []string{"Юрьев", "Егоров", "Елисеев", "Ёлкин", "Жуков", "Иванов", "Іваненко", "Яковлев", "Adams", "Eaton", "Émile", "Smith"}, names(ru))
	assert.Equal(t, []string{"Юрьев", "Adams", "Eaton", "Émile", "Smith", "Егоров", "Елисеев", "Ёлкин", "Жуков", "Иванов", "Іваненко", "Яковлев"}, names(en))
	again, _ := o.PeopleIn(lang.Russian(), 1)
	assert.Equal(t, names(ru), names(again), "kept, and not reordered by the English list")
	whole, _ := o.SubtreePeopleIn(lang.Russian(), 1)
	assert.Equal(t, names(ru), names(whole))
}

// BenchmarkSortPeopleDistinct30k orders 30,000 people whose last names all
// differ (a key for each, the worst case of the kept keys) in the Russian
// order; BenchmarkSubtreePeopleRoot30k measures the usual case, where
// names repeat.
func BenchmarkSortPeopleDistinct30k(b *testing.B) {
	d := genData(30000, 600, 1)
	ps := make([]*Person, len(d.People))
	for i := range d.People {
		p := &d.People[i]
		p.LastName += strconv.Itoa(i)
		ps[i] = p
	}
	l := lang.Russian()
	c := l.Collator()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sortPeople(ps, 0, c, l.FirstScript())
	}
}
