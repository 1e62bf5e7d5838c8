package directory

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// chartData is Acme (1, head Olga 20) › Sales (2, head Sam 11) › EMEA (4,
// head Anna 10) and › Field (5, no head) › North (6, head Ivan 30); Acme ›
// R&D (3, no head). Boris is in EMEA first and R&D too. Person 40 is known
// only from the member list of North.
func chartData() Data {
	d := Data{
		Departments: []Department{
			{ID: 1, Name: "Acme", HeadID: 20},
			{ID: 2, Name: "Sales", Sort: 1, ParentID: 1, HeadID: 11},
			{ID: 3, Name: "R&D", Sort: 2, ParentID: 1},
			{ID: 4, Name: "EMEA", Sort: 1, ParentID: 2, HeadID: 10},
			{ID: 5, Name: "Field", Sort: 2, ParentID: 2},
			{ID: 6, Name: "North", ParentID: 5, HeadID: 30},
		},
		People: []Person{
			{ID: 20, Name: "Olga Root", FirstName: "Olga", LastName: "Root", DepartmentIDs: []int{1}},
			{ID: 11, Name: "Sam Boss", FirstName: "Sam", LastName: "Boss", DepartmentIDs: []int{2}},
			{ID: 10, Name: "Anna Johnson", FirstName: "Anna", LastName: "Johnson", DepartmentIDs: []int{4}},
			{ID: 12, Name: "Boris Ivanov", FirstName: "Boris", LastName: "Ivanov", DepartmentIDs: []int{4, 3}},
			{ID: 13, Name: "Dora Muller", FirstName: "Dora", LastName: "Muller", DepartmentIDs: []int{4}},
			{ID: 15, Name: "Chen Wei", FirstName: "Wei", LastName: "Chen", DepartmentIDs: []int{3}},
			{ID: 16, Name: "Fay Field", FirstName: "Fay", LastName: "Field", DepartmentIDs: []int{5}},
			{ID: 30, Name: "Ivan North", FirstName: "Ivan", LastName: "North", DepartmentIDs: []int{6}},
		},
		Members: map[int][]int{6: {30, 40}},
	}
	return d
}

func TestManagerOfMemberHeadAndTop(t *testing.T) {
	o := NewOrg(chartData())
	for _, c := range []struct {
		who, manager int
		why          string
	}{
		{13, 10, "a member reports to the head of their department"},
		{12, 10, "a member of two departments reports to the head of the first"},
		{10, 11, "a head reports to the head of the parent department"},
		{11, 20, "the head of Sales reports to the root's head"},
		{15, 20, "a headless department passes the question to its parent"},
		{16, 11, "a member of headless Field reports to the head of Sales"},
		{30, 11, "the head of North, under headless Field, reports to the head of Sales"},
		{40, 30, "someone known only from a member list has a manager too"},
	} {
		m, ok := o.Manager(c.who)
		assert.True(t, ok, c.why)
		assert.Equal(t, c.manager, m, c.why)
	}
	_, ok := o.Manager(20)
	assert.False(t, ok, "the root's head reports to no one")
	_, ok = o.Manager(999)
	assert.False(t, ok, "someone the tree does not place has no manager")
	assert.Equal(t, []int{10, 11, 20}, o.Chain(13))
	assert.Equal(t, 4, o.ManagerDepartment(13), "Anna is Dora's manager as the head of EMEA")
	assert.Equal(t, 2, o.ManagerDepartment(30), "Ivan's manager heads Sales, above headless Field")
	assert.Equal(t, 0, o.ManagerDepartment(20))
	assert.Empty(t, o.Chain(20))
	assert.True(t, o.IsHead(30))
	assert.False(t, o.IsHead(12))
}

func TestDirectReportsAreTheInverseOfManager(t *testing.T) {
	o := NewOrg(chartData())
	assert.Equal(t, []int{10, 30, 16}, o.DirectReports(11), "heads first in tree order, then members by name")
	assert.Equal(t, []int{12, 13}, o.DirectReports(10), "by last name")
	assert.Equal(t, []int{11, 15}, o.DirectReports(20))
	assert.Equal(t, []int{40}, o.DirectReports(30))
	assert.Empty(t, o.DirectReports(13))
	for _, p := range append(o.AllPeople(), &Person{ID: 40}) {
		if m, ok := o.Manager(p.ID); ok {
			assert.Contains(t, o.DirectReports(m), p.ID)
		}
		for _, r := range o.DirectReports(p.ID) {
			m, _ := o.Manager(r)
			assert.Equal(t, p.ID, m)
		}
	}
}

func TestHeadOfTwoDepartmentsIsPlacedAtTheHigher(t *testing.T) {
	d := chartData()
	d.Departments[5].HeadID = 11 // Sam heads North as well as Sales
	o := NewOrg(d)
	m, _ := o.Manager(11)
	assert.Equal(t, 20, m, "placed at Sales, the higher, and reports above it")
	m, _ = o.Manager(40)
	assert.Equal(t, 11, m)
	assert.Contains(t, o.DirectReports(11), 30, "Ivan, a member of North, reports to its head")
}

func TestOrgChart(t *testing.T) {
	o := NewOrg(chartData())
	whole := o.OrgChart(0)
	assert.Equal(t, []ChartNode{{ID: 20, Reports: []ChartNode{
		{ID: 11, Reports: []ChartNode{
			{ID: 10, Reports: []ChartNode{{ID: 12}, {ID: 13}}},
			{ID: 30, Reports: []ChartNode{{ID: 40}}},
			{ID: 16},
		}},
		{ID: 15},
	}}}, whole)
	assert.Equal(t, whole, o.OrgChart(1), "the root's subtree is the whole chart")
	assert.Equal(t, []ChartNode{{ID: 11, Reports: whole[0].Reports[0].Reports}}, o.OrgChart(2))
	assert.Equal(t, []ChartNode{{ID: 30, Reports: []ChartNode{{ID: 40}}}, {ID: 16}}, o.OrgChart(5),
		"a headless department's chart starts at the people it places")
	assert.Equal(t, []ChartNode{{ID: 15}}, o.OrgChart(3), "R&D places Chen only: Boris is placed in EMEA")
	assert.Nil(t, o.OrgChart(99))
}

// BenchmarkManagers30k is the first use of a snapshot's reporting lines
// (once per snapshot: the details pane, the org chart and export need
// them), then the whole org chart of 30,000 people.
func BenchmarkManagers30k(b *testing.B) {
	data := genData(30_000, 1500, 7)
	b.ReportAllocs()
	for b.Loop() {
		o := NewOrg(data)
		if len(o.OrgChart(0)) == 0 {
			b.Fatal("no chart")
		}
	}
}

// BenchmarkBuildManagers30k is the reporting lines alone.
func BenchmarkBuildManagers30k(b *testing.B) {
	o := NewOrg(genData(30_000, 1500, 7))
	b.ReportAllocs()
	for b.Loop() {
		if mg := o.buildManagers(); len(mg.anchor) == 0 {
			b.Fatal("no one placed")
		}
	}
}

// Sessions share a snapshot: the reporting lines are computed and sorted
// once, whoever asks first (go test -race checks the sharing).
func TestReportingLinesAreSharedSafely(t *testing.T) {
	o := NewOrg(chartData())
	want := NewOrg(chartData()).OrgChart(0)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.Equal(t, []int{10, 30, 16}, o.DirectReports(11))
			assert.Equal(t, want, o.OrgChart(0))
		}()
	}
	wg.Wait()
}
