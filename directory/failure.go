package directory

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
)

// What the front ends say about a failure, and about a call that will be
// tried again, kept here so that the browser does not need the api package
// and the command line and the browser say it alike.

// Failure is an error as a person reads it: the cause, and what to do.
type Failure struct {
	Cause string // the error's text on one line, cleaned of control characters
	// Fix is the one sentence saying what to do (api.HintOf), or "" when
	// the error has none or Cause already says it (a configuration error
	// says what to fix itself).
	Fix string
}

// FailureOf says err as a Failure in the language l: the cause as
// lang.Say says it (the program's words in l, the portal's codes, the
// URLs and the operating system's text as they are), the fix in l. A
// cancelled call is "interrupted".
func FailureOf(l *lang.Language, err error) Failure {
	if err == nil {
		return Failure{}
	}
	if errors.Is(err, context.Canceled) {
		return Failure{Cause: l.T("fail.interrupted")}
	}
	f := Failure{Cause: safetext.Clean(lang.Say(l, err))}
	if errors.Is(err, api.ErrConfig) {
		return f
	}
	if h := safetext.Clean(api.HintIn(l, err)); h != "" && !strings.Contains(f.Cause, h) {
		f.Fix = h
	}
	return f
}

// Line is the failure on one line: "cause; fix".
func (f Failure) Line() string {
	if f.Fix == "" {
		return f.Cause
	}
	return strings.TrimRight(f.Cause, ". ") + "; " + f.Fix
}

// countError is a failure said by a plural message of the catalogs about
// n things ("loading 3 favourites: …"), wrapping err.
type countError struct {
	id  string
	n   int
	err error
}

// Error is the English text.
func (e *countError) Error() string { return e.In(lang.English()) }

// In is the text in l, err said as lang.Say says it.
func (e *countError) In(l *lang.Language) string {
	return l.N(e.id, e.n, "Err", lang.Say(l, e.err))
}

// Unwrap is the failure said about the n things.
func (e *countError) Unwrap() error { return e.err }

// RetryEvent says that a call failed and will be tried again (the api
// client's Config.OnRetry reports it).
type RetryEvent = api.RetryEvent

// RetryNote is what a status line says about ev in the language l, left
// before the next attempt starts: "retrying (2/7) in 3s… (HTTP 503)",
// then, once left is over, "retrying (2/7)…".
func RetryNote(l *lang.Language, ev RetryEvent, left time.Duration) string {
	text := l.T("retry.now", "Attempt", ev.Attempt, "Max", ev.Max)
	if left > 0 {
		text = l.T("retry.in", "Attempt", ev.Attempt, "Max", ev.Max, "Wait", api.WaitIn(l, left))
	}
	if why := safetext.Clean(api.ShortReasonIn(l, ev.Err)); why != "" {
		text += " (" + why + ")"
	}
	return text
}

// WithPauses returns a context whose loads call pause with what is left of
// each pause for the portal's time budget (from the loading goroutine; it
// must not block).
func WithPauses(ctx context.Context, pause func(left time.Duration)) context.Context {
	return api.WithPace(ctx, func(p api.Pace) {
		if p.Waiting > 0 {
			pause(p.Waiting)
		}
	})
}
