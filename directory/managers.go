package directory

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/b24org/b24org/lang"
)

// Who reports to whom follows the tree (docs/portal.md has no other
// source): a person's manager is the head of their department; for a head,
// the head of the parent department. A department without a head passes
// the question up to its parent, and the head of the topmost department has
// no manager.
//
// People in several departments: a member reports to the head of the first
// of their departments that the tree knows (the portal lists the main
// department first in UF_DEPARTMENT); a person who heads departments is
// placed at the highest of them (nearest the root; on a tie, the first in
// tree order) and reports above it. So everyone has at most one manager,
// the chain always climbs, and the direct reports and the org chart are a
// tree with each person in it once.

// ChartNode is one person of an org chart with the people who report to
// them, heads of departments first (in tree order), then by name: in the
// reader's order (OrgChartIn, collate.go), or in the fixed byte order of
// sortKey (OrgChart, which export's output keeps).
type ChartNode struct {
	ID      int
	Reports []ChartNode
}

// managers is who reports to whom in an Org, computed on first use.
type managers struct {
	of     map[int]int   // person ID -> manager ID; absent: no manager
	via    map[int]int   // person ID -> the department whose head is the manager
	anchor map[int]int32 // person ID -> structure index of the department that places them
	heads  map[int]bool  // people who head a department
	end    []int32       // structure index -> one past the last index of its subtree

	// mu guards what follows. A language's lists are sorted under it and
	// under the Org's peopleMu (for the collator): mu is taken first, and
	// nothing that holds peopleMu takes mu.
	mu      sync.Mutex
	reports map[int][]int // manager ID -> direct reports; in sortKey's chart order once sorted holds them
	sorted  map[int]bool
	// reportsBy keeps the direct reports in a language's chart order,
	// sorted on first use: (language, manager ID) -> reports.
	reportsBy map[listKey][]int
}

// Manager returns the ID of the person id reports to, and false when there
// is none (the head of the topmost department, or someone the tree does not
// place). The manager may not be loaded yet: see Person.
func (o *Org) Manager(id int) (int, bool) {
	m, ok := o.managers().of[id]
	return m, ok
}

// ManagerDepartment returns the department whose head person id reports
// to (the department that shows the manager first), or 0 when id has no
// manager.
func (o *Org) ManagerDepartment(id int) int { return o.managers().via[id] }

// Chain returns the managers of id up the tree, nearest first (empty when id
// has no manager).
func (o *Org) Chain(id int) []int {
	mg := o.managers()
	var chain []int
	for m, ok := mg.of[id]; ok && len(chain) <= len(o.st.depts); m, ok = mg.of[m] {
		chain = append(chain, m)
	}
	return chain
}

// DirectReports returns the IDs of the people whose manager is id: the
// members of the departments id heads (and of the headless departments
// below them) and the heads of the departments below, heads first in tree
// order, then by name in sortKey's fixed order (export's; a reader's list
// is DirectReportsIn).
func (o *Org) DirectReports(id int) []int { return slices.Clone(o.reportsOf(o.managers(), nil, id)) }

// DirectReportsIn is DirectReports with the people who are not heads in
// the order of the language l, as PeopleIn lists them (collate.go): by
// last name, first name and ID, the names of l's first script first.
func (o *Org) DirectReportsIn(l *lang.Language, id int) []int {
	return slices.Clone(o.reportsOf(o.managers(), l, id))
}

// reportsOf returns the direct reports of id in chart order, in the order
// of l (nil: sortKey's), sorting them on first use (a snapshot's details
// pane needs one person's, not all). The slice is shared: do not modify it.
func (o *Org) reportsOf(mg *managers, l *lang.Language, id int) []int {
	mg.mu.Lock()
	defer mg.mu.Unlock()
	rs := mg.reports[id]
	if len(rs) < 2 {
		return rs
	}
	if l == nil {
		if !mg.sorted[id] {
			o.sortChart(mg, nil, rs)
			mg.sorted[id] = true
		}
		return rs
	}
	key := listKey{l.Code(), id}
	if sorted, ok := mg.reportsBy[key]; ok {
		return sorted
	}
	sorted := slices.Clone(rs)
	o.sortChart(mg, l, sorted)
	mg.reportsBy[key] = sorted
	return sorted
}

// IsHead reports whether person id heads a department.
func (o *Org) IsHead(id int) bool { return o.managers().heads[id] }

// OrgChart returns the org chart of the subtree of department deptID (0:
// the whole directory): the people the subtree places, each under their
// manager; a person whose manager the subtree does not place (or who has
// none) is one of the roots. Nil for an unknown department. Its order is
// sortKey's, the same for every reader (export's; a reader's chart is
// OrgChartIn).
func (o *Org) OrgChart(deptID int) []ChartNode { return o.orgChart(nil, deptID) }

// OrgChartIn is OrgChart with each person's reports, and the roots, in the
// order of the language l, as DirectReportsIn lists them.
func (o *Org) OrgChartIn(l *lang.Language, deptID int) []ChartNode { return o.orgChart(l, deptID) }

