package api

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// A budget on a settable clock: the windows pass when the test says so.
func testBudget(limit, window time.Duration) (*budget, *time.Time) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	b := newBudget(costPolicy{limit: limit, window: window, share: 0.5})
	b.now = func() time.Time { return now }
	return b, &now
}

func TestBudgetKeepsTheShareAndLeavesRoomForTheForeground(t *testing.T) {
	b, now := testBudget(100*time.Second, 10*time.Minute)
	bg, fg := Background(context.Background()), context.Background()
	assert.Equal(t, 40*time.Second, b.laneShare(bg), "a background load takes four fifths of the half")
	assert.Equal(t, 50*time.Second, b.laneShare(fg))

	b.record("im.user.list.get", Time{Processing: 30})
	*now = now.Add(time.Minute)
	b.record("im.user.list.get", Time{Processing: 10})
	assert.Zero(t, b.wait("im.user.list.get", 0, b.laneShare(bg)), "40 s used: at the background's bound, not over")
	assert.Equal(t, 9*time.Minute, b.wait("im.user.list.get", 5*time.Second, b.laneShare(bg)),
		"over: wait until the oldest use (30 s, a minute ago) leaves the window")
	assert.Zero(t, b.wait("im.user.list.get", 5*time.Second, b.laneShare(fg)), "the foreground still has room")
	assert.Zero(t, b.wait("im.department.employees.get", 5*time.Second, b.laneShare(bg)), "other methods have their own budget")

	*now = now.Add(9 * time.Minute)
	assert.Zero(t, b.wait("im.user.list.get", 5*time.Second, b.laneShare(bg)), "the window freed the oldest use")
	assert.Equal(t, 40*time.Second, b.Peak()["im.user.list.get"])
}

func TestBudgetRespectsThePortalsOwnCount(t *testing.T) {
	b, now := testBudget(100*time.Second, 10*time.Minute)
	reset := now.Add(3 * time.Minute)
	// Others used 92 s: the portal says so, though the client used 1 s.
	b.record("im.user.list.get", Time{Processing: 1, Operating: 92, OperatingResetAt: reset.Unix()})
	assert.Equal(t, 3*time.Minute, b.wait("im.user.list.get", 0, 50*time.Second), "never the one who crosses the limit")
	*now = reset
	assert.Zero(t, b.wait("im.user.list.get", 0, 50*time.Second), "after operating_reset_at the count is out of date")
}

// Peak is Client.Peak for a bare budget.
func (b *budget) Peak() map[string]time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

func TestSizerGrowsShrinksAndSplits(t *testing.T) {
	s := newSizer(costPolicy{cutOff: 60 * time.Second, aim: 0.25, startUnits: 1000}, time.Minute)
	const m = "im.user.list.get"
	assert.Equal(t, 1000, s.next(m, 10000), "unknown: the start size")
	s.learn(m, 1000, 100*time.Millisecond) // 0.1 ms each: cheap
	assert.Equal(t, 4000, s.next(m, 10000), "cheap: grows fourfold")
	s.learn(m, 4000, 400*time.Millisecond)
	assert.Equal(t, 10000, s.next(m, 10000), "at most what 50 commands hold")
	s.learn(m, 10000, 20*time.Second) // 2 ms each: dearer at once
	assert.Equal(t, 7500, s.next(m, 10000), "shrinks to a quarter of the cut-off: 15 s / 2 ms")
	s.cutOff(m, 7500, 60*time.Second) // at least 8 ms each
	assert.Equal(t, 1875, s.next(m, 10000), "a cut-off splits: a quarter of the cut-off at 8 ms each")
	assert.Equal(t, 8*time.Millisecond, s.perUnit(m))
}

func TestBudgetDoesNotBelieveAResetFarAhead(t *testing.T) {
	b, _ := testBudget(100*time.Second, 10*time.Minute)
	b.record("im.user.list.get", Time{Processing: 1, Operating: 99, OperatingResetAt: 1 << 40})
	w := b.wait("im.user.list.get", 0, 50*time.Second)
	assert.Positive(t, w)
	assert.LessOrEqual(t, w, 10*time.Minute+time.Second, "a hostile operating_reset_at waits one window at most")
}
