package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// Palette is the set of colours the styles are built from. A nil colour
// means "no colour"; the zero Palette is monochrome.
type Palette struct {
	Accent, Muted, Border, BorderFocus, Selected, SelectedText lipgloss.TerminalColor
	Online, Idle, Absent, Offline, Error, Warning              lipgloss.TerminalColor
}

// paint is a style reduced to the escape sequences around its text, so rows
// can be coloured by concatenation instead of a lipgloss render per cell
// (the View benchmark, BenchmarkView200x60, is why: see Model.box).
type paint struct{ pre, post string }

func newPaint(s lipgloss.Style) paint {
	out := s.Render("X")
	i := strings.IndexByte(out, 'X')
	if i < 0 {
		return paint{}
	}
	return paint{pre: out[:i], post: out[i+1:]}
}

// on wraps s (already measured and padded) in the paint's sequences.
func (p paint) on(s string) string {
	if p.pre == "" && p.post == "" {
		return s
	}
	return p.pre + s + p.post
}

// styles is everything a Model draws with, made from one session's renderer.
type styles struct {
	accent, muted, bold                       paint
	border, borderFocus, title, titleFocus    paint
	selected, selectedBlur                    paint
	online, idle, absent, offline, errp, warn paint
	toast, cursorP, placeholderP              paint
	help                                      help.Styles
	prompt, spin                              lipgloss.Style
}

func orNone(c lipgloss.TerminalColor) lipgloss.TerminalColor {
	if c == nil {
		return lipgloss.NoColor{}
	}
	return c
}

func isNone(c lipgloss.TerminalColor) bool {
	_, none := orNone(c).(lipgloss.NoColor)
	return none
}

// newStyles builds the styles from the session's renderer and a palette.
func newStyles(r *lipgloss.Renderer, p Palette) styles {
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return r.NewStyle().Foreground(orNone(c)) }
	sel := r.NewStyle().Foreground(orNone(p.SelectedText)).Background(orNone(p.Selected)).Bold(true)
	if isNone(p.Selected) {
		sel = r.NewStyle().Reverse(true).Bold(true)
	}
	s := styles{
		accent:       newPaint(fg(p.Accent).Bold(true)),
		muted:        newPaint(fg(p.Muted)),
		bold:         newPaint(r.NewStyle().Bold(true)),
		border:       newPaint(fg(p.Border)),
		borderFocus:  newPaint(fg(p.BorderFocus)),
		title:        newPaint(fg(p.Muted)),
		titleFocus:   newPaint(fg(p.Accent).Bold(true)),
		selected:     newPaint(sel),
		selectedBlur: newPaint(fg(p.Accent).Bold(true).Underline(isNone(p.Accent))),
		online:       newPaint(fg(p.Online)),
		idle:         newPaint(fg(p.Idle)),
		absent:       newPaint(fg(p.Absent)),
		offline:      newPaint(fg(p.Offline)),
		errp:         newPaint(fg(p.Error).Bold(true)),
		warn:         newPaint(fg(p.Warning)),
		toast:        newPaint(fg(p.Online).Bold(true)),
		cursorP:      newPaint(r.NewStyle().Reverse(true)),
		placeholderP: newPaint(fg(p.Muted)),
		prompt:       fg(p.Accent).Bold(true),
		spin:         fg(p.Accent),
	}
	s.help = help.Styles{
		Ellipsis:       fg(p.Muted),
		ShortKey:       fg(p.Accent),
		ShortDesc:      fg(p.Muted),
		ShortSeparator: fg(p.Border),
		FullKey:        fg(p.Accent).Bold(true),
		FullDesc:       r.NewStyle(),
		FullSeparator:  fg(p.Border),
	}
	return s
}
