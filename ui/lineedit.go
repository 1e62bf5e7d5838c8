package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/b24org/b24org/safetext"
	tea "github.com/charmbracelet/bubbletea"
)

// maxQuery bounds the search query, in runes.
const maxQuery = 200

// lineEdit is the one-line query editor of the search view. (bubbles'
// textinput would pull a clipboard module this project does not use.)
type lineEdit struct {
	text []rune
	pos  int // cursor, in runes
}

// fieldTakes reports whether the field uses the key named name (as
// tea.KeyMsg.String says it): text, space and the editing keys of update.
func fieldTakes(name string) bool {
	switch name {
	case "space", "backspace", "ctrl+h", "delete", "ctrl+d", "left", "ctrl+b", "right", "ctrl+f",
		"home", "ctrl+a", "end", "ctrl+e", "ctrl+u", "ctrl+k", "ctrl+w":
		return true
	}
	return utf8.RuneCountInString(name) == 1
}

func (e *lineEdit) value() string { return string(e.text) }

func (e *lineEdit) reset() { e.text, e.pos = nil, 0 }

// update applies a key and reports whether the text changed.
func (e *lineEdit) update(k tea.KeyMsg) bool {
	before := string(e.text)
	switch k.Type {
	case tea.KeyRunes:
		e.insert(k.Runes)
	case tea.KeySpace:
		e.insert([]rune{' '})
	case tea.KeyBackspace, tea.KeyCtrlH:
		if e.pos > 0 {
			e.text = append(e.text[:e.pos-1], e.text[e.pos:]...)
			e.pos--
		}
	case tea.KeyDelete, tea.KeyCtrlD:
		if e.pos < len(e.text) {
			e.text = append(e.text[:e.pos], e.text[e.pos+1:]...)
		}
	case tea.KeyLeft, tea.KeyCtrlB:
		e.pos = max(0, e.pos-1)
	case tea.KeyRight, tea.KeyCtrlF:
		e.pos = min(len(e.text), e.pos+1)
	case tea.KeyHome, tea.KeyCtrlA:
		e.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		e.pos = len(e.text)
	case tea.KeyCtrlU:
		e.text = e.text[e.pos:]
		e.pos = 0
	case tea.KeyCtrlK:
		e.text = e.text[:e.pos]
	case tea.KeyCtrlW:
		i := e.pos
		for i > 0 && e.text[i-1] == ' ' {
			i--
		}
		for i > 0 && e.text[i-1] != ' ' {
			i--
		}
		e.text = append(e.text[:i], e.text[e.pos:]...)
		e.pos = i
	}
	return string(e.text) != before
}

// insert adds typed or pasted runes at the cursor; white space becomes a
// space and anything that is not printable text is dropped.
func (e *lineEdit) insert(rs []rune) {
	if len(rs) > 1 { // pasted: drop whole escape sequences, not just their ESC
		rs = []rune(safetext.Clean(string(rs)))
	}
	var ins []rune
	for _, r := range rs {
		switch {
		case unicode.IsSpace(r):
			r = ' '
		case safetext.Clean(string(r)) == "":
			continue
		}
		if len(e.text)+len(ins) >= maxQuery {
			break
		}
		ins = append(ins, r)
	}
	tail := append(ins, e.text[e.pos:]...)
	e.text = append(e.text[:e.pos], tail...)
	e.pos += len(ins)
}

// view draws prompt and text in exactly w cells, scrolled so the cursor (a
// reversed cell) stays visible.
func (e *lineEdit) view(prompt, placeholder string, w int, st styles) string {
	pw := safetext.Width(prompt)
	if w <= pw+2 {
		return cell(prompt, w)
	}
	if len(e.text) == 0 {
		return st.prompt.Render(prompt) + st.cursorP.on(" ") + st.placeholderP.on(cell(placeholder, w-pw-1))
	}
	at, after := " ", ""
	if e.pos < len(e.text) {
		at = string(e.text[e.pos])
		after = string(e.text[e.pos+1:])
	}
	budget := w - pw - safetext.Width(at)
	// Show the runes that end at the cursor and fit, then what follows.
	start, used := e.pos, 0
	for start > 0 {
		rw := safetext.Width(string(e.text[start-1]))
		if used+rw > budget {
			break
		}
		used += rw
		start--
	}
	var b strings.Builder
	b.WriteString(st.prompt.Render(prompt))
	b.WriteString(string(e.text[start:e.pos]))
	b.WriteString(st.cursorP.on(at))
	b.WriteString(cell(after, budget-used))
	return b.String()
}