// orgChart is OrgChart in the order of l (nil: sortKey's).
func (o *Org) orgChart(l *lang.Language, deptID int) []ChartNode {
	mg := o.managers()
	lo, hi := int32(0), int32(len(o.st.depts))
	if deptID != 0 {
		i, ok := o.st.pos[deptID]
		if !ok {
			return nil
		}
		lo, hi = i, mg.end[i]
	}
	inside := func(id int) bool {
		a, ok := mg.anchor[id]
		return ok && a >= lo && a < hi
	}
	var build func(id, depth int) ChartNode
	build = func(id, depth int) ChartNode {
		n := ChartNode{ID: id}
		if depth > len(o.st.depts) {
			return n // cannot happen (the chain climbs); a guard all the same
		}
		for _, r := range o.reportsOf(mg, l, id) {
			if inside(r) {
				n.Reports = append(n.Reports, build(r, depth+1))
			}
		}
		return n
	}
	var roots []int
	for id := range mg.anchor {
		if !inside(id) {
			continue
		}
		if m, ok := mg.of[id]; !ok || !inside(m) {
			roots = append(roots, id)
		}
	}
	o.sortChart(mg, l, roots)
	out := make([]ChartNode, 0, len(roots))
	for _, id := range roots {
		out = append(out, build(id, 0))
	}
	return out
}

// managers returns o's reporting lines, computing them on first use.
func (o *Org) managers() *managers {
	o.mgrOnce.Do(func() { o.mgr = o.buildManagers() })
	return o.mgr
}

// buildManagers computes who reports to whom (see the comment at the top).
func (o *Org) buildManagers() *managers {
	st := o.st
	n := len(st.depts)
	depth := make([]int32, n)
	for i := range n {
		if p := st.parent[i]; p >= 0 {
			depth[i] = depth[p] + 1 // a parent comes before its children
		}
	}
	mg := &managers{
		of:        map[int]int{},
		via:       map[int]int{},
		anchor:    map[int]int32{},
		heads:     map[int]bool{},
		reports:   map[int][]int{},
		sorted:    map[int]bool{},
		reportsBy: map[listKey][]int{},
		end:       make([]int32, n),
	}
	for i := n - 1; i >= 0; i-- { // a subtree is a run of the depth-first order
		j := int32(i + 1)
		for j < int32(n) && depth[j] > depth[i] {
			j = mg.end[j]
		}
		mg.end[i] = j
	}
	for i := range n {
		h := st.depts[i].HeadID
		if h <= 0 {
			continue
		}
		if a, ok := mg.anchor[h]; !ok || depth[i] < depth[a] {
			mg.anchor[h] = int32(i)
		}
		mg.heads[h] = true
	}
	for _, p := range o.people {
		if mg.heads[p.ID] {
			continue
		}
		for _, d := range p.DepartmentIDs {
			if i, ok := st.pos[d]; ok {
				mg.anchor[p.ID] = i
				break
			}
		}
	}
	for i := range n { // people known only from member lists
		for _, id := range o.mem.members[st.depts[i].ID] {
			if _, ok := mg.anchor[id]; !ok && id > 0 {
				mg.anchor[id] = int32(i)
			}
		}
	}
	for id, a := range mg.anchor {
		start := a
		if mg.heads[id] {
			start = st.parent[a]
		}
		for j := start; j >= 0; j = st.parent[j] {
			if h := st.depts[j].HeadID; h > 0 && h != id {
				mg.of[id] = h
				mg.via[id] = st.depts[j].ID
				mg.reports[h] = append(mg.reports[h], id)
				break
			}
		}
	}
	return mg
}

// sortChart orders ids as a chart shows them: heads first, by the tree
// order of the department that places them; then the others by last name,
// first name and ID, in the order of the language l (sortPeople, as the
// people lists) or, for a nil l, in sortKey's byte order; people not
// loaded yet last, by ID. It takes the Org's peopleMu for the collator
// (lock order: see managers).
func (o *Org) sortChart(mg *managers, l *lang.Language, ids []int) {
	var heads, unknown []int
	var known []*Person
	for _, id := range ids {
		switch p := o.Person(id); {
		case mg.heads[id]:
			heads = append(heads, id)
		case p == nil:
			unknown = append(unknown, id)
		default:
			known = append(known, p)
		}
	}
	slices.SortFunc(heads, func(a, b int) int { return cmp.Or(cmp.Compare(mg.anchor[a], mg.anchor[b]), cmp.Compare(a, b)) })
	slices.Sort(unknown)
	if l == nil {
		sortByKey(known)
	} else {
		o.peopleMu.Lock()
		sortPeople(known, 0, o.collator(l), l.FirstScript()) // no one's ID is 0: no head among them
		o.peopleMu.Unlock()
	}
	n := copy(ids, heads)
	for _, p := range known {
		ids[n] = p.ID
		n++
	}
	copy(ids[n:], unknown)
}

// sortByKey orders ps by last name, first name and ID in sortKey's byte
// order: the chart's order for every reader before the reader's order
// (collate.go) came, which export keeps.
func sortByKey(ps []*Person) {
	type keyed struct {
		p           *Person
		last, first string
	}
	ks := make([]keyed, len(ps))
	for i, p := range ps {
		last := p.LastName
		if last == "" {
			last = p.Name
		}
		ks[i] = keyed{p, sortKey(last), sortKey(p.FirstName)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(strings.Compare(a.last, b.last), strings.Compare(a.first, b.first), cmp.Compare(a.p.ID, b.p.ID))
	})
	for i := range ks {
		ps[i] = ks[i].p
	}
}
