package directory

import (
	"cmp"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/b24org/b24org/safetext"
)

// PathSeparator joins department names into a path ("Acme › Sales › EMEA").
const PathSeparator = " › "

// Org is an immutable snapshot of what is known. Safe for concurrent reads.
// Slices and pointers it returns are shared by every reader: do not modify them.
type Org struct {
	portal    string
	fetchedAt time.Time
	complete  bool
	confirmed Confirmed
	st        *structure
	mem       *membership
	people    []*Person // ascending ID, unique
	loaded    map[int]bool
	region    string // phone numbers without a country are read in it ("": guessed; phones.go)

	peopleMu  sync.Mutex
	peopleBy  map[int][]*Person // People results, computed on first use
	subtreeBy map[int][]*Person // SubtreePeople results, computed on first use

	idxOnce sync.Once
	idx     atomic.Pointer[index] // the search index, built on first Search

	fcOnce sync.Once
	fc     *filterCols // what the query filters read, made on first use (query.go)

	mgrOnce sync.Once
	mgr     *managers // who reports to whom, computed on first use (managers.go)
}

// structure is the department tree, fixed against hostile data: unique IDs,
// no cycles, orphans made roots. Orgs share it while the tree is unchanged.
type structure struct {
	depts  []Department // in tree order: depth first, children in display order
	ptrs   []*Department
	pos    map[int]int32 // department ID -> index in depts
	parent []int32       // index of the parent, -1 for a root
	roots  []int
	folded deptNames // the names folded for dept: (query.go)
}

// membership is who belongs where, with the head counts it implies. Orgs
// share it while no member list changes.
type membership struct {
	members map[int][]int // every department of the structure, possibly empty
	counts  []int32       // distinct people per subtree, by structure index
}

// NewOrg builds an Org from d, cleaning every string with safetext (d may come
// from the cache file, which is outside input too). Departments with an ID <= 0
// or a repeated ID are dropped; a department whose parent is missing, itself,
// or part of a cycle becomes a root. People with an ID <= 0 are dropped; of
// repeated IDs the last wins.
func NewOrg(d Data) *Org {
	d.People = slices.Clone(d.People)
	for i := range d.People {
		d.People[i].DepartmentIDs = slices.Clone(d.People[i].DepartmentIDs)
	}
	return orgOf(d)
}

// orgOf is NewOrg for Data nobody else holds: it cleans d.People in place
// and keeps them.
func orgOf(d Data) *Org {
	people := make([]*Person, 0, len(d.People))
	for i := range d.People {
		p := &d.People[i]
		if p.ID > 0 {
			cleanPerson(p)
			people = append(people, p)
		}
	}
	return orgFrom(d.Portal, d.FetchedAt, d.Complete, d.Departments, d.Members, d.Loaded, sortUnique(people))
}

// orgFrom makes an Org of the parts of a Data whose people are clean,
// sorted by ID and unique.
func orgFrom(portal string, fetchedAt time.Time, complete bool, deps []Department, members map[int][]int, loadedIDs []int, people []*Person) *Org {
	st := buildStructure(deps)
	loaded := make(map[int]bool, len(loadedIDs))
	for _, id := range loadedIDs {
		if _, ok := st.pos[id]; ok {
			loaded[id] = true
		}
	}
	return assemble(safetext.Clean(portal), fetchedAt, complete, st, newMembership(st, members, people), people, loaded)
}

// assemble makes an Org of its parts.
func assemble(portal string, fetchedAt time.Time, complete bool, st *structure, mem *membership, people []*Person, loaded map[int]bool) *Org {
	return &Org{
		portal:    portal,
		fetchedAt: fetchedAt,
		complete:  complete,
		st:        st,
		mem:       mem,
		people:    people,
		loaded:    loaded,
		peopleBy:  make(map[int][]*Person),
		subtreeBy: make(map[int][]*Person),
	}
}

// cleanPerson makes every string of p safe to print and its department IDs
// positive and unique; it fills an empty Name from the first and last names.
func cleanPerson(p *Person) {
	for _, s := range []*string{&p.Name, &p.FirstName, &p.LastName, &p.Position, &p.Email, &p.Extension, &p.WorkPhone, &p.Mobile} {
		*s = safetext.Clean(*s)
	}
	if p.Name == "" {
		p.Name = strings.TrimSpace(p.FirstName + " " + p.LastName)
	}
	p.DepartmentIDs = uniqueIDs(p.DepartmentIDs)
}

