package api

// CONTRACT STUB: the api helper replaces this file with the real client.
// Signatures here are the contract other packages build against.

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// RateProfile is the client-side leaky bucket: PerSecond drain, Burst size.
type RateProfile struct {
	PerSecond float64
	Burst     int
}

// StandardRate is the bucket of every plan but Enterprise (2/s, burst 50).
func StandardRate() RateProfile { return RateProfile{PerSecond: 2, Burst: 50} }

// EnterpriseRate is the Enterprise plan's bucket (5/s, burst 250).
func EnterpriseRate() RateProfile { return RateProfile{PerSecond: 5, Burst: 250} }

// OAuthConfig holds an OAuth application's tokens.
type OAuthConfig struct {
	PortalURL    string // https://portal.example/
	AccessToken  string
	RefreshToken string
	ClientID     string
	ClientSecret string
	TokenURL     string // default https://oauth.bitrix.info/oauth/token/
	// OnRefresh is called with the new pair after a refresh, to persist it.
	OnRefresh func(access, refresh string)
}

// Config configures a Client. Exactly one of WebhookURL and OAuth is set.
type Config struct {
	WebhookURL string
	OAuth      *OAuthConfig
	Rate       RateProfile   // zero value: StandardRate
	HTTPClient *http.Client  // nil: a client with sane timeouts
	Timeout    time.Duration // per HTTP attempt; zero: 30s
	MaxRetries int           // zero: 6
	UserAgent  string
}

// Client talks to one Bitrix24 portal. It is safe for concurrent use.
type Client struct{}

// New validates cfg (https unless loopback; well-formed webhook) and returns a Client.
func New(cfg Config) (*Client, error) { panic("stub") }

// Portal returns the portal address with the secret hidden, e.g. https://p.example/rest/1/••••/.
func (c *Client) Portal() string { panic("stub") }

// Host returns the portal host name, for cache keys.
func (c *Client) Host() string { panic("stub") }

// Time is the envelope's "time" object.
type Time struct {
	Start, Finish, Duration, Processing float64
	Operating                           float64
	OperatingResetAt                    int64
}

// Response is a decoded success envelope.
type Response struct {
	Result  json.RawMessage
	Total   int
	Next    int
	HasNext bool
	Time    Time
}

// Call invokes one method (JSON POST) with pacing and retries.
func (c *Client) Call(ctx context.Context, method string, params map[string]any) (*Response, error) {
	panic("stub")
}

// Command is one call inside a batch.
type Command struct {
	Key    string
	Method string
	Params map[string]any
}

// BatchResult is one command's outcome.
type BatchResult struct {
	Result  json.RawMessage
	Err     error // *Error when the command failed
	Total   int
	Next    int
	HasNext bool
}

// Batch runs any number of commands, 50 per request.
func (c *Client) Batch(ctx context.Context, cmds []Command) (map[string]BatchResult, error) {
	panic("stub")
}

// Background marks ctx as low-priority work: it waits behind foreground requests.
func Background(ctx context.Context) context.Context { panic("stub") }

// Stats counts what the client has sent.
type Stats struct {
	Requests int64 // HTTP requests sent, retries included
	Retries  int64
}

// Stats returns the counters so far.
func (c *Client) Stats() Stats { panic("stub") }

// Departments returns the whole tree: department.get's first page, then the rest in one batch.
func (c *Client) Departments(ctx context.Context) ([]Department, error) { panic("stub") }

// DepartmentMembers returns member IDs per department (im.department.employees.get, USER_DATA=N).
func (c *Client) DepartmentMembers(ctx context.Context, ids []int) (map[int][]int, error) {
	panic("stub")
}

// DepartmentEmployees returns the members of each department with their details and presence.
func (c *Client) DepartmentEmployees(ctx context.Context, ids []int) (map[int][]User, error) {
	panic("stub")
}

// DepartmentManagers returns the head IDs per department (im.department.managers.get).
func (c *Client) DepartmentManagers(ctx context.Context, ids []int) (map[int][]int, error) {
	panic("stub")
}

// UsersByExtension finds active users whose extension is ext (user.get UF_PHONE_INNER), with presence.
func (c *Client) UsersByExtension(ctx context.Context, ext string) ([]User, error) { panic("stub") }

// SearchUsers asks the portal to search people by name, position or department.
func (c *Client) SearchUsers(ctx context.Context, query string) ([]User, error) { panic("stub") }

// AllEmployees returns every employee of the given departments in the fewest requests,
// calling progress (may be nil) as people arrive.
func (c *Client) AllEmployees(ctx context.Context, deptIDs []int, progress func(done, total int)) ([]User, error) {
	panic("stub")
}

// Class says how a failure should be handled.
type Class int

// The classes of portal errors.
const (
	ClassRetryable   Class = iota // 5xx, network trouble: back off and retry
	ClassRateLimited              // QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT: wait, retry
	ClassAuth                     // expired_token, invalid_token: refresh once
	ClassFatal                    // bad credentials, missing scope, access denied...: stop, say what to fix
)

// Error is an error answered by the portal. Description is cleaned of control
// characters; nothing in it or in Error() ever holds a secret.
type Error struct {
	Method      string
	Code        string
	Description string
	Status      int
}

func (e *Error) Error() string { panic("stub") }

// Class classifies the error by its code (case-insensitive), then its status.
func (e *Error) Class() Class { panic("stub") }

// Hint says in one sentence what the user can do about it ("" when nothing).
func (e *Error) Hint() string { panic("stub") }
