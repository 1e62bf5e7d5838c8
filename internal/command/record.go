package command

import (
	"strconv"
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
)

// Person is one person in the output of find --json and export: a public
// contract (README.md, JSON fields). Change a field only with a version bump.
type Person struct {
	ID            int      `json:"id"`
	Name          string   `json:"name"`
	FirstName     string   `json:"first_name"`
	LastName      string   `json:"last_name"`
	Position      string   `json:"position"`
	Email         string   `json:"email"`
	Extension     string   `json:"extension"`
	WorkPhone     string   `json:"work_phone"`
	Mobile        string   `json:"mobile"`
	DepartmentIDs []int    `json:"department_ids"`
	Departments   []string `json:"departments"`
	Presence      string   `json:"presence"`
	LastSeen      *string  `json:"last_seen"`
	AbsentUntil   *string  `json:"absent_until"`
	Active        bool     `json:"active"`
	// ManagerID is who the person reports to (directory.Org.Manager): null
	// for the head of the topmost department, or when the tree is unknown.
	ManagerID *int `json:"manager_id"`
	// Availability is the person's availability now (directory.Available
	// …): presence and vacation, with the calendar and the workday when
	// the portal was asked for them (find, caller; not export).
	Availability string `json:"availability"`
	// BusyUntil is when the meeting or absence now ends (RFC 3339); null
	// when the person is not busy or absent, or it is not known.
	BusyUntil *string `json:"busy_until"`
	// Workday is opened, paused, closed or expired; null when not known.
	Workday *string `json:"workday"`
	// reason is the availability when the calendar or the workday decided
	// it (nil otherwise), said in the session's language ("in a meeting
	// until 15:00") by the table and caller's lines; not in the JSON.
	reason *directory.Availability
	// gender is the portal's gender of the person ("M", "F", "": not
	// said), which the table and caller's lines say in Russian (был,
	// была); not in the JSON, whose fields are a contract.
	gender string
	// Match says what matched a find query (find only; export leaves it out).
	Match string `json:"match,omitempty"`
}

// Department is one department in the output of export.
type Department struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	ParentID *int   `json:"parent_id"`
	HeadID   *int   `json:"head_id"`
}

// newPerson describes p as seen at now, with its schedule s (nil: not
// known); org gives the department paths. department_ids and departments
// run in parallel ("" for a department not in the tree).
func newPerson(p *directory.Person, s *directory.Schedule, org *directory.Org, now time.Time, threshold time.Duration) Person {
	out := Person{
		ID:            p.ID,
		Name:          p.Name,
		FirstName:     p.FirstName,
		LastName:      p.LastName,
		Position:      p.Position,
		Email:         p.Email,
		Extension:     p.Extension,
		WorkPhone:     p.WorkPhone,
		Mobile:        p.Mobile,
		DepartmentIDs: append([]int{}, p.DepartmentIDs...),
		Departments:   make([]string, 0, len(p.DepartmentIDs)),
		Presence:      p.PresenceAt(now, threshold).String(),
		Active:        p.Active,
		gender:        p.Gender,
	}
	for _, id := range p.DepartmentIDs {
		out.Departments = append(out.Departments, strings.Join(org.Path(id), directory.PathSeparator))
	}
	if !p.LastActivity.IsZero() {
		s := p.LastActivity.Format(time.RFC3339)
		out.LastSeen = &s
	}
	if p.Absent(now) {
		s := p.AbsentUntil.Format(time.DateOnly)
		out.AbsentUntil = &s
	}
	if m, ok := org.Manager(p.ID); ok {
		out.ManagerID = &m
	}
	a := p.AvailabilityAt(s, now, threshold)
	out.Availability = a.State
	if !a.Until.IsZero() {
		u := a.Until.Format(time.RFC3339)
		out.BusyUntil = &u
	}
	if a.Workday != "" {
		w := a.Workday
		out.Workday = &w
	}
	if a.Source == directory.FromCalendar || a.Source == directory.FromWorkday {
		out.reason = &a
	}
	return out
}

// newDepartment describes d; zero parent or head IDs become null.
func newDepartment(d *directory.Department) Department {
	out := Department{ID: d.ID, Name: d.Name}
	if parent := d.ParentID; parent != 0 {
		out.ParentID = &parent
	}
	if head := d.HeadID; head != 0 {
		out.HeadID = &head
	}
	return out
}

// CSVHeader is the header row of export --format csv: the person fields
// (new fields go at the end, so that columns keep their places).
func CSVHeader() []string {
	return []string{
		"id", "name", "first_name", "last_name", "position", "email", "extension", "work_phone",
		"mobile", "department_ids", "departments", "presence", "last_seen", "absent_until", "active",
		"manager_id", "availability", "busy_until", "workday",
	}
}

// csvRecord is p as a CSV row under csvHeader; lists are joined with ";",
// nulls are empty.
func (p Person) csvRecord() []string {
	ids := make([]string, len(p.DepartmentIDs))
	for i, id := range p.DepartmentIDs {
		ids[i] = strconv.Itoa(id)
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	manager := ""
	if p.ManagerID != nil {
		manager = strconv.Itoa(*p.ManagerID)
	}
	return []string{
		strconv.Itoa(p.ID), p.Name, p.FirstName, p.LastName, p.Position, p.Email, p.Extension,
		p.WorkPhone, p.Mobile, strings.Join(ids, ";"), strings.Join(p.Departments, ";"),
		p.Presence, deref(p.LastSeen), deref(p.AbsentUntil), strconv.FormatBool(p.Active), manager,
		p.Availability, deref(p.BusyUntil), deref(p.Workday),
	}
}