// uniqueIDs returns the positive IDs of ids, each once, in their first order.
// It returns ids itself when nothing needs dropping.
func uniqueIDs(ids []int) []int {
	if len(ids) <= 16 {
		clean := true
		for i, id := range ids {
			if id <= 0 || slices.Contains(ids[:i], id) {
				clean = false
				break
			}
		}
		if clean {
			return ids
		}
	} else if sorted := slices.Sorted(slices.Values(ids)); sorted[0] > 0 && len(slices.Compact(sorted)) == len(ids) {
		return ids
	}
	out := make([]int, 0, len(ids))
	seen := make(map[int]bool, len(ids))
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// sortUnique sorts people by ID and keeps the last of repeated IDs.
func sortUnique(people []*Person) []*Person {
	slices.SortStableFunc(people, func(a, b *Person) int { return cmp.Compare(a.ID, b.ID) })
	out := people[:0]
	for _, p := range people {
		if n := len(out); n > 0 && out[n-1].ID == p.ID {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return out
}

// mergePeople returns old with add merged in (both sorted by ID and unique);
// a person in add replaces the one with the same ID in old.
func mergePeople(old, add []*Person) []*Person {
	out := make([]*Person, 0, len(old)+len(add))
	i, j := 0, 0
	for i < len(old) && j < len(add) {
		switch {
		case old[i].ID < add[j].ID:
			out = append(out, old[i])
			i++
		case old[i].ID > add[j].ID:
			out = append(out, add[j])
			j++
		default:
			out = append(out, add[j])
			i++
			j++
		}
	}
	out = append(out, old[i:]...)
	return append(out, add[j:]...)
}

// buildStructure makes the tree of in, whatever in holds: departments
// with an ID <= 0 or a repeated ID are dropped, and a department whose
// parent is missing, itself, or on a cycle becomes a root.
func buildStructure(in []Department) *structure {
	f := linkParents(uniqueDepartments(in))
	f.cutCycles()
	f.sortSiblings()
	return f.layout()
}

// forest is a structure being built: the departments by index in list,
// each one's parent (-1 for a root) and children, and the roots.
type forest struct {
	list     []Department
	parent   []int
	children [][]int
	roots    []int
	stack    []int // the depth-first walks' own
}

// uniqueDepartments returns the departments of in with an ID > 0, the
// first of each ID, their names cleaned, their Children unset and a
// negative head made none; and the index in that list of each ID.
func uniqueDepartments(in []Department) ([]Department, map[int]int) {
	byID := make(map[int]int, len(in))
	list := make([]Department, 0, len(in))
	for _, d := range in {
		if d.ID <= 0 {
			continue
		}
		if _, dup := byID[d.ID]; dup {
			continue
		}
		byID[d.ID] = len(list)
		d.Name = safetext.Clean(d.Name)
		d.Children = nil
		d.HeadID = max(d.HeadID, 0)
		list = append(list, d)
	}
	return list, byID
}

// linkParents makes the forest of list (byID: the index of each ID) by
// its ParentIDs, in list's order: a department whose parent is not in
// list, or is itself, is a root.
func linkParents(list []Department, byID map[int]int) *forest {
	n := len(list)
	f := &forest{list: list, parent: make([]int, n), children: make([][]int, n)}
	for i := range list {
		p, ok := byID[list[i].ParentID]
		if !ok || p == i {
			p = -1
		}
		f.parent[i] = p
		if p >= 0 {
			f.children[p] = append(f.children[p], i)
		} else {
			f.roots = append(f.roots, i)
		}
	}
	return f
}

// cutCycles makes every department reachable from a root: whatever the
// roots do not reach hangs on a cycle, which is cut open at its lowest
// ID, that department becoming a root, until everything is reached.
func (f *forest) cutCycles() {
	list, parent, children := f.list, f.parent, f.children
	reached := make([]bool, len(list))
	stack := f.stack[:0]
	visit := func(r int) {
		reached[r] = true
		stack = append(stack[:0], r)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, c := range children[x] {
				if !reached[c] {
					reached[c] = true
					stack = append(stack, c)
				}
			}
		}
	}
	for _, r := range f.roots {
		visit(r)
	}
	var stray []int
	for i := range list {
		if !reached[i] {
			stray = append(stray, i)
		}
	}
	slices.SortFunc(stray, func(a, b int) int { return cmp.Compare(list[a].ID, list[b].ID) })
	for _, i := range stray {
		if reached[i] {
			continue
		}
		p := parent[i]
		children[p] = slices.DeleteFunc(children[p], func(c int) bool { return c == i })
		parent[i] = -1
		f.roots = append(f.roots, i)
		visit(i)
	}
	f.stack = stack
}

// sortSiblings puts the roots and the children of every department in
// display order: by Sort, then by name (sortKey), then by ID.
func (f *forest) sortSiblings() {
	list := f.list
	keys := make([]string, len(list))
	for i := range list {
		keys[i] = sortKey(list[i].Name)
	}
	display := func(a, b int) int {
		return cmp.Or(cmp.Compare(list[a].Sort, list[b].Sort), strings.Compare(keys[a], keys[b]), cmp.Compare(list[a].ID, list[b].ID))
	}
	slices.SortFunc(f.roots, display)
	for i := range f.children {
		slices.SortFunc(f.children[i], display)
	}
}

// layout is the structure of the forest: its departments depth first,
// siblings in their order, each with its ParentID and Children as the
// forest has them.
func (f *forest) layout() *structure {
	list, parent, children := f.list, f.parent, f.children
	n := len(list)
	st := &structure{
		depts:  make([]Department, 0, n),
		ptrs:   make([]*Department, n),
		pos:    make(map[int]int32, n),
		parent: make([]int32, n),
	}
	stack := f.stack[:0]
	for i := len(f.roots) - 1; i >= 0; i-- {
		stack = append(stack, f.roots[i])
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		d := list[x]
		d.ParentID = 0
		if parent[x] >= 0 {
			d.ParentID = list[parent[x]].ID
		}
		if len(children[x]) > 0 {
			d.Children = make([]int, len(children[x]))
			for k, c := range children[x] {
				d.Children[k] = list[c].ID
			}
		}
		st.pos[d.ID] = int32(len(st.depts))
		st.depts = append(st.depts, d)
		for k := len(children[x]) - 1; k >= 0; k-- {
			stack = append(stack, children[x][k])
		}
	}
	f.stack = stack
	for i := range st.depts {
		d := &st.depts[i]
		st.ptrs[i] = d
		st.parent[i] = -1
		if d.ParentID != 0 {
			st.parent[i] = st.pos[d.ParentID]
		} else {
			st.roots = append(st.roots, d.ID)
		}
	}
	return st
}

// newMembership takes the member lists of explicit for the departments of st
// (a department without an entry takes the people whose DepartmentIDs name
// it) and counts the distinct people of every subtree.
func newMembership(st *structure, explicit map[int][]int, people []*Person) *membership {
	lists := make(map[int][]int, len(st.depts))
	derived := false
	for _, d := range st.depts {
		if ids, ok := explicit[d.ID]; ok {
			lists[d.ID] = uniqueIDs(ids)
		} else {
			derived = true
		}
	}
	if derived {
		for _, p := range people {
			for _, id := range p.DepartmentIDs {
				if _, ok := explicit[id]; ok {
					continue
				}
				if _, ok := st.pos[id]; ok {
					lists[id] = append(lists[id], p.ID)
				}
			}
		}
		for _, d := range st.depts {
			if _, ok := lists[d.ID]; !ok {
				lists[d.ID] = nil
			}
		}
	}
	return &membership{members: lists, counts: headCounts(st, lists)}
}

// headCounts counts the distinct member IDs of every subtree: each person
// climbs from each of their departments to the root, stopping where an
// earlier climb of the same person already counted them. (Memberships are
// sorted by person as packed integers; person IDs beyond 32 bits, which no
// portal hands out, could be counted together.)
func headCounts(st *structure, members map[int][]int) []int32 {
	n := 0
	for _, ids := range members {
		n += len(ids)
	}
	pairs := make([]uint64, 0, n) // person << 32 | department index
	for id, ids := range members {
		d := uint64(uint32(st.pos[id]))
		for _, p := range ids {
			pairs = append(pairs, uint64(uint32(p))<<32|d)
		}
	}
	slices.Sort(pairs)
	counts := make([]int32, len(st.depts))
	stamp := make([]int, len(st.depts))
	for i := range stamp {
		stamp[i] = -1
	}
	group := -1
	for i, pr := range pairs {
		if i == 0 || pairs[i-1]>>32 != pr>>32 {
			group = i // the index of the person's first pair marks their climbs
		}
		for a := int32(uint32(pr)); a >= 0 && stamp[a] != group; a = st.parent[a] {
			stamp[a] = group
			counts[a]++
		}
	}
	return counts
}

// withMembers returns m with the member lists of changed replaced, or m
// itself when nothing changes.
func (m *membership) withMembers(st *structure, changed map[int][]int) *membership {
	var lists map[int][]int
	for id, ids := range changed {
		if _, ok := st.pos[id]; !ok || sameSet(m.members[id], ids) {
			continue
		}
		if lists == nil {
			lists = maps.Clone(m.members)
		}
		lists[id] = uniqueIDs(ids)
	}
	if lists == nil {
		return m
	}
	return &membership{members: lists, counts: headCounts(st, lists)}
}

// sameSet reports whether a and b hold the same IDs.
func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// Data returns the content of o, a deep copy.
func (o *Org) Data() Data {
	d := Data{
		Portal:      o.portal,
		FetchedAt:   o.fetchedAt,
		Complete:    o.complete,
		Departments: make([]Department, len(o.st.depts)),
		People:      make([]Person, len(o.people)),
		Members:     make(map[int][]int, len(o.mem.members)),
	}
	for i, dep := range o.st.depts {
		dep.Children = nil
		d.Departments[i] = dep
	}
	for i, p := range o.people {
		d.People[i] = *p
		d.People[i].DepartmentIDs = slices.Clone(p.DepartmentIDs)
	}
	for id, ids := range o.mem.members {
		d.Members[id] = nil // an empty department: known, with no members
		if len(ids) > 0 {
			d.Members[id] = slices.Clone(ids)
		}
	}
	for _, dep := range o.st.depts {
		if o.loaded[dep.ID] {
			d.Loaded = append(d.Loaded, dep.ID)
		}
	}
	return d
}

// Portal returns the portal this snapshot describes (no secret in it).
func (o *Org) Portal() string { return o.portal }

// Roots returns the root departments in display order.
func (o *Org) Roots() []int { return slices.Clone(o.st.roots) }

// Departments returns every department in tree order: depth first, children
// in display order (the order of `export` and of a fully expanded tree).
func (o *Org) Departments() []*Department { return slices.Clone(o.st.ptrs) }

// Department returns the department with that id, or nil.
func (o *Org) Department(id int) *Department {
	if i, ok := o.st.pos[id]; ok {
		return o.st.ptrs[i]
	}
	return nil
}

// HeadCount returns the number of distinct people in the subtree of id: a
// person in two departments of the subtree counts once.
func (o *Org) HeadCount(id int) int {
	if i, ok := o.st.pos[id]; ok {
		return int(o.mem.counts[i])
	}
	return 0
}

// Members returns the IDs of the members of a department as the tree load
// (or a later people load) reported them, loaded or not.
func (o *Org) Members(deptID int) []int { return slices.Clone(o.mem.members[deptID]) }

// PathIDs returns the department IDs from the root down to id (empty when id
// is unknown): the nodes to expand to reveal id.
func (o *Org) PathIDs(id int) []int {
	i, ok := o.st.pos[id]
	if !ok {
		return nil
	}
	var ids []int
	for ; i >= 0 && len(ids) <= len(o.st.depts); i = o.st.parent[i] {
		ids = append(ids, o.st.depts[i].ID)
	}
	slices.Reverse(ids)
	return ids
}

// Path returns the names from the root down to id.
func (o *Org) Path(id int) []string {
	ids := o.PathIDs(id)
	if len(ids) == 0 {
		return nil
	}
	names := make([]string, len(ids))
	for k, d := range ids {
		names[k] = o.st.ptrs[o.st.pos[d]].Name
	}
	return names
}

// DepartmentPaths returns the full path of each of p's departments that o
// knows, names joined with PathSeparator, in the order of p.DepartmentIDs
// (the "departments" field of `find --json` and `export`).
func (o *Org) DepartmentPaths(p *Person) []string {
	paths := make([]string, 0, len(p.DepartmentIDs))
	for _, id := range p.DepartmentIDs {
		if path := o.Path(id); len(path) > 0 {
			paths = append(paths, strings.Join(path, PathSeparator))
		}
	}
	return paths
}

// People returns the known members of a department, the head first (also
// when the head is not a member: see IsMember), then by last name, first
// name and ID; and whether the department's people have been
// loaded (false: the list may be partial or empty for now).
func (o *Org) People(deptID int) ([]*Person, bool) {
	if _, ok := o.st.pos[deptID]; !ok {
		return nil, false
	}
	loaded := o.complete || o.loaded[deptID]
	o.peopleMu.Lock()
	defer o.peopleMu.Unlock()
	if ps, ok := o.peopleBy[deptID]; ok {
		return ps, loaded
	}
	ids := o.mem.members[deptID]
	ps := make([]*Person, 0, len(ids)+1)
	head := o.Department(deptID).HeadID
	member := false
	for _, id := range ids {
		if p := o.Person(id); p != nil {
			ps = append(ps, p)
		}
		member = member || id == head
	}
	if p := o.Person(head); p != nil && !member {
		ps = append(ps, p) // the head is shown even when not a member (see IsMember)
	}
	sortPeople(ps, head)
	o.peopleBy[deptID] = ps
	return ps, loaded
}

// sortPeople orders ps: the head first, then by last name, first name, ID.
func sortPeople(ps []*Person, head int) {
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
		if (a.p.ID == head) != (b.p.ID == head) {
			if a.p.ID == head {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.last, b.last), strings.Compare(a.first, b.first), cmp.Compare(a.p.ID, b.p.ID))
	})
	for i := range ks {
		ps[i] = ks[i].p
	}
}

