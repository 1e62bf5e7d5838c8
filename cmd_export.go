package main

import (
	"context"
	"sync"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
)

// Org loads the whole directory from the configured portal, for export.
func (a *app) Org(ctx context.Context) (*directory.Org, time.Duration, error) {
	var org *directory.Org
	s, err := a.fromPortal(ctx, func(ctx context.Context, _ settings, d *directory.Directory, progress func(done, total int)) error {
		if _, err := d.LoadTree(ctx); err != nil {
			return err
		}
		var err error
		org, err = d.LoadAll(ctx, progress)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return org, s.threshold, nil
}

// fromPortal runs load, the part of find or export that asks the
// configured portal, over a Directory opened from the settings, and
// returns the settings. On a terminal, progress (nil elsewhere) and ctx's
// pace draw the progress on stderr, and the line ends when load returns;
// the Directory is closed after.
func (a *app) fromPortal(ctx context.Context, load func(ctx context.Context, s settings, d *directory.Directory, progress func(done, total int)) error) (settings, error) {
	a.terminalNotes()
	s, err := a.settings()
	if err != nil {
		return settings{}, err
	}
	d, closeFn, err := a.open(s)
	if err != nil {
		return settings{}, err
	}
	defer closeFn()
	progress, pace, done := a.progress()
	if pace != nil {
		ctx = api.WithPace(ctx, pace)
	}
	err = load(ctx, s, d, progress)
	done()
	return s, err
}

// progress returns a progress callback that draws "indexing N / M" on
// stderr when stderr is a terminal (nil otherwise), a Pace callback that
// adds the estimate of the time left or a pause for the portal's time
// budget ("waiting for the portal's time budget: 2m10s"), and a func that
// ends the line.
func (a *app) progress() (func(done, total int), func(api.Pace), func()) {
	if !a.stderrIsTerminal {
		return nil, nil, func() {}
	}
	a.terminalNotes()
	var mu sync.Mutex
	done, total := 0, 0
	var note string
	draw := func() {
		l := a.lang()
		line := l.T("status.indexing")
		if total > 0 {
			line += " " + l.Thousands(done) + " / " + l.Thousands(total)
		}
		if note != "" {
			line += " · " + note
		}
		a.status.show(line)
	}
	report := func(d, t int) {
		mu.Lock()
		defer mu.Unlock()
		if d != done {
			note = "" // a pause is over once people arrive
		}
		done, total = d, t
		draw()
	}
	pace := func(p api.Pace) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case p.Waiting > 0:
			note = a.lang().T("status.budget", "Wait", roughDuration(a.lang(), p.Waiting))
		case p.Left > 0:
			note = a.lang().T("export.left", "Left", roughDuration(a.lang(), p.Left))
		default:
			return
		}
		draw()
	}
	end := func() { a.status.clear() }
	return report, pace, end
}

// roughDuration is d to the second, at least 1s, in l: 2m10s, 2 мин 10 с.
// It is not an age (lang.RoughAge): it counts down a wait or the time
// left, where a second is news.
func roughDuration(l *lang.Language, d time.Duration) string {
	return l.Wait(max(d.Round(time.Second), time.Second))
}
