package directory

import (
	"sync"
	"testing"

	"github.com/b24org/b24org/lang"
	"github.com/stretchr/testify/assert"
)

// readerChartData is Компания (1, head Ольга 1) › Продажи (2, head Яшина
// 2) and › Adams Lab (3, head Adams 11), heads whose names run against the
// tree order; the members of Компания mix Е, Ё, И, Й and Я with a Latin
// name, and person 99 is known only from the member list. Внештатные (4)
// is a second root without a head: its people are roots of the chart.
func readerChartData() Data {
	person := func(id int, first, last string, dept int) Person {
		return Person{ID: id, Name: first + " " + last, FirstName: first, LastName: last, DepartmentIDs: []int{dept}}
	}
	return Data{
		Departments: []Department{
			{ID: 1, Name: "Компания", HeadID: 1},
			{ID: 2, Name: "Продажи", Sort: 1, ParentID: 1, HeadID: 2},
			{ID: 3, Name: "Adams Lab", Sort: 2, ParentID: 1, HeadID: 11},
			{ID: 4, Name: "Внештатные", Sort: 2},
		},
		People: []Person{
			person(1, "Ольга", "Главная", 1),
			person(2, "Анна", "Яшина", 2),
			person(11, "Amy", "Adams", 3),
			person(3, "Алёна", "Ёлкина", 1),
			person(4, "Мария", "Яковлева", 1),
			person(5, "Ирина", "Иванова", 1),
			person(6, "Bob", "Baker", 1),
			person(7, "Ева", "Егорова", 1),
			person(8, "Нина", "Ершова", 1),
			person(9, "Ия", "Йодко", 1),
			person(10, "Инна", "Исаева", 1),
			person(12, "Zoe", "Zimmer", 4),
			person(13, "Жанна", "Жукова", 4),
			person(14, "Лена", "Листова", 2),
		},
		Members: map[int][]int{1: {3, 4, 5, 6, 7, 8, 9, 10, 99}},
	}
}

// The reports of Ольга: heads first in tree order (Яшина's Продажи before
// Adams Lab), then the others by name, person 99 (not loaded) last.
var (
	// Russian: Cyrillic first, Ё among the Е, Й after every И.
	reportsRu = []int{2, 11, 7, 3, 8, 5, 10, 9, 4, 6, 99}
	// English: Latin first, then the same Cyrillic order.
	reportsEn = []int{2, 11, 6, 7, 3, 8, 5, 10, 9, 4, 99}
	// sortKey's byte order, export's: Latin first, Й folded into И.
	reportsKey = []int{2, 11, 6, 7, 3, 8, 5, 9, 10, 4, 99}
)

func TestDirectReportsInTheReadersOrder(t *testing.T) {
	o := NewOrg(readerChartData())
	assert.Equal(t, reportsRu, o.DirectReportsIn(lang.Russian(), 1),
		"Russian: heads first, then Егорова, Ёлкина, Ершова, Иванова, Исаева, Йодко, Яковлева, then Baker")
	assert.Equal(t, reportsEn, o.DirectReportsIn(lang.English(), 1),
		"English: heads first, then Baker, then the Cyrillic names")
	assert.Equal(t, reportsKey, o.DirectReports(1), "export's order does not change")
	assert.Equal(t, []int{14}, o.DirectReportsIn(lang.Russian(), 2))
	assert.Empty(t, o.DirectReportsIn(lang.Russian(), 3))

	rs := o.DirectReportsIn(lang.Russian(), 1)
	rs[0] = 0
	assert.Equal(t, reportsRu, o.DirectReportsIn(lang.Russian(), 1), "the caller's copy is its own")
}

func TestOrgChartInTheReadersOrder(t *testing.T) {
	o := NewOrg(readerChartData())
	chart := func(reports []int) []ChartNode {
		var rs []ChartNode
		for _, id := range reports {
			n := ChartNode{ID: id}
			if id == 2 {
				n.Reports = []ChartNode{{ID: 14}}
			}
			rs = append(rs, n)
		}
		return []ChartNode{{ID: 1, Reports: rs}}
	}
	assert.Equal(t, chart(reportsRu), o.OrgChartIn(lang.Russian(), 1))
	assert.Equal(t, chart(reportsEn), o.OrgChartIn(lang.English(), 1))
	assert.Equal(t, chart(reportsKey), o.OrgChart(1), "export's chart does not change")

	assert.Equal(t, []int{1, 13, 12}, roots(o.OrgChartIn(lang.Russian(), 0)), "the roots too: the head, then Жукова before Zimmer")
	assert.Equal(t, []int{1, 12, 13}, roots(o.OrgChartIn(lang.English(), 0)), "Zimmer before Жукова")
	assert.Equal(t, []int{1, 12, 13}, roots(o.OrgChart(0)))
	assert.Nil(t, o.OrgChartIn(lang.Russian(), 42))
}

// roots returns the IDs of the nodes of c.
func roots(c []ChartNode) []int {
	var ids []int
	for _, n := range c {
		ids = append(ids, n.ID)
	}
	return ids
}

// Sessions in both languages, and export, share one snapshot at once; each
// gets its own order (go test -race checks the sharing).
func TestReadersOrdersAreSharedSafely(t *testing.T) {
	o := NewOrg(readerChartData())
	var wg sync.WaitGroup
	for range 4 {
		for _, c := range []struct {
			l    *lang.Language
			want []int
		}{{lang.Russian(), reportsRu}, {lang.English(), reportsEn}, {nil, reportsKey}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if c.l == nil {
					assert.Equal(t, c.want, roots(o.OrgChart(0)[0].Reports))
					assert.Equal(t, c.want, o.DirectReports(1))
					return
				}
				assert.Equal(t, c.want, roots(o.OrgChartIn(c.l, 0)[0].Reports))
				assert.Equal(t, c.want, o.DirectReportsIn(c.l, 1))
			}()
		}
	}
	wg.Wait()
}

// BenchmarkManagersIn30k is BenchmarkManagers30k in each language: a new
// snapshot's reporting lines and its whole org chart of 30,000 people in a
// reader's order (sorted once per snapshot and language).
func BenchmarkManagersIn30k(b *testing.B) {
	data := genData(30_000, 1500, 7)
	for _, l := range []*lang.Language{lang.Russian(), lang.English()} {
		b.Run(l.Code(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o := NewOrg(data)
				if len(o.OrgChartIn(l, 0)) == 0 {
					b.Fatal("no chart")
				}
			}
		})
	}
}