// Subtree returns department id and every department below it, in tree
// order (empty when id is unknown).
func (o *Org) Subtree(id int) []int {
	i, ok := o.st.pos[id]
	if !ok {
		return nil
	}
	ids := []int{id}
	// Tree order is depth first: the subtree is the run of departments
	// after id that descend from it.
	for j := int(i) + 1; j < len(o.st.depts) && o.below(int32(j), i); j++ {
		ids = append(ids, o.st.depts[j].ID)
	}
	return ids
}

// below reports whether the department at structure index j descends from
// the one at index i.
func (o *Org) below(j, i int32) bool {
	for a, n := o.st.parent[j], 0; a >= 0 && n <= len(o.st.depts); a, n = o.st.parent[a], n+1 {
		if a == i {
			return true
		}
	}
	return false
}

// Within returns the department of p that is top or below it (the first in
// p.DepartmentIDs), or 0 when p belongs to none of them.
func (o *Org) Within(top int, p *Person) int {
	i, ok := o.st.pos[top]
	if !ok {
		return 0
	}
	for _, id := range p.DepartmentIDs {
		if j, ok := o.st.pos[id]; ok && (j == i || o.below(j, i)) {
			return id
		}
	}
	return 0
}

// SubtreePeople returns the known members of department id and of every
// department below it, each once (as HeadCount counts them): the head of id
// first when a member, then by last name, first name and ID; and whether
// the people of every one of these departments have been loaded.
func (o *Org) SubtreePeople(id int) ([]*Person, bool) {
	ids := o.Subtree(id)
	if len(ids) == 0 {
		return nil, false
	}
	loaded := true
	for _, d := range ids {
		loaded = loaded && (o.complete || o.loaded[d])
	}
	o.peopleMu.Lock()
	defer o.peopleMu.Unlock()
	if ps, ok := o.subtreeBy[id]; ok {
		return ps, loaded
	}
	seen := map[int]bool{}
	var ps []*Person
	for _, d := range ids {
		for _, m := range o.mem.members[d] {
			if seen[m] {
				continue
			}
			seen[m] = true
			if p := o.Person(m); p != nil {
				ps = append(ps, p)
			}
		}
	}
	head := o.Department(id).HeadID
	if !seen[head] {
		head = 0
	}
	sortPeople(ps, head)
	o.subtreeBy[id] = ps
	return ps, loaded
}

