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

// badgeOf says how p is drawn at now, in the session's language.
func (c *common) badgeOf(p *directory.Person, now time.Time, threshold time.Duration) badge {
	l := c.lang
	var b badge
	switch p.PresenceAt(now, threshold) {
	case directory.Online:
		b = badge{glyph: "●", word: l.T("badge.online"), kind: kindOnline}
	case directory.Idle:
		b = badge{glyph: "◐", word: l.T(gendered("badge.idle", p.Gender)), kind: kindIdle,
			detail: l.T(gendered("badge.idle.for", p.Gender), "Age", l.RoughAge(now.Sub(p.IdleSince)))}
	default:
		b = badge{glyph: "○", word: l.T("badge.offline"), kind: kindOffline, detail: c.seen(p.LastActivity, now, p.Gender)}
	}
	if p.Absent(now) {
		b.until = c.day(p.AbsentUntil, now)
		presence := b.detail
		if presence == "" {
			presence = b.word
		}
		b = badge{glyph: "✈", word: l.T("badge.absent"), kind: kindAbsent, until: b.until, detail: "→ " + b.until + " · " + presence, presence: presence}
	}
	return b
}

// seen is "seen 3h ago", or "never seen": in Russian "был 3 ч назад" or
// "была 3 ч назад" by the gender the portal gives (g), else "был(а)".
func (c *common) seen(t, now time.Time, g string) string {
	l := c.lang
	if t.IsZero() {
		return l.T(gendered("seen.never", g))
	}
	d := now.Sub(t)
	if d < time.Minute {
		return l.T(gendered("seen.now", g))
	}
	if d >= 7*24*time.Hour {
		return l.T(gendered("seen.on", g), "Day", c.day(t, now))
	}
	return l.T(gendered("seen.ago", g), "Age", l.RoughAge(d))
}

// gendered is the catalog's id for a person of gender g ("M", "F"): the
// message id.M or id.F, which the catalogs have for every message that
// takes a gender in a language (Russian: был, была); id alone when the
// portal does not say.
func gendered(id, g string) string {
	if g == "M" || g == "F" {
		return id + "." + g
	}
	return id
}

// age is the age of data for the status bar: "just now", "3m ago".
func (c *common) age(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	if d := now.Sub(t); d >= time.Minute {
		return c.lang.T("age.ago", "Age", c.lang.RoughAge(d))
	}
	return c.lang.T("age.now")
}

// day is a date such as "1 Dec" ("1 дек."), with the year when it is not now's.
func (c *common) day(t, now time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return c.lang.Day(t, now)
}

// cell is s cut and padded to exactly w cells.
func cell(s string, w int) string { return safetext.Pad(s, w) }

// named returns s, or, for a name the portal left empty, "(no name)" in
// the session's language, so that a row or a breadcrumb never shows a
// blank where a name belongs.
func (c *common) named(s string) string {
	if s == "" {
		return c.lang.T("name.none")
	}
	return s
}
