package fakeportal

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

// GenOptions shapes a generated org.
type GenOptions struct {
	People int
	// Departments is the number of departments; zero: People/20, at least 1.
	Departments int
	Seed        int64
	Hostile     bool // include hostile strings (see HostileSamples)
	// Now is the moment presence is generated relative to; zero: time.Now()
	// (pass a fixed time for identical orgs).
	Now time.Time
	// RealWorld adds what real portals hold beside the tidy org (see
	// AddRealWorld); the rest of the org is the same as without it.
	RealWorld bool
	// Availability adds meetings and absences, workdays and CRM clients
	// (see addAvailability); the rest of the org is the same as without it.
	Availability bool
}

// Generate builds a deterministic, realistic org: a department tree 3 to 5
// levels deep (company, divisions, offices, teams), most departments with a
// head, one empty department (from 3 departments up), people with English,
// Russian, German, Chinese and Arabic names, positions, ASCII e-mails, unique
// extensions of 3 to 5 digits, phones (some people have none), some inactive
// people, some in two departments, and a mix of presence relative to Now:
// online, idle, offline (hours or days ago, or never) and on vacation;
// with Availability, besides, meetings and planned absences, workdays
// (opened, on a break, closed, expired) and CRM clients with phone numbers
// in national and international formats and responsible employees (see
// addAvailability). The same options give the same org.
func Generate(o GenOptions) *Org { return generate(o, nil) }

// Demo returns the demo company, Acme Corp: about 1,200 people in 60
// departments, the same on every run for a given now, with pleasant names at
// the top of the tree, and CRM clients on the numbers the documentation
// uses (+7 (495) 123-45-67, +49 30 1234567), and Russian and Ukrainian
// names that show each rule of the search (addDemoSpellings). hostile adds
// the hostile strings deeper down.
func Demo(now time.Time, hostile bool) *Org {
	org := generate(GenOptions{People: 1200, Seed: 24, Hostile: hostile, Now: now, RealWorld: true, Availability: true}, demoTemplate())
	addDemoClients(org)
	addDemoSpellings(org)
	return org
}

// template fixes the top of a generated tree (the demo's).
type template struct {
	company, domain string
	level1          []string
	level2          map[string][]string
	culture         map[string]string // department name -> culture of its people
	heads           map[string]curated
}

// curated is a fixed person heading a template department.
type curated struct {
	first, last namePair
	gender      string
	culture     string
}

func demoTemplate() *template {
	p := func(native, ascii string) namePair { return namePair{native, ascii} }
	return &template{
		company: "Acme Corp",
		domain:  "acme.example",
		level1:  []string{"Sales", "R&D", "Customer Support", "Operations", "Finance", "Human Resources", "Marketing", "IT"},
		level2: map[string][]string{
			"Sales":            {"EMEA", "Americas", "APAC", "Moscow Office"},
			"R&D":              {"Backend", "Frontend", "Platform", "Quality Assurance", "Berlin Lab"},
			"Customer Support": {"Tier 1", "Tier 2", "Shanghai Desk"},
			"Operations":       {"Logistics", "Facilities", "Dubai Office"},
			"Finance":          {"Accounting", "Treasury"},
			"Human Resources":  {"Recruiting", "Payroll"},
			"Marketing":        {"Brand", "Events"},
			"IT":               {"Helpdesk", "Infrastructure"},
		},
		culture: map[string]string{"Moscow Office": "ru", "Berlin Lab": "de", "Shanghai Desk": "zh", "Dubai Office": "ar"},
		heads: map[string]curated{
			"Acme Corp":        {p("Anna", "anna"), p("Johnson", "johnson"), "F", "en"},
			"Sales":            {p("Борис", "boris"), p("Иванов", "ivanov"), "M", "ru"},
			"R&D":              {p("Dora", "dora"), p("Müller", "mueller"), "F", "de"},
			"Customer Support": {p("伟", "wei"), p("陈", "chen"), "M", "zh"},
			"Operations":       {p("عمر", "omar"), p("حداد", "haddad"), "M", "ar"},
			"Finance":          {p("Sarah", "sarah"), p("Williams", "williams"), "F", "en"},
			"Human Resources":  {p("Jürgen", "juergen"), p("Schmidt", "schmidt"), "M", "de"},
			"Marketing":        {p("Emily", "emily"), p("Clark", "clark"), "F", "en"},
			"IT":               {p("Никита", "nikita"), p("Орлов", "orlov"), "M", "ru"},
			"EMEA":             {p("Megan", "megan"), p("Taylor", "taylor"), "F", "en"},
		},
	}
}