// IsMember reports whether person id is a member of department deptID (a
// head need not be one: docs/portal.md, Departments and their people).
func (o *Org) IsMember(deptID, id int) bool {
	return slices.Contains(o.mem.members[deptID], id)
}

// Person returns the person with that id, or nil.
func (o *Org) Person(id int) *Person {
	i := sort.Search(len(o.people), func(i int) bool { return o.people[i].ID >= id })
	if i < len(o.people) && o.people[i].ID == id {
		return o.people[i]
	}
	return nil
}

// AllPeople returns everyone known, by ascending ID.
func (o *Org) AllPeople() []*Person { return slices.Clone(o.people) }

// PersonCount returns the number of people known.
func (o *Org) PersonCount() int { return len(o.people) }

// Loaded reports whether the people of a department (with details) are loaded.
func (o *Org) Loaded(deptID int) bool {
	_, known := o.st.pos[deptID]
	return known && (o.complete || o.loaded[deptID])
}

// Complete reports whether every department's people are loaded (search is local).
func (o *Org) Complete() bool { return o.complete }

// Confirmed says when each part of an Org was last confirmed by the portal.
type Confirmed struct {
	Tree   time.Time // the department tree and member lists (LoadTree)
	Merged time.Time // the last people merged in without a whole load (a search, a department); zero: none since
}

// Confirmed says when each part of o was last confirmed by the portal; the
// whole directory's people were last loaded at FetchedAt.
func (o *Org) Confirmed() Confirmed { return o.confirmed }

// FetchedAt is when the oldest part of this snapshot came from the portal.
func (o *Org) FetchedAt() time.Time { return o.fetchedAt }
