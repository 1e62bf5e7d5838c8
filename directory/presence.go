package directory

import "time"

// DefaultThreshold is how recent the last activity must be for a person to
// count as online (fact sheet §7 leaves the cloud's value undocumented).
const DefaultThreshold = 15 * time.Minute

// Presence is what a badge shows about activity.
type Presence int

// The kinds of presence.
const (
	Offline Presence = iota
	Online
	Idle
)

// String returns "online", "idle" or "offline" (the JSON contract's words).
func (p Presence) String() string {
	switch p {
	case Online:
		return "online"
	case Idle:
		return "idle"
	}
	return "offline"
}

// PresenceAt says whether p is online, idle or offline at now: idle when the
// portal says the person has been idle since some moment, online when the
// last activity is within threshold (DefaultThreshold when threshold <= 0),
// offline otherwise.
func (p *Person) PresenceAt(now time.Time, threshold time.Duration) Presence {
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	switch {
	case !p.IdleSince.IsZero():
		return Idle
	case !p.LastActivity.IsZero() && now.Sub(p.LastActivity) <= threshold:
		return Online
	}
	return Offline
}

// Absent reports whether p is on vacation at now: the current absence ends
// after now.
func (p *Person) Absent(now time.Time) bool {
	return !p.AbsentUntil.IsZero() && p.AbsentUntil.After(now)
}
