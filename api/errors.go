package api

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
)

// Class says how a failure should be handled.
type Class int

// The classes of portal errors.
const (
	ClassRetryable   Class = iota // 5xx, network trouble: back off and retry
	ClassRateLimited              // QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT: wait, retry
	ClassAuth                     // expired_token, invalid_token: refresh once
	ClassFatal                    // bad credentials, missing scope, access denied...: stop, say what to fix
)

// String names the class.
func (c Class) String() string {
	switch c {
	case ClassRetryable:
		return "retryable"
	case ClassRateLimited:
		return "rate-limited"
	case ClassAuth:
		return "auth"
	case ClassFatal:
		return "fatal"
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// maxDescription caps an error description, in terminal cells.
const maxDescription = 300

// maxCode caps an error code, in terminal cells.
const maxCode = 64

// Error is an error answered by the portal. Description is cleaned of control
// characters; nothing in it or in Error() ever holds a secret.
type Error struct {
	Method      string
	Code        string
	Description string
	Status      int

	oauth bool // the client uses OAuth (changes the hints)
}

// Error is "METHOD: CODE: description" (or "METHOD: HTTP 400: …" without a code).
func (e *Error) Error() string { return e.In(lang.English()) }

// In is the error's text in l: the portal's method, code and description
// stay as the portal sent them.
func (e *Error) In(l *lang.Language) string {
	var b strings.Builder
	if e.Method != "" {
		b.WriteString(e.Method + ": ")
	}
	switch {
	case e.Code != "":
		b.WriteString(e.Code)
	case e.Status != 0:
		fmt.Fprintf(&b, "HTTP %d", e.Status)
	default:
		b.WriteString(l.T("err.api.nocode"))
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	return b.String()
}

// codeClass is the class of every error code the portal is known to send
// (error-codes.md of the Bitrix24 REST docs, and docs/portal.md, Errors),
// lower case.
var codeClass = map[string]Class{
	"query_limit_exceeded":            ClassRateLimited,
	"operation_time_limit":            ClassRateLimited,
	"internal_server_error":           ClassRetryable,
	"error_unexpected_answer":         ClassRetryable,
	"expired_token":                   ClassAuth,
	"invalid_token":                   ClassAuth,
	"no_auth_found":                   ClassFatal,
	"invalid_credentials":             ClassFatal,
	"insufficient_scope":              ClassFatal,
	"invalid_scope":                   ClassFatal,
	"access_denied":                   ClassFatal,
	"access_error":                    ClassFatal,
	"allowed_only_intranet_user":      ClassFatal,
	"overload_limit":                  ClassFatal,
	"portal_deleted":                  ClassFatal,
	"user_access_error":               ClassFatal,
	"wrong_auth_type":                 ClassFatal,
	"application_not_found":           ClassFatal,
	"authorization_error":             ClassFatal,
	"payment_required":                ClassFatal,
	"invalid_grant":                   ClassFatal,
	"invalid_client":                  ClassFatal,
	"invalid_request":                 ClassFatal,
	"error_method_not_found":          ClassFatal,
	"error_manifest_is_not_available": ClassFatal,
	"id_empty":                        ClassFatal,
	"invalid_format":                  ClassFatal,
	"find_short":                      ClassFatal,
	"user_not_exists":                 ClassFatal,
	"error_core":                      ClassFatal,
	"error_argument":                  ClassFatal,
	"error_not_found":                 ClassFatal,
	"wrong_encoding":                  ClassFatal,
	"error_batch_method_not_allowed":  ClassFatal,
	"error_batch_length_exceeded":     ClassFatal,
	"method_confirm_waiting":          ClassFatal,
	"method_confirm_denied":           ClassFatal,
	"":                                ClassFatal, // timeman.status "User not found"
}

// Class classifies the error by its code (case-insensitive), then its status.
func (e *Error) Class() Class {
	code := strings.ToLower(e.Code)
	if code == "error_core" && e.Status >= 500 {
		// ERROR_CORE is what the server makes of a plain exception inside a
		// method (docs/portal.md, Errors): with its default 400 it is the method
		// refusing these arguments, and asking again gets the same answer;
		// with a 5xx the server itself failed (a database hiccup, a worker
		// cut off), which another try, after the usual backoff and within
		// the usual retry bound, may not meet. The calls here only read, so
		// a retry cannot do anything twice.
		return ClassRetryable
	}
	if c, ok := codeClass[code]; ok && (code != "" || e.Status < 500) {
		return c
	}
	switch {
	case strings.HasPrefix(code, "method_confirm_"), strings.HasPrefix(code, "error_batch_"):
		return ClassFatal
	case e.Status == 429:
		return ClassRateLimited
	case e.Status == 408 || e.Status >= 500:
		return ClassRetryable
	}
	return ClassFatal
}

// Hint says in one sentence what the user can do about it ("" when
// nothing), in English.
func (e *Error) Hint() string { return e.HintIn(lang.English()) }

// HintIn is Hint in the language l: the sentences are the catalog's
// "hint.*" messages.
func (e *Error) HintIn(l *lang.Language) string {
	code := strings.ToLower(e.Code)
	oauth := func(id string) string {
		if e.oauth {
			return id + ".oauth"
		}
		return id
	}
	method := e.Method
	if method == "" {
		method = l.T("hint.thismethod")
	}
	switch code {
	case "insufficient_scope", "invalid_scope":
		return l.T(oauth("hint.scope"), "Scope", scopeOf(e.Method))
	case "invalid_credentials", "no_auth_found":
		return l.T(oauth("hint.credentials"))
	case "expired_token", "invalid_token":
		return l.T(oauth("hint.expired"))
	case "invalid_grant", "invalid_client", "overload_limit", "query_limit_exceeded", "access_error",
		"portal_deleted", "user_access_error", "application_not_found", "authorization_error",
		"payment_required", "invalid_request", "find_short", "wrong_encoding":
		return l.T("hint." + code)
	case "allowed_only_intranet_user":
		return l.T("hint.access_error")
	case "operation_time_limit", "access_denied", "wrong_auth_type", "error_method_not_found":
		return l.T("hint."+code, "Method", method)
	case "method_confirm_waiting", "method_confirm_denied":
		return l.T("hint.method_confirm", "Method", method)
	}
	switch e.Class() {
	case ClassRetryable:
		return l.T("hint.retryable")
	case ClassRateLimited:
		return l.T("hint.ratelimited")
	}
	return ""
}

// scopeOf names the webhook scope a method needs.
func scopeOf(method string) string {
	m := strings.ToLower(method)
	switch {
	case strings.HasPrefix(m, "department."):
		return "department"
	case strings.HasPrefix(m, "user."):
		return "user"
	case strings.HasPrefix(m, "im."):
		return "im"
	case strings.HasPrefix(m, "calendar."):
		return ScopeCalendar
	case strings.HasPrefix(m, "timeman."):
		return ScopeTimeman
	case strings.HasPrefix(m, "telephony."):
		return ScopeTelephony
	}
	return "department, user and im"
}

// TransportError is a failure to get a usable answer from the portal: the
// connection failed, the attempt timed out, or the answer was not a Bitrix24
// envelope (an HTML page, a body cut short). Nothing in it holds a secret:
// the URL is the redacted one and the cause has been scrubbed.
type TransportError struct {
	Method    string
	Op        string // the HTTP method: POST to the portal, GET for a token refresh
	URL       string // with the webhook code masked
	Status    int    // the HTTP status when an answer came, else 0
	Reason    string // what went wrong, in words (English)
	Retryable bool
	HTML      bool  // the answer was an HTML page
	Err       error // the cause (never a *url.Error), or nil

	hint   string // the catalog's id of what to do, when the kind of failure says more than its class
	reason words  // Reason as the catalog says it, when it came from there
}

// Error is "METHOD: POST URL: HTTP 502: reason: cause", parts left out when unknown.
func (e *TransportError) Error() string { return e.In(lang.English()) }

// In is the error's text in l: the reason in l's words, the method, URL
// and status as they are, and the cause as lang.Say says it (the
// operating system's words stay its own).
func (e *TransportError) In(l *lang.Language) string {
	var b strings.Builder
	if e.Method != "" {
		b.WriteString(e.Method + ": ")
	}
	if e.URL != "" {
		b.WriteString(strings.TrimSpace(e.Op+" "+e.URL) + ": ")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "HTTP %d: ", e.Status)
	}
	b.WriteString(e.reasonIn(l))
	if e.Err != nil {
		b.WriteString(": " + lang.Say(l, e.Err))
	}
	return b.String()
}

// reasonIn is Reason in l: the catalog's words when Reason still is what
// they say in English, else Reason as it is.
func (e *TransportError) reasonIn(l *lang.Language) string {
	if e.reason.id == "" || l == lang.English() || e.reason.in(lang.English()) != e.Reason {
		return e.Reason
	}
	return e.reason.in(l)
}

// words are a message of the catalogs with its values, said in any
// language; a time.Duration value is written as Go writes it in English
// and in the language's own units elsewhere.
type words struct {
	id string
	kv []any
}

// say is the message id with its values (pairs of a name and a value).
func say(id string, kv ...any) words { return words{id: id, kv: kv} }

// in is w in l.
func (w words) in(l *lang.Language) string {
	kv := w.kv
	copied := false
	for i := 1; i < len(w.kv); i += 2 {
		if d, ok := w.kv[i].(time.Duration); ok {
			if !copied { // w is shared: change a copy
				kv, copied = append([]any(nil), w.kv...), true
			}
			kv[i] = durationIn(l, d)
		}
	}
	return l.T(w.id, kv...)
}

// durationIn writes d as Go does ("30s", "1m30s") in English, and in l's
// units when d is a whole number of its largest unit ("30 с", "2 мин").
func durationIn(l *lang.Language, d time.Duration) string {
	if l == lang.English() || d <= 0 {
		return d.String()
	}
	unit := time.Second
	switch {
	case d >= 48*time.Hour:
		unit = 24 * time.Hour
	case d >= time.Hour:
		unit = time.Hour
	case d >= time.Minute:
		unit = time.Minute
	}
	if d%unit != 0 {
		return d.String()
	}
	return l.RoughAge(d)
}

// Unwrap returns the cause, so errors.Is(err, context.DeadlineExceeded) works.
func (e *TransportError) Unwrap() error { return e.Err }

// Class is ClassRetryable or ClassFatal.
func (e *TransportError) Class() Class {
	if e.Retryable {
		return ClassRetryable
	}
	return ClassFatal
}

// ClassOf classifies any error a Client returned: portal errors by their code,
// transport errors by their kind; cancellation and invalid input are fatal.
func ClassOf(err error) Class {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Class()
	}
	var te *TransportError
	if errors.As(err, &te) {
		return te.Class()
	}
	return ClassFatal
}

// HintOf says in one sentence what to do about any error a Client returned.
func HintOf(err error) string { return HintIn(lang.English(), err) }

// HintIn is HintOf in the language l.
func HintIn(l *lang.Language, err error) string {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.HintIn(l)
	}
	var te *TransportError
	switch {
	case errors.As(err, &te) && te.hint != "":
		return l.T(te.hint)
	case errors.Is(err, ErrConfig):
		return l.T("hint.config")
	case errors.As(err, &te) && te.Retryable:
		return l.T("hint.network")
	case errors.As(err, &te):
		return l.T("hint.address")
	}
	return ""
}

