package api

import (
	"errors"
	"strings"

	"github.com/b24org/b24org/lang"
)

// The optional scopes: a webhook or an application may lack them, and the
// program then works without what they add.
const (
	ScopeCalendar  = "calendar"  // calendar.accessibility.get: meetings and planned absences
	ScopeTimeman   = "timeman"   // timeman.status: the workday (opened, on a break, closed)
	ScopeTelephony = "telephony" // telephony.externalCall.searchCrmEntities: callers' CRM clients
)

// ScopeError is a call refused because the webhook or application lacks
// Scope (insufficient_scope, or invalid_scope from the authorisation
// server). Err is the portal's answer.
type ScopeError struct {
	Scope string
	Err   *Error
}

// Error says which scope is missing and for which method.
func (e *ScopeError) Error() string { return e.In(lang.English()) }

// In is Error in the language l; the portal's answer keeps its code and
// description.
func (e *ScopeError) In(l *lang.Language) string {
	return l.T("err.api.scope", "Scope", e.Scope, "Err", e.Err)
}

// Unwrap is the portal's answer.
func (e *ScopeError) Unwrap() error { return e.Err }

// Hint is the portal answer's hint: where to add the scope.
func (e *ScopeError) Hint() string { return e.Err.Hint() }

// MissingScope says which scope err asks for, when err is (or wraps) a
// refusal for a missing scope.
func MissingScope(err error) (string, bool) {
	var se *ScopeError
	if errors.As(err, &se) {
		return se.Scope, true
	}
	var pe *Error
	if errors.As(err, &pe) && pe.missingScope() {
		return scopeOf(pe.Method), true
	}
	return "", false
}

// missingScope reports whether the portal refused the call for a missing scope.
func (e *Error) missingScope() bool {
	switch strings.ToLower(e.Code) {
	case "insufficient_scope", "invalid_scope":
		return true
	}
	return false
}

// asScopeError turns a refusal for a missing scope into a *ScopeError and
// returns any other error as it is.
func asScopeError(err error) error {
	var pe *Error
	if errors.As(err, &pe) && pe.missingScope() {
		return &ScopeError{Scope: scopeOf(pe.Method), Err: pe}
	}
	return err
}
