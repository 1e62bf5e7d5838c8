package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/b24org/b24org/api"
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

// FailureOf says err as a Failure. A cancelled call is "interrupted".
func FailureOf(err error) Failure {
	if err == nil {
		return Failure{}
	}
	if errors.Is(err, context.Canceled) {
		return Failure{Cause: "interrupted"}
	}
	f := Failure{Cause: safetext.Clean(err.Error())}
	if errors.Is(err, api.ErrConfig) {
		return f
	}
	if h := safetext.Clean(api.HintOf(err)); h != "" && !strings.Contains(f.Cause, h) {
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

// RetryEvent says that a call failed and will be tried again (the api
// client's Config.OnRetry reports it).
type RetryEvent = api.RetryEvent

// RetryNote is what a status line says about ev, left before the next
// attempt starts: "retrying (2/7) in 3s… (HTTP 503)", then, once left is
// over, "retrying (2/7)…".
func RetryNote(ev RetryEvent, left time.Duration) string {
	text := fmt.Sprintf("retrying (%d/%d)…", ev.Attempt, ev.Max)
	if left > 0 {
		text = fmt.Sprintf("retrying (%d/%d) in %s…", ev.Attempt, ev.Max, api.WaitText(left))
	}
	if why := safetext.Clean(api.ShortReason(ev.Err)); why != "" {
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
