package directory

import (
	"strings"

	"github.com/b24org/b24org/api/fakeportal"
)

// genData is the org fakeportal.Generate makes of n people in nDepts
// departments (names in Latin, Cyrillic, German, Chinese and Arabic
// scripts, unique extensions, presence relative to genNow), as Data: the
// one generator of tests, benchmarks and the demo.
func genData(n, nDepts int, seed uint64) Data {
	return dataOf(fakeportal.Generate(fakeportal.GenOptions{People: n, Departments: nDepts, Seed: int64(seed), Now: genNow}))
}

// dataOf converts the fake portal's org as the loader would hold it after
// loading everyone (inactive people included, each marked so).
func dataOf(org *fakeportal.Org) Data {
	d := Data{Portal: "https://gen.example/rest/1/••••/", FetchedAt: genNow}
	for _, dep := range org.Departments {
		d.Departments = append(d.Departments, Department{ID: dep.ID, Name: dep.Name, Sort: dep.Sort, ParentID: dep.Parent, HeadID: dep.Head})
	}
	d.People = make([]Person, len(org.Users))
	for i, u := range org.Users {
		d.People[i] = Person{
			ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName), FirstName: u.FirstName, LastName: u.LastName,
			Position: u.Position, Email: u.Email, Extension: u.Extension, WorkPhone: u.WorkPhone, Mobile: u.Mobile,
			DepartmentIDs: u.Departments, Active: u.Active,
			LastActivity: u.LastActivity, IdleSince: u.IdleSince, AbsentUntil: u.AbsentUntil, Gender: u.Gender,
		}
	}
	return d
}

// benchQueries is what people type: names in either script, partial names,
// extensions, a phone, a position, an e-mail.
var benchQueries = []string{
	"ivanov", "Иванов", "anna joh", "müller", "mueller", "1042", "10", "kuznetsov",
	"Кузнецов", "kuzn", "55501", "engineer", "sergey.ivanov", "陈", "sergey miller", "zzzz",
}

// listTarget is the string a bubbles list filters a person by: what a
// straightforward TUI would put in FilterValue.
func listTarget(p *Person) string {
	return strings.Join([]string{p.Name, p.Position, p.Email, p.Extension}, " ")
}
