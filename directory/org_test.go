package directory

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallOrg is Acme (1) › Sales (2) › EMEA (4), Acme › R&D (3); Sales sorts
// before R&D by Sort. Anna heads EMEA; Boris is in EMEA and R&D.
func smallData() Data {
	return Data{
		Portal: "https://acme.example/rest/1/••••/",
		Departments: []Department{
			{ID: 1, Name: "Acme Corp", Sort: 100},
			{ID: 3, Name: "R&D", Sort: 500, ParentID: 1},
			{ID: 2, Name: "Sales", Sort: 100, ParentID: 1, HeadID: 11},
			{ID: 4, Name: "EMEA", Sort: 100, ParentID: 2, HeadID: 10},
		},
		People: []Person{
			{ID: 10, Name: "Anna Johnson", FirstName: "Anna", LastName: "Johnson", Position: "Account Manager", Email: "anna@acme.example", Extension: "1042", Mobile: "+1 555 0100", DepartmentIDs: []int{4}},
			{ID: 12, Name: "Борис Иванов", FirstName: "Борис", LastName: "Иванов", Position: "Team Lead", Extension: "1043", DepartmentIDs: []int{4, 3}},
			{ID: 13, Name: "Dora Müller", FirstName: "Dora", LastName: "Müller", Position: "Intern", Extension: "2001", DepartmentIDs: []int{4}},
			{ID: 14, Name: "Carl Adams", FirstName: "Carl", LastName: "Adams", Position: "Analyst", DepartmentIDs: []int{4}},
			{ID: 11, Name: "Sam Boss", FirstName: "Sam", LastName: "Boss", Position: "Head of Sales", DepartmentIDs: []int{2}},
			{ID: 15, Name: "陈伟", Position: "Engineer", DepartmentIDs: []int{3}},
		},
		Loaded: []int{4},
	}
}

func TestTreeOrderCountsAndPaths(t *testing.T) {
	o := NewOrg(smallData())
	assert.Equal(t, []int{1}, o.Roots())
	assert.Equal(t, []int{2, 3}, o.Department(1).Children, "Sort first")
	assert.Equal(t, 6, o.HeadCount(1), "Boris counts once though he is in two departments")
	assert.Equal(t, 5, o.HeadCount(2))
	assert.Equal(t, 4, o.HeadCount(4))
	assert.Equal(t, 2, o.HeadCount(3))
	assert.Equal(t, 0, o.HeadCount(99))
	assert.Equal(t, []string{"Acme Corp", "Sales", "EMEA"}, o.Path(4))
	assert.Equal(t, []int{1, 2, 4}, o.PathIDs(4))
	assert.Nil(t, o.Path(99))

	var order []int
	for _, d := range o.Departments() {
		order = append(order, d.ID)
	}
	assert.Equal(t, []int{1, 2, 4, 3}, order, "depth first, children in display order")
	assert.Equal(t, []string{"Acme Corp › Sales › EMEA", "Acme Corp › R&D"}, o.DepartmentPaths(o.Person(12)))
	assert.Equal(t, 6, o.PersonCount())
}

func TestChildrenTieBreakByNameThenID(t *testing.T) {
	o := NewOrg(Data{Departments: []Department{
		{ID: 1, Name: "Root"},
		{ID: 5, Name: "beta", ParentID: 1},
		{ID: 4, Name: "Alpha", ParentID: 1},
		{ID: 3, Name: "Ärger", ParentID: 1},
		{ID: 2, Name: "alpha", ParentID: 1},
	}})
	assert.Equal(t, []int{2, 4, 3, 5}, o.Department(1).Children)
}

