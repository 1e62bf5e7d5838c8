package ui

import (
	"strings"
	"testing"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readersPortalOrg is Компания (head Ольга Главная) › Продажи (head Анна
// Яшина, with Лена Листова) and › Adams Lab (head Amy Adams): heads whose
// names run against the tree order. The members of Компания mix Е, Ё, И,
// Й and Я with a Latin name. No one has been seen: every badge is ○.
func readersPortalOrg() *fakeportal.Org {
	u := func(id int, first, last string, dept int) fakeportal.User {
		return fakeportal.User{ID: id, FirstName: first, LastName: last, Departments: []int{dept}, Active: true}
	}
	return &fakeportal.Org{
		Departments: []fakeportal.Department{
			{ID: 1, Name: "Компания", Sort: 100, Head: 1},
			{ID: 2, Name: "Продажи", Sort: 100, Parent: 1, Head: 2},
			{ID: 3, Name: "Adams Lab", Sort: 200, Parent: 1, Head: 11},
		},
		Users: []fakeportal.User{
			u(1, "Ольга", "Главная", 1), u(2, "Анна", "Яшина", 2), u(11, "Amy", "Adams", 3),
			u(3, "Алёна", "Ёлкина", 1), u(4, "Мария", "Яковлева", 1), u(5, "Ирина", "Иванова", 1),
			u(6, "Bob", "Baker", 1), u(7, "Ева", "Егорова", 1), u(8, "Нина", "Ершова", 1),
			u(9, "Ия", "Йодко", 1), u(10, "Инна", "Исаева", 1), u(14, "Лена", "Листова", 2),
		},
	}
}

// The reports of Ольга Главная after the heads (Яшина's Продажи comes
// before Adams Lab in the tree): in Russian the Cyrillic names first, Ё
// among the Е and Й after every И; in English the Latin name first.
var (
	readersCyrillic = []string{"Ева Егорова", "Алёна Ёлкина", "Нина Ершова", "Ирина Иванова", "Инна Исаева", "Ия Йодко", "Мария Яковлева"}
	readersOrder    = map[string][]string{
		"ru": append(append([]string{"Анна Яшина", "Amy Adams"}, readersCyrillic...), "Bob Baker"),
		"en": append([]string{"Анна Яшина", "Amy Adams", "Bob Baker"}, readersCyrillic...),
	}
)

// readersChart is the chart of Компания a reader of l expects.
func readersChart(l *lang.Language) []nameNode {
	var reports []nameNode
	for _, name := range readersOrder[l.Code()] {
		n := nameNode{Name: name}
		if name == "Анна Яшина" {
			n.Reports = []nameNode{{Name: "Лена Листова"}}
		}
		reports = append(reports, n)
	}
	return []nameNode{{Name: "Ольга Главная", Reports: reports}}
}

func TestDirectReportsLineInTheReadersOrder(t *testing.T) {
	for _, c := range []struct {
		l    *lang.Language
		head string
	}{{lang.Russian(), "10 подчинённых:"}, {lang.English(), "10 direct reports:"}} {
		t.Run(c.l.Code(), func(t *testing.T) {
			h := newHarness(t, Options{Language: c.l})
			h.send(orgMsg{org: directory.NewOrg(orgData(readersPortalOrg()))})
			h.highlight(t, 1)
			d := h.m.details(h.m.org.Person(1), 1, 400, personLink{})
			want := c.head + " ○ " + strings.Join(readersOrder[c.l.Code()], " · ○ ")
			assert.Equal(t, want, strings.TrimRight(d[len(d)-1], " "), "heads first, then by name as the reader orders names")

			text := screenText(h.view())
			assert.Contains(t, text, c.head+" ○ Анна Яшина · ○ Amy Adams · ", "the screen's line too")
		})
	}
}

func TestOrgChartViewInTheReadersOrder(t *testing.T) {
	for _, l := range []*lang.Language{lang.Russian(), lang.English()} {
		t.Run(l.Code(), func(t *testing.T) {
			h := newHarness(t, Options{Language: l})
			h.send(orgMsg{org: directory.NewOrg(orgData(readersPortalOrg()))})
			h.selectDept("Компания")
			h.keys("o")
			require.Equal(t, modeOrgChart, h.m.mode)
			assert.Equal(t, readersChart(l), chartOnScreen(t, wholeChart(t, h)))
		})
	}
}

func TestPlainOrgChartInTheReadersOrder(t *testing.T) {
	for _, l := range []*lang.Language{lang.Russian(), lang.English()} {
		t.Run(l.Code(), func(t *testing.T) {
			ph := newPlainHarness(t, Options{Language: l})
			ph.init()
			ph.send(orgMsg{org: directory.NewOrg(orgData(readersPortalOrg()))})
			ph.selectDept("Компания")
			ph.lines()
			ph.keys("o")
			chart := ph.lines()
			require.Greater(t, len(chart), 2)
			var names []string
			for _, line := range chart[1 : len(chart)-1] { // between the title and the way back
				name, _, _ := strings.Cut(line, ",")
				names = append(names, name)
			}
			var want []string
			for _, n := range readersChart(l) {
				want = append(want, n.Name)
				for _, r := range n.Reports {
					want = append(want, "  "+r.Name)
					for _, rr := range r.Reports {
						want = append(want, "    "+rr.Name)
					}
				}
			}
			assert.Equal(t, want, names)
		})
	}
}

// BenchmarkOrgChartNewSnapshot30k draws the org chart of a 30,000-person
// company's root on a new snapshot, in a Russian and in an English session:
// BenchmarkOrgChart30k with the reporting lines made and sorted in the
// session's order each time (once per snapshot and language), as the
// first session to open the chart after a refresh pays for them.
func BenchmarkOrgChartNewSnapshot30k(b *testing.B) {
	data := orgData(fakeportal.Generate(fakeportal.GenOptions{People: 30_000, Departments: 1500, Seed: 7, Now: testNow}))
	for _, l := range []*lang.Language{lang.Russian(), lang.English()} {
		b.Run(l.Code(), func(b *testing.B) {
			m := benchModel(b, directory.NewOrg(data), 200, 60)
			m.lang = l
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				m.org = directory.NewOrg(data)
				m.chart.open(m.org.Roots()[0])
				b.StartTimer()
				if lines := m.chart.chartLines(); len(lines) < 30_000 {
					b.Fatalf("%d lines", len(lines))
				}
			}
		})
	}
}
