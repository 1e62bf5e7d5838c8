package directory

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// genData builds a deterministic org of n people in nDepts departments, with
// Latin, Cyrillic, German and CJK names, for tests and benchmarks.
func genData(n, nDepts int, seed uint64) Data {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	firsts := [][2]string{
		{"Anna", "anna"}, {"John", "john"}, {"Maria", "maria"}, {"Peter", "peter"}, {"Laura", "laura"},
		{"Борис", "boris"}, {"Юлия", "yulia"}, {"Дмитрий", "dmitry"}, {"Наталья", "natalya"}, {"Сергей", "sergey"},
		{"Jürgen", "juergen"}, {"Björn", "bjoern"}, {"Ömer", "oemer"}, {"Zoë", "zoe"}, {"Chloé", "chloe"},
		{"伟", "wei"}, {"芳", "fang"}, {"Ahmed", "ahmed"}, {"Fatima", "fatima"}, {"Olga", "olga"},
	}
	lasts := [][2]string{
		{"Johnson", "johnson"}, {"Smith", "smith"}, {"Garcia", "garcia"}, {"Brown", "brown"}, {"Miller", "miller"},
		{"Иванов", "ivanov"}, {"Щукин", "shchukin"}, {"Кузнецова", "kuznetsova"}, {"Жуков", "zhukov"}, {"Цветкова", "tsvetkova"},
		{"Müller", "mueller"}, {"Schäfer", "schaefer"}, {"Weiß", "weiss"}, {"Groß", "gross"}, {"Köhler", "koehler"},
		{"陈", "chen"}, {"王", "wang"}, {"Haddad", "haddad"}, {"Nowak", "nowak"}, {"O'Brien", "obrien"},
	}
	positions := []string{"Account Manager", "Team Lead", "Analyst", "Intern", "Engineer", "Менеджер по продажам",
		"Buchhalterin", "Support Specialist", "Designer", "Head of Department", "Системный администратор"}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	d := Data{Portal: "https://gen.example/rest/1/••••/", FetchedAt: now}
	for i := range nDepts {
		dep := Department{ID: i + 1, Name: fmt.Sprintf("Department %d", i+1), Sort: 100 * (i % 7)}
		if i > 0 {
			dep.ParentID = i/5 + 1
		}
		d.Departments = append(d.Departments, dep)
	}
	d.People = make([]Person, n)
	for i := range d.People {
		f := firsts[r.IntN(len(firsts))]
		l := lasts[r.IntN(len(lasts))]
		p := &d.People[i]
		p.ID = i + 1
		p.FirstName, p.LastName = f[0], l[0]
		p.Name = f[0] + " " + l[0]
		p.Position = positions[r.IntN(len(positions))]
		p.Email = fmt.Sprintf("%s.%s%d@acme.example", f[1], l[1], i)
		p.Extension = fmt.Sprint(1000 + i)
		if r.IntN(4) > 0 {
			p.WorkPhone = fmt.Sprintf("+1 555 %04d", r.IntN(10000))
		}
		if r.IntN(3) > 0 {
			p.Mobile = fmt.Sprintf("+7 9%02d %03d-%02d-%02d", r.IntN(100), r.IntN(1000), r.IntN(100), r.IntN(100))
		}
		p.DepartmentIDs = []int{r.IntN(nDepts) + 1}
		if r.IntN(20) == 0 {
			p.DepartmentIDs = append(p.DepartmentIDs, r.IntN(nDepts)+1)
		}
		p.Active = r.IntN(30) > 0
		switch r.IntN(4) {
		case 0:
			p.LastActivity = now.Add(-time.Duration(r.IntN(600)) * time.Second)
		case 1:
			p.LastActivity = now.Add(-time.Hour)
			p.IdleSince = now.Add(-10 * time.Minute)
		case 2:
			p.LastActivity = now.Add(-72 * time.Hour)
			p.AbsentUntil = now.Add(96 * time.Hour)
		}
	}
	return d
}

// benchQueries is what people type: names in either script, partial names,
// extensions, a phone, a position, an e-mail.
var benchQueries = []string{
	"ivanov", "Иванов", "anna joh", "müller", "mueller", "1042", "10", "shchukin",
	"Щукин", "kuzn", "55501", "engineer", "boris.ivanov", "陈", "sergey miller", "zzzz",
}

// listTarget is the string a bubbles list filters a person by: what a
// straightforward TUI would put in FilterValue.
func listTarget(p *Person) string {
	return strings.Join([]string{p.Name, p.Position, p.Email, p.Extension}, " ")
}
