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
	// Gender is "M" or "F" as the portal gives it (im `gender`, user.get
	// PERSONAL_GENDER), "" when it gives neither.
	Gender string
	// Carries says which of the fields above the source really carried
	// (the others are zero because the source lacks them, not because the
	// person has none); 0 means every field.
	Carries Fields
}

// Fields is a set of User fields, as a source carries them.
type Fields uint16

// The field groups a source may carry or lack.
const (
	FieldNames       Fields = 1 << iota // Name, FirstName, LastName
	FieldPosition                       // Position
	FieldEmail                          // Email
	FieldPhones                         // Extension, WorkPhone, Mobile as the portal formats them
	FieldPhoneDigits                    // the phones as digits only (a search result): the digits, not the format
	FieldDepartments                    // DepartmentIDs
	FieldActive                         // Active
	FieldPresence                       // LastActivity, IdleSince, AbsentUntil

	// FieldsAll is every field (what 0 means too).
	FieldsAll = FieldNames | FieldPosition | FieldEmail | FieldPhones | FieldDepartments | FieldActive | FieldPresence
)

// Has reports whether f holds every field of g; 0 holds every field.
func (f Fields) Has(g Fields) bool { return f == 0 || f&g == g }
