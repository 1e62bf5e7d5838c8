package fakeportal

import (
	"sort"
	"strings"
	"unicode"
)

// dept is a department with what the index derives for it.
type dept struct {
	Department
	depth    int    // 0 for a root
	fullName string // im full_name: "Team / Department / Company"
}

// person is a user with the lower-case words search matches against.
type person struct {
	User
	words  []string // names, position, e-mail, extension
	dwords []string // the names of the user's departments
}

// index is an immutable view of an org built for fast answers. It owns its
// data, so requests can use it while Update builds the next one.
type index struct {
	depts    []*dept // tree order: parents before children, siblings by SORT, NAME, ID
	deptByID map[int]*dept
	users    []*person // by ID
	byID     map[int]*person
	members  map[int][]*person    // department ID -> its members, by ID
	byExt    map[string][]*person // lower-case extension -> users
	avail    availability         // events, workdays and CRM clients
}

func buildIndex(org *Org) *index {
	x := &index{
		deptByID: make(map[int]*dept, len(org.Departments)),
		byID:     make(map[int]*person, len(org.Users)),
		members:  map[int][]*person{},
		byExt:    map[string][]*person{},
		avail:    buildAvailability(org),
	}
	all := make([]*dept, 0, len(org.Departments))
	for _, d := range org.Departments {
		if _, dup := x.deptByID[d.ID]; dup || d.ID <= 0 {
			continue
		}
		nd := &dept{Department: d}
		x.deptByID[d.ID] = nd
		all = append(all, nd)
	}
	x.depts = treeOrder(all, x.deptByID)
	x.dropInactive()

	for _, u := range org.Users {
		if _, dup := x.byID[u.ID]; dup || u.ID <= 0 {
			continue
		}
		pr := &person{User: u}
		pr.Departments = dedupe(u.Departments)
		x.byID[u.ID] = pr
		x.users = append(x.users, pr)
	}
	sort.Slice(x.users, func(i, j int) bool { return x.users[i].ID < x.users[j].ID })
	for _, pr := range x.users {
		for _, s := range []string{pr.FirstName, pr.LastName, pr.SecondName, pr.Position, pr.Email, pr.Extension} {
			pr.words = appendWords(pr.words, s)
		}
		for _, id := range pr.Departments {
			x.members[id] = append(x.members[id], pr)
			if d := x.deptByID[id]; d != nil {
				pr.dwords = appendWords(pr.dwords, d.Name)
			}
		}
		if pr.Extension != "" {
			ext := strings.ToLower(pr.Extension)
			x.byExt[ext] = append(x.byExt[ext], pr)
		}
	}
	return x
}

// dropInactive removes the departments that are not globally active (they or
// an ancestor are inactive), as the server's GLOBAL_ACTIVE=Y does. x.depts is
// in tree order, so a parent is decided before its children.
func (x *index) dropInactive() {
	off := map[int]bool{}
	kept := x.depts[:0]
	for _, d := range x.depts {
		if d.Inactive || (d.Parent != 0 && off[d.Parent]) {
			off[d.ID] = true
			delete(x.deptByID, d.ID)
			continue
		}
		kept = append(kept, d)
	}
	x.depts = kept
}

func dedupe(ids []int) []int {
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		seen := false
		for _, o := range out {
			seen = seen || o == id
		}
		if !seen {
			out = append(out, id)
		}
	}
	return out
}

// treeOrder lists departments depth first, as the portal's LEFT_MARGIN order
// does. Departments whose parent is unknown count as roots; a cycle is broken
// at its lowest ID.
func treeOrder(all []*dept, byID map[int]*dept) []*dept {
	children := map[int][]*dept{}
	var roots []*dept
	for _, d := range all {
		if d.Parent == 0 || d.Parent == d.ID || byID[d.Parent] == nil {
			roots = append(roots, d)
		} else {
			children[d.Parent] = append(children[d.Parent], d)
		}
	}
	sibling := func(l []*dept) {
		sort.SliceStable(l, func(i, j int) bool {
			a, b := l[i], l[j]
			if a.Sort != b.Sort {
				return a.Sort < b.Sort
			}
			if la, lb := strings.ToLower(a.Name), strings.ToLower(b.Name); la != lb {
				return la < lb
			}
			return a.ID < b.ID
		})
	}
	sibling(roots)
	for _, l := range children {
		sibling(l)
	}
	out := make([]*dept, 0, len(all))
	seen := make(map[int]bool, len(all))
	walk := func(d *dept, parent *dept) { // iterative; seen stops cycles
		stack := []struct{ d, parent *dept }{{d, parent}}
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[top.d.ID] {
				continue
			}
			seen[top.d.ID] = true
			top.d.fullName = top.d.Name
			if top.parent != nil {
				top.d.depth = top.parent.depth + 1
				top.d.fullName = top.d.Name + " / " + top.parent.fullName
			}
			out = append(out, top.d)
			kids := children[top.d.ID]
			for i := len(kids) - 1; i >= 0; i-- {
				stack = append(stack, struct{ d, parent *dept }{kids[i], top.d})
			}
		}
	}
	for _, r := range roots {
		walk(r, nil)
	}
	rest := make([]*dept, 0)
	for _, d := range all {
		if !seen[d.ID] {
			rest = append(rest, d)
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].ID < rest[j].ID })
	for _, d := range rest {
		walk(d, nil)
	}
	return out
}

// appendWords adds the lower-case words of s.
func appendWords(dst []string, s string) []string {
	if s == "" {
		return dst
	}
	return append(dst, strings.FieldsFunc(strings.ToLower(s), notWordRune)...)
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
}

// matchWords reports whether every query word is a prefix of one of the words.
func matchWords(query []string, lists ...[]string) bool {
	for _, q := range query {
		found := false
		for _, l := range lists {
			for _, w := range l {
				if strings.HasPrefix(w, q) {
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