// gdept is a department while it is generated; parent is an index, -1 for the root.
type gdept struct {
	parent, depth int
	children      []int
	name, culture string
	sort, id      int
	weight        int
	members       []int // indexes of users
	head          int   // index of the head user, -1 for none
}

type gen struct {
	r       *rand.Rand
	now     time.Time
	tpl     *template
	cults   []*culture
	byCode  map[string]*culture
	depts   []*gdept
	users   []User
	culture []*culture // per user
	emails  map[string]bool
	domain  string
}

func generate(o GenOptions, tpl *template) *Org {
	g := &gen{
		r:      rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed0fb24)),
		now:    o.Now,
		tpl:    tpl,
		cults:  cultures(),
		byCode: map[string]*culture{},
		emails: map[string]bool{},
	}
	if g.now.IsZero() {
		g.now = time.Now()
	}
	for _, c := range g.cults {
		g.byCode[c.code] = c
	}
	people := max(o.People, 0)
	nd := o.Departments
	if nd <= 0 {
		nd = max(1, people/20)
	}
	g.tree(nd)
	g.nameDepartments()
	g.assignDepartmentIDs()
	g.makePeople(people)
	g.chooseHeads()
	g.finishPeople()
	if tpl != nil {
		g.applyTemplateHeads()
	}
	if o.Hostile {
		g.injectHostile()
	}
	org := g.org()
	if o.Availability {
		addAvailability(org, g.now, o.Seed, o.Hostile)
	}
	if o.RealWorld {
		AddRealWorld(org, g.now, g.domain)
	}
	return org
}

// tree shapes the department tree: fan-out chosen so that 3 to 5 levels hold nd departments.
func (g *gen) tree(nd int) {
	levels := 3
	switch {
	case nd < 3:
		levels = nd
	case nd >= 400:
		levels = 5
	case nd >= 40:
		levels = 4
	}
	f := 2
	for capacity(f, levels) < nd-1 {
		f++
	}
	g.depts = []*gdept{{parent: -1, head: -1}}
	add := func(parent int) int {
		g.depts = append(g.depts, &gdept{parent: parent, depth: g.depts[parent].depth + 1, head: -1})
		i := len(g.depts) - 1
		g.depts[parent].children = append(g.depts[parent].children, i)
		return i
	}
	cur := []int{0}
	for depth := 0; depth < levels-1 && len(g.depts) < nd; depth++ {
		if depth > 0 {
			g.r.Shuffle(len(cur), func(i, j int) { cur[i], cur[j] = cur[j], cur[i] })
		}
		var next []int
		for _, di := range cur {
			k := max(1, f/2) + g.r.IntN(f+1)
			if tk, ok := g.templateFanout(depth, di); ok {
				k = tk
			} else if depth == 0 {
				k = min(max(f+g.r.IntN(3)-1, 2), 8)
			} else if g.r.Float64() < 0.1 {
				k = 0
			}
			for j := 0; j < k && len(g.depts) < nd; j++ {
				next = append(next, add(di))
			}
		}
		cur = next
	}
	// Top up where random fan-out fell short: some branches grow a level less deep.
	var open []int
	for i, d := range g.depts {
		if i > 0 && d.depth < levels-1 {
			open = append(open, i)
		}
	}
	if len(open) == 0 {
		open = []int{0}
	}
	for len(g.depts) < nd {
		add(open[g.r.IntN(len(open))])
	}
}

// templateFanout is the number of children the template gives department di.
func (g *gen) templateFanout(depth, di int) (int, bool) {
	if g.tpl == nil {
		return 0, false
	}
	if depth == 0 {
		return len(g.tpl.level1), true
	}
	if depth == 1 {
		if pos := indexOf(g.depts[0].children, di); pos < len(g.tpl.level1) {
			if l, ok := g.tpl.level2[g.tpl.level1[pos]]; ok {
				return len(l), true
			}
		}
	}
	return 0, false
}

func capacity(f, levels int) int {
	total, p := 0, 1
	for k := 1; k < levels; k++ {
		p *= f
		total += p
		if total > 1<<30 {
			break
		}
	}
	return total
}

func indexOf(l []int, v int) int {
	for i, x := range l {
		if x == v {
			return i
		}
	}
	return 0
}

func (g *gen) pick(l []string) string { return l[g.r.IntN(len(l))] }

