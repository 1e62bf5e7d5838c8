package ui

import (
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
)

// badge is the presence of one person as it is drawn: a glyph and a word, so
// it reads without colour, and a detail such as "seen 3h ago".
type badge struct {
	glyph, word, detail string
	kind                badgeKind
	until, presence     string // for the absent: the last day, and the presence beside it
	reason              string // what the calendar or the workday says (common.badgeFor)
}

type badgeKind int

const (
	kindOffline badgeKind = iota
	kindOnline
	kindIdle
	kindAbsent
)

// badgeOf says how p is drawn at now.
func badgeOf(p *directory.Person, now time.Time, threshold time.Duration) badge {
	var b badge
	switch p.PresenceAt(now, threshold) {
	case directory.Online:
		b = badge{glyph: "●", word: "online", kind: kindOnline}
	case directory.Idle:
		b = badge{glyph: "◐", word: "idle", kind: kindIdle, detail: "idle " + directory.RoughAge(now.Sub(p.IdleSince))}
	default:
		b = badge{glyph: "○", word: "offline", kind: kindOffline, detail: seen(p.LastActivity, now)}
	}
	if p.Absent(now) {
		b.until = day(p.AbsentUntil, now)
		presence := b.detail
		if presence == "" {
			presence = b.word
		}
		b = badge{glyph: "✈", word: "absent", kind: kindAbsent, until: b.until, detail: "→ " + b.until + " · " + presence, presence: presence}
	}
	return b
}

// seen is "seen 3h ago", or "never seen".
func seen(t, now time.Time) string {
	if t.IsZero() {
		return "never seen"
	}
	d := now.Sub(t)
	if d < time.Minute {
		return "seen just now"
	}
	if d >= 7*24*time.Hour {
		return "seen " + day(t, now)
	}
	return "seen " + directory.RoughAge(d) + " ago"
}

// age is the age of data for the status bar: "just now", "3m ago".
func age(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	if d := now.Sub(t); d >= time.Minute {
		return directory.RoughAge(d) + " ago"
	}
	return "just now"
}

// day is a date such as "1 Dec", with the year when it is not now's.
func day(t, now time.Time) string {
	if t.IsZero() {
		return "?"
	}
	t = t.In(now.Location())
	if t.Year() != now.Year() {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan")
}

// cell is s cut and padded to exactly w cells.
func cell(s string, w int) string { return safetext.Pad(s, w) }

// unnamed stands in for a name the portal left empty, so that a row or a
// breadcrumb never shows a blank where a name belongs.
const unnamed = "(no name)"

// named returns s, or unnamed when s is empty.
func named(s string) string {
	if s == "" {
		return unnamed
	}
	return s
}
