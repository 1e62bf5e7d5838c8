package main

import (
	"context"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
)

// commands builds find, export, caller and version for this run, over the
// configured portal.
func (a *app) commands() *command.Commands {
	return &command.Commands{Source: a, Stdout: appStdout{a}, Warn: a.warn, Width: a.tableWidth, Release: version, Lang: a.lang}
}

// appStdout writes to the run's stdout as it is at the time of the write
// (terminalNotes puts the status line in front of it).
type appStdout struct{ a *app }

// Write writes p to the run's stdout.
func (w appStdout) Write(p []byte) (int, error) { return w.a.stdout.Write(p) }

// Find looks query up in the configured portal, or its cache, for find.
func (a *app) Find(ctx context.Context, query string, limit int, _ func(string)) (*directory.FindResult, time.Duration, error) {
	var r *directory.FindResult
	s, err := a.fromPortal(ctx, func(ctx context.Context, s settings, d *directory.Directory, progress func(done, total int)) error {
		var err error
		r, err = d.Find(ctx, query, directory.FindOptions{Limit: limit, Refresh: s.refresh || s.demo, Progress: progress, PresenceAge: s.presenceAge, Availability: true, Threshold: s.threshold})
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	if r.CacheErr != nil {
		a.warn(a.lang().T("cache.ignored", "Err", r.CacheErr))
	}
	if r.FromCache && r.Age > s.freshness {
		a.warn(a.lang().T("find.cacheage", "Age", a.lang().RoughAge(r.Age)))
	}
	if !s.demo {
		if line := r.Partial(a.lang()); line != "" {
			a.warn(line)
		}
	}
	if r.PresenceErr != nil && !r.ByPresence { // else find's own line says it (PresenceNote)
		a.warn(a.lang().T("find.presenceage", "Age", a.lang().RoughAge(time.Since(r.PresenceAsOf)), "Err", r.PresenceErr))
	}
	return r, s.threshold, nil
}

// Callers looks number up among the portal's CRM clients for caller, with
// the responsible employees from the directory cache when it has them.
func (a *app) Callers(ctx context.Context, number string, _ func(string)) (*directory.Callers, time.Duration, error) {
	var r *directory.Callers
	s, err := a.fromPortal(ctx, func(ctx context.Context, s settings, d *directory.Directory, _ func(done, total int)) error {
		if _, err := d.LoadCache(); err != nil {
			a.warn(a.lang().T("cache.ignored", "Err", err))
		}
		var err error
		r, err = d.Callers(ctx, number, s.presenceAge)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return r, s.threshold, nil
}

// tableWidth is the width the find table must fit: the terminal's when
// stdout is one, else 0 (no limit: a file or a pipe gets whole values).
func (a *app) tableWidth() int {
	if !a.stdoutIsTerminal || a.termWidth == nil {
		return 0
	}
	if w := a.termWidth(); w > 0 {
		return w
	}
	return 80
}