// nameDepartments names the tree: company, divisions, offices, teams.
func (g *gen) nameDepartments() {
	root := g.depts[0]
	root.name = g.pick(companies())
	if g.tpl != nil {
		root.name = g.tpl.company
		g.domain = g.tpl.domain
	} else {
		first, _, _ := strings.Cut(root.name, " ")
		g.domain = asciiName(first) + ".example"
	}
	root.sort = 500
	divs := divisions()
	g.r.Shuffle(len(divs), func(i, j int) { divs[i], divs[j] = divs[j], divs[i] })
	for i := 1; i < len(g.depts); i++ {
		d := g.depts[i]
		parent := g.depts[d.parent]
		pos := indexOf(parent.children, i)
		d.culture = parent.culture
		d.sort = 500
		if g.r.Float64() < 0.12 {
			d.sort = []int{100, 200, 300, 400, 600, 1000}[g.r.IntN(6)]
		}
		var name string
		switch {
		case d.depth == 1 && g.tpl != nil && pos < len(g.tpl.level1):
			name = g.tpl.level1[pos]
			d.sort = 100 * (pos + 1)
		case d.depth == 1:
			name = divs[pos%len(divs)]
		case d.depth == 2 && g.tpl != nil && pos < len(g.tpl.level2[parent.name]):
			name = g.tpl.level2[parent.name][pos]
			d.culture = g.tpl.culture[name]
		case d.depth == 2:
			of := offices()[g.r.IntN(len(offices()))]
			name, d.culture = of.name, of.culture
		default:
			c := g.byCode[d.culture]
			if c == nil || g.r.Float64() < 0.3 {
				c = g.byCode["en"]
			}
			name = g.pick(c.teams)
		}
		d.name = g.uniqueSibling(parent, i, name)
	}
}

// uniqueSibling numbers a name already taken by a sibling: "Backend 2".
func (g *gen) uniqueSibling(parent *gdept, self int, name string) string {
	taken := map[string]bool{}
	for _, c := range parent.children {
		if c != self && g.depts[c].name != "" {
			taken[g.depts[c].name] = true
		}
	}
	out := name
	for n := 2; taken[out]; n++ {
		out = name + " " + strconv.Itoa(n)
	}
	return out
}

// assignDepartmentIDs numbers departments in creation order with gaps, then
// swaps some, so that a parent's ID is not always below its children's.
func (g *gen) assignDepartmentIDs() {
	id := 1
	for _, d := range g.depts {
		d.id = id
		id++
		if g.r.Float64() < 0.08 {
			id += 1 + g.r.IntN(4)
		}
	}
	if n := len(g.depts); n > 3 {
		for k := 0; k < n/10; k++ {
			a, b := 1+g.r.IntN(n-1), 1+g.r.IntN(n-1)
			g.depts[a].id, g.depts[b].id = g.depts[b].id, g.depts[a].id
		}
	}
}

// makePeople creates the staff and puts everyone in a department.
func (g *gen) makePeople(n int) {
	empty := -1
	var leaves []int
	for i, d := range g.depts {
		if i > 0 && len(d.children) == 0 {
			leaves = append(leaves, i)
		}
	}
	if len(g.depts) >= 3 && len(leaves) > 0 {
		empty = leaves[g.r.IntN(len(leaves))]
	}
	var order []int // departments that get people, one each first
	cum := make([]int, len(g.depts))
	total := 0
	for i, d := range g.depts {
		switch {
		case i == empty:
			d.weight = 0
		case i == 0:
			d.weight = 1
		case len(d.children) == 0:
			d.weight = 4 + g.r.IntN(9)
		default:
			d.weight = 1 + g.r.IntN(3)
		}
		total += d.weight
		cum[i] = total
		if d.weight > 0 && i > 0 {
			order = append(order, i)
		}
	}
	g.r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	id := 1
	for i := 0; i < n; i++ {
		di := 0 // the first person is the head of the company
		switch {
		case i == 0:
		case i-1 < len(order):
			di = order[i-1]
		default:
			x := g.r.IntN(total)
			di = sort.SearchInts(cum, x+1)
		}
		g.users = append(g.users, g.person(id, di))
		g.depts[di].members = append(g.depts[di].members, i)
		id++
		if g.r.Float64() < 0.05 {
			id += 1 + g.r.IntN(3) // deleted users leave gaps
		}
	}
	// Some people work in two departments.
	for i := range g.users {
		if i == 0 || len(g.depts) < 2 || g.r.Float64() >= 0.03 {
			continue
		}
		di := 1 + g.r.IntN(len(g.depts)-1)
		if di == empty || g.depts[di].id == g.users[i].Departments[0] {
			continue
		}
		g.users[i].Departments = append(g.users[i].Departments, g.depts[di].id)
		g.depts[di].members = append(g.depts[di].members, i)
	}
}

