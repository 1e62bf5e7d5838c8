package ui

import (
	"time"

	"github.com/b24org/b24org/directory"
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
	keys      KeyMap
	skeys     searchKeys // the search view's, from keys
	nowFn     func() time.Time
	threshold time.Duration
	org       *directory.Org
	spin      spinner.Model
	help      help.Model // the footer's and the help's; each takes a copy to set its width
	plain     bool       // for the plain front end (Plain): presence in words, no glyphs

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

// path returns the department names from the root down to id, each through named.
func (c *common) path(id int) []string {
	p := c.org.Path(id)
	out := make([]string, len(p))
	for i, s := range p {
		out[i] = named(s)
	}
	return out
}

// personPath is the path of p's first department in the tree.
func (c *common) personPath(p *directory.Person) []string {
	for _, id := range p.DepartmentIDs {
		if path := c.path(id); len(path) > 0 {
			return path
		}
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
