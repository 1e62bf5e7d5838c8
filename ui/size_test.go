package ui

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/directory"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestViewAtAnySize(t *testing.T) {
	h := loaded(t, directory.NewOrg(orgData(smallPortalOrg())))
	for _, size := range [][2]int{{65535, 65535}, {math.MaxInt, 3}, {3, math.MaxInt}, {-5, -5}, {0, 0}, {0, 40}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := h.view()
		lines := strings.Split(v, "\n")
		if size[0] <= 0 || size[1] <= 0 {
			assert.Empty(t, v, "%v: nothing to draw", size)
			continue
		}
		assert.Len(t, lines, min(size[1], MaxHeight), "%v", size)
		for _, l := range lines {
			require.Equal(t, min(size[0], MaxWidth), ansi.StringWidth(l), "%v: every line as wide as the drawn screen", size)
		}
	}
}

func TestNoticeShowsOnTheStatusLine(t *testing.T) {
	h := loaded(t, directory.NewOrg(orgData(smallPortalOrg())))
	h.send(NoticeMsg{Text: "the terminal says 65535×65535\x1b[2J; at most 1000×500 is drawn"})
	assert.Contains(t, h.view(), "! the terminal says 65535×65535; at most 1000×500 is drawn", "shown, without its escapes")
	h.send(NoticeMsg{})
	assert.NotContains(t, h.view(), "the terminal says")
}

func TestTimersEndWithTheSession(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	m := New(Options{Context: ctx})
	done := make(chan tea.Msg, 1)
	go func() { done <- m.after(time.Hour, toastDoneMsg{})() }()
	cancel()
	assert.Nil(t, <-done, "a timer of an ended session gives nothing, and ends")
	assert.Equal(t, toastDoneMsg{id: 1}, afterUnless(context.Background(), time.Millisecond, toastDoneMsg{id: 1})())
}
