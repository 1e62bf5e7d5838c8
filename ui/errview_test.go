package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// screenText is the view's text with the borders taken out and the rows
// joined, so that wrapped text reads as one line.
func screenText(v string) string {
	v = strings.NewReplacer("┃", " ", "│", " ", "┏", " ", "┓", " ", "┗", " ", "┛", " ", "━", " ",
		"┌", " ", "┐", " ", "└", " ", "┘", " ", "─", " ").Replace(v)
	return strings.Join(strings.Fields(v), " ")
}

// wrongCodeDirectory is a directory over a fake portal that refuses its
// webhook code: every load fails with the portal's own error.
func wrongCodeDirectory(t *testing.T) *directory.Directory {
	t.Helper()
	p, _ := startPortal(t, smallPortalOrg())
	c, err := api.New(api.Config{WebhookURL: p.URL() + "/rest/1/wr0ngC0de/", Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	return directory.New(c, directory.Options{NoCache: true})
}

func TestFailedTreeShowsCauseAndFix(t *testing.T) {
	d := wrongCodeDirectory(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 20}} {
		h := newHarness(t, Options{Directory: d})
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.init()
		require.NotEmpty(t, h.m.treeErr, "the tree load failed")
		what, cause, fix := failureParts(h.m.treeErr)
		require.Equal(t, "the department tree did not load", what)
		require.Contains(t, cause, "INVALID_CREDENTIALS")
		require.Contains(t, fix, "check the webhook URL")

		v := h.view()
		text := screenText(v)
		assert.Contains(t, text, "the department tree did not load.", "%dx%d", size[0], size[1])
		if size[1] >= 24 { // a lower tree pane keeps what failed and the keys; the error view has the rest
			assert.Contains(t, text, "To fix: "+fix, "the fix in full, wrapped: %dx%d\n%s", size[0], size[1], v)
		}
		assert.Contains(t, text, "r retry · e details")
		assert.NotContains(t, v, "wr0ngC0de")
		for _, l := range strings.Split(v, "\n") {
			assert.Equal(t, size[0], safetext.Width(l), "every row is the width")
		}
		bar := strings.Split(v, "\n")[size[1]-2]
		assert.Contains(t, bar, "✗ the department tree did not load", "the status bar says what failed")
		requireWholeWords(t, bar, h.m.treeErr)

		// The error view: the whole cause and the fix.
		h.keys("e")
		v = h.view()
		text = screenText(v)
		assert.Contains(t, text, "Errors · esc back")
		assert.Contains(t, text, "✗ the department tree did not load")
		assert.Contains(t, text, strings.Join(strings.Fields(cause), " "), "the whole cause: %dx%d\n%s", size[0], size[1], v)
		assert.Contains(t, text, "To fix: "+fix)
		h.keys("esc")
		assert.Equal(t, modeNormal, h.m.mode)
	}
}

func TestErrorKeysComeFromTheKeyMap(t *testing.T) {
	keys := DefaultKeyMap()
	require.NoError(t, keys.Rebind(map[string][]string{"refresh": {"f5"}, "errors": {"x"}, "back": {"backspace"}}))
	h := newHarness(t, Options{Directory: wrongCodeDirectory(t), Keys: keys})
	h.init()
	v := h.view()
	assert.Contains(t, v, "x details · f5 retry")
	assert.Contains(t, screenText(v), "f5 retry · x details")
	assert.NotContains(t, v, "r retry")
	h.keys("e")
	assert.Equal(t, modeNormal, h.m.mode, "e is not the key any more")
	h.keys("x")
	require.Equal(t, modeErrors, h.m.mode)
	assert.Contains(t, screenText(h.view()), "f5 retries · backspace goes back")
	h.keys("backspace")
	assert.Equal(t, modeNormal, h.m.mode)
}

func TestStatusBarErrorFitsWithoutCuttingWords(t *testing.T) {
	h := loaded(t, smallOrg())
	h.send(treeLoadedMsg{err: errors.New("department.get: POST http://127.0.0.1:18081/rest/1/••••/department.get: HTTP 200: the answer is an HTML page, not JSON")})
	for _, w := range []int{250, 120, 80, 60, 40, 30, 20} {
		h.send(tea.WindowSizeMsg{Width: w, Height: 24})
		lines := strings.Split(h.view(), "\n")
		bar := lines[len(lines)-2]
		assert.Equal(t, w, safetext.Width(bar))
		requireWholeWords(t, bar, h.m.treeErr)
		if w >= 80 {
			assert.Contains(t, bar, "e details · r retry", "width %d", w)
		}
	}
}

// requireWholeWords checks that a word that ends in "…" in line is a whole
// word of full: text is cut between words, never inside one.
func requireWholeWords(t *testing.T, line, full string) {
	t.Helper()
	words := strings.Fields(strings.NewReplacer(hintSep, " ").Replace(full))
	for _, f := range strings.Fields(line) {
		if w, ok := strings.CutSuffix(f, "…"); ok && w != "" {
			assert.Contains(t, words, w, "%q is cut inside a word: %q", f, line)
		}
	}
}

func TestRetryShowsInTheStatusBar(t *testing.T) {
	h := loaded(t, smallOrg())
	h.m.treeLoading = true
	h.send(RetryNotice(api.RetryEvent{Method: "department.get", Attempt: 2, Max: 7, Wait: 3 * time.Second,
		Err: &api.Error{Code: "QUERY_LIMIT_EXCEEDED", Status: 503}}))
	v := h.view()
	assert.Contains(t, v, "⟳ loading departments: retrying (2/7) in 3s… (QUERY_LIMIT_EXCEEDED)")
	h.m.nowFn = func() time.Time { return testNow.Add(5 * time.Second) }
	assert.Contains(t, h.view(), "retrying (2/7)… (QUERY_LIMIT_EXCEEDED)", "the attempt is under way")
	h.keys("e")
	assert.Contains(t, screenText(h.view()), "⟳ department.get: retrying (2/7)")
	h.keys("esc")

	h.send(treeLoadedMsg{})
	assert.NotContains(t, h.view(), "retrying", "the call ended")
}

func TestStartWarningStaysInTheStatusBar(t *testing.T) {
	warn := "warning: others can read the config file, and it holds a secret; run: chmod 600 /home/x/.config/b24org/config.yaml"
	h := newHarness(t, Options{Warnings: []string{warn}})
	h.send(orgMsg{org: smallOrg()})
	h.selectDept("EMEA")
	bar := func() string {
		lines := strings.Split(h.view(), "\n")
		return lines[len(lines)-2]
	}
	h.send(tea.WindowSizeMsg{Width: 100, Height: 40})
	assert.Contains(t, bar(), "! warning: others can read the config file, and it holds a secret;")
	assert.Contains(t, bar(), "· e details", "the rest is in the error view")
	requireWholeWords(t, bar(), warn)
	h.keys("down", "down", "tab", "down")
	assert.Contains(t, bar(), "others can read the config file", "still there after moving around")
	h.send(tea.WindowSizeMsg{Width: 200, Height: 40})
	assert.Contains(t, bar(), "! "+warn, "whole when it fits")
	h.keys("e")
	assert.Contains(t, screenText(h.view()), "! "+warn)
}

func TestStatusBarSaysTheFix(t *testing.T) {
	keys := DefaultKeyMap()
	require.NoError(t, keys.Rebind(map[string][]string{"errors": {"f2"}}))
	h := newHarness(t, Options{Directory: wrongCodeDirectory(t), Keys: keys})
	h.init()
	_, _, fix := failureParts(h.m.treeErr)
	require.NotEmpty(t, fix)
	bar := func(w int) string {
		h.send(tea.WindowSizeMsg{Width: w, Height: 24})
		lines := strings.Split(h.view(), "\n")
		return lines[len(lines)-2]
	}
	assert.Contains(t, bar(200), "to fix: "+fix+" · f2 details", "the fix when it fits")
	for _, w := range []int{120, 80, 40} {
		b := bar(w)
		assert.Contains(t, b, "f2 details", "without room for the fix, the key of the view that has it: %d", w)
		assert.NotContains(t, b, "e details", "%d", w)
		requireWholeWords(t, b, h.m.treeErr)
	}
}