// redactor removes known secrets from text. It learns new tokens after a refresh.
type redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// minSecret is the shortest string treated as a secret: shorter ones would
// mask ordinary text and are not real codes or tokens anyway.
const minSecret = 4

func (r *redactor) add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		for _, form := range []string{s, url.PathEscape(s), url.QueryEscape(s)} {
			if !contains(r.secrets, form) {
				r.secrets = append(r.secrets, form)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scrub replaces every known secret in s with the mask.
func (r *redactor) scrub(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, secret := range r.secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, mask)
		}
	}
	return s
}

// scrubErr returns err, or a plain error with its text scrubbed if the text
// holds a secret. A *url.Error is replaced by its cause: it prints the URL.
func (r *redactor) scrubErr(err error) error {
	var ue *url.Error
	for errors.As(err, &ue) {
		err = ue.Err
	}
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	if msg := err.Error(); r.scrub(msg) != msg {
		return errors.New(r.scrub(msg))
	}
	return err
}

// newError builds a portal error from untrusted code and description text.
func (c *Client) newError(method, code, desc string, status int) *Error {
	return &Error{
		Method:      method,
		Code:        safetext.Truncate(c.red.scrub(safetext.Clean(code)), maxCode),
		Description: safetext.Truncate(c.red.scrub(safetext.Clean(desc)), maxDescription),
		Status:      status,
		oauth:       c.oauth != nil,
	}
}

// ShortReason names what went wrong in a few words, for a line that has
// little room ("QUERY_LIMIT_EXCEEDED", "HTTP 502: the answer is an HTML
// page…", "cannot reach the portal"); "" for other errors.
func ShortReason(err error) string { return ShortReasonIn(lang.English(), err) }

// ShortReasonIn is ShortReason in the language l: the portal's codes stay
// as they are, the client's own reasons are said in l.
func ShortReasonIn(l *lang.Language, err error) string {
	var pe *Error
	if errors.As(err, &pe) {
		if pe.Code != "" {
			return pe.Code
		}
		if pe.Status != 0 {
			return fmt.Sprintf("HTTP %d", pe.Status)
		}
		return ""
	}
	var te *TransportError
	if errors.As(err, &te) {
		if te.Status != 0 {
			return fmt.Sprintf("HTTP %d: %s", te.Status, te.reasonIn(l))
		}
		return te.reasonIn(l)
	}
	return ""
}