func (g *gen) pickCulture(d *gdept) *culture {
	if c := g.byCode[d.culture]; c != nil && g.r.Float64() < 0.7 {
		return c
	}
	x := g.r.IntN(100)
	switch {
	case x < 40:
		return g.byCode["en"]
	case x < 65:
		return g.byCode["ru"]
	case x < 80:
		return g.byCode["de"]
	case x < 90:
		return g.byCode["zh"]
	}
	return g.byCode["ar"]
}

// person makes one employee of department di.
func (g *gen) person(id, di int) User {
	c := g.pickCulture(g.depts[di])
	g.culture = append(g.culture, c)
	male := g.r.IntN(2) == 0
	firsts, gender := c.female, "F"
	if male {
		firsts, gender = c.male, "M"
	}
	first := firsts[g.r.IntN(len(firsts))]
	last := c.last[g.r.IntN(len(c.last))]
	if !male {
		last = c.femaleLast(last)
	}
	u := User{ID: id, FirstName: first.native, LastName: last.native, Gender: gender, Active: true,
		Departments: []int{g.depts[di].id}}
	if g.r.Float64() < 0.03 {
		u.Gender = ""
	}
	if c.code == "ru" && g.r.Float64() < 0.8 {
		if male {
			u.SecondName = g.pick(c.patronymM)
		} else {
			u.SecondName = g.pick(c.patronymF)
		}
	}
	if g.r.Float64() >= 0.02 {
		u.Email = g.email(first.ascii, last.ascii)
	}
	positions := g.byCode["en"].positions
	if c.code != "en" && g.r.Float64() < 0.4 {
		positions = c.positions
	}
	u.Position = g.pick(positions)
	if g.r.Float64() >= 0.08 { // the others have no phone at all
		if g.r.Float64() < 0.65 {
			u.WorkPhone = c.phone(g.r)
		}
		if g.r.Float64() < 0.6 {
			u.Mobile = c.mobile(g.r)
		}
		if g.r.Float64() < 0.95 {
			u.Extension = "x" // numbered in finishPeople
		}
	}
	g.presence(&u)
	switch x := g.r.IntN(100); {
	case x < 5:
		u.Status = "dnd"
	case x < 7:
		u.Status = "away"
	}
	return u
}

// email makes a unique ASCII address.
func (g *gen) email(first, last string) string {
	local := asciiName(first) + "." + asciiName(last)
	if local == "." {
		local = "user"
	}
	addr := local + "@" + g.domain
	for n := 2; g.emails[addr]; n++ {
		addr = local + strconv.Itoa(n) + "@" + g.domain
	}
	g.emails[addr] = true
	return addr
}

// presence sets last activity, idleness and vacation relative to now.
func (g *gen) presence(u *User) {
	minutes := func(lo, hi int) time.Duration { return time.Duration(lo+g.r.IntN(hi-lo+1)) * time.Minute }
	switch x := g.r.Float64(); {
	case x < 0.33: // online
		u.LastActivity = g.now.Add(-minutes(0, 8)).Add(-time.Duration(g.r.IntN(60)) * time.Second)
	case x < 0.43: // idle: the client still pings, the user is away
		u.LastActivity = g.now.Add(-minutes(0, 4))
		u.IdleSince = g.now.Add(-minutes(10, 180))
	case x < 0.93: // offline: hours or days ago
		if g.r.IntN(2) == 0 {
			u.LastActivity = g.now.Add(-minutes(30, 12*60))
		} else {
			u.LastActivity = g.now.Add(-minutes(12*60, 30*24*60))
		}
	}
	if g.r.Float64() < 0.06 { // on vacation now, back in a few days
		day := time.Date(g.now.Year(), g.now.Month(), g.now.Day(), 0, 0, 0, 0, g.now.Location())
		u.AbsentUntil = day.AddDate(0, 0, g.r.IntN(21))
		if g.r.Float64() < 0.7 {
			u.IdleSince = time.Time{}
			u.LastActivity = g.now.Add(-minutes(2*24*60, 10*24*60))
		}
	}
}

// chooseHeads gives most departments a head from their members; the top two
// levels always have one.
func (g *gen) chooseHeads() {
	for i, d := range g.depts {
		if len(d.members) == 0 {
			continue
		}
		if i == 0 {
			d.head = 0
			continue
		}
		if d.depth > 1 && g.r.Float64() >= 0.88 {
			continue
		}
		d.head = d.members[g.r.IntN(len(d.members))]
	}
}

