package ui

import (
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/safetext"
	"github.com/charmbracelet/x/ansi"
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
		b = badge{glyph: "◐", word: l.T(lang.Gendered("badge.idle", p.Gender)), kind: kindIdle,
			detail: l.T(lang.Gendered("badge.idle.for", p.Gender), "Age", l.RoughAge(now.Sub(p.IdleSince)))}
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

// mark puts the glyph of b before text, "● online"; the plain front end
// names presence in words and leaves the glyph out.
func (c *common) mark(b badge, text string) string {
	if c.plain {
		return text
	}
	return b.glyph + " " + text
}

// seen is "seen 3h ago", or "never seen": in Russian "был 3 ч назад" or
// "была 3 ч назад" by the gender the portal gives (g), else "был(а)".
func (c *common) seen(t, now time.Time, g string) string {
	l := c.lang
	if t.IsZero() {
		return l.T(lang.Gendered("seen.never", g))
	}
	d := now.Sub(t)
	if d < time.Minute {
		return l.T(lang.Gendered("seen.now", g))
	}
	if d >= 7*24*time.Hour {
		return l.T(lang.Gendered("seen.on", g), "Day", c.day(t, now))
	}
	return l.T(lang.Gendered("seen.ago", g), "Age", l.RoughAge(d))
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

// span is text drawn in a row, linked to url (OSC 8) when url is not "",
// in paint (none: as the row).
type span struct {
	text, url string
	paint     paint
}

// spans draws parts side by side in exactly w cells, as cell draws their
// texts joined: cut with "…" when wider, padded when narrower. Each
// part's text (as drawn, never the padding) is linked to its url, and a
// link cut short still ends where its text does, so no link reaches the
// rest of the row.
func spans(parts []span, w int) string {
	if w <= 0 {
		return ""
	}
	total, linked := 0, false
	for _, p := range parts {
		total += safetext.Width(p.text)
		linked = linked || p.url != "" || p.paint != paint{}
	}
	if !linked {
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p.text)
		}
		return cell(b.String(), w)
	}
	room, tail := w, ""
	if total > w {
		room, tail = w-1, "…"
	}
	var b strings.Builder
	used := 0
	for _, p := range parts {
		t := safetext.Cut(p.text, room-used)
		if t != "" {
			b.WriteString(hyperlink(p.url, p.paint.on(t)))
		}
		used += safetext.Width(t)
		if used >= room || t != safetext.Display(p.text) {
			break
		}
	}
	if tail != "" {
		b.WriteString(tail)
		used++
	}
	return b.String() + strings.Repeat(" ", max(0, w-used))
}

// fitRow is s cut and padded to exactly w cells: as cell does for plain
// text, as fitANSI does for text holding links (OSC 8, which take no
// cells).
func fitRow(s string, w int) string {
	if strings.IndexByte(s, 0x1b) < 0 {
		return cell(s, w)
	}
	return fitANSI(s, w)
}

// linkCell is text cut and padded to exactly w cells, as cell does, its
// text linked to url.
func linkCell(text, url string, w int) string { return spans([]span{{text: text, url: url}}, w) }

// hyperlink wraps text in an OSC 8 link to url; text alone when either is
// empty or url is not what a link may hold (see linkable).
func hyperlink(url, text string) string {
	if url == "" || text == "" || !linkable(url) {
		return text
	}
	return ansi.SetHyperlink(url) + text + ansi.ResetHyperlink()
}

// linkAt is the address of the link (OSC 8, as hyperlink writes it) that
// cell x of line is in, or "" when none is.
func linkAt(line string, x int) string {
	const open, end = "\x1b]8;;", "\x07"
	col, url := 0, ""
	for {
		text, seq, found := strings.Cut(line, open)
		w := ansi.StringWidth(text)
		if x >= col && x < col+w {
			return url
		}
		col += w
		if !found {
			return ""
		}
		url, line, found = strings.Cut(seq, end)
		if !found {
			return ""
		}
	}
}

// linkable reports whether url may go into an OSC 8 sequence: printable
// ASCII without spaces (RFC 3986 characters; nothing that ends the
// sequence: no BEL, ESC or C1 byte) and at most directory.MaxURL bytes.
// The addresses of directory's builder always are; this is the last
// guard before the terminal.
func linkable(url string) bool {
	if len(url) > directory.MaxURL {
		return false
	}
	for i := 0; i < len(url); i++ {
		if url[i] < 0x21 || url[i] > 0x7e {
			return false
		}
	}
	return true
}
