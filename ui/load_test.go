package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A load's reply brings no org: the snapshot it made arrives once, through
// the directory's Changed broadcast, and the rows are laid out once for it,
// however the reply and the broadcast's message are ordered.
func TestOneRebuildPerLoad(t *testing.T) {
	_, dir := startPortal(t, smallPortalOrg())
	h := newHarness(t, Options{Directory: dir})
	h.init()
	require.True(t, h.m.people.loaded)
	h.timers = nil
	h.keys("down", "right", "down") // EMEA, its load held
	require.True(t, h.m.deptWaiting)

	// The reply first, then the wait's message for the broadcast (as a
	// program running both commands may deliver them).
	before, old := h.m.tree.builds, h.watching
	h.fire()
	h.send(dirChangedMsg{ch: old})
	h.changes()
	assert.True(t, h.m.people.loaded)
	assert.Equal(t, before+1, h.m.tree.builds, "one load, one rebuild")

	// The broadcast's message first, then the reply.
	h.timers = nil
	before, old = h.m.tree.builds, h.watching
	reply := h.m.loadPeopleCmd(h.m.tree.sel, h.m.deptSeq, 0)() // asks the portal: a new snapshot
	require.True(t, h.changes(), "the load changed the snapshot")
	h.send(reply)
	h.send(dirChangedMsg{ch: old})
	assert.Equal(t, before+1, h.m.tree.builds, "one load, one rebuild")

	// A load that brings nothing new lays nothing out.
	before = h.m.tree.builds
	h.send(h.m.loadPeopleCmd(h.m.tree.sel, h.m.deptSeq, h.m.refreshEvery)())
	assert.Equal(t, before, h.m.tree.builds, "the snapshot did not change")
}