func TestPeopleHeadFirstThenLastName(t *testing.T) {
	o := NewOrg(smallData())
	ps, loaded := o.People(4)
	assert.True(t, loaded)
	var ids []int
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	// Anna heads EMEA; then Adams, Müller, Иванов (Latin before Cyrillic).
	assert.Equal(t, []int{10, 14, 13, 12}, ids)

	ps, loaded = o.People(3)
	assert.False(t, loaded, "R&D is not loaded, though its people are known")
	assert.Len(t, ps, 2)

	ps, loaded = o.People(99)
	assert.False(t, loaded)
	assert.Empty(t, ps)
}

func TestMembersBeforePeople(t *testing.T) {
	o := NewOrg(Data{
		Departments: []Department{{ID: 1, Name: "Root"}, {ID: 2, Name: "Child", ParentID: 1}},
		Members:     map[int][]int{1: {7, 8}, 2: {8, 9, 9, -1}},
	})
	assert.Equal(t, 3, o.HeadCount(1))
	assert.Equal(t, 2, o.HeadCount(2))
	ps, loaded := o.People(2)
	assert.Empty(t, ps)
	assert.False(t, loaded)
	assert.Equal(t, []int{8, 9}, o.Members(2))
}

func TestHostileTree(t *testing.T) {
	o := NewOrg(Data{Departments: []Department{
		{ID: 1, Name: "Loop A", ParentID: 2},
		{ID: 2, Name: "Loop B", ParentID: 3},
		{ID: 3, Name: "Loop C", ParentID: 1},
		{ID: 4, Name: "Hangs on the loop", ParentID: 3},
		{ID: 5, Name: "Self", ParentID: 5},
		{ID: 6, Name: "Orphan", ParentID: 404},
		{ID: 6, Name: "Duplicate"},
		{ID: 0, Name: "Zero"},
		{ID: -3, Name: "Negative"},
		{ID: 7, Name: "Child of orphan", ParentID: 6},
	}, Members: map[int][]int{4: {1}, 2: {2}, 7: {3}}})

	assert.Equal(t, []int{1, 6, 5}, o.Roots(), "the loop is cut at its lowest ID; self-parent and orphan are roots; display order")
	assert.Len(t, o.Departments(), 7)
	assert.Equal(t, "Orphan", o.Department(6).Name, "the first of repeated IDs wins")
	assert.Equal(t, 0, o.Department(1).ParentID)
	assert.Equal(t, []string{"Loop A", "Loop C", "Hangs on the loop"}, o.Path(4))
	assert.Equal(t, 2, o.HeadCount(1))
	assert.Equal(t, 1, o.HeadCount(6))
	for _, d := range o.Departments() {
		assert.LessOrEqual(t, len(o.Path(d.ID)), 4)
	}
}

func TestDeepChainDoesNotRecurse(t *testing.T) {
	const n = 200_000
	deps := make([]Department, n)
	for i := range deps {
		deps[i] = Department{ID: i + 1, Name: "d", ParentID: i}
	}
	deps[0].ParentID = n // one long cycle
	o := NewOrg(Data{Departments: deps, Members: map[int][]int{n: {1}}})
	assert.Equal(t, []int{1}, o.Roots())
	assert.Equal(t, 1, o.HeadCount(1))
	assert.Len(t, o.PathIDs(n), n)
}

func TestHostileStringsCleaned(t *testing.T) {
	long := make([]byte, 5000)
	for i := range long {
		long[i] = 'x'
	}
	o := NewOrg(Data{
		Portal:      "https://p.example/\x1b]0;pwned\x07rest/",
		Departments: []Department{{ID: 1, Name: "Evil\x1b[31m Dept\u202e"}},
		People: []Person{{
			ID: 1, Name: "\x1b[2JMallory\x07", FirstName: "Mal\x00lory", LastName: "\u202eyrollaM",
			Position: string(long), Email: "m@x\r\n.example", Extension: "10\x1b[0m42",
			DepartmentIDs: []int{1, 1, 0, -5},
		}},
	})
	p := o.Person(1)
	require.NotNil(t, p)
	assert.Equal(t, "Mallory", p.Name)
	assert.Equal(t, "Mallory", p.FirstName)
	assert.Equal(t, "yrollaM", p.LastName)
	assert.LessOrEqual(t, len(p.Position), 1024)
	assert.Equal(t, "m@x .example", p.Email)
	assert.Equal(t, "1042", p.Extension)
	assert.Equal(t, []int{1}, p.DepartmentIDs)
	assert.Equal(t, "Evil Dept", o.Department(1).Name)
	assert.NotContains(t, o.Portal(), "\x1b")
	assert.Equal(t, ScoreExtension, o.Search("1042", 1)[0].Score)
}

