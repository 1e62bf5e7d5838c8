package ui

import (
	"strconv"
	"strings"

	"github.com/b24org/b24org/lang"
)

// LinkMode is the links setting: whether names, e-mails and phones are
// drawn as hyperlinks (OSC 8).
type LinkMode string

// The link modes.
const (
	LinksAuto LinkMode = "auto" // on, unless the terminal is known to lack them (NoLinksTerm)
	LinksOn   LinkMode = "on"
	LinksOff  LinkMode = "off"
)

// LinkModeNames are the values ParseLinkMode takes, as completion lists them.
const LinkModeNames = "auto, on, off"

// ParseLinkMode reads a links setting: auto, on or off, in any case; ""
// is auto.
func ParseLinkMode(s string) (LinkMode, error) {
	switch m := LinkMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return LinksAuto, nil
	case LinksAuto, LinksOn, LinksOff:
		return m, nil
	}
	return "", lang.NewError("cli.links.must", "Value", strconv.Quote(s))
}

// On says whether links are drawn on a terminal whose TERM is term: always
// when on, never when off; for auto, unless NoLinksTerm(term).
func (m LinkMode) On(term string) bool {
	switch m {
	case LinksOn:
		return true
	case LinksOff:
		return false
	}
	return !NoLinksTerm(term)
}

// NoLinksTerm reports a terminal known to draw OSC 8 as text or to choke
// on it: no TERM at all, dumb, the Linux and BSD consoles, the VT100
// family. Other terminals that lack links ignore the sequence (it is an
// OSC, which they skip whole), which is why auto is on for them.
func NoLinksTerm(term string) bool {
	term = strings.ToLower(strings.TrimSpace(term))
	switch {
	case term == "", term == "dumb", term == "linux", term == "cons25":
		return true
	case strings.HasPrefix(term, "vt"), strings.HasPrefix(term, "linux-"), strings.HasPrefix(term, "cons"):
		return true
	}
	return false
}
