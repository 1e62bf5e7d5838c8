package ui

import (
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
)

// common is what the panes share, one per Model, handed to each by pointer
// (the habit of glow's commonModel and soft-serve's common.Common): the
// styles, the keys, the clock and settings, the spinner, and the snapshot
// of the directory on screen. The Model changes it in Update; the panes
// only read it.
type common struct {
	st        styles
	lang      *lang.Language // the language every pane speaks
	keys      KeyMap
	skeys     searchKeys // the search view's, from keys
	nowFn     func() time.Time
	threshold time.Duration
	org       *directory.Org
	// sched are the calendars and workdays asked for the people looked at
	// (Directory.Schedules), by person ID; nil entries are never stored.
	sched  map[int]*directory.Schedule
	pinned []int // the Favourites: person IDs, in pin order (favourites.go)
	spin   spinner.Model
	help   help.Model // the footer's and the help's; each takes a copy to set its width
	plain  bool       // for the plain front end (Plain): presence in words, no glyphs

	// addr builds the addresses of the portal's people (of org's portal);
	// linksOn draws names, e-mails and phones as links to them (OSC 8).
	addr    directory.Links
	linksOn bool

	// drawn is what the last frame drew, so that a frame draws and
	// measures only what changed: the one thing View writes, and nothing
	// it draws depends on it (a frame drawn without it is the same).
	drawn *drawCache
}

// drawCache is the rows and lines the last frame drew.
type drawCache struct {
	treeRows   rowMemo[treeRowKey]
	personRows rowMemo[personRowKey]
	lastFrame  struct {
		w     int
		lines []drawnLine
	}
	lastFooter footerLine
}

func (c *common) now() time.Time { return c.nowFn() }

// badgeFor is p's badge at now with what the calendar or the workday says
// when they were asked: the glyph and word of presence stay, and the
// detail becomes the reason ("in a meeting until 15:00", "on a break",
// "finished for today at 18:02"), except beside a vacation, which says
// its own.
func (c *common) badgeFor(p *directory.Person) badge {
	now := c.now()
	b := c.badgeOf(p, now, c.threshold)
	s := c.sched[p.ID]
	if s == nil {
		return b
	}
	a := p.AvailabilityAt(s, now, c.threshold)
	if a.Source == directory.FromCalendar || a.Source == directory.FromWorkday {
		b.reason = a.Say(c.lang)
		if b.kind != kindAbsent {
			b.detail = b.reason
		}
	}
	return b
}

// The addresses drawn items link to: "" when links are not drawn (the
// text stays plain), and then nothing is built.

// profileLink is what p's name links to.
func (c *common) profileLink(p *directory.Person) string {
	if !c.linksOn {
		return ""
	}
	return c.addr.Profile(p)
}

// chatLink is what the chat item of p links to.
func (c *common) chatLink(p *directory.Person) string {
	if !c.linksOn {
		return ""
	}
	return c.addr.Chat(p)
}

// telLink is what a phone number links to.
func (c *common) telLink(phone string) string {
	if !c.linksOn {
		return ""
	}
	return c.addr.Tel(phone)
}

// statusLink is what the status bar's address links to: itself.
func (c *common) statusLink(url string) string {
	if !c.linksOn {
		return ""
	}
	return url
}

// mailLink is what an e-mail address links to.
func (c *common) mailLink(email string) string {
	if !c.linksOn {
		return ""
	}
	return directory.MailtoURL(email)
}

// path returns the department names from the root down to id, each through named.
func (c *common) path(id int) []string {
	p := c.org.Path(id)
	out := make([]string, len(p))
	for i, s := range p {
		out[i] = c.named(s)
	}
	return out
}

// firstDept is p's first department the tree knows (0: none): where a
// jump goes, and what the details of a search result are seen from.
func (c *common) firstDept(p *directory.Person) int {
	for _, id := range p.DepartmentIDs {
		if c.org.Department(id) != nil {
			return id
		}
	}
	return 0
}

// personPath is the path of p's first department in the tree.
func (c *common) personPath(p *directory.Person) []string {
	if id := c.firstDept(p); id != 0 {
		return c.path(id)
	}
	return nil
}

func (c *common) badgePaint(k badgeKind) paint {
	switch k {
	case kindOnline:
		return c.st.online
	case kindIdle:
		return c.st.idle
	case kindAbsent:
		return c.st.absent
	}
	return c.st.offline
}
