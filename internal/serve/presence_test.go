package serve

import (
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A refresh made for one browser session reaches another session showing
// the same department, without that session pressing anything.
func TestServePresenceReachesEverySession(t *testing.T) {
	f := newServeFixture(t, oldTestOrg(), fakeportal.Options{}, testServeOptions(), true)
	snap := f.svc.dir.Snapshot()
	root := snap.Department(snap.Roots()[0])
	people, loaded := snap.People(root.ID)
	require.True(t, loaded)
	require.NotEmpty(t, people)
	who := people[0] // the first row of the department
	row := "● online  " + string([]rune(who.Name)[:min(5, len([]rune(who.Name)))])

	a := f.openPTY(t, 100, 30)
	b := f.openPTY(t, 100, 30)
	a.waitOutput(root.Name+" · ", "? help")
	b.waitOutput(root.Name+" · ", "? help")
	require.NotContains(t, ansi.Strip(b.output()), row, "everyone is long offline")

	f.portal.Update(func(o *fakeportal.Org) {
		for i := range o.Users {
			if o.Users[i].ID == who.ID {
				o.Users[i].LastActivity = time.Now()
				o.Users[i].IdleSince, o.Users[i].AbsentUntil = time.Time{}, time.Time{}
			}
		}
	})
	loads := f.departmentLoads.Load()
	a.keys("r") // A refreshes; B presses nothing
	a.waitOutput(row)
	b.waitOutput(row)
	assert.Equal(t, loads+1, f.departmentLoads.Load(), "one portal call for both sessions")

	a.keys("q")
	b.keys("q")
	require.Equal(t, 0, a.exit())
	require.Equal(t, 0, b.exit())
}
