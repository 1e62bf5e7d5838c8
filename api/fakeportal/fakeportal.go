// Package fakeportal is an in-process Bitrix24 portal on loopback, faithful to
// the fact sheet: shapes, quirks, limits and faults. Tests, benchmarks and the
// --demo mode run against it.
package fakeportal

// CONTRACT STUB: the fakeportal helper replaces this file. Signatures here are
// the contract other packages build against.

import (
	"net/http"
	"time"
)

// Department is a department as the portal stores it.
type Department struct {
	ID     int
	Name   string
	Sort   int
	Parent int // 0 for the root
	Head   int // user ID, 0 for none
}

// User is an employee as the portal stores it.
type User struct {
	ID           int
	FirstName    string
	LastName     string
	SecondName   string
	Position     string
	Email        string
	WorkPhone    string
	Mobile       string
	Extension    string // UF_PHONE_INNER
	Departments  []int
	Active       bool
	Gender       string
	LastActivity time.Time // zero: never
	IdleSince    time.Time // zero: not idle
	AbsentUntil  time.Time // zero: not on vacation now
}

// Org is the portal's company.
type Org struct {
	Departments []Department
	Users       []User
}

// GenOptions shapes a generated org.
type GenOptions struct {
	People      int
	Departments int
	Seed        int64
	Hostile     bool      // include hostile strings
	Now         time.Time // presence is generated relative to this
}

// Generate builds a deterministic, realistic org.
func Generate(o GenOptions) *Org { panic("stub") }

// Options configures a Portal.
type Options struct {
	WebhookUser int    // default 1
	WebhookCode string // default a fixed test code
	Scopes      []string
	// Leaky bucket: Rate per second drain, Burst size. Zero: 2 and 50. Rate < 0: off.
	Rate  float64
	Burst int
	// OperatingLimit per method per 10 minutes; zero: off.
	OperatingLimit time.Duration
	// OAuth enables the OAuth endpoint and token auth.
	OAuth        bool
	ClientID     string
	ClientSecret string
	AccessTTL    time.Duration // default 1h
	Now          func() time.Time
	Latency      time.Duration // added to every answer
}

// Fault is a kind of injected failure.
type Fault int

// The kinds of injected failure.
const (
	FaultQueryLimit     Fault = iota // 503 QUERY_LIMIT_EXCEEDED
	FaultServerError                 // 500 INTERNAL_SERVER_ERROR
	FaultStall                       // no answer for Faults.Stall
	FaultTruncated                   // 200 with a JSON body cut short
	FaultDrop                        // connection closed without an answer
	FaultHTML                        // 502 with an HTML page
	FaultOperatingLimit              // 429 OPERATION_TIME_LIMIT
)

// Faults configures injected failures.
type Faults struct {
	Rate  float64 // 0..1, the share of requests that fail
	Kinds []Fault // chosen at random; empty: all kinds
	Stall time.Duration
	Seed  int64
}

// Portal is the fake portal. It is an http.Handler and safe for concurrent use.
type Portal struct{}

// New returns a portal serving org.
func New(org *Org, o Options) *Portal { panic("stub") }

// Start serves a new portal on 127.0.0.1 on a random port.
func Start(org *Org, o Options) (*Portal, error) { panic("stub") }

func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) { panic("stub") }

// Close stops the server started by Start.
func (p *Portal) Close() { panic("stub") }

// URL is the base URL, http://127.0.0.1:PORT.
func (p *Portal) URL() string { panic("stub") }

// WebhookURL is the inbound webhook URL, URL()+"/rest/1/CODE/".
func (p *Portal) WebhookURL() string { panic("stub") }

// SetFaults changes the injected failures.
func (p *Portal) SetFaults(f Faults) { panic("stub") }

// Requests returns the number of HTTP requests served per method (batch counted as "batch").
func (p *Portal) Requests() map[string]int64 { panic("stub") }

// Total returns the number of HTTP requests served.
func (p *Portal) Total() int64 { panic("stub") }

// Refusals counts QUERY_LIMIT_EXCEEDED answers the bucket gave (not injected faults).
func (p *Portal) Refusals() int64 { panic("stub") }

// Update changes the org under a lock (for tests that need data to change).
func (p *Portal) Update(fn func(*Org)) { panic("stub") }
