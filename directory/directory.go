// Package directory is the org as the program knows it: the department tree,
// the people, presence, the search index, the disk cache and the loader that
// fills them from the portal.
//
// An Org is an immutable snapshot; a Directory holds the current one and
// replaces it (copy-on-write) as more arrives from the portal. Readers never
// lock: they take Snapshot() and keep using it.
package directory

import "time"

// Person is one employee. Strings are clean (safetext); zero times mean unknown.
// Persons reached through an Org are shared by every reader: do not modify them.
type Person struct {
	ID            int
	Name          string
	FirstName     string
	LastName      string
	Position      string
	Email         string
	Extension     string
	WorkPhone     string
	Mobile        string
	DepartmentIDs []int
	Active        bool
	LastActivity  time.Time
	IdleSince     time.Time
	AbsentUntil   time.Time
}

// Department is one node of the tree. Departments reached through an Org are
// shared by every reader: do not modify them.
type Department struct {
	ID       int
	Name     string
	Sort     int
	ParentID int   // 0 for a root (also for an orphan or a cycle the Org broke)
	HeadID   int   // 0 when the department has no head
	Children []int // in display order: Sort, then name, then ID
}

// Match is one search result. Score says why it matched (one of the Score
// constants); results come best first.
type Match struct {
	Person *Person
	Score  int
	// Layout is the query retyped on the other keyboard layout ("иванов"
	// for "bdfyjd") when the person matched only that way; such matches
	// come after the others.
	Layout string
}

// Data is the plain content of an Org: what the cache stores and what tests
// build Orgs from.
type Data struct {
	Portal      string // the portal as Client.Portal() prints it (no secret)
	FetchedAt   time.Time
	Departments []Department // Children is ignored by NewOrg and empty in Org.Data
	People      []Person
	// Members maps a department ID to its member IDs, for every department
	// known from the tree load, so head counts exist before people load. A
	// department without an entry takes its members from People's DepartmentIDs.
	Members  map[int][]int
	Loaded   []int // departments whose people (with details) are loaded
	Complete bool  // every department's people are loaded
}

// Options configures a Directory.
type Options struct {
	CacheDir string // "" disables the disk cache
	NoCache  bool   // neither read nor write the disk cache
	// CacheKey names the cache file and is the identity stored in it, in
	// place of the portal as Client.Portal() prints it: a portal whose
	// address changes from run to run (the demo's) keeps one cache of its
	// own. It must never equal a real portal's key; "" means the portal.
	CacheKey string
	// IncludeOutsiders keeps, in what the portal's search finds, the people
	// outside the company's structure: extranet users, bots and users
	// without a department. They are left out by default.
	IncludeOutsiders bool
	// FullLoadEvery is how old a complete directory may be before
	// Revalidate loads everyone again (0: DefaultFullLoadEvery; negative:
	// always).
	FullLoadEvery time.Duration
	// Availability asks the portal for the calendars and workdays of the
	// people looked at (Directory.Schedules): a request or two for each
	// department opened, shared by every caller for ScheduleReuse.
	Availability bool
	// Now is the clock the calendar is asked and schedules are dated by
	// (nil: time.Now); tests fix it.
	Now func() time.Time
	// Region is the region (ISO code, "RU") phone numbers written without
	// a country are read in; "" guesses it from the portal's numbers.
	Region string
}