// finishPeople sets head titles, inactive people and extensions.
func (g *gen) finishPeople() {
	isHead := map[int]bool{}
	for _, d := range g.depts {
		if d.head < 0 {
			continue
		}
		isHead[d.head] = true
		u := &g.users[d.head]
		switch d.depth {
		case 0:
			u.Position = "Chief Executive Officer"
		case 1:
			u.Position = "Director, " + d.name
		case 2:
			u.Position = "Head of " + d.name
		default:
			u.Position = "Team Lead"
		}
		if d.depth <= 1 {
			u.Extension = "top"
		}
	}
	for i := range g.users {
		u := &g.users[i]
		if i == 0 || isHead[i] || g.r.Float64() >= 0.03 {
			continue
		}
		u.Active = false
		u.IdleSince, u.AbsentUntil, u.Status = time.Time{}, time.Time{}, ""
		u.LastActivity = time.Time{}
		if g.r.IntN(3) > 0 {
			u.LastActivity = g.now.AddDate(0, 0, -60-g.r.IntN(640))
		}
	}
	top, ext := 100, 1000
	for i := range g.users {
		u := &g.users[i]
		switch u.Extension {
		case "top":
			if top <= 999 {
				u.Extension = strconv.Itoa(top)
				top++
				continue
			}
			fallthrough
		case "x":
			u.Extension = strconv.Itoa(ext)
			ext += 1 + g.r.IntN(2)
		}
	}
}

// applyTemplateHeads gives the template's departments their curated heads.
func (g *gen) applyTemplateHeads() {
	for _, d := range g.depts {
		c, ok := g.tpl.heads[d.name]
		if !ok || d.head < 0 || d.depth > 2 {
			continue
		}
		u := &g.users[d.head]
		delete(g.emails, u.Email)
		u.FirstName, u.LastName, u.Gender, u.SecondName = c.first.native, c.last.native, c.gender, ""
		u.Email = g.email(c.first.ascii, c.last.ascii)
		u.Active = true
		if cult := g.byCode[c.culture]; cult != nil {
			u.WorkPhone, u.Mobile = cult.phone(g.r), cult.mobile(g.r)
		}
		if d.depth == 0 {
			u.LastActivity, u.IdleSince, u.AbsentUntil = g.now.Add(-2*time.Minute), time.Time{}, time.Time{}
		}
	}
}

// injectHostile puts the hostile samples in names, positions and department
// names, away from the top of the tree and the first people.
func (g *gen) injectHostile() {
	samples := HostileSamples()
	n := len(g.users)
	skip := min(20, n/3)
	minDepth := 2 // below the divisions; below the template's departments in the demo
	if g.tpl != nil {
		minDepth = 3
	}
	var deep []*gdept
	for _, d := range g.depts {
		if d.depth >= minDepth {
			deep = append(deep, d)
		}
	}
	if len(deep) == 0 && len(g.depts) > 1 {
		deep = g.depts[1:]
	}
	holders := map[int]bool{}
	for k, s := range samples {
		if n-skip > 0 {
			i := skip + (k*7)%(n-skip)
			holders[i] = true
			u := &g.users[i]
			switch k % 3 {
			case 0:
				u.FirstName = s
			case 1:
				u.LastName = s
			default:
				u.Position = s
			}
		}
		if len(deep) > 0 {
			deep[(k*13)%len(deep)].name = s
		}
	}
	for i := skip; i < n; i++ {
		if holders[i] || g.r.Float64() >= 0.02 {
			continue
		}
		u := &g.users[i]
		s := samples[g.r.IntN(len(samples))]
		switch g.r.IntN(4) {
		case 0:
			u.FirstName = s
		case 1:
			u.LastName = s
		case 2:
			u.Position = "Senior " + s
		default:
			u.FirstName, u.LastName = "", "" // empty names
		}
	}
	for i := n - 1; i >= skip; i-- {
		if !holders[i] {
			g.users[i].FirstName, g.users[i].LastName = "", ""
			break
		}
	}
}

func (g *gen) org() *Org {
	org := &Org{Departments: make([]Department, 0, len(g.depts)), Users: g.users}
	for _, d := range g.depts {
		dep := Department{ID: d.id, Name: d.name, Sort: d.sort}
		if d.parent >= 0 {
			dep.Parent = g.depts[d.parent].id
		}
		if d.head >= 0 {
			dep.Head = g.users[d.head].ID
		}
		org.Departments = append(org.Departments, dep)
	}
	sort.Slice(org.Departments, func(i, j int) bool { return org.Departments[i].ID < org.Departments[j].ID })
	return org
}
