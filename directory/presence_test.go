package directory

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPresence(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		p    Person
		th   time.Duration
		want Presence
	}{
		{"never seen", Person{}, 0, Offline},
		{"active a minute ago", Person{LastActivity: now.Add(-time.Minute)}, 0, Online},
		{"active at the default threshold", Person{LastActivity: now.Add(-DefaultThreshold)}, 0, Online},
		{"active just past it", Person{LastActivity: now.Add(-DefaultThreshold - time.Second)}, 0, Offline},
		{"custom threshold", Person{LastActivity: now.Add(-20 * time.Minute)}, 30 * time.Minute, Online},
		{"idle though recently active", Person{LastActivity: now.Add(-time.Minute), IdleSince: now.Add(-9 * time.Minute)}, 0, Idle},
		{"idle, long gone", Person{IdleSince: now.Add(-48 * time.Hour)}, 0, Idle},
		{"clock skew: activity in the future", Person{LastActivity: now.Add(time.Minute)}, 0, Online},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.p.PresenceAt(now, c.th), c.name)
	}
	assert.Equal(t, "online", Online.String())
	assert.Equal(t, "idle", Idle.String())
	assert.Equal(t, "offline", Offline.String())
	assert.Equal(t, "offline", Presence(42).String())
}

func TestAbsent(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	assert.False(t, (&Person{}).Absent(now))
	assert.True(t, (&Person{AbsentUntil: now.Add(24 * time.Hour)}).Absent(now))
	assert.False(t, (&Person{AbsentUntil: now}).Absent(now))
	assert.False(t, (&Person{AbsentUntil: now.Add(-time.Hour)}).Absent(now))
}