func TestEmptyNameFilledFromParts(t *testing.T) {
	o := NewOrg(Data{People: []Person{{ID: 1, FirstName: "Ada", LastName: "Lovelace"}, {ID: 2}}})
	assert.Equal(t, "Ada Lovelace", o.Person(1).Name)
	assert.Equal(t, "", o.Person(2).Name)
}

func TestDataRoundTrip(t *testing.T) {
	d := smallData()
	d.FetchedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	o := NewOrg(d)
	got := o.Data()
	again := NewOrg(got).Data()
	assert.Equal(t, got, again)
	assert.Equal(t, d.Portal, got.Portal)
	assert.Equal(t, d.FetchedAt, got.FetchedAt)
	assert.Len(t, got.People, 6)
	assert.Equal(t, []int{4}, got.Loaded)
	assert.ElementsMatch(t, []int{10, 12, 13, 14}, got.Members[4])

	got.People[0].DepartmentIDs[0] = 999 // a copy: the Org is unchanged
	assert.NotEqual(t, 999, o.Person(got.People[0].ID).DepartmentIDs[0])
}

func TestPersonLookupAndDuplicates(t *testing.T) {
	o := NewOrg(Data{People: []Person{{ID: 2, Name: "old"}, {ID: 1, Name: "one"}, {ID: 2, Name: "new"}, {ID: 0, Name: "zero"}}})
	assert.Equal(t, 2, o.PersonCount())
	assert.Equal(t, "new", o.Person(2).Name, "the last of repeated IDs wins")
	assert.Nil(t, o.Person(3))
	assert.Nil(t, o.Person(0))
}

func TestEmptyOrg(t *testing.T) {
	o := NewOrg(Data{})
	assert.Empty(t, o.Roots())
	assert.Empty(t, o.Search("anna", 10))
	assert.False(t, o.Complete())
	assert.Zero(t, o.PersonCount())
	assert.True(t, o.FetchedAt().IsZero())
}

func TestSubtreePeople(t *testing.T) {
	o := NewOrg(smallData())
	assert.Equal(t, []int{1, 2, 4, 3}, o.Subtree(1))
	assert.Equal(t, []int{2, 4}, o.Subtree(2))
	assert.Equal(t, []int{4}, o.Subtree(4))
	assert.Nil(t, o.Subtree(99))

	for _, id := range []int{1, 2, 3, 4} {
		ps, _ := o.SubtreePeople(id)
		assert.Len(t, ps, o.HeadCount(id), "department %d: as many as the tree counts", id)
	}
	ps, loaded := o.SubtreePeople(2)
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"Sam Boss", "Carl Adams", "Anna Johnson", "Dora Müller", "Борис Иванов"}, names,
		"the head of Sales first, then by last name as People sorts them; Boris once")
	assert.False(t, loaded, "Sales itself is not loaded")
	_, loaded = o.SubtreePeople(4)
	assert.True(t, loaded)

	assert.Equal(t, 4, o.Within(2, o.Person(12)), "Boris is in Sales through EMEA")
	assert.Equal(t, 3, o.Within(3, o.Person(12)))
	assert.Equal(t, 2, o.Within(2, o.Person(11)))
	assert.Equal(t, 0, o.Within(3, o.Person(10)), "Anna is not in R&D")
	assert.Equal(t, 0, o.Within(99, o.Person(10)))
}
