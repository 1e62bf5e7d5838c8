// Package directory is the org as the program knows it: the department tree,
// the people, presence, the search index, the disk cache and the loader that
// fills them from the portal.
package directory

// CONTRACT STUB: the directory helper replaces this file. Signatures here are
// the contract the ui and main packages build against.

import (
	"context"
	"time"

	"github.com/b24org/b24org/api"
)

// Presence is what a badge shows about activity.
type Presence int

// The kinds of presence.
const (
	Offline Presence = iota
	Online
	Idle
)

// String returns "online", "idle" or "offline" (the JSON contract's words).
func (p Presence) String() string { panic("stub") }

// Person is one employee. Strings are clean (safetext); zero times mean unknown.
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

// PresenceAt says whether p is online, idle or offline at now: online when
// the last activity is within threshold and not idle, idle when idle is set.
func (p *Person) PresenceAt(now time.Time, threshold time.Duration) Presence { panic("stub") }

// Absent reports whether p is on vacation at now.
func (p *Person) Absent(now time.Time) bool { panic("stub") }

// Department is one node of the tree.
type Department struct {
	ID       int
	Name     string
	Sort     int
	ParentID int
	HeadID   int
	Children []int // in display order: Sort, then name
}

// Match is one search result.
type Match struct {
	Person *Person
	Score  int
}

// Data is the plain content of an Org: what the cache stores and what tests
// build Orgs from.
type Data struct {
	Portal      string // the portal as Client.Portal() prints it (no secret)
	FetchedAt   time.Time
	Departments []Department
	People      []Person
	Members     map[int][]int // department ID -> member IDs (IDs of loaded departments only)
	Loaded      []int         // departments whose people (with details) are loaded
	Complete    bool          // every department's people are loaded
}

// Org is an immutable snapshot of what is known. Safe for concurrent reads.
type Org struct{}

// NewOrg builds an Org from data (cleaning every string with safetext).
func NewOrg(d Data) *Org { panic("stub") }

// Data returns the content of o.
func (o *Org) Data() Data { panic("stub") }

// Roots returns the root departments in display order.
func (o *Org) Roots() []int { panic("stub") }

// Department returns the department with that id, or nil.
func (o *Org) Department(id int) *Department { panic("stub") }

// HeadCount returns the number of distinct people in the subtree of id.
func (o *Org) HeadCount(id int) int { panic("stub") }

// Path returns the names from the root down to id.
func (o *Org) Path(id int) []string { panic("stub") }

// People returns the members of a department, head first then by last name,
// and whether they have been loaded.
func (o *Org) People(deptID int) ([]*Person, bool) { panic("stub") }

// Person returns the person with that id, or nil.
func (o *Org) Person(id int) *Person { panic("stub") }

// PersonCount returns the number of people known.
func (o *Org) PersonCount() int { panic("stub") }

// Complete reports whether every department's people are loaded (search is local).
func (o *Org) Complete() bool { panic("stub") }

// FetchedAt is when the oldest part of this snapshot came from the portal.
func (o *Org) FetchedAt() time.Time { panic("stub") }

// Search finds people by name words (any order, case-, diacritics- and
// script-blind), position, e-mail, extension and phone digits, best first.
func (o *Org) Search(query string, limit int) []Match { panic("stub") }

// Options configures a Directory.
type Options struct {
	CacheDir string // "" disables the disk cache
	NoCache  bool
}

// Directory holds the current Org and loads more from the portal. One
// Directory is shared by every session of `serve`; it is safe for concurrent use.
type Directory struct{}

// New returns a Directory over client.
func New(client *api.Client, o Options) *Directory { panic("stub") }

// Snapshot returns the current Org (never nil; empty before anything loads).
func (d *Directory) Snapshot() *Org { panic("stub") }

// LoadCache reads the disk cache into the current Org; false when there is none.
func (d *Directory) LoadCache() (bool, error) { panic("stub") }

// LoadTree fetches the department tree and member counts.
func (d *Directory) LoadTree(ctx context.Context) (*Org, error) { panic("stub") }

// LoadDepartment fetches one department's people with presence (foreground
// lane; concurrent calls for the same department share one request).
func (d *Directory) LoadDepartment(ctx context.Context, deptID int) (*Org, error) { panic("stub") }

// LoadAll fetches everyone on the background lane, reporting progress, and
// writes the cache.
func (d *Directory) LoadAll(ctx context.Context, progress func(done, total int)) (*Org, error) {
	panic("stub")
}

// SearchRemote asks the portal (used while the Org is not Complete).
func (d *Directory) SearchRemote(ctx context.Context, query string) ([]*Person, error) {
	panic("stub")
}
