package api

import "time"

// Department is one node of the portal's department tree, as department.get
// describes it, with its IDs already converted from the portal's strings.
type Department struct {
	ID       int
	Name     string
	Sort     int
	ParentID int // 0 for a root department
	HeadID   int // 0 when the department has no head
}

// User is an employee as the im user object (and user.get) describe them.
// Every string has passed safetext.Clean; zero times mean "not known" or "not set".
type User struct {
	ID            int
	Name          string // the full name as the portal formats it
	FirstName     string
	LastName      string
	Position      string
	Email         string
	Extension     string // UF_PHONE_INNER, phones.inner_phone
	WorkPhone     string
	Mobile        string
	DepartmentIDs []int
	Active        bool
	LastActivity  time.Time // last_activity_date; zero when unknown
	IdleSince     time.Time // idle; zero when not idle
	AbsentUntil   time.Time // absent; zero when not on vacation now
	// Extranet (im `extranet`, user.get USER_TYPE extranet) and Bot (im
	// `bot`) mark people outside the company's structure.
	Extranet, Bot bool
}
