package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// statusAddr is the address the status bar shows: where the highlighted
// name, or the link L highlighted, leads.
var statusAddr = regexp.MustCompile(`(?m)^ → (\S+)`)

// addrOn is the status bar's address on screen s ("" for none).
func addrOn(s string) string {
	if m := statusAddr.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// TestTUISearchResultLinksInTmux runs the demo in tmux: in a search, with
// the keys on the results (Tab), L walks the highlighted result's links,
// the status bar showing where each leads (its phones, its e-mail, its
// chat, then the name's profile again); another result starts from its
// name; in the query L types. With links: off the walk is the same and no
// OSC 8 is written.
func TestTUISearchResultLinksInTmux(t *testing.T) {
	for _, off := range []bool{false, true} {
		name := "links on"
		if off {
			name = "links off"
		}
		t.Run(name, func(t *testing.T) {
			command := testBinaryPath + " --demo"
			if off {
				cfg := filepath.Join(t.TempDir(), "config.yaml")
				require.NoError(t, os.WriteFile(cfg, []byte("links: off\n"), 0o600))
				command += " --config " + cfg
			}
			x, raw := recordedTmux(t, 120, 40, command+"; echo BROWSER-DONE-$((6*7))")
			x.waitText("Departments", "? help")
			x.keys("-l", "/anna")
			x.waitScreen("results", func(s string) bool { return strings.Contains(s, " match") })
			x.keys("Tab")
			s := x.waitText("› anna", "next link")
			profile := ""
			if !off {
				s = x.waitScreen("the result's profile address", func(s string) bool { return profileInStatus.MatchString(s) })
				profile = addrOn(s)
			}
			assert.Equal(t, profile, addrOn(s), "before L, the status bar names the profile when names are links, else nothing")

			// L twice: the name, then the next link (a phone or the e-mail).
			x.keys("-l", "LL")
			s = x.waitScreen("the second link's address", func(s string) bool {
				a := addrOn(s)
				return strings.HasPrefix(a, "tel:") || strings.HasPrefix(a, "mailto:")
			})
			second := addrOn(s)

			// Another result: its own profile (or nothing); back: the
			// first result's name again, not its second link.
			x.keys("Down")
			x.waitScreen("another result", func(s string) bool {
				a := addrOn(s)
				return a != second && a != profile || off && a == ""
			})
			x.keys("Up")
			x.waitScreen("the first result, unwalked", func(s string) bool { return addrOn(s) == profile })

			// The whole walk: every link in turn, then none.
			x.keys("-l", "LL")
			walked := []string{x.waitScreen("the second link", func(s string) bool { return addrOn(s) == second })}
			for i := 0; i < 8 && addrOn(walked[len(walked)-1]) != profile; i++ {
				last := addrOn(walked[len(walked)-1])
				x.keys("-l", "L")
				walked = append(walked, x.waitScreen("the next link", func(s string) bool { return addrOn(s) != last }))
			}
			var addrs []string
			for _, w := range walked {
				addrs = append(addrs, addrOn(w))
			}
			require.Equal(t, profile, addrs[len(addrs)-1], "after the last link, the name's address again: %q", addrs)
			t.Logf("walked %q", addrs)
			addrs = addrs[:len(addrs)-1]
			assert.Contains(t, strings.Join(addrs, " "), "mailto:", "the e-mail is one of the links: %q", addrs)
			if off {
				assert.NotContains(t, strings.Join(addrs, " "), "IM_DIALOG", "no chat item without links")
			} else {
				assert.Contains(t, addrs[len(addrs)-1], "/online/?IM_DIALOG=", "the chat is the last link: %q", addrs)
			}
			x.settle()
			checkRows(t, x, 120, 40, "the search's walked links")

			// Back to the query: L types there.
			x.keys("-l", "/L")
			x.waitText("/ annaL")

			x.keys("Escape")
			// q apart from the Escape: together they read as alt+q.
			x.waitScreen("the search closed", func(s string) bool { return !strings.Contains(s, "Search the whole company") })
			x.keys("q")
			out := waitRaw(t, raw, "BROWSER-DONE-42")
			if off {
				assert.NotContains(t, out, "\x1b]8;", "links: off writes no OSC 8")
			} else {
				assert.Contains(t, out, "\x1b]8;;"+second+"\x07", "the second link is an OSC 8 link")
			}
		})
	}
}
