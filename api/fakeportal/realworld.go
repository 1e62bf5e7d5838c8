package fakeportal

import (
	"slices"
	"strconv"
	"time"
)

// The people AddRealWorld adds, by their position (the tests find them so).
const (
	PositionNoDepartment = "Portal administrator"
	PositionInvited      = "New hire (invited)"
	PositionExtranet     = "Contractor (extranet)"
	PositionLeftHead     = "Former head"
	PositionArchived     = "Archived team member"
)

// Real-world department names AddRealWorld uses.
const (
	InactiveDepartmentName = "Closed Projects"
	InactiveChildName      = "Old Pilot"
	BotName                = "Support Bot"
)

// AddRealWorld adds to org what real portals hold that a tidy org lacks,
// deterministically (no randomness: the same org gets the same additions):
//
//   - a department headed by someone who is not a member of it (a member of
//     another department), and one headed by a dismissed user who is a member
//     of nothing active;
//   - an active user without any department (an administrator account);
//   - an invited user who never logged in: a member of a team, active, with
//     no last activity;
//   - an extranet user and a bot, neither in any department;
//   - an inactive department with an active child and one member each (the
//     portal's structure leaves both out).
//
// The new users and departments take IDs above the existing ones. Heads are
// chosen among departments two levels or more below the root, so the top of
// the tree stays as it was.
func AddRealWorld(org *Org, now time.Time, domain string) {
	if len(org.Departments) == 0 {
		return
	}
	if domain == "" {
		domain = "portal.example"
	}
	maxUser, maxDept := 0, 0
	for _, u := range org.Users {
		maxUser = max(maxUser, u.ID)
	}
	depth := map[int]int{}
	byID := map[int]int{}
	for i, d := range org.Departments {
		maxDept = max(maxDept, d.ID)
		byID[d.ID] = i
	}
	var depthOf func(id, guard int) int
	depthOf = func(id, guard int) int {
		i, ok := byID[id]
		if !ok || guard > len(org.Departments) {
			return 0
		}
		if v, ok := depth[id]; ok {
			return v
		}
		p := org.Departments[i].Parent
		v := 0
		if p != 0 && p != id {
			v = 1 + depthOf(p, guard+1)
		}
		depth[id] = v
		return v
	}
	var deep []int // department indexes two levels or more down, by ID
	for i, d := range org.Departments {
		if depthOf(d.ID, 0) >= 2 {
			deep = append(deep, i)
		}
	}
	slices.SortFunc(deep, func(a, b int) int { return org.Departments[a].ID - org.Departments[b].ID })
	root := org.Departments[0]
	for _, d := range org.Departments {
		if d.Parent == 0 {
			root = d
			break
		}
	}
	var level1 []int
	for _, d := range org.Departments {
		if d.Parent == root.ID && d.ID != root.ID {
			level1 = append(level1, d.ID)
		}
	}
	next := maxUser
	add := func(u User) int {
		next += 2
		u.ID = next
		u.Active = true
		org.Users = append(org.Users, u)
		return u.ID
	}
	email := func(local string) string { return local + "@" + domain }
	ext := func(id int) string { return strconv.Itoa(90000 + id) }

	// A head from another department.
	if len(deep) >= 2 {
		d := &org.Departments[deep[len(deep)/3]]
		for _, u := range org.Users {
			if u.Active && len(u.Departments) == 1 && !slices.Contains(u.Departments, d.ID) && !isHead(org, u.ID) {
				d.Head = u.ID
				break
			}
		}
		// A head who has left.
		d2 := &org.Departments[deep[2*len(deep)/3]]
		id := add(User{FirstName: "Victor", LastName: "Gone", Position: PositionLeftHead, Gender: "M",
			Email: email("victor.gone"), LastActivity: now.AddDate(0, -7, 0)})
		u := &org.Users[len(org.Users)-1]
		u.Active = false
		u.Departments = []int{d2.ID}
		d2.Head = id
	}
	// Active, no department.
	id := add(User{FirstName: "Ada", LastName: "Admin", Position: PositionNoDepartment, Gender: "F",
		Email: email("ada.admin"), LastActivity: now.Add(-3 * time.Minute)})
	org.Users[len(org.Users)-1].Extension = ext(id)
	// Invited, never logged in: a member of a team.
	team := root.ID
	if len(deep) > 0 {
		team = org.Departments[deep[0]].ID
	}
	add(User{FirstName: "Nora", LastName: "Newcomer", Position: PositionInvited, Gender: "F",
		Email: email("nora.newcomer"), Departments: []int{team}})
	// Extranet and a bot.
	id = add(User{FirstName: "Eli", LastName: "Outside", Position: PositionExtranet, Gender: "M",
		Email: "eli@contractor.example", Extranet: true, LastActivity: now.Add(-time.Minute)})
	org.Users[len(org.Users)-1].Extension = ext(id)
	add(User{FirstName: BotName, Bot: true})
	// An inactive department with an (active) child, one member each.
	parent := root.ID
	if len(level1) > 0 {
		parent = level1[len(level1)-1]
	}
	closed := Department{ID: maxDept + 1, Name: InactiveDepartmentName, Sort: 900, Parent: parent, Inactive: true}
	child := Department{ID: maxDept + 2, Name: InactiveChildName, Sort: 500, Parent: closed.ID}
	org.Departments = append(org.Departments, closed, child)
	for _, dep := range []int{closed.ID, child.ID} {
		add(User{FirstName: "Arch", LastName: "Ived" + strconv.Itoa(dep), Position: PositionArchived, Gender: "M",
			Email: email("archived" + strconv.Itoa(dep)), Departments: []int{dep}, LastActivity: now.AddDate(0, -2, 0)})
	}
}

func isHead(org *Org, id int) bool {
	for _, d := range org.Departments {
		if d.Head == id {
			return true
		}
	}
	return false
}
